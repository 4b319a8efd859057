// Landed costs against receipts.
export { landedCostRoutes } from './routes.js';
