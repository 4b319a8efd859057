// Reads a plugin package's package.json and validates its manifest, with messages that name the
// field (`erp.permissions: …`), so a partner sees exactly what to fix.
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FromSchema } from 'json-schema-to-ts';
import semver from 'semver';
import { manifestSchema } from './schema.js';

export type PluginManifest = FromSchema<typeof manifestSchema>;

export interface PluginPackage {
  name: string;
  version: string;
  /** Kernel versions this plugin supports (package.json engines.erp). */
  kernelRange: string;
  manifest: PluginManifest & { entry: string; migrations: string };
}

export class ManifestError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ManifestError';
  }
}

const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(manifestSchema);

const NAME = /^(@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*$/;

export function parsePluginPackage(pkg: unknown): PluginPackage {
  if (!pkg || typeof pkg !== 'object') throw new ManifestError('package.json', 'is not a JSON object');
  const p = pkg as Record<string, unknown>;
  if (typeof p.name !== 'string' || !NAME.test(p.name))
    throw new ManifestError('name', 'must be an npm package name');
  if (typeof p.version !== 'string' || !semver.valid(p.version)) {
    throw new ManifestError('version', `must be a semver version (got ${JSON.stringify(p.version)})`);
  }
  const engines = p.engines as Record<string, unknown> | undefined;
  const kernelRange = engines?.erp;
  if (typeof kernelRange !== 'string' || !semver.validRange(kernelRange)) {
    throw new ManifestError('engines.erp', 'must be a semver range of kernel versions, e.g. "^0.1.0"');
  }
  if (p.erp === undefined)
    throw new ManifestError('erp', 'is missing: a plugin declares its manifest in the "erp" field');
  const manifest = structuredClone(p.erp);
  if (!validate(manifest)) {
    const e = validate.errors![0]!;
    const params = e.params as Record<string, unknown>;
    let field = `erp${e.instancePath.replace(/\//g, '.')}`;
    let reason = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      field = `${field}.${String(params.missingProperty)}`;
      reason = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      field = `${field}.${String(params.additionalProperty)}`;
      reason = 'is not a known manifest field';
    } else if (e.keyword === 'propertyNames' || e.propertyName) {
      field = `${field}.${String(params.propertyName ?? e.propertyName)}`;
      reason = 'is not a valid name here';
    }
    throw new ManifestError(field, reason);
  }
  const m = manifest as PluginPackage['manifest'];
  for (const [dep, range] of Object.entries(m.dependencies ?? {})) {
    if (!semver.validRange(range))
      throw new ManifestError(`erp.dependencies.${dep}`, `${JSON.stringify(range)} is not a semver range`);
    if (dep === p.name)
      throw new ManifestError(`erp.dependencies.${dep}`, 'a plugin cannot depend on itself');
  }
  for (const [i, nav] of (m.ui?.navigation ?? []).entries()) {
    if (!m.ui!.elements.includes(nav.element)) {
      throw new ManifestError(
        `erp.ui.navigation.${i}.element`,
        `${nav.element} is not listed in erp.ui.elements`,
      );
    }
  }
  return { name: p.name, version: p.version, kernelRange, manifest: m };
}
