"""Training and evaluating on several labeled files together."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import CLI_EXTRACTORS, TINY_LABELS
from stance.cli import main
from stance.errors import DataError
from stance.evaluation import evaluate
from stance.persistence import CARD_MD, file_sha256, read_card


@pytest.fixture
def two_files(tmp_path):
    """``TINY_LABELS`` split by document into a seed-like file and a ``user`` file."""
    lines = [line for line in TINY_LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    docs = sorted({record["doc"] for record in records})
    user_docs = set(docs[::3])
    first, second = tmp_path / "first.jsonl", tmp_path / "user.jsonl"
    first.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records if r["doc"] not in user_docs), encoding="utf-8")
    second.write_text(
        "".join(json.dumps({**r, "source": "user"}, ensure_ascii=False) + "\n" for r in records if r["doc"] in user_docs),
        encoding="utf-8",
    )
    return first, second


def test_train_with_two_data_files_learns_from_both_and_the_card_lists_each(two_files, tmp_path, isolated_plugins):
    first, second = two_files
    output = tmp_path / "model"
    result = CliRunner().invoke(
        main,
        ["train", "--data", str(first), "--data", str(second), "--extractors", ",".join(CLI_EXTRACTORS), "--output", str(output)],
    )
    assert result.exit_code == 0, result.output
    data = read_card(output)["training_data"]
    assert [entry["path"] for entry in data["files"]] == [str(first), str(second)]
    assert [entry["sha256"] for entry in data["files"]] == [file_sha256(first), file_sha256(second)]
    assert data["files"][1]["sources"]["user"] == data["files"][1]["paragraphs"] > 0
    assert data["files"][0]["sources"]["user"] == 0
    assert data["paragraphs"] == 36 == sum(entry["paragraphs"] for entry in data["files"])
    assert data["sources"]["user"] == data["files"][1]["paragraphs"]
    assert data["sha256"] not in {file_sha256(first), file_sha256(second)}
    markdown = (output / CARD_MD).read_text(encoding="utf-8")
    assert str(first) in markdown and str(second) in markdown and file_sha256(second) in markdown
    assert f"user {data['sources']['user']}" in result.output


def test_one_file_keeps_its_own_hash(isolated_plugins):
    report = evaluate(TINY_LABELS, extractors=list(CLI_EXTRACTORS), folds=3)
    assert report["data"]["sha256"] == file_sha256(TINY_LABELS)
    assert [entry["path"] for entry in report["data"]["files"]] == [str(TINY_LABELS)]


def test_an_id_in_two_files_is_refused(two_files, tmp_path, isolated_plugins):
    first, _ = two_files
    copy = tmp_path / "copy.jsonl"
    copy.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(DataError, match="also in"):
        evaluate([first, copy], extractors=list(CLI_EXTRACTORS), folds=3)
