// What `erp-plugin` and each of its commands print for --help, and the error a bad command line
// raises (exit code 2, naming the command or flag).
import { readFileSync } from 'node:fs';

export const SDK_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

export class UsageError extends Error {}

export const COMMANDS = {
  create: `Usage: erp-plugin create <dir> [--id <id>] [--package <npm name>] [--display-name <text>]
                         [--trust third-party|first-party]

Scaffolds a working plugin in <dir> (new or empty): a route with schemas, a migration, an event,
a subscription, a scheduled job, a web component, tests and a README.

  --id <id>              plugin id: lowercase words joined by dashes (default: the folder's name)
  --package <name>       npm package name (default: erp-plugin-<id>)
  --display-name <text>  name shown in the catalogue (default: from the id)
  --trust <trust>        third-party (default: runs in the sandbox) or first-party (the
                         platform's own plugins, run in-process)`,
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

Options:
  -h, --help             this text (or a command's: erp-plugin <command> --help)
  -v, --version          the SDK's version`;
