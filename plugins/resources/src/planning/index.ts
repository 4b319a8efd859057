export * from './capacity.js';
export * from './dates.js';
export * from './load.js';
export * from './utilization.js';
