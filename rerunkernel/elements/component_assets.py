"""The files a packaged v2 component names instead of inline code (`js="index-*.js"`).

A component shipped in a package declares an asset folder in a `pyproject.toml` inside the
package (`[[tool.streamlit.component.components]]`, `name` and `asset_dir`) and registers
as `"<project>.<component>"`, passing paths or globs relative to that folder. Streamlit
serves the folder from its web server; an output can only carry text, so the file is read
here and goes to the page inline, as an inline component's code does. Only the installed
distribution of `<project>` is read, and only when some value looks like a file name, so
inline components pay nothing.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path, PurePosixPath

# one file name or glob, with an extension a component's asset has: inline code always has
# something else in it (spaces, braces, a newline)
_LOOKS_LIKE_A_PATH = re.compile(r"[\w.\-/*?\[\]]+\.(?:m?js|css|html?)")


def looks_like_a_path(value: str | None) -> bool:
    return value is not None and _LOOKS_LIKE_A_PATH.fullmatch(value.strip()) is not None


def resolve(name: str, values: dict[str, str | None]) -> dict[str, str | None]:
    """`values` (html, css, js) with every path or glob replaced by its file's text."""
    wanted = {key: value for key, value in values.items() if looks_like_a_path(value)}
    if not wanted:
        return values
    root = asset_root(name, next(iter(wanted.items())))
    resolved = dict(values)
    for key, value in wanted.items():
        resolved[key] = _read(name, root, key, str(value).strip())
    return resolved


def asset_root(name: str, example: tuple[str, str | None]) -> Path:
    """The asset folder the installed package `<project>` declares for `<component>`."""
    project, _, component = name.partition(".")
    said = f"component {name!r}: {example[0]}={example[1]!r} names a file"
    try:
        dist = importlib.metadata.distribution(project)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        raise ValueError(f"{said}, which only a component of an installed package can (its "
                         f"name is '<project>.<component>'); no package {project!r} is "
                         "installed. Pass the code itself as a string instead.") from None
    for file in dist.files or ():
        if file.name != "pyproject.toml":
            continue
        path = Path(str(dist.locate_file(file)))
        declared = _declared_asset_dir(path, component)
        if declared is not None:
            _check_relative(name, "asset_dir", declared)
            root = (path.parent / declared).resolve()
            if root.is_dir() and root.is_relative_to(path.parent.resolve()):
                return root
    raise ValueError(f"{said}, but package {project!r} declares no asset_dir for a "
                     f"component {component!r} ([[tool.streamlit.component.components]] in "
                     "a pyproject.toml inside the package)")


def _declared_asset_dir(pyproject: Path, component: str) -> str | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - tomli is a dependency on 3.10 only
        import tomli as tomllib
    try:
        config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    entries = config.get("tool", {}).get("streamlit", {}).get("component", {}).get(
        "components", [])
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict) and entry.get("name") == component:
            asset_dir = entry.get("asset_dir")
            return asset_dir if isinstance(asset_dir, str) else None
    return None


def _check_relative(name: str, what: str, value: str) -> None:
    """Paths stay inside the package's folder: no absolute paths, no `..`."""
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"component {name!r}: {what}={value!r} must be a path inside the "
                         "component's asset folder (no absolute path, no '..')")


def _read(name: str, root: Path, key: str, pattern: str) -> str:
    _check_relative(name, key, pattern)
    found = [p for p in root.glob(pattern) if p.is_file() and p.resolve().is_relative_to(root)]
    if len(found) != 1:
        what = "no file" if not found else f"{len(found)} files"
        raise ValueError(f"component {name!r}: {key}={pattern!r} matches {what} in {root}; "
                         "it must match exactly one")
    return found[0].read_text(encoding="utf-8")
