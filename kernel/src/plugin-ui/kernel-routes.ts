// The kernel routes a third-party plugin's UI may be given (issue 19). The manifest asks for them
// as `kernel-api:<METHOD>:<route>` capabilities, which the admin consents to at install like any
// other capability; the list of routes that may be asked for is the SDK's (UI_KERNEL_ROUTES), and
// this resolves each to the access rule of the route mounted under that name, so a frame's token
// carries exactly the permission that route checks. A listed route that is not mounted is a kernel
// defect, found at start rather than on a user's first call.
import { KERNEL_API_CAPABILITY, UI_KERNEL_ROUTES } from '@erp/sdk';
import type { Access, AnyRoute } from '../http/index.js';

/** `METHOD:/route/template` → the access rule of the kernel route a plugin UI may be given. */
export type UiKernelRoutes = ReadonlyMap<string, Access>;

export const routeKey = (method: string, url: string) => `${method}:${url}`;

export function uiKernelRoutes(mounted: readonly AnyRoute[]): UiKernelRoutes {
  const byKey = new Map(mounted.map((r) => [routeKey(r.method, r.url), r.access]));
  const out = new Map<string, Access>();
  for (const key of UI_KERNEL_ROUTES) {
    const access = byKey.get(key);
    if (!access) throw new Error(`UI_KERNEL_ROUTES names ${key}, which the kernel does not mount`);
    if (access === 'public') throw new Error(`UI_KERNEL_ROUTES names public route ${key}: nothing to grant`);
    out.set(key, access);
  }
  return out;
}

/** The kernel routes a manifest's capabilities ask for (already validated against the list). */
export function askedKernelRoutes(capabilities: readonly string[] | undefined): string[] {
  return (capabilities ?? [])
    .filter((c) => c.startsWith(KERNEL_API_CAPABILITY))
    .map((c) => c.slice(KERNEL_API_CAPABILITY.length));
}
