// Steps of the warehouses documents that are more than one move (issue 14): a stock
// reconciliation line (the engine's `count`: quantity and unit cost set absolutely, ERPNext's
// Stock Reconciliation) and a repack (components leave like issues, the product arrives at their
// cost plus the additional cost, ERPNext's Repack). The value a repack moves between items is a
// `transfer`, not COGS: no sale happened.
import type { Entry, StepResult, Valuation } from '../engine/index.js';
import { add, neg, rate, sub } from '../shared/index.js';
import { readIssue } from './records.js';
import type { StepRow, StoredEntry } from './types.js';
import { CostingWait } from './wait.js';

interface Hooks {
  step(id: string): Promise<StepRow | undefined>;
  plugin: Parameters<typeof readIssue>[0];
  take(r: StepResult): void;
}

export const stored = (e: Entry, patch: Partial<StoredEntry> = {}): StoredEntry => ({
  ...e,
  transfer: '0',
  adjustment: '0',
  ...patch,
});

export function applyCount(v: Valuation, step: StepRow, hooks: Hooks): StoredEntry[] {
  const input = step.input as { qty: string; unitCost: string };
  const r = v.count({ countId: step.id, date: step.at, qty: input.qty, unitCost: input.unitCost });
  hooks.take(r);
  return r.entries.map((e) => stored(e));
}

/** The component's own entry moves its cost from COGS to transfer (to the product). */
export const consumed = (e: Entry): StoredEntry =>
  stored(e, { type: 'repack_consume' as Entry['type'], cogs: '0', transfer: e.cogs });

/** What the product is worth: every component's cost (corrections included) plus the additional cost. */
export async function productCost(
  step: StepRow,
  hooks: Hooks,
): Promise<{ unitCost: string; components: string }> {
  const input = step.input as { components: string[]; additionalCost: string };
  let total = '0';
  for (const id of input.components) {
    const s = await hooks.step(id);
    const rec = s?.status === 'applied' ? await readIssue(hooks.plugin, id) : undefined;
    if (!rec)
      throw new CostingWait('COSTING_REPACK_NOT_COSTED', `the repack's component ${id} is not costed yet`);
    total = rec.corrections.reduce((sum, c) => add(sum, c.amount), add(total, rec.cogs));
  }
  return { unitCost: rate(add(total, input.additionalCost), step.qty!), components: total };
}

/** The product's own entry: the components' value arrives by transfer, the additional cost is received. */
export const produced =
  (components: string) =>
  (e: Entry): StoredEntry =>
    stored(e, {
      type: 'repack_produce' as Entry['type'],
      received: sub(e.received, components),
      transfer: neg(components),
    });
