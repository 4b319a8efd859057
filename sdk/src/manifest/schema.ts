// The JSON schema of a plugin's manifest: the `erp` field of its package.json. It holds what must
// be known without running the plugin's code, because the marketplace shows it and a tenant admin
// consents to it. Name, version and the kernel range come from package.json itself.
export const PLUGIN_ID = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$';
export const PERMISSION = '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$';
/**
 * Kernel routes a third-party plugin's user interface may be given, as capabilities
 * `kernel-api:<METHOD>:<route>` (issue 19): its frame's scoped token then reaches them too, with the
 * route's own permission when the user holds it. Read-only routes that name people and history a
 * plugin screen shows; nothing that mints, changes or reveals credentials, roles or plugins. The
 * kernel checks at start that each exists.
 */
export const UI_KERNEL_ROUTES = [
  'GET:/api/v1/auth/me',
  'GET:/api/v1/iam/users',
  'GET:/api/v1/iam/users/:id',
  'GET:/api/v1/audit/entries',
  'GET:/api/v1/jobs',
] as const;
export const KERNEL_API_CAPABILITY = 'kernel-api:';
// The routes hold no regular-expression metacharacters, so they are matched literally.
const kernelApi = UI_KERNEL_ROUTES.join('|');
export const CAPABILITY = `^(http:(\\*|[a-z0-9.-]+(:[0-9]{1,5})?)|events:(publish|subscribe):[a-z0-9_.*-]+|kernel-api:(${kernelApi}))$`;
export const ELEMENT_TAG = '^[a-z][a-z0-9]*-[a-z0-9-]+$';

export const manifestSchema = {
  $id: 'https://erp.dev/schemas/plugin-manifest.json',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'displayName', 'trust'],
  properties: {
    id: {
      type: 'string',
      pattern: PLUGIN_ID,
      maxLength: 30,
      description:
        'Short id (lowercase, dashes): the URL prefix /api/v1/p/<id>, event names <id>.<event>, schema p_<id with _>',
    },
    displayName: { type: 'string', minLength: 1, maxLength: 80 },
    description: { type: 'string', maxLength: 2000 },
    trust: {
      type: 'string',
      enum: ['first-party', 'third-party'],
      description: 'first-party runs in-process; third-party runs in the sandbox',
    },
    entry: {
      type: 'string',
      minLength: 1,
      default: 'src/index.ts',
      description: 'Module exporting definePlugin(...) as default',
    },
    dependencies: {
      type: 'object',
      description: 'Other plugins (package name) and the semver range this plugin needs',
      propertyNames: { pattern: '^(@[a-z0-9-]+/)?[a-z0-9][a-z0-9._-]*$' },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    permissions: {
      type: 'object',
      description: 'Permissions this plugin defines, with a description shown to admins',
      propertyNames: { pattern: PERMISSION },
      additionalProperties: { type: 'string', minLength: 1, maxLength: 200 },
    },
    capabilities: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: CAPABILITY },
      description:
        'http:<host> (or http:* for hosts the tenant names, e.g. webhooks) for ctx.http.fetch; events:publish:<pattern> and events:subscribe:<pattern> (events:subscribe:* lets a subscription listen to event "*", every type); kernel-api:<METHOD>:<route> for a kernel route the plugin\u2019s user interface calls (one of UI_KERNEL_ROUTES)',
    },
    imports: {
      type: 'object',
      description:
        'Import targets this plugin applies (integrations imports CSV/XLSX rows into them as <id>.<name>): a title and the JSON schema every row must match; the plugin subscribes to integrations.import.batch and answers <id>.import.applied',
      propertyNames: { pattern: '^[a-z][a-z0-9-]{0,40}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'schema'],
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200 },
          schema: {
            type: 'object',
            description: "JSON schema of one row (an object's properties are the columns)",
          },
          rollback: {
            type: 'boolean',
            default: false,
            description: 'Whether the plugin undoes an import (subscribes to integrations.import.rollback)',
          },
        },
      },
    },
    migrations: {
      type: 'string',
      minLength: 1,
      default: 'migrations',
      description: 'Folder of *.sql migrations',
    },
    ui: {
      type: 'object',
      additionalProperties: false,
      required: ['module', 'elements'],
      properties: {
        module: {
          type: 'string',
          minLength: 1,
          description: 'ES module (relative path) that defines the elements',
        },
        assets: {
          type: 'string',
          minLength: 1,
          default: 'ui',
          description: 'Folder served at /plugins/<id>/<version>/',
        },
        elements: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { type: 'string', pattern: ELEMENT_TAG },
        },
        navigation: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['label', 'path', 'element', 'permission'],
            properties: {
              label: { type: 'string', minLength: 1, maxLength: 60 },
              path: { type: 'string', pattern: '^/[a-z0-9/_-]*$' },
              element: { type: 'string', pattern: ELEMENT_TAG },
              permission: { type: 'string', pattern: PERMISSION },
            },
          },
        },
      },
    },
  },
} as const;
