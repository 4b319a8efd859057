// <resources-calendar from="YYYY-MM-DD" to="YYYY-MM-DD">: people down the side, days across, each
// cell the hours booked over the day's capacity; over-allocated cells are marked (colour, a "!" and
// words for screen readers), days without capacity are shaded.
import { type ApiProblem, ErpPluginElement, erpStyles } from '@erp/sdk/ui';
import { css, html } from 'lit';

interface Day {
  date: string;
  capacity: string;
  allocated: string;
  excess: string;
  over: boolean;
}
interface Person {
  userId: string;
  name: string | null;
  days: Day[];
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export class ResourceCalendar extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      td { text-align: center; min-width: 3.5em; }
      td.over { background: var(--erp-danger-bg, #fde7e9); color: var(--erp-danger, #b00020); font-weight: 600; }
      td.off { background: var(--erp-muted-bg, #f1f1f1); }
    `,
  ];
  static override reloadOn = ['from', 'to'];
  static override properties = { from: {}, to: {}, people: { state: true }, problem: { state: true } };
  declare from?: string;
  declare to?: string;
  declare people?: Person[];
  declare problem?: ApiProblem;

  protected override async load(): Promise<void> {
    const from = this.from ?? new Date().toISOString().slice(0, 10);
    try {
      this.people = (
        await this.call<{ people: Person[] }>('/api/v1/p/resources/calendar', {
          query: { from, to: this.to ?? addDays(from, 13) },
        })
      ).people;
      this.problem = undefined;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  override render() {
    const days = this.people?.[0]?.days.map((d) => d.date) ?? [];
    const overCount = (this.people ?? []).reduce((n, p) => n + p.days.filter((d) => d.over).length, 0);
    return html`<h2>Resource calendar</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : ''}
      ${
        this.people
          ? html`<p class="status" part="status">${this.people.length} people, ${overCount} over-allocated day(s)</p>
            <table part="calendar">
              <caption class="visually-hidden">Booked hours over capacity per person and day</caption>
              <thead><tr><th scope="col">Person</th>${days.map((d) => html`<th scope="col">${d.slice(5)}</th>`)}</tr></thead>
              <tbody>${this.people.map(
                (p) =>
                  html`<tr><th scope="row">${p.name ?? p.userId.slice(0, 8)}</th>${p.days.map(
                    (
                      d,
                    ) => html`<td class=${d.over ? 'over' : d.capacity === '0' ? 'off' : ''} data-date=${d.date}
                      title=${`${d.allocated} of ${d.capacity} h booked`}>
                      ${d.allocated}/${d.capacity}${d.over ? html`<span aria-hidden="true"> !</span><span class="visually-hidden"> over-allocated by ${d.excess} h</span>` : ''}
                    </td>`,
                  )}</tr>`,
              )}</tbody>
            </table>`
          : html`<p class="status" part="status">Loading…</p>`
      }`;
  }
}

customElements.define('resources-calendar', ResourceCalendar);
