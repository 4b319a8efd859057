// What the shell's pages share: the session (authenticated client), the app (notify, navigate,
// plugin changes) and a busy/error state that shows API refusals in words.
import { LitElement } from 'lit';
import { messageOf } from '../api/problem.js';
import type { Session } from '../api/session.js';
import { base } from '../ui/styles.js';

export interface AppHandle {
  notify(text: string, kind?: 'info' | 'success' | 'error'): void;
  go(path: string, replace?: boolean): void;
  pluginsChanged(reason: string): void;
  loadManifest(): Promise<void>;
}

export class Page extends LitElement {
  static override properties = {
    busy: { state: true },
    error: { state: true },
  };
  static override styles = base;
  declare busy: boolean;
  declare error: string;
  declare app: AppHandle;
  declare session: Session;

  constructor() {
    super();
    this.busy = false;
    this.error = '';
  }

  /** Runs an API action: the page is busy meanwhile and a refusal is shown in words. */
  protected async act<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = '';
    try {
      return await run();
    } catch (err) {
      this.error = `${what} failed: ${messageOf(err)}`;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** Like act, for actions whose answer the page does not need: true when it succeeded. */
  protected async did(what: string, run: () => Promise<unknown>): Promise<boolean> {
    const ok = await this.act(what, async () => {
      await run();
      return true;
    });
    return ok === true;
  }

  protected field(form: HTMLFormElement, name: string): string {
    return String(new FormData(form).get(name) ?? '').trim();
  }
}
