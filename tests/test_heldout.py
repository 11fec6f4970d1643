"""The held-out articles (``heldout/``): a valid labeled file, one record per
segment of each article, and nothing shared with the training data."""

import json
from pathlib import Path

import pytest

from stance.dataset import check_file, load_records
from stance.segment import segment

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "heldout"
ARTICLES = sorted(HELDOUT.glob("h*.txt"))


def test_heldout_labels_are_valid():
    report = check_file(HELDOUT / "labels.jsonl")
    assert not report.errors, report.errors[:3]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_every_segment_of_an_article_has_its_record(path):
    records = {r["id"]: r for r in map(json.loads, (HELDOUT / "labels.jsonl").read_text("utf-8").splitlines())}
    segments = segment(path.read_text(encoding="utf-8"))
    assert [records[f"{path.stem}-{s.index:02d}"]["text"] for s in segments] == [s.text for s in segments]
    assert sum(1 for key in records if key.startswith(path.stem + "-")) == len(segments)
    for s in segments:
        assert s.boilerplate == records[f"{path.stem}-{s.index:02d}"]["boilerplate"], s.text


def test_heldout_shares_no_document_or_text_with_the_training_data():
    training = load_records(ROOT / "seeds" / "labels.jsonl")
    heldout = load_records(HELDOUT / "labels.jsonl")
    assert not {r.doc for r in training} & {r.doc for r in heldout}
    assert not {r.text for r in training if not r.boilerplate} & {r.text for r in heldout if not r.boilerplate}
