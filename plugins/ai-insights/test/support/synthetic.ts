// Seeded synthetic demand: the tests and the benchmark know the truth they forecast.

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a uniform source. */
export function normal(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export interface SeasonalSpec {
  n: number;
  m: number;
  level: number;
  trend: number;
  amplitude: number;
  noise: number;
  multiplicative?: boolean;
}

export function seasonal(seed: number, s: SeasonalSpec): number[] {
  const z = normal(rng(seed));
  const phase = rng(seed + 7)() * 2 * Math.PI;
  return Array.from({ length: s.n }, (_, t) => {
    const base = s.level + s.trend * t;
    const season = Math.sin((2 * Math.PI * t) / s.m + phase);
    const v = s.multiplicative ? base * (1 + (s.amplitude / s.level) * season) : base + s.amplitude * season;
    return Math.max(0, v + s.noise * z());
  });
}

/** Demand in a period with probability p, of size around `size` (≥ 1). */
export function intermittent(seed: number, n: number, p: number, size: number): number[] {
  const u = rng(seed);
  const z = normal(rng(seed + 1));
  return Array.from({ length: n }, () => (u() < p ? Math.max(1, Math.round(size + 0.3 * size * z())) : 0));
}
