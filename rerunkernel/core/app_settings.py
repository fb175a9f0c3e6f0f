"""What a Streamlit app reads from outside its code: `secrets`, `query_params`, options.

Secrets come from `.streamlit/secrets.toml` beside the app (a `.py` app's folder, else the
working folder), or in the home folder, as Streamlit reads them; the file is read again when
it changes, so editing it needs no kernel restart. Query parameters belong to the session:
a notebook has no app URL, so they start empty and the app (or a page link) sets them.
Options are the handful of Streamlit settings apps read; an unknown name is an error.
"""

from __future__ import annotations

import os
import sys
import weakref
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from . import runtime

# --- secrets ---------------------------------------------------------------------------------


def _toml() -> Any:
    """The TOML parser, imported when a secrets file is first read: it compiles its regular
    expressions on import, which a kernel start has no use for."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - tomli is a dependency on 3.10 only
        import tomli as tomllib
    return tomllib


class SecretNotFound(KeyError, AttributeError):
    """A missing secret: says which name and which files were read."""

    def __str__(self) -> str:
        return str(self.args[0])


def app_folder() -> Path:
    ctx = runtime.active() if runtime.is_script_thread() else None
    if ctx is not None:
        for cell in ctx.session.script:
            if cell.filename and not cell.filename.startswith("<"):
                return Path(cell.filename).resolve().parent
    return Path.cwd()


def secret_files() -> list[Path]:
    """Where secrets are read from, first found wins per key (the app's over the home's)."""
    home = Path(os.path.expanduser("~")) / ".streamlit" / "secrets.toml"
    local = app_folder() / ".streamlit" / "secrets.toml"
    cwd = Path.cwd() / ".streamlit" / "secrets.toml"
    return list(dict.fromkeys([home, cwd, local]))


class SecretSection(Mapping):
    """A table of secrets, by key or attribute (`st.secrets.db.password`)."""

    def __init__(self, values: dict[str, Any], where: str, files: list[Path]) -> None:
        self._values = values
        self._where = where
        self._files = files

    def _missing(self, key: str) -> SecretNotFound:
        read = ", ".join(str(f) for f in self._files if f.exists()) or "none found"
        return SecretNotFound(
            f"st.secrets has no key {self._where}{key!r}. Add it to .streamlit/secrets.toml "
            f"beside the app or in your home folder (read: {read})."
        )

    def __getitem__(self, key: str) -> Any:
        if key not in self._values:
            raise self._missing(key)
        value = self._values[key]
        if isinstance(value, dict):
            return SecretSection(value, f"{self._where}{key}.", self._files)
        return value

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def __repr__(self) -> str:  # never print the values themselves
        return f"<secrets: {', '.join(self._values)}>"


class Secrets(SecretSection):
    """`rk.secrets`: the files are read at each access whose files changed."""

    def __init__(self) -> None:
        self._loaded: tuple = ()
        super().__init__({}, "", [])

    def _refresh(self) -> None:
        files = secret_files()
        stamp = tuple((str(f), f.stat().st_mtime_ns) if f.exists() else (str(f), None)
                      for f in files)
        if stamp == self._loaded:
            return
        values: dict[str, Any] = {}
        for path in files:
            if not path.exists():
                continue
            tomllib = _toml()
            try:
                values.update(tomllib.loads(path.read_text(encoding="utf-8")))
            except tomllib.TOMLDecodeError as error:
                raise ValueError(f"{path} is not valid TOML: {error}") from None
        self._values, self._files, self._loaded = values, files, stamp
        # as in Streamlit, top-level secrets are environment variables too
        os.environ.update({k: str(v) for k, v in values.items() if not isinstance(v, dict)})

    def __getitem__(self, key: str) -> Any:
        self._refresh()
        return super().__getitem__(key)

    def __iter__(self) -> Iterator[str]:
        self._refresh()
        return super().__iter__()

    def __len__(self) -> int:
        self._refresh()
        return super().__len__()

    def __contains__(self, key: object) -> bool:
        self._refresh()
        return key in self._values

    def load_if_toml_exists(self) -> bool:
        self._refresh()
        return any(f.exists() for f in self._files)


secrets = Secrets()


# --- query parameters ------------------------------------------------------------------------

_params: weakref.WeakKeyDictionary[Any, dict[str, list[str]]] = weakref.WeakKeyDictionary()
_outside: dict[str, list[str]] = {}


def _store() -> dict[str, list[str]]:
    ctx = runtime.active() if runtime.is_script_thread() else None
    return _params.setdefault(ctx.session, {}) if ctx is not None else _outside


def _texts(key: str, value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, (dict, set)):
        raise ValueError(f"st.query_params[{key!r}]: a value must be a str, a number or a "
                         f"list of them, got {type(value).__name__}")
    return [str(value)]


class QueryParams(MutableMapping):
    """`rk.query_params`: text values by name; a name set to a list keeps every value."""

    def __getitem__(self, key: str) -> str:
        values = _store().get(key)
        if not values:
            raise KeyError(f"st.query_params has no {key!r}; use "
                           f"st.query_params.get({key!r}) for None instead")
        return values[-1]

    def __setitem__(self, key: str, value: Any) -> None:
        _store()[key] = _texts(key, value)

    def __delitem__(self, key: str) -> None:
        del _store()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(_store()))

    def __len__(self) -> int:
        return len(_store())

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError as error:
            raise AttributeError(str(error)) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def get_all(self, key: str) -> list[str]:
        return list(_store().get(key, []))

    def from_dict(self, params: Mapping[str, Any]) -> None:
        store = _store()
        store.clear()
        for key, value in params.items():
            store[key] = _texts(key, value)

    def to_dict(self) -> dict[str, str]:
        return {key: values[-1] for key, values in _store().items() if values}

    def __repr__(self) -> str:
        return f"query_params({self.to_dict()!r})"


query_params = QueryParams()


def experimental_get_query_params() -> dict[str, list[str]]:
    """The old API: every name with the list of its values."""
    return {key: list(values) for key, values in _store().items()}


def experimental_set_query_params(**params: Any) -> None:
    query_params.from_dict(params)


# --- options ---------------------------------------------------------------------------------

OPTIONS: dict[str, Any] = {
    "client.showErrorDetails": "full",
    "client.toolbarMode": "auto",
    "client.showSidebarNavigation": True,
    "theme.base": None,
    "theme.primaryColor": None,
    "theme.backgroundColor": None,
    "theme.secondaryBackgroundColor": None,
    "theme.textColor": None,
    "theme.font": None,
    "server.maxUploadSize": 200,
    "server.port": 8501,
    "server.headless": False,
    "server.runOnSave": True,
    "runner.magicEnabled": True,
    "deprecation.showPyplotGlobalUse": True,
    "global.developmentMode": False,
    "browser.gatherUsageStats": False,
    "logger.level": "info",
}
_set: dict[str, Any] = {}


def _known(call: str, key: str) -> None:
    if key not in OPTIONS:
        close = [name for name in OPTIONS if name.split(".")[-1] == key.split(".")[-1]]
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"st.{call}({key!r}): not a Streamlit option that rerunkernel "
                         f"knows.{hint} Known: {', '.join(sorted(OPTIONS))}")


def get_option(key: str) -> Any:
    """A Streamlit option's value (its default unless `set_option` changed it)."""
    _known("get_option", key)
    return _set.get(key, OPTIONS[key])


def set_option(key: str, value: Any) -> None:
    """Set an option for this process; only what apps read back changes."""
    _known("set_option", key)
    _set[key] = value
