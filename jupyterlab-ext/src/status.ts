/**
 * The run status the kernel reports, and how the toolbar shows it.
 */

export type RunState = 'idle' | 'running' | 'error' | 'stale';

export interface IRunStatus {
  state: RunState;
  /** When the current run started, in seconds since the epoch on the kernel's clock. */
  started: number | null;
  /** The id of the cell that failed, for the error state. */
  cell: string | null;
  message: string | null;
  /**
   * Why the outputs may not match the code, when only the page knows: the kernel
   * restarted under them, or a code cell was edited and not run since.
   */
  stale?: PageStale;
  /** The last run's reuse summary ("1 cell ran, 4 reused, 12 ms"), in `changed` mode. */
  summary?: string;
}

export type PageStale = 'restarted' | 'edited';

/** What the page knows that the kernel's report can't say. */
export interface IPageState {
  restarted: boolean;
  edited: boolean;
  summary: string | null;
}

export const RESTARTED_MESSAGE =
  'The kernel restarted: these outputs are from the old kernel, and moving a widget runs ' +
  'nothing. Rerun to run the script on the new kernel, from the widget values shown.';

export const EDITED_MESSAGE =
  'A code cell was edited and not run: widget changes rerun the code as it last ran. ' +
  'Rerun, or run the edited cell, to use the edits.';

/**
 * The kernel's status with what the page knows laid over it.
 *
 * A run in progress and an error are the kernel's to say; otherwise a restart
 * under the page's outputs, then unrun edits, make the outputs stale, since
 * the kernel can't see either.
 */
export function withPageState(
  status: IRunStatus,
  page: IPageState
): IRunStatus {
  if (status.state === 'running' || status.state === 'error') {
    return status;
  }
  if (page.restarted) {
    return {
      ...IDLE,
      state: 'stale',
      stale: 'restarted',
      message: RESTARTED_MESSAGE
    };
  }
  if (page.edited) {
    return {
      ...IDLE,
      state: 'stale',
      stale: 'edited',
      message: EDITED_MESSAGE
    };
  }
  if (status.state === 'idle' && page.summary) {
    return { ...status, summary: page.summary };
  }
  return status;
}

export const IDLE: IRunStatus = {
  state: 'idle',
  started: null,
  cell: null,
  message: null
};

/**
 * Seconds a run has been going.
 *
 * `started` and `sentAt` (the date in the status message's header) are read on
 * the kernel's clock, `receivedAt` and `now` on the browser's, so a clock
 * difference between the two machines cancels out.
 */
export function elapsedSeconds(
  started: number,
  sentAt: number,
  receivedAt: number,
  now: number
): number {
  return Math.max(0, (sentAt - started * 1000 + (now - receivedAt)) / 1000);
}

export function formatElapsed(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export interface IStatusView {
  state: RunState;
  label: string;
  title: string;
  /** Clicking shows the failing cell. */
  clickable: boolean;
}

/** What the indicator shows; `elapsed` is null when the run's start is unknown. */
export function describeStatus(
  status: IRunStatus,
  elapsed: number | null
): IStatusView {
  switch (status.state) {
    case 'running': {
      const long = elapsed !== null && elapsed >= 1;
      return {
        state: 'running',
        label: long ? `Running ${formatElapsed(elapsed)}` : 'Running',
        title: 'The script is running.',
        clickable: false
      };
    }
    case 'stale':
      return {
        state: 'stale',
        label:
          status.stale === 'restarted'
            ? 'Kernel restarted — Rerun'
            : status.stale === 'edited'
              ? 'Edited, not run'
              : 'Stale',
        title:
          status.message ??
          'The notebook changed since the last run: rerun the script to update the outputs.',
        clickable: false
      };
    case 'error': {
      const clickable = status.cell !== null;
      const message = status.message ?? 'The last run failed.';
      return {
        state: 'error',
        label: 'Error',
        title: clickable
          ? `${message}\nClick to show the failing cell.`
          : message,
        clickable
      };
    }
    case 'idle':
      return {
        state: 'idle',
        label: status.summary ?? 'Idle',
        title: status.summary
          ? `The outputs show the last run of the script: ${status.summary}.`
          : 'The outputs show the last run of the script.',
        clickable: false
      };
  }
}
