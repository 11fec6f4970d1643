"""Grouped cross-validation, held-out scoring, baselines and the span score."""

from __future__ import annotations

import json

import pytest

from conftest import TINY_LABELS
from stance.dataset import Record, load_records
from stance.errors import DataError
from stance.evaluation import evaluate, grouped_folds, span_scores, stance_scores, tag_scores
from stance.fitting import content_records
from stance.labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from stance.model import ParagraphPrediction
from stance.results import Span, TagResult
from stance.summaries import evaluation_summary

RECORDS = content_records(load_records(TINY_LABELS))


def test_a_document_is_never_on_both_sides_of_a_fold():
    splits = grouped_folds(RECORDS, 4)
    assert len(splits) == 4
    seen = []
    for train, test in splits:
        train_docs = {RECORDS[i].doc for i in train}
        test_docs = {RECORDS[i].doc for i in test}
        assert not train_docs & test_docs
        seen.extend(test)
    assert sorted(seen) == list(range(len(RECORDS)))


def test_one_document_cannot_be_cross_validated():
    with pytest.raises(DataError, match="at least two documents"):
        grouped_folds([r for r in RECORDS if r.doc == "t1"], 5)


@pytest.fixture(scope="module")
def report():
    with pytest.MonkeyPatch.context() as patch:
        from stance.plugins import reset_plugins

        patch.setenv("STANCE_PLUGINS", "")
        patch.setenv("STANCE_PLUGINS_DIR", "")
        reset_plugins()
        yield evaluate(TINY_LABELS, extractors=["word_tfidf", "lexicon"], folds=3)
        reset_plugins()


def test_the_report_has_model_and_baselines_per_target(report):
    assert report["mode"] == "cross-validation" and report["folds"] == 3
    assert report["data"]["paragraphs"] == 36 and report["data"]["documents"] == 9
    assert [e["name"] for e in report["extractors"]] == ["word_tfidf", "lexicon"]
    for target in TARGETS:
        scores = report["targets"][target]
        assert set(scores) == {"model", "majority", "tfidf_lr"}
        for result in scores.values():
            assert 0.0 <= result["macro_f1"] <= 1.0
            assert list(result["labels"]) == list(STANCE_LABELS)
            assert sum(map(sum, result["confusion"]["matrix"])) == 36
        assert scores["majority"]["labels"]["none"]["recall"] == 1.0
    json.dumps(report)


def test_the_report_scores_rhetoric_against_no_tags(report):
    rhetoric = report["rhetoric"]
    assert set(rhetoric) == {"model", "no_tags", "spans"}
    assert rhetoric["no_tags"]["micro_f1"] == 0.0
    assert list(rhetoric["model"]["tags"]) == list(RHETORIC_TAGS)
    assert rhetoric["spans"]["gold"] == sum(len(spans) for r in RECORDS for spans in r.evidence.values())


def test_the_report_has_bootstrap_intervals_that_hold_the_scores(report):
    for target in TARGETS:
        intervals = report["intervals"][target]
        low, high = intervals["macro_f1"]["model"]
        assert low <= report["targets"][target]["model"]["macro_f1"] <= high
        low, high = intervals["model_minus"]["tfidf_lr"]
        gain = report["targets"][target]["model"]["macro_f1"] - report["targets"][target]["tfidf_lr"]["macro_f1"]
        assert low <= gain <= high
    low, high = report["intervals"]["rhetoric"]["micro_f1"]
    assert low <= report["rhetoric"]["model"]["micro_f1"] <= high
    assert "95% interval over documents: model" in evaluation_summary(report)


def test_a_test_file_is_scored_after_fitting_on_all_the_data(isolated_plugins):
    result = evaluate(TINY_LABELS, test_path=TINY_LABELS, extractors=["lexicon"])
    assert result["mode"] == "test"
    assert result["test"]["paragraphs"] == 36
    assert result["targets"]["csto"]["model"]["macro_f1"] > 0.5


def test_stance_scores_count_per_label():
    scores = stance_scores(["favor", "none", "none", "against"], ["favor", "none", "favor", "none"])
    assert scores["labels"]["favor"] == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3), "support": 1}
    assert scores["labels"]["against"]["f1"] == 0.0
    assert scores["confusion"]["matrix"] == [[1, 0, 0], [0, 0, 1], [1, 0, 1]]


def test_tag_macro_f1_averages_over_tags_that_occur():
    scores = tag_scores([["denial"], ["denial", "doubt"], []], [["denial"], [], ["doubt"]])
    assert scores["tags"]["denial"]["f1"] == pytest.approx(2 / 3)
    assert scores["tags"]["doubt"]["f1"] == 0.0
    assert scores["macro_f1"] == pytest.approx(1 / 3)
    assert scores["micro_f1"] == pytest.approx(2 * 1 / (2 + 3))


def test_span_score_counts_partial_overlaps_of_the_same_tag():
    record = Record(
        id="x-01", doc="x", text="Nothing of the kind, he said: these fears are baseless.", boilerplate=False,
        csto="favor", west="none", rhetoric=("denial",),
        evidence={"denial": ["Nothing of the kind", "these fears are baseless"]},
    )
    predicted = ParagraphPrediction(
        stances={},
        rhetoric=(
            TagResult("denial", 0.9, (Span(8, 19, "of the kind"), Span(30, 35, "these"), Span(21, 23, "he"))),
            TagResult("doubt", 0.7, (Span(0, 7, "Nothing"),)),
        ),
    )
    scores = span_scores([record], [predicted])
    assert (scores["predicted"], scores["gold"]) == (4, 2)
    assert scores["precision"] == pytest.approx(2 / 4)
    assert scores["recall"] == 1.0
