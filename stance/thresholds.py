"""The rhetoric tags' decision thresholds, chosen together for micro-F1.

Tags are scored by micro-F1 over all (paragraph, tag) decisions, and a
threshold that is best for one tag's own F1 is not best for that: a weak tag's
own F1 gains from predictions whose precision is as low as half that F1, while
micro-F1 loses from any prediction less precise than half the micro-F1 of all
the others. So each tag's threshold is chosen on the out-of-fold scores of
the training paragraphs, in turn, to maximise micro-F1 given the others' (a
coordinate ascent from each tag's own best), until no threshold changes. A
tag may end up predicted only above every out-of-fold score it had.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

DEFAULT_THRESHOLD = 0.5
"""The threshold of a tag with no positive out-of-fold paragraph."""

MAX_ROUNDS = 20
"""Passes over the tags at most; the ascent stops earlier when a pass changes nothing."""


@dataclass(frozen=True)
class _Cutoffs:
    """One tag's possible decisions: for each cutoff, its threshold (midway
    between the last score kept and the next), the paragraphs it keeps and
    how many of them truly have the tag. Cutoff 0 keeps none."""

    thresholds: np.ndarray
    kept: np.ndarray
    hits: np.ndarray
    positives: int


def choose_thresholds(truths: Mapping[str, np.ndarray], scores: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Per tag, the threshold on ``scores[tag]`` (out-of-fold calibrated scores)
    that together maximise micro-F1 against ``truths[tag]`` (booleans)."""
    cutoffs = {tag: _cutoffs(truths[tag], scores[tag]) for tag in truths}
    usable = [tag for tag, options in cutoffs.items() if options.positives > 0]
    positives = sum(cutoffs[tag].positives for tag in usable)
    chosen = {tag: int(np.argmax(_f1(cutoffs[tag].hits, cutoffs[tag].kept, cutoffs[tag].positives))) for tag in usable}
    for _ in range(MAX_ROUNDS):
        changed = False
        for tag in usable:
            options = cutoffs[tag]
            others_hits = sum(int(cutoffs[t].hits[chosen[t]]) for t in usable if t != tag)
            others_kept = sum(int(cutoffs[t].kept[chosen[t]]) for t in usable if t != tag)
            micro = _f1(others_hits + options.hits, others_kept + options.kept, positives)
            best = int(np.argmax(micro))
            if micro[best] > micro[chosen[tag]]:
                chosen[tag], changed = best, True
        if not changed:
            break
    return {
        tag: float(cutoffs[tag].thresholds[chosen[tag]]) if tag in chosen else DEFAULT_THRESHOLD for tag in truths
    }


def _cutoffs(truth: np.ndarray, scores: np.ndarray) -> _Cutoffs:
    truth = np.asarray(truth, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    ranked, ranked_truth = scores[order], truth[order]
    if not len(ranked):
        return _Cutoffs(np.array([DEFAULT_THRESHOLD]), np.zeros(1, dtype=int), np.zeros(1, dtype=int), 0)
    ends = np.flatnonzero(np.r_[ranked[1:] != ranked[:-1], True])  # a cutoff never splits tied scores
    following = np.r_[ranked[1:], ranked[-1]][ends]
    thresholds = np.r_[(ranked[0] + 1.0) / 2, (ranked[ends] + following) / 2]  # the last: the lowest score
    kept = np.r_[0, ends + 1]
    hits = np.r_[0, np.cumsum(ranked_truth)[ends]]
    return _Cutoffs(thresholds, kept, hits, int(truth.sum()))


def _f1(hits, kept, positives) -> np.ndarray:
    """F1 = 2 TP / (predicted + actual), 0 where both are 0."""
    hits, kept = np.asarray(hits, dtype=float), np.asarray(kept, dtype=float)
    denominator = kept + positives
    return np.divide(2 * hits, denominator, out=np.zeros_like(denominator), where=denominator > 0)
