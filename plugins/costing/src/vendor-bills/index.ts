// Vendor bills against receipts.
export { vendorBillRoutes } from './routes.js';
