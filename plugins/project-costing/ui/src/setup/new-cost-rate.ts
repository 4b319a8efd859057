// <project-costing-new-cost-rate .people>: a cost rate (what an hour costs the business) for one
// person or for a role, from an effective date (required) to an optional end. A raise is a new
// rate: the one with the latest start in force wins, a person's own beats their role's.
import { AMOUNT_HINT, type Field, filled } from './form.js';
import { PeopleForm } from './subjects.js';

export class NewCostRate extends PeopleForm {
  readonly heading = 'New cost rate';
  readonly submitLabel = 'Add cost rate';
  readonly permission = 'projects.rates.write';
  protected override keep = ['currency'];

  constructor() {
    super();
    this.values = { currency: 'EUR' };
  }

  fields(): Field[] {
    return [
      { ...this.personField('/body/userId'), hint: 'a person, or leave empty and give a role' },
      {
        key: 'role',
        label: 'Role',
        pointer: '/body/role',
        hint: 'e.g. developer; for everyone with this role',
      },
      {
        key: 'rate',
        label: 'Cost per hour',
        pointer: '/body/rate',
        required: true,
        hint: AMOUNT_HINT,
        decimal: true,
      },
      {
        key: 'currency',
        label: 'Rate currency',
        pointer: '/body/currency',
        required: true,
        hint: 'three capital letters, e.g. EUR',
      },
      {
        key: 'effectiveFrom',
        label: 'Effective from',
        pointer: '/body/effectiveFrom',
        type: 'date',
        required: true,
      },
      {
        key: 'effectiveTo',
        label: 'Effective to',
        pointer: '/body/effectiveTo',
        type: 'date',
        hint: 'leave empty while in force',
      },
    ];
  }

  request() {
    const v = this.values;
    return {
      path: '/api/v1/p/project-costing/cost-rates',
      body: filled({
        userId: v.userId,
        role: v.role,
        rate: v.rate,
        currency: v.currency,
        effectiveFrom: v.effectiveFrom,
        effectiveTo: v.effectiveTo,
      }),
    };
  }

  success(r: Record<string, unknown>) {
    const booked = Number(r.costedEntries ?? 0);
    return `Cost rate ${String(r.rate)} ${String(r.currency)} added${booked ? `; ${booked} waiting entries costed` : ''}.`;
  }
}

customElements.define('project-costing-new-cost-rate', NewCostRate);
