// The plugin's UI module: <project-costing-dashboard>.
import './dashboard.js';
