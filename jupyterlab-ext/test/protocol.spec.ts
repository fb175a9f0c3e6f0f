import { describe, expect, it } from 'vitest';
import {
  cellsMessage,
  helloMessage,
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
