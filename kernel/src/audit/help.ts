// The lines `erp --help` shows for `erp audit …`; a file of its own so help needs no database code.
export const AUDIT_HELP = `  erp audit verify --tenant T [--key VKEY]… [--json]
                                  re-hash tenant T's chain (slug or id), check every checkpoint and the
                                  latest external one; exit 1 and name the first bad seq on tampering
  erp audit export --tenant T [--out F]
                                  write T's chain and checkpoints as NDJSON (stdout by default)
  erp audit verify --file F --checkpoint C [--key VKEY]… [--json]
                                  verify an export with no database against a checkpoint kept apart`;
