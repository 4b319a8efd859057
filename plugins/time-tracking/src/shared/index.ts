export * from './decimal.js';
export * from './problems.js';
export * from './schemas.js';
export * from './settings.js';
