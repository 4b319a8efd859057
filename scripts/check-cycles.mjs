#!/usr/bin/env node
// Fails on any import cycle in the workspace's source: between files (type-only imports count:
// they couple modules just the same) and between the folders that are concerns (kernel/src/audit,
// kernel/src/http …), whose index.ts is their only door. Uses dpdm's parser over the TypeScript.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceRoots = [
  'kernel/src',
  'sdk/src',
  'sdk/testkit/src',
  'marketplace/src',
  'ui-shell/src',
  ...readdirSync(join(root, 'plugins')).map((p) => `plugins/${p}/src`),
];

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, path));
  }
  return out;
}

const entries = sourceRoots.flatMap((r) => {
  try {
    return tsFiles(join(root, r));
  } catch {
    return [];
  }
});
const tree = await parseDependencyTree(entries, {
  context: root,
  transform: false,
  skipDynamicImports: false,
  exclude: /node_modules/,
});

const problems = parseCircular(tree).map((cycle) => `files:   ${[...cycle, cycle[0]].join(' -> ')}`);

// Folder graph: an edge from the folder of a file to the folder of each file it imports, within
// one source root and never to its own subfolders (a concern may use its own parts).
const folderOf = (file) => dirname(file);
const edges = new Map();
for (const [file, deps] of Object.entries(tree)) {
  for (const dep of deps ?? []) {
    if (!dep.id || dep.id.includes('node_modules')) continue;
    const a = folderOf(file);
    const b = folderOf(dep.id);
    if (a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`)) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a).add(b);
  }
}
// Tarjan's strongly connected components: any component of more than one folder is a cycle.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function connect(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) problems.push(`folders: ${component.sort().join(' <-> ')}`);
  }
}
for (const v of edges.keys()) if (!idx.has(v)) connect(v);

if (problems.length) {
  console.error(`import cycles (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`no import cycles in ${entries.length} files under ${sourceRoots.length} source roots`);
