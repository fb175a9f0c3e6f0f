"""IPython's cell transform, done once per source by the notebook's executor."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from rerunkernel.kernel.ipyexec import IPythonExecutor


@pytest.fixture
def shell():
    # cleared afterwards: elements format tracebacks as IPython does while a shell exists,
    # which tests of other modules run in this process must not see
    yield InteractiveShell.instance()
    InteractiveShell.clear_instance()


def test_a_source_is_transformed_once_and_as_ipython_does(shell, monkeypatch):
    executor = IPythonExecutor(shell)
    source = "%time x = 1\n!echo hi\ny = x + 1\n"
    calls = []
    real = shell.transform_cell

    def counted(raw: str) -> str:
        calls.append(raw)
        return real(raw)

    monkeypatch.setattr(shell, "transform_cell", counted)
    first = executor._transform(source)
    assert first == real(source)
    assert "run_line_magic('time'" in first and "system('echo hi')" in first
    assert executor._transform(source) == first
    assert calls == [source]


def test_a_transformer_added_later_applies_to_sources_seen_before(shell):
    executor = IPythonExecutor(shell)
    source = "value = 'before'\n"
    assert executor._transform(source) == source

    def after(lines: list[str]) -> list[str]:
        return [line.replace("before", "after") for line in lines]

    shell.input_transformers_post.append(after)
    try:
        assert executor._transform(source) == "value = 'after'\n"
    finally:
        shell.input_transformers_post.remove(after)
    assert executor._transform(source) == source
