/**
 * The notebook as the kernel sees it: its code cells, in order.
 */

/** A code cell as sent to the kernel. */
export interface ICellSource {
  id: string;
  source: string;
}

/** Any notebook cell, reduced to what the script needs. */
export interface INotebookCell extends ICellSource {
  type: string;
}

/** The ordered code cells of a notebook; markdown and raw cells are not part of the script. */
export function codeCells(cells: Iterable<INotebookCell>): ICellSource[] {
  const script: ICellSource[] = [];
  for (const cell of cells) {
    if (cell.type === 'code') {
      script.push({ id: cell.id, source: cell.source });
    }
  }
  return script;
}

/** Whether two cell lists are the same script: same cells, same order, same sources. */
export function sameCells(
  a: readonly ICellSource[],
  b: readonly ICellSource[]
): boolean {
  return (
    a.length === b.length &&
    a.every((cell, i) => cell.id === b[i].id && cell.source === b[i].source)
  );
}

/**
 * Whether to run every cell once more after connecting to the kernel.
 *
 * The kernel can only update a cell's outputs through a live execution of that
 * cell. After a page reload the kernel still runs this notebook (it knows some
 * of its cells) but the page has no such execution, so nothing the app draws
 * would reach it. Running the cells again gives every cell a live output area.
 */
export function needsReplay(
  known: readonly string[],
  cells: readonly ICellSource[],
  executedHere: boolean
): boolean {
  if (executedHere) {
    return false;
  }
  const ids = new Set(known);
  return cells.some(cell => ids.has(cell.id));
}

/**
 * Whether a save should rerun the script.
 *
 * Only a script that has run since the kernel started is rerun, and only when
 * its code changed: saving outputs or markdown (autosave does that every few
 * minutes while an app updates its outputs) must not start a run.
 */
export function shouldRunOnSave(
  runOnSave: boolean,
  lastRun: readonly ICellSource[] | null,
  cells: readonly ICellSource[]
): boolean {
  return runOnSave && lastRun !== null && !sameCells(lastRun, cells);
}

/**
 * Whether the page's code differs from what the kernel was last sent.
 *
 * A widget change reruns the code the kernel has, so until the edited cells
 * are run (or saved with run on save), the outputs don't follow the page.
 */
export function hasUnrunEdits(
  sent: readonly ICellSource[] | null,
  cells: readonly ICellSource[]
): boolean {
  return sent !== null && !sameCells(sent, cells);
}
