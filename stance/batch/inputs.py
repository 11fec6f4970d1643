"""Finding a corpus's documents and cutting them into partitions.

An input is a file, a folder (searched recursively) or a glob, as a local
path or any URL ``fsspec`` opens (``s3://...`` with ``s3fs`` installed):

* ``.txt`` files, and ``.html``/``.htm``/``.xhtml`` pages: one article each,
  read by ``stance.reading`` exactly as ``stance classify`` reads them (any
  common encoding; a page reduced to its main text);
* ``.jsonl``/``.ndjson`` files: one article per line, an object with an id
  and a text field (``id`` and ``text`` unless configured);
* ``.parquet`` files: one article per row, with the same two columns.

``plan_partitions`` runs where the job is submitted and only lists files,
counts JSON lines and reads Parquet footers; a ``Partition`` is a small,
picklable description of some documents that a worker reads itself with
``Partition.read``. Partitions are cut the same way for the same inputs, and
each is named by its position and a hash of what it covers, so a rerun finds
the ones already written.
"""

from __future__ import annotations

import glob as globbing
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import fsspec
from fsspec.core import url_to_fs

from ..errors import InputError
from ..reading import HTML_SUFFIXES, read_article

KINDS = {
    ".txt": "text",
    **dict.fromkeys(HTML_SUFFIXES, "html"),
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
"""File suffixes ``stance batch`` reads, and how."""


@dataclass(frozen=True)
class ReadOptions:
    """How documents are read: the JSON/Parquet field names and the size limit."""

    id_field: str = "id"
    text_field: str = "text"
    max_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One article to classify; ``line`` is its 1-based line (JSON Lines) or row (Parquet)."""

    id: str
    text: str
    source: str
    line: int | None


@dataclass(frozen=True)
class Failure:
    """A document that could not be read or classified, and why."""

    source: str
    line: int | None
    article_id: str | None
    reason: str


@dataclass(frozen=True)
class InputFile:
    """A file found among the inputs: how to open it (``url``), how to name it
    in results (``name``: relative to the current folder when local), its kind."""

    url: str
    name: str
    kind: str


@dataclass(frozen=True)
class Partition:
    """Some documents of the corpus, read and written together by one task.

    ``files`` for article files, text or HTML (one document each); otherwise one
    JSON Lines or Parquet file and the span ``[start, stop)`` of it: bytes for
    JSON Lines (``first_line`` is the line number at ``start``), rows for
    Parquet. ``documents`` is how many documents (or lines) it holds.
    """

    key: str
    documents: int
    files: tuple[InputFile, ...] = ()
    start: int = 0
    stop: int = 0
    first_line: int = 1

    def sources(self) -> list[str]:
        """The names of the files this partition reads."""
        return [file.name for file in self.files]

    def read(self, options: ReadOptions) -> Iterator[Document | Failure]:
        """Each document of the partition, or a ``Failure`` saying why it cannot be read."""
        kind = self.files[0].kind
        if kind == "jsonl":
            yield from _read_jsonl(self.files[0], self.start, self.stop, self.first_line, options)
        elif kind == "parquet":
            yield from _read_parquet(self.files[0], self.start, self.stop, options)
        else:
            for file in self.files:
                yield _read_article_file(file, options)


def find_files(inputs: Sequence[str], *, exclude: str | None = None) -> list[InputFile]:
    """Every readable file named by ``inputs`` (files, folders, globs), in
    order and without repeats; ``exclude`` is a folder to leave out (the output).

    Raises ``InputError`` for an input that does not exist, a glob that
    matches nothing, or a named file of a kind ``stance batch`` cannot read.
    """
    found: dict[str, InputFile] = {}
    for given in inputs:
        fs, path = url_to_fs(given)
        local = is_local(fs)
        if globbing.has_magic(path):
            matches = sorted(fs.glob(path))
            matches = [match for match in matches if _kind(match) and not fs.isdir(match)]
            if not matches:
                raise InputError(f"{given}: matches no .txt, .html, .jsonl or .parquet file")
        elif fs.isdir(path):
            matches = sorted(match for match in fs.find(path) if _kind(match))
        elif fs.isfile(path):
            if not _kind(path):
                raise InputError(
                    f"{given}: not a file stance batch reads (.txt, .html, .htm, .xhtml, .jsonl, .ndjson, .parquet)"
                )
            matches = [path]
        else:
            raise InputError(f"{given}: no such file or folder")
        for match in matches:
            if exclude and _inside(match, exclude):
                continue
            url = match if local else fs.unstrip_protocol(match)
            found.setdefault(url, InputFile(url, _display_name(match) if local else url, _kind(match)))
    return list(found.values())


def plan_partitions(files: Sequence[InputFile], partition_size: int) -> list[Partition]:
    """Cut ``files`` into partitions of at most ``partition_size`` documents:
    consecutive article files (text and HTML) together, each JSON Lines or Parquet file
    on its own, in pieces."""
    specs: list[tuple[tuple[InputFile, ...], int, int, int, int]] = []
    articles = [file for file in files if file.kind in ("text", "html")]
    for first in range(0, len(articles), partition_size):
        chunk = tuple(articles[first : first + partition_size])
        specs.append((chunk, 0, 0, 1, len(chunk)))
    for file in files:
        if file.kind == "jsonl":
            specs.extend(((file,), *piece) for piece in _jsonl_pieces(file, partition_size))
        elif file.kind == "parquet":
            specs.extend(((file,), *piece) for piece in _parquet_pieces(file, partition_size))
    partitions = []
    for ordinal, (chunk, start, stop, first_line, documents) in enumerate(specs):
        identity = json.dumps([[file.url for file in chunk], start, stop], ensure_ascii=False)
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]
        partitions.append(Partition(f"{ordinal:06d}-{digest}", documents, chunk, start, stop, first_line))
    return partitions


def _jsonl_pieces(file: InputFile, size: int) -> Iterator[tuple[int, int, int, int]]:
    """``(start byte, stop byte, first line, lines)`` of every ``size`` lines of a JSON Lines file."""
    start = offset = 0
    first_line = line = 1
    with fsspec.open(file.url, "rb") as stream:
        for raw in stream:
            offset += len(raw)
            line += 1
            if line - first_line == size:
                yield start, offset, first_line, size
                start, first_line = offset, line
    if offset > start:
        yield start, offset, first_line, line - first_line


def _parquet_pieces(file: InputFile, size: int) -> Iterator[tuple[int, int, int, int]]:
    """``(first row, stop row, first row number, rows)`` of every ``size`` rows of a Parquet file."""
    import pyarrow.parquet as pq

    try:
        with fsspec.open(file.url, "rb") as stream:
            rows = pq.ParquetFile(stream).metadata.num_rows
    except Exception as exc:  # pyarrow raises several kinds for a damaged footer
        raise InputError(f"{file.name}: not a readable Parquet file ({exc})") from None
    for start in range(0, rows, size):
        stop = min(start + size, rows)
        yield start, stop, start + 1, stop - start


def _read_article_file(file: InputFile, options: ReadOptions) -> Document | Failure:
    try:
        with fsspec.open(file.url, "rb") as stream:
            data = stream.read(options.max_bytes + 1)
        text = read_article(data, name=file.name, max_bytes=options.max_bytes, html=file.kind == "html")
    except InputError as exc:
        return Failure(file.name, None, file.name, str(exc))
    except OSError as exc:
        return Failure(file.name, None, file.name, f"{file.name}: cannot read ({exc.strerror or exc})")
    return Document(file.name, text, file.name, None)


def _read_jsonl(file: InputFile, start: int, stop: int, first_line: int, options: ReadOptions):
    """The documents of the lines in bytes ``[start, stop)``; a line longer
    than the size limit is skipped without being held in memory."""
    with fsspec.open(file.url, "rb") as stream:
        stream.seek(start)
        offset, number = start, first_line
        while offset < stop:
            raw = stream.readline(options.max_bytes + 2)
            if not raw:
                break
            offset += len(raw)
            if not raw.endswith(b"\n") and len(raw) > options.max_bytes:
                while raw and not raw.endswith(b"\n"):
                    raw = stream.readline(1 << 20)
                    offset += len(raw)
                yield Failure(file.name, number, None, f"{file.name}:{number}: line larger than the size limit")
            elif raw.strip():
                yield _jsonl_document(file, number, raw, options)
            number += 1


def _jsonl_document(file: InputFile, number: int, raw: bytes, options: ReadOptions) -> Document | Failure:
    where = f"{file.name}:{number}"
    try:
        record = json.loads(raw)
    except UnicodeDecodeError:
        return Failure(file.name, number, None, f"{where}: not UTF-8 text")
    except ValueError as exc:
        return Failure(file.name, number, None, f"{where}: not valid JSON ({exc.args[0].split(':')[0]})")
    if not isinstance(record, dict):
        return Failure(file.name, number, None, f"{where}: not a JSON object")
    return _record_document(file, number, record.get(options.id_field), record.get(options.text_field), options)


def _read_parquet(file: InputFile, start: int, stop: int, options: ReadOptions):
    import pyarrow.parquet as pq

    with fsspec.open(file.url, "rb") as stream:
        parquet = pq.ParquetFile(stream)
        names = parquet.schema_arrow.names
        if options.text_field not in names:
            yield Failure(file.name, None, None, f"{file.name}: no column '{options.text_field}'")
            return
        columns = [options.text_field] + ([options.id_field] if options.id_field in names else [])
        row, group_start = start, 0
        for group in range(parquet.metadata.num_row_groups):
            group_rows = parquet.metadata.row_group(group).num_rows
            group_stop = group_start + group_rows
            if group_stop > start and group_start < stop:
                table = parquet.read_row_group(group, columns=columns)
                table = table.slice(max(start - group_start, 0), min(stop, group_stop) - max(start, group_start))
                texts = table.column(options.text_field).to_pylist()
                ids = table.column(options.id_field).to_pylist() if options.id_field in names else [None] * len(texts)
                for article_id, text in zip(ids, texts):
                    row += 1
                    yield _record_document(file, row, article_id, text, options)
            group_start = group_stop
            if group_start >= stop:
                break


def _record_document(file: InputFile, number: int, article_id, text, options: ReadOptions) -> Document | Failure:
    """A JSON Lines record's or a Parquet row's document: the text is checked by
    ``read_article`` like a file's; a missing id becomes ``name:line``."""
    where = f"{file.name}:{number}"
    if isinstance(article_id, (str, int)) and not isinstance(article_id, bool):
        article_id = str(article_id)
    elif article_id is None:
        article_id = where
    else:
        return Failure(file.name, number, None, f"{where}: '{options.id_field}' is not a string or a number")
    if text is None:
        return Failure(file.name, number, article_id, f"{where}: '{options.text_field}' is missing or null")
    if not isinstance(text, str):
        return Failure(file.name, number, article_id, f"{where}: '{options.text_field}' is not a string")
    try:
        text = read_article(text.encode("utf-8", "surrogatepass"), name=where, max_bytes=options.max_bytes)
    except InputError as exc:
        return Failure(file.name, number, article_id, str(exc))
    return Document(article_id, text, file.name, number)


def _kind(path: str) -> str | None:
    return KINDS.get(os.path.splitext(path)[1].lower())


def is_local(fs) -> bool:
    """Whether an fsspec file system is the local one."""
    return "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))


def _display_name(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)
