// Category suggestions for the tenant's uncategorised project expenses, by the 'expense' classifier
// (see categories/suggestions.ts). Accepting one is the user's act: each confident suggestion names
// the project-costing call that sets the category; once it is set, the expense comes back through
// expense.recorded and becomes a labelled line for the next version.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { dismissRoute, suggestCategories } from '../categories/index.js';
import { SuggestionQuery, Uuid } from '../shared/index.js';

const Query = schema({
  type: 'object',
  additionalProperties: false,
  properties: { projectId: Uuid, ...SuggestionQuery },
} as const);

interface Uncategorised {
  expenseId: string;
  projectId: string;
  description: string | null;
  amount: string;
  currency: string;
  incurredOn: string;
}

export const expenseRoutes: Record<string, PluginRoute> = {
  'GET /expenses/suggestions': route({
    permission: 'insights.forecasts.read',
    summary: 'Category suggestions with confidence for project expenses recorded without a category',
    query: Query,
    async handler(ctx, { query }) {
      const rows = await ctx.db.query<Uncategorised>(
        `select expense_id as "expenseId", project_id as "projectId", description,
                trim_scale(amount)::text as amount, currency, incurred_on::text as "incurredOn"
           from expenses e where category is null and ($1::uuid is null or project_id = $1)
            and not exists (select 1 from expense_dismissals d where d.expense_id = e.expense_id)
          order by incurred_on, expense_id limit $2`,
        [query.projectId ?? null, query.limit ?? 100],
      );
      return suggestCategories(
        ctx,
        'expense',
        rows,
        query.threshold ?? 0.7,
        (e) => e.description,
        (e, category) => ({
          method: 'PUT',
          path: `/api/v1/p/project-costing/expenses/${e.expenseId}/category`,
          permission: 'projects.actuals.write',
          body: { category },
        }),
      );
    },
  }),
  'POST /expenses/:id/dismiss': dismissRoute({
    resource: 'expense',
    table: 'expenses',
    idColumn: 'expense_id',
    dismiss: `insert into expense_dismissals (expense_id, dismissed_by) values ($1, $2) on conflict do nothing`,
    notFoundCode: 'INSIGHTS_EXPENSE_NOT_FOUND',
    label: 'Expense',
  }),
};
