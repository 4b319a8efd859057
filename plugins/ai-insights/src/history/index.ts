export { demandOf, onHandOf, seriesKeys } from './read.js';
export { subscriptions } from './subscriptions.js';
