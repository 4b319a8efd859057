import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningRegistry, startRegistry } from '../../src/index.js';

/** One embedded registry in a fresh temp storage folder, for one test file. */
export async function freshRegistry(): Promise<RunningRegistry & { dispose(): Promise<void> }> {
  const storage = await mkdtemp(join(tmpdir(), 'erp-registry-'));
  const registry = await startRegistry({ storage, logLevel: 'fatal' });
  return {
    ...registry,
    dispose: async () => {
      await registry.stop();
      await rm(storage, { recursive: true, force: true });
    },
  };
}

/** Creates a registry user over the CouchDB user route npm itself uses; answers its token. */
export async function addUser(url: string, name: string, password = `${name}-password-1`): Promise<string> {
  const res = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  const body = (await res.json()) as { token?: string };
  if (res.status !== 201 || !body.token)
    throw new Error(`adduser ${name}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}
