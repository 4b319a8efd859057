#!/usr/bin/env node
// Makes a `pnpm deploy --prod` folder runnable by plain Node. Workspace packages export their
// TypeScript sources (`./src/*.ts`, run through tsx in development); the deployed copies hold only
// the compiled `dist/`. pnpm applies `publishConfig` when it packs, not when it deploys, so this does
// it: the deployed package's and each @erp package's `exports` becomes its `publishConfig.exports`, or,
// for a package without one
// (the marketplace, compiled by the image build), the same map with `./src/X.ts` → `./dist/X.js`.
// Usage: node publish-exports.mjs <deploy folder>; exits 1 naming a package whose export is missing.
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');

const toDist = (target) =>
  typeof target === 'string'
    ? target.replace(/^\.\/src\/(.*)\.ts$/, './dist/$1.js')
    : Object.fromEntries(Object.entries(target).map(([k, v]) => [k, toDist(v)]));

/** Every file an exports map names (import conditions only: types are not needed at run time). */
const targets = (map) =>
  typeof map === 'string'
    ? [map]
    : Object.entries(map).flatMap(([k, v]) => (k === 'types' ? [] : targets(v)));

/** The @erp packages reachable from the deploy folder, each once (pnpm links them from .pnpm). */
function erpPackages() {
  const found = new Set();
  const pnpmDir = join(root, 'node_modules', '.pnpm');
  const scopes = [join(root, 'node_modules', '@erp')];
  if (existsSync(pnpmDir))
    for (const entry of readdirSync(pnpmDir)) scopes.push(join(pnpmDir, entry, 'node_modules', '@erp'));
  for (const scope of scopes) {
    if (!existsSync(scope)) continue;
    for (const name of readdirSync(scope)) found.add(realpathSync(join(scope, name)));
  }
  return [...found];
}

let failed = false;
// The deployed package itself (the kernel: /app/registry.mjs imports @erp/kernel/marketplace by
// its own name) and every @erp package it depends on.
const own = existsSync(join(root, 'package.json')) ? [root] : [];
for (const dir of [...own, ...erpPackages()]) {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const exports = pkg.publishConfig?.exports ?? (pkg.exports ? toDist(pkg.exports) : undefined);
  if (!exports) continue;
  pkg.exports = exports;
  delete pkg.publishConfig;
  // pnpm may hard-link a deployed file to the workspace's own: unlink first, so the source stays.
  rmSync(file);
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  for (const target of targets(exports)) {
    if (target.endsWith('package.json') || existsSync(join(dir, target))) continue;
    console.error(`${pkg.name}: export ${target} is missing (was the package built?)`);
    failed = true;
  }
  console.log(`${pkg.name}: exports point at ${dirname(targets(exports)[0] ?? './dist/x')}`);
}
process.exit(failed ? 1 : 0);
