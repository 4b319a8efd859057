// The plugin over HTTP against a real kernel and PostgreSQL (embedded, or DATABASE_URL), with
// warehouses, costing and the time-tracking stand-in installed for two tenants: approved time and
// costed stock reach project-costing as events on the real bus. One kernel for the file.
import { afterAll, beforeAll } from 'vitest';
import { endToEnd } from './cases/actuals.js';
import { guards } from './cases/guards.js';
import { waiting } from './cases/waiting.js';
import { type Env, startEnv } from './support/world.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => env?.kit.close());

const get = () => env;
endToEnd(get);
waiting(get);
guards(get);
