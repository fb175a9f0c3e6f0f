/**
 * Messages on the `rerunkernel` comm.
 *
 * The front-end opens the comm with a hello; the kernel answers with a hello
 * of its own and then sends a status message whenever its run state changes.
 */
import type { JSONObject } from '@lumino/coreutils';
import type { ICellSource } from './cells';
import type { IRunStatus, RunState } from './status';

export const COMM_TARGET = 'rerunkernel';
export const PROTOCOL_VERSION = 1;

export function helloMessage(handlesSave: boolean): JSONObject {
  return { type: 'hello', version: PROTOCOL_VERSION, handlesSave };
}

export function cellsMessage(cells: readonly ICellSource[]): JSONObject {
  return {
    type: 'cells',
    cells: cells.map(({ id, source }) => ({ id, source }))
  };
}

export function settingsMessage(handlesSave: boolean): JSONObject {
  return { type: 'settings', handlesSave };
}

export type KernelEvent =
  | { type: 'hello'; version: number; known: string[]; status: IRunStatus }
  | { type: 'status'; status: IRunStatus }
  | { type: 'rejected'; reason: string };

const STATES: readonly RunState[] = ['idle', 'running', 'error', 'stale'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parseStatus(value: unknown): IRunStatus | null {
  if (!isObject(value) || !STATES.includes(value.state as RunState)) {
    return null;
  }
  return {
    state: value.state as RunState,
    started:
      typeof value.started === 'number' && Number.isFinite(value.started)
        ? value.started
        : null,
    cell: stringOrNull(value.cell),
    message: stringOrNull(value.message)
  };
}

/** The kernel's message as an event, or null for anything this version does not understand. */
export function parseKernelMessage(data: unknown): KernelEvent | null {
  if (!isObject(data)) {
    return null;
  }
  if (data.type === 'status') {
    const status = parseStatus(data);
    return status && { type: 'status', status };
  }
  if (data.type === 'hello') {
    const status = parseStatus(data.status);
    if (!status || typeof data.version !== 'number') {
      return null;
    }
    const known = Array.isArray(data.known)
      ? data.known.filter((id): id is string => typeof id === 'string')
      : [];
    return { type: 'hello', version: data.version, known, status };
  }
  if (data.type === 'rejected') {
    return { type: 'rejected', reason: stringOrNull(data.reason) ?? '' };
  }
  return null;
}
