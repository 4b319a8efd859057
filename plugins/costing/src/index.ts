// @erp-plugin/costing. For now the package holds the costing engine; the plugin (routes, event
// subscriptions, migrations, UI) is built on it once the plugin host exists.
export * from './engine/index.js';
