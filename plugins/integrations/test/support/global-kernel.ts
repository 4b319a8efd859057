// One kernel for the whole suite (vitest globalSetup): starting one on the embedded PostgreSQL
// costs far more than the tests, so the files share it, each with tenants of its own (webhooks
// 0-1, imports 2-3, exports 4-5, import targets 6), and reach it over HTTP. time-tracking and
// project-costing are on the plugin path; the import-targets file installs them for its tenant.
import { startPluginKernel } from '@erp/plugin-testkit';
import type { TestProject } from 'vitest/node';
import { pluginDir } from './dirs.js';

export const TENANTS = 7;

export default async function setup(project: TestProject) {
  const kernel = await startPluginKernel({
    pluginDirs: [
      pluginDir('integrations'),
      pluginDir('warehouses'),
      pluginDir('time-tracking'),
      pluginDir('project-costing'),
    ],
    tenants: TENANTS,
    install: ['@erp-plugin/warehouses', '@erp-plugin/integrations'],
  });
  project.provide('kernel', {
    url: kernel.url,
    tenants: kernel.tenants.map((t) => ({ id: t.id, slug: t.slug, token: t.token })),
  });
  return () => kernel.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    kernel: { url: string; tenants: { id: string; slug: string; token: string }[] };
  }
}
