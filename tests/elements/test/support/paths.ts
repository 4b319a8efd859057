// Where the first-party plugins and the suite's artifacts (screenshots, sizes; gitignored) live.
import { mkdirSync, readFileSync } from 'node:fs';
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

/** The asset URL the UI manifest gives for a plugin's module, at the version its package.json holds. */
export const moduleUrl = (id: PluginId) => {
  const { version } = JSON.parse(readFileSync(`${pluginDir(id)}/package.json`, 'utf8')) as {
    version: string;
  };
  return `/plugins/${id}/${version}/${id}.js`;
};

export const ARTIFACTS = fileURLToPath(new URL('../../artifacts', import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });
