// <project-costing-person-role .people>: sets a person's role, whose cost rate applies to them
// when they have no rate of their own.
import type { Field } from './form.js';
import { PeopleForm } from './subjects.js';

export class PersonRole extends PeopleForm {
  readonly heading = 'A person’s role';
  readonly submitLabel = 'Set role';
  readonly permission = 'projects.rates.write';

  fields(): Field[] {
    return [
      this.personField('/params/userId', true),
      { key: 'role', label: 'Role', pointer: '/body/role', required: true, hint: 'e.g. developer' },
    ];
  }

  request() {
    const v = this.values;
    return {
      path: `/api/v1/p/project-costing/people/${encodeURIComponent(v.userId || 'none')}`,
      method: 'PUT' as const,
      body: v.role ? { role: v.role } : {},
    };
  }

  success(r: Record<string, unknown>) {
    return `Role ${String(r.role)} set.`;
  }
}

customElements.define('project-costing-person-role', PersonRole);
