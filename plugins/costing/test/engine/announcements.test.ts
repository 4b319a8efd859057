// The property the plugin's costing.issue.costed / .recosted events rest on (issue 14): an issue's
// cost announced when it is costed (its COGS at issue) plus every later change costing sees in the
// same pass as the arrival that causes it (the negative_correction entries against that issue)
// always equals the engine's own figure for the issue (issueCost().totalCogs), under every method
// that can go below zero, for any sequence of receipts, issues and customer returns.
import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostingError, type CostingMethod, createValuation, type StepResult } from '../../src/index.js';

const RUNS = Number(process.env.COSTING_PROPERTY_RUNS ?? 60);

type Op =
  | { op: 'receive'; qty: number; cents: number }
  | { op: 'issue'; qty: number; pick?: never }
  | { op: 'return'; pick: number; qty: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('receive' as const),
    qty: fc.integer({ min: 1, max: 30 }),
    cents: fc.integer({ min: 0, max: 2000 }),
  }),
  fc.record({ op: fc.constant('issue' as const), qty: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ op: fc.constant('return' as const), pick: fc.nat(), qty: fc.integer({ min: 1, max: 5 }) }),
);

function run(method: CostingMethod, costPrice: boolean, ops: Op[]) {
  const v = createValuation({
    method,
    allowNegativeStock: true,
    ...(method === 'standard' || costPrice ? { standardPrice: '2.5' } : {}),
  });
  const announced = new Map<string, Big>();
  const issues: string[] = [];
  ops.forEach((op, n) => {
    const date = `2025-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`;
    let r: StepResult;
    try {
      if (op.op === 'receive')
        r = v.receive({
          receiptId: `r${n}`,
          date,
          qty: String(op.qty),
          unitCost: new Big(op.cents).div(100).toString(),
        });
      else if (op.op === 'issue') r = v.issue({ issueId: `i${n}`, date, qty: String(op.qty) });
      else {
        if (!issues.length) return;
        r = v.customerReturn({
          returnId: `c${n}`,
          issueId: issues[op.pick % issues.length]!,
          date,
          qty: String(op.qty),
        });
      }
    } catch (err) {
      if (err instanceof CostingError) return; // refused (e.g. returning more than issued): nothing to announce
      throw err;
    }
    if (op.op === 'issue') {
      issues.push(`i${n}`);
      announced.set(`i${n}`, new Big((r as StepResult & { cogs: string }).cogs));
    }
    for (const e of r.entries)
      if (e.type === 'negative_correction' && e.ref && announced.has(e.ref))
        announced.set(e.ref, announced.get(e.ref)!.plus(e.cogs));
  });
  for (const id of issues)
    expect(announced.get(id)!.toString()).toBe(new Big(v.issueCost(id)!.totalCogs).toString());
}

describe('announced issue costs', () => {
  for (const method of ['fifo', 'lifo', 'average', 'standard'] as const) {
    it(`${method}: costed amount + corrections = the issue's cost`, () => {
      fc.assert(
        fc.property(fc.boolean(), fc.array(opArb, { maxLength: 40 }), (costPrice, ops) =>
          run(method, costPrice, ops),
        ),
        { numRuns: RUNS },
      );
    });
  }
});
