"""The gallery notebook: every element and widget, run headless by Jupyter's own tools and
driven in-process by AppTest."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

import rerunkernel
from rerunkernel.testing import AppTest

GALLERY = Path(__file__).resolve().parents[2] / "notebooks" / "gallery.ipynb"
WIDGET = "application/vnd.jupyter.widget-view+json"
VEGA_LITE = "application/vnd.vegalite.v5+json"

# Per code cell: (public name, mimetype of the output that shows it, text in that output's
# readable form). `None` accepts any output: a headless run may store `rk.exception` as an
# `error` output, whose readable form is its traceback.
EXPECTED: dict[str, list[tuple[str, str | None, str]]] = {
    "text": [
        ("title", "text/markdown", "A title"),
        ("header", "text/markdown", "A header"),
        ("subheader", "text/markdown", "A subheader"),
        ("markdown", "text/markdown", "**Markdown** with *emphasis*"),
        ("caption", "text/markdown", "A caption: small, muted text"),
        ("text", "text/html", "Preformatted text keeps    its spacing."),
        ("code", "text/markdown", "def square(x):\n    return x * x"),
        ("latex", "text/latex", r"e^{i\pi} + 1 = 0"),
        ("divider", "text/markdown", "――――"),
        ("write", "text/markdown", "joins simple values into one line: 42 and 3.5"),
    ],
    "callouts": [
        ("info", "text/markdown", "Info: ℹ️ Info: something worth knowing."),
        ("success", "text/markdown", "Success: Success: it worked."),
        ("warning", "text/markdown", "Warning: Warning: have a look at this."),
        ("error", "text/markdown", "Error: Error: this failed, and the script carried on."),
        ("exception", None, "ZeroDivisionError: division by zero"),
        ("metric", "text/html", "Temperature: 21.5 °C (▲ 1.5 °C)"),
    ],
    "data": [
        ("dataframe", "text/html", "Nairobi"),
        ("table", "text/html", "temperature    17.4"),
        ("json", "application/json", "'wettest': {'city': 'Osaka', 'rain_mm': 1279}"),
    ],
    "charts": [
        ("line_chart", VEGA_LITE, "line chart: 2 series, 160 points"),
        ("area_chart", VEGA_LITE, "area chart: 2 series, 160 points"),
        ("bar_chart", VEGA_LITE, "bar chart: 1 series, 5 points"),
        ("scatter_chart", VEGA_LITE, "scatter chart: 5 series, 5 points"),
        ("vega_lite_chart", VEGA_LITE, "Vega-Lite chart: arc mark"),
        ("altair_chart", VEGA_LITE, "Altair chart: bar mark"),
        ("pyplot", "image/png", "<matplotlib figure>"),
        ("plotly_chart", "application/vnd.plotly.v1+json", "Plotly figure 'A Plotly figure'"),
        ("echarts_chart", WIDGET, "ECharts chart 'An ECharts chart': bar series"),
    ],
    "media": [
        ("image", "text/html", "<image: An image made from a numpy array>"),
        ("audio", "text/html", "<audio: audio/wav>"),
        ("video", "text/html", "<video: video/webm>"),
        ("pdf", "application/pdf", "[PDF document: A blank page, "),
    ],
    "status": [
        ("progress", "text/html", "[####################] 100% Step 4 of 4"),
        # the answer is computed inside `rk.spinner`, which draws nothing in a headless run
        ("toast", "text/html", "Toast: 🎉 Done: the answer is 45"),
        ("status", WIDGET, "[✅ Fetched 3 files]\nFound 3 files."),
    ],
    "widgets": [
        ("slider", WIDGET, "scoops: 2"),
        ("slider", WIDGET, "price range: (2.5, 7.5)"),
        ("button", WIDGET, "Order now: button"),
        ("selectbox", WIDGET, "flavour: vanilla"),
        ("checkbox", WIDGET, "sprinkles: True"),
        ("text_input", WIDGET, "name: Ada"),
        ("number_input", WIDGET, "tip: 1.5"),
        ("radio", WIDGET, "cone: waffle"),
        ("multiselect", WIDGET, "toppings: sauce"),
        ("select_slider", WIDGET, "sweetness: medium"),
        ("text_area", WIDGET, "note: Extra napkins, please."),
        ("date_input", WIDGET, "day: 2026-11-27"),
        ("time_input", WIDGET, "time: 15:30"),
        ("datetime_input", WIDGET, "delivery: 2026-11-27 15:30"),
        ("color_picker", WIDGET, "colour: #ff4b4b"),
        ("toggle", WIDGET, "express delivery: off"),
        ("file_uploader", WIDGET, "receipt: (no file)"),
        ("download_button", "text/html", "[Download the order] download order.txt"),
        ("write", "text/markdown", "Ada: 2 scoop(s) of vanilla with sprinkles, sauce, in a waffle"),
    ],
    "layout": [
        ("columns", WIDGET, "[column 1]\nOrders: 128 (▲ 12)\n[column 2]\nReturns: 3 (▼ -1)"),
        ("tabs", WIDGET, "[A tab]\nTabs hold any element.\n[Another tab]\nbar chart"),
        ("expander", WIDGET, "[An expander]\nCollapsible; this one starts open."),
        ("container", WIDGET, "A container, filled after the elements below it."),
        ("empty", "text/html", "rk.empty(): each call replaces what the placeholder shows."),
        ("sidebar", WIDGET, "`rk.sidebar`: a box at the place of its first use."),
        ("bottom", WIDGET, "`rk.bottom`: a box ruled above, at the place of its first use."),
        ("grid", WIDGET, "Lisbon: 3\nOslo: 1\nLima: 2"),
        ("skeleton", "text/markdown", "rk.skeleton(): a grey block until something is drawn"),
        ("form", WIDGET, "rating: 4\ncomment: \nSend: button"),
        ("form_submit_button", WIDGET, "Send: button"),
    ],
    "more": [
        ("html", "text/html", "Raw <b>HTML</b>, as given."),
        ("link_button", "text/html", "[Streamlit's API reference] https://docs.streamlit.io"),
        ("write_stream", "text/markdown", "Streamed text grows in one place."),
        ("help", "text/plain", "Say hello to someone by name."),
        ("balloons", "text/html", "🎈🎈🎈"),
        ("snow", "text/html", "❄️❄️❄️"),
    ],
    "state": [
        ("write", "text/markdown", "Runs of this script in this session: 1"),
        ("write", "text/markdown", "Squares: [0, 1] - shop opened 09:00"),
        ("dataframe", "text/html", "scoops  price"),
        ("checkbox", WIDGET, "Stop here: False"),
        ("caption", "text/markdown", "The end: tick *Stop here*"),
    ],
    "streamlit-api": [
        ("chat_message", WIDGET, "🧑 user: Which flavour is best?"),
        ("chat_input", WIDGET, "Ask the shop: (empty)"),
        ("pills", WIDGET, "size: small"),
        ("segmented_control", WIDGET, "serving: cone"),
        ("feedback", WIDGET, ": (none)"),
        ("popover", WIDGET, "[Allergens]\nContains milk."),
        ("data_editor", "text/html", "vanilla  $2.50"),
        ("echo", "text/markdown", "scoops_sold = 3 * 4"),
        ("graphviz_chart", "text/html", "digraph { order -> scoop -> serve }"),
        ("mermaid_chart", "text/markdown", "How an order is served"),
        ("logo", "image/png", "<image>"),
        ("caption", "text/markdown", "Open 9 to 5"),
        ("navigation", WIDGET, "Page: Home"),
        ("page_link", WIDGET, "Go home: button"),
        ("badge", "text/html", "[New flavours]"),
        ("space", "text/html", "(space)"),
        ("iframe", "text/html", "[HTML component, "),
        ("menu_button", WIDGET, "Export: Export ▾"),
        ("pagination", WIDGET, ": page 1 of 5"),
        ("camera_input", WIDGET, "Take a photo: (none)"),
        ("audio_input", WIDGET, "Record a message: (none)"),
    ],
}

# Public names that draw nothing of their own: control flow, state, caching, a return type,
# and `spinner`, which a headless run skips (nobody is watching it wait). The AppTest test
# below exercises the ones that can be driven.
NOT_DRAWN = {"__version__", "UploadedFile", "cache", "cache_data", "cache_resource", "rerun",
             "session_state", "set_page_config", "spinner", "stop"}
# Streamlit's settings, aliases, decorators and pages draw nothing themselves (the fragment
# and page in the gallery draw captions), and pydeck_chart needs pydeck
NOT_DRAWN |= {"column_config", "experimental_get_query_params", "experimental_set_query_params",
              "experimental_memo", "experimental_singleton", "experimental_rerun",
              "experimental_fragment", "experimental_dialog", "experimental_data_editor",
              "get_option", "set_option", "query_params", "secrets", "fragment", "dialog",
              "Page", "switch_page", "pydeck_chart",
              "login", "logout", "connection", "user", "experimental_user", "context"}
# names drawn as an element of another kind
DRAWN_AS = {"logo": "image", "echo": "code", "data_editor": "dataframe", "navigation": "radio",
            "page_link": "button", "mermaid_chart": "markdown", "grid": "container",
            "skeleton": "markdown"}


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def readable(output: dict) -> tuple[set[str], str]:
    """An output's mimetypes and the text a reader of the stored notebook gets from it
    (colour codes in a traceback are colours to a reader, not text)."""
    if output["output_type"] == "error":
        return {"error"}, ANSI.sub("", "\n".join(output["traceback"]))
    if output["output_type"] == "stream":
        return {"stream"}, output["text"]
    return set(output["data"]), ANSI.sub("", output["data"].get("text/plain", ""))


def test_every_public_element_is_in_the_gallery():
    shown = {name for expected in EXPECTED.values() for name, _, _ in expected}
    assert shown == set(rerunkernel.__all__) - NOT_DRAWN


def test_jupyter_execute_stores_a_readable_output_for_every_element(jupyter_execute, tmp_path):
    path = tmp_path / "gallery.ipynb"
    shutil.copy(GALLERY, path)
    jupyter_execute(path)
    cells = {cell.id: cell for cell in nbformat.read(path, as_version=4).cells
             if cell.cell_type == "code"}
    assert set(cells) == {"imports", *EXPECTED}
    assert cells["imports"].outputs == []
    for cell_id, expected in EXPECTED.items():
        outputs = [readable(output) for output in cells[cell_id].outputs]
        for name, mime, text in expected:
            assert any((mime is None or mime in mimes) and text in plain
                       for mimes, plain in outputs), (cell_id, name, text, outputs)
        for mimes, plain in outputs:
            assert plain.strip() or mimes == {"error"}, (cell_id, mimes)


def line(at: AppTest, start: str) -> str:
    """The one line of text the app shows that starts with `start`."""
    found = [text for text in at.markdown.values if text.startswith(start)]
    assert len(found) == 1, (start, at.markdown.values)
    return found[0]


def test_apptest_drives_the_gallery():
    at = AppTest.from_notebook(GALLERY).run()
    assert [type(e.value).__name__ for e in at.exception] == ["ZeroDivisionError"]
    # `write`, `write_stream` and `empty` draw other elements (markdown here, and text in the
    # placeholder);
    # the Vega-Lite charts are all of kind "chart"
    names = set(rerunkernel.__all__) - NOT_DRAWN - {"write", "write_stream", "empty"}
    kinds = {"chart" if name.endswith("_chart") and name not in ("plotly_chart",
                                                                  "echarts_chart") else
             DRAWN_AS.get(name, name) for name in names}
    assert kinds <= {e.kind for e in at.elements}

    at.slider("scoops").set_value(4)
    at.multiselect("toppings").set_value(["nuts", "fruit"])
    at.run()
    assert line(at, "Ada: ").startswith("Ada: 4 scoop(s) of vanilla with sprinkles, nuts, fruit")
    assert line(at, "Squares: ") == "Squares: [0, 1, 4, 9] - shop opened 09:00"
    prices = [d for d in at.dataframe if "scoops" in d.value.columns]
    assert len(prices[-1].value) == 4  # the cached price table, for 4 scoops now

    at.button("Order now").click().run()
    assert at.get("success").values[-1] == "Ordered!"

    at.slider("rating").set_value(2)
    at.form_submit_button("Send").click().run()
    assert line(at, "Thanks") == "Thanks for the 2!"

    runs = int(line(at, "Runs of this script").rsplit(" ", 1)[1])
    at.button("Rerun now").click().run()
    # the click's run, then the run that `rk.rerun()` asked for
    assert line(at, "Runs of this script") == f"Runs of this script in this session: {runs + 2}"

    at.checkbox("Stop here").set_value(True).run()
    assert at.get("caption").values == ["A caption: small, muted text for notes and sources."]
