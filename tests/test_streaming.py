"""Results streamed to the output as they are classified (``stance.streaming``):
a long input is written batch by batch in every format, in memory that does
not grow with its length; small inputs share model batches; and every way of
getting results (stream, ``classify_*``, the CLI) gives the same ones."""

from __future__ import annotations

import gc
import json

import pytest
from click.testing import CliRunner

import stance.api
import stance.cli
import stance.render
from stance.model import StanceModel
from stance.render import FORMATS, render
from stance.results import ParagraphResult

OPENINGS = (
    "The CSTO failed to send help when Armenia asked for it, the minister told reporters in Yerevan.",
    "NATO officials said the alliance would keep its advisers in the region for another year.",
    "Официальный представитель МИД заявила, что ОДКБ остается гарантом безопасности союзников.",
    "Analysts in Astana said the bloc's rapid reaction force had proved its worth in January.",
    "Die Regierung in Berlin äußerte sich am Montag nicht zu den Berichten über die Übung.",
    "Washington is pushing its own agenda in Central Asia, a Russian deputy said on Tuesday.",
)
"""Openings of the test paragraphs: English, Russian and one in a language the model does not know."""


def paragraphs(count: int) -> list[str]:
    """``count`` distinct paragraphs, each starting with its number (``Item 0001``)."""
    return [f"Item {number:04d} of {count}: {OPENINGS[number % len(OPENINGS)]}"
            for number in range(1, count + 1)]


def article(count: int, *, title: str = "CSTO summit ends without a joint statement") -> str:
    """An article of a headline, ``count`` paragraphs and a copyright line."""
    return "\n\n".join([title, *paragraphs(count), "© 2026 Example News. All rights reserved."])


@pytest.fixture
def model_calls(monkeypatch):
    """The number of texts of each call to any model's ``predict``, as it happens."""
    calls: list[int] = []
    real = StanceModel.predict

    def predict(self, texts, **options):
        calls.append(len(texts))
        return real(self, texts, **options)

    monkeypatch.setattr(StanceModel, "predict", predict)
    return calls


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_long_input_is_written_batch_by_batch(cli_model_dir, tmp_path, monkeypatch, model_calls, fmt):
    """The first paragraphs reach the output after the first model batch, long
    before the last: in every format, the JSON list and the table included."""
    monkeypatch.setattr(stance.api, "BATCH_SIZE", 20)
    monkeypatch.setattr(stance.render, "CHUNK_PARAGRAPHS", 10)
    long = tmp_path / "long.txt"
    long.write_text(article(200), encoding="utf-8")
    writes: list[tuple[int, str]] = []  # (model calls made so far, chunk written)
    real_write = stance.cli._write
    monkeypatch.setattr(stance.cli, "_write", lambda chunks: real_write(
        writes.append((len(model_calls), chunk)) or chunk for chunk in chunks))
    result = CliRunner().invoke(stance.cli.main, ["classify", "--model", str(cli_model_dir), str(long),
                                                  "--format", fmt, "--no-bom"])
    assert result.exit_code == 0, result.output
    assert len(model_calls) == 10 and max(model_calls) <= 20  # 200 content paragraphs
    first = next(calls for calls, chunk in writes if "Item 0001" in chunk)
    last = next(calls for calls, chunk in writes if "Item 0200" in chunk)
    assert first == 1 and last == 10
    if fmt in ("json", "table"):  # the summary follows the paragraphs, tallied on the way
        assert writes[-1 if fmt == "table" else -2][1].lstrip().startswith(("summary", '"summary"'))

    reference = stance.api.Classifier.load(cli_model_dir).classify_text(long.read_text(encoding="utf-8"), id=str(long))
    assert sum(model_calls[:10]) == reference.summary.classified  # not the paragraphs in German
    assert result.stdout == "".join(render([reference], fmt, as_list=True))


def test_json_written_as_it_comes_is_the_whole_document(tiny_classifier):
    """The streamed JSON is the document ``to_json`` makes of the whole result,
    keys in the same order (``id``, ``paragraphs``, ``summary``, ``model``)."""
    from stance.render import to_json

    items = [("long", article(450)), ("empty", ""), (None, "NATO officials declined to comment.")]
    whole = tiny_classifier.classify_batch(items)
    listed = "".join(render(tiny_classifier.stream(items), "json", as_list=True))
    assert json.loads(listed) == [json.loads(to_json(result)) for result in whole]
    assert list(json.loads(listed)[0]) == ["id", "paragraphs", "summary", "model"]
    assert listed == "[\n" + ",\n".join(
        "\n".join("  " + line for line in to_json(result, indent=True).split("\n")) for result in whole) + "\n]\n"
    single = "".join(render(tiny_classifier.stream(items), "json"))
    assert single == "".join(to_json(result, indent=True) + "\n" for result in whole)


def test_small_inputs_share_model_batches_with_the_same_results(cli_model_dir, tmp_path, monkeypatch, model_calls):
    """Thirty small files go to the model in batches of up to BATCH_SIZE content
    paragraphs across file boundaries, and every format prints what classifying
    each file on its own gives."""
    files = []
    for number in range(30):
        path = tmp_path / f"{number:02d}.txt"
        path.write_text(article(3 + number % 4, title=f"Briefing {number}"), encoding="utf-8")
        files.append(path)
    classifier = stance.api.Classifier.load(cli_model_dir)
    alone = [classifier.classify_text(path.read_text(encoding="utf-8"), id=str(path)) for path in files]
    assert len(model_calls) == 30
    known = sum(model_calls)  # content paragraphs in the languages the model knows
    content = sum(result.summary.classified + result.summary.unsupported_language for result in alone)
    model_calls.clear()

    assert [result.to_dict() for result in classifier.classify_batch(
        [(str(path), path.read_text(encoding="utf-8")) for path in files])] == [result.to_dict() for result in alone]
    assert model_calls == [known]
    monkeypatch.setattr(stance.api, "BATCH_SIZE", 16)
    for fmt in FORMATS:
        model_calls.clear()
        result = CliRunner().invoke(stance.cli.main, ["classify", "--model", str(cli_model_dir), *map(str, files),
                                                      "--format", fmt, "--no-bom"])
        assert result.exit_code == 0, result.output
        assert result.stdout == "".join(render(alone, fmt, as_list=True)), fmt
        assert max(model_calls) <= 16 and sum(model_calls) == known and len(model_calls) == -(-content // 16)


def test_pre_split_paragraphs_stream_like_classify_paragraphs(tiny_classifier, monkeypatch, model_calls):
    monkeypatch.setattr(stance.api, "BATCH_SIZE", 8)
    given = [paragraphs(5), ["", *paragraphs(12)], []]
    streamed = [article.result() for article in tiny_classifier.stream(
        [(f"doc{number}", texts) for number, texts in enumerate(given)], pre_split=True)]
    assert len(model_calls) == 3 and max(model_calls) <= 8  # 17 content paragraphs
    assert streamed == [tiny_classifier.classify_paragraphs(texts, id=f"doc{number}")
                        for number, texts in enumerate(given)]


def test_an_article_stream_is_read_once_and_summed_up_after(tiny_classifier):
    streams = tiny_classifier.stream([("a", article(3)), ("b", article(2))])
    first = next(streams)
    with pytest.raises(RuntimeError, match="summary"):
        first.summary
    assert [p.index for p in first] == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError, match="once"):
        list(first)
    assert first.summary == tiny_classifier.classify_text(article(3)).summary
    assert (first.summary.paragraphs, first.summary.boilerplate) == (5, 2)
    assert next(streams).result() == tiny_classifier.classify_text(article(2), id="b")


def test_unread_articles_are_skipped_not_mixed_up(tiny_classifier):
    streams = tiny_classifier.stream([("a", article(4)), ("b", article(2)), ("c", article(1))])
    next(streams)  # "a" left unread
    b = next(streams)
    assert b.id == "b" and b.result() == tiny_classifier.classify_text(article(2), id="b")
    assert next(streams).result() == tiny_classifier.classify_text(article(1), id="c")


@pytest.mark.parametrize("fmt", FORMATS)
def test_paragraph_results_held_do_not_grow_with_the_input(tiny_classifier, monkeypatch, fmt):
    """While 1,000 paragraphs are written, no more than a model batch of
    paragraph results is alive at any time (counted among the objects the
    garbage collector tracks): memory is bounded by a batch, not the input."""
    monkeypatch.setattr(stance.api, "BATCH_SIZE", 40)
    monkeypatch.setattr(stance.render, "CHUNK_PARAGRAPHS", 10)
    alive = []
    for number, _ in enumerate(render(tiny_classifier.stream([("long", article(1000))]), fmt, as_list=True)):
        if number % 10 == 5:
            alive.append(sum(type(thing) is ParagraphResult for thing in gc.get_objects()))
    assert len(alive) >= 9 and max(alive) <= 40, alive
