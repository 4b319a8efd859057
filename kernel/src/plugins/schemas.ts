// Schemas of the plugin admin API and UI manifest.
export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 30 } },
} as const;

export const installation = {
  type: 'object',
  required: ['pluginId', 'package', 'version', 'status', 'state'],
  properties: {
    pluginId: { type: 'string' },
    package: { type: 'string' },
    version: { type: 'string' },
    previousVersion: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['enabled', 'disabled'] },
    state: { type: 'string', enum: ['ok', 'quarantined'] },
    error: { type: ['string', 'null'] },
    config: { type: 'object', additionalProperties: true },
    installedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    source: { type: 'string', enum: ['path', 'registry'] },
    runtime: { type: 'string', enum: ['in-process', 'sandbox'] },
    integrity: { type: ['string', 'null'] },
    keyid: { type: ['string', 'null'] },
    consentHash: { type: ['string', 'null'] },
    pinned: { type: 'boolean' },
  },
} as const;

export const catalogueEntry = {
  type: 'object',
  required: ['package', 'id', 'displayName', 'trust', 'versions'],
  properties: {
    package: { type: 'string' },
    id: { type: 'string' },
    displayName: { type: 'string' },
    description: { type: 'string' },
    trust: { type: 'string' },
    versions: { type: 'array', items: { type: 'string' } },
    kernelRange: { type: 'string' },
    dependencies: { type: 'object', additionalProperties: { type: 'string' } },
    permissions: { type: 'object', additionalProperties: { type: 'string' } },
    capabilities: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** A plugin folder that cannot be installed: its manifest is broken or its code does not load. */
export const catalogueProblem = {
  type: 'object',
  required: ['dir', 'error'],
  properties: {
    dir: { type: 'string' },
    package: { type: 'string' },
    version: { type: 'string' },
    error: { type: 'string' },
  },
} as const;

export const pluginList = {
  type: 'object',
  required: ['installed', 'available', 'problems'],
  properties: {
    installed: { type: 'array', items: installation },
    available: { type: 'array', items: catalogueEntry },
    problems: { type: 'array', items: catalogueProblem },
  },
} as const;

const hourlyTotals = {
  type: 'object',
  required: [
    'plugin',
    'hour',
    'invocations',
    'failures',
    'cpuMs',
    'dbMs',
    'dbRows',
    'events',
    'httpRequests',
    'httpBytes',
  ],
  properties: {
    plugin: { type: 'string' },
    hour: { type: 'string', format: 'date-time' },
    invocations: { type: 'integer' },
    failures: { type: 'integer' },
    cpuMs: { type: 'number' },
    dbMs: { type: 'number' },
    dbRows: { type: 'integer' },
    events: { type: 'integer' },
    httpRequests: { type: 'integer' },
    httpBytes: { type: 'integer' },
  },
} as const;

const quotaLimits = {
  type: 'object',
  description: 'Limits per plugin per tenant per hour (absent: none)',
  properties: {
    invocations: { type: 'integer' },
    cpuMs: { type: 'integer' },
    dbMs: { type: 'integer' },
    dbRows: { type: 'integer' },
    events: { type: 'integer' },
    httpRequests: { type: 'integer' },
    httpBytes: { type: 'integer' },
  },
} as const;

export const usageList = {
  type: 'object',
  required: ['usage', 'hourly', 'quotas'],
  properties: {
    hourly: {
      type: 'array',
      description: 'Persisted totals across instances, per plugin and hour, the last 24 hours',
      items: hourlyTotals,
    },
    quotas: quotaLimits,
    usage: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'plugin',
          'package',
          'version',
          'runtime',
          'invocations',
          'failures',
          'dbStatements',
          'wallMs',
          'cpuMs',
          'dbMs',
          'dbRows',
          'events',
          'httpRequests',
          'httpBytes',
        ],
        properties: {
          plugin: { type: 'string' },
          package: { type: 'string' },
          version: { type: 'string' },
          runtime: { type: 'string', enum: ['in-process', 'sandbox'] },
          invocations: { type: 'integer' },
          failures: { type: 'integer' },
          dbStatements: { type: 'integer' },
          wallMs: { type: 'number' },
          cpuMs: { type: 'number', description: 'CPU time in the sandbox (0 in-process)' },
          dbMs: { type: 'number' },
          dbRows: { type: 'integer' },
          events: { type: 'integer' },
          httpRequests: { type: 'integer' },
          httpBytes: { type: 'integer' },
        },
      },
    },
  },
} as const;

export const installBody = {
  type: 'object',
  additionalProperties: false,
  required: ['plugin'],
  properties: {
    plugin: { type: 'string', minLength: 2, maxLength: 214, description: 'Package name or plugin id' },
    version: { type: 'string', minLength: 5, maxLength: 64 },
  },
} as const;

export const upgradeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version: { type: 'string', minLength: 5, maxLength: 64 } },
} as const;

export const configBody = {
  type: 'object',
  additionalProperties: false,
  required: ['config'],
  properties: { config: { type: 'object', additionalProperties: true } },
} as const;

export const uninstallQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { purge: { type: 'boolean', default: false } },
} as const;

const tableImpact = {
  type: 'object',
  required: ['table', 'rows'],
  properties: { table: { type: 'string' }, rows: { type: 'integer' } },
} as const;

export const impact = {
  type: 'object',
  required: ['plugin', 'version', 'tables'],
  properties: {
    plugin: { type: 'string' },
    version: { type: 'string' },
    tables: { type: 'array', items: tableImpact },
  },
} as const;

export const uninstallResult = {
  type: 'object',
  required: ['purged', 'kept'],
  properties: { purged: { type: 'array', items: tableImpact }, kept: { type: 'array', items: tableImpact } },
} as const;

export const uiManifest = {
  type: 'object',
  required: ['plugins'],
  properties: {
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        required: ['plugin', 'version', 'module', 'elements', 'navigation'],
        properties: {
          plugin: { type: 'string' },
          displayName: { type: 'string', description: 'The plugin\u2019s name as its manifest gives it' },
          version: { type: 'string' },
          module: { type: 'string' },
          elements: { type: 'array', items: { type: 'string' } },
          isolated: {
            type: 'boolean',
            description:
              'Third-party (sandbox runtime): its elements render in a sandboxed frame at /ui-frame/<plugin>/<version>/<element>',
          },
          navigation: {
            type: 'array',
            items: {
              type: 'object',
              required: ['label', 'path', 'element'],
              properties: {
                label: { type: 'string' },
                path: { type: 'string' },
                element: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;
