// A login role the kernel owns (its app and worker logins, each plugin's migration login): created
// with every power off, or brought back to that. Only the attributes that differ are altered: an
// owner that is not a superuser (a managed database's) may not name the superuser attribute at
// all, not even to keep it off, so `alter role … nosuperuser` on every start would fail there.
import type pg from 'pg';

type Flags = Record<
  'rolsuper' | 'rolbypassrls' | 'rolcreatedb' | 'rolcreaterole' | 'rolcanlogin' | 'rolinherit',
  boolean
>;

export async function ensureLoginRole(
  client: pg.ClientBase,
  login: string,
  password: string | null,
  o: { inherit: boolean },
): Promise<void> {
  const role = client.escapeIdentifier(login);
  const pw = password === null ? '' : ` password ${client.escapeLiteral(password)}`;
  const { rows } = await client.query<Flags>(
    'select rolsuper, rolbypassrls, rolcreatedb, rolcreaterole, rolcanlogin, rolinherit from pg_roles where rolname = $1',
    [login],
  );
  const r = rows[0];
  const inherit = o.inherit ? 'inherit' : 'noinherit';
  if (!r) {
    await client.query(
      `create role ${role} login nosuperuser nobypassrls nocreatedb nocreaterole ${inherit}${pw}`,
    );
    return;
  }
  const fix = [
    r.rolsuper && 'nosuperuser',
    r.rolbypassrls && 'nobypassrls',
    r.rolcreatedb && 'nocreatedb',
    r.rolcreaterole && 'nocreaterole',
    !r.rolcanlogin && 'login',
    r.rolinherit !== o.inherit && inherit,
  ].filter(Boolean);
  if (fix.length || pw) await client.query(`alter role ${role} ${fix.join(' ')}${pw}`);
}
