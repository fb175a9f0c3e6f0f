"""The script a session reruns: an ordered list of cells.

A notebook is many cells, a `.py` app is one; either way a run walks this list top to
bottom. Order comes from whoever knows it best (the front-end extension, the saved notebook,
or else the order in which cells were first executed), so the list can be reordered and
pruned without losing what each cell remembers about its front-end output area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator


@dataclass(eq=False)
class Cell:
    """One unit of the script.

    `origin` is the front-end request whose output area shows this cell (for the kernel, the
    cell's latest execute_request); slot messages are parented to it. `None` means the cell
    has no output area we can reach yet.
    """

    id: str
    source: str
    filename: str | None = None
    origin: Any = None
    execution_count: int | None = None
    headless: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Cell({self.id!r}, {self.source[:30]!r})"


class Script:
    """Ordered cells, addressed by id."""

    def __init__(self, cells: Iterable[Cell] = ()) -> None:
        self._cells: list[Cell] = []
        self._by_id: dict[str, Cell] = {}
        for cell in cells:
            self.append(cell)

    def __iter__(self) -> Iterator[Cell]:
        return iter(list(self._cells))

    def __len__(self) -> int:
        return len(self._cells)

    def __contains__(self, cell_id: object) -> bool:
        return cell_id in self._by_id

    def get(self, cell_id: str) -> Cell | None:
        return self._by_id.get(cell_id)

    def index(self, cell_id: str) -> int:
        return self._cells.index(self._by_id[cell_id])

    @property
    def cells(self) -> list[Cell]:
        return list(self._cells)

    def append(self, cell: Cell) -> Cell:
        return self.insert(len(self._cells), cell)

    def insert(self, position: int, cell: Cell) -> Cell:
        if cell.id in self._by_id:
            raise ValueError(f"cell id {cell.id!r} is already in the script")
        self._cells.insert(position, cell)
        self._by_id[cell.id] = cell
        return cell

    def remove(self, cell_ids: Iterable[str]) -> list[Cell]:
        gone = [self._by_id.pop(i) for i in cell_ids if i in self._by_id]
        if gone:
            gone_set = {id(c) for c in gone}
            self._cells = [c for c in self._cells if id(c) not in gone_set]
        return gone

    def arrange(self, order: list[tuple[str, str]]) -> list[Cell]:
        """Make the script exactly `order` ((id, source) pairs); return the cells dropped.

        Known cells keep what they know about their output area; their source is replaced.
        """
        seen: set[str] = set()
        cells: list[Cell] = []
        for cell_id, source in order:
            if cell_id in seen:
                raise ValueError(f"cell id {cell_id!r} appears twice in the cell list")
            seen.add(cell_id)
            cell = self._by_id.get(cell_id) or Cell(cell_id, source)
            cell.source = source
            cells.append(cell)
        dropped = [c for c in self._cells if c.id not in seen]
        self._cells = cells
        self._by_id = {c.id: c for c in cells}
        return dropped
