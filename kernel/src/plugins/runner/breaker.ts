// Failure isolation while handling: a plugin version whose handlers keep failing unexpectedly is
// quarantined on this instance for a cool-down, answering 503 instead of burning resources, and
// reported in the admin listing. Other plugins and the kernel are unaffected.
const WINDOW_MS = 60_000;
const THRESHOLD = 20;
const COOL_DOWN_MS = 60_000;

interface State {
  failures: number[];
  openUntil: number;
  lastError: string;
}

export class PluginBreaker {
  private readonly states = new Map<string, State>();

  failed(key: string, error: string): void {
    const now = Date.now();
    const s = this.states.get(key) ?? { failures: [], openUntil: 0, lastError: '' };
    s.failures = s.failures.filter((t) => now - t < WINDOW_MS);
    s.failures.push(now);
    s.lastError = error;
    if (s.failures.length >= THRESHOLD) {
      s.openUntil = now + COOL_DOWN_MS;
      s.failures = [];
    }
    this.states.set(key, s);
  }

  /** The reason it is quarantined, or null when it may serve. */
  quarantined(key: string): string | null {
    const s = this.states.get(key);
    if (!s || s.openUntil <= Date.now()) return null;
    return `quarantined after ${THRESHOLD} failures within ${WINDOW_MS / 1000} s; last: ${s.lastError}`;
  }
}
