// What `erp --help` and `erp <command> --help` print, and the error a bad command line raises
// (exit code 2, naming the command or flag).
import { AUDIT_HELP } from '../audit/help.js';
import { KERNEL_VERSION } from '../version.js';

export class UsageError extends Error {}

const ENVIRONMENT = `Environment: PORT, HOST, ERP_DATA_DIR, DATABASE_URL, NATS_URL, REGISTRY_URL,
ERP_REGISTRY_PORT, ERP_SECRET_KEY, LOG_LEVEL …
(see kernel/README.md for all of them)`;

export const HELP = `erp ${KERNEL_VERSION} — ERP kernel

Usage:
  erp start                       start the kernel (embedded Postgres unless DATABASE_URL is set)
                                  and the marketplace registry (unless REGISTRY_URL is set)
  erp migrate                     apply database migrations and exit
  erp tenant create --slug S --name N --admin-email E [--admin-password P]
                                  create a tenant and its first administrator
                                  (password from --admin-password, ERP_ADMIN_PASSWORD, or generated)
  erp tenant grant-admin --tenant S --email E
                                  break-glass: give that user the Administrator role, re-enable
                                  the account and clear its lockout (audited as the operator)
${AUDIT_HELP}
  erp backup <folder>             the database (pg_dump), ERP_DATA_DIR's files and the audit
                                  checkpoints into a new folder, with a manifest of digests
  erp restore <folder>            into an empty database (DATABASE_URL) and ERP_DATA_DIR; checks the
                                  manifest, recreates missing roles, migrates forward, then
                                  verifies every tenant's audit chain (exit 1 if one fails)
  erp secrets rotate              add a new master key to ERP_DATA_DIR/secrets.json and re-seal every
                                  sealed value (TOTP seeds) under it; restart the instances afterwards
  erp help [command]              this text, or a command's

Options:
  -h, --help                      help (also after any command: erp tenant create --help)
  -v, --version                   the kernel's version

${ENVIRONMENT}`;

const TENANT_CREATE = `Usage: erp tenant create --slug S --name N --admin-email E [--admin-password P]

Creates a tenant and its first administrator. The password comes from --admin-password, else
ERP_ADMIN_PASSWORD, else one is generated and shown once.

  --slug S              the tenant's short name (used to log in)
  --name N              its display name
  --admin-email E       the administrator's e-mail address
  --admin-password P    the administrator's password`;

/** Help by command words ("tenant create"); a group's help lists its commands. */
export const COMMAND_HELP: Record<string, string> = {
  start: `Usage: erp start

Starts the kernel: HTTP API, events, jobs and plugins. Uses embedded PostgreSQL in ERP_DATA_DIR
unless DATABASE_URL is set. Logs are human-readable on a terminal and JSON lines otherwise.

${ENVIRONMENT}`,
  backup: `Usage: erp backup <folder>

Writes a backup into <folder> (new or empty): database/ (pg_dump, directory format, one snapshot),
data/ (ERP_DATA_DIR without the embedded database: secrets, audit key, registry storage, plugin
store), checkpoints/ (when ERP_AUDIT_CHECKPOINT_DIR is elsewhere) and manifest.json, written last.
pg_dump of the server's major version or newer comes from ERP_PG_BIN, PATH or the usual folders.
The backup holds the master keys: keep it as secret as they are.

${ENVIRONMENT}`,
  restore: `Usage: erp restore <folder>

Restores a backup into an empty database (DATABASE_URL) and an empty ERP_DATA_DIR, and exits 1
unless every tenant's audit chain verifies against the restored checkpoints and key.

${ENVIRONMENT}`,
  migrate: `Usage: erp migrate

Applies the kernel's database migrations and exits.

${ENVIRONMENT}`,
  tenant: `Usage: erp tenant <command>

Commands:
  erp tenant create --slug S --name N --admin-email E [--admin-password P]
  erp tenant grant-admin --tenant S --email E`,
  'tenant create': TENANT_CREATE,
  'tenant grant-admin': `Usage: erp tenant grant-admin --tenant S --email E

Break-glass for the server operator: gives that user of tenant S the built-in Administrator role,
re-enables the account and forgets its failed sign-ins (the credential throttle's counts, from
every address), in one transaction. Recorded in the
tenant's audit log as iam.break-glass.grant-admin by system/operator.

  --tenant S            the tenant's slug
  --email E             the user's e-mail address`,
  secrets: `Usage: erp secrets <command>

Commands:
  erp secrets rotate`,
  'secrets rotate': `Usage: erp secrets rotate

Adds a new master key to ERP_DATA_DIR/secrets.json and re-seals every sealed value (TOTP seeds)
under it, tenant by tenant. Older keys stay readable. Restart every instance afterwards so it signs
and seals with the new key; access tokens signed with the old key are refused after the restart
and clients renew them with their refresh tokens.

${ENVIRONMENT}`,
  audit: `Usage: erp audit <command>

Commands:
${AUDIT_HELP}`,
  'audit verify': `Usage:\n${AUDIT_HELP}`,
  'audit export': `Usage:\n${AUDIT_HELP}`,
};

/** The leading words of a command line, up to its first flag. */
function words(argv: string[]): string[] {
  const end = argv.findIndex((a) => a.startsWith('-'));
  return end < 0 ? argv : argv.slice(0, end);
}

/** The help text for a command line, or a UsageError naming a command that does not exist. */
export function helpFor(argv: string[]): string {
  const [first, second] = words(argv);
  if (first === undefined) return HELP;
  if (second !== undefined && COMMAND_HELP[`${first} ${second}`]) return COMMAND_HELP[`${first} ${second}`]!;
  const text = COMMAND_HELP[first];
  if (!text) throw new UsageError(`unknown command ${JSON.stringify(first)}; run "erp --help"`);
  if (second !== undefined && COMMAND_HELP[`${first} ${second}`] === undefined && text.includes('<command>'))
    throw new UsageError(`unknown ${first} command ${JSON.stringify(second)}; run "erp ${first} --help"`);
  return text;
}

/** What a command line asks of the usage layer: help, the version, or nothing (run the command). */
export function usageRequest(argv: string[]): 'help' | 'version' | undefined {
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) return 'help';
  if (flags.includes('--version') || flags.includes('-v')) return 'version';
  return undefined;
}
