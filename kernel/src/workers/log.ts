// The bus and jobs are built in the composition root before the HTTP app (whose logger they use)
// exists; they log through this reference, which the kernel points at its logger at start.
export interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class LogRef implements Log {
  current: Log = { info() {}, warn() {}, error() {} };
  info(obj: object, msg: string): void {
    this.current.info(obj, msg);
  }
  warn(obj: object, msg: string): void {
    this.current.warn(obj, msg);
  }
  error(obj: object, msg: string): void {
    this.current.error(obj, msg);
  }
}
