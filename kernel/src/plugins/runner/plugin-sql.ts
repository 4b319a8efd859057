// The one place plugin SQL reaches the database: the parser guard first (the plugin's own
// functions, created by its migrations, are allowed by name), then the plugin's own role and schema
// inside the tenant's unit of work. Refused SQL dooms the unit of work, so a plugin that catches
// the refusal and carries on still commits nothing; a permission error from Postgres becomes a
// problem that names the plugin.
//
// Statements are prepared (issue 13) under a key naming the schema they were planned against: the
// plugin's version and migrations, plus an epoch bumped when PostgreSQL finds a prepared statement
// whose result type changed under it (a migration run by another kernel instance while this one
// still serves the previous version). That request fails with a 503 to retry; the next ones
// prepare under new names.
import { createHash } from 'node:crypto';
import type { Json } from '@erp/sdk';
import { Problem } from '../../http/index.js';
import { isStalePreparedStatement, type Sql } from '../../tenancy/index.js';
import { pluginRole, pluginSchema } from '../database.js';
import type { LoadedPlugin } from '../loader.js';
import { guardPluginSql, pluginFunctionNames, pluginSqlError } from '../sql/index.js';

const schemaKeys = new WeakMap<LoadedPlugin, string>();
const epochs = new Map<string, number>();

function prepareKey(plugin: LoadedPlugin): string {
  let key = schemaKeys.get(plugin);
  if (key === undefined) {
    const hash = createHash('sha1');
    hash.update(`${plugin.id}@${plugin.version}`);
    for (const m of plugin.migrations) hash.update(`\u0000${m.name}\u0000${m.checksum}`);
    key = hash.digest('base64url');
    schemaKeys.set(plugin, key);
  }
  return `${key}#${epochs.get(plugin.id) ?? 0}`;
}

export async function runPluginSql<R>(
  sql: Sql,
  plugin: LoadedPlugin,
  text: string,
  params?: readonly Json[],
): Promise<R[]> {
  if (typeof text !== 'string') throw new TypeError('ctx.db.query: sql must be a string');
  try {
    guardPluginSql(plugin.id, text, pluginFunctionNames(plugin.migrations));
  } catch (err) {
    sql.doom(err as Error);
    throw err;
  }
  try {
    return await sql.queryAs<R>(
      pluginRole(plugin.id),
      pluginSchema(plugin.id),
      text,
      params,
      prepareKey(plugin),
    );
  } catch (err) {
    if (isStalePreparedStatement(err)) {
      epochs.set(plugin.id, (epochs.get(plugin.id) ?? 0) + 1);
      throw new Problem(503, 'ERP_PLUGIN_SCHEMA_CHANGED', "Plugin's schema changed", {
        detail: `The tables of plugin ${plugin.id} changed while this request ran; retry it.`,
        retryAfterSeconds: 1,
      });
    }
    throw pluginSqlError(plugin.id, err);
  }
}
