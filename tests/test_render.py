"""Rendering results built by hand: table, highlighted text, JSON, JSONL, CSV."""

import csv
import io
import json

import pytest

from stance.labels import RHETORIC_TAGS
from stance.render import CSV_COLUMNS, render
from stance.results import (
    ArticleResult,
    ArticleSummary,
    Evidence,
    Example,
    ModelInfo,
    ParagraphResult,
    Span,
    TagResult,
    TargetResult,
)

TEXT = "Nothing of the kind: the collective West brings its so-called 'monitoring' here."
EXAMPLES = (
    Example("wa001-02", "favor", 0.9123, "Nothing of the sort happened at the summit, the secretary general said, adding …"),
    Example("wb017-00", "favor", 0.8011, "The bloc's forces arrived within days."),
)


def span(text, phrase):
    start = text.index(phrase)
    return Span(start, start + len(phrase), phrase)


def article(id="a1", paragraphs=None):
    """An article with a navigation line and one classified paragraph with three tags."""
    if paragraphs is None:
        paragraphs = (
            ParagraphResult(0, "See Also", 0, 8, True, "see_also"),
            ParagraphResult(
                1,
                TEXT,
                10,
                10 + len(TEXT),
                False,
                stances={
                    "csto": TargetResult(
                        "favor",
                        {"favor": 0.81, "against": 0.04, "none": 0.15},
                        (Evidence("lexicon__denial", "lexicon", 1.42, (span(TEXT, "Nothing"),)),),
                        EXAMPLES,
                    ),
                    "west": TargetResult("against", {"favor": 0.05, "against": 0.7, "none": 0.25}),
                },
                rhetoric=(
                    TagResult("denial", 0.77, (span(TEXT, "Nothing of the kind"),)),
                    TagResult("name_calling", 0.6, (span(TEXT, "collective West"),)),
                    TagResult("loaded_language", 0.5, (span(TEXT, "of the"), span(TEXT, "so-called 'monitoring'"))),
                ),
            ),
        )
    classified = [p for p in paragraphs if not p.boilerplate]
    summary = ArticleSummary(
        paragraphs=len(paragraphs),
        classified=len(classified),
        boilerplate=len(paragraphs) - len(classified),
        counts={
            "csto": {"favor": len(classified), "against": 0, "none": 0},
            "west": {"favor": 0, "against": len(classified), "none": 0},
        },
        overall={"csto": "favor" if classified else "none", "west": "against" if classified else "none"},
        tags={"denial": 1, "name_calling": 1, "loaded_language": 1} if classified else {},
    )
    return ArticleResult(id, tuple(paragraphs), summary, ModelInfo("default", "0.1.0"))


def text_of(results, fmt, **options):
    return "".join(render(results, fmt, **options))


def test_table_rows_and_summary():
    lines = text_of([article()], "table").splitlines()
    assert lines[0] == "a1"
    assert lines[1].split() == ["#", "paragraph", "csto", "west", "rhetoric"]
    assert lines[2].split() == ["1", "See", "Also", "boilerplate", "(see_also)"]
    row = lines[3]
    assert row.startswith("  2  Nothing of the kind: the collective West…")
    assert "favor 0.81" in row and "against 0.70" in row
    assert row.endswith("denial, name_calling, loaded_language")
    assert lines[4] == '     like csto favor: wa001-02 (0.91) "Nothing of the sort happened at the summit, the secretary…"'
    assert lines[5:] == [
        "summary: 2 paragraphs, 1 classified, 1 boilerplate",
        "  csto: favor 1, against 0, none 0; overall favor",
        "  west: favor 0, against 1, none 0; overall against",
        "  tags: denial 1, name_calling 1, loaded_language 1",
        "  model: default 0.1.0",
    ]


def test_empty_article_renders_without_paragraphs():
    table = text_of([article(paragraphs=())], "table")
    assert "(no paragraphs)" in table and "summary: 0 paragraphs, 0 classified" in table
    assert "tags: none" in table
    assert text_of([article(paragraphs=())], "jsonl") == ""


def test_many_tables_are_separated_by_a_blank_line():
    output = text_of([article("a1"), article("a2")], "table")
    assert "model: default 0.1.0\n\na2\n" in output


def test_highlight_marks_spans_in_brackets_and_merges_overlaps():
    output = text_of([article()], "table", highlight=True)
    assert "[1] boilerplate (see_also)\nSee Also" in output
    heading = "[2] csto favor 0.81  west against 0.70  tags: denial 0.77, name_calling 0.60, loaded_language 0.50"
    assert heading in output
    assert (
        "[denial, loaded_language: Nothing of the kind]: the [name_calling: collective West] brings its "
        "[loaded_language: so-called 'monitoring'] here."
    ) in output
    assert "\x1b[" not in output


def test_highlight_in_colour_uses_ansi_and_keeps_the_text():
    output = text_of([article()], "table", highlight=True, color=True)
    assert "\x1b[" in output and "[denial" not in output
    plain = output
    while "\x1b[" in plain:
        start = plain.index("\x1b[")
        plain = plain[:start] + plain[plain.index("m", start) + 1 :]
    assert TEXT in plain


def test_json_is_one_document_for_one_article_and_a_list_for_many():
    single = json.loads(text_of([article()], "json"))
    assert single == json.loads(json.dumps(article().to_dict()))
    many = json.loads(text_of([article("a1"), article("a2")], "json", as_list=True))
    assert [document["id"] for document in many] == ["a1", "a2"]
    assert json.loads(text_of([], "json", as_list=True)) == []


def test_jsonl_is_one_line_per_paragraph_with_the_article_id():
    lines = [json.loads(line) for line in text_of([article("a1"), article("a2")], "jsonl").splitlines()]
    assert [(line["article"], line["index"]) for line in lines] == [("a1", 0), ("a1", 1), ("a2", 0), ("a2", 1)]
    assert lines[1]["rhetoric"][0]["spans"] == [{"start": 0, "end": 19, "text": "Nothing of the kind"}]
    assert lines[1]["stances"]["csto"]["evidence"][0]["extractor"] == "lexicon"


def test_csv_has_flat_columns_for_every_score_and_tag():
    rows = list(csv.DictReader(io.StringIO(text_of([article("a1"), article("a2")], "csv"))))
    assert len(rows) == 4
    assert tuple(rows[0]) == CSV_COLUMNS
    boilerplate, paragraph = rows[0], rows[1]
    assert boilerplate["boilerplate"] == "True" and boilerplate["csto"] == "" and boilerplate["rhetoric"] == ""
    assert paragraph["text"] == TEXT
    assert (paragraph["csto"], paragraph["csto_favor"], paragraph["csto_against"]) == ("favor", "0.8100", "0.0400")
    assert (paragraph["west"], paragraph["west_against"]) == ("against", "0.7000")
    assert paragraph["rhetoric"] == "denial;name_calling;loaded_language"
    assert paragraph["rhetoric_denial"] == "0.7700" and paragraph["rhetoric_doubt"] == ""
    assert all(f"rhetoric_{tag}" in paragraph for tag in RHETORIC_TAGS)


def test_render_streams_one_chunk_per_article():
    chunks = render(iter([article("a1"), article("a2")]), "jsonl")
    assert json.loads(next(chunks).splitlines()[0])["article"] == "a1"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        list(render([article()], "xml"))


FORMULAS = ("=HYPERLINK(\"http://x\")", "+7 495 000", "-1+2", "@SUM(A1)", "\tTAB")


def test_csv_cells_a_spreadsheet_would_run_are_prefixed_with_a_quote():
    paragraphs = tuple(ParagraphResult(number, text, 0, len(text), True, "headline")
                       for number, text in enumerate((*FORMULAS, "Plain text", "a=b")))
    rendered = text_of([article(id="=cmd|'/C calc'!A0", paragraphs=paragraphs)], "csv")
    rows = list(csv.reader(io.StringIO(rendered, newline="")))
    texts = [row[CSV_COLUMNS.index("text")] for row in rows[1:]]
    assert texts == [f"'{formula}" for formula in FORMULAS] + ["Plain text", "a=b"]
    assert {row[0] for row in rows[1:]} == {"'=cmd|'/C calc'!A0"}
    assert rows[1][CSV_COLUMNS.index("index")] == "0"


def test_the_pages_csv_prefixes_the_same_cells(tmp_path):
    """The page's download (stance/web/static/downloads.js), run by Node, matches the CLI's CSV."""
    import shutil
    import subprocess
    from pathlib import Path

    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    static = Path(__file__).resolve().parent.parent / "stance" / "web" / "static"
    for name in ("downloads.js", "labels.js"):
        shutil.copy(static / name, tmp_path / name)
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    paragraphs = tuple(ParagraphResult(number, text, 0, len(text), True, "headline")
                       for number, text in enumerate((*FORMULAS, "Plain text")))
    result = article(id="=1+1", paragraphs=paragraphs)
    from stance.labels import STANCE_LABELS, TARGETS

    dataset = {"targets": " ".join(TARGETS), "stanceLabels": " ".join(STANCE_LABELS),
               "rhetoricTags": " ".join(RHETORIC_TAGS)}  # what the page's template gives labels.js
    script = (f"globalThis.document = {{ body: {{ dataset: {json.dumps(dataset)} }} }};\n"
              "const { resultCsv } = await import('./downloads.js');\n"
              "let input = ''; process.stdin.on('data', (d) => { input += d; });\n"
              "process.stdin.on('end', () => process.stdout.write(resultCsv(JSON.parse(input))));\n")
    (tmp_path / "run.mjs").write_text(script, encoding="utf-8")
    done = subprocess.run([node, "run.mjs"], cwd=tmp_path, input=json.dumps(result.to_dict()),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == text_of([result], "csv")


def test_csv_names_the_similar_training_paragraphs_behind_each_call():
    rows = list(csv.DictReader(io.StringIO(text_of([article("a1")], "csv"))))
    assert rows[1]["csto_examples"] == "wa001-02:0.9123;wb017-00:0.8011"
    assert rows[1]["west_examples"] == "" and rows[0]["csto_examples"] == ""


def test_json_gives_each_example_s_id_label_similarity_and_opening():
    stance = json.loads(text_of([article()], "json"))["paragraphs"][1]["stances"]["csto"]
    assert stance["examples"][1] == {"id": "wb017-00", "label": "favor", "similarity": 0.8011,
                                     "opening": "The bloc's forces arrived within days."}
