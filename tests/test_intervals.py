"""Bootstrap intervals over documents: they agree with the plain scores, are
paired between systems, and widen with fewer documents."""

import numpy as np
import pytest

from stance.evaluation import stance_scores, tag_scores
from stance.intervals import (
    document_weights,
    interval,
    macro_f1_replicates,
    micro_f1_replicates,
    stance_intervals,
    tag_interval,
)
from stance.labels import STANCE_LABELS
from stance.model import tags_to_matrix

RNG = np.random.default_rng(7)
LABELS = list(STANCE_LABELS)


def sample(paragraphs: int, documents: int):
    truth = RNG.choice(LABELS, size=paragraphs, p=[0.2, 0.2, 0.6]).tolist()
    noisy = [label if RNG.random() < 0.7 else str(RNG.choice(LABELS)) for label in truth]
    groups = [f"d{i % documents}" for i in range(paragraphs)]
    return truth, noisy, groups


def test_a_replicate_drawing_every_document_once_gives_the_plain_macro_f1():
    truth, predicted, groups = sample(300, 30)
    _, document = document_weights(groups)
    ones = np.ones((1, 30))
    assert np.isclose(macro_f1_replicates(truth, predicted, LABELS, ones, document)[0], stance_scores(truth, predicted)["macro_f1"])


def test_a_replicate_drawing_every_document_once_gives_the_plain_micro_f1():
    tags = ["doubt", "denial", "name_calling"]
    truth = [[t for t in tags if RNG.random() < 0.3] for _ in range(200)]
    predicted = [[t for t in tags if RNG.random() < 0.3] for _ in range(200)]
    groups = [f"d{i % 20}" for i in range(200)]
    _, document = document_weights(groups)
    value = micro_f1_replicates(tags_to_matrix(truth), tags_to_matrix(predicted), np.ones((1, 20)), document)[0]
    assert np.isclose(value, tag_scores(truth, predicted)["micro_f1"])


def test_the_interval_holds_the_score_and_the_gain_over_itself_is_zero():
    truth, predicted, groups = sample(400, 40)
    result = stance_intervals(truth, {"model": predicted, "copy": predicted}, LABELS, groups)
    low, high = result["macro_f1"]["model"]
    assert low <= stance_scores(truth, predicted)["macro_f1"] <= high
    assert result["model_minus"]["copy"] == [0.0, 0.0]


def test_errors_clustered_in_documents_give_a_wider_interval():
    truth = RNG.choice(LABELS, size=400, p=[0.3, 0.3, 0.4]).tolist()
    wrong = {"favor": "against", "against": "none", "none": "favor"}
    # the model fails on whole documents: the first 4 of 10, 40 paragraphs each
    predicted = [wrong[label] if i < 160 else label for i, label in enumerate(truth)]
    clustered = stance_intervals(truth, {"model": predicted}, LABELS, [f"d{i // 40}" for i in range(400)])
    spread = stance_intervals(truth, {"model": predicted}, LABELS, [f"d{i}" for i in range(400)])
    width = lambda result: result["macro_f1"]["model"][1] - result["macro_f1"]["model"][0]  # noqa: E731
    assert width(clustered) > 2 * width(spread)


def test_intervals_are_reproducible():
    truth, predicted, groups = sample(100, 10)
    assert stance_intervals(truth, {"model": predicted}, LABELS, groups) == stance_intervals(
        truth, {"model": predicted}, LABELS, groups
    )
    assert tag_interval(tags_to_matrix([["doubt"]] * 10), tags_to_matrix([["doubt"]] * 10), groups[:10])["micro_f1"] == [1.0, 1.0]


def test_interval_is_the_central_percentiles():
    assert interval(np.arange(101.0), level=0.9) == pytest.approx([5.0, 95.0])
