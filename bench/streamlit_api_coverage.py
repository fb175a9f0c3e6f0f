"""How much of Streamlit's public API rerunkernel provides, by name.

Counts the public names of the installed `streamlit` module (its API reference: elements,
widgets, layout, state, caching, control and config) and which of them `rerunkernel` has
too, as an app sees it through `import streamlit as st`. Names we have that only raise,
saying why Jupyter can't honour them (`streamlit_compat.shim.REFUSED`), are not counted as
provided. Prints the share, the refused names and the missing ones.

    .venv/bin/python bench/streamlit_api_coverage.py
"""

from __future__ import annotations

import types

import streamlit

import rerunkernel
from rerunkernel.streamlit_compat import shim as streamlit_shim


def public_names(module: types.ModuleType) -> list[str]:
    """Streamlit's API: public attributes that aren't modules it imported for itself."""
    names = []
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        if isinstance(value, types.ModuleType) and name not in ("column_config", "components"):
            continue
        names.append(name)
    return sorted(names)


def main() -> None:
    names = public_names(streamlit)
    with streamlit_shim.mapped():
        import streamlit as shimmed  # noqa: PLC0415 - ours only inside the mapping

        found = [n for n in names if n in dir(rerunkernel) or n in vars(shimmed)]
    refused = [n for n in names if n in streamlit_shim.REFUSED]
    have = [n for n in found if n not in streamlit_shim.REFUSED]
    missing = [n for n in names if n not in found and n not in refused]
    print(f"streamlit {streamlit.__version__}: {len(names)} public names")
    print(f"rerunkernel {rerunkernel.__version__}: {len(have)} of them "
          f"({100 * len(have) / len(names):.0f}%)")
    print("refused, saying why:", ", ".join(refused))
    print("missing:", ", ".join(missing))


if __name__ == "__main__":
    main()
