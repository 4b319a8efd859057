// The plugin over HTTP against a real kernel and PostgreSQL (embedded, or DATABASE_URL): one
// kernel and tenant for the file, each case building its own warehouse and items.
import { createPluginTestKit, type PluginTestKit } from '@erp/plugin-testkit';
import { afterAll, beforeAll } from 'vitest';
import { badInput } from './cases/bad-input.js';
import { cancels } from './cases/cancels.js';
import { categories } from './cases/categories.js';
import { concurrency } from './cases/concurrency.js';
import { counts } from './cases/counts.js';
import { dates } from './cases/dates.js';
import { receiptsAndIssues } from './cases/receipts-issues.js';
import { reorder } from './cases/reorder.js';
import { returns } from './cases/returns.js';
import { transfers } from './cases/transfers.js';
import { unknownIds } from './cases/unknown-ids.js';

let kit: PluginTestKit;
beforeAll(async () => {
  kit = await createPluginTestKit({ pluginDir: new URL('..', import.meta.url) });
});
afterAll(async () => kit?.close());

const get = () => kit;
receiptsAndIssues(get);
returns(get);
dates(get);
transfers(get);
counts(get);
reorder(get);
concurrency(get);
badInput(get);
unknownIds(get);
cancels(get);
categories(get);
