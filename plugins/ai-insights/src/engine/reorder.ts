// Reorder suggestions from a forecast. Demand over the supplier's lead time is the forecast summed
// over it; its uncertainty is the backtest's forecast error, summed over the lead time as
// independent per-period errors (σ_L = √(Σ σ_h²)). Safety stock is z·σ_L with z the standard
// normal quantile of the service level (cycle service level: the chance of not running out in a
// replenishment cycle); the reorder point is lead-time demand plus safety stock. The quantity is
// the economic order quantity when ordering and holding costs are known, else the demand over the
// review period, and never below the minimum order.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

export interface ReorderInput {
  /** Forecast per period (at least the lead time plus the review period). */
  point: readonly number[];
  /** Forecast error standard deviation per period. */
  sigma: readonly number[];
  /** Supplier lead time in periods (may be fractional). */
  leadTime: number;
  /** In (0, 1). */
  serviceLevel: number;
  onHand: number;
  /** Already ordered and not yet received. */
  onOrder?: number;
  /** Periods between orders when there is no EOQ; default 1. */
  reviewPeriod?: number;
  /** Cost of placing one order and of holding one unit for one period (both, for the EOQ). */
  orderCost?: number;
  holdingCost?: number;
  minOrder?: number;
}

export interface ReorderSuggestion {
  z: number;
  leadTimeDemand: number;
  leadTimeSigma: number;
  safetyStock: number;
  reorderPoint: number;
  orderQuantity: number;
  /** Whether on-hand plus on-order is at or below the reorder point now. */
  orderNow: boolean;
  explanation: string;
}

/** Σ over the first `periods` (fractional: the last one in part) of f(value). */
function over(values: readonly number[], periods: number, f: (v: number) => number): number {
  let total = 0;
  for (let i = 0; i < Math.ceil(periods); i++) {
    const share = Math.min(1, periods - i);
    total += share * f(values[Math.min(i, values.length - 1)] ?? 0);
  }
  return total;
}

export function reorderSuggestion(input: ReorderInput): ReorderSuggestion {
  const { serviceLevel, leadTime } = input;
  if (!(serviceLevel > 0 && serviceLevel < 1)) throw new RangeError('serviceLevel must be in (0, 1)');
  if (!(leadTime >= 0)) throw new RangeError('leadTime must be ≥ 0');
  const z = normalQuantile(serviceLevel, 0, 1);
  const leadTimeDemand = over(input.point, leadTime, (v) => v);
  const leadTimeSigma = Math.sqrt(over(input.sigma, leadTime, (s) => s * s));
  const safetyStock = Math.max(0, z * leadTimeSigma);
  const reorderPoint = leadTimeDemand + safetyStock;
  const review = input.reviewPeriod ?? 1;
  const perPeriod = input.point.length ? input.point.reduce((a, b) => a + b, 0) / input.point.length : 0;
  const eoq =
    input.orderCost && input.holdingCost && perPeriod > 0
      ? Math.sqrt((2 * perPeriod * input.orderCost) / input.holdingCost)
      : null;
  const orderQuantity = Math.max(input.minOrder ?? 0, eoq ?? over(input.point, review, (v) => v));
  const position = input.onHand + (input.onOrder ?? 0);
  const orderNow = position <= reorderPoint;
  const f = (v: number) => v.toFixed(1);
  return {
    z,
    leadTimeDemand,
    leadTimeSigma,
    safetyStock,
    reorderPoint,
    orderQuantity,
    orderNow,
    explanation:
      `demand over the ${leadTime}-period lead time ${f(leadTimeDemand)} ± ${f(leadTimeSigma)}; ` +
      `safety stock ${f(safetyStock)} = z ${z.toFixed(2)} (service level ${serviceLevel}) × ${f(leadTimeSigma)}; ` +
      `reorder at ${f(reorderPoint)}; order ${f(orderQuantity)} (${eoq !== null ? 'economic order quantity' : `demand over ${review} period(s)`})` +
      (orderNow ? `; stock position ${f(position)} is at or below the reorder point: order now` : ''),
  };
}
