// A token bucket per frame: a plugin element may send bursts (a table loading its rows) but not a
// flood. Past the limit the shell stops listening to that frame and shows an error in its place.
export class MessageBudget {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly burst = 500,
    private readonly perSecond = 250,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
