// A background loop: runs a step again at once while it finds work, waits for a wake-up or the
// poll interval when it does not, and backs off on errors (a database or NATS outage) instead of
// spinning. stop() lets the current step finish.
export type StepResult = 'more' | 'idle';

type Log = { warn(obj: object, msg: string): void };

export class Loop {
  private running = false;
  private current: Promise<void> | undefined;
  private wakeNow: (() => void) | undefined;
  /** A poke that came while a step ran: the loop goes round again instead of waiting. */
  private poked = false;

  constructor(
    private readonly name: string,
    private readonly step: () => Promise<StepResult>,
    private readonly idle: (ms: number) => Promise<void>,
    private readonly pollMs: number,
    private readonly log: Log,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.current = this.run();
  }

  /** Ends a wait early (new local work). */
  poke(): void {
    this.poked = true;
    this.wakeNow?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let result: StepResult = 'idle';
      this.poked = false;
      try {
        result = await this.step();
        failures = 0;
      } catch (err) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          this.log.warn({ err: (err as Error)?.message, failures }, `${this.name} failed; retrying`);
        }
      }
      if (!this.running) break;
      if ((result === 'more' || this.poked) && failures === 0) continue;
      const ms = failures ? Math.min(5000, 100 * 2 ** Math.min(failures, 6)) : this.pollMs;
      await new Promise<void>((resolve) => {
        this.wakeNow = resolve;
        this.idle(ms).then(resolve, resolve);
      });
      this.wakeNow = undefined;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeNow?.();
    await this.current;
  }
}

/** Counts work in flight and lets shutdown wait for it. */
export class InFlight {
  private count = 0;
  private drained: Array<() => void> = [];

  get size(): number {
    return this.count;
  }

  /**
   * How many items a claiming loop may take now, out of `concurrency` slots: none while all are
   * busy, nor while work runs and fewer than a quarter are free. Claiming in batches, because one
   * claiming transaction per finished item would double the commits.
   */
  claimable(concurrency: number): number {
    const free = concurrency - this.count;
    if (free <= 0) return 0;
    if (this.count > 0 && free < Math.ceil(concurrency / 4)) return 0;
    return free;
  }

  /** Runs each claimed item in the background, tracked; `after` runs as each one ends. */
  spawn<R>(items: readonly R[], run: (item: R) => Promise<void>, after: () => void): void {
    for (const item of items) void this.track(run(item)).finally(after);
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.count++;
    return work.finally(() => {
      this.count--;
      if (this.count === 0) for (const fn of this.drained.splice(0)) fn();
    });
  }

  /** Resolves when nothing is in flight, or after ms (returns false then). */
  async drain(ms: number): Promise<boolean> {
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<boolean>((r) => this.drained.push(() => r(true))),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), ms);
      }),
    ]);
    clearTimeout(timer);
    return done;
  }
}
