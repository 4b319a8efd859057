// <project-costing-new-project>: creates a project — code, name, client, billing, currency, dates,
// the contract value (fixed price, or the not-to-exceed amount of time and materials) and,
// optionally, an original budget line for one cost category. Activities are added next.
import { AMOUNT_HINT, type Field, filled, SetupForm } from './form.js';

const BILLING = [
  { value: 'time-and-materials', label: 'Time and materials' },
  { value: 'fixed-price', label: 'Fixed price' },
];

export class NewProject extends SetupForm {
  readonly heading = 'New project';
  readonly submitLabel = 'Create project';
  readonly permission = 'projects.projects.write';
  protected override keep = ['billing', 'currency'];

  constructor() {
    super();
    this.values = { billing: 'time-and-materials', currency: 'EUR' };
  }

  fields(): Field[] {
    return [
      { key: 'code', label: 'Code', pointer: '/body/code', required: true, hint: 'unique, e.g. WEB-01' },
      { key: 'name', label: 'Name', pointer: '/body/name', required: true },
      { key: 'client', label: 'Client', pointer: '/body/client' },
      {
        key: 'billing',
        label: 'Billing',
        pointer: '/body/billing',
        type: 'select',
        options: BILLING,
        required: true,
      },
      {
        key: 'currency',
        label: 'Currency',
        pointer: '/body/currency',
        required: true,
        hint: 'three capital letters (ISO 4217), e.g. EUR',
      },
      { key: 'startsOn', label: 'Starts on', pointer: '/body/startsOn', type: 'date', required: true },
      { key: 'endsOn', label: 'Ends on', pointer: '/body/endsOn', type: 'date', required: true },
      {
        key: 'contractValue',
        label: 'Contract value',
        pointer: '/body/contractValue',
        hint: `${AMOUNT_HINT}; the fixed price or the not-to-exceed amount`,
        decimal: true,
      },
      {
        key: 'budget',
        label: 'Budget',
        pointer: '/body/budget/0/amount',
        hint: AMOUNT_HINT,
        decimal: true,
      },
      {
        key: 'category',
        label: 'Budget category',
        pointer: '/body/budget/0/category',
        hint: 'e.g. labour; the budget is for the start month',
      },
    ];
  }

  request() {
    const v = this.values;
    const budget = v.budget
      ? [{ category: v.category || 'labour', period: (v.startsOn ?? '').slice(0, 7), amount: v.budget }]
      : undefined;
    return {
      path: '/api/v1/p/project-costing/projects',
      body: {
        ...filled({
          code: v.code,
          name: v.name,
          client: v.client,
          billing: v.billing,
          currency: v.currency,
          startsOn: v.startsOn,
          endsOn: v.endsOn,
          contractValue: v.contractValue,
        }),
        ...(budget ? { budget } : {}),
      },
    };
  }

  success(r: Record<string, unknown>) {
    return `Project ${String(r.code ?? '')} created.`;
  }
}

customElements.define('project-costing-new-project', NewProject);
