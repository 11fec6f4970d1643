"""Choices made inside training: each head's regression strength per extractor
and the weights of the extractors' logits, chosen by grouped cross-validation
on the training paragraphs only; the exact fast fit that makes that affordable."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from conftest import TINY_LABELS
from stance import evaluation
from stance.dataset import load_records
from stance.fitting import content_records, fit_model, resolve_extractors
from stance.heads import RowBasis, fit_block, fit_stacking
from stance.labels import RHETORIC_TAGS, TARGETS

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
    assert set(model.selection_) == set(heads) and set(TARGETS) <= set(heads)
    for name, choice in model.selection_.items():
        assert set(choice["C"]) == set(choice["weights"]) == {"word_tfidf", "lexicon"}
        assert all(C in model.C_grid for C in choice["C"].values())
        assert all(weight >= 0 for weight in choice["weights"].values()) and sum(choice["weights"].values()) > 0
    assert set(model.tag_heads_) <= set(RHETORIC_TAGS)


def test_the_choice_depends_on_the_training_paragraphs_only(isolated_plugins):
    specs = resolve_extractors(["word_tfidf", "lexicon"])
    first = fit_model(RECORDS, specs)
    second = fit_model(list(RECORDS), specs)
    assert first.selection_ == second.selection_


@pytest.mark.parametrize("classes", [2, 3])
def test_fitting_through_the_row_basis_is_the_same_model(classes):
    rng = np.random.default_rng(0)
    X = sparse.random(40, 300, density=0.05, random_state=1, format="csr")
    y = rng.integers(0, classes, 40)
    plain = fit_block(X, y, C=4.0, random_state=0)
    through = fit_block(X, y, C=4.0, random_state=0, basis=RowBasis(X))
    assert through[0].shape == plain[0].shape
    assert np.allclose(X @ plain[0].T + plain[1], X @ through[0].T + through[1], atol=1e-2)


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
