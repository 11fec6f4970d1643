"""Which features pushed a decision, computed for a whole batch at once."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def top_contributions(X, weights: np.ndarray, chosen: np.ndarray, k: int) -> tuple[list[int], list[int], list[float]]:
    """Per row of ``X``, up to ``k`` columns with the largest positive
    contribution ``X[row, column] * weights[chosen[row], column]``, largest first.

    ``weights`` has one row per class; ``chosen`` gives each row's class index.
    Returns ``(bounds, columns, contributions)``: row ``r``'s columns are
    ``columns[bounds[r]:bounds[r + 1]]``, with their contributions alongside.
    """
    X = sparse.csr_matrix(X)
    n_rows = X.shape[0]
    rows = np.repeat(np.arange(n_rows), np.diff(X.indptr))
    contributions = X.data * weights[chosen[rows], X.indices]
    positive = contributions > 0
    rows, columns, contributions = rows[positive], X.indices[positive], contributions[positive]
    # Only a row's entries at or above its mean can be among its top k, unless
    # fewer than k are: then all of that row's entries stay. Fewer entries to sort.
    counts = np.bincount(rows, minlength=n_rows)
    means = np.bincount(rows, weights=contributions, minlength=n_rows) / np.maximum(counts, 1)
    above = contributions >= means[rows]
    short = np.bincount(rows[above], minlength=n_rows) < k
    candidate = above | short[rows]
    rows, columns, contributions = rows[candidate], columns[candidate], contributions[candidate]
    if len(contributions):
        # one sort: by row, then by contribution, largest first (the fraction stays below 0.5)
        order = np.argsort(rows - contributions / (2 * contributions.max()), kind="stable")
        rows, columns, contributions = rows[order], columns[order], contributions[order]
    first = np.searchsorted(rows, np.arange(n_rows + 1))
    keep = np.arange(len(rows)) - first[rows] < k
    rows, columns, contributions = rows[keep], columns[keep], contributions[keep]
    bounds = np.searchsorted(rows, np.arange(n_rows + 1)).tolist()
    return bounds, columns.tolist(), contributions.tolist()
