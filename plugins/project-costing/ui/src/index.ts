// The plugin's UI module: <project-costing-dashboard> and <project-costing-setup> with its forms.
import './dashboard.js';
import './setup/index.js';
