// <project-costing-edit-project .project> and <project-costing-edit-activity .project>: change what
// the routes let change — a project's name, client and dates (not once it is closed); an activity's
// name, dates and, while the project is planned, its planned cost. Only the fields filled in are sent.
import { AMOUNT_HINT, type Field, filled } from './form.js';
import { ProjectForm } from './subjects.js';

const BLANK = 'leave empty to keep';

export class EditProject extends ProjectForm {
  readonly heading = 'Change the project';
  readonly submitLabel = 'Save changes';
  readonly permission = 'projects.projects.write';

  fields(): Field[] {
    const p = this.project;
    return [
      { key: 'name', label: 'New name', pointer: '/body/name', hint: p ? `now ${p.name}` : BLANK },
      {
        key: 'client',
        label: 'New client',
        pointer: '/body/client',
        hint: p?.client ? `now ${p.client}` : BLANK,
      },
      {
        key: 'startsOn',
        label: 'New start',
        pointer: '/body/startsOn',
        type: 'date',
        hint: p ? `now ${p.startsOn}` : BLANK,
      },
      {
        key: 'endsOn',
        label: 'New end',
        pointer: '/body/endsOn',
        type: 'date',
        hint: p ? `now ${p.endsOn}` : BLANK,
      },
    ];
  }

  request() {
    if (!this.project) return undefined;
    const v = this.values;
    return {
      path: `/api/v1/p/project-costing/projects/${this.project.id}`,
      method: 'PATCH' as const,
      body: filled({ name: v.name, client: v.client, startsOn: v.startsOn, endsOn: v.endsOn }),
    };
  }

  success(r: Record<string, unknown>) {
    return `Project ${String(r.code ?? '')} changed.`;
  }
}

export class EditActivity extends ProjectForm {
  readonly heading = 'Change an activity';
  readonly submitLabel = 'Save activity';
  readonly permission = 'projects.projects.write';
  protected override keep = ['activityId'];

  fields(): Field[] {
    return [
      this.activityField(),
      { key: 'name', label: 'New name', pointer: '/body/name', hint: BLANK },
      { key: 'startsOn', label: 'New start', pointer: '/body/startsOn', type: 'date', hint: BLANK },
      { key: 'endsOn', label: 'New end', pointer: '/body/endsOn', type: 'date', hint: BLANK },
      {
        key: 'plannedCost',
        label: 'New planned cost',
        pointer: '/body/plannedCost',
        hint: `${AMOUNT_HINT}; only while planned`,
        decimal: true,
      },
    ];
  }

  request() {
    const path = this.activityPath();
    const v = this.values;
    return path === undefined
      ? undefined
      : {
          path,
          method: 'PATCH' as const,
          body: filled({ name: v.name, startsOn: v.startsOn, endsOn: v.endsOn, plannedCost: v.plannedCost }),
        };
  }

  success(r: Record<string, unknown>) {
    return `Activity ${String(r.code ?? '')} changed.`;
  }
}

customElements.define('project-costing-edit-project', EditProject);
customElements.define('project-costing-edit-activity', EditActivity);
