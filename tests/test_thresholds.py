"""The tags' thresholds: chosen together for micro-F1, never splitting tied scores."""

import numpy as np

from stance.thresholds import DEFAULT_THRESHOLD, choose_thresholds


def micro_f1(truths, scores, thresholds):
    hits = kept = actual = 0
    for tag in truths:
        predicted = scores[tag] >= thresholds[tag]
        hits += int((predicted & truths[tag]).sum())
        kept += int(predicted.sum())
        actual += int(truths[tag].sum())
    return 2 * hits / (kept + actual)


def test_one_tag_gets_its_own_best_f1_threshold_midway_between_scores():
    truth = np.array([True, True, False, True, False, False])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.1])
    threshold = choose_thresholds({"doubt": truth}, {"doubt": scores})["doubt"]
    assert threshold == (0.6 + 0.3) / 2  # keeps the four top scores: F1 6/7


def test_a_weak_tag_is_held_back_when_it_costs_micro_f1():
    rng = np.random.default_rng(3)
    strong_truth = rng.random(400) < 0.3
    strong = np.where(strong_truth, rng.uniform(0.5, 1.0, 400), rng.uniform(0.0, 0.6, 400))
    weak_truth = rng.random(400) < 0.05
    weak = rng.uniform(0.0, 1.0, 400)  # scores that know nothing
    truths, scores = {"denial": strong_truth, "doubt": weak_truth}, {"denial": strong, "doubt": weak}
    joint = choose_thresholds(truths, scores)
    alone = {tag: choose_thresholds({tag: truths[tag]}, {tag: scores[tag]})[tag] for tag in truths}
    assert joint["doubt"] > alone["doubt"]
    assert micro_f1(truths, scores, joint) > micro_f1(truths, scores, alone)


def test_no_threshold_splits_tied_scores():
    truth = np.array([True, False, True, False])
    scores = np.array([0.8, 0.5, 0.5, 0.2])
    threshold = choose_thresholds({"denial": truth}, {"denial": scores})["denial"]
    kept = scores >= threshold
    assert kept[1] == kept[2]


def test_a_tag_without_positives_gets_the_default():
    thresholds = choose_thresholds({"denial": np.zeros(5, bool)}, {"denial": np.linspace(0, 1, 5)})
    assert thresholds == {"denial": DEFAULT_THRESHOLD}
