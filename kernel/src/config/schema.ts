// The kernel's environment, as one JSON schema: validated at start, typed from the same schema.
export const configSchema = {
  type: 'object',
  additionalProperties: true,
  required: [],
  properties: {
    NODE_ENV: { type: 'string', enum: ['development', 'production', 'test'], default: 'development' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    ERP_DATA_DIR: { type: 'string', minLength: 1, default: './.erp-data' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    DATABASE_APP_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    ERP_DB_APP_ROLE: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'erp_app' },
    ERP_DB_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 500, default: 10 },
    ERP_EMBEDDED_PG_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 0 },
    NATS_URL: { type: 'string', pattern: '^(nats|tls|wss?)://' },
    REGISTRY_URL: { type: 'string', pattern: '^https?://' },
    // The embedded registry's port (when REGISTRY_URL is unset): 0 picks a free loopback port.
    ERP_REGISTRY_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 0 },
    // Where plugins' npm dependencies that the marketplace lacks come from (unset: the marketplace).
    ERP_DEPENDENCY_REGISTRY: { type: 'string', pattern: '^https?://' },
    ERP_SECRET_KEY: { type: 'string', minLength: 32 },
    ERP_ACCESS_TOKEN_TTL: { type: 'integer', minimum: 30, maximum: 86400, default: 900 },
    ERP_REFRESH_TOKEN_TTL: { type: 'integer', minimum: 300, maximum: 31536000, default: 2592000 },
    ERP_CORS_ORIGINS: { type: 'string', default: '' },
    ERP_BODY_LIMIT: { type: 'integer', minimum: 1024, maximum: 104857600, default: 1048576 },
    ERP_RATE_LIMIT_USER: { type: 'integer', minimum: 1, default: 1200 },
    ERP_RATE_LIMIT_TENANT: { type: 'integer', minimum: 1, default: 6000 },
    ERP_RATE_LIMIT_LOGIN_IP: { type: 'integer', minimum: 1, default: 30 },
    // Credential throttle (kernel/src/auth/throttle.ts): failed checks per source per minute
    // (ERP_RATE_LIMIT_LOGIN_IP), per account and source, and per account from every source, in a
    // window of ERP_LOCKOUT_SECONDS.
    ERP_LOCKOUT_THRESHOLD: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    ERP_LOCKOUT_SECONDS: { type: 'integer', minimum: 1, default: 900 },
    ERP_THROTTLE_ACCOUNT_MAX: { type: 'integer', minimum: 1, maximum: 100000, default: 50 },
    // Addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For is believed (comma-
    // separated; also 'loopback', 'linklocal', 'uniquelocal'). Empty: the peer address is the client.
    ERP_TRUST_PROXY: { type: 'string', default: '' },
    // Addresses or CIDR ranges that plugins' ctx.http.fetch may reach although they are not public
    // (comma-separated, e.g. 10.20.0.0/16 for an on-premises system). Empty: public addresses only.
    ERP_OUTBOUND_ALLOW_PRIVATE: { type: 'string', default: '' },
    // Mail (kernel/src/mail): SMTP relay URL (smtp:// or smtps://, credentials in the URL); without
    // it messages are written as .eml files to ERP_DATA_DIR/mail (development).
    ERP_SMTP_URL: { type: 'string', pattern: '^smtps?://' },
    ERP_MAIL_FROM: { type: 'string', minLength: 3, default: 'ERP <no-reply@localhost>' },
    // Where users open the web app; password-reset links point at <ERP_PUBLIC_URL>/reset-password.
    ERP_PUBLIC_URL: { type: 'string', pattern: '^https?://[^\\s]+$' },
    ERP_PASSWORD_RESET_TTL: { type: 'integer', minimum: 300, maximum: 86400, default: 1800 },
    // Plugin host: folders holding plugin packages, separated by ':' (default: the repository's
    // plugins/ folder and ERP_DATA_DIR/plugins).
    ERP_PLUGIN_PATH: { type: 'string', minLength: 1 },
    // Sandbox (@erp/sandbox): 'by-trust' runs first-party plugins in-process and the rest in
    // isolates; 'sandbox' runs every plugin in isolates (defence in depth, and the test kit's
    // runtime option). Limits per isolate and per call; quotas per plugin per tenant and hour.
    ERP_PLUGIN_RUNTIME: { type: 'string', enum: ['by-trust', 'sandbox'], default: 'by-trust' },
    ERP_SANDBOX_MEMORY_MB: { type: 'integer', minimum: 8, maximum: 4096, default: 64 },
    ERP_SANDBOX_CPU_MS_ROUTE: { type: 'integer', minimum: 1, maximum: 600000, default: 2000 },
    ERP_SANDBOX_CPU_MS_SUBSCRIPTION: { type: 'integer', minimum: 1, maximum: 600000, default: 5000 },
    ERP_SANDBOX_CPU_MS_JOB: { type: 'integer', minimum: 1, maximum: 3600000, default: 30000 },
    ERP_SANDBOX_WALL_MS: { type: 'integer', minimum: 10, maximum: 3600000, default: 30000 },
    // Quotas per plugin per tenant per hour (0: none); usage is persisted every ERP_PLUGIN_USAGE_FLUSH_MS.
    ERP_PLUGIN_QUOTA_INVOCATIONS: { type: 'integer', minimum: 0, default: 0 },
    ERP_PLUGIN_QUOTA_CPU_MS: { type: 'integer', minimum: 0, default: 0 },
    ERP_PLUGIN_QUOTA_DB_MS: { type: 'integer', minimum: 0, default: 0 },
    ERP_PLUGIN_QUOTA_DB_ROWS: { type: 'integer', minimum: 0, default: 0 },
    ERP_PLUGIN_QUOTA_EVENTS: { type: 'integer', minimum: 0, default: 0 },
    ERP_PLUGIN_QUOTA_HTTP_REQUESTS: { type: 'integer', minimum: 0, default: 0 },
    ERP_PLUGIN_QUOTA_HTTP_BYTES: { type: 'integer', minimum: 0, default: 0 },
    ERP_PLUGIN_USAGE_FLUSH_MS: { type: 'integer', minimum: 100, maximum: 3600000, default: 5000 },
    ERP_SANDBOX_MAX_RESULT_BYTES: { type: 'integer', minimum: 1024, maximum: 1073741824, default: 8388608 },
    // The web shell's built files served at / (default: the repository's ui-shell/dist).
    ERP_SHELL_DIR: { type: 'string', minLength: 1 },
    // Event bus and jobs (kernel/src/events, kernel/src/jobs).
    ERP_BACKGROUND: { type: 'boolean', default: true },
    ERP_NATS_NAMESPACE: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,31}$', default: 'erp' },
    ERP_WORKER_POOL_SIZE: { type: 'integer', minimum: 2, maximum: 200, default: 10 },
    ERP_BUS_POLL_MS: { type: 'integer', minimum: 50, maximum: 60000, default: 1000 },
    ERP_EVENTS_CONCURRENCY: { type: 'integer', minimum: 1, maximum: 256, default: 8 },
    ERP_EVENTS_MAX_ATTEMPTS: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    ERP_EVENTS_LEASE_SECONDS: { type: 'integer', minimum: 1, maximum: 3600, default: 30 },
    ERP_EVENTS_RETENTION_DAYS: { type: 'integer', minimum: 1, maximum: 3650, default: 7 },
    ERP_JOBS_CONCURRENCY: { type: 'integer', minimum: 1, maximum: 256, default: 4 },
    ERP_JOBS_MAX_ATTEMPTS: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    ERP_JOBS_LEASE_SECONDS: { type: 'integer', minimum: 1, maximum: 3600, default: 30 },
    ERP_RETRY_BASE_MS: { type: 'integer', minimum: 1, maximum: 600000, default: 1000 },
    ERP_RETRY_MAX_MS: { type: 'integer', minimum: 1, maximum: 86400000, default: 300000 },
    ERP_SHUTDOWN_GRACE_SECONDS: { type: 'integer', minimum: 0, maximum: 3600, default: 30 },
    // Prometheus scrapes GET /metrics with this bearer token; unset, /metrics answers 404.
    ERP_METRICS_TOKEN: { type: 'string', minLength: 16 },
    // Audit chain (kernel/src/audit; see the Audit section of kernel/README.md).
    ERP_AUDIT_SIGNING_KEY: { type: 'string', minLength: 1 },
    ERP_AUDIT_KEY_NAME: { type: 'string', pattern: '^[^\\s+]{1,100}$', default: 'erp-audit' },
    ERP_AUDIT_TRUSTED_KEYS: { type: 'string' },
    ERP_AUDIT_CHECKPOINT_DIR: { type: 'string', minLength: 1 },
    ERP_AUDIT_CHECKPOINT_ENTRIES: { type: 'integer', minimum: 1, maximum: 1000000, default: 1000 },
    ERP_AUDIT_CHECKPOINT_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 60 },
    ERP_AUDIT_SEAL_INTERVAL_MS: { type: 'integer', minimum: 10, maximum: 60000, default: 500 },
    ERP_AUDIT_SEAL_BATCH: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
    // Refusals an attacker can repeat (403 ERP_FORBIDDEN, refused outbound calls) are coalesced
    // per window (kernel/src/audit/refusals.ts): the first of a kind at once, repeats as a count;
    // at most ERP_AUDIT_REFUSALS_PER_TENANT immediate entries per tenant and window per instance.
    ERP_AUDIT_REFUSAL_WINDOW_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 60 },
    ERP_AUDIT_REFUSALS_PER_TENANT: { type: 'integer', minimum: 1, maximum: 100000, default: 100 },
  },
} as const;
