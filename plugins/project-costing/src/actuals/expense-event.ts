// `project-costing.expense.recorded`: an expense as it now stands, published in the unit of work that
// records it and again when its category is set (so a reader keyed by expenseId keeps the latest).
// ai-insights learns expense categories from it; no one reads this plugin's tables.
import { type Infer, schema } from '@erp/sdk';
import { Amount, type Ctx, Currency, Day, Uuid } from '../shared/index.js';

export const ExpenseRecorded = schema({
  type: 'object',
  additionalProperties: false,
  required: ['expenseId', 'projectId', 'description', 'amount', 'currency', 'category', 'incurredOn'],
  properties: {
    expenseId: Uuid,
    projectId: Uuid,
    activityId: { type: ['string', 'null'], format: 'uuid' },
    description: { type: ['string', 'null'], description: 'Free text (what was bought, from whom)' },
    amount: { ...Amount, description: 'In the currency the expense was incurred in' },
    currency: Currency,
    category: { type: ['string', 'null'], description: 'Null while the expense is uncategorised' },
    incurredOn: Day,
  },
} as const);

export const expenseEvents = { 'expense.recorded': ExpenseRecorded };

export type ExpenseRecorded = Infer<typeof ExpenseRecorded>;

export const publishExpense = (ctx: Ctx, e: ExpenseRecorded) => ctx.events.publish('expense.recorded', e);
