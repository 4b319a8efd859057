// Budgets by cost category and period, revised by change orders. The original budget is a set of
// lines (category, period YYYY-MM, amount); each change order adds signed deltas to lines (a new
// line when the category and period are new) and may change the contract value. The current budget
// is the original plus every change order in order; the history shows the total after each one. A
// change order that would take a line below zero is refused.
import { type Dec, dec, isDecimalString, str, sum, ZERO } from './decimal.js';
import { refuse } from './errors.js';

export interface BudgetLine {
  category: string;
  period: string;
  amount: string;
}

export interface ChangeOrder {
  number: number;
  reason: string;
  effectiveOn: string;
  lines: readonly { category: string; period: string; delta: string }[];
  contractDelta: string;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const key = (l: { category: string; period: string }) => `${l.category}\u0000${l.period}`;

export function checkBudgetLines(lines: readonly BudgetLine[], at = 'lines') {
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (!PERIOD.test(l.period)) refuse(422, 'PROJECT_INVALID_PERIOD', `${at}/${i}/period`, 'must be YYYY-MM');
    if (!isDecimalString(l.amount) || dec(l.amount).lt(ZERO))
      refuse(422, 'PROJECT_INVALID_AMOUNT', `${at}/${i}/amount`, 'must be a decimal ≥ 0');
    if (seen.has(key(l)))
      refuse(422, 'PROJECT_DUPLICATE_BUDGET_LINE', `${at}/${i}/category`, 'category and period given twice');
    seen.add(key(l));
  });
}

export interface BudgetState {
  lines: { category: string; period: string; amount: Dec }[];
  total: Dec;
  contractValue: Dec;
  history: {
    number: number;
    reason: string;
    effectiveOn: string;
    delta: Dec;
    total: Dec;
    contractValue: Dec;
  }[];
}

/** Applies the change orders to the original budget; refuses one that takes a line below zero. */
export function reviseBudget(
  original: readonly BudgetLine[],
  contractValue: string,
  orders: readonly ChangeOrder[],
): BudgetState {
  const lines = new Map<string, { category: string; period: string; amount: Dec }>();
  for (const l of original)
    lines.set(key(l), { category: l.category, period: l.period, amount: dec(l.amount) });
  let contract = dec(contractValue);
  const total = () => sum([...lines.values()].map((l) => l.amount));
  const history: BudgetState['history'] = [];
  for (const o of orders) {
    o.lines.forEach((d, i) => {
      if (!PERIOD.test(d.period))
        refuse(422, 'PROJECT_INVALID_PERIOD', `lines/${i}/period`, 'must be YYYY-MM');
      if (!isDecimalString(d.delta))
        refuse(400, 'PROJECT_INVALID_DECIMAL', `lines/${i}/delta`, 'must be a decimal');
      const line = lines.get(key(d)) ?? { category: d.category, period: d.period, amount: ZERO };
      const next = line.amount.plus(dec(d.delta));
      if (next.lt(ZERO))
        refuse(
          422,
          'PROJECT_BUDGET_BELOW_ZERO',
          `lines/${i}/delta`,
          `would take ${d.category} ${d.period} to ${str(next)}`,
        );
      lines.set(key(d), { ...line, amount: next });
    });
    contract = contract.plus(dec(o.contractDelta));
    if (contract.lt(ZERO))
      refuse(422, 'PROJECT_BUDGET_BELOW_ZERO', 'contractDelta', 'would take the contract value below zero');
    history.push({
      number: o.number,
      reason: o.reason,
      effectiveOn: o.effectiveOn,
      delta: sum(o.lines.map((d) => dec(d.delta))),
      total: total(),
      contractValue: contract,
    });
  }
  const sorted = [...lines.values()].sort(
    (a, b) => a.category.localeCompare(b.category) || a.period.localeCompare(b.period),
  );
  return { lines: sorted, total: total(), contractValue: contract, history };
}
