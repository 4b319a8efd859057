// One PostgreSQL cluster for the whole run: the server at DATABASE_URL when it is set (CI sets it),
// otherwise an embedded cluster started here (the embedded default, real PostgreSQL binaries).
// Each test file then creates a database of its own on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterUrl: string;
    clusterKind: 'server' | 'embedded';
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide('clusterUrl', given);
    project.provide('clusterKind', 'server');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'erp-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: 0, password: 'erp-test-cluster' });
  project.provide('clusterUrl', pg.url);
  project.provide('clusterKind', 'embedded');
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
