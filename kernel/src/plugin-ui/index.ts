// Third-party plugin UIs in an isolated realm (issue 19): the sandboxed frame's document and CSP,
// and the scoped, short-lived tokens the shell calls the plugin's routes with on the frame's behalf.
export { PluginUiAuth } from './authenticate.js';
export { type FrameTemplate, frameCsp, frameRoutes } from './frame.js';
export { type UiKernelRoutes, uiKernelRoutes } from './kernel-routes.js';
export { pluginTokenRoutes } from './routes.js';
export {
  PLUGIN_UI_TOKEN_MAX_TTL,
  PLUGIN_UI_TOKEN_PREFIX,
  type PluginUiClaims,
  PluginUiTokens,
} from './tokens.js';
