"""Make the README's screenshots: the demo notebook before and after moving its slider.

    .venv/bin/python docs/screenshots.py

It starts the same private JupyterLab server as the browser tests (`tests/e2e/lab.py`),
opens `notebooks/demo.ipynb` on the Rerun Script kernel in headless Chromium, runs it, moves
the `x` slider with the keyboard and writes `docs/images/demo-before.png` and
`docs/images/demo-after.png`. Nothing is written to `notebooks/`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from lab import CHROMIUM, UI_TIMEOUT, JupyterLab, Notebook, launch_chromium  # noqa: E402

IMAGES = ROOT / "docs" / "images"
VIEWPORT = {"width": 1280, "height": 800}
WAIT = UI_TIMEOUT * 1000
PRESSES = 7


def shoot(notebook: Notebook, path: Path) -> None:
    """The notebook's tab: its toolbar and cells, without the rest of JupyterLab."""
    notebook.wait_kernel_idle()
    expect(notebook.run_status).to_have_text("Idle", timeout=WAIT)
    notebook.panel.screenshot(path=path, animations="disabled", caret="hide")
    print(f"wrote {path.relative_to(ROOT)}")


def demo(page: Page, lab: JupyterLab) -> None:
    notebook = Notebook.open(page, lab, "demo.ipynb", kernel="Rerun Script")
    # the notebook alone: no file browser on the left
    page.wait_for_function(
        "() => window.jupyterapp.commands.execute('application:toggle-left-area')"
        ".then(() => true)",
        timeout=WAIT,
    )
    expect(page.locator("#jp-left-stack")).to_be_hidden(timeout=WAIT)
    notebook.run_all()
    square = notebook.cell_by_id("square")
    output = notebook.output(square)
    expect(output).to_contain_text("0 squared is 0", timeout=WAIT)
    waves = notebook.cell_by_id("waves")
    notebook.wait_chart_drawn(waves)
    # the slider's cell at the top, so that the chart is in view below it
    square.evaluate("cell => cell.scrollIntoView({block: 'start'})")
    shoot(notebook, IMAGES / "demo-before.png")

    slider = notebook.slider(square, "x")
    slider.press("ArrowRight", times=PRESSES)
    expect(slider.readout).to_have_text(str(PRESSES), timeout=WAIT)
    expect(output).to_contain_text(f"{PRESSES} squared is {PRESSES ** 2}", timeout=WAIT)
    # and twice the frequency: the chart is redrawn in place too
    frequency = notebook.slider(waves, "frequency")
    frequency.press("PageUp", times=20)  # 0.05 a page
    expect(frequency.readout).to_have_text("2.00", timeout=WAIT)
    notebook.wait_chart_drawn(waves)
    square.evaluate("cell => cell.scrollIntoView({block: 'start'})")
    shoot(notebook, IMAGES / "demo-after.png")


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is not installed at {CHROMIUM} (`make chromium` installs it)")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with JupyterLab(ROOT / "notebooks") as lab, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.set_default_timeout(WAIT)
            demo(page, lab)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
