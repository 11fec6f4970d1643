"""Turn an article file (or its bytes) into text, refusing what is not text.

Text comes in any common encoding: a byte-order mark decides (UTF-8, UTF-16,
UTF-32, dropped from the text), else UTF-8 when the bytes are valid UTF-8, else
an HTML page's declared charset, else the encoding ``charset-normalizer``
detects (cp1251, KOI8-R, Latin-1, UTF-16 without a mark, ...). CRLF and CR
line endings become LF. An HTML page (a ``.html``/``.htm`` name, or content
that starts like one) is reduced to its main text by ``trafilatura``, one
paragraph per block, separated by blank lines, without navigation, headers,
footers or comments. Binary data and files over a size limit are refused;
files are read with a bounded read, so an oversized one never fills memory.
An empty or blank article is valid text: it simply has no paragraphs.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from .errors import InputError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""Largest article accepted, in bytes (10 MB)."""

BINARY_CONTROL_SHARE = 0.10
"""Share of control bytes above which content counts as binary."""

HTML_SUFFIXES = (".html", ".htm", ".xhtml")

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTML_START = re.compile(r"\s{0,200}(?:<!--[^>]{0,500}-->\s{0,50})?<(?:!doctype\s+html|html|head|body)\b", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s{0,4}=\s{0,4}[\"']?([A-Za-z0-9_.:-]{1,40})", re.I)


def read_article(
    source: str | os.PathLike | bytes,
    *,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    html: bool | None = None,
    encoding: str | None = None,
) -> str:
    """Return the text of an article given as a path or as raw bytes.

    ``name`` is how errors refer to the input (default: the path, or ``<bytes>``).
    To read a stream within the limit, pass ``stream.read(max_bytes + 1)``.
    ``html``: whether the input is an HTML page (default: guessed from the
    name and the content). ``encoding``: the encoding the source declares (an
    HTTP charset, say), used when the bytes decode with it.
    Raises ``InputError`` with one sentence naming the input when it cannot be
    read, is larger than ``max_bytes``, is binary, or is in no encoding found.
    """
    if isinstance(source, bytes):
        name = name or "<bytes>"
        if len(source) > max_bytes:
            raise _too_large(name, max_bytes)
        data = source
    else:
        name = name or str(source)
        data = _read_bounded(Path(source), name, max_bytes)
    text = decode(data, name=name, encoding=encoding)
    if html is None:
        html = name.lower().endswith(HTML_SUFFIXES) or looks_like_html(text)
    return html_to_text(text, name=name) if html else text


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` holds a NUL byte or a high share of other control bytes."""
    if not data:
        return False
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls / len(data) > BINARY_CONTROL_SHARE


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts like an HTML document (a doctype, ``<html>``, ``<head>`` or ``<body>``)."""
    return _HTML_START.match(text) is not None


def decode(data: bytes, *, name: str, encoding: str | None = None) -> str:
    """``data`` as text (see the module's docstring for the order of tries), line endings normalised."""
    text = _decoded(data, name, encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_text(html: str, *, name: str) -> str:
    """The main text of an HTML page, its paragraphs separated by blank lines;
    ``InputError`` when the page has none."""
    import trafilatura

    extracted = trafilatura.extract(
        html, output_format="txt", include_comments=False, include_tables=True, favor_recall=True, deduplicate=False
    )
    if not extracted or not extracted.strip():
        raise InputError(f"{name}: no article text found in this HTML page")
    return "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip())


def _decoded(data: bytes, name: str, encoding: str | None) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not valid {codec} text (invalid bytes at offset {exc.start})") from None
    declared = [encoding] if encoding else []
    if b"<" in data[:1024]:
        found = _META_CHARSET.search(data[:4096])
        if found:
            declared.append(found.group(1).decode("ascii"))
    for codec in declared:
        try:
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        if "\x00" not in text:
            return text
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise InputError(f"{name}: binary data, not a text article")
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise InputError(f"{name}: binary data, not a text article") from None
        if looks_binary(text.encode("utf-8", "surrogatepass")):
            raise InputError(f"{name}: binary data, not a text article")
        return text
    if looks_binary(data):
        raise InputError(f"{name}: binary data, not a text article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _detected(data, name)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when ``data`` looks like UTF-16 without a byte-order
    mark: an even length, and NUL bytes (the high byte of ASCII characters:
    spaces, digits, punctuation) on one side of each pair only; else ``None``."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    pairs = len(data) // 2
    if odd >= 0.05 * pairs and even == 0:
        return "utf-16-le"
    if even >= 0.05 * pairs and odd == 0:
        return "utf-16-be"
    return None


def _detected(data: bytes, name: str) -> str:
    """Text in the encoding ``charset-normalizer`` finds; ``InputError`` when
    none fits (binary data, or a mix of encodings)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: not text in any encoding stance recognises (not UTF-8, nor a legacy encoding)")
    return str(best)


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
