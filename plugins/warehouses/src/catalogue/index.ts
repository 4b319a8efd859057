export { findItem, type ItemRow, itemRoutes } from './items.js';
export { findLocation, type LocationRow, locationRoutes } from './locations.js';
