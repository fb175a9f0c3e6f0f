"""Make the README's gallery screenshot: `notebooks/gallery.ipynb` run in JupyterLab.

    .venv/bin/python docs/gallery_screenshot.py

It starts the same private JupyterLab server as the browser tests (`tests/e2e/lab.py`),
opens the gallery on the Rerun Script kernel in headless Chromium, runs all cells, waits
until every chart, figure, image and the video are drawn, and writes
`docs/images/gallery.png`: the notebook's tab, all of it (or its top `--height` pixels).
Nothing is written to `notebooks/`. Emoji need a colour emoji font (Debian's
`fonts-noto-color-emoji`); without one they show as empty boxes.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from lab import CHROMIUM, UI_TIMEOUT, JupyterLab, Notebook, launch_chromium  # noqa: E402

OUTPUT = ROOT / "docs" / "images" / "gallery.png"
WIDTH = 1100
TALL = 12000
WAIT = UI_TIMEOUT * 1000

# Every medium the gallery draws, by the selector of its rendered element, and how many are
# in view: drawn means laid out with a nonzero size, and for the video its first frame decoded.
DRAWN = """() => {
    const notebook = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const sized = el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
    };
    const all = (selector, count, ready) =>
        Array.from(notebook.querySelectorAll(selector)).filter(ready).length >= count;
    return all('.vega-embed .marks', 6, sized)
        && all('.js-plotly-plot .main-svg', 1, sized)
        && all('.jp-OutputArea-output img', 2, img => img.complete && img.naturalWidth > 0)
        && all('.jp-OutputArea-output video', 1, video => video.readyState >= 2)
        && all('.jp-OutputArea-output audio', 1, sized);
}"""


def show_only_the_notebook(page: Page) -> None:
    """Close the file browser on the left, so that the notebook has the whole width."""
    page.wait_for_function(
        "() => window.jupyterapp.commands.execute('application:toggle-left-area')"
        ".then(() => true)",
        timeout=WAIT,
    )
    expect(page.locator("#jp-left-stack")).to_be_hidden(timeout=WAIT)


def notebook_height(notebook: Notebook) -> int:
    """The height the tab needs to show every cell, from its top to the last cell's end."""
    return notebook.panel.evaluate(
        """panel => {
            panel.querySelector('.jp-WindowedPanel-outer').scrollTo({top: 0, behavior: 'instant'});
            const cells = Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell'));
            const end = Math.max(...cells.map(cell => cell.getBoundingClientRect().bottom));
            return Math.ceil(end - panel.getBoundingClientRect().top + 24);
        }"""
    )


def shoot(page: Page, lab: JupyterLab, height: int) -> None:
    notebook = Notebook.open(page, lab, "gallery.ipynb", kernel="Rerun Script")
    show_only_the_notebook(page)
    # JupyterLab draws only the cells in view: make them all be
    page.set_viewport_size({"width": WIDTH, "height": TALL})
    notebook.run_all(timeout=120)
    expect(notebook.run_status).to_have_text("Idle", timeout=WAIT)
    page.wait_for_function(DRAWN, timeout=WAIT)
    notebook.wait_kernel_idle()
    # then exactly as tall as the notebook, from its top
    top = int(notebook.panel.bounding_box()["y"])
    needed = notebook_height(notebook)
    page.set_viewport_size({"width": WIDTH, "height": top + needed})
    page.wait_for_function(DRAWN, timeout=WAIT)
    box = notebook.panel.bounding_box()
    clip = {"x": box["x"], "y": box["y"], "width": box["width"],
            "height": min(height, needed) if height else needed}
    png = page.screenshot(clip=clip, animations="disabled", caret="hide")
    save_small(png, OUTPUT)
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size // 1024} KiB)")


def save_small(png: bytes, path: Path) -> None:
    """256 colours are plenty for a notebook and make the file a third of the size."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
                   ).save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--height", type=int, default=0,
                        help="only this many pixels from the top (default: the whole notebook)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is not installed at {CHROMIUM} (`make chromium` installs it)")
    with JupyterLab(ROOT / "notebooks") as lab, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_context(viewport={"width": WIDTH, "height": 900}).new_page()
            page.set_default_timeout(WAIT)
            shoot(page, lab, args.height)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
