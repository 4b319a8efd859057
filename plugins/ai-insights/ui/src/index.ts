// The plugin's UI module: <insights-forecast> and <insights-queues>.
import './forecast.js';
import './queues.js';
