"""What one element call drew: the unit the page diffs and the testing API reads back.

Its own module because every element function, the cache's replay, the sinks and the tests
make or read one, while only the page needs slots and writers (page.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable


@dataclass(eq=False)
class Element:
    """A mimebundle plus what the testing API reads back.

    `identity` replaces the bundle in the "did it change?" test where the bundle is not the
    right question: a widget's slot is the same while its model is, whatever its snapshot says.
    """

    kind: str
    data: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    value: Any = None
    identity: Hashable | None = None
    label: str | None = None
    key: str | None = None
    spec: Any = None

    def same_as(self, other: Element | None) -> bool:
        if other is None or other.kind != self.kind:
            return False
        if self.identity is not None or other.identity is not None:
            return self.identity == other.identity
        return self.data == other.data and self.metadata == other.metadata

    @property
    def text(self) -> str:
        return str(self.data.get("text/plain", ""))


def bundle_element(data: dict[str, Any], metadata: dict[str, Any] | None = None) -> Element:
    """An already formatted mimebundle (what IPython's display publisher hands us)."""
    return Element(kind="display", data=dict(data), metadata=dict(metadata or {}), value=data)
