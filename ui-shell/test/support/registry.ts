// A real marketplace for the browser suite: verdaccio (startRegistry from @erp/marketplace), a
// publisher "acme" with a registered signing key, and one signed plugin with a page, packed and
// published the way a partner does it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generatePublisherKey,
  packFolder,
  publishRelease,
  RegistryPublisherKeys,
  type RunningRegistry,
  startRegistry,
} from '@erp/marketplace';

export const PUBLISHER = 'acme';
export const MARKET_PLUGIN = '@acme/notes';

async function addUser(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `${name}-password-1` }),
  });
  const body = (await res.json()) as { token?: string };
  if (res.status !== 201 || !body.token) throw new Error(`adduser ${name}: ${res.status}`);
  return body.token;
}

const manifest = {
  name: MARKET_PLUGIN,
  version: '1.0.0',
  license: 'Apache-2.0',
  type: 'module',
  engines: { erp: '^0.1.0' },
  dependencies: { '@erp/sdk': '^0.1.0' },
  erp: {
    id: 'notes',
    displayName: 'Notes',
    description: 'Notes on anything, from the marketplace',
    trust: 'third-party',
    entry: 'index.js',
    permissions: { 'notes.items.read': 'View notes' },
    capabilities: [],
    ui: {
      module: 'ui/notes.js',
      assets: 'ui',
      elements: ['acme-notes'],
      navigation: [{ label: 'Notes', path: '/notes', element: 'acme-notes', permission: 'notes.items.read' }],
    },
  },
};

const ENTRY = `import { definePlugin, route } from '@erp/sdk';
export default definePlugin({
  routes: {
    'GET /hello': route({ permission: 'notes.items.read', async handler() { return { hello: 'notes' }; } }),
  },
});
`;

const ELEMENT = `// <acme-notes>: asks its plugin's route through the shell's api and shows the answer.
class Notes extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<h2>Notes</h2><p part="answer">Loading…</p>';
    this.erp.api('/api/v1/p/notes/hello')
      .then((r) => r.json())
      .then((b) => { root.querySelector('p').textContent = 'Hello from ' + b.hello; });
  }
}
customElements.define('acme-notes', Notes);
`;

export interface Marketplace {
  url: string;
  stop(): Promise<void>;
}

export async function startMarketplace(): Promise<Marketplace> {
  const storage = await mkdtemp(join(tmpdir(), 'erp-shell-registry-'));
  const registry: RunningRegistry = await startRegistry({ storage, logLevel: 'fatal' });
  const token = await addUser(registry.url, PUBLISHER);
  const key = generatePublisherKey();
  await new RegistryPublisherKeys(registry.url, token).register(key.publicKey);
  const dir = await mkdtemp(join(tmpdir(), 'erp-shell-plugin-'));
  await mkdir(join(dir, 'ui'));
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(dir, 'index.js'), ENTRY);
  await writeFile(join(dir, 'ui', 'notes.js'), ELEMENT);
  await writeFile(join(dir, 'README.md'), '# @acme/notes\n\nNotes on anything.\n');
  await publishRelease({
    registry: registry.url,
    token,
    packed: await packFolder(dir),
    privateKey: key.privateKey,
  });
  await rm(dir, { recursive: true, force: true });
  return {
    url: registry.url,
    async stop() {
      await registry.stop();
      await rm(storage, { recursive: true, force: true });
    },
  };
}
