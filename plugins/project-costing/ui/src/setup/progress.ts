// <project-costing-progress .project>: reports an activity's percent complete as of a date (what
// earned value is computed from); a second report for the same date replaces the first.
import { type Field, filled } from './form.js';
import { ProjectForm } from './subjects.js';

export class ProgressReport extends ProjectForm {
  readonly heading = 'Report progress';
  readonly submitLabel = 'Report progress';
  readonly permission = 'projects.projects.write';
  protected override keep = ['activityId'];

  fields(): Field[] {
    return [
      this.activityField(),
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
    const path = this.activityPath('/progress');
    const v = this.values;
    return path === undefined
      ? undefined
      : { path, body: filled({ asOf: v.asOf, percentComplete: v.percentComplete }) };
  }

  success(r: Record<string, unknown>) {
    return `Progress of ${String(r.code ?? 'the activity')} reported.`;
  }
}

customElements.define('project-costing-progress', ProgressReport);
