export { ensureShellBuilt } from './build.js';
export { SHELL_CSP } from './csp.js';
export { SetupState, setupRoutes, setupToken } from './setup.js';
export { mountShellFiles, ShellFiles } from './static.js';
export { mountUiEvents, UiEventHub } from './ui-events.js';
