// The one place plugin SQL reaches the database: the guard first, then the plugin's own role and
// schema inside the tenant's unit of work. The guard's needs may change (a parser loaded at
// start); only this function calls it.
import type { Json } from '@erp/sdk';
import type { Sql } from '../../tenancy/index.js';
import { pluginRole, pluginSchema } from '../database.js';
import { guardPluginSql } from '../sql-guard.js';

export function runPluginSql<R>(
  sql: Sql,
  pluginId: string,
  text: string,
  params?: readonly Json[],
): Promise<R[]> {
  if (typeof text !== 'string') throw new TypeError('ctx.db.query: sql must be a string');
  guardPluginSql(pluginId, text);
  return sql.queryAs<R>(pluginRole(pluginId), pluginSchema(pluginId), text, params);
}
