// ctx.http.fetch: the plugin's only way out of the process. The manifest must declare the host
// (http:<host>); then the kernel's safe outbound client (kernel/src/outbound) refuses non-public
// addresses unless the tenant or the operator allows them, pins the checked address, streams under a size limit
// and times out.
import type { PluginContext } from '@erp/sdk';
import { Problem } from '../../http/index.js';
import type { OutboundFetch } from '../../outbound/index.js';
import { outboundSpan } from '../../tracing/index.js';

type FetchInit = Parameters<PluginContext['http']['fetch']>[1];
type FetchResult = Awaited<ReturnType<PluginContext['http']['fetch']>>;

/**
 * `http:*` lets a plugin call any host its tenant's admin names (webhook endpoints): the address
 * checks of the outbound client still apply, so private ranges stay refused unless allowed.
 */
function allowedHost(capabilities: readonly string[], url: URL): boolean {
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  return (
    capabilities.includes('http:*') ||
    capabilities.includes(`http:${host}`) ||
    (!url.port && capabilities.includes(`http:${url.hostname}`))
  );
}

/**
 * Fetches `url` for `pluginId` when its manifest declares the host. `beforeSend` runs after the
 * host check and before anything leaves the process (the runner checks the unit of work there).
 */
export async function pluginFetch(
  outbound: () => Promise<OutboundFetch>,
  pluginId: string,
  capabilities: readonly string[],
  url: string,
  init: FetchInit = {},
  beforeSend: () => Promise<void> = async () => {},
): Promise<FetchResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new Problem(500, 'ERP_HTTP_URL_INVALID', 'Invalid URL', {
      detail: `Plugin ${pluginId} fetched ${url}.`,
    });
  }
  if (!['http:', 'https:'].includes(target.protocol) || !allowedHost(capabilities, target)) {
    throw new Problem(500, 'ERP_HTTP_HOST_UNDECLARED', 'Host not declared', {
      detail: `Plugin ${pluginId} may not call ${target.host}: its manifest does not declare http:${target.host}.`,
    });
  }
  await beforeSend();
  const fetcher = await outbound();
  const own = new Set(Object.keys(init.headers ?? {}).map((h) => h.toLowerCase()));
  return outboundSpan(
    { plugin: pluginId, method: (init.method ?? 'GET').toUpperCase(), url: target },
    (trace) => {
      const carried = Object.entries(trace).filter(([h]) => !own.has(h.toLowerCase()));
      return fetcher(target, { ...init, headers: { ...Object.fromEntries(carried), ...init.headers } });
    },
  );
}
