"""rerunkernel: Streamlit's app model in Jupyter.

Pick the **Rerun Script** kernel and the whole notebook is one script, rerun top to bottom
whenever a cell is executed or a widget changes::

    import rerunkernel as rk

    x = rk.slider("x")
    rk.write(x, "squared is", x * x)

The names live in `rerunkernel.api`, loaded on the first use of one (or at the first run):
a kernel answers its first message without importing the elements (docs/ARCHITECTURE.md,
"Packages").
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType
from typing import Any

from ._version import __version__ as __version__

# `rk.cache` is the decorator, never the subpackage a kernel imports at start
from .cache import cache as cache
from .cache.names import cache_data as cache_data
from .cache.names import cache_resource as cache_resource
from .core import hooks as _hooks

_api: ModuleType | None = None
_lock = threading.RLock()
_loading_in: int | None = None  # the thread importing rerunkernel.api


def _load_api() -> ModuleType:
    global _api, _loading_in
    with _lock:  # another thread waits for the names rather than missing them
        if _api is None:
            _loading_in = threading.get_ident()
            try:
                api = importlib.import_module(".api", __name__)
            finally:
                _loading_in = None
            names = globals()
            for name, value in vars(api).items():
                if not name.startswith("_") or name in ("__all__", "__version__"):
                    names.setdefault(name, value)
            _api = api
    return _api


# the first run loads the API, which wires the elements into the core (core/hooks.py)
_hooks.load_with(_load_api)


def __getattr__(name: str) -> Any:
    # while the API loads, `from . import x` asks for submodules not imported yet
    if (name.startswith("__") and name != "__all__") or _loading_in == threading.get_ident():
        raise AttributeError(f"module 'rerunkernel' has no attribute {name!r}")
    _load_api()
    try:
        return globals()[name]
    except KeyError:
        raise AttributeError(f"module 'rerunkernel' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_load_api().__all__))


def load_ipython_extension(ipython: Any) -> None:  # pragma: no cover - wired in kernel/magics.py
    from .kernel.magics import load_ipython_extension as load

    load(ipython)
