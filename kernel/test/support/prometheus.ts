// biome-ignore-all lint/suspicious/noExplicitAny: parsed exposition text is arbitrary JSON
// Reading a /metrics scrape with an independent parser of Prometheus's text format.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export type Family = { name: string; type: string; metrics: any[] };

/**
 * Families by name. The parser folds a histogram's series into one unlabelled sample (it handles
 * only unlabelled histograms), so histograms are read as their three plain series
 * (<name>_bucket, _sum and _count, each with its labels) by leaving out their TYPE line; the TYPE
 * itself is checked on the text. Those series alternate per label set, which the parser reports
 * as separate runs of one name: they are joined.
 */
export function families(text: string): Map<string, Family> {
  const out = new Map<string, Family>();
  for (const f of parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram\n/gm, '')) as Family[]) {
    const seen = out.get(f.name);
    if (seen) seen.metrics.push(...f.metrics);
    else out.set(f.name, f);
  }
  return out;
}
