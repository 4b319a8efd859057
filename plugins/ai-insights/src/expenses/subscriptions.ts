// project-costing.expense.recorded → this plugin's own `expenses` table, the latest state per
// expense (the event is published when an expense is recorded and again when its category is set).
// Only the receiving tenant's rows are touched (row-level security), so a tenant's expenses train
// only that tenant's classifier.
import type { EventEnvelope, PluginSubscription } from '@erp/sdk';

interface ExpenseRecorded {
  expenseId: string;
  projectId: string;
  description: string | null;
  amount: string;
  currency: string;
  category: string | null;
  incurredOn: string;
}

export const expenseSubscriptions: Record<string, PluginSubscription> = {
  'expense-recorded': {
    event: 'project-costing.expense.recorded',
    async handler(ctx, e: EventEnvelope) {
      const p = e.payload as unknown as ExpenseRecorded;
      await ctx.db.query(
        `insert into expenses (expense_id, project_id, description, amount, currency, category, incurred_on)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (tenant_id, expense_id) do update set description = excluded.description,
           amount = excluded.amount, currency = excluded.currency, category = excluded.category,
           incurred_on = excluded.incurred_on, updated_at = now()`,
        [p.expenseId, p.projectId, p.description, p.amount, p.currency, p.category, p.incurredOn],
      );
    },
  },
};
