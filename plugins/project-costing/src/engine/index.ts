// The pure libraries of the plugin: earned value (metrics and the time-phased activity table),
// forecast to completion, cost and exchange rates, budgets with change orders, profitability.
// Plain functions over decimal strings and big.js decimals; no I/O.
export * from './activities.js';
export * from './budget.js';
export * from './calendar.js';
export * from './decimal.js';
export * from './errors.js';
export * from './forecast.js';
export * from './metrics.js';
export * from './profitability.js';
export * from './rates.js';
