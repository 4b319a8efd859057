// Schemas of the marketplace API (catalogue, install preview and install, pins, trust policy), and
// the types the code uses, derived from them (json-schema-to-ts), never written twice.
import type { FromSchema } from 'json-schema-to-ts';

const NPM_NAME = '^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$';
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const signatureStatus = {
  type: 'string',
  enum: ['verified', 'unsigned', 'unknown-key', 'expired', 'revoked', 'invalid'],
} as const;

const publisher = {
  type: 'object',
  additionalProperties: false,
  required: ['owner', 'keyid', 'status', 'reason'],
  properties: {
    owner: nullableString,
    keyid: nullableString,
    status: signatureStatus,
    reason: { type: 'string' },
  },
} as const;

export const searchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 200, default: '' },
    limit: { type: 'integer', minimum: 1, maximum: 50, default: 20 },
  },
} as const;

const summaryRequired = [
  'package',
  'id',
  'displayName',
  'description',
  'latest',
  'compatible',
  'deprecated',
  'publisher',
] as const;

const summaryProperties = {
  package: { type: 'string' },
  id: { type: 'string' },
  displayName: { type: 'string' },
  description: { type: 'string' },
  latest: { type: 'string' },
  compatible: { type: 'boolean' },
  deprecated: nullableString,
  publisher,
} as const;

export const searchResult = {
  type: 'object',
  required: ['plugins'],
  properties: {
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: summaryRequired,
        properties: summaryProperties,
      },
    },
  },
} as const;

export const nameParams = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', maxLength: 214, pattern: NPM_NAME } },
} as const;

const versionInfo = {
  type: 'object',
  additionalProperties: false,
  required: [
    'version',
    'deprecated',
    'yanked',
    'kernelRange',
    'compatible',
    'permissions',
    'capabilities',
    'dependencies',
    'integrity',
    'publishedAt',
    'publisher',
    'registrySignature',
    'invalid',
  ],
  properties: {
    version: { type: 'string' },
    deprecated: nullableString,
    yanked: { type: 'boolean' },
    kernelRange: nullableString,
    compatible: { type: 'boolean' },
    permissions: stringMap,
    capabilities: strings,
    dependencies: stringMap,
    integrity: nullableString,
    publishedAt: nullableString,
    publisher,
    registrySignature: { type: 'string', enum: ['verified', 'missing', 'invalid'] },
    invalid: nullableString,
  },
} as const;

export const details = {
  type: 'object',
  additionalProperties: false,
  required: [...summaryRequired, 'versions', 'distTags', 'readme'],
  properties: {
    ...summaryProperties,
    versions: { type: 'array', items: versionInfo },
    distTags: stringMap,
    readme: nullableString,
  },
} as const;

export const previewBody = {
  type: 'object',
  additionalProperties: false,
  required: ['package'],
  properties: {
    package: { type: 'string', maxLength: 214, pattern: NPM_NAME },
    range: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'A semver range or version; default: the newest installable',
    },
  },
} as const;

const dependency = {
  type: 'object',
  additionalProperties: false,
  required: ['package', 'range', 'requiredBy', 'installed', 'resolved', 'action'],
  properties: {
    package: { type: 'string' },
    range: { type: 'string' },
    requiredBy: { type: 'string' },
    installed: nullableString,
    resolved: { type: 'string' },
    action: { type: 'string', enum: ['satisfied', 'install'] },
  },
} as const;

const consent = {
  type: 'object',
  additionalProperties: false,
  required: ['permissions', 'capabilities', 'newPermissions', 'newCapabilities', 'descriptions'],
  properties: {
    permissions: strings,
    capabilities: strings,
    newPermissions: strings,
    newCapabilities: strings,
    descriptions: stringMap,
  },
} as const;

export const preview = {
  type: 'object',
  additionalProperties: false,
  required: [
    'action',
    'package',
    'pluginId',
    'version',
    'currentVersion',
    'integrity',
    'deprecated',
    'consent',
    'consentHash',
    'publisher',
    'registrySignature',
    'runtime',
    'dependencies',
  ],
  properties: {
    action: { type: 'string', enum: ['install', 'upgrade'] },
    package: { type: 'string' },
    pluginId: { type: 'string' },
    version: { type: 'string' },
    currentVersion: nullableString,
    integrity: { type: 'string' },
    deprecated: nullableString,
    consent,
    consentHash: { type: 'string' },
    publisher,
    registrySignature: { type: 'string', enum: ['verified', 'missing', 'invalid'] },
    runtime: { type: 'string', enum: ['in-process', 'sandbox'] },
    dependencies: { type: 'array', items: dependency },
  },
} as const;

export const installBody = {
  type: 'object',
  additionalProperties: false,
  required: ['package', 'version', 'consentHash'],
  properties: {
    package: { type: 'string', maxLength: 214, pattern: NPM_NAME },
    version: { type: 'string', minLength: 5, maxLength: 64 },
    consentHash: { type: 'string', pattern: '^sha256-[A-Za-z0-9+/]{43}=$' },
  },
} as const;

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 30 } },
} as const;

export const trustPolicy = {
  type: 'object',
  additionalProperties: false,
  required: ['trustedPublishers', 'allowUnsigned', 'allowUnknownPublishers'],
  properties: {
    trustedPublishers: {
      type: 'array',
      maxItems: 100,
      items: { type: 'string', minLength: 1, maxLength: 214, pattern: '^[A-Za-z0-9][A-Za-z0-9._~-]*$' },
      description: 'Registry users (publishers) whose verified plugins run in the kernel\u2019s process',
    },
    allowUnsigned: { type: 'boolean', description: 'Install unsigned plugins (into the sandbox only)' },
    allowUnknownPublishers: {
      type: 'boolean',
      description:
        'Install plugins of publishers not trusted here or with unregistered keys (into the sandbox only)',
    },
  },
} as const;

export type PublisherInfo = FromSchema<typeof publisher>;
export type SignatureStatus = PublisherInfo['status'];
export type VersionInfo = FromSchema<typeof versionInfo>;
export type PluginSummary = FromSchema<typeof searchResult>['plugins'][number];
export type PluginDetails = FromSchema<typeof details>;
export type DependencyPlan = FromSchema<typeof dependency>;
export type Consent = FromSchema<typeof consent>;
export type Preview = FromSchema<typeof preview>;
export type TrustPolicy = FromSchema<typeof trustPolicy>;
