// <time-tracking-timesheet week="YYYY-MM-DD">: the caller's timer (start on a project, stop) and
// their week as a grid of hours per project and day with totals, a form to record time by hand
// (server field errors next to the fields) and a button that submits the week's open entries.
import { type ApiProblem, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { css, html } from 'lit';

interface Project {
  id: string;
  code: string;
  name: string;
  activities?: Array<{ id: string; code: string; name: string }>;
}
interface Entry {
  id: string;
  projectId: string;
  projectCode: string | null;
  workDate: string;
  hours: string | null;
  status: string;
}
interface Timer {
  id: string;
  projectCode: string | null;
  startedAt: string;
  overLimit: boolean;
}

const BASE = '/api/v1/p/time-tracking';

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function monday(date: string): string {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((wd + 6) % 7));
}

/** Sum of decimal hour strings, in ten-thousandths (hours have at most 4 decimals), shown plainly. */
function total(hours: Array<string | null>): string {
  let units = 0n;
  for (const h of hours) {
    if (!h) continue;
    const neg = h.startsWith('-');
    const [w, f = ''] = h.replace('-', '').split('.');
    const v = BigInt(w!) * 10000n + BigInt(`${f}0000`.slice(0, 4));
    units += neg ? -v : v;
  }
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const frac = (abs % 10000n).toString().padStart(4, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs / 10000n}${frac ? `.${frac}` : ''}`;
}

export class Timesheet extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      td.over, .flag { color: var(--erp-danger, #b00020); font-weight: 600; }
      .grid td, .grid th { text-align: right; }
      .grid th[scope='row'] { text-align: left; }
    `,
  ];
  static override reloadOn = ['week'];
  static override properties = {
    week: {},
    projects: { state: true },
    entries: { state: true },
    timer: { state: true },
    problem: { state: true },
    values: { state: true },
  };
  declare week?: string;
  declare projects?: Project[];
  declare entries?: Entry[];
  declare timer?: Timer | null;
  declare problem?: ApiProblem;
  values: Record<string, string> = {};

  private get from(): string {
    return monday(this.week ?? new Date().toISOString().slice(0, 10));
  }

  protected override async load(): Promise<void> {
    try {
      const [p, e, t] = await Promise.all([
        this.call<{ projects: Project[] }>(`${BASE}/projects`),
        this.call<{ entries: Entry[] }>(`${BASE}/entries`, {
          query: { from: this.from, to: addDays(this.from, 6) },
        }),
        this.call<{ timer: Timer | null }>(`${BASE}/timer`),
      ]);
      this.projects = p.projects;
      this.entries = e.entries;
      this.timer = t.timer;
      this.values = { projectId: p.projects[0]?.id ?? '', workDate: this.from, ...this.values };
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async act(path: string, body: unknown, done: string): Promise<void> {
    try {
      await this.call(`${BASE}${path}`, { method: 'POST', body });
      this.problem = undefined;
      this.notify(done, 'success');
      await this.load();
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private set(key: string, value: string) {
    this.values = { ...this.values, [key]: value };
  }

  /** The project and, when one is chosen, the activity the time is booked to. */
  private booking(): { projectId: string | undefined; activityId?: string } {
    const { projectId, activityId } = this.values;
    return activityId ? { projectId, activityId } : { projectId };
  }

  private renderTimer() {
    if (this.timer)
      return html`<p part="timer" class=${this.timer.overLimit ? 'flag' : ''}>
          Timer running on ${this.timer.projectCode} since ${this.timer.startedAt.slice(11, 16)} UTC
          ${this.timer.overLimit ? '(over the limit)' : ''}
        </p>
        <button type="button" part="stop" @click=${() => this.act('/timer/stop', {}, 'Timer stopped')}>Stop timer</button>`;
    return html`<button type="button" part="start" ?disabled=${!this.values.projectId}
      @click=${() => this.act('/timer/start', this.booking(), 'Timer started')}>Start timer</button>`;
  }

  private renderGrid() {
    const days = Array.from({ length: 7 }, (_, i) => addDays(this.from, i));
    const rows = [...new Set((this.entries ?? []).map((e) => e.projectCode ?? e.projectId))];
    const cell = (code: string | null, day: string) =>
      total(
        (this.entries ?? [])
          .filter((e) => (code === null || (e.projectCode ?? e.projectId) === code) && e.workDate === day)
          .map((e) => e.hours),
      );
    const dayTotals = days.map((d) => cell(null, d));
    return html`<table class="grid" part="week">
      <caption>Week of ${this.from}</caption>
      <thead><tr><th scope="col">Project</th>${days.map((d) => html`<th scope="col">${d.slice(5)}</th>`)}<th scope="col">Total</th></tr></thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr><th scope="row">${r}</th>${days.map((d) => html`<td>${cell(r, d)}</td>`)}<td>${total(days.map((d) => cell(r, d)))}</td></tr>`,
        )}
        <tr part="totals"><th scope="row">Total</th>${dayTotals.map((t) => html`<td class=${Number(t) > 8 ? 'over' : ''}>${t}</td>`)}<td>${total(dayTotals)}</td></tr>
      </tbody>
    </table>`;
  }

  override render() {
    const err = (f: string) => this.problem?.fieldMessage(`/body/${f}`);
    const open = (this.entries ?? []).filter((e) => e.status === 'draft' || e.status === 'rejected');
    const options = (this.projects ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }));
    const activities = (this.projects ?? [])
      .find((p) => p.id === this.values.projectId)
      ?.activities?.map((a) => ({ value: a.id, label: `${a.code} ${a.name}` }));
    return html`<h2>Timesheet</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : ''}
      ${this.projects ? '' : html`<p class="status" part="status">Loading…</p>`}
      ${formField({
        id: 'project',
        label: 'Project',
        type: 'select',
        options,
        value: this.values.projectId,
        required: true,
        error: err('projectId'),
        onInput: (v) => {
          this.values = { ...this.values, projectId: v, activityId: '' };
        },
      })}
      ${activities?.length ? formField({ id: 'activity', label: 'Activity', type: 'select', options: activities, value: this.values.activityId, error: err('activityId'), onInput: (v) => this.set('activityId', v) }) : ''}
      ${this.renderTimer()}
      ${this.entries ? this.renderGrid() : ''}
      <form part="manual" @submit=${(ev: Event) => {
        ev.preventDefault();
        void this.act(
          '/entries',
          { ...this.booking(), workDate: this.values.workDate, hours: this.values.hours },
          'Time recorded',
        );
      }}>
        ${formField({ id: 'date', label: 'Date', type: 'date', value: this.values.workDate, required: true, error: err('workDate'), onInput: (v) => this.set('workDate', v) })}
        ${formField({ id: 'hours', label: 'Hours', value: this.values.hours, required: true, hint: 'hours as a decimal, e.g. 7.5', inputmode: 'decimal', error: err('hours'), onInput: (v) => this.set('hours', v) })}
        <button type="submit">Record time</button>
      </form>
      <button type="button" part="submit-week" ?disabled=${open.length === 0}
        @click=${() => this.act('/entries/submit', { entryIds: open.map((e) => e.id) }, 'Week submitted')}>
        Submit ${open.length} entr${open.length === 1 ? 'y' : 'ies'} for approval
      </button>`;
  }
}

customElements.define('time-tracking-timesheet', Timesheet);
