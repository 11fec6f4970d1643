"""Choices made inside training: each head's regression strength per extractor
and the weights of the extractors' logits, chosen by grouped cross-validation
on the training paragraphs only; the exact fast fit that makes that affordable."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import sparse

from conftest import TINY_LABELS
from stance import evaluation
from stance.dataset import load_records
from stance.errors import DataError
from stance.fitting import content_records, fit_model, resolve_extractors
from stance.heads import fit_block, fit_path, fit_stacking
from stance.labels import RHETORIC_TAGS, TARGETS
from stance.model import StanceModel

RECORDS = content_records(load_records(TINY_LABELS))


def test_nested_selection_never_sees_the_outer_test_fold(isolated_plugins, monkeypatch):
    """Every text any extractor or regression is fitted on, while one outer fold
    is being predicted, comes from that fold's training paragraphs."""
    import stance.model as model_module


    fitted_on: list[set[str]] = []
    real_fit_features = model_module.fit_features

    def spy(union, texts, plugins):
        fitted_on[-1].update(texts)
        return real_fit_features(union, texts, plugins)

    real_predict_all = evaluation._predict_all

    def predict_all(train, test, specs):
        fitted_on.append(set())
        result = real_predict_all(train, test, specs)
        test_texts = {record.text for record in test}
        assert fitted_on[-1] and not fitted_on[-1] & test_texts
        assert fitted_on[-1] <= {record.text for record in train}
        return result

    monkeypatch.setattr(model_module, "fit_features", spy)
    monkeypatch.setattr(evaluation, "_predict_all", predict_all)
    evaluation.cross_validate(RECORDS, resolve_extractors(["word_tfidf", "lexicon"]), folds=3)
    assert len(fitted_on) == 3


def test_every_head_records_its_choice_from_the_grid(isolated_plugins):
    model = fit_model(RECORDS, resolve_extractors(["word_tfidf", "lexicon"]))
    heads = {**model.stance_heads_, **model.tag_heads_}
    assert set(model.settings()["heads"]) == set(heads) and set(TARGETS) <= set(heads)
    for name, choice in model.settings()["heads"].items():
        assert set(choice["C"]) == set(choice["weights"]) == {"word_tfidf", "lexicon"}
        assert all(C in model.C_grid for C in choice["C"].values())
        assert all(weight >= 0 for weight in choice["weights"].values()) and sum(choice["weights"].values()) > 0
    assert set(model.tag_heads_) <= set(RHETORIC_TAGS)


def test_the_choice_depends_on_the_training_paragraphs_only(isolated_plugins):
    specs = resolve_extractors(["word_tfidf", "lexicon"])
    first = fit_model(RECORDS, specs)
    second = fit_model(list(RECORDS), specs)
    assert first.settings() == second.settings()


def test_settings_rebuild_the_same_model_without_the_inner_cross_validation(isolated_plugins, monkeypatch):
    specs = resolve_extractors(["word_tfidf", "lexicon"])
    chosen = fit_model(RECORDS, specs)
    settings = json.loads(json.dumps(chosen.settings()))  # as the committed report keeps them

    def no_inner_cv(*args, **kwargs):
        raise AssertionError("the inner cross-validation ran although settings were given")

    monkeypatch.setattr(StanceModel, "_out_of_fold_logits", no_inner_cv)
    rebuilt = fit_model(RECORDS, specs, settings=settings)
    assert rebuilt.settings() == chosen.settings() and rebuilt.thresholds_ == chosen.thresholds_
    texts = [record.text for record in RECORDS]
    expected, got = chosen.head_stack_.predict_proba(chosen.transform(texts)), rebuilt.head_stack_.predict_proba(
        rebuilt.transform(texts))
    for name in expected:
        assert np.allclose(expected[name], got[name], atol=1e-9), name


def test_settings_for_other_extractors_or_heads_are_refused(isolated_plugins):
    settings = fit_model(RECORDS, resolve_extractors(["word_tfidf", "lexicon"])).settings()
    with pytest.raises(DataError, match="other extractors"):
        fit_model(RECORDS, resolve_extractors(["lexicon", "word_tfidf"]), settings=settings)
    fewer = {**settings, "heads": {name: head for name, head in settings["heads"].items() if name != "west"}}
    with pytest.raises(DataError, match="other classifiers"):
        fit_model(RECORDS, resolve_extractors(["word_tfidf", "lexicon"]), settings=fewer)


@pytest.mark.parametrize("classes", [2, 3])
def test_the_warm_started_path_gives_the_separate_fits(classes):
    rng = np.random.default_rng(0)
    X = sparse.random(60, 300, density=0.05, random_state=1, format="csr")
    y = rng.integers(0, classes, 60)
    Cs = (0.25, 4.0, 1.0)
    for (coef, intercept), C in zip(fit_path(X, y, Cs, random_state=0), Cs):
        alone = fit_block(X, y, C=C, random_state=0)
        assert coef.shape == alone[0].shape
        # the same optimum, to the solver's tolerance (its gradient, not its logits, is within 1e-4)
        assert np.allclose(X @ coef.T + intercept, X @ alone[0].T + alone[1], atol=0.1)


def test_fitting_never_builds_a_rows_by_rows_matrix():
    """With more rows than a few thousand, an n x n matrix (a Gram matrix, or a
    basis of the rows' span) dwarfs the sparse data: the fit must not make one.
    NumPy reports its allocations to ``tracemalloc``."""
    import tracemalloc

    rows = 3000
    X = sparse.random(rows, 6000, density=0.003, random_state=2, format="csr")
    sums = np.asarray(X.sum(axis=1)).ravel()
    y = (sums > np.median(sums)).astype(int)
    tracemalloc.start()
    try:
        fit_path(X, y, (1.0, 4.0), random_state=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < rows * rows * 8 / 4


def test_folds_in_parallel_give_the_same_model(isolated_plugins, monkeypatch):
    specs = resolve_extractors(["word_tfidf", "lexicon"])
    monkeypatch.setenv("STANCE_JOBS", "1")
    alone = fit_model(RECORDS, specs)
    monkeypatch.setenv("STANCE_JOBS", "2")
    spread = fit_model(RECORDS, specs)
    assert alone.settings() == spread.settings()
    for name, head in {**alone.stance_heads_, **alone.tag_heads_}.items():
        other = {**spread.stance_heads_, **spread.tag_heads_}[name]
        assert np.allclose(head.model.coef_, other.model.coef_) and np.allclose(head.model.intercept_, other.model.intercept_)


def test_stacking_weighs_an_informative_block_above_noise():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, 300)
    informative = np.eye(3)[truth] * 2 + rng.normal(size=(300, 3))
    noise = rng.normal(size=(300, 3))
    weights, bias = fit_stacking([noise, informative], truth)
    assert weights[1] > 0.5 and weights[0] < 0.2 * weights[1]
    assert bias[0] == 0 and len(bias) == 3


def test_tag_spans_come_from_the_tags_own_cues(isolated_plugins):
    model = fit_model(RECORDS, resolve_extractors(["word_tfidf", "lexicon"]))
    texts = [record.text for record in RECORDS]
    lexicon = dict(model.union_.transformer_list)["lexicon"]
    for text, prediction in zip(texts, model.predict(texts)):
        matches = lexicon.match_spans(text)
        for tag in prediction.rhetoric:
            assert [(span.start, span.end) for span in tag.spans] == list(matches.get(tag.tag, []))
