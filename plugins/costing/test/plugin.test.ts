// The plugin over HTTP against a real kernel and PostgreSQL (embedded, or DATABASE_URL), with the
// warehouses plugin installed: every move is posted to warehouses and reaches costing as an event
// on the real bus. One kernel and two tenants for the file; each case builds its own items.
import { afterAll, beforeAll } from 'vitest';
import { browser } from './cases/browser.js';
import { cancels } from './cases/cancels.js';
import { conventions } from './cases/conventions.js';
import { guards } from './cases/guards.js';
import { history } from './cases/history.js';
import { landedCosts } from './cases/landed-costs.js';
import { methods, ordering } from './cases/methods.js';
import { notFoundCases } from './cases/not-found.js';
import { returnsAndTransfers } from './cases/returns.js';
import { vendorBills } from './cases/vendor-bills.js';
import { type Env, startEnv } from './support/world.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => env?.kit.close());

const get = () => env;
methods(get);
ordering(get);
returnsAndTransfers(get);
landedCosts(get);
guards(get);
history(get);
notFoundCases(get);
vendorBills(get);
conventions(get);
cancels(get);
browser(get);
