"""The fitted model and the Python API over it, on the tiny labeled file."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS_DIR, TINY_LABELS
from stance.dataset import load_records
from stance.errors import InputError, PluginError
from stance.fitting import content_records, fit_model, resolve_extractors
from stance.labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from stance.model import MIN_TAG_EXAMPLES

RECORDS = content_records(load_records(TINY_LABELS))
TEXTS = [record.text for record in RECORDS]


def test_scores_are_calibrated_probabilities_and_the_label_is_the_top_one(tiny_classifier):
    result = tiny_classifier.classify_paragraphs(TEXTS)
    for paragraph in result.paragraphs:
        for target in TARGETS:
            stance = paragraph.stances[target]
            assert list(stance.scores) == list(STANCE_LABELS)
            assert sum(stance.scores.values()) == pytest.approx(1.0)
            assert all(0.0 <= score <= 1.0 for score in stance.scores.values())
            assert stance.label == max(stance.scores, key=stance.scores.get)


def test_training_twice_gives_identical_predictions(isolated_plugins):
    specs = resolve_extractors(["word_tfidf", "lexicon"])
    first, second = fit_model(RECORDS, specs).predict(TEXTS), fit_model(RECORDS, specs).predict(TEXTS)
    assert first == second


def test_evidence_names_features_by_extractor_and_pushes_toward_the_label(tiny_classifier):
    extractors = {entry["name"] for entry in tiny_classifier.card["extractors"]}
    evidence = [
        item
        for paragraph in tiny_classifier.classify_paragraphs(TEXTS).paragraphs
        for stance in paragraph.stances.values()
        for item in stance.evidence
    ]
    assert evidence
    for item in evidence:
        assert item.extractor in extractors
        assert item.feature.startswith(item.extractor + "__")
        assert item.weight > 0
    assert any(item.spans for item in evidence if item.extractor == "lexicon")


def test_spans_come_from_the_paragraph(tiny_classifier):
    for paragraph in tiny_classifier.classify_text((SEEDS_DIR / "004_b8deee86b5b6ffae.txt").read_text()).paragraphs:
        spans = [span for tag in paragraph.rhetoric for span in tag.spans]
        spans += [span for stance in paragraph.stances.values() for item in stance.evidence for span in item.spans]
        for span in spans:
            assert 0 <= span.start < span.end <= len(paragraph.text)
            assert paragraph.text[span.start : span.end] == span.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab CSTOEUnotfailure.,«»\"'?İ-ОДКБне провал")), max_size=60), max_size=4))
def test_random_paragraphs_get_valid_results(tiny_classifier, paragraphs):
    result = tiny_classifier.classify_paragraphs(paragraphs)
    assert len(result.paragraphs) == len(paragraphs)
    for paragraph in result.paragraphs:
        assert paragraph.boilerplate == (not paragraph.text.strip())
        for tag in paragraph.rhetoric:
            assert tag.tag in RHETORIC_TAGS
            for span in tag.spans:
                assert paragraph.text[span.start : span.end] == span.text and span.end > span.start


def test_tags_are_predicted_above_their_thresholds_only(tiny_classifier):
    thresholds = tiny_classifier.card["rhetoric"]["thresholds"]
    counts = tiny_classifier.card["training_data"]["examples"]["rhetoric"]
    for tag in RHETORIC_TAGS:
        assert (thresholds[tag] is None) == (counts[tag] < MIN_TAG_EXAMPLES)
    for paragraph in tiny_classifier.classify_paragraphs(TEXTS).paragraphs:
        for tag in paragraph.rhetoric:
            assert thresholds[tag.tag] is not None and tag.score >= thresholds[tag.tag]


def test_the_model_learns_the_tiny_set(tiny_classifier):
    result = tiny_classifier.classify_paragraphs(TEXTS)
    for target in TARGETS:
        predicted = [paragraph.stances[target].label for paragraph in result.paragraphs]
        truth = [record.label(target) for record in RECORDS]
        assert np.mean(np.array(predicted) == np.array(truth)) > 0.8
    denial = result.paragraphs[TEXTS.index(next(t for t in TEXTS if t.startswith("Nothing of the kind")))]
    assert [span.text for tag in denial.rhetoric if tag.tag == "denial" for span in tag.spans] == ["Nothing of the kind"]


def test_an_article_is_segmented_and_boilerplate_is_not_classified(tiny_classifier):
    text = (SEEDS_DIR / "002_b09274c8798c4211.txt").read_text(encoding="utf-8")
    result = tiny_classifier.classify_text(text, id="002")
    assert result.id == "002"
    assert result.model == tiny_classifier.info
    boilerplate = [p for p in result.paragraphs if p.boilerplate]
    assert boilerplate and all(p.stances == {} and p.rhetoric == () and p.boilerplate_reason for p in boilerplate)
    for p in result.paragraphs:
        assert text[p.start : p.end] == p.text
    summary = result.summary
    assert (summary.paragraphs, summary.boilerplate) == (len(result.paragraphs), len(boilerplate))
    for target in TARGETS:
        assert sum(summary.counts[target].values()) == summary.classified
        assert summary.overall[target] in STANCE_LABELS
    assert sum(summary.tags.values()) == sum(len(p.rhetoric) for p in result.paragraphs)
    assert result.to_dict()["paragraphs"][0]["index"] == 0


def test_paragraph_offsets_refer_to_the_paragraphs_joined_by_blank_lines(tiny_classifier):
    paragraphs = ["The CSTO failed Armenia.", "", "The EU mission is welcome."]
    result = tiny_classifier.classify_paragraphs(paragraphs)
    joined = "\n\n".join(paragraphs)
    assert [joined[p.start : p.end] for p in result.paragraphs] == paragraphs
    assert [p.boilerplate for p in result.paragraphs] == [False, True, False]
    assert result.summary.classified == 2


def test_a_batch_keeps_order_and_matches_single_classification(tiny_classifier):
    texts = [("a", TEXTS[0] + "\n\n" + TEXTS[5]), ("b", ""), ("c", TEXTS[12])]
    results = tiny_classifier.classify_batch(texts)
    assert [r.id for r in results] == ["a", "b", "c"]
    assert results[1].summary.paragraphs == 0 and results[1].summary.overall == {"csto": "none", "west": "none"}
    assert results[2].paragraphs == tiny_classifier.classify_text(TEXTS[12], id="c").paragraphs


@pytest.mark.parametrize("call", [lambda c: c.classify_text(b"bytes"), lambda c: c.classify_paragraphs("one string"),
                                  lambda c: c.classify_batch(["no id"])])
def test_bad_input_is_an_input_error(tiny_classifier, call):
    with pytest.raises(InputError):
        call(tiny_classifier)


def test_an_extractor_returning_wrong_rows_is_named(isolated_plugins, monkeypatch):
    from stance.default_plugins.lexicon import LexiconExtractor

    monkeypatch.setattr(LexiconExtractor, "transform", lambda self, texts: np.zeros((1, 3)))
    with pytest.raises(PluginError, match="extractor 'lexicon' of plugin 'stance.default_plugins.lexicon' returned 1 rows"):
        fit_model(RECORDS, resolve_extractors(["word_tfidf", "lexicon"]))


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(1, 15), st.floats(0.05, 1.0), st.integers(1, 6), st.integers(0, 10**6))
def test_evidence_is_exactly_the_top_k_positive_contributions(rows, columns, density, k, seed):
    from scipy import sparse

    from stance.explain import top_contributions

    rng = np.random.default_rng(seed)
    X = sparse.random(rows, columns, density=density, random_state=seed, format="csr")
    weights = rng.normal(size=(3, columns))
    chosen = rng.integers(0, 3, rows)
    bounds, features, contributions = top_contributions(X, weights, chosen, k)
    dense = X.toarray() * weights[chosen]
    for row in range(rows):
        expected = sorted((value for value in dense[row] if value > 0), reverse=True)[:k]
        got = contributions[bounds[row] : bounds[row + 1]]
        assert np.allclose(got, expected)
        assert np.allclose(dense[row, features[bounds[row] : bounds[row + 1]]], got)


def test_a_target_with_one_label_is_a_data_error(isolated_plugins):
    from dataclasses import replace

    from stance.errors import DataError

    records = [replace(record, west="none") for record in RECORDS]
    with pytest.raises(DataError, match="cannot train the 'west' classifier: every training paragraph has the label 'none'"):
        fit_model(records, resolve_extractors(["lexicon"]))


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 12), st.integers(1, 120), st.floats(0.05, 1.0), st.integers(0, 12), st.integers(0, 10**6),
       st.sampled_from(["plain", "ties", "signed", "ulps"]))
def test_top_contributions_ranks_by_contribution_then_stored_order(rows, columns, density, k, seed, kind):
    """Columns, contributions and order are those of sorting each row's positive
    contributions, largest first, equal ones in stored order: with exact ties,
    with contributions one ulp apart (which its fast sort key cannot tell
    apart), and in rows longer than its runs."""
    from scipy import sparse

    from stance.explain import top_contributions

    rng = np.random.default_rng(seed)
    X = sparse.random(rows, columns, density=density, random_state=seed, format="csr")
    weights = rng.normal(size=(3, columns))
    if kind == "ties":
        X.data = np.round(X.data * 3) / 3
        weights = np.round(weights * 2) / 2
    elif kind == "signed":
        X.data -= 0.4
    elif kind == "ulps":
        X.data = 1.0 + rng.integers(0, 3, X.nnz) * np.spacing(1.0)
        weights = np.ones((3, columns))
    chosen = rng.integers(0, 3, rows)
    bounds, features, contributions = [0], [], []
    for row in range(rows):
        stored = range(X.indptr[row], X.indptr[row + 1])
        entries = [(X.indices[i], X.data[i] * weights[chosen[row], X.indices[i]]) for i in stored]
        top = sorted((entry for entry in entries if entry[1] > 0), key=lambda entry: -entry[1])[:max(k, 0)]
        features += [int(column) for column, _ in top]
        contributions += [float(value) for _, value in top]
        bounds.append(len(features))
    assert top_contributions(X, weights, chosen, k) == (bounds, features, contributions)
