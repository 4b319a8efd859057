#!/usr/bin/env node
// The marketplace registry as a service of its own (compose's `registry`, Kubernetes' registry
// Deployment): the same verdaccio with the marketplace plugin that `erp start` embeds on loopback,
// listening on HOST:PORT with its storage in ERP_DATA_DIR/registry (a persistent volume: packages,
// users, scope owners, publisher keys and the registry's signing key). Kernels reach it through
// REGISTRY_URL. The first-party scopes are reserved for the `erp` publisher, as `erp start` does.
// Run from the kernel image: node /app/registry.mjs
import { join } from 'node:path';
import { startRegistry } from '@erp/marketplace';

const registry = await startRegistry({
  storage: join(process.env.ERP_DATA_DIR ?? '/var/lib/erp', 'registry'),
  host: process.env.HOST ?? '0.0.0.0',
  port: Number(process.env.PORT ?? 4873),
  reservedScopes: { '@erp': 'erp', '@erp-plugin': 'erp' },
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
