// Costing a batch of new steps: lock the valuations they touch (in key order), insert the steps
// (a move already there was delivered before: nothing more to do), cost each valuation, then follow
// the costs to the valuations that depend on them in other warehouses: a transfer in takes its
// cost from the transfer out, a return into another warehouse from the original move.
import type { Ctx } from '../shared/index.js';
import { type SettleOutcome, settle } from './settle.js';
import { dependents, insertSteps } from './steps.js';
import { lockValuations } from './store.js';
import { type NewStep, sameValuation, type ValuationKey, valuationId } from './types.js';

/** How far costs are followed from one warehouse to the next in one unit of work. */
const MAX_HOPS = 10;

export interface CostingRun {
  inserted: Set<string>;
  outcomes: SettleOutcome[];
}

export async function costSteps(
  ctx: Ctx,
  steps: readonly NewStep[],
  sku?: string | null,
): Promise<CostingRun> {
  await lockValuations(ctx, steps, sku);
  const inserted = await insertSteps(ctx, steps);
  if (!inserted.size) return { inserted, outcomes: [] };
  const keys = steps.filter((s) => inserted.has(s.id));
  return { inserted, outcomes: await settleAll(ctx, keys) };
}

/** Settles the valuations (in the order given), then everything that depends on what changed. */
export async function settleAll(
  ctx: Ctx,
  keys: readonly ValuationKey[],
  opts: { recost?: boolean } = {},
): Promise<SettleOutcome[]> {
  const outcomes: SettleOutcome[] = [];
  let queue = [
    ...new Map(keys.map((k) => [valuationId(k), { key: k, recost: opts.recost ?? false }])).values(),
  ];
  for (let hop = 0; queue.length; hop++) {
    if (hop > MAX_HOPS)
      throw new Error(`costing: costs still changing after ${MAX_HOPS} hops between warehouses`);
    const next = new Map<string, { key: ValuationKey; recost: boolean }>();
    for (const { key, recost } of queue) {
      const row = (await lockValuations(ctx, [key])).get(valuationId(key))!;
      const out = await settle(ctx, row, { recost });
      outcomes.push(out);
      for (const dep of await dependents(ctx, out.changed)) {
        if (sameValuation(dep, key)) continue;
        const id = valuationId(dep);
        const had = next.get(id);
        next.set(id, { key: dep, recost: (had?.recost ?? false) || dep.status === 'applied' });
      }
    }
    queue = [...next.values()];
  }
  return outcomes;
}
