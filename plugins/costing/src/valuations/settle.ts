// Costs a valuation's waiting steps in ledger order. The bus gives no ordering guarantee and moves
// may be back-dated, so a step may arrive that sorts before the last one applied: the valuation is
// then re-costed from its first step (as ERPNext reposts a back-dated entry). A step the engine
// refuses, or whose original is not costed yet, waits, and so does every step after it: a
// valuation is always the exact result of a prefix of its ledger, and the rest is retried when
// the next step arrives, when a dependency is costed, or when the item's settings change.
import { CostingError, restoreValuation } from '../engine/index.js';
import { announceIssues } from '../issue-events/index.js';
import { itemSettings } from '../item-settings/index.js';
import type { Ctx } from '../shared/index.js';
import { type ApplyContext, applyStep, CostingWait } from './apply.js';
import { deleteEntries, insertEntries, type StepEntries } from './entries.js';
import { Records } from './records.js';
import { allSteps, comparePositions, getSteps, markSteps, type StepOutcome, waitingSteps } from './steps.js';
import { freshValuation, saveValuation } from './store.js';
import type { StepRow, ValuationKey, ValuationRow } from './types.js';

export interface Blocker {
  step: StepRow;
  error: CostingError | CostingWait;
}

export interface SettleOutcome {
  key: ValuationKey;
  recosted: boolean;
  applied: Set<string>;
  /** The first step that could not be costed (every later step waits behind it). */
  blocker: Blocker | null;
  /** Steps that were applied before this pass and wait now (only a re-cost can do that). */
  unapplied: string[];
  /** Records and steps whose cost or status changed: what dependents elsewhere must follow. */
  changed: string[];
}

async function recordsOf(ctx: Ctx, key: ValuationKey): Promise<Map<string, string>> {
  const rows = await ctx.db.query<{ id: string; r: string }>(
    `select receipt_id as id, concat_ws('|', qty, unit_cost, value, landed, returned_qty, returned_value) as r
       from receipt_costs where item_id = $1 and warehouse_id = $2
     union all
     select issue_id, concat_ws('|', qty, cogs, corrected, pending_qty, returned_qty, returned_value)
       from issue_costs where item_id = $1 and warehouse_id = $2`,
    [key.itemId, key.warehouseId],
  );
  return new Map(rows.map((x) => [x.id, x.r]));
}

export async function settle(
  ctx: Ctx,
  row: ValuationRow,
  opts: { recost?: boolean } = {},
): Promise<SettleOutcome> {
  const settings = await itemSettings(ctx, row.itemId);
  const waiting = await waitingSteps(ctx, row);
  const last = row.lastAt ? { at: row.lastAt, seq: row.lastSeq!, ord: row.lastOrd! } : null;
  const recost =
    opts.recost === true || (last !== null && waiting.length > 0 && comparePositions(waiting[0]!, last) < 0);
  const outcome: SettleOutcome = {
    key: row,
    recosted: recost,
    applied: new Set(),
    blocker: null,
    unapplied: [],
    changed: [],
  };
  if (!recost && waiting.length === 0) return outcome;

  const steps = recost ? await allSteps(ctx, row) : waiting;
  const wasApplied = new Set(steps.filter((s) => s.status === 'applied').map((s) => s.id));
  const before = recost ? await recordsOf(ctx, row) : new Map<string, string>();
  // Within this pass a step counts as costed once it is applied again.
  for (const s of steps) s.status = 'waiting';
  const valuation = recost
    ? freshValuation(row.initial, settings.allowNegativeStock)
    : restoreValuation({ ...row.state, allowNegativeStock: settings.allowNegativeStock });
  const records = new Records(ctx, row, recost);
  const known = new Map(steps.map((s) => [s.id, s]));
  const applyCtx: ApplyContext = {
    plugin: ctx,
    records,
    currency: row.initial.currencyDecimals,
    async step(id) {
      if (!known.has(id)) for (const [k, v] of await getSteps(ctx, [id])) known.set(k, v);
      return known.get(id);
    },
  };

  const outcomes: StepOutcome[] = [];
  const produced: StepEntries[] = [];
  let lastApplied = recost ? null : last;
  for (const step of steps) {
    if (outcome.blocker) {
      outcomes.push({ id: step.id, status: 'waiting' });
      continue;
    }
    try {
      const done = await applyStep(valuation, step, applyCtx);
      step.status = 'applied';
      outcome.applied.add(step.id);
      outcomes.push({ id: step.id, status: 'applied', resolvedUnitCost: done.resolvedUnitCost });
      produced.push({ stepId: step.id, at: step.at, entries: done.entries });
      lastApplied = step;
    } catch (err) {
      if (!(err instanceof CostingError || err instanceof CostingWait)) throw err;
      outcome.blocker = { step, error: err };
      outcomes.push({ id: step.id, status: 'waiting', errorCode: err.code, error: err.message });
    }
  }

  if (recost) await deleteEntries(ctx, row);
  await insertEntries(ctx, row, produced);
  await records.save();
  await markSteps(ctx, outcomes);
  await announceIssues(ctx, row, recost ? null : records.written(), recost ? 'repost' : 'correction');
  const waitingNow = outcomes.filter((o) => o.status === 'waiting').length;
  const snapshot = valuation.toJSON();
  await saveValuation(
    ctx,
    row,
    snapshot,
    lastApplied ? { at: lastApplied.at, seq: lastApplied.seq, ord: lastApplied.ord } : null,
    waitingNow,
    recost,
  );

  outcome.unapplied = [...wasApplied].filter((id) => !outcome.applied.has(id));
  if (recost) {
    const after = await recordsOf(ctx, row);
    const ids = new Set([...before.keys(), ...after.keys()]);
    outcome.changed = [...ids].filter((id) => before.get(id) !== after.get(id));
  } else {
    outcome.changed = records.written();
  }
  outcome.changed.push(...outcome.unapplied);
  return outcome;
}
