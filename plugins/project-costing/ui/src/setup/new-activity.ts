// <project-costing-new-activity .project>: adds an activity (a work package of the baseline) to the
// chosen project — code, name, dates within the project's, planned cost. The server refuses it once
// the project is active (the baseline then moves by change order).
import { AMOUNT_HINT, type Field, filled } from './form.js';
import { ProjectForm } from './subjects.js';

export class NewActivity extends ProjectForm {
  readonly heading = 'New activity';
  readonly submitLabel = 'Add activity';
  readonly permission = 'projects.projects.write';

  fields(): Field[] {
    const p = this.project;
    const within = p ? `between ${p.startsOn} and ${p.endsOn}` : undefined;
    return [
      {
        key: 'code',
        label: 'Activity code',
        pointer: '/body/code',
        required: true,
        hint: 'e.g. 1.1 or DESIGN',
      },
      { key: 'name', label: 'Activity name', pointer: '/body/name', required: true },
      {
        key: 'startsOn',
        label: 'Activity starts on',
        pointer: '/body/startsOn',
        type: 'date',
        required: true,
        ...(within ? { hint: within } : {}),
      },
      {
        key: 'endsOn',
        label: 'Activity ends on',
        pointer: '/body/endsOn',
        type: 'date',
        required: true,
        ...(within ? { hint: within } : {}),
      },
      {
        key: 'plannedCost',
        label: 'Planned cost',
        pointer: '/body/plannedCost',
        required: true,
        hint: AMOUNT_HINT,
        decimal: true,
      },
    ];
  }

  request() {
    if (!this.project) return undefined;
    const v = this.values;
    return {
      path: `/api/v1/p/project-costing/projects/${this.project.id}/activities`,
      body: filled({
        code: v.code,
        name: v.name,
        startsOn: v.startsOn,
        endsOn: v.endsOn,
        plannedCost: v.plannedCost,
      }),
    };
  }

  success(r: Record<string, unknown>) {
    return `Activity ${String(r.code ?? '')} added.`;
  }
}

customElements.define('project-costing-new-activity', NewActivity);
