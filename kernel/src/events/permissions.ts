// Permissions of the bus and jobs administration, registered under the kernel at start.
export const BUS_PERMISSIONS = {
  'kernel.events.read': 'View the tenant\u2019s events, subscribers and dead letters',
  'kernel.events.replay': 'Replay dead letters and re-deliver past events to a subscriber',
  'kernel.jobs.read': 'View the tenant\u2019s queued and failed jobs',
  'kernel.jobs.retry': 'Retry failed jobs',
} as const;
