// The JavaScript that runs inside every isolate before the plugin's bundle: it takes the host's
// two callbacks off the global object (the plugin never sees them), builds each invocation's `ctx`
// from copied data, and turns host answers into promises. A plugin that tampers with the globals
// this code uses only breaks its own calls: the host trusts nothing it receives except strings it
// parses itself, and identifies the invocation by the isolate a callback belongs to.
export const BOOTSTRAP = `
(() => {
  'use strict';
  const hostCall = globalThis.__erpHostCall;
  const hostLog = globalThis.__erpHostLog;
  delete globalThis.__erpHostCall;
  delete globalThis.__erpHostLog;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const pending = new Map();
  let seq = 0;
  let plugin;

  class HostError extends Error {
    constructor(data) {
      super(data.message);
      this.name = 'HostError';
      this.code = data.code;
      this.status = data.status;
      this.__erpHostError = data.hostError;
    }
  }

  const call = (token, op, args) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      hostCall(token, id, op, stringify(args));
    });

  const log = (token, level) => (message, data) => {
    hostLog(token, level, String(message), data === undefined ? undefined : stringify(data));
  };

  function makeCtx(token, data) {
    return {
      db: {
        query: (sql, params) => call(token, 'db.query', [sql, params ?? []]),
        one: (sql, params) => call(token, 'db.one', [sql, params ?? []]),
      },
      events: { publish: (event, payload) => call(token, 'events.publish', [event, payload ?? null]) },
      jobs: {
        enqueue: (job, payload, options) => call(token, 'jobs.enqueue', [job, payload ?? null, options ?? {}]),
      },
      audit: { record: (entry) => call(token, 'audit.record', [entry]) },
      http: { fetch: (url, init) => call(token, 'http.fetch', [url, init ?? {}]) },
      plugins: { installed: () => call(token, 'plugins.installed', []) },
      log: {
        debug: log(token, 'debug'),
        info: log(token, 'info'),
        warn: log(token, 'warn'),
        error: log(token, 'error'),
      },
      user: data.user,
      tenant: data.tenant,
      config: data.config,
    };
  }

  function handlerOf(kind, entry, input) {
    const def = plugin;
    if (kind === 'route') {
      const r = def.routes && def.routes[entry];
      return r && ((ctx) => r.handler(ctx, input));
    }
    if (kind === 'subscription') {
      const s = def.subscriptions && def.subscriptions[entry];
      return s && ((ctx) => s.handler(ctx, input));
    }
    if (kind === 'job') {
      const j = def.jobs && def.jobs[entry];
      return j && ((ctx) => j.handler(ctx, input));
    }
    const hooks = def.hooks || {};
    if (entry === 'install' && hooks.install) return (ctx) => hooks.install(ctx);
    if (entry === 'upgrade' && hooks.upgrade && input) return (ctx) => hooks.upgrade(ctx, input);
    return undefined;
  }

  function thrownData(err) {
    if (err && typeof err === 'object') {
      const out = { name: String(err.name || 'Error'), message: String(err.message || '') };
      if (err.__erpHostError !== undefined) out.hostError = err.__erpHostError;
      if (err.name === 'PluginProblem') {
        out.status = Number(err.status);
        out.code = String(err.code);
        out.title = String(err.title);
        if (err.detail !== undefined) out.detail = String(err.detail);
        if (Array.isArray(err.errors))
          out.errors = err.errors.map((e) => ({ field: String(e && e.field), message: String(e && e.message) }));
      }
      return out;
    }
    return { name: 'Error', message: String(err) };
  }

  globalThis.__erpSeal = () => {
    const mod = globalThis.__erpPlugin;
    delete globalThis.__erpPlugin;
    plugin = mod && (mod.default || mod);
    if (!plugin || typeof plugin !== 'object') throw new Error('the entry must export definePlugin(...) as default');
    const pick = (o, f) => Object.fromEntries(Object.entries(o || {}).map(([k, v]) => [k, f(v)]));
    return stringify({
      routes: pick(plugin.routes, (r) => ({
        permission: r.permission, summary: r.summary, body: r.body, params: r.params,
        query: r.query, response: r.response, status: r.status,
      })),
      events: plugin.events || {},
      subscriptions: pick(plugin.subscriptions, (s) => ({ event: s.event })),
      jobs: pick(plugin.jobs, (j) => ({ cron: j.cron })),
      hooks: { install: typeof (plugin.hooks || {}).install === 'function', upgrade: typeof (plugin.hooks || {}).upgrade === 'function' },
      configSchema: plugin.configSchema,
    });
  };

  globalThis.__erpDeliver = (id, ok, payload) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    const value = payload === undefined ? undefined : parse(payload);
    if (ok) p.resolve(value);
    else p.reject(new HostError(value));
  };

  globalThis.__erpInvoke = async (token, kind, entry, inputJson, dataJson, maxBytes) => {
    try {
      const handler = handlerOf(kind, entry, inputJson === undefined ? undefined : parse(inputJson));
      if (!handler) return { missing: true };
      const out = await handler(makeCtx(token, parse(dataJson)));
      const json = out === undefined ? undefined : stringify(out);
      if (json !== undefined && json.length > maxBytes) return { tooLarge: json.length };
      return { ok: true, json };
    } catch (err) {
      return { thrown: thrownData(err) };
    }
  };

  globalThis.console = {
    log: (...a) => hostLog(0, 'debug', a.map(String).join(' '), undefined),
    info: (...a) => hostLog(0, 'info', a.map(String).join(' '), undefined),
    warn: (...a) => hostLog(0, 'warn', a.map(String).join(' '), undefined),
    error: (...a) => hostLog(0, 'error', a.map(String).join(' '), undefined),
    debug: (...a) => hostLog(0, 'debug', a.map(String).join(' '), undefined),
  };
})();
`;
