"""rerunkernel.testing.AppTest: the app model in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from rerunkernel.testing import AppTest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_demo_notebook_reruns_with_the_new_value():
    at = AppTest.from_notebook(NOTEBOOKS / "demo.ipynb").run()
    assert "0 squared is 0" in at.markdown.values
    at.slider("x").set_value(7).run()
    assert "7 squared is 49" in at.markdown.values
    assert "0 squared is 0" not in at.markdown.values
    at.slider("rows").set_value(3).run()
    assert len(at.dataframe[0].value) == 3
    assert "7 squared is 49" in at.markdown.values  # other widgets kept their values


def test_from_string_button_is_true_only_in_the_run_its_click_started():
    at = AppTest.from_string("""
        import rerunkernel as rk
        if rk.button('go'):
            rk.write('clicked')
        else:
            rk.write('waiting')
    """).run()
    assert at.markdown.values == ["waiting"]
    at.button("go").click().run()
    assert at.markdown.values == ["clicked"]
    at.run()
    assert at.markdown.values == ["waiting"]


def test_from_function_and_exceptions():
    def app():
        import rerunkernel as rk

        n = rk.number_input("n", 0, 10, 2)
        rk.write("inverse", 1 / n)

    at = AppTest.from_function(app).run()
    assert at.markdown.values == ["inverse 0.5"]
    at.number_input("n").set_value(0).run()
    assert isinstance(at.exception[0].value, ZeroDivisionError)
    assert "1 / n" in at.exception[0].text


def test_from_file(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import rerunkernel as rk\n"
                   "kind = rk.selectbox('kind', ['cat', 'dog'], key='pet')\n"
                   "on = rk.checkbox('loud')\n"
                   "rk.write(kind.upper() if on else kind)\n")
    at = AppTest.from_file(app).run()
    assert at.markdown.values == ["cat"]
    at.selectbox("pet").set_value("dog")
    at.checkbox("loud").set_value(True)
    at.run()
    assert at.markdown.values == ["DOG"]


def test_bad_values_are_refused_by_name():
    at = AppTest.from_string("import rerunkernel as rk\nrk.slider('s', 0, 10)").run()
    with pytest.raises(ValueError, match=r"rk.slider\('s'\): 11 is not a value in \[0, 10\]"):
        at.slider("s").set_value(11)
    with pytest.raises(KeyError, match="no slider with label or key 'nope'"):
        at.slider("nope")


def test_a_plain_run_leaves_an_existing_ipython_shell_alone():
    """An AppTest inside a notebook or IPython session runs plain Python: it prints into
    its own slots and never swaps the shell's display hooks (those belong to the kernel)."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        publisher, hook = shell.display_pub, shell.display_trap.hook
        at = AppTest.from_string("""
            import rerunkernel as rk
            from IPython import get_ipython
            shell = get_ipython()
            print("printed")
            rk.write(type(shell.display_pub).__name__, type(shell.display_trap.hook).__name__)
        """).run()
        assert at.markdown.values == [f"{type(publisher).__name__} {type(hook).__name__}"]
        assert [e.text for e in at.elements if e.kind == "stdout"] == ["printed\n"]
        assert (shell.display_pub, shell.display_trap.hook) == (publisher, hook)
    finally:
        InteractiveShell.clear_instance()
