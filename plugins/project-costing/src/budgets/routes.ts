// Budgets by cost category and period, and change orders.
// - The original budget is set (replaced) with PUT while no change order exists; after that the
//   budget moves only by change orders, which are numbered, never edited, and kept as its history.
// - A change order may move budget lines, activities' planned costs (the EVM baseline) and the
//   contract value; on a closed project it is refused (409 PROJECT_CLOSED) and nothing changes.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { checkBudgetLines, dec, minorUnit, money, reviseBudget, str, ZERO } from '../engine/index.js';
import { announce, requireOpenProject, requireProject } from '../projects/index.js';
import { Amount, Category, Day, Decimal, engine, IdParams, refuseAt, Uuid } from '../shared/index.js';
import { budgetOf } from './store.js';

const Line = {
  type: 'object',
  additionalProperties: false,
  required: ['category', 'period', 'amount'],
  properties: { category: Category, period: { type: 'string', description: 'YYYY-MM' }, amount: Amount },
} as const;

const Budget = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: { lines: { type: 'array', maxItems: 1000, items: Line } },
} as const);

const NewChangeOrder = schema({
  type: 'object',
  additionalProperties: false,
  required: ['reason', 'effectiveOn'],
  properties: {
    reason: { type: 'string', minLength: 1, maxLength: 500 },
    effectiveOn: Day,
    lines: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['category', 'period', 'delta'],
        properties: { category: Category, period: { type: 'string' }, delta: Decimal },
      },
    },
    activities: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['activityId', 'plannedCostDelta'],
        properties: { activityId: Uuid, plannedCostDelta: Decimal },
      },
    },
    contractDelta: Decimal,
  },
} as const);

type Ctx = Parameters<typeof requireProject>[0];

async function presentBudget(ctx: Ctx, id: string) {
  const p = await requireProject(ctx, id);
  const { original, orders, state } = await budgetOf(ctx, p);
  const $ = (d: Parameters<typeof str>[0]) => money(d, minorUnit(p.currency));
  const actual = (await ctx.db.query(
    `select category, to_char(incurred_on, 'YYYY-MM') as period, sum(amount)::text as amount
       from actuals where project_id = $1 group by 1, 2`,
    [p.id],
  )) as unknown as { category: string; period: string; amount: string }[];
  const actualOf = (c: string, per: string) =>
    actual.find((a) => a.category === c && a.period === per)?.amount ?? '0';
  const keys = new Map<string, { category: string; period: string; budget: string }>();
  for (const l of state.lines)
    keys.set(`${l.category}|${l.period}`, { category: l.category, period: l.period, budget: str(l.amount) });
  for (const a of actual)
    if (!keys.has(`${a.category}|${a.period}`)) keys.set(`${a.category}|${a.period}`, { ...a, budget: '0' });
  const lines = [...keys.values()]
    .sort((a, b) => a.category.localeCompare(b.category) || a.period.localeCompare(b.period))
    .map((l) => {
      const act = dec(actualOf(l.category, l.period));
      return {
        category: l.category,
        period: l.period,
        budget: $(dec(l.budget)),
        actual: $(act),
        remaining: $(dec(l.budget).minus(act)),
      };
    });
  return {
    projectId: p.id,
    currency: p.currency,
    original: original.map((l) => ({ ...l, amount: $(dec(l.amount)) })),
    originalTotal: $(original.reduce((s, l) => s.plus(dec(l.amount)), ZERO)),
    lines,
    total: $(state.total),
    actualTotal: $(actual.reduce((s, a) => s.plus(dec(a.amount)), ZERO)),
    contractValue: $(state.contractValue),
    changeOrders: orders.map((o, i) => ({
      id: o.id,
      number: o.number,
      reason: o.reason,
      effectiveOn: o.effectiveOn,
      lines: o.lines,
      activities: o.activities,
      contractDelta: o.contractDelta,
      createdAt: o.createdAt,
      budgetAfter: $(state.history[i]!.total),
      contractValueAfter: $(state.history[i]!.contractValue),
    })),
  };
}

export const budgetRoutes: Record<string, PluginRoute> = {
  'GET /projects/:id/budget': route({
    permission: 'projects.projects.read',
    summary: 'Budget by category and period against actuals, with the change orders that revised it',
    params: IdParams,
    async handler(ctx, { params }) {
      return presentBudget(ctx, params.id);
    },
  }),
  'PUT /projects/:id/budget': route({
    permission: 'projects.projects.write',
    summary: 'Set the original budget (only before the first change order)',
    params: IdParams,
    body: Budget,
    async handler(ctx, { params, body }) {
      const p = await requireOpenProject(ctx, params.id);
      engine('/body/', () => checkBudgetLines(body.lines, 'lines'));
      if (await ctx.db.one('select 1 from change_orders where project_id = $1', [p.id]))
        refuseAt(
          409,
          'PROJECT_BUDGET_LOCKED',
          '/body/lines',
          'the budget has change orders: revise it with another',
        );
      await ctx.db.query('delete from budget_lines where project_id = $1', [p.id]);
      for (const l of body.lines)
        await ctx.db.query(
          'insert into budget_lines (project_id, category, period, amount) values ($1, $2, $3, $4)',
          [p.id, l.category, l.period, l.amount],
        );
      await ctx.audit.record({
        action: 'project.budget.set',
        resource: 'project',
        resourceId: p.id,
        data: body,
      });
      return presentBudget(ctx, p.id);
    },
  }),
  'POST /projects/:id/change-orders': route({
    permission: 'projects.projects.write',
    summary: 'Revise budget lines, activities’ planned costs and the contract value (kept as history)',
    params: IdParams,
    body: NewChangeOrder,
    status: 201,
    async handler(ctx, { params, body }) {
      const p = await requireOpenProject(ctx, params.id);
      const { original, orders } = await budgetOf(ctx, p);
      const number = (orders.at(-1)?.number ?? 0) + 1;
      const order = {
        number,
        reason: body.reason,
        effectiveOn: body.effectiveOn,
        lines: body.lines ?? [],
        contractDelta: body.contractDelta ?? '0',
      };
      // The engine checks the whole history with the new order, so a line may not go below zero.
      const base = await ctx.db.one<{ v: string }>(
        `select (contract_value - coalesce((select sum(contract_delta) from change_orders where project_id = $1), 0))::text as v from projects where id = $1`,
        [p.id],
      );
      try {
        reviseBudget(original, base!.v, [...orders, order]);
      } catch (err) {
        // Only the new order's fields can be wrong: the stored ones passed before.
        engine('/body/', () => {
          throw err;
        });
      }
      for (const [i, a] of (body.activities ?? []).entries()) {
        const [row] = await ctx.db.query<{ planned: string }>(
          `update activities set planned_cost = planned_cost + $3 where id = $1 and project_id = $2 and planned_cost + $3 >= 0
           returning planned_cost::text as planned`,
          [a.activityId, p.id, a.plannedCostDelta],
        );
        if (!row) {
          const exists = await ctx.db.one('select 1 from activities where id = $1 and project_id = $2', [
            a.activityId,
            p.id,
          ]);
          refuseAt(
            422,
            exists ? 'PROJECT_BUDGET_BELOW_ZERO' : 'PROJECT_ACTIVITY_NOT_FOUND',
            exists ? `/body/activities/${i}/plannedCostDelta` : `/body/activities/${i}/activityId`,
            exists ? 'would take the planned cost below zero' : 'is not an activity of this project',
          );
        }
      }
      const [co] = await ctx.db.query<{ id: string }>(
        `insert into change_orders (project_id, number, reason, effective_on, lines, activities, contract_delta, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [
          p.id,
          number,
          body.reason,
          body.effectiveOn,
          JSON.stringify(order.lines),
          JSON.stringify(body.activities ?? []),
          order.contractDelta,
          ctx.user.id,
        ],
      );
      await ctx.db.query(
        'update projects set contract_value = contract_value + $2, updated_at = now() where id = $1',
        [p.id, order.contractDelta],
      );
      await ctx.audit.record({
        action: 'project.change-order',
        resource: 'project',
        resourceId: p.id,
        data: { number, ...body },
      });
      if (body.activities?.length) await announce(ctx, p.id);
      const budget = await presentBudget(ctx, p.id);
      return { changeOrder: budget.changeOrders.find((c) => c.id === co!.id), budget };
    },
  }),
};
