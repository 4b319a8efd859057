// ctx.http.fetch: the plugin's only way out of the process. Kept in one small function so the
// kernel's safe outbound client (kernel/src/outbound) can replace the body without touching the
// runner: the runner only asks "fetch this for that plugin".
import type { PluginContext } from '@erp/sdk';
import { Problem } from '../../http/index.js';

type FetchInit = Parameters<PluginContext['http']['fetch']>[1];
type FetchResult = Awaited<ReturnType<PluginContext['http']['fetch']>>;

const FETCH_TIMEOUT_MS = 10_000;
const FETCH_MAX_BYTES = 5 * 1024 * 1024;

function allowedHost(capabilities: readonly string[], url: URL): boolean {
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  return (
    capabilities.includes(`http:${host}`) || (!url.port && capabilities.includes(`http:${url.hostname}`))
  );
}

/**
 * Fetches `url` for `pluginId` when its manifest declares the host. `beforeSend` runs after the
 * host check and before anything leaves the process (the runner checks the unit of work there).
 */
export async function pluginFetch(
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
  const res = await fetch(target, {
    method: init?.method ?? 'GET',
    headers: init?.headers,
    body: init?.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  const body = await res.text();
  if (body.length > FETCH_MAX_BYTES)
    throw new Problem(502, 'ERP_HTTP_TOO_LARGE', 'Upstream response too large');
  return { status: res.status, headers: Object.fromEntries(res.headers), body };
}
