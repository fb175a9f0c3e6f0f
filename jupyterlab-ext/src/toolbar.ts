/**
 * The notebook toolbar items: the Rerun script button and the run status.
 * Both are hidden unless the notebook runs on a Rerun Script kernel.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import { refreshIcon, ToolbarButton } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import type { NotebookLink } from './link';
import { describeStatus, elapsedSeconds } from './status';

function followActive(widget: Widget, link: NotebookLink): void {
  widget.setHidden(!link.active);
  link.activeChanged.connect((_, active) => widget.setHidden(!active), widget);
}

export function createRerunButton(
  panel: NotebookPanel,
  link: NotebookLink
): Widget {
  const button = new ToolbarButton({
    icon: refreshIcon,
    label: 'Rerun',
    tooltip: 'Rerun the whole notebook as one script',
    onClick: () => void link.rerun(panel)
  });
  followActive(button, link);
  return button;
}

/**
 * Idle, running (with the time so far once a run takes over a second), stale
 * or error; clicking an error shows the cell that failed.
 */
export class RunStatusIndicator extends Widget {
  constructor(panel: NotebookPanel, link: NotebookLink) {
    super();
    this._panel = panel;
    this._link = link;
    this.addClass('jp-RerunStatus');
    this.node.setAttribute('role', 'status');
    this._dot.className = 'jp-RerunStatus-dot';
    this._label.className = 'jp-RerunStatus-label';
    this.node.append(this._dot, this._label);
    this.node.addEventListener('click', this._showFailingCell);
    this.node.addEventListener('keydown', event => {
      if (event.key === 'Enter' || event.key === ' ') {
        this._showFailingCell();
      }
    });
    followActive(this, link);
    link.statusChanged.connect(this._render, this);
    this._render();
  }

  dispose(): void {
    window.clearInterval(this._timer);
    super.dispose();
  }

  private _render(): void {
    const { status, sentAt, receivedAt } = this._link.status;
    const elapsed =
      status.started === null
        ? null
        : elapsedSeconds(status.started, sentAt, receivedAt, Date.now());
    const view = describeStatus(status, elapsed);
    this.node.dataset.state = view.state;
    this.node.title = view.title;
    this.node.classList.toggle('jp-mod-clickable', view.clickable);
    this.node.tabIndex = view.clickable ? 0 : -1;
    this._label.textContent = view.label;

    const ticking = view.state === 'running' && status.started !== null;
    if (ticking && this._timer === undefined) {
      this._timer = window.setInterval(() => this._render(), 1000);
    } else if (!ticking && this._timer !== undefined) {
      window.clearInterval(this._timer);
      this._timer = undefined;
    }
  }

  private _showFailingCell = (): void => {
    const { state, cell: id } = this._link.status.status;
    const notebook = this._panel.content;
    const index = notebook.widgets.findIndex(cell => cell.model.id === id);
    if (state !== 'error' || index < 0) {
      return;
    }
    notebook.activeCellIndex = index;
    void notebook.scrollToCell(notebook.widgets[index], 'center');
  };

  private _panel: NotebookPanel;
  private _link: NotebookLink;
  private _dot = document.createElement('span');
  private _label = document.createElement('span');
  private _timer: number | undefined = undefined;
}
