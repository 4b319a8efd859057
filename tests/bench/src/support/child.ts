// Servers under test run in child processes of their own (so the load generator in the bench
// process does not share their event loop). A child reports { type: 'ready', url } over IPC once
// it listens, and exits cleanly on the 'stop' message (which also lets --cpu-prof write its file).
import { type ChildProcess, fork } from 'node:child_process';

export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startChildServer(
  script: URL,
  opts: { env?: Record<string, string>; nodeArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<ChildServer> {
  const child: ChildProcess = fork(script, [], {
    env: { ...process.env, ...opts.env },
    execArgv: ['--import', 'tsx', ...(opts.nodeArgs ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script.pathname} did not report ready in time`));
    }, opts.readyTimeoutMs ?? 120_000);
    child.on('message', (m: { type?: string; url?: string; error?: string }) => {
      if (m?.type === 'ready' && m.url) {
        clearTimeout(timer);
        resolve(m.url);
      } else if (m?.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`${script.pathname}: ${m.error}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script.pathname} exited with ${code} before it was ready`));
    });
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** For the child side: report readiness, and stop cleanly when asked or when the parent goes away. */
export function serveAsChild(url: string, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stop().catch(() => {});
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === 'stop') void shutdown();
  });
  process.on('disconnect', () => void shutdown());
  process.send?.({ type: 'ready', url });
}

export function failAsChild(err: unknown): never {
  process.send?.({ type: 'error', error: err instanceof Error ? err.message : String(err) });
  console.error(err);
  process.exit(1);
}
