// The SDK's runtime half: what a sandboxed plugin's bundle gets for `@erp/sdk` (the sandbox's
// esbuild resolves it here). The plugin API and the protocols between plugins (plain schemas), but
// not the manifest validator, whose Ajv would only weigh the isolate down.
export * from '../imports/index.js';
export * from '../plugin/index.js';
