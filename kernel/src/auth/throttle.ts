// Throttling of every credential check (sign-in, step-up passwords and codes, refresh tokens, API
// keys), shared by all instances through erp.auth_throttle (rate-limiter-flexible's Postgres store).
//
// Policy, instead of an account lock anyone could trigger:
// - per source address: at most `sourceFailuresPerMinute` failed checks a minute, whatever account;
// - per account AND source: at most `accountSourceFailures` failed checks per window; another
//   source is not affected, so an attacker cannot lock the owner out from the owner's address;
// - per account from every source: at most `accountFailures` failed checks per window, which slows
//   a guesser spread over many addresses; once it is used up, only a source the account has
//   signed in from before (a session created from that address in the last 90 days) may still try.
// Accounts are keyed by tenant and email, known or not, so an unknown account is throttled exactly
// like a real one. Each attempt takes its points before the check (concurrent guesses cannot slip
// past the limit) and gives them back when the credential was right. Keys are hashed: the table
// holds no email or address.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { Problem } from '../http/problem.js';
import type { Sql } from '../tenancy/index.js';

export interface ThrottleSettings {
  sourceFailuresPerMinute: number;
  accountSourceFailures: number;
  accountFailures: number;
  windowSeconds: number;
}

export interface AttemptKey {
  /** The client address (request.ip, which honours only trusted proxies). */
  source: string;
  /** Tenant and email of the account being tried (see accountKey). */
  account?: string;
  /** Asked only when the account-wide limit is used up: may this source still try? */
  knownSource?: () => Promise<boolean>;
}

/** The outcome of one counted attempt; call exactly one of these. */
export interface Attempt {
  /** The credential was right: the points are given back and the account+source count cleared. */
  succeeded(): Promise<void>;
  /** Not a failure (e.g. right password, second factor still to come): the points are given back. */
  neutral(): Promise<void>;
}

export const THROTTLED_CODE = 'ERP_AUTH_THROTTLED';
export const RESET_MAILS_PER_HOUR = 3;

export function throttled(msBeforeNext: number): Problem {
  return new Problem(429, THROTTLED_CODE, 'Too many attempts', {
    detail: 'Too many failed attempts; wait before trying again.',
    retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)),
  });
}

/** The throttle key of an account: tenant (id or, when unknown, slug) and lower-cased email. */
export function accountKey(tenant: string, email: string): string {
  return `${tenant}\u0000${email.toLowerCase()}`;
}

/** Whether the user has signed in from this address before (a session from it in 90 days). */
export async function signedInFrom(sql: Sql, userId: string, ip: string): Promise<boolean> {
  const row = await sql.one(
    `select 1 as known from erp.sessions
      where tenant_id = $1 and user_id = $2 and ip = $3 and created_at > now() - interval '90 days' limit 1`,
    [sql.tenantId, userId, ip],
  );
  return row !== undefined;
}

const hashKey = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url');

// An account's rows: `acc:<h>` (every source) and `acs:<h>.<hash of account and source>` (one per
// source), h = hashKey(account). The per-source rows share the account's prefix so that an
// administrator's unlock can clear them without knowing the sources, and so that the user view can
// tell whether any source is held back; '/' is the byte after '.', which bounds the prefix range.
const accountRowKey = (h: string) => `acc:${h}`;
const pairRange = (h: string) => ({ from: `acs:${h}.`, to: `acs:${h}/` });

/** A connection or unit of work to run the throttle's own statements on. */
export interface ThrottleDb {
  /** Runs one statement and answers its rows. */
  query(text: string, params?: readonly unknown[]): Promise<unknown[]>;
}

/**
 * Forgets every count of an account (all sources) and answers how many rows went; in the caller's
 * transaction, so an unlock, a password reset or break-glass clears it together with its audit entry.
 */
export async function clearAccountThrottle(db: ThrottleDb, account: string): Promise<number> {
  const h = hashKey(account);
  const { from, to } = pairRange(h);
  const rows = await db.query(
    `delete from erp.auth_throttle where key = $1 or (key collate "C" >= $2 and key collate "C" < $3)
     returning key`,
    [accountRowKey(h), from, to],
  );
  return rows.length;
}

/**
 * A SQL boolean: sign-ins to the account (tenant id and email columns given) are being refused
 * from at least one address right now — its account-wide count or a per-source count used up. The
 * hash is hashKey(accountKey(tenant, email)) computed by Postgres (SHA-256, base64url), so a view
 * of many users costs no extra round trip; the limits are integers inlined from the settings.
 */
export function throttledSql(settings: ThrottleSettings, tenantIdSql: string, emailSql: string): string {
  const accountMax = Math.trunc(settings.accountFailures);
  const pairMax = Math.trunc(settings.accountSourceFailures);
  return `exists (select 1 from erp.auth_throttle t,
      (select rtrim(translate(encode(sha256(convert_to(${tenantIdSql}::text, 'UTF8') || '\\x00'::bytea
                 || convert_to(lower(${emailSql}), 'UTF8')), 'base64'), '+/', '-_'), '=') as h) a
     where (t.expire is null or t.expire > (extract(epoch from clock_timestamp()) * 1000)::bigint)
       and ((t.key = 'acc:' || a.h and t.points >= ${accountMax})
         or (t.key collate "C" >= 'acs:' || a.h || '.' and t.key collate "C" < 'acs:' || a.h || '/'
             and t.points >= ${pairMax})))`;
}

export class CredentialThrottle {
  private readonly source: RateLimiterPostgres;
  private readonly accountSource: RateLimiterPostgres;
  private readonly account: RateLimiterPostgres;
  private readonly resetMail: RateLimiterPostgres;
  /** Sources this instance saw exceed the limit, for the API-key path (no query per request). */
  private readonly blockedSources = new LRUCache<string, number>({ max: 50_000 });

  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: ThrottleSettings,
  ) {
    const store = { storeClient: pool, storeType: 'pool', schemaName: 'erp', tableName: 'auth_throttle' };
    // The table comes from migration 0007; only one limiter runs the hourly clean-up of the table.
    this.source = new RateLimiterPostgres({
      ...store,
      tableCreated: true,
      keyPrefix: 'src',
      points: settings.sourceFailuresPerMinute,
      duration: 60,
    });
    this.accountSource = new RateLimiterPostgres({
      ...store,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'acs',
      points: settings.accountSourceFailures,
      duration: settings.windowSeconds,
    });
    this.account = new RateLimiterPostgres({
      ...store,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'acc',
      points: settings.accountFailures,
      duration: settings.windowSeconds,
    });
    this.resetMail = new RateLimiterPostgres({
      ...store,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'rst',
      points: RESET_MAILS_PER_HOUR,
      duration: 3600,
    });
  }

  /** Whether another password-reset mail may go to this account (a few an hour, against mail bombing). */
  async allowResetMail(account: string): Promise<boolean> {
    try {
      await this.resetMail.consume(hashKey(account));
      return true;
    } catch (res) {
      if (res instanceof RateLimiterRes) return false;
      throw res;
    }
  }

  /** Counts one attempt before checking the credential; a used-up limit answers 429. */
  async begin(key: AttemptKey): Promise<Attempt> {
    const src = hashKey(key.source);
    const taken: { limiter: RateLimiterPostgres; key: string }[] = [];
    const take = async (limiter: RateLimiterPostgres, k: string, exempt?: () => Promise<boolean>) => {
      try {
        await limiter.consume(k);
        taken.push({ limiter, key: k });
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        if (exempt && (await exempt())) {
          taken.push({ limiter, key: k });
          return;
        }
        if (limiter === this.source) this.blockedSources.set(key.source, Date.now() + res.msBeforeNext);
        throw throttled(res.msBeforeNext);
      }
    };
    await take(this.source, src);
    const pair = key.account ? `${hashKey(key.account)}.${hashKey(key.account, key.source)}` : undefined;
    if (key.account && pair) {
      await take(this.accountSource, pair);
      await take(this.account, hashKey(key.account), key.knownSource);
    }
    const giveBack = () => Promise.all(taken.map((t) => t.limiter.reward(t.key, 1))).then(() => undefined);
    return {
      neutral: giveBack,
      succeeded: async () => {
        await giveBack();
        if (pair) await this.accountSource.delete(pair);
      },
    };
  }

  /**
   * For checks on every request (API keys): no query while the source is fine, a 429 while this
   * instance knows it is over the limit. Call failed() after a wrong credential.
   */
  assertSourceAllowed(source: string): void {
    const until = this.blockedSources.get(source);
    if (until === undefined) return;
    if (until > Date.now()) throw throttled(until - Date.now());
    this.blockedSources.delete(source);
  }

  /** Counts a failed check of the source; answers 429 once the limit is used up. */
  async failed(source: string): Promise<void> {
    try {
      await this.source.consume(hashKey(source));
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      this.blockedSources.set(source, Date.now() + res.msBeforeNext);
      throw throttled(res.msBeforeNext);
    }
  }

  /**
   * Forgets the counts of an account from every source (an administrator unlocked it or reset its
   * password, or the user reset it by mail); inside `db`'s transaction when given.
   */
  async clearAccount(account: string, db?: ThrottleDb): Promise<void> {
    await clearAccountThrottle(
      db ?? { query: async (text, params) => (await this.pool.query(text, params as unknown[])).rows },
      account,
    );
  }

  /** See throttledSql: whether the account is being held back, as a SQL boolean over two columns. */
  throttledSql(tenantIdSql: string, emailSql: string): string {
    return throttledSql(this.settings, tenantIdSql, emailSql);
  }
}
