import { describe, expect, it } from 'vitest';
import {
  codeCells,
  hasUnrunEdits,
  needsReplay,
  sameCells,
  shouldRunOnSave
} from '../src/cells';

const a = { id: 'a', source: 'x = 1' };
const b = { id: 'b', source: 'print(x)' };

describe('codeCells', () => {
  it('keeps the code cells in notebook order, with their sources', () => {
    const notebook = [
      { type: 'markdown', id: 'm', source: '# Title' },
      { type: 'code', ...b },
      { type: 'raw', id: 'r', source: 'raw' },
      { type: 'code', ...a }
    ];
    expect(codeCells(notebook)).toEqual([b, a]);
  });

  it('keeps empty code cells', () => {
    expect(codeCells([{ type: 'code', id: 'e', source: '' }])).toEqual([
      { id: 'e', source: '' }
    ]);
  });

  it('sends only ids and sources', () => {
    const [cell] = codeCells([{ type: 'code', ...a }]);
    expect(Object.keys(cell).sort()).toEqual(['id', 'source']);
  });
});

describe('sameCells', () => {
  it('compares ids, sources and order', () => {
    expect(sameCells([a, b], [{ ...a }, { ...b }])).toBe(true);
    expect(sameCells([a, b], [b, a])).toBe(false);
    expect(sameCells([a, b], [a, { ...b, source: 'print(x + 1)' }])).toBe(
      false
    );
    expect(sameCells([a, b], [a])).toBe(false);
    expect(sameCells([], [])).toBe(true);
  });
});

describe('needsReplay', () => {
  it('replays when the kernel runs this notebook and the page has not executed', () => {
    expect(needsReplay(['b'], [a, b], false)).toBe(true);
  });

  it('does not replay once the page executed a cell', () => {
    expect(needsReplay(['a', 'b'], [a, b], true)).toBe(false);
  });

  it('does not replay for a kernel that knows none of these cells', () => {
    expect(needsReplay([], [a, b], false)).toBe(false);
    expect(needsReplay(['other'], [a, b], false)).toBe(false);
  });
});

describe('shouldRunOnSave', () => {
  it('reruns a script whose code changed since it last ran', () => {
    expect(shouldRunOnSave(true, [a], [a, b])).toBe(true);
    expect(shouldRunOnSave(true, [a, b], [b, a])).toBe(true);
  });

  it('does not rerun when only outputs or markdown changed', () => {
    expect(shouldRunOnSave(true, [a, b], [a, b])).toBe(false);
  });

  it('does not start a script that has not run', () => {
    expect(shouldRunOnSave(true, null, [a, b])).toBe(false);
  });

  it('follows the setting', () => {
    expect(shouldRunOnSave(false, [a], [a, b])).toBe(false);
  });
});

describe('hasUnrunEdits', () => {
  it('is true once the code differs from what the kernel was sent', () => {
    expect(hasUnrunEdits([a, b], [a, b])).toBe(false);
    expect(hasUnrunEdits([a, b], [a, { ...b, source: 'print(x + 1)' }])).toBe(
      true
    );
    expect(hasUnrunEdits([a, b], [b, a])).toBe(true);
  });

  it('is false while nothing was sent: there is no run to be stale against', () => {
    expect(hasUnrunEdits(null, [a])).toBe(false);
  });
});
