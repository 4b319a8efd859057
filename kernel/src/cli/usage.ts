// What `erp --help` and `erp <command> --help` print, and the error a bad command line raises
// (exit code 2, naming the command or flag).
import { AUDIT_HELP } from '../audit/help.js';
import { KERNEL_VERSION } from '../version.js';

export class UsageError extends Error {}

const ENVIRONMENT = `Environment: PORT, HOST, ERP_DATA_DIR, DATABASE_URL, NATS_URL, REGISTRY_URL, ERP_SECRET_KEY, LOG_LEVEL …
(see kernel/README.md for all of them)`;

export const HELP = `erp ${KERNEL_VERSION} — ERP kernel

Usage:
  erp start                       start the kernel (embedded Postgres unless DATABASE_URL is set)
  erp migrate                     apply database migrations and exit
  erp tenant create --slug S --name N --admin-email E [--admin-password P]
                                  create a tenant and its first administrator
                                  (password from --admin-password, ERP_ADMIN_PASSWORD, or generated)
${AUDIT_HELP}
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
  migrate: `Usage: erp migrate

Applies the kernel's database migrations and exits.

${ENVIRONMENT}`,
  tenant: `Usage: erp tenant <command>

Commands:
  erp tenant create --slug S --name N --admin-email E [--admin-password P]`,
  'tenant create': TENANT_CREATE,
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
