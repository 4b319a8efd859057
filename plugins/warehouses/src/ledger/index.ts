export { events, publishCancels, publishMoves, publishTransfer } from './events.js';
export { postMoves } from './post.js';
export { resolveSpecs } from './resolve.js';
export { ledgerRoutes, MOVE_COLUMNS, MOVE_FROM } from './routes.js';
export type { MoveKind, MoveSpec, PostedMove } from './types.js';
