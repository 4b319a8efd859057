// What a plugin capability lets the plugin do, in words an admin consenting to an install reads
// (the raw capability is shown beside it, as the manifest says it).
const KERNEL_ROUTE_WORDS: Record<string, string> = {
  'GET:/api/v1/auth/me': 'who the signed-in user is and which permissions it holds',
  'GET:/api/v1/iam/users': 'the list of the tenant’s users',
  'GET:/api/v1/iam/users/:id': 'one user’s account details',
  'GET:/api/v1/audit/entries': 'the audit log',
  'GET:/api/v1/jobs': 'background jobs and their state',
};

export function capabilityText(c: string): string {
  if (c === 'http:*') return 'send HTTP requests to addresses the tenant enters (such as webhooks)';
  if (c.startsWith('http:')) return `send HTTP requests to ${c.slice('http:'.length)}`;
  if (c.startsWith('events:publish:')) return `publish events ${c.slice('events:publish:'.length)}`;
  if (c.startsWith('events:subscribe:')) return `receive events ${c.slice('events:subscribe:'.length)}`;
  if (c.startsWith('kernel-api:')) {
    const route = c.slice('kernel-api:'.length);
    const what = KERNEL_ROUTE_WORDS[route] ?? route.replace(':', ' ');
    return `its screens may read ${what}, with the signed-in user’s own permission`;
  }
  return c;
}
