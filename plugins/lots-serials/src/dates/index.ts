export { announceLotDates, LotDated } from './event.js';
export { flagRoutes } from './flags.js';
