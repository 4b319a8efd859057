// A 3-node NATS JetStream cluster of the test's own (replica-kill.test.ts): three nats-server
// processes on free ports, routed to each other, each with its own store folder. Started only when
// the nats-server binary exists; stopped by its own process ids, never by name.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, RetentionPolicy, StorageType, type StreamInfo } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { freePort, waitFor } from './bus-env.js';

/** The nats-server binary, or undefined when the machine has none. */
export function natsServerBinary(): string | undefined {
  if (existsSync('/usr/sbin/nats-server')) return '/usr/sbin/nats-server';
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

export class NatsCluster {
  private readonly procs: ChildProcess[] = [];
  private readonly dirs: string[] = [];
  private constructor(readonly ports: number[]) {}

  /** Comma-separated client URLs of all three nodes, as NATS_URL takes them. */
  get url(): string {
    return this.ports.map((p) => `nats://127.0.0.1:${p}`).join(',');
  }

  static async start(binary: string): Promise<NatsCluster> {
    const ports = [];
    const routePorts = [];
    for (let i = 0; i < 3; i++) {
      ports.push(await freePort());
      routePorts.push(await freePort());
    }
    const c = new NatsCluster(ports);
    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(join(tmpdir(), `erp-test-natsc-n${i + 1}-`));
      c.dirs.push(dir);
      const routes = routePorts.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`);
      // biome-ignore format: one flag and its value a line
      const args = [
        '-a', '127.0.0.1', '-p', String(ports[i]), '-js', '-sd', dir,
        '--server_name', `n${i + 1}`, '--cluster_name', 'erp-test',
        '--cluster', `nats://127.0.0.1:${routePorts[i]}`, '--routes', routes.join(','),
      ];
      c.procs.push(spawn(binary, args, { stdio: 'ignore' }));
    }
    return c;
  }

  /**
   * Creates the namespace's streams with three replicas (the kernel leaves existing streams as an
   * operator made them and has no replicas setting of its own). Succeeds only once JetStream has a
   * meta leader and all three peers: until then the creation is refused and retried.
   */
  async createStreams(namespace: string): Promise<{ leader: string; replicas: number }> {
    return waitFor(
      async () => {
        const nc = await connect({ servers: this.url.split(','), timeout: 2_000 });
        try {
          const jsm = await jetstreamManager(nc, { timeout: 5_000 });
          let info: StreamInfo | undefined;
          for (const [name, subjects] of [
            [`${namespace}_events`, [`${namespace}.>`]],
            [`${namespace}_dead_letters`, [`${namespace}-dlq.>`]],
          ] as const) {
            info = await jsm.streams.add({
              name,
              subjects: [...subjects],
              storage: StorageType.File,
              retention: RetentionPolicy.Limits,
              duplicate_window: nanos(10 * 60_000),
              num_replicas: 3,
            });
          }
          const cluster = info?.cluster;
          if (!cluster?.leader || (cluster.replicas?.length ?? 0) !== 2) return undefined;
          return { leader: cluster.leader, replicas: 1 + cluster.replicas!.length };
        } finally {
          await nc.close();
        }
      },
      'the NATS cluster to elect a JetStream meta leader and take R3 streams',
      30_000,
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      this.procs.map((p) => {
        if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGKILL');
        return exited;
      }),
    );
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
