"""A float widget in a real kernel refuses a value that is not a finite number.

A browser sends NaN as `null` (JSON has no NaN); a hostile client can send the bare `NaN`
token, which Python's json reads as a float. Either is refused, the kernel answers, the
screen keeps the last good value and the next change works.
"""

from __future__ import annotations

import json

from jupyter_client.jsonutil import json_default

APP = """import rerunkernel as rk
x = rk.slider('x', 0.0, 1.0, 0.5)
n = rk.number_input('n', value=0.5)
rk.write('x is', x, 'and n is', n)
"""

VALUE_OF = ("next(w.value for w in __import__('ipywidgets').widgets.widget._instances.values() "
            "if getattr(w, 'description', None) == {!r})")


def _send_raw_nan(kernel, comm_id: str, name: str) -> None:
    """A comm message carrying the bare NaN token, which jupyter_client refuses to write."""
    session = kernel.kc.session
    packer = session.pack
    session.pack = lambda obj: json.dumps(obj, default=json_default,
                                                allow_nan=True).encode("utf8")
    try:
        kernel.set_widget(comm_id, **{name: float("nan")})
    finally:
        session.pack = packer


def test_nan_from_the_front_end_is_refused(kernel):
    kernel.execute(APP, cell="app")
    assert kernel.page.text("app").endswith("x is 0.5 and n is 0.5")
    for description, expected in (("x", "x is 0.25 and n is 0.5"),
                                  ("n", "x is 0.25 and n is 0.75")):
        widget = kernel.page.find_widget(description=description)
        kernel.set_widget(widget.comm_id, value=None)
        _send_raw_nan(kernel, widget.comm_id, "value")
        # handled after both comm messages, on the same shell channel
        assert kernel.inspect(VALUE_OF.format(description)) == "0.5"
        assert kernel.kernel_info()["status"] == "ok"

        kernel.set_widget(widget.comm_id, value=0.25 if description == "x" else 0.75)
        kernel.wait_text("app", expected)
        assert "nan" not in kernel.page.text("app")
