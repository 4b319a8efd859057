export { categoryRoutes } from './routes.js';
export { latestClassifier, storeAnswers } from './store.js';
export { trainClassifier } from './train.js';
