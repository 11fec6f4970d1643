"""Results as text: a readable table, highlighted paragraphs, JSON, JSON Lines, CSV.

Pure functions from ``ArticleResult`` to strings; ``render`` streams many
articles in one format, chunk by chunk, so output can start before the last
article is classified. Tables and highlighted text number paragraphs from 1;
JSON, JSONL and CSV keep the 0-based ``index`` of the results.
"""

from __future__ import annotations

import csv
import io
import textwrap
from typing import Iterable, Iterator

import orjson

from .labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .results import ArticleResult, ParagraphResult, TagResult

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

EXAMPLE_WIDTH = 60
"""Characters of a similar training paragraph's opening shown under a table row."""

_TAG_COLOURS = dict(zip(RHETORIC_TAGS, ("31", "32", "33", "34", "35", "36", "91", "92", "94")))
_RESET = "\x1b[0m"


def render(
    results: Iterable[ArticleResult],
    fmt: str = "table",
    *,
    as_list: bool = False,
    highlight: bool = False,
    color: bool = False,
) -> Iterator[str]:
    """Yield the text of ``results`` in ``fmt``, one chunk per article (plus a
    CSV header, or a JSON list's brackets when ``as_list``).

    ``highlight`` replaces the table by each paragraph's text with its tag spans
    marked, in ANSI colour when ``color`` is true, in ``[tag: span]`` brackets otherwise.
    """
    if fmt == "table":
        for number, result in enumerate(results):
            yield ("\n" if number else "") + (highlighted(result, color=color) if highlight else table(result))
    elif fmt == "json":
        yield from _json_chunks(results, as_list=as_list)
    elif fmt == "jsonl":
        yield from map(jsonl, results)
    elif fmt == "csv":
        yield csv_header()
        yield from map(csv_rows, results)
    else:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def table(result: ArticleResult) -> str:
    """One row per paragraph (number, opening words, each target's label and
    score, tags; boilerplate marked as such), under it the most similar
    training paragraph behind each stance call, then the article's summary."""
    lines = []
    if result.id is not None:
        lines.append(str(result.id))
    header = f"{'#':>3}  {'paragraph':<{OPENING_WIDTH}}  " + "".join(f"{t:<15}" for t in TARGETS) + "rhetoric"
    lines.append(header)
    for paragraph in result.paragraphs:
        row = f"{paragraph.index + 1:>3}  {_opening(paragraph.text):<{OPENING_WIDTH}}  "
        if paragraph.boilerplate:
            row += _boilerplate(paragraph)
        elif paragraph.unsupported_language:
            row += _unsupported(paragraph)
        else:
            row += "".join(f"{_stance(paragraph, t):<15}" for t in TARGETS)
            row += ", ".join(tag.tag for tag in paragraph.rhetoric)
        lines.append(row.rstrip())
        lines.extend(_example_lines(paragraph))
    if not result.paragraphs:
        lines.append("     (no paragraphs)")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def highlighted(result: ArticleResult, *, color: bool) -> str:
    """Each paragraph's labels and text with its rhetoric spans marked, then the summary."""
    blocks = [str(result.id)] if result.id is not None else []
    for paragraph in result.paragraphs:
        if paragraph.boilerplate:
            body = f"\x1b[2m{paragraph.text}{_RESET}" if color else paragraph.text
            blocks.append(f"[{paragraph.index + 1}] {_boilerplate(paragraph)}\n{body}")
            continue
        if paragraph.unsupported_language:
            blocks.append(f"[{paragraph.index + 1}] {_unsupported(paragraph)}\n{paragraph.text}")
            continue
        heading = f"[{paragraph.index + 1}] " + "  ".join(f"{t} {_stance(paragraph, t)}" for t in TARGETS)
        if paragraph.rhetoric:
            heading += "  tags: " + ", ".join(_tag_legend(tag, color) for tag in paragraph.rhetoric)
        blocks.append(f"{heading}\n{_marked_text(paragraph, color)}")
    if not result.paragraphs:
        blocks.append("(no paragraphs)")
    return "\n\n".join([*blocks, summary(result)]) + "\n"


def summary(result: ArticleResult) -> str:
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
    article = b'{"article":' + orjson.dumps(result.id) + b","
    return b"".join(article + orjson.dumps(paragraph)[1:] + b"\n" for paragraph in result.paragraphs).decode()


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
    return _csv_text(_csv_row(result.id, paragraph) for paragraph in result.paragraphs)


def _json_chunks(results: Iterable[ArticleResult], *, as_list: bool) -> Iterator[str]:
    if not as_list:
        for result in results:
            yield to_json(result, indent=True) + "\n"
        return
    yield "["
    for number, result in enumerate(results):
        document = to_json(result, indent=True)
        yield ("," if number else "") + "\n" + textwrap.indent(document, "  ")
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
