/**
 * The toolbar's rerun mode switch: every cell, or only the cells whose inputs
 * changed (`%rerun_mode`, docs/ARCHITECTURE.md "Reusing cells").
 *
 * The choice is the notebook's, so it lives in the notebook's metadata
 * (`"rerunkernel": {"mode": "changed"}`) and is saved with it.
 */
import { Widget } from '@lumino/widgets';
import type { NotebookLink } from './link';
import type { RerunMode } from './protocol';

const LABELS: Record<RerunMode, string> = {
  all: 'Rerun all',
  changed: 'Rerun changed'
};

export class RerunModeSwitch extends Widget {
  constructor(link: NotebookLink) {
    super();
    this._link = link;
    this.addClass('jp-RerunMode');
    const select = document.createElement('select');
    select.className = 'jp-RerunMode-select';
    select.setAttribute('aria-label', 'Rerun mode');
    select.title =
      'Rerun all: every rerun runs every cell. Rerun changed: a rerun runs only the cells ' +
      'whose code, inputs, files or widgets changed, and reuses the others (saved in the ' +
      "notebook's metadata).";
    for (const mode of Object.keys(LABELS) as RerunMode[]) {
      select.append(new Option(LABELS[mode], mode));
    }
    select.addEventListener('change', () => {
      link.setMode(select.value as RerunMode);
    });
    this._select = select;
    this.node.append(select);
    this.setHidden(!link.active);
    link.activeChanged.connect((_, active) => this.setHidden(!active), this);
    link.modeChanged.connect(this._render, this);
    this._render();
  }

  private _render(): void {
    this._select.value = this._link.mode;
  }

  private _link: NotebookLink;
  private _select: HTMLSelectElement;
}
