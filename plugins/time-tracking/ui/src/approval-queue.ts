// <time-tracking-approval-queue step="approver|finance">: the entries waiting for the step, with
// approve and reject (a reason is asked for) buttons; a refusal (e.g. one's own entry) shows in words.
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
  static override properties = { step: {}, entries: { state: true }, problem: { state: true } };
  declare step?: 'approver' | 'finance';
  declare entries?: Entry[];
  declare problem?: ApiProblem;

  private get finance(): boolean {
    return this.step === 'finance';
  }

  protected override async load(): Promise<void> {
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
      { label: 'Person', value: (e) => e.userId.slice(0, 8) },
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

customElements.define('time-tracking-approval-queue', ApprovalQueue);
