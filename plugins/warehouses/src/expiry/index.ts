export { lotDateSubscriptions } from './dates.js';
export { type ExpiredLine, expiredLines, refuseExpired, warningsOf } from './guard.js';
