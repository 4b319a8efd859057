// The plugin over real HTTP against a real kernel and PostgreSQL (embedded, or DATABASE_URL): one
// kernel and two tenants for the file, projects arriving as project-costing's events, people
// signed in with the roles each case needs.
import { afterAll, beforeAll } from 'vitest';
import { approvals } from './cases/approvals.js';
import { badInput } from './cases/bad-input.js';
import { csv } from './cases/csv.js';
import { isolation } from './cases/isolation.js';
import { overtime } from './cases/overtime.js';
import { rates } from './cases/rates.js';
import { timer } from './cases/timer.js';
import { type Env, startEnv } from './support/world.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => env?.kit.close());

const get = () => env;
timer(get);
approvals(get);
rates(get);
badInput(get);
csv(get);
overtime(get);
isolation(get);
