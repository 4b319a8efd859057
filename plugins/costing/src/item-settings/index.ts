// An item's effective costing settings (its own, or the tenant's defaults).
export { type ItemSettings, itemSettings, tenantDefaults } from './store.js';
