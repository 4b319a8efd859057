// @erp/sdk: everything a plugin author imports.
export * from './imports/index.js';
export * from './manifest/index.js';
export * from './plugin/index.js';
