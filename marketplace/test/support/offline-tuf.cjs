// Preloaded into the npm CLI by the tests (NODE_OPTIONS=--require). `npm audit signatures` first
// asks sigstore's TUF CDN (tuf-repo-cdn.sigstore.dev) for a registry's keys and, when the CDN has no
// target for that registry — its answer for every registry but registry.npmjs.org — falls back to the
// registry's own `GET /-/npm/v1/keys`. This machine and CI have no route to that CDN, so here the
// TUF lookup gives that same "no target" answer without the network. Nothing else in npm changes:
// keys, packuments and the signature check are npm's own, against our registry.
'use strict';
const Module = require('node:module');

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const loaded = originalLoad.call(this, request, parent, isMain);
  if (request === '@sigstore/tuf' && loaded && !loaded.__erpOffline) {
    loaded.initTUF = async () => ({
      getTarget: async (name) => {
        const error = new Error(`no TUF target ${name} (offline)`);
        error.code = 'TUF_FIND_TARGET_ERROR';
        throw error;
      },
    });
    loaded.__erpOffline = true;
  }
  return loaded;
};
