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

/** How a rerun chooses its cells: every cell, or only those whose inputs changed. */
export type RerunMode = 'all' | 'changed';

export const MODES: readonly RerunMode[] = ['all', 'changed'];

/** The mode a notebook's metadata asks for (`"rerunkernel": {"mode": ...}`), if any. */
export function metadataMode(metadata: unknown): RerunMode | null {
  const mode = isObject(metadata) ? metadata.mode : undefined;
  return MODES.includes(mode as RerunMode) ? (mode as RerunMode) : null;
}

/** What the extension adds to an execute_request, when it has it. */
export interface IExecuteExtras {
  mode: RerunMode | null;
  /** Widget values to start from (`--set` texts by key or label), after a restart. */
  presets: Record<string, string> | null;
}

/**
 * An execute_request's metadata with the notebook's mode and widget values added.
 *
 * The kernel honours `metadata.rerunkernel.mode` on every request, so the mode
 * in the notebook's metadata holds from the first execution on; whatever else
 * the cell's metadata puts under `rerunkernel` is kept.
 */
export function executeMetadata(
  metadata: JSONObject | undefined,
  { mode, presets }: IExecuteExtras
): JSONObject | undefined {
  if (mode === null && presets === null) {
    return metadata;
  }
  const held = metadata?.rerunkernel;
  const ours: JSONObject = { ...(isObject(held) ? (held as JSONObject) : {}) };
  if (mode !== null) {
    ours.mode = mode;
  }
  if (presets !== null) {
    ours.presets = { ...presets };
  }
  return { ...metadata, rerunkernel: ours };
}

export function helloMessage(
  handlesSave: boolean,
  mode: RerunMode | null = null
): JSONObject {
  const hello: JSONObject = {
    type: 'hello',
    version: PROTOCOL_VERSION,
    handlesSave
  };
  if (mode !== null) {
    hello.mode = mode;
  }
  return hello;
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

/** The mode switched in the toolbar: widget reruns use it before the next execution. */
export function modeMessage(mode: RerunMode): JSONObject {
  return { type: 'settings', mode };
}

/** What the kernel says after a run about the cells it reused (reuse.py). */
export interface IReuseReport {
  reused: string[];
  mode: RerunMode;
  summary: string;
  /** Cell id to why that cell can't be reused. */
  notReusable: Record<string, string>;
  bytesHeld: number;
  entries: number;
}

export type KernelEvent =
  | { type: 'hello'; version: number; known: string[]; status: IRunStatus }
  | { type: 'status'; status: IRunStatus }
  | { type: 'rejected'; reason: string }
  | ({ type: 'reuse' } & IReuseReport)
  | { type: 'values'; values: Record<string, string> };

const STATES: readonly RunState[] = ['idle', 'running', 'error', 'stale'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? value
    : 0;
}

function parseReuse(data: Record<string, unknown>): IReuseReport | null {
  const mode = data.mode as RerunMode;
  if (!Array.isArray(data.reused) || !MODES.includes(mode)) {
    return null;
  }
  const notReusable: Record<string, string> = {};
  if (isObject(data.notReusable)) {
    for (const [id, why] of Object.entries(data.notReusable)) {
      if (typeof why === 'string') {
        notReusable[id] = why;
      }
    }
  }
  return {
    reused: data.reused.filter((id): id is string => typeof id === 'string'),
    mode,
    summary: stringOrNull(data.summary) ?? '',
    notReusable,
    bytesHeld: count(data.bytesHeld),
    entries: count(data.entries)
  };
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
  if (data.type === 'values') {
    if (!isObject(data.values)) {
      return null;
    }
    const values: Record<string, string> = {};
    for (const [name, text] of Object.entries(data.values)) {
      if (typeof text === 'string') {
        values[name] = text;
      }
    }
    return { type: 'values', values };
  }
  if (data.type === 'reuse') {
    const report = parseReuse(data);
    return report && { type: 'reuse', ...report };
  }
  if (data.type === 'rejected') {
    return { type: 'rejected', reason: stringOrNull(data.reason) ?? '' };
  }
  return null;
}
