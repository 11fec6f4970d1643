"""Results as text: a readable table, highlighted paragraphs, JSON, JSON Lines, CSV.

Pure functions from results to strings; ``render`` writes many articles in
one format, chunk by chunk (``CHUNK_PARAGRAPHS`` paragraphs at most): given
``ArticleStream``s (``Classifier.stream``) it writes each paragraph as soon as
it is classified and an article's summary after its paragraphs, so nothing
holds a whole article's results. Tables and highlighted text number paragraphs from 1;
JSON, JSONL and CSV keep the 0-based ``index`` of the results.
"""

from __future__ import annotations

import csv
import io
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

import orjson

from .labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .results import ArticleResult, ParagraphResult, TagResult

if TYPE_CHECKING:
    from .streaming import ArticleStream


FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv")
"""Output formats ``render`` knows."""

OPENING_WIDTH = 42
"""Characters of a paragraph's opening words shown in a table row."""

CSV_COLUMNS: tuple[str, ...] = (
    "article",
    "index",
    "start",
    "end",
    "boilerplate",
    "boilerplate_reason",
    "language",
    "unsupported_language",
    *(
        column
        for target in TARGETS
        for column in (target, *(f"{target}_{label}" for label in STANCE_LABELS), f"{target}_examples")
    ),
    "rhetoric",
    *(f"rhetoric_{tag}" for tag in RHETORIC_TAGS),
    "text",
)
"""CSV header: every label's score per target and the similar training
paragraphs behind the call (``id:similarity`` joined by ``;``), the tags, and
each tag's score (empty when the tag was not predicted)."""

CHUNK_PARAGRAPHS = 200
"""Paragraphs per chunk that ``render`` yields: few writes, little held."""

EXAMPLE_WIDTH = 60
"""Characters of a similar training paragraph's opening shown under a table row."""

_TAG_COLOURS = dict(zip(RHETORIC_TAGS, ("31", "32", "33", "34", "35", "36", "91", "92", "94")))
_RESET = "\x1b[0m"


def render(
    results: Iterable[ArticleResult | ArticleStream],
    fmt: str = "table",
    *,
    as_list: bool = False,
    highlight: bool = False,
    color: bool = False,
) -> Iterator[str]:
    """Yield the text of ``results`` in ``fmt``, chunk by chunk (every
    ``CHUNK_PARAGRAPHS`` paragraphs, an article's head and its summary, plus a
    CSV header, or a JSON list's brackets when ``as_list``). ``results`` may be
    ``ArticleResult``s or ``ArticleStream``s, whose paragraphs are written as
    they come; every format gives the same text for either.

    ``highlight`` replaces the table by each paragraph's text with its tag spans
    marked, in ANSI colour when ``color`` is true, in ``[tag: span]`` brackets otherwise.
    """
    if fmt == "table":
        for number, result in enumerate(results):
            if number:
                yield "\n"
            yield from (_highlighted_chunks(result, color) if highlight else _table_chunks(result))
    elif fmt == "json":
        yield from _json_chunks(results, as_list=as_list)
    elif fmt == "jsonl":
        for result in results:
            yield from _jsonl_chunks(result)
    elif fmt == "csv":
        yield csv_header()
        for result in results:
            yield from _csv_chunks(result)
    else:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def table(result: ArticleResult) -> str:
    """One row per paragraph (number, opening words, each target's label and
    score, tags; boilerplate marked as such), under it the most similar
    training paragraph behind each stance call, then the article's summary."""
    return "".join(_table_chunks(result))


def highlighted(result: ArticleResult, *, color: bool) -> str:
    """Each paragraph's labels and text with its rhetoric spans marked, then the summary."""
    return "".join(_highlighted_chunks(result, color))


def summary(result: ArticleResult | ArticleStream) -> str:
    """The article's counts per label, overall stance per target, and tag counts."""
    s = result.summary
    lines = [f"summary: {s.paragraphs} paragraphs, {s.classified} classified, {s.boilerplate} boilerplate"
             + (f", {s.unsupported_language} in a language the model does not know" if s.unsupported_language else "")]
    for target in TARGETS:
        counts = ", ".join(f"{label} {count}" for label, count in s.counts.get(target, {}).items())
        lines.append(f"  {target}: {counts or 'no paragraphs'}; overall {s.overall.get(target, 'none')}")
    tags = ", ".join(f"{tag} {count}" for tag, count in s.tags.items() if count)
    lines.append(f"  tags: {tags or 'none'}")
    lines.append(f"  model: {result.model.name} {result.model.version}")
    return "\n".join(lines)


def jsonl(result: ArticleResult) -> str:
    """One JSON line per paragraph, each with its article's id under ``"article"``."""
    return "".join(_jsonl_chunks(result))


def to_json(value, *, indent: bool = False) -> str:
    """``value`` (results, or dicts and lists of them) as JSON text: the
    document ``to_dict`` and ``json.dumps`` give, made by ``orjson`` straight
    from the dataclasses, several times faster. The model refuses non-finite
    scores (``stance.model``), so no NaN reaches here to become ``null``."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0).decode()


def csv_header() -> str:
    """The CSV header line (``CSV_COLUMNS``)."""
    return _csv_text([CSV_COLUMNS])


def csv_rows(result: ArticleResult) -> str:
    """One CSV row per paragraph of ``result``, in ``CSV_COLUMNS`` order."""
    return "".join(_csv_chunks(result))


def _chunked(paragraphs: Iterable[ParagraphResult]) -> Iterator[list[ParagraphResult]]:
    """``paragraphs`` in lists of at most ``CHUNK_PARAGRAPHS``."""
    return iter(lambda iterator=iter(paragraphs): list(islice(iterator, CHUNK_PARAGRAPHS)), [])


def _table_chunks(result) -> Iterator[str]:
    head = [str(result.id)] if result.id is not None else []
    head.append(f"{'#':>3}  {'paragraph':<{OPENING_WIDTH}}  " + "".join(f"{t:<15}" for t in TARGETS) + "rhetoric")
    yield "\n".join(head) + "\n"
    for paragraphs in _chunked(result.paragraphs):
        yield "".join(line + "\n" for paragraph in paragraphs for line in _table_lines(paragraph))
    if not result.summary.paragraphs:
        yield "     (no paragraphs)\n"
    yield summary(result) + "\n"


def _table_lines(paragraph: ParagraphResult) -> list[str]:
    """A paragraph's table row, then the similar training paragraphs under it."""
    row = f"{paragraph.index + 1:>3}  {_opening(paragraph.text):<{OPENING_WIDTH}}  "
    if paragraph.boilerplate:
        row += _boilerplate(paragraph)
    elif paragraph.unsupported_language:
        row += _unsupported(paragraph)
    else:
        row += "".join(f"{_stance(paragraph, t):<15}" for t in TARGETS)
        row += ", ".join(tag.tag for tag in paragraph.rhetoric)
    return [row.rstrip(), *_example_lines(paragraph)]


def _highlighted_chunks(result, color: bool) -> Iterator[str]:
    """The blocks of ``highlighted``, joined by blank lines, as they come."""
    separator = ""
    if result.id is not None:
        yield str(result.id)
        separator = "\n\n"
    for paragraphs in _chunked(result.paragraphs):
        yield separator + "\n\n".join(_highlighted_block(paragraph, color) for paragraph in paragraphs)
        separator = "\n\n"
    if not result.summary.paragraphs:
        yield separator + "(no paragraphs)"
        separator = "\n\n"
    yield separator + summary(result) + "\n"


def _highlighted_block(paragraph: ParagraphResult, color: bool) -> str:
    if paragraph.boilerplate:
        body = f"\x1b[2m{paragraph.text}{_RESET}" if color else paragraph.text
        return f"[{paragraph.index + 1}] {_boilerplate(paragraph)}\n{body}"
    if paragraph.unsupported_language:
        return f"[{paragraph.index + 1}] {_unsupported(paragraph)}\n{paragraph.text}"
    heading = f"[{paragraph.index + 1}] " + "  ".join(f"{t} {_stance(paragraph, t)}" for t in TARGETS)
    if paragraph.rhetoric:
        heading += "  tags: " + ", ".join(_tag_legend(tag, color) for tag in paragraph.rhetoric)
    return f"{heading}\n{_marked_text(paragraph, color)}"


def _jsonl_chunks(result) -> Iterator[str]:
    article = b'{"article":' + orjson.dumps(result.id) + b","
    for paragraphs in _chunked(result.paragraphs):
        yield b"".join(article + orjson.dumps(paragraph)[1:] + b"\n" for paragraph in paragraphs).decode()


def _csv_chunks(result) -> Iterator[str]:
    for paragraphs in _chunked(result.paragraphs):
        yield _csv_text(_csv_row(result.id, paragraph) for paragraph in paragraphs)


def _json_lines(result) -> Iterator[list[str]]:
    """The lines of ``to_json(result, indent=True)``, in lists, as the
    paragraphs come: the same document, its ``summary`` and ``model`` after
    the ``paragraphs`` as in ``ArticleResult``'s field order."""
    yield ["{", f'  "id": {to_json(result.id)},']
    held = None  # the last paragraph's lines: its comma depends on whether another follows
    for paragraphs in _chunked(result.paragraphs):
        lines = [] if held is not None else ['  "paragraphs": [']
        for paragraph in paragraphs:
            if held is not None:
                held[-1] += ","
                lines.extend(held)
            held = ["    " + line for line in to_json(paragraph, indent=True).split("\n")]
        yield lines
    yield ['  "paragraphs": [],'] if held is None else [*held, "  ],"]
    yield [*_json_field("summary", result.summary, last=False), *_json_field("model", result.model, last=True), "}"]


def _json_field(name: str, value, *, last: bool) -> list[str]:
    lines = to_json(value, indent=True).split("\n")
    lines = [f'  "{name}": {lines[0]}', *("  " + line for line in lines[1:])]
    if not last:
        lines[-1] += ","
    return lines


def _json_chunks(results, *, as_list: bool) -> Iterator[str]:
    if not as_list:
        for result in results:
            for lines in _json_lines(result):
                yield "".join(line + "\n" for line in lines)
        return
    yield "["
    for number, result in enumerate(results):
        start = ("," if number else "") + "\n"
        for lines in _json_lines(result):
            yield start + "\n".join("  " + line for line in lines)
            start = "\n"
    yield "\n]\n"


def _csv_row(article: str | None, paragraph: ParagraphResult) -> list:
    row = [article, paragraph.index, paragraph.start, paragraph.end]
    row += [paragraph.boilerplate, paragraph.boilerplate_reason, paragraph.language, paragraph.unsupported_language]
    for target in TARGETS:
        stance = paragraph.stances.get(target)
        row.append(stance.label if stance else "")
        row.extend(_score(stance.scores.get(label)) if stance else "" for label in STANCE_LABELS)
        row.append(";".join(f"{example.id}:{_score(example.similarity)}" for example in stance.examples) if stance else "")
    scores = {tag.tag: tag.score for tag in paragraph.rhetoric}
    row.append(";".join(scores))
    row.extend(_score(scores.get(tag)) for tag in RHETORIC_TAGS)
    row.append(paragraph.text)
    return row


def _csv_text(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([_safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP's CSV injection list)."""


def _safe_cell(cell):
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``
    so that it is shown as text (OWASP's rule); other cells unchanged."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES) else cell


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _opening(text: str) -> str:
    return _cut(text, OPENING_WIDTH)


def _stance(paragraph: ParagraphResult, target: str) -> str:
    stance = paragraph.stances.get(target)
    if stance is None:
        return "-"
    return f"{stance.label} {stance.scores.get(stance.label, 0.0):.2f}"


def _example_lines(paragraph: ParagraphResult) -> list[str]:
    """``like <target> <label>: <id> (<similarity>) "<opening>"``, one line per
    target with examples, indented under the paragraph's row."""
    lines = []
    for target in TARGETS:
        stance = paragraph.stances.get(target)
        if stance is None or not stance.examples:
            continue
        example = stance.examples[0]
        opening = _cut(example.opening, EXAMPLE_WIDTH)
        lines.append(f"{'':>5}like {target} {example.label}: {example.id} ({example.similarity:.2f}) \"{opening}\"")
    return lines


def _cut(text: str, width: int) -> str:
    words = " ".join(text.split())
    if len(words) <= width:
        return words
    cut = words[: width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _boilerplate(paragraph: ParagraphResult) -> str:
    return f"boilerplate ({paragraph.boilerplate_reason})" if paragraph.boilerplate_reason else "boilerplate"


def _unsupported(paragraph: ParagraphResult) -> str:
    return f"not classified: language {paragraph.language!r} unknown to the model"


def _tag_legend(tag: TagResult, color: bool) -> str:
    label = f"{tag.tag} {tag.score:.2f}"
    return f"\x1b[{_TAG_COLOURS.get(tag.tag, '1')}m{label}{_RESET}" if color else label


def _marked_text(paragraph: ParagraphResult, color: bool) -> str:
    """The paragraph's text with every tag span marked; overlapping spans merge
    into one mark that names all their tags."""
    text = paragraph.text
    spans = sorted(
        (span.start, span.end, tag.tag)
        for tag in paragraph.rhetoric
        for span in tag.spans
        if 0 <= span.start < span.end <= len(text)
    )
    marks: list[tuple[int, int, list[str]]] = []
    for start, end, tag in spans:
        if marks and start < marks[-1][1]:
            first, last, tags = marks[-1]
            marks[-1] = (first, max(last, end), tags if tag in tags else [*tags, tag])
        else:
            marks.append((start, end, [tag]))
    pieces, position = [], 0
    for start, end, tags in marks:
        pieces.append(text[position:start])
        pieces.append(_mark(text[start:end], tags, color))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _mark(span: str, tags: list[str], color: bool) -> str:
    if color:
        return f"\x1b[1;4;{_TAG_COLOURS.get(tags[0], '1')}m{span}{_RESET}"
    return f"[{', '.join(tags)}: {span}]"
