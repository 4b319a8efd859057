// The plugin's UI module: <costing-valuation-report>.
import './valuation-report.js';
