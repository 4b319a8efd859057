export * from './config.js';
export * from './problems.js';
export * from './schemas.js';

/** A quantity for the API: a decimal string with at most 3 decimals (forecasts are estimates). */
export const qty = (v: number) => String(Math.round(v * 1000) / 1000);
export * from './copies.js';
