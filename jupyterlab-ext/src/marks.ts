/**
 * Marks on cells the last run reused, or could not reuse (`%rerun_mode changed`).
 *
 * A reused cell's outputs are left as they were, with no message from the
 * kernel, so without a mark nothing tells them apart from outputs the run
 * just made; a cell that can never be reused says why, or the user can't tell
 * what keeps a rerun slow.
 */
import type { IReuseReport } from './protocol';

export const MARK_CLASS = 'jp-RerunMark';
export const REUSED_CLASS = 'jp-mod-rerunReused';

export interface ICellMark {
  kind: 'reused' | 'not-reusable';
  label: string;
  title: string;
}

/** The mark each cell gets from a report; cells not in the map get none. */
export function cellMarks(report: IReuseReport): Map<string, ICellMark> {
  const marks = new Map<string, ICellMark>();
  for (const [id, why] of Object.entries(report.notReusable)) {
    marks.set(id, {
      kind: 'not-reusable',
      label: 'not reusable',
      title: `Not reusable: this cell ${why}, so reruns run it.`
    });
  }
  for (const id of report.reused) {
    marks.set(id, {
      kind: 'reused',
      label: 'reused',
      title:
        'Reused: its inputs did not change, so the last run kept its result and outputs ' +
        'without running it.'
    });
  }
  return marks;
}

/** A cell as far as marking goes: its id and its node. */
export interface IMarkableCell {
  id: string;
  node: HTMLElement;
}

/** Put each cell's mark on it, and take old marks off. */
export function applyMarks(
  cells: Iterable<IMarkableCell>,
  marks: Map<string, ICellMark>
): void {
  for (const { id, node } of cells) {
    const mark = marks.get(id);
    node.classList.toggle(REUSED_CLASS, mark?.kind === 'reused');
    let shown = node.querySelector<HTMLElement>(`:scope > .${MARK_CLASS}`);
    if (!mark) {
      shown?.remove();
      continue;
    }
    if (!shown) {
      shown = document.createElement('div');
      shown.className = MARK_CLASS;
      node.append(shown);
    }
    shown.dataset.kind = mark.kind;
    shown.textContent = mark.label;
    shown.title = mark.title;
  }
}
