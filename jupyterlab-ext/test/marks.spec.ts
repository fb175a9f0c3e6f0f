import { describe, expect, it } from 'vitest';
import { cellMarks } from '../src/marks';

describe('cellMarks', () => {
  it('marks reused cells, and says why a cell is not reusable', () => {
    const marks = cellMarks({
      reused: ['load', 'adjust'],
      mode: 'changed',
      summary: '1 cell ran, 2 reused, 12 ms',
      notReusable: { fetch: 'opened a network connection' },
      bytesHeld: 0,
      entries: 2
    });
    expect(marks.get('load')).toMatchObject({
      kind: 'reused',
      label: 'reused'
    });
    expect(marks.get('adjust')?.kind).toBe('reused');
    expect(marks.get('fetch')).toMatchObject({
      kind: 'not-reusable',
      title:
        'Not reusable: this cell opened a network connection, so reruns run it.'
    });
    expect(marks.has('slider')).toBe(false);
  });

  it('gives a cell reused this time the reused mark over an older reason', () => {
    const marks = cellMarks({
      reused: ['a'],
      mode: 'changed',
      summary: '',
      notReusable: { a: 'raised KeyError' },
      bytesHeld: 0,
      entries: 1
    });
    expect(marks.get('a')?.kind).toBe('reused');
  });
});
