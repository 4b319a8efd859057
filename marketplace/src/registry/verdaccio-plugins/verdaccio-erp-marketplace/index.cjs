// verdaccio loads plugins with require() from a folder; the marketplace's plugin is TypeScript living
// in the process that started the registry. This shim hands verdaccio that in-process object: the
// registry registers it under an id on a global bridge, and the verdaccio config names the id.
'use strict';

module.exports = function erpMarketplacePlugin(config) {
  const bridge = globalThis[Symbol.for('@erp/marketplace/verdaccio-bridge')];
  const plugin = bridge?.get(config.instance);
  if (!plugin) throw new Error(`@erp/marketplace: no registry instance ${config.instance} in this process`);
  return plugin;
};
