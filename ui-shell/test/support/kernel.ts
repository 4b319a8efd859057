// A real kernel for the browser suite, listening on a port: a fresh data folder, and either the
// embedded PostgreSQL in it (DATABASE_URL empty) or a fresh database on the server at
// DATABASE_URL, dropped afterwards. The catalogue is the repository's plugins plus a test plugin
// with two versions (1.0.0 without pages, 1.1.0 with one), to watch navigation follow an upgrade
// and a rollback.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, setupToken, startKernel } from '@erp/kernel';
import { scaffoldFiles } from '@erp/sdk/scaffold';
import pg from 'pg';

/** The kernel suites' key: Postgres roles are cluster-wide, so every kernel of a run must agree. */
const SECRET_KEY = 'test-secret-key-shared-by-the-whole-run-0001';
const here = dirname(fileURLToPath(import.meta.url));
export const SHELL_DIST = join(here, '..', '..', 'dist');
const REPO_PLUGINS = join(here, '..', '..', '..', 'plugins');

function writeNotesPlugin(root: string, version: string, withUi: boolean): void {
  writeScaffoldPlugin(root, { id: 'shelf-notes', displayName: 'Shelf notes', version, withUi });
}

/** The SDK scaffold's plugin under <root>/<id>/<version>, its element built with vite when withUi. */
export function writeScaffoldPlugin(
  root: string,
  o: {
    id: string;
    displayName: string;
    version: string;
    withUi: boolean;
    trust?: 'first-party' | 'third-party';
    /** Edits package.json after the scaffold wrote it. */
    pkg?: (pkg: { erp: Record<string, unknown> }) => void;
    /** Files copied over the scaffold's (relative path → content); a replaced element is not built. */
    files?: Record<string, string | Buffer>;
  },
): string {
  const { id, version, withUi } = o;
  const dir = join(root, id, version);
  const files = scaffoldFiles({
    id,
    packageName: `@test/${id}`,
    displayName: o.displayName,
    version,
    kernelRange: '^0.1.0',
    sdkRange: 'workspace:^',
    trust: o.trust ?? 'first-party',
  });
  for (const [rel, content] of Object.entries(files)) {
    if ((!withUi && rel.startsWith('ui/')) || rel.startsWith('test/')) continue; // its own tests are not ours to run
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  const pkgFile = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (!withUi) delete pkg.erp.ui;
  o.pkg?.(pkg);
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  for (const [rel, content] of Object.entries(o.files ?? {})) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  // The scaffold's element is lit TypeScript that `erp-plugin build` bundles with vite into ui/dist;
  // built here the same way (lit and vite resolve from this package's node_modules).
  if (withUi && !o.files) {
    const vite = join(here, '..', '..', 'node_modules', '.bin', 'vite');
    const r = spawnSync(
      vite,
      ['build', '--config', join(dir, 'ui', 'vite.config.ts'), '--configLoader', 'runner'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`building the test plugin's element failed:\n${r.stderr}${r.stdout}`);
  }
  return dir;
}

export interface ShellKernel {
  url: string;
  /** The kernel's data folder (mail is written to mail/ there: no SMTP relay in tests). */
  dataDir: string;
  setupToken: string;
  close(): Promise<void>;
}

export async function startShellKernel(
  opts: {
    registryUrl?: string;
    /** More plugin folders (the isolation suite's). */
    pluginRoots?: string[];
  } = {},
): Promise<ShellKernel> {
  // Under the package (not /tmp), so plugin code — the test plugin, and plugins the marketplace
  // installs into the data folder's plugin store — resolves @erp/sdk as it does in a real package
  // (under vitest, plugin modules are imported through vitest's resolver, not the kernel's hook).
  const generated = join(here, '..', '.generated');
  mkdirSync(generated, { recursive: true });
  const dataDir = mkdtempSync(join(generated, 'data-'));
  const plugins = join(generated, randomBytes(6).toString('hex'));
  writeNotesPlugin(plugins, '1.0.0', false);
  writeNotesPlugin(plugins, '1.1.0', true);
  let databaseUrl = '';
  const server = process.env.DATABASE_URL;
  if (server) {
    const name = `erp_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  }
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ERP_SECRET_KEY: SECRET_KEY,
    ERP_DATA_DIR: dataDir,
    ERP_PLUGIN_PATH: [REPO_PLUGINS, plugins, ...(opts.pluginRoots ?? [])].join(':'),
    ERP_SHELL_DIR: SHELL_DIST,
    ERP_AUDIT_SEAL_INTERVAL_MS: '100',
    DATABASE_URL: databaseUrl,
    ...(opts.registryUrl ? { REGISTRY_URL: opts.registryUrl } : {}),
  });
  const kernel = await startKernel(config, { listen: true });
  return {
    url: kernel.url,
    dataDir,
    setupToken: setupToken(kernel.container.cradle.secrets),
    async close() {
      await kernel.stop();
      if (server && databaseUrl) {
        const admin = new pg.Client({ connectionString: server });
        await admin.connect();
        await admin.query(`drop database if exists ${new URL(databaseUrl).pathname.slice(1)} with (force)`);
        await admin.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(plugins, { recursive: true, force: true });
    },
  };
}
