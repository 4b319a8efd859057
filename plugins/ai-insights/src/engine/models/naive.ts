// The baselines every other model must beat: the last value (naive) and the value one season ago
// (seasonal naive).
import type { Model } from './types.js';

export const naive: Model = {
  name: 'naive',
  minLength: () => 1,
  applies: () => true,
  fit: () => ({}),
  run: (y) => ({ forecastAt: (t, h) => new Array<number>(h).fill(y[t - 1] ?? 0) }),
};

export const seasonalNaive: Model = {
  name: 'seasonal-naive',
  minLength: (m) => m,
  applies: (_y, m) => m > 1,
  fit: () => ({}),
  run: (y, m) => ({
    forecastAt: (t, h) => Array.from({ length: h }, (_, j) => y[t - m + (j % m)] ?? 0),
  }),
};
