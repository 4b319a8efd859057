#!/usr/bin/env node
// The marketplace registry as a service of its own (compose's `registry`, Kubernetes' registry
// Deployment): the same verdaccio with the marketplace plugin that `erp start` embeds on loopback,
// listening on HOST:PORT with its storage in ERP_DATA_DIR/registry (a persistent volume: packages,
// users, scope owners, publisher keys and the registry's signing key). Kernels reach it through
// REGISTRY_URL. The first-party scopes are reserved for the `erp` publisher, as `erp start` does,
// and the first-party releases the image's build stage packed (ERP_FIRST_PARTY_DIR, default
// /app/first-party) are published, signed, when the registry lacks them: a new deployment's tenants
// can install the first-party plugins at once, and a new image adds its new versions. The
// first-party key stays in ERP_DATA_DIR/first-party-publisher.json on the same volume.
// Run from the kernel image: node /app/registry.mjs
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIRST_PARTY_SCOPES, FIRST_PARTY_USER, seedPrepacked } from '@erp/kernel/marketplace';
import { startRegistry } from '@erp/marketplace';

const dataDir = process.env.ERP_DATA_DIR ?? '/var/lib/erp';
const registry = await startRegistry({
  storage: join(dataDir, 'registry'),
  host: process.env.HOST ?? '0.0.0.0',
  port: Number(process.env.PORT ?? 4873),
  reservedScopes: Object.fromEntries(FIRST_PARTY_SCOPES.map((scope) => [scope, FIRST_PARTY_USER])),
  logLevel: 'warn',
});
process.stdout.write(`registry: listening on ${registry.url} (key ${registry.keyid})\n`);
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    registry.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });

const prepacked = process.env.ERP_FIRST_PARTY_DIR ?? new URL('./first-party', import.meta.url).pathname;
if (existsSync(prepacked)) {
  const log = { info: (message) => process.stdout.write(`${message}\n`) };
  try {
    const result = await seedPrepacked({ registry, dataDir, dir: prepacked, log });
    process.stdout.write(
      `registry seeded: ${result.published.length} published, ${result.present.length} already there (${result.ms} ms)\n`,
    );
  } catch (error) {
    // The registry keeps serving what it has; the next start tries again.
    process.stderr.write(`registry seeding failed: ${error instanceof Error ? error.message : error}\n`);
  }
}
