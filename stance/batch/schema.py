"""The tables ``stance batch`` writes, as Arrow schemas, and the rows of each.

Three tables, each a folder of part files in the output directory:

* ``paragraphs``: one row per paragraph of every article (boilerplate
  included), with its offsets in the article text, each target's label and
  the score of every label, and the rhetoric tags found with their scores;
* ``articles``: one row per article, its summary (counts per label, overall
  stance per target, tag counts);
* ``errors``: one row per document that could not be read or classified.

Columns are flat where a reader filters or groups (``csto_label``,
``csto_score_favor``); tags are a list of ``{tag, score}`` (``{tag, count}``
for articles), which pandas, DuckDB and Spark all read as is. ``docs/batch.md``
lists every column.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from ..labels import STANCE_LABELS, TARGETS
from ..results import ArticleResult

SCHEMA_VERSION = 1
"""Raised whenever a column is renamed, removed or changes type."""

_WHERE = [
    pa.field("article_id", pa.string()),
    pa.field("source", pa.string()),
    pa.field("line", pa.int64()),
]
_MODEL = [pa.field("model_name", pa.string()), pa.field("model_version", pa.string())]

PARAGRAPHS = pa.schema(
    _WHERE
    + [
        pa.field("paragraph_index", pa.int32()),
        pa.field("start", pa.int64()),
        pa.field("end", pa.int64()),
        pa.field("text", pa.string()),
        pa.field("boilerplate", pa.bool_()),
        pa.field("boilerplate_reason", pa.string()),
        pa.field("language", pa.string()),
        pa.field("unsupported_language", pa.bool_()),
    ]
    + [
        field
        for target in TARGETS
        for field in [pa.field(f"{target}_label", pa.string())]
        + [pa.field(f"{target}_score_{label}", pa.float64()) for label in STANCE_LABELS]
    ]
    + [pa.field("tags", pa.list_(pa.struct([pa.field("tag", pa.string()), pa.field("score", pa.float64())])))]
    + _MODEL
)
"""One row per paragraph. A boilerplate paragraph, or one in a language the
model was not trained on, has null labels and scores and no tags."""

ARTICLES = pa.schema(
    _WHERE
    + [
        pa.field("paragraphs", pa.int32()),
        pa.field("classified", pa.int32()),
        pa.field("boilerplate", pa.int32()),
        pa.field("unsupported_language", pa.int32()),
    ]
    + [
        field
        for target in TARGETS
        for field in [pa.field(f"{target}_overall", pa.string())]
        + [pa.field(f"{target}_count_{label}", pa.int32()) for label in STANCE_LABELS]
    ]
    + [pa.field("tags", pa.list_(pa.struct([pa.field("tag", pa.string()), pa.field("count", pa.int32())])))]
    + _MODEL
)
"""One row per article: its summary."""

ERRORS = pa.schema(
    [
        pa.field("source", pa.string()),
        pa.field("line", pa.int64()),
        pa.field("article_id", pa.string()),
        pa.field("reason", pa.string()),
    ]
)
"""One row per document that could not be read or classified."""

TABLES = {"paragraphs": PARAGRAPHS, "articles": ARTICLES, "errors": ERRORS}


def paragraph_table(results: Sequence[tuple[ArticleResult, str, int | None]]) -> pa.Table:
    """The ``paragraphs`` rows of ``(result, source, line)`` triples, in order."""
    columns: dict[str, list] = {name: [] for name in PARAGRAPHS.names}
    for result, source, line in results:
        for paragraph in result.paragraphs:
            columns["article_id"].append(result.id)
            columns["source"].append(source)
            columns["line"].append(line)
            columns["paragraph_index"].append(paragraph.index)
            columns["start"].append(paragraph.start)
            columns["end"].append(paragraph.end)
            columns["text"].append(paragraph.text)
            columns["boilerplate"].append(paragraph.boilerplate)
            columns["boilerplate_reason"].append(paragraph.boilerplate_reason)
            columns["language"].append(paragraph.language)
            columns["unsupported_language"].append(paragraph.unsupported_language)
            for target in TARGETS:
                stance = paragraph.stances.get(target)
                columns[f"{target}_label"].append(stance.label if stance else None)
                for label in STANCE_LABELS:
                    columns[f"{target}_score_{label}"].append(stance.scores.get(label) if stance else None)
            columns["tags"].append([{"tag": tag.tag, "score": tag.score} for tag in paragraph.rhetoric])
            columns["model_name"].append(result.model.name)
            columns["model_version"].append(result.model.version)
    return pa.table(columns, schema=PARAGRAPHS)


def article_table(results: Sequence[tuple[ArticleResult, str, int | None]]) -> pa.Table:
    """The ``articles`` rows of ``(result, source, line)`` triples, in order."""
    columns: dict[str, list] = {name: [] for name in ARTICLES.names}
    for result, source, line in results:
        summary = result.summary
        columns["article_id"].append(result.id)
        columns["source"].append(source)
        columns["line"].append(line)
        columns["paragraphs"].append(summary.paragraphs)
        columns["classified"].append(summary.classified)
        columns["boilerplate"].append(summary.boilerplate)
        columns["unsupported_language"].append(summary.unsupported_language)
        for target in TARGETS:
            columns[f"{target}_overall"].append(summary.overall[target])
            for label in STANCE_LABELS:
                columns[f"{target}_count_{label}"].append(summary.counts[target][label])
        columns["tags"].append([{"tag": tag, "count": count} for tag, count in summary.tags.items()])
        columns["model_name"].append(result.model.name)
        columns["model_version"].append(result.model.version)
    return pa.table(columns, schema=ARTICLES)


def error_table(failures: Sequence) -> pa.Table:
    """The ``errors`` rows of ``Failure`` records (``source, line, article_id, reason``)."""
    return pa.table(
        {
            "source": [failure.source for failure in failures],
            "line": [failure.line for failure in failures],
            "article_id": [failure.article_id for failure in failures],
            "reason": [failure.reason for failure in failures],
        },
        schema=ERRORS,
    )
