// <time-tracking-approval-queue step="approver|finance">: the entries waiting for the step, with
// approve and reject (a reason is asked for) buttons; a refusal (e.g. one's own entry) shows in words.
// <time-tracking-finance-queue> is the same queue at the finance step, for its navigation entry
// (a navigation entry names an element, not its attributes). People are named by email when the
// viewer may read the kernel's user list (kernel-api: capability, for the isolated realm too).
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles } from '@erp/sdk/ui';
import { html } from 'lit';

interface Entry {
  id: string;
  userId: string;
  projectCode: string | null;
  workDate: string;
  hours: string;
  billable: boolean;
  flagged: boolean;
  source: string;
}

const BASE = '/api/v1/p/time-tracking';

export class ApprovalQueue extends ErpPluginElement {
  static override styles = erpStyles;
  static override reloadOn = ['step'];
  static override properties = {
    step: {},
    entries: { state: true },
    people: { state: true },
    problem: { state: true },
  };
  declare step?: 'approver' | 'finance';
  declare entries?: Entry[];
  declare people?: Map<string, string>;
  declare problem?: ApiProblem;

  private get finance(): boolean {
    return this.step === 'finance';
  }

  protected override async load(): Promise<void> {
    if (!this.people && this.can('iam.users.read'))
      this.people = await this.call<{ items: { id: string; email: string }[] }>('/api/v1/iam/users').then(
        (u) => new Map(u.items.map((p) => [p.id, p.email])),
        () => undefined,
      );
    try {
      this.entries = (
        await this.call<{ entries: Entry[] }>(`${BASE}/approvals/${this.finance ? 'finance' : 'approver'}`)
      ).entries;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async decide(e: Entry, approve: boolean): Promise<void> {
    const action = `${this.finance ? 'finance-' : ''}${approve ? 'approve' : 'reject'}`;
    const reason = approve ? undefined : (prompt('Reason for rejecting') ?? '').trim() || 'rejected';
    try {
      await this.call(`${BASE}/entries/${e.id}/${action}`, {
        method: 'POST',
        ...(approve ? {} : { body: { reason } }),
      });
      this.problem = undefined;
      this.notify(approve ? 'Approved' : 'Rejected', 'success');
      await this.load();
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  override render() {
    const columns: Column<Entry>[] = [
      { label: 'Date', value: (e) => e.workDate },
      { label: 'Person', value: (e) => this.people?.get(e.userId) ?? e.userId.slice(0, 8) },
      { label: 'Project', value: (e) => e.projectCode },
      { label: 'Hours', value: (e) => e.hours, numeric: true },
      { label: 'Billable', value: (e) => (e.billable ? 'yes' : 'no') },
      {
        label: 'Flags',
        value: (e) =>
          [e.flagged ? 'timer over limit' : '', e.source === 'reversal' ? 'reversal' : '']
            .filter(Boolean)
            .join(', '),
      },
    ];
    return html`<h2>${this.finance ? 'Finance approval' : 'Time approvals'}</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : ''}
      ${
        this.entries
          ? html`<p class="status" part="status">${this.entries.length} waiting</p>
            ${dataTable(columns, this.entries, { caption: 'Entries waiting for approval', hideCaption: true, empty: 'Nothing waiting.' })}
            <ul part="actions">${this.entries.map(
              (e) => html`<li>${e.workDate} ${e.projectCode} ${e.hours} h
                <button type="button" @click=${() => this.decide(e, true)} aria-label=${`Approve ${e.workDate} ${e.hours} h`}>Approve</button>
                <button type="button" class="secondary" @click=${() => this.decide(e, false)} aria-label=${`Reject ${e.workDate} ${e.hours} h`}>Reject</button></li>`,
            )}</ul>`
          : html`<p class="status" part="status">Loading…</p>`
      }`;
  }
}

export class FinanceQueue extends ApprovalQueue {
  constructor() {
    super();
    this.step = 'finance';
  }
}

customElements.define('time-tracking-approval-queue', ApprovalQueue);
customElements.define('time-tracking-finance-queue', FinanceQueue);
