export { subscriptions } from './subscriptions.js';
