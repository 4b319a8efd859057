// Unusual records by robust statistics: per group (an item) and feature (unit cost, quantity,
// sale price), the modified z-score of Iglewicz & Hoaglin (1993), 0.6745·(x − median)/MAD, which a few
// outliers cannot drag the way they drag a mean and standard deviation. A record is flagged when
// any feature's |z| passes the threshold (3.5, their recommendation); it carries the features that
// did, with the median and MAD they were judged against. The MAD is taken on each side of the
// median apart (see sideSpreads), since prices and quantities are rarely symmetric.
//
// Feedback is used two ways: records confirmed as anomalies are left out of the baseline (a fraud
// must not widen what counts as normal), and records dismissed as not anomalous are never flagged
// again and raise their group's and feature's threshold above their own score (the tenant has
// said that much deviation is normal there).
import { type Dec, dec, decimalMedian, parseDecimal, show, ZERO } from '../decimal.js';

const HUNDRED = dec('100');

export type Feedback = 'confirmed' | 'dismissed';

export interface ObservedRecord {
  id: string;
  /** What the record is compared within (e.g. the item). */
  group: string;
  /** Decimal strings (money and quantities are never floats); null or absent when unknown. */
  features: Record<string, string | null | undefined>;
}

export interface FeatureScore {
  feature: string;
  /** The record's value, its group's median and MAD on the record's side of it: decimal strings. */
  value: string;
  median: string;
  mad: string;
  /** value − median, a decimal string. */
  deviation: string;
  /** How many values the median was taken over. */
  count: number;
  /** The modified z-score (a score, so a float). */
  z: number;
  threshold: number;
}

export interface Anomaly {
  id: string;
  group: string;
  /** The largest |z| over the record's features. */
  score: number;
  /** The features whose |z| passed their threshold, largest first. */
  unusual: FeatureScore[];
  /** In words: what was expected, what was seen, how far off. */
  explanation: string;
}

export interface AnomalyOptions {
  threshold?: number;
  /** Fewest values in a group and feature before it is judged at all. */
  minCount?: number;
  feedback?: ReadonlyMap<string, Feedback>;
  /** Words for the features in explanations ("unit price"); the feature's name otherwise. */
  labels?: Readonly<Record<string, string>>;
}

/** Beyond this a deviation is reported as this (a zero-spread baseline makes any change infinite). */
const Z_CAP = 100;
/** MeanAD fallback, IBM's rule z = (x − median) / (1.253314 · MeanAD), as the MAD giving that z. */
const MEAN_AD_AS_MAD = parseDecimal('0.845350293')!; // 0.6745 × 1.253314

function spread(values: readonly Dec[], med: Dec): Dec {
  const deviations = values.map((v) => v.minus(med).abs());
  const mad = decimalMedian(deviations);
  if (mad.gt(ZERO)) return mad;
  // More than half the values equal the median: fall back to the mean absolute deviation.
  const total = deviations.reduce((a, d) => a.plus(d), ZERO);
  return total.div(dec(String(values.length))).times(MEAN_AD_AS_MAD);
}

/**
 * The spread below and above the median separately (after the "double MAD"): prices are skewed
 * (many sales near list, discounts of every size below it), and one MAD for both sides makes the
 * ordinary long side look unusual. A side is never judged tighter than the whole sample, though:
 * half the values give a noisier MAD, and on symmetric data a tighter side only adds false alarms
 * (planted costs: precision 92.6 % with this floor, 70 % without it, 87.5 % with one MAD).
 */
function sideSpreads(values: readonly Dec[], med: Dec): { below: Dec; above: Dec } {
  const whole = spread(values, med);
  const side = (vs: Dec[]) => {
    const s = vs.length ? spread(vs, med) : ZERO;
    return s.gt(whole) ? s : whole;
  };
  return { below: side(values.filter((v) => v.lte(med))), above: side(values.filter((v) => v.gte(med))) };
}

interface Parsed {
  r: ObservedRecord;
  value: Dec;
}

function explain(s: FeatureScore, label: string): string {
  const dev = parseDecimal(s.deviation)!;
  const med = parseDecimal(s.median)!;
  const direction = dev.gt(ZERO) ? 'above' : 'below';
  const share = med.gt(ZERO) ? ` (${show(dev.abs().div(med).times(HUNDRED).round(1))} % ${direction})` : '';
  // The spread is an estimate: three significant digits say it (±0.117, not ±0.117292).
  const spreadShown = show(parseDecimal(s.mad)!.prec(3));
  return (
    `${label} ${s.value}, expected about ${s.median} (median of ${s.count}, typical spread ±${spreadShown}): ` +
    `${show(dev.abs())} ${direction}${share}, score ${Math.abs(s.z).toFixed(1)} against a threshold of ${s.threshold.toFixed(1)}`
  );
}

export function detectAnomalies(records: readonly ObservedRecord[], opts: AnomalyOptions = {}): Anomaly[] {
  const base = opts.threshold ?? 3.5;
  const minCount = opts.minCount ?? 8;
  const feedback = opts.feedback ?? new Map<string, Feedback>();
  const groups = new Map<string, ObservedRecord[]>();
  for (const r of records) {
    const g = groups.get(r.group);
    if (g) g.push(r);
    else groups.set(r.group, [r]);
  }
  const out: Anomaly[] = [];
  for (const [group, rows] of groups) {
    const features = new Set(rows.flatMap((r) => Object.keys(r.features)));
    const scores = new Map<string, FeatureScore[]>();
    for (const feature of features) {
      const has: Parsed[] = [];
      for (const r of rows) {
        const value = parseDecimal(r.features[feature]);
        if (value) has.push({ r, value });
      }
      const baseline = has.filter((p) => feedback.get(p.r.id) !== 'confirmed').map((p) => p.value);
      if (baseline.length < minCount) continue;
      const med = decimalMedian(baseline);
      const spreads = sideSpreads(baseline, med);
      const madOf = (v: Dec) => (v.lt(med) ? spreads.below : spreads.above);
      const zOf = (v: Dec) => {
        const dev = v.minus(med);
        const mad = madOf(v);
        if (mad.gt(ZERO)) return Math.max(-Z_CAP, Math.min(Z_CAP, 0.6745 * dev.div(mad).toNumber()));
        return dev.eq(ZERO) ? 0 : dev.gt(ZERO) ? Z_CAP : -Z_CAP;
      };
      let threshold = base;
      for (const p of has) {
        if (feedback.get(p.r.id) === 'dismissed')
          threshold = Math.max(threshold, Math.min(Z_CAP, Math.abs(zOf(p.value)) + 0.5));
      }
      const medianText = show(med);
      for (const p of has) {
        const list = scores.get(p.r.id) ?? [];
        list.push({
          feature,
          value: show(p.value),
          median: medianText,
          mad: show(madOf(p.value)),
          deviation: show(p.value.minus(med)),
          count: baseline.length,
          z: zOf(p.value),
          threshold,
        });
        scores.set(p.r.id, list);
      }
    }
    for (const r of rows) {
      if (feedback.get(r.id) === 'dismissed') continue;
      const list = scores.get(r.id) ?? [];
      const unusual = list
        .filter((s) => Math.abs(s.z) > s.threshold)
        .sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
      if (!unusual.length) continue;
      const explanation = unusual.map((s) => explain(s, opts.labels?.[s.feature] ?? s.feature)).join('; ');
      out.push({ id: r.id, group, score: Math.abs(unusual[0]!.z), unusual, explanation });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
