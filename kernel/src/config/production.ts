// What NODE_ENV=production refuses to start without. The embedded defaults generate secrets and a
// database into ERP_DATA_DIR, which is right on one machine and wrong for replicas: each would get
// its own master key (sessions signed by one fail on the others), its own audit signing key and
// its own database. A production start names the first missing or unsafe setting in one line.
import { ConfigError } from './errors.js';

interface ProductionInput {
  NODE_ENV: string;
  DATABASE_URL?: string;
  ERP_SECRET_KEY?: string;
  ERP_AUDIT_SIGNING_KEY?: string;
  NATS_URL?: string;
}

const TLS_MODES = new Set(['require', 'verify-ca', 'verify-full']);
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export function checkProduction(cfg: ProductionInput): void {
  if (cfg.NODE_ENV !== 'production') return;
  const need = (variable: keyof ProductionInput, why: string) => {
    if (!cfg[variable]) throw new ConfigError(variable, `is required when NODE_ENV=production: ${why}`);
  };
  need('DATABASE_URL', 'the embedded PostgreSQL is for one machine, not for replicas');
  need(
    'ERP_SECRET_KEY',
    'a generated key would differ per replica (sessions and sealed values would not carry over)',
  );
  need(
    'ERP_AUDIT_SIGNING_KEY',
    'a generated checkpoint key would differ per replica and live beside the data it vouches for',
  );
  const db = new URL(cfg.DATABASE_URL as string);
  // A socket path (host empty, or ?host=/path) and loopback never leave the machine.
  const socket = db.hostname === '' || db.searchParams.get('host')?.startsWith('/');
  const mode = db.searchParams.get('sslmode') ?? '';
  if (!socket && !LOOPBACK.test(db.hostname) && !TLS_MODES.has(mode))
    throw new ConfigError(
      'DATABASE_URL',
      `must use TLS when NODE_ENV=production (add ?sslmode=verify-full; got ${mode ? `sslmode=${mode}` : 'no sslmode'} for host ${db.hostname})`,
    );
  if (cfg.NATS_URL?.startsWith('nats://') && !LOOPBACK.test(new URL(cfg.NATS_URL).hostname))
    throw new ConfigError(
      'NATS_URL',
      'must use TLS when NODE_ENV=production (tls:// or wss://): events carry tenant data between replicas',
    );
}
