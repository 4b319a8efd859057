// The plugin's UI module: <lots-serials-trace>.
import './trace.js';
