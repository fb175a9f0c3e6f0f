"""The npm libraries elements send to the page (rerunkernel/elements/page_library.py): one
model per kernel carrying a library's text, made again once closed, and a clear error when
the package was built without the file. The page's side is tested by the browser modules of
the elements that use it (tests/e2e/test_echarts_browser.py,
tests/e2e/test_components_v2_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rerunkernel.elements import page_library
from rerunkernel.elements.page_library import MissingLibraryError, PageLibrary


def library(file: Path, **options: object) -> PageLibrary:
    return PageLibrary(name="demo-lib", file=file, needed_by="rk.demo()",
                       how="Run `make demo` to get it", **options)  # type: ignore[arg-type]


def test_every_call_in_a_kernel_gets_the_one_model_that_carries_the_text(tmp_path):
    file = tmp_path / "demo.js"
    file.write_text('export const version = "1.2.3";', encoding="utf-8")
    lib = library(file, version=re.compile(r'version = "([\d.]+)"'))
    first = lib.widget()
    assert lib.widget() is first
    assert first.source == 'export const version = "1.2.3";'
    assert (first.name, first.format, first.version) == ("demo-lib", "esm", "1.2.3")
    assert len(first.digest) == 16
    assert "demo-lib" in repr(first) and "export" not in repr(first)


def test_a_closed_model_is_made_again_with_the_same_text(tmp_path):
    file = tmp_path / "demo.js"
    file.write_text("export default 1;", encoding="utf-8")
    lib = library(file, format="umd")
    first = lib.widget()
    first_id = first.model_id
    first.close()
    second = lib.widget()
    assert second is not first and second.model_id != first_id
    assert (second.source, second.digest, second.format) == (
        first.source, first.digest, "umd")


def test_the_text_is_read_once(tmp_path):
    file = tmp_path / "demo.js"
    file.write_text("export default 1;", encoding="utf-8")
    lib = library(file)
    assert lib.source() == "export default 1;"
    file.write_text("export default 2;", encoding="utf-8")
    assert lib.source() == "export default 1;"


def test_a_missing_file_names_the_feature_and_how_to_get_it_until_it_is_built(tmp_path):
    file = tmp_path / "demo.js"
    lib = library(file)
    message = re.escape(f"rk.demo(): demo-lib is missing ({file} was not built). "
                        "Run `make demo` to get it")
    with pytest.raises(MissingLibraryError, match=f"^{message}$"):
        lib.widget()
    file.write_text("export default 1;", encoding="utf-8")
    assert lib.widget().source == "export default 1;"


def test_a_module_that_loads_libraries_carries_the_loader_after_its_own_code(tmp_path):
    module = tmp_path / "element.js"
    module.write_text("export default { render() {} };\n", encoding="utf-8")
    text = page_library.esm(module)
    assert text.startswith("export default { render() {} };\n")
    assert "async function pageLibrary(model, ref)" in text
