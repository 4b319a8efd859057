// Where the first-party plugins and the suite's artifacts (screenshots, sizes; gitignored) live.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PLUGINS = [
  'warehouses',
  'lots-serials',
  'costing',
  'project-costing',
  'time-tracking',
  'resources',
  'ai-insights',
  'integrations',
] as const;
export type PluginId = (typeof PLUGINS)[number];

export const pluginDir = (id: PluginId) =>
  fileURLToPath(new URL(`../../../../plugins/${id}`, import.meta.url));

export const ARTIFACTS = fileURLToPath(new URL('../../artifacts', import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });
