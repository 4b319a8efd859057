// Where each domain's labelled lines come from: the lines posted to POST /categories/examples, and
// for some domains the plugin's own copies of other plugins' records (kept from their events), so
// the history a user builds by categorising expenses or items is the training set. The SQL here is
// constant (chosen by domain from this table, never built from input).
const RECORD_LINES: Record<string, string> = {
  // project-costing.expense.recorded: a categorised expense's description.
  expense: `select description as text, category as label, updated_at as at, expense_id::text as k
              from expenses where category is not null and description is not null`,
  // warehouses.item.upserted: a categorised item's SKU and name.
  item: `select sku || ' ' || name as text, category as label, updated_at as at, item_id::text as k
           from items where category is not null`,
};

/** Every labelled line of the domain given as $1: (text, label, at, k), unordered. */
export function labelledLines(domain: string): string {
  const records = RECORD_LINES[domain];
  const posted = 'select text, label, created_at as at, id::text as k from examples where domain = $1';
  return records ? `${posted} union all ${records}` : posted;
}

/** Every domain with at least $1 labelled lines, posted or from records. */
export function trainableDomains(): string {
  const records = Object.entries(RECORD_LINES).map(([d, sql]) => `select '${d}' from (${sql}) r`);
  return `select domain from (select domain from examples union all ${records.join(' union all ')}) d(domain)
           group by domain having count(*) >= $1 order by domain`;
}
