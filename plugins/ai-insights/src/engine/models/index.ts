export { croston, sba } from './croston.js';
export { holtWintersAdditive, holtWintersMultiplicative, holtWintersSse } from './holt-winters.js';
export { naive, seasonalNaive } from './naive.js';
export { ses } from './ses.js';
export type { Model, ModelName, ModelRun } from './types.js';
