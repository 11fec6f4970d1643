"""How sure a score is: percentile intervals from a bootstrap over documents.

Paragraphs of one article are not independent, so a replicate resamples whole
documents with replacement (the unit the cross-validation splits on too).
Every system is scored on the same replicates, so the interval of a
difference between two systems is paired. Each document's confusion counts
are computed once; a replicate's counts are a weighted sum of them, which
makes a thousand replicates cost milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

REPLICATES = 1000
LEVEL = 0.95
SEED = 0


def document_weights(groups: Sequence[str], replicates: int = REPLICATES, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """``(weights, document)``: how often each document is drawn in each
    replicate (``replicates`` x documents) and each paragraph's document index."""
    names, document = np.unique(np.asarray(groups), return_inverse=True)
    draws = np.random.default_rng(seed).integers(0, len(names), size=(replicates, len(names)))
    weights = np.zeros((replicates, len(names)))
    np.add.at(weights, (np.repeat(np.arange(replicates), len(names)), draws.ravel()), 1.0)
    return weights, document


def macro_f1_replicates(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str], weights, document) -> np.ndarray:
    """Macro-F1 over ``labels`` in each replicate."""
    index = {label: position for position, label in enumerate(labels)}
    size = len(labels)
    cells = np.array([index[t] * size + index[p] for t, p in zip(truth, predicted)], dtype=np.intp)
    per_document = np.zeros((weights.shape[1], size * size))
    np.add.at(per_document, (document, cells), 1.0)
    confusion = (weights @ per_document).reshape(-1, size, size)
    hits = np.diagonal(confusion, axis1=1, axis2=2)
    missed = confusion.sum(axis=2) - hits
    wrong = confusion.sum(axis=1) - hits
    return _f1(hits, wrong, missed).mean(axis=1)


def micro_f1_replicates(true_matrix: np.ndarray, predicted_matrix: np.ndarray, weights, document) -> np.ndarray:
    """Micro-F1 over all (paragraph, tag) decisions in each replicate."""
    counts = np.column_stack([
        (true_matrix & predicted_matrix).sum(axis=1),
        (~true_matrix & predicted_matrix).sum(axis=1),
        (true_matrix & ~predicted_matrix).sum(axis=1),
    ]).astype(float)
    per_document = np.zeros((weights.shape[1], 3))
    np.add.at(per_document, document, counts)
    hits, wrong, missed = (weights @ per_document).T
    return _f1(hits, wrong, missed)


def interval(values: np.ndarray, level: float = LEVEL) -> list[float]:
    """The central ``level`` percentile interval of ``values``, as ``[low, high]``."""
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return [float(low), float(high)]


def stance_intervals(
    truth: Sequence[str], systems: Mapping[str, Sequence[str]], labels: Sequence[str], groups: Sequence[str]
) -> dict:
    """Intervals of each system's macro-F1 and of ``model`` minus each other system."""
    weights, document = document_weights(groups)
    replicates = {name: macro_f1_replicates(truth, predicted, labels, weights, document) for name, predicted in systems.items()}
    return {
        "level": LEVEL,
        "replicates": REPLICATES,
        "macro_f1": {name: interval(values) for name, values in replicates.items()},
        "model_minus": {
            name: interval(replicates["model"] - values) for name, values in replicates.items() if name != "model"
        },
    }


def tag_interval(true_matrix: np.ndarray, predicted_matrix: np.ndarray, groups: Sequence[str]) -> dict:
    """The interval of micro-F1 over tags."""
    weights, document = document_weights(groups)
    values = micro_f1_replicates(true_matrix.astype(bool), predicted_matrix.astype(bool), weights, document)
    return {"level": LEVEL, "replicates": REPLICATES, "micro_f1": interval(values)}


def _f1(hits: np.ndarray, wrong: np.ndarray, missed: np.ndarray) -> np.ndarray:
    denominator = 2 * hits + wrong + missed
    return np.divide(2 * hits, denominator, out=np.zeros_like(hits), where=denominator > 0)
