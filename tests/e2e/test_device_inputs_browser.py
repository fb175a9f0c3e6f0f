"""The camera and the microphone in JupyterLab: Chromium's stand-in devices (a test pattern
and a tone, `lab.FAKE_MEDIA_ARGS`) and its consent given without a prompt, so a photo and a
recording made in the page reach the script as Streamlit's camera_input and audio_input give
them."""

from __future__ import annotations

import json

import pytest
from lab import UI_TIMEOUT, JupyterLab, Notebook
from playwright.sync_api import Page, expect

WAIT = UI_TIMEOUT * 1000
RERUN = "Rerun Script"

DEVICES = """\
import io
import wave
from PIL import Image
import rerunkernel as rk

picture = rk.camera_input("Take a picture")
voice = rk.audio_input("Record a voice message", sample_rate=8000)
if picture:
    rk.write(f"photo {picture.type} {Image.open(picture).format} {Image.open(picture).size}")
if voice:
    with wave.open(io.BytesIO(voice.getvalue())) as sound:
        rk.write(f"sound {voice.type} {sound.getframerate()} Hz, "
                 f"{sound.getnchannels()} channel, {sound.getnframes() > 0}")
"""


@pytest.mark.browser
def test_a_photo_and_a_recording_reach_the_script(page: Page, lab: JupyterLab) -> None:
    page.context.grant_permissions(["camera", "microphone"])
    cell = {"cell_type": "code", "id": "cell0", "metadata": {}, "execution_count": None,
            "outputs": [], "source": DEVICES}
    (lab.root / "devices.ipynb").write_text(json.dumps({
        "cells": [cell], "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "rerun", "display_name": RERUN,
                                    "language": "python"}}}))
    notebook = Notebook.open(page, lab, "devices.ipynb", kernel=RERUN)
    notebook.run_all(timeout=60)
    outputs = notebook.output(0)

    outputs.get_by_role("button", name="Turn on the camera").click()
    take = outputs.get_by_role("button", name="Take photo")
    expect(take).to_be_visible(timeout=WAIT)
    page.wait_for_function("video => video.videoWidth > 0",
                           arg=outputs.locator("video").element_handle(timeout=WAIT),
                           timeout=WAIT)
    take.click()
    expect(outputs.get_by_text("photo image/jpeg JPEG (")).to_be_visible(timeout=WAIT)
    expect(outputs.get_by_role("button", name="Clear photo")).to_be_visible(timeout=WAIT)

    outputs.get_by_role("button", name="Record").click()
    stop = outputs.get_by_role("button", name="Stop")
    expect(stop).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(700)  # a recording of some length: the tone needs time to sound
    stop.click()
    expect(outputs.get_by_text("sound audio/wav 8000 Hz, 1 channel, True")).to_be_visible(
        timeout=WAIT)

    outputs.get_by_role("button", name="Clear photo").click()
    expect(outputs.get_by_text("photo image/jpeg")).to_have_count(0, timeout=WAIT)
