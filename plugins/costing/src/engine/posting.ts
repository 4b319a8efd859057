// Posting: the one place a step's effects reach the totals. Each step collects its entries and the
// records it touched here, and the running totals move by exactly the entries' amounts, so the
// totals always equal the sum of the entries ever returned.
import { type Dec, str, ZERO } from './decimal.js';
import { issueToJSON, receiptToJSON } from './records.js';
import type { IssueRec, ReceiptRec, State } from './state.js';
import type { Entry, EntryType, StepResult, VarianceKind } from './types.js';

export interface Amounts {
  qty?: Dec;
  stock?: Dec;
  received?: Dec;
  landed?: Dec;
  revaluation?: Dec;
  cogs?: Dec;
  variance?: Dec;
}

export class Posting {
  readonly entries: Entry[] = [];
  // Arrays rather than maps: a step touches one to a few records, and steps are the hot path.
  private readonly receipts: ReceiptRec[] = [];
  private readonly issues: IssueRec[] = [];

  constructor(
    private readonly state: State,
    readonly id: string,
    readonly date: string,
  ) {}

  post(type: EntryType, a: Amounts, ref?: string, varianceKind?: VarianceKind): void {
    const s = this.state;
    const qty = a.qty ?? ZERO;
    const stock = a.stock ?? ZERO;
    const variance = a.variance ?? ZERO;
    s.qty = s.qty.plus(qty);
    s.value = s.value.plus(stock);
    const t = s.totals;
    if (a.received) t.received = t.received.plus(a.received);
    if (a.landed) t.landed = t.landed.plus(a.landed);
    if (a.revaluation) t.revaluation = t.revaluation.plus(a.revaluation);
    if (a.cogs) t.cogs = t.cogs.plus(a.cogs);
    const kind = variance.eq(ZERO) ? undefined : varianceKind;
    if (kind) t.variances[kind] = t.variances[kind].plus(variance);
    const entry: Entry = {
      type,
      id: this.id,
      date: this.date,
      qty: str(qty),
      stock: str(stock),
      received: str(a.received ?? ZERO),
      landed: str(a.landed ?? ZERO),
      revaluation: str(a.revaluation ?? ZERO),
      cogs: str(a.cogs ?? ZERO),
      variance: str(variance),
    };
    if (ref !== undefined) entry.ref = ref;
    if (kind) entry.varianceKind = kind;
    this.entries.push(entry);
  }

  touchReceipt(r: ReceiptRec): void {
    if (!this.receipts.includes(r)) this.receipts.push(r);
  }

  touchIssue(i: IssueRec): void {
    if (!this.issues.includes(i)) this.issues.push(i);
  }

  result(): StepResult {
    return {
      entries: this.entries,
      receipts: this.receipts.map(receiptToJSON),
      issues: this.issues.map(issueToJSON),
    };
  }
}
