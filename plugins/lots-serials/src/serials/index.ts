export { readSerial, SERIAL_COLUMNS, serialRoutes } from './routes.js';
