"""Signing shared cache entries, so a store many people can write can't make us run code.

Unpickling is code execution. A bucket shared by a team is writable by everyone who can
write any entry, so an entry is loaded only if it carries an HMAC made with a key the
kernels share (`RERUNKERNEL_CACHE_KEY`) over its bytes *and* its place in the store: a valid
entry copied under another key fails too, so nobody can swap one function's result for
another's.
"""

from __future__ import annotations

import hashlib
import hmac
import os

KEY_VARIABLE = "RERUNKERNEL_CACHE_KEY"
TAG_SIZE = hashlib.sha256().digest_size
_MIN_KEY_LENGTH = 16


class MissingKeyError(ValueError):
    """A shared store was asked for without a signing key, or with one too short to trust."""


def secret() -> bytes:
    """The signing key from the environment; raises `MissingKeyError` saying how to set one."""
    key = os.environ.get(KEY_VARIABLE, "")
    if len(key) < _MIN_KEY_LENGTH:
        found = "is not set" if not key else f"has only {len(key)} characters"
        raise MissingKeyError(
            f"{KEY_VARIABLE} {found}: a shared cache store needs a secret of at least "
            f"{_MIN_KEY_LENGTH} characters, the same in every kernel that shares the store, "
            "so that entries written by anyone else are never loaded. Make one with "
            "`python -c \"import secrets; print(secrets.token_hex(32))\"` and set it in the "
            "kernels' environment (on JupyterHub: c.Spawner.environment)."
        )
    return key.encode("utf-8")


def tag(key: bytes, place: str, *parts: bytes | memoryview) -> bytes:
    """The HMAC-SHA256 of `parts` stored at `place` (read without copying them)."""
    mac = hmac.new(key, place.encode("utf-8") + b"\0", hashlib.sha256)
    for part in parts:
        mac.update(part)
    return mac.digest()


def verify(key: bytes, place: str, expected: bytes | memoryview,
           *parts: bytes | memoryview) -> bool:
    return hmac.compare_digest(tag(key, place, *parts), bytes(expected))
