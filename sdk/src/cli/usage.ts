// What `erp-plugin` and each of its commands print for --help, and the error a bad command line
// raises (exit code 2, naming the command or flag).
import { readFileSync } from 'node:fs';

export const SDK_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

export class UsageError extends Error {}

export const COMMANDS = {
  create: `Usage: erp-plugin create <dir> [--id <id>] [--package <npm name>] [--display-name <text>]
                         [--trust third-party|first-party] [--registry <url>] [--install]

Scaffolds a working plugin in <dir> (new or empty): a route with schemas, a migration, an event,
a subscription, a scheduled job, a web component, tests and a README.

  --id <id>              plugin id: lowercase words joined by dashes (default: the folder's name)
  --package <name>       npm package name (default: erp-plugin-<id>)
  --display-name <text>  name shown in the catalogue (default: from the id)
  --trust <trust>        third-party (default: runs in the sandbox) or first-party (the
                         platform's own plugins, run in-process)
  --registry <url>       the marketplace: writes an .npmrc that takes @erp, @erp-plugin and the
                         package's own scope from it (everything else from your npm registry)
  --install              runs npm install in <dir> afterwards`,
  build: `Usage: erp-plugin build [dir]

Checks the plugin in [dir] (default: the current folder): the manifest, its code against the
manifest (routes, permissions, events) and its migrations, then type-checks (tsc) when a
tsconfig.json is present. With @erp/kernel installed next to the plugin (it comes with
@erp/plugin-testkit) the kernel's own loader runs the checks it makes at install. When the plugin
has ui/vite.config.ts (or .js/.mjs), its browser module is built with vite into the folder
erp.ui.module names.`,
  test: `Usage: erp-plugin test [dir]

Runs the plugin's tests (vitest) in [dir] against a real kernel with a test tenant: embedded
PostgreSQL, or the server at DATABASE_URL. Needs vitest and @erp/plugin-testkit installed.`,
  pack: `Usage: erp-plugin pack [dir]

Builds, then writes <name>-<version>.tgz in [dir] for the marketplace.`,
  publish: `Usage: erp-plugin publish [dir] [--registry <url>] [--key <file>] [--tag <dist-tag>]

Builds, then publishes the plugin in [dir] to the marketplace, signed with your publisher key:
  • the registry: --registry, else the one npm has for the package's scope, else npm's registry
  • login: the token "npm login" saved; if there is none and you are at a terminal, runs
    npm login (a new user name creates the account; the first to publish a scope owns it)
  • the version must be new; your key (erp-plugin keygen) is registered to you on first use
  • pack (npm pack, no scripts), sign (Ed25519 over name, version, tarball integrity and the
    manifest's hash), upload; the registry checks the signature and countersigns

  --key <file>           the private key (default: $ERP_PUBLISHER_KEY, else
                         ~/.config/erp/publisher-key.pem)
  --tag <dist-tag>       default latest`,
  keygen: `Usage: erp-plugin keygen [--key <file>] [--force]

Makes your Ed25519 publisher key pair. The private key is written to <file> (default:
$ERP_PUBLISHER_KEY, else ~/.config/erp/publisher-key.pem) with mode 0600 and never printed; the
key id and public key are printed. erp-plugin publish registers it with the registry on first use.

  --force                replace an existing key file`,
  key: `Usage: erp-plugin key register [--expires <date>] [--key <file>] [--registry <url>]
       erp-plugin key list [--owner <user>] [--registry <url>]
       erp-plugin key expire [keyid] [--at <date>] [--registry <url>]
       erp-plugin key revoke [keyid] [--reason <text>] [--registry <url>]

Your publisher keys in the registry's key register, with your npm login. keyid defaults to your
key file's. A revoked key's releases are flagged to every tenant, never silently trusted; an
expired key signs nothing new. The registry is --registry, else the one npm has for the scope of
the plugin in the current folder, else npm's registry.`,
} as const;

export type Command = keyof typeof COMMANDS;

export const HELP = `erp-plugin ${SDK_VERSION} — write, test and package ERP plugins

Usage:
  erp-plugin create <dir> [--id <id>] [--package <npm name>] [--display-name <text>]
                         scaffold a working plugin (route, migration, event, subscription, job,
                         web component, tests, README)
  erp-plugin build [dir] check the manifest, the code against it and the migrations; type-check
  erp-plugin test [dir]  run the plugin's tests against a real kernel with a test tenant
  erp-plugin pack [dir]  build, then write <name>-<version>.tgz for the marketplace
  erp-plugin publish [dir]
                         build, pack, sign and publish to the marketplace (logs in with npm
                         login when needed, registers your key on first use)
  erp-plugin keygen      make your Ed25519 publisher key (private key 0600, never printed)
  erp-plugin key register|list|expire|revoke
                         your keys in the registry's key register

Options:
  -h, --help             this text (or a command's: erp-plugin <command> --help)
  -v, --version          the SDK's version`;
