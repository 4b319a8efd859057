// The shell's entry: the theme and the root element; every page after sign-in is loaded on demand.
import './theme.css';
import './app/erp-app.js';
