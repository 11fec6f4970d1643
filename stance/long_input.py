"""A long plain-text article file read and segmented piece by piece, never whole.

``stance classify`` reads an input whole (``stance.reading.read_article``) and
splits it with ``stance.segment.segment``; for a file of 100,000 paragraphs
the text alone is tens of MB (a string takes up to four bytes a character:
one emoji makes it so), and reading it peaks at several times that. A UTF-8
text file of at least ``STREAM_MIN_BYTES`` is instead read in chunks of
``CHUNK_BYTES``, twice: the first pass checks all of it (valid UTF-8, not
binary, not HTML, not blank) and learns the one thing segmentation takes from
the whole document before the first paragraph (whether it has blank lines);
then the start of the text is read again until its first running-text
paragraph (whether short lines may be headings), and the last pass yields the
segments ``segment`` gives for the whole text, with offsets in characters of
the whole text and line endings read as ``read_article`` reads them.
``tests/test_long_input.py`` checks both give the same segments.

This module keeps its own loop over blocks (``_pieces``) because ``segment``
cuts a string it holds; the rules it applies to each block and paragraph are
``stance.segment``'s own functions. Anything else (another encoding, a
byte-order mark other than UTF-8's, HTML, NUL or control bytes, a smaller
file) is read whole as before: ``open_long_text`` returns ``None``.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from pathlib import Path

from .deadline import check_deadline
from .reading import _BOMS, _CONTROL_BYTES, BINARY_CONTROL_SHARE, HTML_SUFFIXES, looks_like_html
from .segment import BLANK_LINE, BLOCK_BREAK, LINE_BREAK, Segment, block_paragraphs, has_running_text, segments_of

STREAM_MIN_BYTES = 4 * 1024 * 1024
"""Files at least this large are read piece by piece (when they are plain UTF-8 text)."""
CHUNK_BYTES = 1024 * 1024
"""Bytes read at a time."""


class LongText:
    """A long UTF-8 text file as its segments, read from the file each time it
    is iterated (``Classifier.stream`` takes it in place of a text)."""

    def __init__(self, path: Path, *, blank: bool, blank_lines: bool, chunk_bytes: int = CHUNK_BYTES):
        self.path = path
        self.blank = blank
        """Whether the file holds only white space (no paragraph)."""
        self._separator = BLOCK_BREAK if blank_lines else LINE_BREAK
        self._chunk_bytes = chunk_bytes

    def __iter__(self) -> Iterator[Segment]:
        """The file's segments, as ``segment`` gives them for its whole text
        (the file is read from its start up to the first running-text paragraph first)."""
        running_text = has_running_text(paragraph for _, paragraph in _pieces(self._chunks(), self._separator))
        yield from segments_of(_pieces(self._chunks(), self._separator), running_text=running_text)

    def _chunks(self) -> Iterator[str]:
        return _decoded_chunks(self.path, self._chunk_bytes)


def open_long_text(path: str | os.PathLike, *, max_bytes: int, chunk_bytes: int | None = None,
                   min_bytes: int | None = None) -> LongText | None:
    """A ``LongText`` for the file at ``path`` when it is plain UTF-8 text of
    ``min_bytes`` (``STREAM_MIN_BYTES``) to ``max_bytes`` bytes, else ``None``
    (read it whole: ``read_article`` gives the answer or the error). Reads the
    whole file once, ``chunk_bytes`` (``CHUNK_BYTES``) at a time."""
    path = Path(path)
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    min_bytes = STREAM_MIN_BYTES if min_bytes is None else min_bytes
    try:
        size = path.stat().st_size
        if not path.is_file() or not min_bytes <= size <= max_bytes or path.name.lower().endswith(HTML_SUFFIXES):
            return None
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return None
    if any(head.startswith(bom) for bom, codec in _BOMS if codec != "utf-8") or b"<" in head[:1024]:
        return None
    try:
        blank, blank_lines = True, False
        controls = total = 0
        carry = ""  # the end of the text read so far when it could start a blank line: "\n"
        for number, chunk in enumerate(_decoded_chunks(path, chunk_bytes, raw=True)):
            data, text = chunk
            if b"\x00" in data:
                return None
            controls += len(data) - len(data.translate(None, _CONTROL_BYTES))
            total += len(data)
            if number == 0 and looks_like_html(text):
                return None
            blank = blank and not text.strip()
            blank_lines = blank_lines or BLANK_LINE.search(carry + text) is not None
            last = text.rfind("\n")
            if last >= 0:
                carry = "\n" if not text[last + 1:].strip() else ""
            elif text.strip():
                carry = ""
    except (OSError, UnicodeDecodeError):
        return None
    if total and controls / total > BINARY_CONTROL_SHARE:
        return None
    return LongText(path, blank=blank, blank_lines=blank_lines, chunk_bytes=chunk_bytes)


def _decoded_chunks(path: Path, chunk_bytes: int, *, raw: bool = False) -> Iterator:
    """The file's text in pieces, a UTF-8 byte-order mark dropped and CRLF and
    CR read as LF (``"".join`` of them is ``read_article``'s text); with
    ``raw``, ``(bytes, text)`` pairs."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()  # drops a byte-order mark
    held_cr = ""
    with path.open("rb") as stream:
        while True:
            data = stream.read(chunk_bytes)
            final = not data
            text = held_cr + decoder.decode(data, final=final)
            held_cr = ""
            if text.endswith("\r") and not final:
                text, held_cr = text[:-1], "\r"  # its "\n" may open the next piece
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if text or (raw and data):
                yield (data, text) if raw else text
            if final:
                return


def _pieces(chunks: Iterator[str], separator) -> Iterator[tuple[int, str]]:
    """``segment``'s ``(start, paragraph)`` pieces of the text made of
    ``chunks``: blocks between ``separator`` matches, each split by
    ``stance.segment.block_paragraphs``. A match that reaches the end of the text
    read so far may go on in the next chunk, so it waits for it."""
    buffer, offset = "", 0  # offset: where buffer starts in the whole text
    for chunk in chunks:
        buffer += chunk
        position = 0
        for match in separator.finditer(buffer):
            if match.end() == len(buffer):
                break
            check_deadline()
            block = buffer[position : match.start()]
            if block.strip():
                yield from block_paragraphs(block, offset + position)
            position = match.end()
        buffer, offset = buffer[position:], offset + position
    position = 0
    for match in [*separator.finditer(buffer), None]:
        block_end = match.start() if match else len(buffer)
        block = buffer[position:block_end]
        if block.strip():
            yield from block_paragraphs(block, offset + position)
        if match:
            position = match.end()
