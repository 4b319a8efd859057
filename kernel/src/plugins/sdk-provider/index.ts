// The kernel provides `@erp/sdk` (and only the SDK) to plugin code: a plugin folder needs no
// node_modules of its own for it, and plugin and kernel share one module instance (so the
// kernel's isDefinedPlugin and PluginProblem checks hold). A resolve hook (module.register,
// Node >= 20.6) resolves `@erp/sdk` and `@erp/sdk/...` as if imported from this file; every other
// specifier resolves normally, a plugin's own dependencies from its own folder; a plugin's own
// modules inherit the generation mark of its entry (reloads). Hooks chain: this
// one is registered after tsx's (`node --import tsx`), runs first and hands on to tsx's.
import { register } from 'node:module';

/** The query mark of a version imported afresh (see loader.ts). */
export const GENERATION = 'erp-generation';

// Plain JavaScript in a data: URL: the hook thread loads it without a TypeScript loader, and the
// compiled kernel needs no extra file.
const HOOK = `
let parentURL;
export function initialize(data) { parentURL = data.parentURL; }
export async function resolve(specifier, context, next) {
  if (specifier === '@erp/sdk' || specifier.startsWith('@erp/sdk/'))
    return next(specifier, { ...context, parentURL });
  const resolved = await next(specifier, context);
  // A version loaded afresh (its files changed) is imported as entry?${GENERATION}=N; its own
  // modules inherit the mark, so a fixed file deeper in the plugin is read again too.
  const g = context.parentURL && context.parentURL.startsWith('file:')
    ? new URL(context.parentURL).searchParams.get('${GENERATION}') : null;
  if (g && resolved.url.startsWith('file:') && !resolved.url.includes('/node_modules/')) {
    const url = new URL(resolved.url);
    url.searchParams.set('${GENERATION}', g);
    return { ...resolved, url: url.href };
  }
  return resolved;
}
`;

let registered = false;

/** Registers the hook once per process; idempotent and cheap after the first call. */
export function ensureSdkProvided(): void {
  if (registered) return;
  registered = true;
  if (typeof register !== 'function') return; // Node < 20.6: plugins bring their own @erp/sdk
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, {
    parentURL: import.meta.url,
    data: { parentURL: import.meta.url },
  });
}
