// How a plugin's failure reaches the caller: a PluginProblem keeps its status (4xx) and code; the
// kernel's own problems pass unchanged; anything else becomes a 500 with a stable code and no
// stack (the stack goes to the log, under the request id).
import { PluginProblem } from '@erp/sdk';
import { Problem } from '../../http/index.js';
import type { LoadedPlugin } from '../loader.js';

const CODE = /^[A-Z][A-Z0-9_]{2,80}$/;

export function isPluginProblem(err: unknown): err is PluginProblem {
  return err instanceof PluginProblem || (err as Error)?.name === 'PluginProblem';
}

export function fromPluginProblem(p: PluginProblem, pluginId: string): Problem {
  const status = p.status >= 400 && p.status < 500 ? p.status : 400;
  const code = CODE.test(p.code) ? p.code : `${pluginId.toUpperCase().replace(/-/g, '_')}_ERROR`;
  return new Problem(status, code, p.title, { detail: p.detail, errors: p.errors });
}

/** A failure the breaker counts: not the plugin refusing bad input. */
export function isUnexpected(err: unknown): boolean {
  if (isPluginProblem(err)) return false;
  return !(err instanceof Problem) || err.status >= 500;
}

/** The problem a route caller sees for an unexpected failure. */
export function unexpectedProblem(plugin: LoadedPlugin, entry: string, err: unknown): Problem | Error {
  if (err instanceof Problem) return err;
  // Database errors keep their own mapping (a unique violation is a 409, a refused grant a 403).
  if ((err as { severity?: string })?.severity) return err as Error;
  return new Problem(500, 'ERP_PLUGIN_FAILED', 'Plugin failed', {
    detail: `${plugin.name}@${plugin.version} failed while handling ${entry}; the kernel log has the cause under this request id.`,
  });
}

export const quarantinedProblem = (key: string, why: string) =>
  new Problem(503, 'ERP_PLUGIN_QUARANTINED', 'Plugin unavailable', {
    detail: `${key} is quarantined: ${why}`,
    retryAfterSeconds: 60,
  });

export const sandboxRequired = (status: 422 | 503, pkg: { name: string; version: string }) =>
  new Problem(status, 'ERP_PLUGIN_SANDBOX_REQUIRED', 'Plugin needs the sandbox', {
    detail: `${pkg.name}@${pkg.version} must run in the sandbox (its trust, or the tenant's trust policy, says so), and this kernel has no sandbox yet.`,
    ...(status === 503 ? { retryAfterSeconds: 3600 } : {}),
  });
