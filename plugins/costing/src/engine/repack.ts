// Repack / kitting as one document (ERPNext's Repack stock entry, Odoo's kit or unbuild-free
// manufacture): components are consumed from their valuations and the product is received into its
// own at the components' cost plus an additional cost (labour, packaging). All or nothing: if any
// step is refused, every valuation is put back as it was and the error is thrown.
// Components issued below zero are costed at their fallback; their later correction goes to the
// component's issue (as for any issue), not to the product.
import { money, RATE_DECIMALS, str, ZERO } from './decimal.js';
import { CostingErrorCode as C, CostingError, fail } from './errors.js';
import type { Decimal, IssueResult, StepResult } from './types.js';
import { requireAmount, requireDate, requireId, requireObject, requirePositiveQty } from './validate.js';
import type { Valuation } from './valuation.js';

export interface RepackInput {
  repackId: string;
  date: string;
  /** Each component's valuation and the quantity consumed (an issue with id `repackId`). */
  components: { valuation: Valuation; qty: Decimal; lastPurchasePrice?: Decimal; lot?: string }[];
  /** The product's valuation and the quantity produced (a receipt with id `repackId`). */
  product: { valuation: Valuation; qty: Decimal; lot?: string };
  /** Added to the components' cost, in the product's currency; default 0. */
  additionalCost?: Decimal;
}

export interface RepackResult {
  /** One issue per component, entries typed `repack_consume`. */
  components: IssueResult[];
  /** The product's receipt, entries typed `repack_produce` (negative corrections keep their type). */
  product: StepResult;
  /** Components' cost + additional cost: the product's value. */
  cost: Decimal;
  /** cost ÷ qty, unrounded (RATE_DECIMALS places). */
  unitCost: Decimal;
}

export function repack(input: RepackInput): RepackResult {
  const o = requireObject(input, '');
  const repackId = requireId(o.repackId, 'repackId');
  const date = requireDate(o.date, 'date');
  if (!Array.isArray(o.components) || o.components.length === 0)
    fail(C.INVALID_INPUT, 'components', 'must be a non-empty array');
  const product = requireObject(o.product, 'product');
  const qty = requirePositiveQty(product.qty, 'product/qty');
  const target = product.valuation as Valuation;
  const components = o.components as RepackInput['components'];
  const all = [target, ...components.map((c) => c.valuation)];
  if (new Set(all).size !== all.length)
    fail(C.INVALID_REPACK, 'components', 'each component and the product must be a different valuation');
  const extra =
    o.additionalCost === undefined || o.additionalCost === '0'
      ? ZERO
      : requireAmount(o.additionalCost, 'additionalCost', money(target.settings.currencyDecimals));

  const before = all.map((v) => v.toJSON());
  try {
    const issued = components.map((c, i) => {
      try {
        const r = c.valuation.issue({
          issueId: repackId,
          date,
          qty: c.qty,
          ...(c.lastPurchasePrice !== undefined ? { lastPurchasePrice: c.lastPurchasePrice } : {}),
          ...(c.lot !== undefined ? { lot: c.lot } : {}),
        });
        for (const e of r.entries) if (e.type === 'issue') e.type = 'repack_consume';
        return r;
      } catch (error) {
        throw prefixed(error, `components/${i}/`);
      }
    });
    const cost = issued.reduce((sum, r) => sum.plus(r.cogs), extra);
    const unitCost = cost.div(qty).round(RATE_DECIMALS, 0);
    let produced: StepResult;
    try {
      produced = target.receive({
        receiptId: repackId,
        date,
        qty: str(qty),
        unitCost: str(unitCost),
        ...(typeof product.lot === 'string' ? { lot: product.lot } : {}),
      });
    } catch (error) {
      throw prefixed(error, 'product/');
    }
    for (const e of produced.entries) if (e.type === 'receipt') e.type = 'repack_produce';
    return { components: issued, product: produced, cost: str(cost), unitCost: str(unitCost) };
  } catch (error) {
    all.forEach((v, i) => {
      v.resetTo(before[i]!);
    });
    throw error;
  }
}

/** Points a component's or the product's refusal at its place in the repack. */
function prefixed(error: unknown, prefix: string): unknown {
  if (!(error instanceof CostingError)) return error;
  const field = error.field ? `${prefix}${error.field}` : prefix.slice(0, -1);
  const message = error.field ? error.message.slice(error.field.length + 2) : error.message;
  return new CostingError(error.code, field, message, error.details);
}
