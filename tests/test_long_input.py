"""A long text file segmented as it is read (``stance.long_input``): the same
segments as reading it whole, in memory that holds a chunk, not the text."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stance.long_input
from stance.long_input import LongText, open_long_text
from stance.reading import read_article
from stance.segment import segment

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def streamed(path: Path, chunk_bytes: int) -> list:
    long = open_long_text(path, max_bytes=10**9, chunk_bytes=chunk_bytes, min_bytes=0)
    assert isinstance(long, LongText)
    return list(long)


@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 7, 64, 4096])
def test_seed_articles_give_the_same_segments(tmp_path, chunk_bytes):
    for seed in SEEDS:
        assert streamed(seed, chunk_bytes) == segment(read_article(seed)), seed.name


TRICKY = (
    "Headline without a full stop\r\n\r\nThe minister said the CSTO had failed Armenia.\r\n"
    "A second line that ends a sentence.\rAnd a third one with CR only.\n \t\n\n"
    "What is the CSTO?\n\n© 2026 Example News\n\n🇺🇸 Flags take four bytes each.\n"
)


@pytest.mark.parametrize("text", [
    TRICKY,
    "\ufeff" + TRICKY,
    "Only a short line\nAnother short line\nA third one",  # no blank line, no running text
    "One line ends here.\nThe next one too.\nAnd the last.",  # lines as paragraphs
    "Wrapped text that runs on\nacross lines without ending\na sentence until here.\n\nNext block.",
    "\n\n\n  \n",
    "Одна строка.\u2028\n\u00a0\nДругая строка о ОДКБ.",
])
def test_line_endings_blank_lines_and_marks_give_the_same_segments(tmp_path, text):
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8"))
    for chunk_bytes in (1, 2, 5, 11, 4096):
        assert streamed(path, chunk_bytes) == segment(read_article(path)), chunk_bytes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from([
    "a", "The CSTO failed.", "NATO", " ", "\t", "\n", "\n\n", "\r\n", "\r", "\n \n", ".", "?", "Я", "ОДКБ.",
    "🇺", "©", "\u00a0", "What is it?", "Photo: Reuters", "Subscribe to our newsletter",
]), max_size=40), chunk_bytes=st.integers(min_value=1, max_value=9))
def test_any_text_gives_the_same_segments(tmp_path, pieces, chunk_bytes):
    path = tmp_path / "any.txt"
    text = "".join(pieces)
    path.write_bytes(text.encode("utf-8"))
    if not text.strip():
        assert open_long_text(path, max_bytes=10**9, min_bytes=0).blank
        return
    assert streamed(path, chunk_bytes) == segment(read_article(path))


def test_what_is_not_plain_utf8_text_is_left_to_read_article(tmp_path):
    cases = {
        "page.html": "<html><body><p>The CSTO failed.</p></body></html>".encode(),
        "page.txt": "<!doctype html><html><p>The CSTO failed.</p></html>".encode(),
        "legacy.txt": "ОДКБ не помогла Армении.".encode("cp1251"),
        "utf16.txt": "\ufeffThe CSTO failed.".encode("utf-16"),
        "nul.txt": b"The CSTO\x00 failed.",
        "controls.txt": b"\x01\x02\x03\x04 CSTO",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert open_long_text(tmp_path / name, max_bytes=10**9, min_bytes=0) is None, name
    small = tmp_path / "small.txt"
    small.write_text("The CSTO failed Armenia.\n", encoding="utf-8")
    assert open_long_text(small, max_bytes=10**9) is None  # under STREAM_MIN_BYTES: read whole
    assert open_long_text(small, max_bytes=5, min_bytes=0) is None  # too large: read_article says so
    assert open_long_text(tmp_path / "missing.txt", max_bytes=10**9, min_bytes=0) is None


def test_reading_holds_a_chunk_not_the_text(tmp_path):
    path = tmp_path / "long.txt"
    paragraph = "The CSTO's secretary general said the bloc would review its rules 🇺🇸 after the summit."
    path.write_text("\n\n".join(f"{number}. {paragraph}" for number in range(10_000)), encoding="utf-8")
    long = open_long_text(path, max_bytes=10**9, chunk_bytes=16 * 1024, min_bytes=0)
    tracemalloc.start()
    try:
        count = sum(1 for _ in long)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    text_bytes = len(read_article(path)) * 4  # the flags make the whole text four bytes a character
    assert count == 10_000 and peak < text_bytes / 5, (peak, text_bytes)  # a few chunks, not the text


def test_classify_streams_a_long_file_with_the_same_output(cli_model_dir, tmp_path, monkeypatch):
    import stance.reading
    from stance.cli import main

    path = tmp_path / "long.txt"
    path.write_text("\n\n".join([seed.read_text(encoding="utf-8") for seed in SEEDS] * 3), encoding="utf-8")
    whole = CliRunner().invoke(main, ["classify", "--model", str(cli_model_dir), str(path), "--format", "json"])
    assert whole.exit_code == 0, whole.output
    monkeypatch.setattr(stance.long_input, "STREAM_MIN_BYTES", 1024)
    monkeypatch.setattr(stance.long_input, "CHUNK_BYTES", 1000)
    read_whole = []
    real = stance.reading.read_article
    monkeypatch.setattr(stance.reading, "read_article", lambda *a, **k: read_whole.append(a) or real(*a, **k))
    for fmt in ("json", "table", "csv"):
        result = CliRunner().invoke(main, ["classify", "--model", str(cli_model_dir), str(path), "--format", fmt])
        assert result.exit_code == 0, result.output
        if fmt == "json":
            assert result.stdout == whole.stdout
    assert read_whole == []
    empty = tmp_path / "blank.txt"
    empty.write_text(" \n" * 2000, encoding="utf-8")
    result = CliRunner().invoke(main, ["classify", "--model", str(cli_model_dir), str(empty)])
    assert result.exit_code == 1 and "empty, no text to classify" in result.stderr
