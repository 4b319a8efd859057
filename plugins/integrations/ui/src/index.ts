// The plugin's UI module: webhooks with their delivery log, imports, exports and OAuth apps.
import './webhooks.js';
import './imports.js';
import './exports.js';
import './oauth-apps.js';
