"""Turn an article file (or its bytes) into text, refusing what is not text.

An article must be UTF-8 (a byte-order mark is dropped, CRLF and CR line
endings become LF), not binary, and not larger than a size limit; files are
read with a bounded read, so an oversized one never fills memory. An empty or
blank article is valid text: it simply has no paragraphs.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from .errors import InputError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""Largest article accepted, in bytes (10 MB)."""

BINARY_CONTROL_SHARE = 0.10
"""Share of control bytes above which content counts as binary."""

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"


def read_article(
    source: str | os.PathLike | bytes,
    *,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> str:
    """Return the text of an article given as a path or as raw bytes.

    ``name`` is how errors refer to the input (default: the path, or ``<bytes>``).
    To read a stream within the limit, pass ``stream.read(max_bytes + 1)``.
    Raises ``InputError`` with one sentence naming the input when it cannot be
    read, is larger than ``max_bytes``, is binary, or is not UTF-8.
    """
    if isinstance(source, bytes):
        name = name or "<bytes>"
        if len(source) > max_bytes:
            raise _too_large(name, max_bytes)
        return _decode(source, name=name)
    name = name or str(source)
    return _decode(_read_bounded(Path(source), name, max_bytes), name=name)


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` holds a NUL byte or a high share of other control bytes."""
    if not data:
        return False
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls / len(data) > BINARY_CONTROL_SHARE


def _decode(data: bytes, *, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}: UTF-16 text; save the article as UTF-8")
    if looks_binary(data):
        raise InputError(f"{name}: binary data, not a text article")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bounded(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not an article file") from None
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise _too_large(name, max_bytes)
    return data


def _too_large(name: str, max_bytes: int) -> InputError:
    limit = f"{max_bytes / 2**20:g} MB" if max_bytes >= 2**20 else f"{max_bytes} bytes"
    return InputError(f"{name}: larger than the {limit} limit for an article")
