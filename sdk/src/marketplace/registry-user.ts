// Who the registry takes a token for (`GET /-/whoami`, what `npm whoami` asks): lets the CLI say
// "not logged in" before packing and signing, instead of after a refused upload.
import { MarketplaceError } from './errors.js';

function unreachable(registry: string, error: unknown): MarketplaceError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new MarketplaceError(
    'registry_unreachable',
    `registry unreachable: ${registry} (${cause?.code ?? cause?.message ?? (error as Error).message})`,
    503,
  );
}

/** Throws `registry_unreachable` naming the registry when nothing answers there (`GET /-/ping`). */
export async function assertRegistryReachable(registry: string): Promise<void> {
  try {
    await (await fetch(new URL('-/ping', registry))).body?.cancel();
  } catch (error) {
    throw unreachable(registry, error);
  }
}

/** The user name the registry knows `token` by, or undefined when the token is missing or refused. */
export async function registryWhoami(
  registry: string,
  token: string | undefined,
): Promise<string | undefined> {
  if (!token) return undefined;
  let res: Response;
  try {
    res = await fetch(new URL('-/whoami', registry), { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    throw unreachable(registry, error);
  }
  if (res.status === 401 || res.status === 403) return undefined;
  const body = (await res.json().catch(() => ({}))) as { username?: unknown };
  if (!res.ok)
    throw new MarketplaceError('registry_error', `${registry}: /-/whoami answered ${res.status}`, 502);
  return typeof body.username === 'string' && body.username !== '' ? body.username : undefined;
}
