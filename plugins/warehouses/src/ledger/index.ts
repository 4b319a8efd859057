export { publishCancels } from './cancel-events.js';
export { publishReconciled, publishRepack, type ReconciledLine } from './document-events.js';
export { events, publishMoves, publishTransfer } from './events.js';
export { postMoves } from './post.js';
export { resolveSpecs } from './resolve.js';
export { ledgerRoutes, MOVE_COLUMNS, MOVE_FROM } from './routes.js';
export type { MoveKind, MoveSpec, PostedMove } from './types.js';
