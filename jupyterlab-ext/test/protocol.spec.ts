import { describe, expect, it } from 'vitest';
import {
  cellsMessage,
  executeMetadata,
  helloMessage,
  metadataMode,
  modeMessage,
  parseKernelMessage,
  settingsMessage
} from '../src/protocol';

describe('front-end messages', () => {
  it('says hello with the protocol version and who handles saves', () => {
    expect(helloMessage(true)).toEqual({
      type: 'hello',
      version: 1,
      handlesSave: true
    });
  });

  it('sends the cells as ids and sources', () => {
    expect(cellsMessage([{ id: 'a', source: 'x = 1' }])).toEqual({
      type: 'cells',
      cells: [{ id: 'a', source: 'x = 1' }]
    });
  });

  it('tells the kernel when run on save changes', () => {
    expect(settingsMessage(false)).toEqual({
      type: 'settings',
      handlesSave: false
    });
  });
});

describe('parseKernelMessage', () => {
  it('reads a status message', () => {
    expect(
      parseKernelMessage({
        type: 'status',
        state: 'error',
        started: null,
        cell: 'c3',
        message: "NameError: name 'x' is not defined"
      })
    ).toEqual({
      type: 'status',
      status: {
        state: 'error',
        started: null,
        cell: 'c3',
        message: "NameError: name 'x' is not defined"
      }
    });
  });

  it('reads the hello, with the cells the kernel knows and its status', () => {
    expect(
      parseKernelMessage({
        type: 'hello',
        version: 1,
        known: ['a', 'b'],
        status: {
          state: 'running',
          started: 1764230400.5,
          cell: null,
          message: null
        }
      })
    ).toEqual({
      type: 'hello',
      version: 1,
      known: ['a', 'b'],
      status: {
        state: 'running',
        started: 1764230400.5,
        cell: null,
        message: null
      }
    });
  });

  it('fills in missing optional fields', () => {
    expect(parseKernelMessage({ type: 'status', state: 'idle' })).toEqual({
      type: 'status',
      status: { state: 'idle', started: null, cell: null, message: null }
    });
    expect(
      parseKernelMessage({
        type: 'hello',
        version: 1,
        status: { state: 'idle' }
      })
    ).toMatchObject({ known: [] });
  });

  it('reads why the kernel rejected a message', () => {
    expect(
      parseKernelMessage({
        type: 'rejected',
        reason: "cell id 'x' appears twice"
      })
    ).toEqual({ type: 'rejected', reason: "cell id 'x' appears twice" });
  });

  it('drops what it does not understand', () => {
    expect(parseKernelMessage(null)).toBeNull();
    expect(parseKernelMessage(['status'])).toBeNull();
    expect(parseKernelMessage({ type: 'progress' })).toBeNull();
    expect(parseKernelMessage({ type: 'status', state: 'paused' })).toBeNull();
    expect(parseKernelMessage({ type: 'hello', known: [] })).toBeNull();
    expect(
      parseKernelMessage({ type: 'status', state: 'running', started: 'soon' })
    ).toMatchObject({ status: { started: null } });
    expect(
      parseKernelMessage({
        type: 'hello',
        version: 1,
        known: ['a', 3, null],
        status: { state: 'idle' }
      })
    ).toMatchObject({ known: ['a'] });
  });
});

describe('the rerun mode', () => {
  it('is read from the notebook metadata, or not at all', () => {
    expect(metadataMode({ mode: 'changed' })).toBe('changed');
    expect(metadataMode({ mode: 'all', other: 1 })).toBe('all');
    expect(metadataMode({ mode: 'sometimes' })).toBeNull();
    expect(metadataMode(undefined)).toBeNull();
    expect(metadataMode('changed')).toBeNull();
  });

  it("rides on each execute_request, keeping the cell's own metadata", () => {
    expect(
      executeMetadata(
        { cellId: 'c1', rerunkernel: { headless: true }, tags: [] },
        { mode: 'changed', presets: null }
      )
    ).toEqual({
      cellId: 'c1',
      rerunkernel: { headless: true, mode: 'changed' },
      tags: []
    });
    expect(executeMetadata(undefined, { mode: 'all', presets: null })).toEqual({
      rerunkernel: { mode: 'all' }
    });
    const untouched = { cellId: 'c1' };
    expect(executeMetadata(untouched, { mode: null, presets: null })).toBe(
      untouched
    );
  });

  it('carries the widget values a restarted kernel starts from', () => {
    expect(
      executeMetadata(
        { cellId: 'c1' },
        { mode: null, presets: { x: '3', who: 'Ada' } }
      )
    ).toEqual({
      cellId: 'c1',
      rerunkernel: { presets: { x: '3', who: 'Ada' } }
    });
  });

  it('comes with the hello when the notebook has one, and with the switch', () => {
    expect(helloMessage(true, 'changed')).toEqual({
      type: 'hello',
      version: 1,
      handlesSave: true,
      mode: 'changed'
    });
    expect(helloMessage(true, null)).not.toHaveProperty('mode');
    expect(modeMessage('all')).toEqual({ type: 'settings', mode: 'all' });
  });
});

describe('the reuse report', () => {
  it('reads the cells reused and why others are not', () => {
    expect(
      parseKernelMessage({
        type: 'reuse',
        reused: ['a', 'b', 7],
        mode: 'changed',
        summary: '1 cell ran, 2 reused, 12 ms',
        notReusable: { c: 'raised KeyError', d: 3 },
        bytesHeld: 2048,
        entries: 3
      })
    ).toEqual({
      type: 'reuse',
      reused: ['a', 'b'],
      mode: 'changed',
      summary: '1 cell ran, 2 reused, 12 ms',
      notReusable: { c: 'raised KeyError' },
      bytesHeld: 2048,
      entries: 3
    });
  });

  it('drops a report it cannot read', () => {
    expect(parseKernelMessage({ type: 'reuse', mode: 'changed' })).toBeNull();
    expect(
      parseKernelMessage({ type: 'reuse', reused: [], mode: 'some' })
    ).toBeNull();
    expect(
      parseKernelMessage({ type: 'reuse', reused: [], mode: 'all' })
    ).toMatchObject({ summary: '', notReusable: {}, bytesHeld: 0 });
  });
});

describe('the widget values', () => {
  it('keeps the texts and drops the rest', () => {
    expect(
      parseKernelMessage({ type: 'values', values: { x: '3', y: 4 } })
    ).toEqual({ type: 'values', values: { x: '3' } });
    expect(parseKernelMessage({ type: 'values', values: ['3'] })).toBeNull();
  });
});
