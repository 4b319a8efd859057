// How a sandboxed call fails. The host decides what the caller sees; these only say what happened.

export type SandboxFailureReason =
  | 'cpu' // CPU time per call exceeded: the isolate was disposed
  | 'memory' // the heap limit was hit: the isolate was disposed
  | 'wall' // the call took too long (awaiting something that never came): abandoned
  | 'result' // the handler returned something too large or not JSON
  | 'load' // the bundle failed to evaluate or export a plugin
  | 'calls' // too many capability calls in flight at once (that call refused, the isolate lives)
  | 'disposed'; // the isolate went away under the call (another call's limit, shutdown)

export class SandboxLimitError extends Error {
  constructor(
    readonly reason: SandboxFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxLimitError';
  }
}

/** What a handler threw, as copied data: never the plugin's own object. */
export interface ThrownData {
  name: string;
  message: string;
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export class SandboxThrown extends Error {
  constructor(readonly thrown: ThrownData) {
    super(thrown.message);
    this.name = 'SandboxThrown';
  }
}
