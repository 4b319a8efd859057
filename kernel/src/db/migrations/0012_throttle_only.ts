// The credential throttle (erp.auth_throttle, kernel/src/auth/throttle.ts) is the only record of
// failed sign-ins: the account-lock columns of 0001 have had no reader since 0007 and go. The
// throttle's per-source rows of an account now share a prefix (`acs:<account hash>.`), found by a
// range on the key in byte order: an index in the "C" collation serves it whatever the database's
// collation. Per-source rows in the old layout are dropped (they only held back an address for the
// rest of a 15-minute window, and an administrator's unlock could not reach them).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table erp.users drop column failed_logins, drop column locked_until;
    create index auth_throttle_key_bytes on erp.auth_throttle (key collate "C");
    delete from erp.auth_throttle where key like 'acs:%' and position('.' in key) = 0;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index if exists erp.auth_throttle_key_bytes;
    alter table erp.users add column failed_logins integer not null default 0,
                          add column locked_until timestamptz;
  `);
}
