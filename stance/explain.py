"""Which features pushed a decision, computed for a whole batch at once."""

from __future__ import annotations

import numpy as np
from scipy import sparse

CHUNKS = 8
"""Each row's stored entries are cut into this many runs to bound its k-th
largest contribution from below cheaply (only a speed knob: any value gives
the same result)."""


def top_contributions(X, weights: np.ndarray, chosen: np.ndarray, k: int) -> tuple[list[int], list[int], list[float]]:
    """Per row of ``X``, up to ``k`` columns with the largest positive
    contribution ``X[row, column] * weights[chosen[row], column]``, largest first.

    ``weights`` has one row per class; ``chosen`` gives each row's class index.
    Returns ``(bounds, columns, contributions)``: row ``r``'s columns are
    ``columns[bounds[r]:bounds[r + 1]]``, with their contributions alongside.

    Ranking: by ``row - contribution / (2 * largest contribution)``, ties in
    the matrix's stored order, exactly as ``_reference_top_contributions``
    (the former implementation) ranks. Here only the entries at or above a
    per-row lower bound of the row's k-th largest contribution are ranked,
    which gives the same result unless two different contributions round to
    the same rank; then the reference ranks them.
    """
    X = sparse.csr_matrix(X)
    n_rows, n_columns = X.shape
    weights = np.ascontiguousarray(weights, dtype=float)
    indptr = X.indptr
    lengths = np.diff(indptr)
    if k <= 0 or X.nnz == 0:
        return _reference_top_contributions(X, weights, chosen, k)
    # every stored entry's contribution, through one flat gather of the weights
    flat = np.repeat(np.asarray(chosen, dtype=np.intp) * n_columns, lengths)
    flat += X.indices
    contributions = weights.ravel().take(flat)
    contributions *= X.data
    # A lower bound of each row's k-th largest contribution: the k-th largest of
    # the maxima of max(CHUNKS, k) disjoint runs of its entries (each run one
    # entry in shorter rows): k distinct entries reach it.
    chunks = max(CHUNKS, k)
    runs = np.minimum(lengths, chunks)
    row_of_run = np.repeat(np.arange(n_rows), runs)
    first_run = np.cumsum(runs) - runs
    position = np.arange(len(row_of_run)) - first_run[row_of_run]
    run_starts = indptr[:-1][row_of_run] + position * lengths[row_of_run] // runs[row_of_run]
    maxima = np.full((n_rows, chunks), -np.inf)
    maxima[row_of_run, position] = np.maximum.reduceat(contributions, run_starts)
    if not np.all(np.isfinite(maxima[row_of_run, position])):
        return _reference_top_contributions(X, weights, chosen, k)
    biggest = maxima.max()
    if biggest <= 0:
        return [0] * (n_rows + 1), [], []
    smallest = np.nextafter(0.0, 1.0)  # ">= smallest" is "> 0"
    bound = np.partition(maxima, chunks - k, axis=1)[:, chunks - k]
    bound[~(bound > 0)] = smallest  # fewer than k positive runs: keep every positive entry
    # with a margin below, so that nothing ranked as high as the bound is lost to rounding
    margin = biggest * (1e-9 + 8 * np.spacing(float(n_rows)))
    kept = np.flatnonzero(contributions >= np.repeat(np.maximum(bound - margin, smallest), lengths))
    rows = np.searchsorted(indptr, kept, side="right") - 1
    values = contributions[kept]
    rank = rows - values / (2 * biggest)
    order = np.argsort(rank, kind="stable")
    rows, kept, values, rank = rows[order], kept[order], values[order], rank[order]
    same = (rank[1:] == rank[:-1]) & (rows[1:] == rows[:-1])
    if np.any(values[1:][same] != values[:-1][same]):  # different contributions, same rank: let the reference decide
        return _reference_top_contributions(X, weights, chosen, k)
    first = np.searchsorted(rows, np.arange(n_rows + 1))
    keep = np.arange(len(rows)) - first[rows] < k
    rows, kept, values = rows[keep], kept[keep], values[keep]
    bounds = np.searchsorted(rows, np.arange(n_rows + 1)).tolist()
    return bounds, X.indices[kept].tolist(), values.tolist()


def _reference_top_contributions(X, weights: np.ndarray, chosen: np.ndarray, k: int):
    """``top_contributions`` as it was first written: every positive entry
    gets a contribution and those at or above their row's mean are sorted
    (slower, same result). Also the fallback for the rare inputs the fast path
    does not rank on its own."""
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
