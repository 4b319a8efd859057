// One step of a valuation: the move or document turned into the engine call it means, with the
// records it needs, and the engine's entries re-labelled where a move is not a purchase or a sale
// (transfers between warehouses, adjustments, returns into another warehouse than the original
// move's). Throws a CostingError (the engine's refusal) or a CostingWait (something this step
// depends on is not costed yet); either leaves the valuation untouched.
import type { Entry, IssueRecord, StepResult, Valuation } from '../engine/index.js';
import { add, type Ctx, dec, isZero, rate, roundMul, str, sub } from '../shared/index.js';
import { applyCount, consumed, produced, productCost, stored } from './apply-documents.js';
import { applyLandedCost } from './apply-landed.js';
import type { Records } from './records.js';
import { readIssue, readReceipt } from './records.js';
import type { StepKind, StepRow, StoredEntry } from './types.js';
import { sameValuation } from './types.js';
import { CostingWait } from './wait.js';

export { CostingWait };

export interface Applied {
  entries: StoredEntry[];
  /** The unit cost used when the step did not carry one. */
  resolvedUnitCost: string | null;
  /** The engine's warning, e.g. units issued below zero at a cost of zero (COSTING_ZERO_COST_FALLBACK). */
  warning?: string | null;
}

export interface ApplyContext {
  /** For the records of other valuations, read from the database (saved before anything depending on them is costed). */
  plugin: Ctx;
  records: Records;
  /** The steps a return, transfer in or landed cost refers to (any valuation). */
  step(id: string): Promise<StepRow | undefined>;
  /** Decimals of the currency's minor unit. */
  currency: number;
}

/** Moves a column's value into another (negated or not), keeping the entry balanced. */
function relabel(
  e: Entry,
  type: string,
  from: 'received' | 'cogs',
  to: 'transfer' | 'adjustment' | 'cogs',
): StoredEntry {
  const out = stored(e, { type: type as Entry['type'] });
  const v = e[from];
  out[from] = '0';
  // received is a source (left side), the others are uses (right side): moving across negates.
  out[to] = from === 'received' ? sub(out[to], v) : add(out[to], v);
  return out;
}

/** The unit cost stock is carried at now, else the last known cost, else zero. */
function currentCost(v: Valuation): string {
  const now = v.unitCost();
  if (now !== null) return now;
  const last = v.toJSON().lastCost;
  return last ? rate(last.value, last.qty) : '0';
}

/**
 * Specific identification: the cost of each serial a line names, from the record of the issue it
 * left by (transfer out, or the issue a return into another warehouse takes back), when that
 * record has them all and no correction changed it since; else nothing (the line's rate applies).
 */
function serialCostsOf(
  rec: IssueRecord,
  named: { serials?: string[] },
): { serialCosts: Record<string, string> } | Record<string, never> {
  const costs = rec.serialCosts;
  const serials = named.serials;
  if (!costs || !serials || serials.length < 2 || rec.corrections.length > 0) return {};
  if (!serials.every((s) => costs[s] !== undefined)) return {};
  return { serialCosts: Object.fromEntries(serials.map((s) => [s, costs[s]!])) };
}

async function original(ctx: ApplyContext, step: StepRow, expect: StepKind): Promise<StepRow> {
  const ref = step.ref ? await ctx.step(step.ref) : undefined;
  if (ref?.status !== 'applied' || ref.kind !== expect) {
    const what =
      expect === 'transfer-out' ? 'the transfer out of the other warehouse' : `the returned ${expect}`;
    throw new CostingWait(
      expect === 'transfer-out' ? 'COSTING_TRANSFER_NOT_COSTED' : 'COSTING_ORIGINAL_NOT_COSTED',
      `${what} (${step.ref}) is not costed yet`,
    );
  }
  return ref;
}

export async function applyStep(v: Valuation, step: StepRow, ctx: ApplyContext): Promise<Applied> {
  const base = { date: step.at };
  // Specific identification: the batch, the one serial or the serials the move names; none makes
  // the engine refuse.
  const named = step.input as { lot?: string; serials?: string[] };
  const lot =
    v.method !== 'specific'
      ? {}
      : named.lot !== undefined
        ? { lot: named.lot }
        : named.serials !== undefined
          ? { serials: named.serials }
          : {};
  const result = async (r: StepResult, map: (e: Entry) => StoredEntry = (e) => stored(e)) => {
    ctx.records.take(r);
    return r.entries.map(map);
  };
  const corrections = async (e: Entry): Promise<StoredEntry> => {
    // An arrival that settles units issued below zero corrects that issue's cost: COGS for a sale,
    // but a transfer or an adjustment keeps its own label.
    if (e.type !== 'negative_correction' || !e.ref) return stored(e);
    const kind = (await ctx.step(e.ref))?.kind;
    if (kind === 'transfer-out') return relabel(e, 'negative_correction', 'cogs', 'transfer');
    if (kind === 'adjustment-out') return relabel(e, 'negative_correction', 'cogs', 'adjustment');
    return stored(e);
  };
  const mapAll = (first: (e: Entry) => StoredEntry) => async (r: StepResult) => {
    ctx.records.take(r);
    const out: StoredEntry[] = [];
    for (const e of r.entries)
      out.push(e.id === step.id && e.type !== 'negative_correction' ? first(e) : await corrections(e));
    return out;
  };

  switch (step.kind) {
    case 'receipt':
    case 'adjustment-in':
    case 'transfer-in': {
      let unitCost = step.unitCost;
      let resolved: string | null = null;
      let own: ReturnType<typeof serialCostsOf> = {};
      if (step.kind === 'transfer-in') {
        const out = await original(ctx, step, 'transfer-out');
        const rec = await readIssue(ctx.plugin, out.id);
        if (!rec)
          throw new CostingWait(
            'COSTING_TRANSFER_NOT_COSTED',
            `the transfer out (${out.id}) has no cost record`,
          );
        const total = rec.corrections.reduce((s, c) => add(s, c.amount), rec.cogs);
        unitCost = rate(total, rec.qty);
        resolved = unitCost;
        // Serials that left together arrive each at its own cost (the line's rate stays the
        // resolved unit cost shown on the step).
        own = serialCostsOf(rec, lot);
      } else if ((step.input as { components?: string[] }).components) {
        const cost = await productCost(step, { step: ctx.step, plugin: ctx.plugin, take: () => {} });
        unitCost = cost.unitCost;
        resolved = unitCost;
        const r = v.receive({ ...base, ...lot, receiptId: step.id, qty: step.qty!, unitCost });
        return { entries: await mapAll(produced(cost.components))(r), resolvedUnitCost: resolved };
      } else if (unitCost === null) {
        unitCost = currentCost(v);
        resolved = unitCost;
      }
      const r = v.receive({ ...base, ...lot, ...own, receiptId: step.id, qty: step.qty!, unitCost });
      const label =
        step.kind === 'transfer-in'
          ? (e: Entry) => relabel(e, 'transfer_in', 'received', 'transfer')
          : step.kind === 'adjustment-in'
            ? (e: Entry) => relabel(e, 'adjustment_in', 'received', 'adjustment')
            : (e: Entry) => stored(e);
      return { entries: await mapAll(label)(r), resolvedUnitCost: resolved };
    }
    case 'issue':
    case 'transfer-out':
    case 'adjustment-out': {
      // Below zero with no cost history the engine falls back to the cost price, then to the last
      // purchase price: the item's latest receipt up to this step in any warehouse.
      const short = dec(step.qty!).gt(dec(v.qtyOnHand())) && v.settings.allowNegativeStock;
      const last = short
        ? await ctx.plugin.db.one<{ c: string }>(
            `select trim_scale(r.unit_cost)::text as c from receipt_costs r join steps s on s.id = r.receipt_id
              where r.item_id = $1 and s.kind = 'receipt' and r.at <= $2 order by r.at desc limit 1`,
            [step.itemId, step.at],
          )
        : null;
      const r = v.issue({
        ...base,
        ...lot,
        issueId: step.id,
        qty: step.qty!,
        ...(last ? { lastPurchasePrice: last.c } : {}),
      });
      const label =
        step.kind === 'transfer-out'
          ? (e: Entry) => relabel(e, 'transfer_out', 'cogs', 'transfer')
          : (step.input as { repack?: string }).repack
            ? consumed
            : step.kind === 'adjustment-out'
              ? (e: Entry) => relabel(e, 'adjustment_out', 'cogs', 'adjustment')
              : (e: Entry) => stored(e);
      const warning = r.warnings?.[0];
      return {
        entries: await mapAll(label)(r),
        resolvedUnitCost: null,
        warning: warning ? `${warning.code}: ${warning.message}` : null,
      };
    }
    case 'customer-return': {
      const issue = await original(ctx, step, 'issue');
      if (sameValuation(issue, step)) {
        const rec = await ctx.records.issue(issue.id);
        const r = v.customerReturn({
          ...base,
          ...lot,
          returnId: step.id,
          issueId: issue.id,
          qty: step.qty!,
          ...(rec ? { original: rec } : {}),
        });
        return { entries: await mapAll((e) => stored(e))(r), resolvedUnitCost: null };
      }
      // Back into another warehouse: at the original issue's cost per unit still to return.
      const rec = await readIssue(ctx.plugin, issue.id);
      if (!rec)
        throw new CostingWait(
          'COSTING_ORIGINAL_NOT_COSTED',
          `the returned issue (${issue.id}) has no cost record`,
        );
      const total = rec.corrections.reduce((s, c) => add(s, c.amount), rec.cogs);
      const left = sub(rec.qty, rec.returnedQty);
      const unitCost = dec(left).gt(dec('0'))
        ? rate(sub(total, rec.returnedValue), left)
        : rate(total, rec.qty);
      const own = serialCostsOf(rec, lot);
      const r = v.receive({ ...base, ...lot, ...own, receiptId: step.id, qty: step.qty!, unitCost });
      const out = await mapAll((e) => ({
        ...relabel(e, 'customer_return', 'received', 'cogs'),
        ref: issue.id,
      }))(r);
      return { entries: out, resolvedUnitCost: unitCost };
    }
    case 'vendor-return': {
      const receipt = await original(ctx, step, 'receipt');
      if (sameValuation(receipt, step)) {
        const rec = await ctx.records.receipt(receipt.id);
        const r = v.vendorReturn({
          ...base,
          ...lot,
          returnId: step.id,
          receiptId: receipt.id,
          qty: step.qty!,
          ...(rec ? { original: rec } : {}),
          // Average cost: Odoo's rule (at the average) unless the tenant follows ERPNext's.
          ...(ctx.plugin.config.averageVendorReturn === 'receipt' ? { valueAt: 'receipt' as const } : {}),
        });
        return { entries: await mapAll((e) => stored(e))(r), resolvedUnitCost: null };
      }
      // Out of another warehouse: stock leaves at this warehouse's cost; the vendor credits the
      // receipt's cost with its landed cost; the gap is a vendor-return variance.
      const rec = await readReceipt(ctx.plugin, receipt.id);
      if (!rec)
        throw new CostingWait(
          'COSTING_ORIGINAL_NOT_COSTED',
          `the returned receipt (${receipt.id}) has no cost record`,
        );
      const left = sub(rec.qty, rec.returnedQty);
      const unitCost = dec(left).gt(dec('0'))
        ? rate(sub(add(rec.value, rec.landed), rec.returnedValue), left)
        : rate(add(rec.value, rec.landed), rec.qty);
      const credit = roundMul(step.qty!, unitCost, ctx.currency);
      const r = v.issue({ ...base, ...lot, issueId: step.id, qty: step.qty! });
      const out = await mapAll((e) => {
        const cost = e.cogs;
        return stored(e, {
          type: 'vendor_return',
          ref: receipt.id,
          cogs: '0',
          received: str(dec(credit).neg()),
          variance: sub(cost, credit),
          varianceKind: 'vendor_return',
        });
      })(r);
      return { entries: out, resolvedUnitCost: unitCost };
    }
    case 'landed-cost':
      return {
        entries: await applyLandedCost(v, step, {
          records: ctx.records,
          plugin: ctx.plugin,
          take: (r) => ctx.records.take(r),
        }),
        resolvedUnitCost: null,
      };
    case 'revaluation': {
      if ((step.input as { count?: boolean }).count)
        return {
          entries: applyCount(v, step, {
            step: ctx.step,
            plugin: ctx.plugin,
            take: (r) => ctx.records.take(r),
          }),
          resolvedUnitCost: null,
        };
      const input = step.input as { unitCost?: string; amount?: string };
      const r = v.revalue({
        ...base,
        revaluationId: step.id,
        ...(input.unitCost !== undefined ? { unitCost: input.unitCost } : {}),
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
      });
      return { entries: await result(r), resolvedUnitCost: null };
    }
    case 'method-change': {
      const input = step.input as {
        method: Valuation['method'];
        standardPrice?: string;
        revaluation?: { unitCost: string };
      };
      // A valuation opened after the change already runs the new method.
      const samePrice = (a: string | null, b: string | undefined) =>
        a !== null && b !== undefined && dec(a).eq(dec(b));
      if (
        input.method === v.method &&
        (input.method !== 'standard' || samePrice(v.settings.standardPrice, input.standardPrice))
      )
        return { entries: [], resolvedUnitCost: null };
      const r = v.changeMethod({
        ...base,
        changeId: step.id,
        method: input.method,
        ...(input.standardPrice !== undefined ? { standardPrice: input.standardPrice } : {}),
        ...(input.revaluation !== undefined && !isZero(v.qtyOnHand())
          ? { revaluation: input.revaluation }
          : {}),
      });
      return { entries: await result(r), resolvedUnitCost: null };
    }
  }
}
