// Expenses recorded against a project (in any known currency, converted on the day), their category
// set later when recorded without one, and the list of actuals with their source. Expenses on a closed project, in an unknown currency or without an
// exchange rate for the day are refused naming the field; nothing is booked.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { checkCurrency } from '../engine/index.js';
import { requireOpenProject, requireProject } from '../projects/index.js';
import { exchangeRates } from '../rates/index.js';
import {
  Amount,
  baseCurrency,
  Category,
  Currency,
  Day,
  engine,
  IdParams,
  NullableUuid,
  refuseAt,
} from '../shared/index.js';
import { bookActual, inProjectCurrency } from './book.js';
import { publishExpense } from './expense-event.js';

/** The category an expense recorded without one is booked under until its category is set. */
export const UNCATEGORISED = 'uncategorised';

const NewExpense = schema({
  type: 'object',
  additionalProperties: false,
  required: ['incurredOn', 'amount', 'currency'],
  properties: {
    incurredOn: Day,
    category: { ...Category, description: `Left out: booked as '${UNCATEGORISED}' until set` },
    amount: Amount,
    currency: Currency,
    activityId: NullableUuid,
    description: { type: 'string', maxLength: 500 },
  },
} as const);

const SetCategory = schema({
  type: 'object',
  additionalProperties: false,
  required: ['category'],
  properties: { category: Category },
} as const);

interface Expense {
  projectId: string;
  activityId: string | null;
  description: string | null;
  amount: string;
  currency: string;
  category: string;
  incurredOn: string;
}

const EXPENSE = `select project_id as "projectId", activity_id as "activityId", description,
  trim_scale(source_amount)::text as amount, source_currency as currency, category, incurred_on::text as "incurredOn"
  from actuals`;

export const actualRoutes: Record<string, PluginRoute> = {
  'POST /projects/:id/expenses': route({
    permission: 'projects.actuals.write',
    summary: 'Record an expense against a project (converted to its currency on the day)',
    params: IdParams,
    body: NewExpense,
    status: 201,
    async handler(ctx, { params, body }) {
      engine('/body/', () => checkCurrency(body.currency));
      const project = await requireOpenProject(ctx, params.id);
      if (
        body.activityId &&
        !(await ctx.db.one('select 1 from activities where id = $1 and project_id = $2', [
          body.activityId,
          project.id,
        ]))
      )
        refuseAt(422, 'PROJECT_ACTIVITY_NOT_FOUND', '/body/activityId', 'is not an activity of this project');
      const rates = await exchangeRates(ctx);
      // Checked before anything is written, so a missing rate names the field and books nothing.
      engine('/body/', () => inProjectCurrency({ ...body, project }, baseCurrency(ctx), rates, 'currency'));
      const { id } = (await ctx.db.one<{ id: string }>('select gen_random_uuid()::text as id'))!;
      await bookActual(
        ctx,
        {
          project,
          activityId: body.activityId ?? null,
          kind: 'expense',
          category: body.category ?? UNCATEGORISED,
          incurredOn: body.incurredOn,
          amount: body.amount,
          currency: body.currency,
          sourceKey: `expense:${id}`,
          description: body.description ?? null,
        },
        rates,
      );
      await publishExpense(ctx, {
        expenseId: id,
        projectId: project.id,
        activityId: body.activityId ?? null,
        description: body.description ?? null,
        amount: body.amount,
        currency: body.currency,
        category: body.category ?? null,
        incurredOn: body.incurredOn,
      });
      await ctx.audit.record({
        action: 'expense.recorded',
        resource: 'project',
        resourceId: project.id,
        data: body,
      });
      return ctx.db.one(`${ACTUAL} where source_key = $1`, [`expense:${id}`]);
    },
  }),
  'PUT /expenses/:id/category': route({
    permission: 'projects.actuals.write',
    summary: 'Set the category of an expense (the id in its source key expense:<id>)',
    params: IdParams,
    body: SetCategory,
    async handler(ctx, { params, body }) {
      const row = await ctx.db.one<Expense>(`${EXPENSE} where source_key = $1`, [`expense:${params.id}`]);
      if (!row) refuseAt(404, 'PROJECT_EXPENSE_NOT_FOUND', '/params/id', 'no such expense');
      await requireOpenProject(ctx, row.projectId);
      await ctx.db.query('update actuals set category = $2 where source_key = $1', [
        `expense:${params.id}`,
        body.category,
      ]);
      await publishExpense(ctx, {
        expenseId: params.id,
        projectId: row.projectId,
        activityId: row.activityId,
        description: row.description,
        amount: row.amount,
        currency: row.currency,
        category: body.category,
        incurredOn: row.incurredOn,
      });
      await ctx.audit.record({
        action: 'expense.categorized',
        resource: 'project',
        resourceId: row.projectId,
        data: { expenseId: params.id, from: row.category, to: body.category },
      });
      return ctx.db.one(`${ACTUAL} where source_key = $1`, [`expense:${params.id}`]);
    },
  }),
  'GET /projects/:id/actuals': route({
    permission: 'projects.projects.read',
    summary:
      'Actual costs booked to a project (labour, expenses, material), time waiting for a cost rate and costs waiting for an exchange rate',
    params: IdParams,
    async handler(ctx, { params }) {
      const p = await requireProject(ctx, params.id);
      return {
        currency: p.currency,
        actuals: await ctx.db.query(`${ACTUAL} where project_id = $1 order by incurred_on, created_at`, [
          p.id,
        ]),
        unratedTime: await ctx.db.query(
          `select entry_id as "entryId", user_id as "userId", work_date::text as "workDate", hours::text as hours, reason
             from unrated_time where project_id = $1 order by work_date`,
          [p.id],
        ),
        waitingCosts: await ctx.db.query(
          `select source_key as "sourceKey", kind, category, incurred_on::text as "incurredOn", amount::text as amount,
                  currency, reason from waiting_costs where project_id = $1 order by incurred_on`,
          [p.id],
        ),
      };
    },
  }),
};

const ACTUAL = `select id, project_id as "projectId", activity_id as "activityId", kind, category,
  incurred_on::text as "incurredOn", amount::text as amount, source_amount::text as "sourceAmount",
  source_currency as "sourceCurrency", hours::text as hours, user_id as "userId", source_key as "sourceKey",
  description from actuals`;
