export { trainableDomains } from './labelled.js';
export { categoryRoutes } from './routes.js';
export { latestClassifier, storeAnswers } from './store.js';
export { type Apply, dismissRoute, suggestCategories } from './suggestions.js';
export { MIN_EXAMPLES, trainClassifier } from './train.js';
