// Helpers of the bus and jobs suites: polling for an outcome, NATS namespaces per test (so suites
// on the shared server never see each other's streams), a private nats-server that a fault test
// may kill, a throwaway Postgres cluster that a fault test may restart, and kernel processes.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/db/embedded.js';
import type { FixtureOptions } from './bus-fixtures.js';
import { TEST_SECRET_KEY } from './harness.js';

export const NATS_URL = process.env.NATS_URL || undefined;

/** Short polls and retries so the suites run in seconds. */
export const FAST_BUS: Record<string, string> = {
  ERP_BUS_POLL_MS: '200',
  ERP_RETRY_BASE_MS: '50',
  ERP_RETRY_MAX_MS: '400',
  ERP_SHUTDOWN_GRACE_SECONDS: '5',
};

export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function natsNamespace(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** Deletes the streams (and with them the consumers) of a test namespace. */
export async function dropNamespace(url: string, namespace: string): Promise<void> {
  const nc = await connect({ servers: url, timeout: 5000 });
  try {
    const jsm = await jetstreamManager(nc);
    for (const s of [`${namespace}_events`, `${namespace}_dead_letters`])
      await jsm.streams.delete(s).catch(() => {});
  } finally {
    await nc.close();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

/** A nats-server of the test's own (own port, own store folder): the shared one is never stopped. */
export class PrivateNats {
  private proc: ChildProcess | undefined;
  readonly storeDir = mkdtempSync(join(tmpdir(), 'erp-test-nats-'));
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateNats> {
    const n = new PrivateNats(await freePort());
    await n.start();
    return n;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn(
      '/usr/sbin/nats-server',
      ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(() => portOpen(this.port), 'private nats-server to listen', 10_000);
  }

  /** Kills the server without a clean shutdown. */
  async kill(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** A Postgres cluster of the test's own, which it may restart. */
export class ThrowawayPostgres {
  private db: EmbeddedDatabase | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'erp-test-pgr-'));
  private constructor(private port: number) {}

  static async start(): Promise<ThrowawayPostgres> {
    const p = new ThrowawayPostgres(await freePort());
    await p.start();
    return p;
  }

  get url(): string {
    return `postgres://postgres:throwaway@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    this.db = await startEmbeddedPostgres({ dataDir: this.dir, port: this.port, password: 'throwaway' });
  }

  async stop(): Promise<void> {
    await this.db?.stop();
    this.db = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const here = dirname(fileURLToPath(import.meta.url));

export interface WorkerProcess {
  proc: ChildProcess;
  request<T = unknown>(message: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** A kernel in a process of its own, with the test plugin installed (see bus-worker.ts). */
export function startWorkerProcess(
  env: Record<string, string>,
  fixture: FixtureOptions,
): Promise<WorkerProcess> {
  return forkKernel('bus-worker.ts', { ...env, ERP_FIXTURE: JSON.stringify(fixture) });
}

/** A kernel in a process of its own, listening on a port of its own (see kernel-process.ts). */
export function startKernelProcess(env: Record<string, string>): Promise<WorkerProcess> {
  return forkKernel('kernel-process.ts', { PORT: '0', HOST: '127.0.0.1', ...env });
}

async function forkKernel(script: string, env: Record<string, string>): Promise<WorkerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-test-worker-'));
  const proc = fork(join(here, script), [], {
    execArgv: ['--no-node-snapshot', '--import', 'tsx'],
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      ERP_SECRET_KEY: TEST_SECRET_KEY,
      ERP_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const pending = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>();
  proc.on('message', (m: { id: number; ok?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.fail(new Error(m.error));
    else p.ok(m.ok);
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  void exited.then(() => {
    for (const p of pending.values()) p.fail(new Error('worker exited'));
    pending.clear();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const request = <T>(message: Record<string, unknown>) =>
    new Promise<T>((ok, fail) => {
      const id = ++seq;
      pending.set(id, { ok: ok as (v: unknown) => void, fail });
      proc.send({ ...message, id });
    });
  await request({ cmd: 'ready' });
  return {
    proc,
    request,
    async stop() {
      if (proc.exitCode !== null) return;
      await request({ cmd: 'stop' }).catch(() => {});
      await exited;
    },
    async kill() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
