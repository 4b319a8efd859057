// The jobs permissions are declared with the bus's (events/permissions.ts) so that the kernel
// registers one catalogue; this file names the ones the jobs routes use.
export const JOBS_READ = 'kernel.jobs.read';
export const JOBS_RETRY = 'kernel.jobs.retry';
