"""Images, audio and video, embedded in the output itself.

Streamlit serves media from its own web server; a Jupyter output can only carry data, so
media is embedded: an image as `image/png` (or jpeg, gif, svg) when it stands alone, or as
HTML with a `data:` URI when it needs a caption, a link or a width; audio and video as HTML
`<audio>`/`<video>` elements with `data:` URIs. URLs are left to the browser to fetch.
Embedded media travels in the message and is stored in the notebook, so keep large videos
on a URL.

Arrays are encoded to PNG here (a few lines of zlib), so showing a numpy image needs no
imaging library; Pillow is needed only for Pillow images and for JPEG output.
"""

from __future__ import annotations

import base64
import datetime
import io
import mimetypes
import re
import struct
import zlib
from pathlib import Path
from typing import Any, Sequence

from ..core.element import Element
from .core import draw, html_escape
from .params import css_width, parse_duration, unsupported
from .sanitize import check_link

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)
_YOUTUBE = re.compile(r"^https?://(?:www\.)?(?:youtube\.com/watch\?v=|youtu\.be/)([\w-]{6,})")


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "data:"))


def _read_path(call: str, path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise FileNotFoundError(f"rk.{call}(): can't read {str(path)!r}: {error.strerror}. "
                                "Pass a file path, a URL, bytes or an array.") from None


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# --- images ------------------------------------------------------------------------------


def encode_png(pixels: Any) -> bytes:
    """PNG bytes of a uint8 array shaped (height, width) or (height, width, 1|3|4)."""
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        pixels = pixels[:, :, 0]
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    colour_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = pixels.reshape(height, width * channels)
    raw = b"".join(b"\x00" + rows[i].tobytes() for i in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def _array_pixels(array: Any, clamp: bool, channels: str) -> Any:
    import numpy as np

    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3, 4)):
        raise ValueError(f"rk.image(): an image array must be (height, width) or (height, "
                         f"width, 1|3|4 channels); got shape {array.shape}")
    if array.dtype.kind == "f":
        low, high = 0.0, 1.0
        scaled = array * 255.0
    elif array.dtype.kind in "iub":
        low, high = 0, 255
        scaled = array
    else:
        raise TypeError(f"rk.image(): an image array must hold numbers, not {array.dtype}")
    if array.size and (array.min() < low or array.max() > high):
        if not clamp:
            raise ValueError(f"rk.image(): the values are outside [{low}, {high}] "
                             f"({array.dtype} images use that range); scale them, or pass "
                             "clamp=True to clip them")
        scaled = np.clip(scaled, 0, 255)
    pixels = np.ascontiguousarray(np.rint(scaled) if array.dtype.kind == "f" else scaled,
                                  dtype=np.uint8)
    if channels == "BGR" and pixels.ndim == 3 and pixels.shape[2] >= 3:
        pixels = np.ascontiguousarray(pixels[:, :, [2, 1, 0, 3][: pixels.shape[2]]])
    return pixels


def image_bytes(image: Any, clamp: bool, channels: str, output_format: str
                 ) -> tuple[str, bytes | str]:
    """(mime, content): bytes, or for SVG and URLs a string."""
    if isinstance(image, Path):
        image = str(image)
    if isinstance(image, str):
        if _SVG_TEXT.search(image):
            return "image/svg+xml", _with_namespace(image)
        if is_url(image):
            return "url", image
        data = _read_path("image", image)
        if image.lower().endswith(".svg"):
            return "image/svg+xml", _with_namespace(data.decode("utf-8"))
        return _sniff(data), data
    if isinstance(image, (bytes, bytearray, memoryview)):
        data = bytes(image)
        return _sniff(data), data
    if isinstance(image, io.IOBase) or hasattr(image, "getvalue"):
        data = image.getvalue() if hasattr(image, "getvalue") else image.read()
        return _sniff(data), data
    module = type(image).__module__.split(".")[0]
    if module == "PIL":
        return _pil_bytes(image, output_format)
    if hasattr(image, "__array__"):
        import numpy as np

        pixels = _array_pixels(np.asarray(image), clamp, channels)
        if output_format == "JPEG":
            from PIL import Image

            return _pil_bytes(Image.fromarray(pixels), "JPEG")
        return "image/png", encode_png(pixels)
    raise TypeError(f"rk.image() can't show a {type(image).__name__}: pass a numpy array, a "
                    "Pillow image, a file path, a URL, an SVG string or bytes")


# Streamlit's test: an <svg> tag first, or after an XML declaration
_SVG_TEXT = re.compile(r"^\s*(<\?xml[\s\S]*<svg[\s>]|<svg[\s>])")


def _with_namespace(svg: str) -> str:
    """An SVG drawn as an image (JupyterLab's renderer, an `<img>`) shows nothing without
    its namespace, which SVG written inline in HTML can leave out; Streamlit adds it too."""
    if "xmlns" in svg:
        return svg
    return svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)


def _sniff(data: bytes) -> str:
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.lstrip()[:5] in (b"<svg ", b"<?xml"):
        return "image/svg+xml"
    raise ValueError("rk.image(): these bytes are not a PNG, JPEG, GIF, BMP, WebP or SVG image")


def _pil_bytes(image: Any, output_format: str) -> tuple[str, bytes]:
    fmt = output_format if output_format != "auto" else (
        "JPEG" if image.format == "JPEG" and image.mode == "RGB" else "PNG")
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return f"image/{fmt.lower()}", buffer.getvalue()


def img_src(mime: str, content: bytes | str) -> str:
    if mime == "url":
        return str(content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    return _data_uri(mime, content)


def image(
    image: Any,
    caption: str | Sequence[str] | None = None,
    width: Any = "content",
    clamp: bool = False,
    channels: str = "RGB",
    output_format: str = "auto",
    *,
    use_container_width: bool | None = None,
    link: str | None = None,
    use_column_width: Any = None,
    alt: str | Sequence[str | None] | None = None,
) -> None:
    """An image or a list of images (arrays, Pillow images, paths, URLs, bytes, SVG)."""
    if channels not in ("RGB", "BGR"):
        raise ValueError(f"rk.image(channels={channels!r}): must be 'RGB' or 'BGR'")
    output_format = output_format.upper() if isinstance(output_format, str) else output_format
    if output_format not in ("AUTO", "PNG", "JPEG", "JPG"):
        raise ValueError(f"rk.image(output_format={output_format!r}): must be 'auto', 'PNG' "
                         "or 'JPEG'")
    output_format = {"AUTO": "auto", "JPG": "JPEG"}.get(output_format, output_format)
    if use_column_width is not None:
        use_container_width = use_column_width in (True, "always", "auto")
    css = css_width("image", width, use_container_width)
    if link is not None:
        check_link("image", "link", link)
    images = list(image) if isinstance(image, (list, tuple)) else [image]
    count = len(images)
    if not count:
        raise ValueError("rk.image(): the list of images is empty")
    captions = _per_image("caption", caption, count)
    alts = _per_image("alt", alt, count)
    encoded = [image_bytes(one, clamp, channels, output_format) for one in images]
    plain = "\n".join(f"<image{f': {c}' if c else ''}>" for c in captions)
    data: dict[str, Any] = {"text/plain": plain}
    metadata: dict[str, Any] = {}
    mime, content = encoded[0]
    if count == 1 and mime != "url" and not captions[0] and not link and (
        css is None or css.endswith("px")
    ):
        data[mime] = content if isinstance(content, str) else \
            base64.b64encode(content).decode("ascii")
        if css is not None:
            metadata[mime] = {"width": int(css[:-2])}
    else:
        figures = []
        for (mime, content), text, description in zip(encoded, captions, alts, strict=True):
            style = f"width:{css}" if css else "max-width:100%"
            tag = (f'<img src="{html_escape(img_src(mime, content))}" style="{style}" '
                   f'alt="{html_escape(description or text or "")}">')
            if link:
                tag = f'<a href="{html_escape(link)}" target="_blank">{tag}</a>'
            under = f'<figcaption style="opacity:0.7;font-size:0.875em">{html_escape(text)}' \
                    "</figcaption>" if text else ""
            figures.append(f'<figure style="margin:0 0.5em 0.5em 0">{tag}{under}</figure>')
        data["text/html"] = f'<div style="display:flex;flex-wrap:wrap">{"".join(figures)}</div>'
    draw(Element(kind="image", data=data, metadata=metadata, value=image,
                 label=captions[0] if count == 1 else None))


def _per_image(name: str, given: Any, count: int) -> list[str | None]:
    if given is None:
        return [None] * count
    values = [str(given)] if isinstance(given, str) else [
        None if v is None else str(v) for v in given]
    if len(values) != count:
        raise ValueError(f"rk.image({name}=...): can't pair {len(values)} {name}s with "
                         f"{count} images; give one {name} per image")
    return values


# --- audio and video ---------------------------------------------------------------------


def _seconds(call: str, name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError:
            pass
    raise ValueError(f"rk.{call}({name}={value!r}): give seconds (a number), a timedelta or a "
                     "text like '1m30s'")


def _wav(call: str, samples: Any, sample_rate: int | None) -> bytes:
    import numpy as np

    if sample_rate is None:
        raise ValueError(f"rk.{call}(): a numpy array of samples needs sample_rate= (e.g. "
                         "44100)")
    array = np.asarray(samples, dtype=float)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(f"rk.{call}(): samples must be 1-D (mono) or 2-D (channels x "
                         f"samples); got shape {array.shape}")
    peak = float(np.abs(array).max()) if array.size else 0.0
    scaled = (array / peak * 32767) if peak else array
    frames = np.ascontiguousarray(scaled.T).astype("<i2").tobytes()
    import wave  # only for audio given as samples; not worth its import at kernel start

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(array.shape[0])
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes(frames)
    return buffer.getvalue()


def _media_source(call: str, data: Any, format: str, sample_rate: int | None = None
                  ) -> tuple[str, str]:
    """(src, mime) of audio or video data: a URL, or the data as a data: URI."""
    if isinstance(data, Path):
        data = str(data)
    if isinstance(data, str):
        if is_url(data):
            return data, format
        guessed = mimetypes.guess_type(data)[0]
        return _data_uri(guessed or format, _read_path(call, data)), guessed or format
    if isinstance(data, (bytes, bytearray, memoryview)):
        return _data_uri(format, bytes(data)), format
    if hasattr(data, "getvalue") or hasattr(data, "read"):
        raw = data.getvalue() if hasattr(data, "getvalue") else data.read()
        return _data_uri(format, raw), format
    if hasattr(data, "__array__") and call == "audio":
        return _data_uri("audio/wav", _wav(call, data, sample_rate)), "audio/wav"
    raise TypeError(f"rk.{call}() can't play a {type(data).__name__}: pass a file path, a "
                    "URL, bytes or a file object" + (", or a numpy array with sample_rate"
                                                    if call == "audio" else ""))


def _fragment(call: str, start_time: Any, end_time: Any) -> str:
    start = _seconds(call, "start_time", start_time) or 0.0
    end = _seconds(call, "end_time", end_time)
    if end is None:
        return f"#t={start:g}" if start else ""
    if end <= start:
        raise ValueError(f"rk.{call}(end_time={end_time!r}) must be after start_time "
                         f"({start_time!r})")
    return f"#t={start:g},{end:g}"


def _media_attributes(call: str, width: Any, alt: str | None, loop: bool,
                      autoplay: bool, muted: bool = False) -> str:
    css = css_width(call, width)
    attributes = ["controls"] + [name for name, on in (("loop", loop), ("autoplay", autoplay),
                                                       ("muted", muted)) if on]
    if css is not None:
        attributes.append(f'style="width:{css}"')
    if alt:
        attributes.append(f'aria-label="{html_escape(alt)}"')
    return " ".join(attributes)


def audio(
    data: Any,
    format: str = "audio/wav",
    start_time: Any = 0,
    *,
    sample_rate: int | None = None,
    end_time: Any = None,
    loop: bool = False,
    autoplay: bool = False,
    alt: str | None = None,
    width: Any = "stretch",
) -> None:
    """An audio player: a file path, URL, bytes, file object or numpy samples."""
    src, mime = _media_source("audio", data, format, sample_rate)
    attributes = _media_attributes("audio", width, alt, loop, autoplay)
    source = src + _fragment("audio", start_time, end_time)
    html = f'<audio {attributes} src="{html_escape(source)}"></audio>'
    draw(Element(kind="audio", data={"text/html": html, "text/plain": f"<audio: {mime}>"},
                 value=data, label=alt))


def _subtitle_tracks(subtitles: Any) -> str:
    if subtitles is None:
        return ""
    tracks = subtitles.items() if isinstance(subtitles, dict) else [("Subtitles", subtitles)]
    out = []
    for number, (label, source) in enumerate(tracks):
        if isinstance(source, (str, Path)) and Path(source).suffix.lower() in (".vtt", ".srt"):
            source = _read_path("video", source)
        if isinstance(source, str):
            source = source.encode("utf-8")
        if hasattr(source, "getvalue"):
            source = source.getvalue()
        if not isinstance(source, (bytes, bytearray)):
            raise unsupported("video", "subtitles", subtitles,
                              "give WebVTT or SRT text, bytes or a .vtt/.srt path per label")
        text = bytes(source).decode("utf-8-sig")
        if not text.lstrip().startswith("WEBVTT"):
            # SRT to WebVTT: a header, and "." instead of "," before the milliseconds
            text = "WEBVTT\n\n" + re.sub(r"(\d\d:\d\d:\d\d),(\d\d\d)", r"\1.\2", text)
        default = " default" if number == 0 else ""
        out.append(f'<track kind="subtitles" label="{html_escape(label)}"{default} '
                   f'src="{_data_uri("text/vtt", text.encode("utf-8"))}">')
    return "".join(out)


def video(
    data: Any,
    format: str = "video/mp4",
    start_time: Any = 0,
    *,
    subtitles: Any = None,
    end_time: Any = None,
    loop: bool = False,
    autoplay: bool = False,
    muted: bool = False,
    alt: str | None = None,
    width: Any = "stretch",
) -> None:
    """A video player: a file path, URL (YouTube links are embedded), bytes or file object."""
    fragment = _fragment("video", start_time, end_time)
    youtube = _YOUTUBE.match(data) if isinstance(data, str) else None
    css = css_width("video", width) or "100%"
    if youtube is not None:
        query = [f"start={int(_seconds('video', 'start_time', start_time) or 0)}"]
        if end_time is not None:
            query.append(f"end={int(_seconds('video', 'end_time', end_time) or 0)}")
        query += [f"{name}=1" for name, on in (("loop", loop), ("autoplay", autoplay),
                                               ("mute", muted)) if on]
        if subtitles is not None:
            raise unsupported("video", "subtitles", subtitles, "YouTube videos bring their own")
        src = f"https://www.youtube.com/embed/{youtube.group(1)}?{'&'.join(query)}"
        html = (f'<iframe src="{html_escape(src)}" style="width:{css};aspect-ratio:16/9;'
                f'border:0" allowfullscreen title="{html_escape(alt or "YouTube video")}">'
                "</iframe>")
        mime = "YouTube"
    else:
        src, mime = _media_source("video", data, format)
        attributes = _media_attributes("video", width, alt, loop, autoplay, muted)
        html = (f'<video {attributes} src="{html_escape(src + fragment)}">'
                f"{_subtitle_tracks(subtitles)}</video>")
    draw(Element(kind="video", data={"text/html": html, "text/plain": f"<video: {mime}>"},
                 value=data, label=alt))
