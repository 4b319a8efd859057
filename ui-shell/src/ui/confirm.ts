// The consent/confirm step before an admin action: a modal <dialog> (focus moves into it and stays
// there; Escape cancels) that says exactly what will happen, and resolves true only on the
// confirm button.
import { html, render, type TemplateResult } from 'lit';

export function confirmAction(
  where: ShadowRoot | HTMLElement,
  opts: { title: string; body: TemplateResult; confirm: string; danger?: boolean },
): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    const done = (ok: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(ok);
    };
    dialog.addEventListener('cancel', () => done(false));
    render(
      html`<h2 id="confirm-title">${opts.title}</h2>
        ${opts.body}
        <div class="row">
          <button class=${opts.danger ? 'danger' : ''} data-testid="confirm" @click=${() => done(true)}>
            ${opts.confirm}
          </button>
          <button class="secondary" autofocus @click=${() => done(false)}>Cancel</button>
        </div>`,
      dialog,
    );
    where.append(dialog);
    dialog.showModal();
  });
}
