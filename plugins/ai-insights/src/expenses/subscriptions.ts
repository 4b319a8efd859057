// project-costing.expense.recorded → this plugin's own `expenses` table, the latest state per
// expense (the event is published when an expense is recorded and again when its category is set).
// A tenant's expenses train only that tenant's classifier. Events may arrive late or twice: a row
// changes only for an event published after the one it holds (`sequence`).
import { keepCopy } from '../shared/index.js';

interface ExpenseRecorded {
  expenseId: string;
  projectId: string;
  description: string | null;
  amount: string;
  currency: string;
  category: string | null;
  incurredOn: string;
}

export const expenseSubscriptions = {
  'expense-recorded': keepCopy<ExpenseRecorded>(
    'project-costing.expense.recorded',
    `insert into expenses (expense_id, project_id, description, amount, currency, category, incurred_on, sequence)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (tenant_id, expense_id) do update set description = excluded.description,
       amount = excluded.amount, currency = excluded.currency, category = excluded.category,
       incurred_on = excluded.incurred_on, sequence = excluded.sequence, updated_at = now()
     where expenses.sequence is null or excluded.sequence is null or expenses.sequence < excluded.sequence`,
    (p, e) => [
      p.expenseId,
      p.projectId,
      p.description,
      p.amount,
      p.currency,
      p.category,
      p.incurredOn,
      e.sequence ?? null,
    ],
  ),
};
