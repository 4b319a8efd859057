// Nelder–Mead simplex minimisation over a box. The model parameters (smoothing weights, damping)
// live in bounded intervals, so the search runs on logit-transformed coordinates and every point
// it tries maps back inside the box. Written here rather than taken from npm: the one maintained
// candidate (fmin 0.0.4) was last released in 2017, ships no types and is unbounded; this is the
// textbook algorithm (Lagarias et al. 1998 coefficients) in 60 lines.

export interface Bounds {
  lower: readonly number[];
  upper: readonly number[];
}

const toUnit = (x: number, lo: number, hi: number) => {
  const p = Math.min(1 - 1e-9, Math.max(1e-9, (x - lo) / (hi - lo)));
  return Math.log(p / (1 - p));
};
const fromUnit = (u: number, lo: number, hi: number) => lo + (hi - lo) / (1 + Math.exp(-u));

/** Minimises `f` inside `bounds` from `start`; returns the best point and its value. */
export function minimise(
  f: (x: number[]) => number,
  start: readonly number[],
  bounds: Bounds,
  opts: { maxEvaluations?: number; tolerance?: number } = {},
): { x: number[]; value: number; evaluations: number } {
  const n = start.length;
  const max = opts.maxEvaluations ?? 200 * n;
  const tol = opts.tolerance ?? 1e-7;
  const back = (u: number[]) => u.map((v, i) => fromUnit(v, bounds.lower[i]!, bounds.upper[i]!));
  let evaluations = 0;
  const g = (u: number[]) => {
    evaluations++;
    const v = f(back(u));
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const u0 = start.map((v, i) => toUnit(v, bounds.lower[i]!, bounds.upper[i]!));
  let simplex: { u: number[]; v: number }[] = [{ u: u0, v: g(u0) }];
  for (let i = 0; i < n; i++) {
    const u = [...u0];
    u[i] = u[i]! + 0.8;
    simplex.push({ u, v: g(u) });
  }
  const blend = (a: number[], b: number[], t: number) => a.map((x, i) => x + t * (b[i]! - x));
  while (evaluations < max) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.v - best.v) <= tol * (Math.abs(best.v) + tol)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]!.u[j]! / n;
    const reflected = blend(centroid, worst.u, -1);
    const rv = g(reflected);
    if (rv < best.v) {
      const expanded = blend(centroid, worst.u, -2);
      const ev = g(expanded);
      simplex[n] = ev < rv ? { u: expanded, v: ev } : { u: reflected, v: rv };
    } else if (rv < simplex[n - 1]!.v) {
      simplex[n] = { u: reflected, v: rv };
    } else {
      const outside = rv < worst.v;
      const contracted = blend(centroid, outside ? reflected : worst.u, 0.5);
      const cv = g(contracted);
      if (cv < (outside ? rv : worst.v)) simplex[n] = { u: contracted, v: cv };
      else {
        simplex = simplex.map((p, i) => {
          if (i === 0) return p;
          const u = blend(best.u, p.u, 0.5);
          return { u, v: g(u) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: back(simplex[0]!.u), value: simplex[0]!.v, evaluations };
}
