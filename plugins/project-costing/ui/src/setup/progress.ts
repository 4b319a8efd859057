// <project-costing-progress .project>: reports an activity's percent complete as of a date (what
// earned value is computed from); a second report for the same date replaces the first.
import { type Field, filled, SetupForm } from './form.js';
import type { ProjectDetail } from './types.js';

export class ProgressReport extends SetupForm {
  static override properties = { ...SetupForm.properties, project: { attribute: false } };
  declare project?: ProjectDetail;
  readonly heading = 'Report progress';
  readonly submitLabel = 'Report progress';
  readonly permission = 'projects.projects.write';
  protected override keep = ['activityId'];

  fields(): Field[] {
    const options = (this.project?.activities ?? []).map((a) => ({
      value: a.id,
      label: `${a.code} ${a.name}`,
    }));
    return [
      {
        key: 'activityId',
        label: 'Activity',
        pointer: '/params/id',
        type: 'select',
        options,
        required: true,
      },
      { key: 'asOf', label: 'As of', pointer: '/body/asOf', type: 'date', required: true },
      {
        key: 'percentComplete',
        label: 'Percent complete',
        pointer: '/body/percentComplete',
        required: true,
        hint: 'from 0 to 100, e.g. 40',
        decimal: true,
      },
    ];
  }

  request() {
    const v = this.values;
    if (!this.project?.activities.length) return undefined;
    return {
      // An activity not chosen yet is sent as such, so the server names the field.
      path: `/api/v1/p/project-costing/activities/${v.activityId || 'none'}/progress`,
      body: filled({ asOf: v.asOf, percentComplete: v.percentComplete }),
    };
  }

  success(r: Record<string, unknown>) {
    return `Progress of ${String(r.code ?? 'the activity')} reported.`;
  }
}

customElements.define('project-costing-progress', ProgressReport);
