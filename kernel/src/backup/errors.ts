// A backup or restore that cannot go on: one line naming the cause (exit 1), nothing half done
// left behind that looks complete (a backup without its manifest is not a backup).
export class BackupError extends Error {
  override name = 'BackupError';
}
