import { describe, expect, it } from 'vitest';
import type { IRunStatus } from '../src/status';
import {
  describeStatus,
  EDITED_MESSAGE,
  elapsedSeconds,
  formatElapsed,
  IDLE,
  RESTARTED_MESSAGE,
  withPageState
} from '../src/status';

const running: IRunStatus = {
  state: 'running',
  started: 1000,
  cell: null,
  message: null
};

describe('elapsedSeconds', () => {
  it('counts from the start on the kernel clock, then on the browser clock', () => {
    // sent 2.5 s into the run, shown 1 s after it arrived
    expect(elapsedSeconds(1000, 1_002_500, 50_000, 51_000)).toBe(3.5);
  });

  it('is not fooled by a browser clock that is far off the kernel one', () => {
    const skew = 3_600_000;
    expect(
      elapsedSeconds(1000, 1_002_000, 1_002_000 + skew, 1_002_000 + skew)
    ).toBe(2);
  });

  it('never goes below zero', () => {
    expect(elapsedSeconds(1000, 999_000, 0, 0)).toBe(0);
  });
});

describe('formatElapsed', () => {
  it('reads naturally at every scale', () => {
    expect(formatElapsed(1.9)).toBe('1 s');
    expect(formatElapsed(59)).toBe('59 s');
    expect(formatElapsed(61)).toBe('1 min 1 s');
    expect(formatElapsed(3725)).toBe('1 h 2 min');
  });
});

describe('describeStatus', () => {
  it('shows idle', () => {
    expect(describeStatus(IDLE, null)).toMatchObject({
      state: 'idle',
      label: 'Idle',
      clickable: false
    });
  });

  it('shows the elapsed time only for runs over a second', () => {
    expect(describeStatus(running, 0.4).label).toBe('Running');
    expect(describeStatus(running, 12.2).label).toBe('Running 12 s');
    expect(describeStatus({ ...running, started: null }, null).label).toBe(
      'Running'
    );
  });

  it('shows stale with the kernel message when there is one', () => {
    const view = describeStatus(
      { ...IDLE, state: 'stale', message: 'app.py changed' },
      null
    );
    expect(view).toMatchObject({ label: 'Stale', title: 'app.py changed' });
    expect(describeStatus({ ...IDLE, state: 'stale' }, null).title).toMatch(
      /changed/
    );
  });

  it('makes an error with a failing cell clickable', () => {
    const view = describeStatus(
      { ...IDLE, state: 'error', cell: 'c2', message: 'ZeroDivisionError' },
      null
    );
    expect(view).toMatchObject({ label: 'Error', clickable: true });
    expect(view.title).toMatch(/^ZeroDivisionError\n.*failing cell/);
  });

  it('does not offer to show a cell the kernel did not name', () => {
    const view = describeStatus(
      { ...IDLE, state: 'error', message: 'Interrupted' },
      null
    );
    expect(view).toMatchObject({ clickable: false, title: 'Interrupted' });
  });
});

describe('withPageState', () => {
  const page = { restarted: false, edited: false, summary: null };

  it('says the kernel restarted under the outputs, until a run starts', () => {
    const shown = withPageState(IDLE, { ...page, restarted: true });
    expect(describeStatus(shown, null)).toEqual({
      state: 'stale',
      label: 'Kernel restarted — Rerun',
      title: RESTARTED_MESSAGE,
      clickable: false
    });
    expect(withPageState(running, { ...page, restarted: true })).toBe(running);
  });

  it('marks unrun edits stale, since widget reruns use the code as last run', () => {
    const view = describeStatus(
      withPageState(IDLE, { ...page, edited: true }),
      null
    );
    expect(view.state).toBe('stale');
    expect(view.label).toBe('Edited, not run');
    expect(view.title).toBe(EDITED_MESSAGE);
  });

  it('leaves an error to the kernel: clicking it still leads to the cell', () => {
    const error: IRunStatus = {
      state: 'error',
      started: null,
      cell: 'c',
      message: 'KeyError: x'
    };
    expect(withPageState(error, { ...page, edited: true })).toBe(error);
  });

  it('shows the reuse summary when idle', () => {
    const summary = '1 cell ran, 4 reused, 12 ms';
    const view = describeStatus(
      withPageState(IDLE, { ...page, summary }),
      null
    );
    expect(view.label).toBe(summary);
    expect(view.title).toContain(summary);
    expect(describeStatus(withPageState(IDLE, page), null).label).toBe('Idle');
  });
});
