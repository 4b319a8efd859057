export { itemEvents } from './events.js';
export { findItem, type ItemRow, itemRoutes } from './items.js';
export { findLocation, type LocationRow, locationRoutes, placeOf } from './locations.js';
