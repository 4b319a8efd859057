// The audit log's permissions, registered by the kernel at start like its other permissions.
export const AUDIT_PERMISSIONS = {
  'audit.entries.read': 'List and view audit entries of the tenant',
  'audit.proofs.read': 'Read signed checkpoints and inclusion and consistency proofs',
  'audit.chain.verify': 'Verify the tenant\u2019s audit chain and see the result',
} as const;
