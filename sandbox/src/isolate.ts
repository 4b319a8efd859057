// One isolate running one plugin version for one tenant. The host holds the only References (to
// the bootstrap's invoke and deliver functions); the isolate holds two Callbacks, which copy their
// arguments. A capability call names its invocation by a token the host handed out, and is looked
// up among this isolate's own running invocations: a token from elsewhere finds nothing.
import ivm from 'isolated-vm';
import { BOOTSTRAP } from './bootstrap.js';
import { type SandboxFailureReason, SandboxLimitError, SandboxThrown, type ThrownData } from './errors.js';
import type { CallResult, HostCalls, PluginShape, SandboxCall, SandboxLimits } from './types.js';

const WATCHDOG_MS = 20;
const MAX_LOG_LINES = 1_000;
const MAX_LOG_CHARS = 8_192;

interface Active {
  host: HostCalls;
  cpuStart: bigint;
  cpuLimitNs: bigint;
  wallUntil: number;
  inFlight: number;
  logLines: number;
  /** Errors the host raised for this invocation, so a handler that lets one escape gets it back as it was. */
  hostErrors: unknown[];
  fail(err: Error): void;
}

const timedOut = (err: unknown) => /timed out/i.test((err as Error)?.message ?? '');

export class PluginIsolate {
  private readonly active = new Map<number, Active>();
  private seq = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private deadReason: SandboxFailureReason | undefined;
  private retiring = false;
  private invokeRef!: ivm.Reference;
  private deliverRef!: ivm.Reference;

  private constructor(
    private readonly isolate: ivm.Isolate,
    private readonly context: ivm.Context,
    private readonly limits: SandboxLimits,
    private readonly onDead: (reason: SandboxFailureReason) => void,
  ) {}

  /** Creates the isolate, runs the bootstrap and the plugin's bundle, and reads its shape. */
  static async create(
    code: string,
    limits: SandboxLimits,
    onDead: (reason: SandboxFailureReason) => void = () => {},
  ): Promise<{ isolate: PluginIsolate; shape: PluginShape }> {
    const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
    try {
      const context = await isolate.createContext();
      const self = new PluginIsolate(isolate, context, limits, onDead);
      const g = context.global;
      await g.set(
        '__erpHostCall',
        new ivm.Callback(
          (token: unknown, id: unknown, op: unknown, args: unknown) => self.onCall(token, id, op, args),
          {
            ignored: true,
          },
        ),
      );
      await g.set(
        '__erpHostLog',
        new ivm.Callback(
          (token: unknown, level: unknown, message: unknown, data: unknown) =>
            self.onLog(token, level, message, data),
          { ignored: true },
        ),
      );
      await context.eval(BOOTSTRAP, { timeout: limits.cpuMs.hook });
      try {
        await context.eval(code, { timeout: limits.cpuMs.hook });
      } catch (err) {
        throw new SandboxLimitError('load', `its code failed to load: ${(err as Error).message}`);
      }
      const seal = (await g.get('__erpSeal', { reference: true })) as ivm.Reference;
      let shape: PluginShape;
      try {
        const json = await seal.apply(undefined, [], { timeout: limits.cpuMs.hook, result: { copy: true } });
        shape = JSON.parse(json as string);
      } catch (err) {
        throw new SandboxLimitError('load', (err as Error).message);
      } finally {
        seal.release();
      }
      self.invokeRef = (await g.get('__erpInvoke', { reference: true })) as ivm.Reference;
      self.deliverRef = (await g.get('__erpDeliver', { reference: true })) as ivm.Reference;
      for (const name of ['__erpInvoke', '__erpDeliver', '__erpSeal']) await g.delete(name);
      return { isolate: self, shape };
    } catch (err) {
      if (!isolate.isDisposed) isolate.dispose();
      if (err instanceof SandboxLimitError) throw err;
      throw new SandboxLimitError(
        /memory/i.test((err as Error).message) ? 'memory' : 'load',
        (err as Error).message,
      );
    }
  }

  get dead(): boolean {
    return this.deadReason !== undefined || this.isolate.isDisposed;
  }

  get running(): number {
    return this.active.size;
  }

  /** Heap in use (bytes), for the admin view. */
  heapUsed(): number {
    if (this.dead) return 0;
    const h = this.isolate.getHeapStatisticsSync();
    return h.used_heap_size + h.externally_allocated_size;
  }

  async invoke(
    call: SandboxCall,
    host: HostCalls,
    meter: { cpuMs: number } = { cpuMs: 0 },
  ): Promise<CallResult> {
    if (this.dead) throw new SandboxLimitError('disposed', 'the isolate is gone');
    const token = ++this.seq;
    const cpuLimitMs = this.limits.cpuMs[call.kind];
    const cpuStart = this.isolate.cpuTime;
    let active!: Active;
    const done = new Promise<unknown>((resolve, reject) => {
      active = {
        host,
        cpuStart,
        cpuLimitNs: BigInt(cpuLimitMs) * 1_000_000n,
        wallUntil: Date.now() + this.limits.wallMs,
        inFlight: 0,
        logLines: 0,
        hostErrors: [],
        fail: reject,
      };
      this.active.set(token, active);
      this.startWatchdog();
      this.invokeRef
        .apply(
          undefined,
          [
            token,
            call.kind,
            call.entry,
            call.input === undefined ? undefined : JSON.stringify(call.input),
            JSON.stringify(call.context),
            this.limits.maxResultBytes,
          ],
          { arguments: { copy: true }, result: { promise: true, copy: true }, timeout: cpuLimitMs },
        )
        .then(
          (out) => resolve(out),
          (err) => reject(this.classify(err)),
        );
    });
    let out: unknown;
    try {
      out = await done;
    } finally {
      this.active.delete(token);
      meter.cpuMs += this.dead ? cpuLimitMs : Number(this.isolate.cpuTime - cpuStart) / 1e6;
      if (this.retiring && this.active.size === 0) this.dispose();
    }
    // Built by the bootstrap and copied out; read field by field, trusting no shape.
    const r = (out && typeof out === 'object' ? out : {}) as {
      ok?: unknown;
      json?: unknown;
      missing?: unknown;
      tooLarge?: unknown;
      thrown?: Record<string, unknown>;
    };
    const cpuMs = meter.cpuMs;
    if (r.missing === true) return { value: undefined, cpuMs };
    if (typeof r.tooLarge === 'number')
      throw new SandboxLimitError(
        'result',
        `the handler returned ${r.tooLarge} characters of JSON; the limit is ${this.limits.maxResultBytes}`,
      );
    if (r.thrown && typeof r.thrown === 'object') {
      const own = r.thrown.hostError;
      if (typeof own === 'number' && own >= 0 && own < active.hostErrors.length) throw active.hostErrors[own];
      throw new SandboxThrown(thrownFrom(r.thrown));
    }
    if (r.ok !== true || (r.json !== undefined && typeof r.json !== 'string'))
      throw new SandboxLimitError('result', 'the handler returned no result');
    if (typeof r.json === 'string' && r.json.length > this.limits.maxResultBytes)
      throw new SandboxLimitError(
        'result',
        `the handler returned more than ${this.limits.maxResultBytes} characters of JSON`,
      );
    return { value: r.json === undefined ? undefined : JSON.parse(r.json), cpuMs };
  }

  /** Ends the isolate; every call still running in it fails with `reason`. */
  kill(reason: SandboxFailureReason, message: string): void {
    if (this.deadReason) return;
    this.deadReason = reason;
    for (const a of this.active.values()) a.fail(new SandboxLimitError(reason, message));
    this.active.clear();
    this.stopWatchdog();
    try {
      if (!this.isolate.isDisposed) this.isolate.dispose();
    } catch {
      // already gone
    }
    this.onDead(reason);
  }

  dispose(): void {
    this.kill('disposed', 'the plugin version was unloaded');
  }

  /** Disposes the isolate once the calls running in it have finished (evicted from the pool). */
  retire(): void {
    this.retiring = true;
    if (this.active.size === 0) this.dispose();
  }

  private classify(err: unknown): Error {
    if (this.deadReason)
      return new SandboxLimitError(this.deadReason, limitMessage(this.deadReason, this.limits));
    if (this.isolate.isDisposed) {
      const reason = /memory/i.test((err as Error)?.message ?? '') ? 'memory' : 'disposed';
      this.kill(reason, limitMessage(reason, this.limits));
      return new SandboxLimitError(reason, limitMessage(reason, this.limits));
    }
    if (timedOut(err)) {
      // Execution was terminated mid-way: the isolate's state is unknown, so it goes.
      this.kill('cpu', limitMessage('cpu', this.limits));
      return new SandboxLimitError('cpu', limitMessage('cpu', this.limits));
    }
    return new SandboxLimitError('disposed', (err as Error)?.message ?? String(err));
  }

  private onCall(token: unknown, id: unknown, op: unknown, argsJson: unknown): void {
    if (typeof token !== 'number' || typeof id !== 'number') return;
    const a = this.active.get(token);
    if (!a) return; // an invocation that ended, or a token that was never handed out here
    const fail = (err: unknown) => {
      const hostError = a.hostErrors.push(err) - 1;
      const e = err as { message?: string; code?: string; status?: number };
      this.deliver(id, false, {
        message: e?.message ?? String(err),
        code: e?.code,
        status: e?.status,
        hostError,
      });
    };
    if (typeof op !== 'string' || typeof argsJson !== 'string') {
      fail(new TypeError('bad host call'));
      return;
    }
    if (a.inFlight >= this.limits.maxHostCallsInFlight) {
      fail(
        new SandboxLimitError(
          'calls',
          `more than ${this.limits.maxHostCallsInFlight} capability calls in flight`,
        ),
      );
      return;
    }
    let args: unknown[];
    try {
      args = JSON.parse(argsJson);
      if (!Array.isArray(args)) throw new TypeError('arguments must be an array');
    } catch (err) {
      fail(err);
      return;
    }
    a.inFlight++;
    let p: Promise<unknown>;
    try {
      p = a.host.call(op, args);
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(
      (value) => {
        a.inFlight--;
        if (this.active.get(token) !== a) return;
        this.deliver(id, true, value);
      },
      (err) => {
        a.inFlight--;
        if (this.active.get(token) !== a) return;
        fail(err);
      },
    );
  }

  private onLog(token: unknown, level: unknown, message: unknown, data: unknown): void {
    const a =
      typeof token === 'number' && token > 0 ? this.active.get(token) : this.active.values().next().value;
    if (!a || a.logLines++ >= MAX_LOG_LINES) return;
    const lvl = level === 'info' || level === 'warn' || level === 'error' ? level : 'debug';
    let parsed: unknown;
    try {
      parsed = typeof data === 'string' && data.length <= MAX_LOG_CHARS ? JSON.parse(data) : undefined;
    } catch {
      parsed = undefined;
    }
    a.host.log(lvl, String(message).slice(0, MAX_LOG_CHARS), parsed);
  }

  private deliver(id: number, ok: boolean, value: unknown): void {
    if (this.dead) return;
    let payload: string | undefined;
    try {
      payload = value === undefined ? undefined : JSON.stringify(value);
    } catch (err) {
      ok = false;
      payload = JSON.stringify({ message: (err as Error).message });
    }
    // The plugin's continuation runs inside this call: it is bounded like the call itself.
    const budget = Math.max(...[...this.active.values()].map((a) => Number(a.cpuLimitNs / 1_000_000n)), 1);
    // Ignored: no promise back to the host per answer (the watchdog sees a continuation that loops
    // or runs the isolate out of memory).
    try {
      this.deliverRef.applyIgnored(undefined, [id, ok, payload], {
        arguments: { copy: true },
        timeout: budget,
      });
    } catch (err) {
      this.classify(err);
    }
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => this.check(), WATCHDOG_MS);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  /** CPU per call (microtask floods and loops between host answers included) and wall time. */
  private check(): void {
    if (this.active.size === 0) {
      this.stopWatchdog();
      return;
    }
    if (this.isolate.isDisposed) {
      this.kill('memory', limitMessage('memory', this.limits));
      return;
    }
    const now = this.isolate.cpuTime;
    for (const [token, a] of this.active) {
      if (now - a.cpuStart > a.cpuLimitNs) {
        this.kill('cpu', limitMessage('cpu', this.limits));
        return;
      }
      if (Date.now() > a.wallUntil) {
        this.active.delete(token);
        a.fail(new SandboxLimitError('wall', limitMessage('wall', this.limits)));
      }
    }
  }
}

/** The thrown error's fields, as plain strings and numbers whatever the isolate sent. */
function thrownFrom(t: Record<string, unknown>): ThrownData {
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 4096) : undefined);
  const errors = Array.isArray(t.errors)
    ? t.errors.slice(0, 100).map((e) => ({
        field: String((e as { field?: unknown })?.field),
        message: String((e as { message?: unknown })?.message),
      }))
    : undefined;
  return {
    name: text(t.name) ?? 'Error',
    message: text(t.message) ?? '',
    ...(typeof t.status === 'number' ? { status: t.status } : {}),
    ...(text(t.code) !== undefined ? { code: text(t.code) } : {}),
    ...(text(t.title) !== undefined ? { title: text(t.title) } : {}),
    ...(text(t.detail) !== undefined ? { detail: text(t.detail) } : {}),
    ...(errors ? { errors } : {}),
  };
}

function limitMessage(reason: SandboxFailureReason, limits: SandboxLimits): string {
  switch (reason) {
    case 'cpu':
      return 'the call used more CPU time than its limit; the isolate was disposed';
    case 'memory':
      return `the isolate ran out of its ${limits.memoryMb} MB heap and was disposed`;
    case 'wall':
      return `the call did not finish within ${limits.wallMs} ms`;
    default:
      return 'the isolate was disposed during the call';
  }
}
