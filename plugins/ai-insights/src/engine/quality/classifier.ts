// Categorization: multinomial naive Bayes over word tokens (and adjacent-word pairs) with Laplace
// smoothing, trained on the tenant's own labelled lines. Small, fast to retrain, and explainable:
// the words that weighed most for the chosen category come with the answer. Below the confidence
// threshold it does not guess: it answers null and lists the likeliest categories for a person.
// The model is plain JSON, so it is stored with its version and read back without retraining.

export interface LabelledText {
  text: string;
  label: string;
}

export interface NaiveBayesModel {
  labels: string[];
  /** log P(label). */
  logPrior: number[];
  /** token → count per label (same order as labels). */
  counts: Record<string, number[]>;
  totals: number[];
  vocabulary: number;
  alpha: number;
  examples: number;
}

export interface Classification {
  label: string | null;
  confidence: number;
  /** The likeliest categories, best first, with their probability. */
  ranked: { label: string; p: number }[];
  /** Tokens that most favoured the best category over the others. */
  because: string[];
}

const STOP = new Set(['the', 'a', 'an', 'of', 'for', 'and', 'to', 'in', 'on', 'at', 'with', 'by', 'from']);

export function tokenize(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP.has(w) && !/^\d+$/.test(w));
  const pairs = words.slice(1).map((w, i) => `${words[i]}_${w}`);
  return [...words, ...pairs];
}

export function trainNaiveBayes(examples: readonly LabelledText[], alpha = 1): NaiveBayesModel {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = new Array<number>(labels.length).fill(0);
  const totals = new Array<number>(labels.length).fill(0);
  const counts: Record<string, number[]> = {};
  for (const e of examples) {
    const k = index.get(e.label)!;
    docs[k]!++;
    for (const t of tokenize(e.text)) {
      const c = counts[t] ?? new Array<number>(labels.length).fill(0);
      c[k]!++;
      counts[t] = c;
      totals[k]!++;
    }
  }
  return {
    labels,
    logPrior: docs.map((d) => Math.log(d / examples.length)),
    counts,
    totals,
    vocabulary: Object.keys(counts).length,
    alpha,
    examples: examples.length,
  };
}

export function classify(model: NaiveBayesModel, text: string, threshold = 0.7): Classification {
  const tokens = tokenize(text).filter((t) => model.counts[t] !== undefined);
  const L = model.labels.length;
  const denom = model.totals.map((t) => Math.log(t + model.alpha * (model.vocabulary + 1)));
  const logp = model.logPrior.slice();
  const weight = (t: string, k: number) => Math.log(model.counts[t]![k]! + model.alpha) - denom[k]!;
  for (const t of tokens) for (let k = 0; k < L; k++) logp[k]! += weight(t, k);
  const max = Math.max(...logp);
  const exp = logp.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const ranked = model.labels.map((label, k) => ({ label, p: exp[k]! / sum })).sort((a, b) => b.p - a.p);
  const best = ranked[0]!;
  const k = model.labels.indexOf(best.label);
  const because = [...new Set(tokens)]
    .map((t) => {
      let other = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < L; j++) if (j !== k) other = Math.max(other, weight(t, j));
      return { t, lift: weight(t, k) - other };
    })
    .filter((x) => x.lift > 0)
    .sort((a, b) => b.lift - a.lift)
    .slice(0, 5)
    .map((x) => x.t);
  // No known word at all: the prior alone is not evidence, whatever its size.
  const confident = tokens.length > 0 && best.p >= threshold;
  return { label: confident ? best.label : null, confidence: best.p, ranked: ranked.slice(0, 3), because };
}
