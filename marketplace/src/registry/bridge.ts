// The global map the CommonJS shim in verdaccio-plugins/ reads: one entry per running registry.
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const KEY = Symbol.for('@erp/marketplace/verdaccio-bridge');

function bridge(): Map<string, object> {
  const g = globalThis as unknown as Record<symbol, Map<string, object> | undefined>;
  g[KEY] ??= new Map();
  return g[KEY];
}

export function registerPluginInstance(plugin: object): { id: string; release(): void } {
  const id = randomUUID();
  bridge().set(id, plugin);
  return { id, release: () => void bridge().delete(id) };
}

/** The folder verdaccio's `plugins` setting points at. */
export const VERDACCIO_PLUGINS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'verdaccio-plugins');

/** The plugin's name in verdaccio's `auth` and `middlewares` settings (folder verdaccio-<name>). */
export const PLUGIN_NAME = 'erp-marketplace';
