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


def test_evaluate_compares_saved_models_on_a_held_out_file(tiny_model_dir, cli_model_dir, isolated_plugins, tmp_path):
    heldout = TINY_LABELS.parent.parent.parent / "heldout" / "labels.jsonl"
    report_path = tmp_path / "report.json"
    result = CliRunner().invoke(
        main,
        ["evaluate", "--test", str(heldout), "--model", str(tiny_model_dir), "--model", str(cli_model_dir),
         "--output", str(report_path)],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert [m["dir"] for m in report["models"]] == [str(tiny_model_dir), str(cli_model_dir)]
    first, second = (m["label"] for m in report["models"])
    for target in ("csto", "west"):
        scores = report["targets"][target]
        assert 0 <= scores[first]["macro_f1"] <= 1 and scores[first]["macro_f1"] != scores[second]["macro_f1"]
        low, high = report["intervals"][target]["last_minus"][first]
        assert low <= scores[second]["macro_f1"] - scores[first]["macro_f1"] <= high
    assert f"{second} - {first}: csto" in result.output
    assert report["test"]["paragraphs"] == sum(1 for line in heldout.read_text(encoding="utf-8").splitlines() if '"boilerplate": false' in line)


def test_evaluate_with_a_model_needs_a_test_file():
    result = CliRunner().invoke(main, ["evaluate", "--model", "models/x"])
    assert result.exit_code == 2 and "--model needs --test" in result.output
