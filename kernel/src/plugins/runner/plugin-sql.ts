// The one place plugin SQL reaches the database: the parser guard first (the plugin's own
// functions, created by its migrations, are allowed by name), then the plugin's own role and schema
// inside the tenant's unit of work. Refused SQL dooms the unit of work, so a plugin that catches
// the refusal and carries on still commits nothing; a permission error from Postgres becomes a
// problem that names the plugin.
import type { Json } from '@erp/sdk';
import type { Sql } from '../../tenancy/index.js';
import { pluginRole, pluginSchema } from '../database.js';
import type { LoadedPlugin } from '../loader.js';
import { guardPluginSql, pluginFunctionNames, pluginSqlError } from '../sql/index.js';

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
    return await sql.queryAs<R>(pluginRole(plugin.id), pluginSchema(plugin.id), text, params);
  } catch (err) {
    throw pluginSqlError(plugin.id, err);
  }
}
