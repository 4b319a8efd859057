// <project-costing-setup>: what a new tenant needs before time and costs reach a project — the
// projects, each project's activities (the baseline with planned costs) and their progress, its
// status (planned → active → closed), and the cost rates per person or role — listed, with the
// forms that create and change them beside the lists (each shown only with its permission). The
// lists follow what the forms do (PROJECTS_CHANGED); the forms get the context from this element
// as well as from the shell's provider.
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { html, nothing } from 'lit';
import './edit.js';
import { PROJECTS_CHANGED } from './form.js';
import './new-activity.js';
import './new-cost-rate.js';
import './new-project.js';
import { personLabel } from './people.js';
import './person-role.js';
import './progress.js';
import type { ActivityRow, CostRate, Person, ProjectDetail, ProjectRow } from './types.js';

const BASE = '/api/v1/p/project-costing';
const NEXT = { planned: 'active', active: 'closed', closed: null } as const;

export class ProjectSetup extends ErpPluginElement {
  static override styles = erpStyles;
  static override properties = {
    projects: { state: true },
    selected: { state: true },
    project: { state: true },
    rates: { state: true },
    people: { state: true },
    problem: { state: true },
  };
  declare projects?: ProjectRow[];
  declare selected?: string;
  declare project?: ProjectDetail;
  declare rates?: CostRate[];
  declare people?: Person[];
  declare problem?: ApiProblem;

  protected override async load(): Promise<void> {
    try {
      const [p, r] = await Promise.all([
        this.call<{ projects: ProjectRow[] }>(`${BASE}/projects`),
        this.call<{ costRates: CostRate[] }>(`${BASE}/cost-rates`),
      ]);
      // The kernel's user list names people in the rate forms, for those who may read it.
      if (!this.people && this.can('iam.users.read'))
        this.people = await this.call<{ items: Person[] }>('/api/v1/iam/users').then(
          (u) => u.items,
          () => undefined,
        );
      this.projects = p.projects;
      this.rates = r.costRates;
      const id =
        this.selected && p.projects.some((x) => x.id === this.selected) ? this.selected : p.projects[0]?.id;
      this.selected = id;
      this.project = id ? await this.call<ProjectDetail>(`${BASE}/projects/${id}`) : undefined;
      this.problem = undefined;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private readonly changed = (e: Event) => {
    // A new project becomes the chosen one, so its activities come next.
    const d = (e as CustomEvent).detail as { id?: string; activities?: unknown } | undefined;
    if (d?.id && Array.isArray(d.activities)) this.selected = d.id;
    void this.load();
  };
  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener(PROJECTS_CHANGED, this.changed);
  }
  override disconnectedCallback(): void {
    document.removeEventListener(PROJECTS_CHANGED, this.changed);
    super.disconnectedCallback();
  }

  private async advance(p: ProjectDetail): Promise<void> {
    const next = NEXT[p.status];
    if (!next) return;
    if (next === 'closed' && !confirm(`Close ${p.code}? A closed project accepts no time, cost or change.`))
      return;
    try {
      await this.call(`${BASE}/projects/${p.id}`, { method: 'PATCH', body: { status: next } });
      this.notify(`Project ${p.code} is ${next}.`, 'success');
      document.dispatchEvent(new CustomEvent(PROJECTS_CHANGED));
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private projectSection() {
    const columns: Column<ProjectRow>[] = [
      { label: 'Code', value: (p) => p.code },
      { label: 'Name', value: (p) => p.name },
      { label: 'Client', value: (p) => p.client },
      { label: 'Billing', value: (p) => p.billing },
      { label: 'Currency', value: (p) => p.currency },
      { label: 'Starts', value: (p) => p.startsOn },
      { label: 'Ends', value: (p) => p.endsOn },
      { label: 'Contract value', value: (p) => p.contractValue, numeric: true },
      { label: 'Status', value: (p) => p.status },
    ];
    return html`<section aria-labelledby="projects-h">
      <h3 id="projects-h">Projects</h3>
      ${dataTable(columns, this.projects ?? [], { caption: 'Projects', hideCaption: true, part: 'projects', empty: 'No projects yet.' })}
      ${this.can('projects.projects.write') ? html`<project-costing-new-project .erp=${this.erp} .api=${this.api}></project-costing-new-project>` : nothing}
    </section>`;
  }

  private activitySection(p: ProjectDetail) {
    const columns: Column<ActivityRow>[] = [
      { label: 'Code', value: (a) => a.code },
      { label: 'Name', value: (a) => a.name },
      { label: 'Starts', value: (a) => a.startsOn },
      { label: 'Ends', value: (a) => a.endsOn },
      { label: 'Planned cost', value: (a) => a.plannedCost, numeric: true },
      {
        label: '% complete',
        value: (a) =>
          a.progress.at(-1) ? `${a.progress.at(-1)!.percent} (${a.progress.at(-1)!.asOf})` : '—',
        numeric: true,
      },
    ];
    const next = NEXT[p.status];
    const write = this.can('projects.projects.write');
    return html`<section aria-labelledby="activities-h">
      <h3 id="activities-h">Activities of ${p.code}</h3>
      <p class="status" part="project-status">${p.code} ${p.name}: ${p.status}, ${p.startsOn} to ${p.endsOn}, ${p.currency}</p>
      ${dataTable(columns, p.activities, { caption: `Activities of ${p.code}`, hideCaption: true, part: 'activities', empty: 'No activities yet.' })}
      ${
        write && next
          ? html`<button type="button" part="advance" @click=${() => this.advance(p)}>${next === 'active' ? 'Start the project' : 'Close the project'}</button>`
          : nothing
      }
      ${
        write && p.status !== 'closed'
          ? html`${p.status === 'planned' ? html`<project-costing-new-activity .erp=${this.erp} .api=${this.api} .project=${p}></project-costing-new-activity>` : nothing}
              <project-costing-progress .erp=${this.erp} .api=${this.api} .project=${p}></project-costing-progress>
              <project-costing-edit-activity .erp=${this.erp} .api=${this.api} .project=${p}></project-costing-edit-activity>
              <project-costing-edit-project .erp=${this.erp} .api=${this.api} .project=${p}></project-costing-edit-project>`
          : nothing
      }
    </section>`;
  }

  private rateSection() {
    const columns: Column<CostRate>[] = [
      {
        label: 'Person or role',
        value: (r) => (r.userId ? personLabel(this.people, r.userId) : `role ${r.role}`),
      },
      { label: 'Cost per hour', value: (r) => r.rate, numeric: true },
      { label: 'Currency', value: (r) => r.currency },
      { label: 'From', value: (r) => r.effectiveFrom },
      { label: 'To', value: (r) => r.effectiveTo ?? '' },
    ];
    return html`<section aria-labelledby="rates-h">
      <h3 id="rates-h">Cost rates</h3>
      ${dataTable(columns, this.rates ?? [], { caption: 'Cost rates', hideCaption: true, part: 'rates', empty: 'No cost rates yet.' })}
      ${
        this.can('projects.rates.write')
          ? html`<project-costing-new-cost-rate .erp=${this.erp} .api=${this.api} .people=${this.people}></project-costing-new-cost-rate>
              <project-costing-person-role .erp=${this.erp} .api=${this.api} .people=${this.people}></project-costing-person-role>`
          : nothing
      }
    </section>`;
  }

  override render() {
    if (!this.projects)
      return html`<h2>Project setup</h2>${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : html`<p class="status">Loading…</p>`}`;
    const p = this.project;
    return html`<h2>Project setup</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${this.projectSection()}
      ${
        this.projects.length
          ? html`<div class="toolbar">${formField({
              id: 'chosen',
              label: 'Project to set up',
              type: 'select',
              value: this.selected ?? '',
              options: this.projects.map((x) => ({ value: x.id, label: `${x.code} ${x.name}` })),
              onInput: (v) => {
                this.selected = v || undefined;
                void this.load();
              },
            })}</div>`
          : nothing
      }
      ${p ? this.activitySection(p) : nothing}
      ${this.rateSection()}`;
  }
}

customElements.define('project-costing-setup', ProjectSetup);
