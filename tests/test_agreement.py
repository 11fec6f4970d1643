"""Agreement between two annotation passes."""

import json

import pytest

from stance.agreement import compare_files
from stance.errors import DataError


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(id_, csto, west, tags=(), boilerplate=False):
    return {"id": id_, "boilerplate": boilerplate, "csto": csto, "west": west, "rhetoric": list(tags)}


def test_identical_passes_agree_perfectly(tmp_path):
    rows = [_row("a", "favor", "none", ["denial"]), _row("b", "against", "favor"), _row("c", "none", "against")]
    report = compare_files(_write(tmp_path / "a.jsonl", rows), _write(tmp_path / "b.jsonl", rows))
    assert report.kappa == {"csto": 1.0, "west": 1.0}
    assert report.tags_micro_f1 == 1.0
    assert report.disagreements == ()


def test_disagreements_are_listed_and_lower_kappa(tmp_path):
    first = [_row("a", "favor", "none", ["denial"]), _row("b", "against", "favor"), _row("c", "none", "none")]
    second = [_row("a", "favor", "none"), _row("b", "none", "favor"), _row("c", "none", "none")]
    report = compare_files(_write(tmp_path / "a.jsonl", first), _write(tmp_path / "b.jsonl", second))
    assert report.kappa["csto"] < 1.0
    assert report.kappa["west"] == 1.0
    assert report.tags_micro_f1 == 0.0
    assert {(d.id, d.field) for d in report.disagreements} == {("a", "rhetoric"), ("b", "csto")}


def test_only_shared_ids_are_compared(tmp_path):
    first = [_row("a", "favor", "none"), _row("b", "none", "none")]
    second = [_row("b", "none", "none"), _row("z", "against", "none")]
    report = compare_files(_write(tmp_path / "a.jsonl", first), _write(tmp_path / "b.jsonl", second))
    assert report.compared == 1


def test_no_shared_ids_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="share no paragraph ids"):
        compare_files(_write(tmp_path / "a.jsonl", [_row("a", "none", "none")]),
                      _write(tmp_path / "b.jsonl", [_row("b", "none", "none")]))
