// Who is calling, as every layer sees it. A leaf: it imports nothing of the kernel, so http, rbac,
// audit and the plugin host can name the principal without depending on how auth verifies it.
export type { Principal } from './principal.js';
