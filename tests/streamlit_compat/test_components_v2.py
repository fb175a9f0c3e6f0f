"""`st.components.v2.component` in-process: what the mount returns, and what happens when the
page sends state and trigger values (the widget's comm message, handled as ipywidgets
handles one from the front-end). The page itself is tested in
tests/e2e/test_components_v2_browser.py.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import textwrap

import pytest
from side_by_side import both
from streamlit.testing.v1 import AppTest as StreamlitAppTest

from rerunkernel.elements import arrow_decoder
from rerunkernel.elements.component_data import (
    ARROW_REF_KEY,
    UnserializableDataError,
    arrow_ipc,
    payload,
)
from rerunkernel.elements.page_library import MissingLibraryError
from rerunkernel.testing import AppTest

COUNTER = '''
    import streamlit as st

    counter = st.components.v2.component(
        "demo.counter",
        html="<button>+1</button>",
        css="button { color: var(--st-primary-color); }",
        js="export default function({ parentElement, setStateValue }) {}",
    )
    if "log" not in st.session_state:
        st.session_state.log = []
    result = counter(
        key="counter", data={"step": 1}, default={"count": 3},
        on_count_change=lambda: st.session_state.log.append("count"),
        on_clicked_change=lambda: st.session_state.log.append("clicked"),
    )
    st.write(f"count={result.count} clicked={result.clicked} log={st.session_state.log}")
'''


def from_page(widget, **state) -> None:
    """What the widget's front-end sends when the component's JS sets a value: an update of
    the `value` trait, handled as ipywidgets handles a comm message from the page."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state,
                                             "buffer_paths": []}}, "buffers": []})


def test_a_mount_returns_the_defaults_and_no_trigger_under_both_apptests():
    theirs, ours = both(COUNTER)
    expected = ["count=3 clicked=None log=[]"]
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == expected
    assert [e.type for e in theirs.main if e.type == "bidi_component"] == ["bidi_component"]
    assert len(ours.bidi_component) == 1
    assert ours.bidi_component[0].key == "counter" and ours.bidi_component[0].label is None


def test_a_component_without_callbacks_returns_no_values_under_both_apptests():
    theirs, ours = both('''
        import streamlit as st

        hello = st.components.v2.component("demo.hello", html="<h2>Hello</h2>")
        result = hello()
        st.write(f"{dict(result)} {type(result).__name__}")
        hello(key="second")
    ''')
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "{} ComponentResult"]
    assert len(ours.bidi_component) == 2


def test_the_widget_carries_the_definition_and_the_data():
    at = AppTest.from_string(textwrap.dedent(COUNTER)).run()
    widget = at.bidi_component(key="counter").widget
    assert (widget.component, widget.html, widget.isolate_styles) == (
        "demo.counter", "<button>+1</button>", True)
    assert "var(--st-primary-color)" in widget.css and "export default" in widget.js
    assert (widget.data_kind, widget.data, widget.instance_key) == ("json", {"step": 1}, "counter")
    assert "export default { render }" in widget._esm


def test_a_state_value_from_the_page_reruns_after_its_callback_and_is_kept():
    at = AppTest.from_string(textwrap.dedent(COUNTER)).run()
    widget = at.bidi_component(key="counter").widget
    from_page(widget, value={"state": {"count": 4}, "trigger": None})
    at.run()
    assert at.markdown[0].value == "count=4 clicked=None log=['count']"
    # a rerun for another reason keeps the state and calls no callback
    at.session.request_rerun("rerun")
    at.run()
    assert at.markdown[0].value == "count=4 clicked=None log=['count']"


def test_a_trigger_value_is_seen_by_one_run_only():
    at = AppTest.from_string(textwrap.dedent(COUNTER)).run()
    widget = at.bidi_component(key="counter").widget
    from_page(widget, value={"state": {}, "trigger": {"id": "a", "event": "clicked",
                                                      "value": "yes"}})
    at.run()
    assert at.markdown[0].value == "count=3 clicked=yes log=['clicked']"
    at.session.request_rerun("rerun")
    at.run()
    assert at.markdown[0].value == "count=3 clicked=None log=['clicked']"
    # the same value sent again is another event
    from_page(widget, value={"state": {}, "trigger": {"id": "b", "event": "clicked",
                                                      "value": "yes"}})
    at.run()
    assert at.markdown[0].value == "count=3 clicked=yes log=['clicked', 'clicked']"


def test_state_and_trigger_sent_together_each_call_their_own_callback_once():
    at = AppTest.from_string(textwrap.dedent(COUNTER)).run()
    widget = at.bidi_component(key="counter").widget
    from_page(widget, value={"state": {"count": 9}, "trigger": None})
    from_page(widget, value={"state": {"count": 9}, "trigger": {"id": "c", "event": "clicked",
                                                                "value": 1}})
    at.run()
    assert at.markdown[0].value == "count=9 clicked=1 log=['count', 'clicked']"


def test_new_data_on_a_rerun_updates_the_mounted_widget():
    at = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        show = st.components.v2.component("demo.show", js="export default () => {}")
        n = st.number_input("n", value=1)
        show(key="show", data={"n": n, "items": (1, 2)})
        show(data=b"raw")
    ''')).run()
    first = at.bidi_component(key="show").widget
    assert first.data == {"n": 1, "items": [1, 2]}  # as the page sees it: JSON
    assert (at.bidi_component[1].widget.data_kind, at.bidi_component[1].widget.data_bytes) == (
        "bytes", b"raw")
    at.number_input("n").set_value(2).run()
    assert at.bidi_component(key="show").widget is first
    assert first.data == {"n": 2, "items": [1, 2]}


def test_data_that_cannot_be_sent_is_a_clear_error():
    at = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        show = st.components.v2.component("demo.show", js="export default () => {}")
        st.write("before")
        show(data={"when": object()})
    ''')).run()
    assert [m.value for m in at.markdown] == ["before"]
    text = at.exception[0].text
    assert "component 'demo.show': data= can't be sent to the page" in text
    assert "JSON values" in text


TABLES = '''
    import pandas as pd
    import streamlit as st

    people = pd.DataFrame({"name": ["Ann", "Bob"], "age": [31, 42]})
    show = st.components.v2.component("demo.rows", js="export default () => {}")
    show(key="whole", data=people)
    show(key="mixed", data={"people": people, "again": people.copy(), "title": "People",
                            "ages": people["age"], "nested": {"frame": "not looked at"}})
    show(key="json", data={"title": "no tables"})
    st.write("done")
'''


def tables_by_key(value, tables):
    """A "mixed" payload with each table's placeholder swapped for its Arrow bytes."""
    return {key: tables[item[ARROW_REF_KEY]] if isinstance(item, dict) and ARROW_REF_KEY in item
            else item for key, item in value.items()}


def test_dataframes_in_data_go_as_streamlit_sends_them_under_both_apptests():
    pytest.importorskip("pyarrow")
    theirs, ours = both(TABLES)
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == ["done"]
    whole, mixed, plain = (e.proto for e in theirs.get("bidi_component"))
    # a dataframe as data: its Arrow IPC bytes, the same bytes as Streamlit's
    widget = ours.bidi_component(key="whole").widget
    assert whole.WhichOneof("data") == "arrow_data"
    assert (widget.data_kind, widget.data_bytes) == ("arrow", whole.arrow_data.data)
    assert widget.arrow is None  # the page hands bytes over as they are: no decoder
    # a dict's dataframes: placeholders in the JSON, each table's bytes apart, the same frame
    # sent once
    widget = ours.bidi_component(key="mixed").widget
    assert mixed.WhichOneof("data") == "mixed"
    blobs = {ref: blob.data for ref, blob in mixed.mixed.arrow_blobs.items()}
    assert widget.data_kind == "mixed"
    assert tables_by_key(widget.data, widget.data_tables) == tables_by_key(
        json.loads(mixed.mixed.json), blobs)
    assert len(widget.data_tables) == len(blobs) == 2
    assert widget.data["nested"] == {"frame": "not looked at"}
    # the page decodes tables with apache-arrow, from a model every such mount shares
    assert "tableFromIPC" in widget.arrow.source
    widget = ours.bidi_component(key="json").widget
    assert plain.WhichOneof("data") == "json"
    assert (widget.data_kind, widget.data, widget.data_tables, widget.arrow) == (
        "json", {"title": "no tables"}, {}, None)


def test_a_dataframe_reaches_the_mounted_component_when_it_changes():
    pytest.importorskip("pyarrow")
    at = AppTest.from_string(textwrap.dedent('''
        import pandas as pd
        import streamlit as st

        n = st.number_input("n", value=1)
        show = st.components.v2.component("demo.rows", js="export default () => {}")
        show(key="t", data={"rows": pd.DataFrame({"i": range(n)})})
        show(key="u", data={"rows": pd.DataFrame({"j": [0]})})
    ''')).run()
    widget = at.bidi_component(key="t").widget
    decoder = widget.arrow
    assert at.bidi_component(key="u").widget.arrow is decoder  # one model for the page
    at.number_input("n").set_value(3).run()
    assert at.bidi_component(key="t").widget is widget and widget.arrow is decoder
    (table,) = widget.data_tables.values()
    assert pa.ipc.open_stream(table).read_all().column("i").to_pylist() == [0, 1, 2]


pa = pytest.importorskip("pyarrow")


@pytest.mark.parametrize("make", [
    lambda pd, np: pd.DataFrame({"a": [1, 2], "b": ["x", None]}, index=["r", "s"]),
    lambda pd, np: pd.DataFrame({"mixed": [1, "x", None], "lists": [[1], [2], [3]]}),
    lambda pd, np: pd.DataFrame({"when": pd.to_datetime(["2024-01-02", None])}),
    lambda pd, np: pd.DataFrame({"a": [1]}).style,
    lambda pd, np: pd.Series([1.5, 2.5], name="s"),
    lambda pd, np: pd.Index(["a", "b"]),
    lambda pd, np: pd.array([1, None]),
    lambda pd, np: np.arange(3),
    lambda pd, np: np.eye(2),
    lambda pd, np: {"x": pd.Series([1, 2]), "y": pd.Series(["a", "b"])},
    lambda pd, np: {3, 1, 2},
    lambda pd, np: pa.table({"a": [1, 2]}),
    lambda pd, np: pa.table({"l": pa.array([[1], [2, 3]], pa.large_list(pa.int64()))}),
    lambda pd, np: pa.array(["u", "v"]),
], ids=["frame", "mixed-types", "dates", "styler", "series", "index", "extension-array",
        "array", "matrix", "series-dict", "set", "arrow-table", "large-list", "arrow-array"])
def test_a_table_is_the_arrow_stream_streamlit_writes(make):
    pd = pytest.importorskip("pandas")
    import numpy as np
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    data = make(pd, np)
    ours = arrow_ipc(data)
    if not isinstance(data, set):  # a set's order is its own
        assert ours == convert_anything_to_arrow_bytes(data)
    assert pa.ipc.open_stream(ours).read_all().equals(
        pa.ipc.open_stream(convert_anything_to_arrow_bytes(data)).read_all())


def test_a_dataframe_where_streamlit_looks_for_none_is_a_clear_error():
    pytest.importorskip("pyarrow")
    at = AppTest.from_string(textwrap.dedent('''
        import pandas as pd
        import streamlit as st

        st.components.v2.component("demo.t")(data=[pd.DataFrame({"a": [1]})])
    ''')).run()
    text = at.exception[0].text
    assert "component 'demo.t': data= can't be sent to the page" in text
    assert "a dataframe deeper down, or in a list, is not sent as a table" in text


def test_a_dataframe_without_pyarrow_says_to_install_it(monkeypatch):
    pd = pytest.importorskip("pandas")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow fails
    with pytest.raises(UnserializableDataError, match=r"component 'demo.t': data\['rows'\]: "
                       r"sending a dataframe to a component needs pyarrow \(pip install"):
        payload("demo.t", {"rows": pd.DataFrame({"a": [1]})})


def test_a_missing_arrow_bundle_says_how_it_is_made(tmp_path):
    missing = dataclasses.replace(arrow_decoder.APACHE_ARROW,
                                  file=tmp_path / "apache-arrow.min.js")
    with pytest.raises(MissingLibraryError, match="dataframes can't be sent to a component: "
                       "apache-arrow is missing .* copied from npm when rerunkernel is built"):
        missing.source()


def test_a_default_without_its_callback_is_an_error_as_in_streamlit():
    source = '''
        import streamlit as st

        st.components.v2.component("demo.d")(default={"count": 1})
    '''
    theirs = StreamlitAppTest.from_string(textwrap.dedent(source)).run()
    ours = AppTest.from_string(textwrap.dedent(source)).run()
    assert theirs.exception and ours.exception
    assert "on_<name>_change" in ours.exception[0].text


def test_a_cached_function_cannot_mount_a_component():
    at = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        c = st.components.v2.component("demo.c")

        @st.cache_data
        def draw():
            c()

        draw()
    ''')).run()
    assert "mounted inside a cached function" in at.exception[0].text


def test_the_helpers_libraries_pass_images_with_import_under_both_apptests():
    theirs, ours = both('''
        import numpy as np
        import streamlit as st
        from streamlit.elements.lib.image_utils import image_to_url
        from streamlit.elements.lib.layout_utils import LayoutConfig

        pixels = np.zeros((2, 2, 3), dtype=np.uint8)
        url = image_to_url(pixels, layout_config=LayoutConfig(width="content"), clamp=False,
                           channels="RGB", output_format="auto", image_id="a")
        st.write(url.startswith(("data:image/png;base64,", "/media/")))
        st.write(image_to_url("https://example.com/cat.png", LayoutConfig(), False, "RGB",
                              "auto", "b"))
    ''')
    # Streamlit's is an address on its media server, ours the image itself
    assert [m.value for m in ours.markdown] == ["True", "https://example.com/cat.png"]
    assert theirs.markdown[1].value == "https://example.com/cat.png"


def test_a_component_mounted_in_the_event_area_runs_under_both_apptests():
    theirs, ours = both('''
        import streamlit as st

        store = st.components.v2.component("demo.store", js="export default () => {}")
        with st._event:
            result = store(key="store", default={"ready": False}, on_ready_change=lambda: None,
                           height=0)
        st.write(f"ready={result.ready}")
    ''')
    assert [m.value for m in theirs.markdown] == [m.value for m in ours.markdown] == [
        "ready=False"]
    assert len(ours.bidi_component) == 1


def test_a_size_that_is_not_one_is_an_error_naming_the_component():
    at = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        st.components.v2.component("demo.s")(width=0)
    ''')).run()
    assert ("component 'demo.s': width must be 'stretch' or 'content' or a number of pixels "
            "(1 or more), got 0") in at.exception[0].text


def test_nested_state_values_read_as_attributes_too():
    at = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        table = st.components.v2.component("demo.table", js="export default () => {}")
        result = table(key="t", default={"selection": {"rows": [2]}},
                       on_selection_change=lambda: None)
        st.write(f"rows={result.selection.rows}")
    ''')).run()
    assert at.markdown[0].value == "rows=[2]"
    at.bidi_component(key="t").widget.value = {"state": {"selection": {"rows": [0, 1]}},
                                               "trigger": None}
    at.run()
    assert at.markdown[0].value == "rows=[0, 1]"


def installed_component(site, asset_dir: str = "frontend/build") -> None:
    """A package `demo-widgets` installed in `site`, declaring component `picker` whose files
    are in its asset folder (a pyproject.toml inside the package, as Streamlit reads one)."""
    package = site / "demo_widgets"
    assets = package / "frontend" / "build"
    assets.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "pyproject.toml").write_text(textwrap.dedent(f'''
        [project]
        name = "demo-widgets"
        version = "0.1"

        [[tool.streamlit.component.components]]
        name = "picker"
        asset_dir = "{asset_dir}"
    '''))
    (assets / "index-3f9a.js").write_text("export default function() {}\n")
    (assets / "styles.css").write_text("p { color: red; }\n")
    info = site / "demo_widgets-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-widgets\nVersion: 0.1\n")
    (info / "RECORD").write_text("".join(f"{path},,\n" for path in (
        "demo_widgets/__init__.py", "demo_widgets/pyproject.toml",
        "demo_widgets/frontend/build/index-3f9a.js", "demo_widgets/frontend/build/styles.css",
        "demo_widgets-0.1.dist-info/METADATA", "demo_widgets-0.1.dist-info/RECORD")))


def test_a_packaged_component_reads_the_files_its_asset_folder_holds(tmp_path, monkeypatch):
    installed_component(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    at = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        picker = st.components.v2.component("demo-widgets.picker", html="<p>pick</p>",
                                            js="index-*.js", css="styles.css")
        picker(key="p")
        st.components.v2.component("demo-widgets.picker", js="missing-*.js")
    ''')).run()
    widget = at.bidi_component(key="p").widget
    assert (widget.js, widget.css, widget.html) == (
        "export default function() {}\n", "p { color: red; }\n", "<p>pick</p>")
    assert ("component 'demo-widgets.picker': js='missing-*.js' matches no file in"
            in at.exception[0].text)


def test_a_file_name_without_a_package_says_to_pass_the_code():
    at = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        st.components.v2.component("nowhere.picker", js="index.js")
    ''')).run()
    text = at.exception[0].text
    assert "js='index.js' names a file" in text and "no package 'nowhere' is installed" in text


def test_an_asset_folder_outside_the_package_is_refused(tmp_path, monkeypatch):
    installed_component(tmp_path, asset_dir="../../etc")
    monkeypatch.syspath_prepend(str(tmp_path))
    at = AppTest.from_string(textwrap.dedent('''
        import streamlit as st

        st.components.v2.component("demo-widgets.picker", js="index-*.js")
    ''')).run()
    assert "asset_dir='../../etc' must be a path inside" in at.exception[0].text
