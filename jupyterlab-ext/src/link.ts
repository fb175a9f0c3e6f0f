/**
 * One notebook document's connection to its Rerun Script kernel.
 */
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import type { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import { NotebookActions } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { CommsOverSubshells, KernelMessage } from '@jupyterlab/services';
import type { JSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { isRerunKernel } from './activation';
import type { ICellSource } from './cells';
import {
  codeCells,
  hasUnrunEdits,
  needsReplay,
  sameCells,
  shouldRunOnSave
} from './cells';
import { applyMarks, cellMarks } from './marks';
import type { IExecuteExtras, IReuseReport, RerunMode } from './protocol';
import {
  cellsMessage,
  COMM_TARGET,
  executeMetadata,
  helloMessage,
  metadataMode,
  modeMessage,
  parseKernelMessage,
  PROTOCOL_VERSION,
  settingsMessage
} from './protocol';
import type { IRunStatus } from './status';
import { IDLE, withPageState } from './status';

/** A status as received: the kernel's clock when it was sent, the browser's when it arrived. */
export interface IStatusReport {
  status: IRunStatus;
  sentAt: number;
  receivedAt: number;
}

/**
 * Keeps the `rerunkernel` comm of one notebook document open while its kernel
 * is a Rerun Script kernel, sends it the notebook's cells, and reports the
 * kernel's run status.
 *
 * Every message to the kernel is sent on the same shell channel as the
 * notebook's execute requests (never on a comm subshell), so a cell list sent
 * before an execution reaches the kernel before that execute_request does.
 */
export class NotebookLink implements IDisposable {
  constructor(
    context: DocumentRegistry.IContext<INotebookModel>,
    handlesSave: boolean
  ) {
    this._context = context;
    this._handlesSave = handlesSave;
    context.sessionContext.kernelChanged.connect(this._onKernelChanged, this);
    context.saveState.connect(this._onSaveState, this);
    context.model.contentChanged.connect(this._onContentChanged, this);
    context.model.metadataChanged.connect(this._onMetadataChanged, this);
    this._notebookMode = metadataMode(context.model.getMetadata('rerunkernel'));
    this._attach(context.sessionContext.session?.kernel ?? null);
  }

  /** Whether the notebook runs on a Rerun Script kernel. */
  get active(): boolean {
    return this._active;
  }

  get activeChanged(): ISignal<this, boolean> {
    return this._activeChanged;
  }

  /** The kernel's status, with a restart or unrun edits the page knows of laid over it. */
  get status(): IStatusReport {
    const page = {
      restarted: this._restarted,
      edited: this._edited,
      summary:
        this._reuse?.mode === 'changed' && this._reuse.summary
          ? this._reuse.summary
          : null
    };
    return {
      ...this._status,
      status: withPageState(this._status.status, page)
    };
  }

  /** The notebook's rerun mode: its metadata's, else the kernel's, else `all`. */
  get mode(): RerunMode {
    return this._notebookMode ?? this._reuse?.mode ?? 'all';
  }

  get modeChanged(): ISignal<this, RerunMode> {
    return this._modeChanged;
  }

  /** Switch the mode; it is saved with the notebook and reaches the kernel at once. */
  setMode(mode: RerunMode): void {
    const model = this._context.model;
    const held = model.getMetadata('rerunkernel');
    const ours = typeof held === 'object' && held !== null ? held : {};
    model.setMetadata('rerunkernel', { ...ours, mode });
  }

  get statusChanged(): ISignal<this, IStatusReport> {
    return this._statusChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  get disposed(): ISignal<this, void> {
    return this._disposed;
  }

  /** Whether the front-end reruns the script when the notebook is saved. */
  set handlesSave(value: boolean) {
    if (value !== this._handlesSave) {
      this._handlesSave = value;
      this._send(settingsMessage(value));
    }
  }

  /** A view of this document; the link lives as long as one does. */
  addPanel(panel: NotebookPanel): void {
    this._panels.push(panel);
    panel.disposed.connect(() => {
      this._panels = this._panels.filter(p => p !== panel);
      if (this._panels.length === 0) {
        this.dispose();
      }
    });
  }

  /** Called as a code cell of this notebook is about to be executed. */
  beforeExecution(): void {
    if (!this._comm) {
      return;
    }
    const cells = this._cells();
    this._executedHere = true;
    this._lastRun = cells;
    this._sendCells(cells);
  }

  /**
   * Rerun the whole script: execute every code cell in order, as Run All does.
   * The kernel reruns the script at the first cell and shows the other cells'
   * outputs as they come, so this costs one run.
   */
  rerun(panel: NotebookPanel | undefined = this._panels[0]): Promise<boolean> {
    if (!this._active || !panel) {
      return Promise.resolve(false);
    }
    const notebook = panel.content;
    const code = notebook.widgets.filter(cell => cell.model.type === 'code');
    const mode = notebook.mode;
    const done = NotebookActions.runCells(notebook, code, panel.sessionContext);
    // Running cells leaves edit mode; a save from the editor should not.
    notebook.mode = mode;
    return done;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._detach();
    this._isDisposed = true;
    this._disposed.emit();
    Signal.clearData(this);
  }

  private _cells(): ICellSource[] {
    return codeCells(
      Array.from(this._context.model.cells, cell => ({
        type: cell.type,
        id: cell.id,
        source: cell.sharedModel.getSource()
      }))
    );
  }

  /**
   * Send the cell list, once for cells scheduled together: Run All schedules
   * every cell in one go and the kernel needs the list only before the first.
   */
  private _sendCells(cells: ICellSource[]): void {
    if (this._pending && sameCells(this._pending, cells)) {
      return;
    }
    this._send(cellsMessage(cells));
    this._pending = cells;
    // the kernel runs these from its next run on, widget reruns included
    if (this._lastRun !== null) {
      this._sent = cells;
    }
    setTimeout(() => {
      this._pending = null;
    }, 0);
  }

  /**
   * A comm_msg on the kernel connection's own shell channel.
   *
   * `comm.send` would route it to a kernel subshell when JupyterLab sends
   * comms over subshells (its default), and a subshell's messages are handled
   * on another thread, in no fixed order with the execute requests.
   */
  private _send(data: JSONObject): void {
    const kernel = this._kernel;
    const comm = this._comm;
    if (!kernel || !comm) {
      return;
    }
    const msg = KernelMessage.createMessage<KernelMessage.ICommMsgMsg<'shell'>>(
      {
        msgType: 'comm_msg',
        channel: 'shell',
        session: kernel.clientId,
        username: kernel.username,
        subshellId: kernel.subshellId,
        content: { comm_id: comm.commId, data }
      }
    );
    kernel.sendShellMessage(msg, false, true);
  }

  private _onKernelChanged(): void {
    this._attach(this._context.sessionContext.session?.kernel ?? null);
  }

  private _attach(kernel: Kernel.IKernelConnection | null): void {
    this._detach();
    this._kernel = kernel;
    if (!kernel) {
      return;
    }
    addToExecutions(kernel, () => ({
      mode: this._notebookMode,
      presets: this._restarted ? this._values : null
    }));
    kernel.statusChanged.connect(this._onKernelStatus, this);
    kernel.info
      .then(info => {
        if (kernel === this._kernel && !this._isDisposed) {
          this._setActive(isRerunKernel(kernel.name, info.implementation));
          this._open();
        }
      })
      .catch(reason => {
        console.warn('Rerun Script: no kernel info', reason);
      });
  }

  private _detach(): void {
    const kernel = this._kernel;
    const comm = this._comm;
    this._kernel = null;
    this._comm = null;
    if (kernel) {
      kernel.statusChanged.disconnect(this._onKernelStatus, this);
    }
    if (comm && !comm.isDisposed && kernel && !kernel.isDisposed) {
      comm.close();
    }
    this._setActive(false);
    this._reset();
  }

  /** A restarted kernel has new comms: open ours again once it is up. */
  private _onKernelStatus(
    kernel: Kernel.IKernelConnection,
    status: Kernel.Status
  ): void {
    if (
      status === 'restarting' ||
      status === 'autorestarting' ||
      status === 'dead'
    ) {
      this._comm = null;
      this._reset();
      if (status !== 'dead') {
        this._setPageState({ restarted: true });
      }
    } else if (status === 'idle' || status === 'busy') {
      this._open();
    }
  }

  /**
   * Open the comm, once per kernel session: a kernel that closes it (one
   * without the comm target) is left to work without it.
   */
  private _open(): void {
    const kernel = this._kernel;
    if (!this._active || this._opened || !kernel) {
      return;
    }
    this._opened = true;
    const comm = kernel.createComm(COMM_TARGET);
    // All our messages go to the main shell (see _send); a subshell would sit idle.
    comm.commsOverSubshells = CommsOverSubshells.Disabled;
    comm.onMsg = msg => this._onMessage(msg);
    comm.onClose = () => {
      if (this._comm === comm) {
        this._comm = null;
      }
    };
    this._comm = comm;
    comm.open(helloMessage(this._handlesSave, this._notebookMode));
  }

  private _onMessage(msg: KernelMessage.ICommMsgMsg): void {
    const event = parseKernelMessage(msg.content.data);
    if (!event) {
      console.warn('Rerun Script: unexpected kernel message', msg.content.data);
      return;
    }
    if (event.type === 'rejected') {
      console.warn(
        'Rerun Script: the kernel rejected a message:',
        event.reason
      );
      return;
    }
    if (event.type === 'hello' && event.version !== PROTOCOL_VERSION) {
      console.warn(
        `Rerun Script: the kernel speaks version ${event.version} of the extension's protocol, ` +
          `this extension version ${PROTOCOL_VERSION}; the notebook runs without it`
      );
      this._comm?.close();
      this._comm = null;
      return;
    }
    if (event.type === 'reuse') {
      this._showReuse(event);
      return;
    }
    if (event.type === 'values') {
      this._values = event.values;
      return;
    }
    const receivedAt = Date.now();
    const sentAt = Date.parse(msg.header.date) || receivedAt;
    if (event.status.state === 'running') {
      // a run on this kernel, of the cells sent last: edits made since are still unrun
      this._restarted = false;
      this._ran = this._sent;
      this._edited = hasUnrunEdits(this._ran, this._cells());
    }
    this._setStatus({ status: event.status, sentAt, receivedAt });
    if (
      event.type === 'hello' &&
      needsReplay(event.known, this._cells(), this._executedHere)
    ) {
      void this.rerun();
    }
  }

  private _onSaveState(
    context: DocumentRegistry.IContext<INotebookModel>,
    state: DocumentRegistry.SaveState
  ): void {
    if (state !== 'completed' || !this._comm) {
      return;
    }
    const cells = this._cells();
    this._sendCells(cells);
    if (shouldRunOnSave(this._handlesSave, this._lastRun, cells)) {
      void this.rerun().then(() => this._saveRun(cells));
    }
  }

  /**
   * Save again once the run a save started is done, so the file holds the
   * outputs of the code it holds, and the notebook is not left dirty by the
   * run it asked for. Not if the code was edited meanwhile: that is the
   * user's to save.
   */
  private _saveRun(saved: ICellSource[]): void {
    const context = this._context;
    if (
      this._active &&
      !context.isDisposed &&
      sameCells(saved, this._cells())
    ) {
      void context.save();
    }
  }

  private _onContentChanged(): void {
    this._setPageState({ edited: hasUnrunEdits(this._ran, this._cells()) });
  }

  private _onMetadataChanged(): void {
    const mode = metadataMode(this._context.model.getMetadata('rerunkernel'));
    if (mode === this._notebookMode) {
      return;
    }
    this._notebookMode = mode;
    if (mode !== null) {
      this._send(modeMessage(mode));
    }
    this._modeChanged.emit(this.mode);
  }

  private _showReuse(report: IReuseReport): void {
    const before = this.mode;
    this._reuse = report;
    const marks = cellMarks(report);
    for (const panel of this._panels) {
      applyMarks(
        panel.content.widgets.map(cell => ({
          id: cell.model.id,
          node: cell.node
        })),
        marks
      );
    }
    if (this.mode !== before) {
      this._modeChanged.emit(this.mode);
    }
    this._statusChanged.emit(this.status);
  }

  private _setPageState(
    change: Partial<{ restarted: boolean; edited: boolean }>
  ): void {
    const restarted = change.restarted ?? this._restarted;
    const edited = change.edited ?? this._edited;
    if (restarted !== this._restarted || edited !== this._edited) {
      this._restarted = restarted;
      this._edited = edited;
      this._statusChanged.emit(this.status);
    }
  }

  /** Forget what belonged to a kernel session that ended. */
  private _reset(): void {
    this._opened = false;
    this._executedHere = false;
    this._lastRun = null;
    this._pending = null;
    this._sent = null;
    this._ran = null;
    this._edited = false;
    if (this._reuse) {
      this._showReuse({
        ...this._reuse,
        reused: [],
        notReusable: {},
        summary: ''
      });
    }
    const now = Date.now();
    this._setStatus({ status: IDLE, sentAt: now, receivedAt: now });
  }

  private _setActive(active: boolean): void {
    if (active !== this._active) {
      this._active = active;
      this._activeChanged.emit(active);
    }
  }

  private _setStatus(report: IStatusReport): void {
    this._status = report;
    this._statusChanged.emit(this.status);
  }

  private _context: DocumentRegistry.IContext<INotebookModel>;
  private _handlesSave: boolean;
  private _panels: NotebookPanel[] = [];
  private _kernel: Kernel.IKernelConnection | null = null;
  private _comm: Kernel.IComm | null = null;
  private _active = false;
  private _opened = false;
  private _executedHere = false;
  private _lastRun: ICellSource[] | null = null;
  private _pending: ICellSource[] | null = null;
  private _status: IStatusReport = {
    status: IDLE,
    sentAt: Date.now(),
    receivedAt: Date.now()
  };
  /** The cells the kernel runs from its next run on. */
  private _sent: ICellSource[] | null = null;
  /** The cells of the last run the kernel started. */
  private _ran: ICellSource[] | null = null;
  private _restarted = false;
  /** What the notebook's widgets held after the last run, for a restarted kernel to start from. */
  private _values: Record<string, string> | null = null;
  private _edited = false;
  private _reuse: IReuseReport | null = null;
  private _notebookMode: RerunMode | null;
  private _isDisposed = false;
  private _modeChanged = new Signal<this, RerunMode>(this);
  private _activeChanged = new Signal<this, boolean>(this);
  private _statusChanged = new Signal<this, IStatusReport>(this);
  private _disposed = new Signal<this, void>(this);
}

const extras = new WeakMap<Kernel.IKernelConnection, () => IExecuteExtras>();

/**
 * Add the notebook's mode (and, after a restart, the widget values the page
 * shows) to every execute_request of this kernel connection, under
 * `metadata.rerunkernel`.
 *
 * JupyterLab builds an execution's metadata from the cell's own metadata, so
 * a notebook-wide setting can only be added where the request is made. The
 * wrapper is installed once per connection and asks the current link.
 */
function addToExecutions(
  kernel: Kernel.IKernelConnection,
  extrasNow: () => IExecuteExtras
): void {
  if (!extras.has(kernel)) {
    const requestExecute = kernel.requestExecute.bind(kernel);
    kernel.requestExecute = (content, disposeOnDone, metadata) =>
      requestExecute(
        content,
        disposeOnDone,
        executeMetadata(
          metadata,
          extras.get(kernel)?.() ?? { mode: null, presets: null }
        )
      );
  }
  extras.set(kernel, extrasNow);
}
