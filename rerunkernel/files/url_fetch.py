"""A URL app's source: fetched over http(s) only, within a deadline for the whole fetch.

Imported when a URL app is linked, not with the kernel: urllib.request is one of the
costliest imports at kernel start, and only URL apps need it (docs/ARCHITECTURE.md,
"Whatever an app's path holds is an error value").
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

FETCH_TIMEOUT = 10.0
FETCH_LIMIT = 5_000_000


class FetchError(ValueError):
    """A URL app could not be fetched; the message says which URL and why."""


class _Deadline:
    """Ends a whole fetch after `seconds` by shutting down every socket it opened.

    A socket timeout bounds each read, not the fetch: a server that sends a byte just
    before each read would time out keeps a fetch going for as long as it likes.
    """

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def connection(self, base: type[http.client.HTTPConnection]) -> type:
        deadline = self

        class Tracked(base):  # type: ignore[misc, valid-type]
            def connect(self) -> None:
                super().connect()
                deadline._track(self.sock)

        return Tracked

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # closed meanwhile


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._deadline.connection(http.client.HTTPConnection), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._deadline.connection(http.client.HTTPSConnection), req,
                            context=self._context)


class _HTTPOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib itself follows redirects to ftp://; our http(s)-only rule holds for every hop."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if urllib.parse.urlparse(newurl).scheme not in ("http", "https"):
            raise FetchError(f"could not fetch {req.full_url}: it redirects to {newurl}, and "
                             "only http:// and https:// URLs can be watched")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """http(s) handlers only: no ftp:, file: or data: handler for a redirect to reach."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(),
                    _HTTPHandler(deadline), _HTTPSHandler(deadline),
                    urllib.request.HTTPDefaultErrorHandler(), _HTTPOnlyRedirects(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def fetch(url: str) -> str:
    """The text of an http(s) URL, with a time limit on the whole fetch and a size limit."""
    scheme = urllib.parse.urlparse(url).scheme
    if scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http:// and https:// URLs can be watched")
    limit = FETCH_TIMEOUT
    too_slow = (f"could not fetch {url}: timed out, no complete answer within {limit:g} s "
                "(the server is too slow, or sends nothing)")
    with _Deadline(limit) as deadline:
        try:
            with _opener(deadline).open(url, timeout=limit) as response:
                body = response.read(FETCH_LIMIT + 1)
        except urllib.error.HTTPError as error:
            raise FetchError(f"could not fetch {url}: HTTP {error.code} {error.reason}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            if deadline.expired:
                raise FetchError(too_slow) from None
            reason = getattr(error, "reason", None) or error
            raise FetchError(f"could not fetch {url}: {reason}") from None
        if deadline.expired:
            # a shut-down socket reads as the end of a body with no length given
            raise FetchError(too_slow)
    if len(body) > FETCH_LIMIT:
        raise FetchError(f"{url} is larger than {FETCH_LIMIT:,} bytes")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise FetchError(f"{url} is not UTF-8 text") from None
