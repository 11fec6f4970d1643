"""Reading articles: text in any common encoding in, every kind of non-text refused with one sentence
(legacy encodings and HTML: ``tests/test_input.py``)."""

import tracemalloc

import pytest

from stance.errors import InputError
from stance.reading import DEFAULT_MAX_BYTES, looks_binary, read_article


def test_reads_a_utf8_file(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("ОДКБ «эффективна».\n\nSecond paragraph.", encoding="utf-8")
    assert read_article(path) == "ОДКБ «эффективна».\n\nSecond paragraph."


def test_strips_the_bom_and_normalises_line_endings():
    assert read_article(b"\xef\xbb\xbfFirst\r\n\r\nSecond\rThird") == "First\n\nSecond\nThird"


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \n"])
def test_empty_and_blank_articles_are_text(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert read_article(path).strip() == ""


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (bytes(range(1, 9)) * 20 + b"some text", "binary data"),
    ],
)
def test_refuses_what_is_not_text_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_article(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and reason in message
    assert "\n" not in message


def test_refuses_a_50_mb_file_without_loading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"huge\.txt: larger than the 10 MB limit"):
            read_article(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < DEFAULT_MAX_BYTES + 2 * 1024 * 1024


def test_size_limit_is_configurable(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(b"word " * 30)
    with pytest.raises(InputError, match="larger than the 100 bytes limit"):
        read_article(path, max_bytes=100)
    assert read_article(path, max_bytes=150).startswith("word")


def test_bytes_over_the_limit_are_refused():
    with pytest.raises(InputError, match="<stdin>: larger than"):
        read_article(b"x" * 11, name="<stdin>", max_bytes=10)


def test_missing_file_and_directory_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)


def test_text_with_tabs_and_escape_sequences_is_not_binary():
    assert not looks_binary(b"col\tcol\x1b[0m\r\n\x0c")
    assert looks_binary(b"text\x00")


def test_a_utf16_file_with_its_mark_is_text():
    assert read_article("CSTO".encode("utf-16"), name="x") == "CSTO"
