// Builds the plugin's browser module (erp.ui.module) with the SDK's shared vite configuration (see
// @erp/sdk/vite): one ES module served from /plugins/integrations/<version>/integrations.js.
import { pluginModuleConfig } from '@erp/sdk/vite';
import { defineConfig } from 'vite';

export default defineConfig(
  pluginModuleConfig(import.meta.url, { entry: 'src/index.ts', fileName: 'integrations.js' }),
);
