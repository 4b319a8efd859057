// Unusual records by robust statistics: per group (an item) and feature (unit cost, quantity,
// price), the modified z-score of Iglewicz & Hoaglin (1993), 0.6745·(x − median)/MAD, which a few
// outliers cannot drag the way they drag a mean and standard deviation. A record is flagged when
// any feature's |z| passes the threshold (3.5, their recommendation); it carries the features that
// did, with the median and MAD they were judged against.
//
// Feedback is used two ways: records confirmed as anomalies are left out of the baseline (a fraud
// must not widen what counts as normal), and records dismissed as not anomalous are never flagged
// again and raise their group's and feature's threshold above their own score (the tenant has
// said that much deviation is normal there).
import { median } from 'simple-statistics';

export type Feedback = 'confirmed' | 'dismissed';

export interface ObservedRecord {
  id: string;
  /** What the record is compared within (e.g. the item). */
  group: string;
  features: Record<string, number | null | undefined>;
}

export interface FeatureScore {
  feature: string;
  value: number;
  median: number;
  mad: number;
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
}

export interface AnomalyOptions {
  threshold?: number;
  /** Fewest values in a group and feature before it is judged at all. */
  minCount?: number;
  feedback?: ReadonlyMap<string, Feedback>;
}

/** Beyond this a deviation is reported as this (a zero-spread baseline makes any change infinite). */
const Z_CAP = 100;

function spread(values: number[], med: number): number {
  const mad = median(values.map((v) => Math.abs(v - med)));
  if (mad > 0) return mad;
  // More than half the values equal the median: fall back to the mean absolute deviation, with
  // z = (x − median) / (1.253314 · MeanAD) (IBM's rule); expressed as the MAD that gives that z.
  const meanAbs = values.reduce((a, v) => a + Math.abs(v - med), 0) / values.length;
  return 0.6745 * 1.253314 * meanAbs;
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
      const has = rows.filter(
        (r) => typeof r.features[feature] === 'number' && Number.isFinite(r.features[feature]),
      );
      const baseline = has
        .filter((r) => feedback.get(r.id) !== 'confirmed')
        .map((r) => r.features[feature] as number);
      if (baseline.length < minCount) continue;
      const med = median(baseline);
      const mad = spread(baseline, med);
      const zOf = (v: number) =>
        mad > 0 ? (0.6745 * (v - med)) / mad : v === med ? 0 : Math.sign(v - med) * Z_CAP;
      let threshold = base;
      for (const r of has) {
        if (feedback.get(r.id) === 'dismissed') {
          threshold = Math.max(
            threshold,
            Math.min(Z_CAP, Math.abs(zOf(r.features[feature] as number)) + 0.5),
          );
        }
      }
      for (const r of has) {
        const value = r.features[feature] as number;
        const z = Math.max(-Z_CAP, Math.min(Z_CAP, zOf(value)));
        const list = scores.get(r.id) ?? [];
        list.push({ feature, value, median: med, mad, z, threshold });
        scores.set(r.id, list);
      }
    }
    for (const r of rows) {
      if (feedback.get(r.id) === 'dismissed') continue;
      const list = scores.get(r.id) ?? [];
      const unusual = list
        .filter((s) => Math.abs(s.z) > s.threshold)
        .sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
      if (!unusual.length) continue;
      out.push({ id: r.id, group, score: Math.abs(unusual[0]!.z), unusual });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
