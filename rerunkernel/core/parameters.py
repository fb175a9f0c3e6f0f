"""papermill's injected parameters preset the widgets they name, like `--set NAME=VALUE`.

papermill runs a notebook through nbclient and injects a cell after the one tagged
`parameters` (or at the top) that assigns each `-p NAME VALUE`. In a Rerun Script notebook the
widget of that name is assigned later in the script (`rows = rk.slider('rows', ...)`) and would
win, so the injected value never showed. The kernel sees only the code (no tags come with an
execute_request), so it knows the cell by papermill's own header, `# Parameters`, and takes
the assigned literals as presets for the widget with that key or label.
"""

from __future__ import annotations

import ast

HEADER = "# Parameters"


def injected_parameters(code: str) -> dict[str, str] | None:
    """NAME -> value as `--set` would give it, if `code` is papermill's injected cell."""
    if not code.lstrip().startswith(HEADER):
        return None
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    found: dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            return None
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            return None
        found[node.targets[0].id] = value if isinstance(value, str) else repr(value)
    return found
