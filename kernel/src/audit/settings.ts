// The audit log's configuration, taken from the kernel's validated environment.
import { join, resolve } from 'node:path';
import type { KernelConfig } from '../config/index.js';
import type { SealerOptions } from './sealer.js';

export function checkpointDir(config: KernelConfig): string {
  return config.ERP_AUDIT_CHECKPOINT_DIR
    ? resolve(process.env.INIT_CWD ?? process.cwd(), config.ERP_AUDIT_CHECKPOINT_DIR)
    : join(config.ERP_DATA_DIR, 'audit-checkpoints');
}

export function sealerOptions(config: KernelConfig): SealerOptions {
  return {
    checkpointEntries: config.ERP_AUDIT_CHECKPOINT_ENTRIES,
    checkpointSeconds: config.ERP_AUDIT_CHECKPOINT_SECONDS,
    intervalMs: config.ERP_AUDIT_SEAL_INTERVAL_MS,
    batchSize: config.ERP_AUDIT_SEAL_BATCH,
  };
}
