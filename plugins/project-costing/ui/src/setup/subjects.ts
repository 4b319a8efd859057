// The setup forms about something the page has chosen: a project (ProjectForm: its activities for
// a picker) or the tenant's people (PeopleForm: the person picker). The page sets them as properties.
import { type Field, SetupForm } from './form.js';
import type { Person, ProjectDetail } from './types.js';

export abstract class ProjectForm extends SetupForm {
  static override properties = { ...SetupForm.properties, project: { attribute: false } };
  declare project?: ProjectDetail;

  /** A required picker of the project's activities, for the activity id in the path. */
  protected activityField(): Field {
    const options = (this.project?.activities ?? []).map((a) => ({
      value: a.id,
      label: `${a.code} ${a.name}`,
    }));
    return {
      key: 'activityId',
      label: 'Activity',
      pointer: '/params/id',
      type: 'select',
      options,
      required: true,
    };
  }

  /** The activity's path, or undefined while the project has none; one not chosen is sent as
   * such, so the server names the field. */
  protected activityPath(suffix = ''): string | undefined {
    if (!this.project?.activities.length) return undefined;
    return `/api/v1/p/project-costing/activities/${this.values.activityId || 'none'}${suffix}`;
  }
}

export abstract class PeopleForm extends SetupForm {
  static override properties = { ...SetupForm.properties, people: { attribute: false } };
  declare people?: Person[];

  /** A picker of the tenant's users when the page could read them, else the user's id typed in. */
  protected personField(pointer: string, required = false): Field {
    const base = { key: 'userId', label: 'Person', pointer, ...(required ? { required } : {}) };
    if (!this.people) return { ...base, hint: 'the user’s id (a UUID)' };
    const options = this.people.map((p) => ({
      value: p.id,
      label: p.displayName ? `${p.displayName} (${p.email})` : p.email,
    }));
    return { ...base, type: 'select', options };
  }
}
