// Category suggestions for the tenant's uncategorised project expenses, by the 'expense' classifier
// (a new version is trained first when lines have been labelled since the latest). Accepting one is the user's act: each confident
// suggestion names the project-costing call that sets the category; once it is set, the expense
// comes back through expense.recorded and becomes a labelled line for the next version.
import { notFound, type PluginRoute, route, schema } from '@erp/sdk';
import { latestClassifier, storeAnswers, trainClassifier } from '../categories/index.js';
import { classify } from '../engine/index.js';
import { type Ctx, IdParams, Uuid } from '../shared/index.js';

const DOMAIN = 'expense';

const Query = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    projectId: Uuid,
    threshold: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: 0.7,
      description: 'Below this confidence the suggestion asks (category null, needsReview)',
    },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const);

interface Uncategorised {
  expenseId: string;
  projectId: string;
  description: string | null;
  amount: string;
  currency: string;
  incurredOn: string;
}

/**
 * The expense classifier trained on the tenant's whole labelled history: the latest version while
 * no line has been labelled since it was trained, else a new version (the first one is refused,
 * naming the query, while there are too few lines).
 */
async function currentClassifier(ctx: Ctx) {
  const c = await latestClassifier(ctx, DOMAIN);
  const { n } = (await ctx.db.one<{ n: number }>(
    `select (select count(*) from examples where domain = $1)::int
          + (select count(*) from expenses where category is not null and description is not null)::int as n`,
    [DOMAIN],
  ))!;
  if (c && c.metrics.examples === n) return c;
  await trainClassifier(ctx, DOMAIN, 'request', '/query');
  return (await latestClassifier(ctx, DOMAIN))!;
}

export const expenseRoutes: Record<string, PluginRoute> = {
  'GET /expenses/suggestions': route({
    permission: 'insights.forecasts.read',
    summary: 'Category suggestions with confidence for project expenses recorded without a category',
    query: Query,
    async handler(ctx, { query }) {
      const threshold = query.threshold ?? 0.7;
      const c = await currentClassifier(ctx);
      const rows = await ctx.db.query<Uncategorised>(
        `select expense_id as "expenseId", project_id as "projectId", description,
                trim_scale(amount)::text as amount, currency, incurred_on::text as "incurredOn"
           from expenses e where category is null and ($1::uuid is null or project_id = $1)
            and not exists (select 1 from expense_dismissals d where d.expense_id = e.expense_id)
          order by incurred_on, expense_id limit $2`,
        [query.projectId ?? null, query.limit ?? 100],
      );
      const suggestions = rows.map((e) => {
        // Without a description there is nothing to read: it asks, with no ranking.
        const r = e.description ? classify(c.model, e.description, threshold) : null;
        const category = r?.label ?? null;
        return {
          ...e,
          category,
          needsReview: category === null,
          confidence: r?.confidence ?? 0,
          ranked: r?.ranked ?? [],
          because: r?.because ?? [],
          apply: category
            ? {
                method: 'PUT',
                path: `/api/v1/p/project-costing/expenses/${e.expenseId}/category`,
                permission: 'projects.actuals.write',
                body: { category },
              }
            : null,
        };
      });
      // Stored with the classifier version that gave them (governance).
      await storeAnswers(
        ctx,
        c,
        DOMAIN,
        suggestions.flatMap((s) =>
          s.description ? [{ text: s.description, label: s.category, confidence: s.confidence }] : [],
        ),
      );
      return { classifier: { version: c.version, metrics: c.metrics }, threshold, suggestions };
    },
  }),
  'POST /expenses/:id/dismiss': route({
    permission: 'insights.suggestions.write',
    summary: "Hide an expense's category suggestion (the expense itself is not changed)",
    params: IdParams,
    async handler(ctx, { params }) {
      const known = await ctx.db.one('select 1 from expenses where expense_id = $1', [params.id]);
      if (!known) throw notFound('INSIGHTS_EXPENSE_NOT_FOUND', 'Expense');
      await ctx.db.query(
        `insert into expense_dismissals (expense_id, dismissed_by) values ($1, $2) on conflict do nothing`,
        [params.id, ctx.user.id],
      );
      await ctx.audit.record({
        action: 'insights.expense-suggestion.dismissed',
        resource: 'expense',
        resourceId: params.id,
      });
      return { expenseId: params.id, dismissed: true };
    },
  }),
};
