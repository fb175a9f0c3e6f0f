"""Images, audio and video: what each input becomes in the mimebundle."""

from __future__ import annotations

import base64
import io
import wave
import zlib

import numpy as np
import pytest

from rerunkernel.elements.media import encode_png
from rerunkernel.testing import AppTest


def media(body: str, kind: str) -> list:
    at = AppTest.from_string("import rerunkernel as rk, numpy as np\n" + body).run()
    assert not at.exception, at.exception[0].text if at.exception else ""
    return list(at.get(kind))


def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, colour type, raw scanlines) of a PNG we wrote."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8:start - 4], "big")
    return width, height, data[25], zlib.decompress(data[start:start + length])


def test_encode_png_keeps_every_pixel():
    pixels = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    width, height, colour, raw = decode_png(encode_png(pixels))
    assert (width, height, colour) == (3, 2, 2)
    assert raw == b"\x00" + pixels[0].tobytes() + b"\x00" + pixels[1].tobytes()


def test_a_float_array_is_a_png_scaled_from_0_1():
    image, = media("rk.image(np.full((2, 2), 0.5))", "image")
    assert set(image.data) == {"image/png", "text/plain"}
    width, height, colour, raw = decode_png(base64.b64decode(image.data["image/png"]))
    assert (width, height, colour) == (2, 2, 0)
    assert raw == b"\x00\x80\x80" * 2
    assert image.data["text/plain"] == "<image>"


def test_bgr_channels_are_swapped_and_out_of_range_values_need_clamp():
    image, = media("rk.image(np.array([[[255, 0, 0]]], dtype=np.uint8), channels='BGR')",
                   "image")
    assert decode_png(base64.b64decode(image.data["image/png"]))[3] == b"\x00\x00\x00\xff"
    at = AppTest.from_string("import rerunkernel as rk, numpy as np\n"
                             "rk.image(np.full((1, 1), 1.5))").run()
    assert "clamp=True" in str(at.exception[0].value)
    clamped, = media("rk.image(np.full((1, 1), 1.5), clamp=True)", "image")
    assert decode_png(base64.b64decode(clamped.data["image/png"]))[3] == b"\x00\xff"


def test_caption_link_and_width_make_a_figure():
    image, = media("rk.image(np.zeros((2, 2)), caption='A <b>square</b>', width=120,"
                   " link='https://example.com')", "image")
    assert set(image.data) == {"text/html", "text/plain"}
    html = image.data["text/html"]
    assert '<a href="https://example.com" target="_blank"><img src="data:image/png;base64,' \
        in html
    assert 'style="width:120px"' in html
    assert ">A &lt;b&gt;square&lt;/b&gt;</figcaption>" in html
    assert image.label == "A <b>square</b>"
    assert image.data["text/plain"] == "<image: A <b>square</b>>"


def test_a_pixel_width_alone_stays_an_image_with_metadata():
    image, = media("rk.image(np.zeros((2, 2)), width=64)", "image")
    assert image.metadata == {"image/png": {"width": 64}}


def test_paths_bytes_svg_urls_and_lists(tmp_path):
    png = encode_png(np.zeros((1, 1), dtype=np.uint8))
    (tmp_path / "dot.png").write_bytes(png)
    (tmp_path / "dot.gif").write_bytes(b"GIF89a" + b"\x00" * 10)
    body = (f"rk.image({str(tmp_path / 'dot.png')!r})\n"
            f"rk.image(open({str(tmp_path / 'dot.gif')!r}, 'rb').read())\n"
            "rk.image('<svg xmlns=\"http://www.w3.org/2000/svg\"/>')\n"
            "rk.image('https://example.com/cat.jpg')\n"
            "rk.image([np.zeros((1, 1)), np.ones((1, 1))], caption=['zero', 'one'])")
    path, raw, svg, url, pair = media(body, "image")
    assert base64.b64decode(path.data["image/png"]) == png
    assert "image/gif" in raw.data
    assert svg.data["image/svg+xml"] == '<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert '<img src="https://example.com/cat.jpg"' in url.data["text/html"]
    assert pair.data["text/html"].count("<figure") == 2
    assert pair.data["text/plain"] == "<image: zero>\n<image: one>"


def test_pillow_images_and_jpeg_output():
    pytest.importorskip("PIL")
    body = ("from PIL import Image\n"
            "rk.image(Image.new('RGBA', (3, 2), (255, 0, 0, 128)))\n"
            "rk.image(np.zeros((2, 2, 3)), output_format='JPEG')")
    pil, jpeg = media(body, "image")
    assert decode_png(base64.b64decode(pil.data["image/png"]))[:3] == (3, 2, 6)
    assert base64.b64decode(jpeg.data["image/jpeg"]).startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize("call, message", [
    ("rk.image(np.zeros((2, 2, 5)))", "(height, width, 1|3|4 channels)"),
    ("rk.image('missing.png')", "can't read 'missing.png'"),
    ("rk.image(b'not an image')", "not a PNG, JPEG"),
    ("rk.image([np.zeros((1, 1))] * 2, caption=['only one'])", "can't pair 1 captions with 2"),
    ("rk.image(np.zeros((1, 1)), channels='RGBA')", "channels='RGBA'"),
    ("rk.image(42)", "can't show a int"),
])
def test_image_mistakes_fail_clearly(call, message):
    at = AppTest.from_string("import rerunkernel as rk, numpy as np\n" + call).run()
    assert message in str(at.exception[0].value)


def test_audio_from_samples_is_a_wav_player():
    player, = media("rk.audio(np.sin(np.linspace(0, 6.28, 800)), sample_rate=8000,"
                    " start_time=1, end_time='2s', loop=True)", "audio")
    html = player.data["text/html"]
    assert html.startswith('<audio controls loop style="width:100%" '
                           'src="data:audio/wav;base64,')
    assert html.endswith('#t=1,2"></audio>')
    data = base64.b64decode(html.split("base64,")[1].split("#")[0])
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getframerate(), wav.getnframes()) == (1, 8000, 800)
    assert player.data["text/plain"] == "<audio: audio/wav>"


def test_audio_and_video_from_files_bytes_and_urls(tmp_path):
    (tmp_path / "clip.mp3").write_bytes(b"ID3data")
    body = (f"rk.audio({str(tmp_path / 'clip.mp3')!r})\n"
            "rk.audio(b'RIFF', format='audio/ogg', autoplay=True)\n"
            "rk.video('https://example.com/film.mp4', muted=True, width=320)\n"
            "rk.video(b'\\x00\\x01', subtitles='1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n')")
    at = AppTest.from_string("import rerunkernel as rk\n" + body).run()
    mp3, ogg = at.get("audio")
    assert 'src="data:audio/mpeg;base64,' + base64.b64encode(b"ID3data").decode() in \
        mp3.data["text/html"]
    assert "<audio controls autoplay" in ogg.data["text/html"]
    assert "data:audio/ogg;base64," in ogg.data["text/html"]
    film, subtitled = at.get("video")
    assert film.data["text/html"] == ('<video controls muted style="width:320px" '
                                      'src="https://example.com/film.mp4"></video>')
    track = subtitled.data["text/html"].split('<track kind="subtitles" label="Subtitles" '
                                               'default src="data:text/vtt;base64,')[1]
    vtt = base64.b64decode(track.split('"')[0]).decode()
    assert vtt.startswith("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000")


def test_youtube_links_are_embedded():
    video, = media("rk.video('https://www.youtube.com/watch?v=abcdefghijk', start_time=30)",
                   "video")
    assert '<iframe src="https://www.youtube.com/embed/abcdefghijk?start=30"' in \
        video.data["text/html"]


@pytest.mark.parametrize("call, message", [
    ("rk.audio(np.zeros(10))", "needs sample_rate="),
    ("rk.audio(b'x', start_time='soon')", "start_time='soon'"),
    ("rk.video(b'x', start_time=5, end_time=2)", "must be after start_time"),
    ("rk.video(3.5)", "can't play a float"),
])
def test_media_mistakes_fail_clearly(call, message):
    at = AppTest.from_string("import rerunkernel as rk, numpy as np\n" + call).run()
    assert message in str(at.exception[0].value)
