// The plugin's UI module: the resource calendar.
import './calendar.js';
