// Why a step waits rather than fails: something it depends on is not costed (or is gone).
/** A step that cannot be costed until another is: it waits, and is retried when things change. */
export class CostingWait extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CostingWait';
  }
}
