"""Which features pushed a decision, computed for a whole batch at once."""

from __future__ import annotations

import numpy as np
from scipy import sparse

RUNS = 8
"""Each row's stored entries are cut into up to this many runs; the k-th
largest of the runs' maxima bounds the row's k-th largest contribution from
below, so only the entries at or above it are sorted (a speed knob: any value
gives the same result)."""


def top_contributions(X, weights: np.ndarray, chosen: np.ndarray, k: int) -> tuple[list[int], list[int], list[float]]:
    """Per row of ``X``, up to ``k`` columns with the largest positive
    contribution ``X[row, column] * weights[chosen[row], column]``: by
    contribution, largest first, equal contributions in the matrix's stored order.

    ``weights`` has one row per class; ``chosen`` gives each row's class index.
    Returns ``(bounds, columns, contributions)``: row ``r``'s columns are
    ``columns[bounds[r]:bounds[r + 1]]``, with their contributions alongside.
    """
    if not sparse.isspmatrix_csr(X):
        X = sparse.csr_matrix(X)
    n_rows, n_columns = X.shape
    indptr = X.indptr
    lengths = np.diff(indptr)
    if k <= 0 or X.nnz == 0:
        return [0] * (n_rows + 1), [], []
    # every stored entry's contribution, through one flat gather of the weights
    flat = np.repeat(np.asarray(chosen, dtype=np.intp) * n_columns, lengths)
    flat += X.indices
    contributions = np.ascontiguousarray(weights, dtype=float).ravel().take(flat)
    contributions *= X.data
    kept = np.flatnonzero(contributions >= np.repeat(_lower_bounds(contributions, indptr, lengths, k), lengths))
    rows = np.searchsorted(indptr, kept, side="right") - 1
    values = contributions[kept]
    order = _by_row_then_largest(rows, values)
    rows, kept, values = rows[order], kept[order], values[order]
    first = np.searchsorted(rows, np.arange(n_rows + 1))
    keep = np.arange(len(rows)) - first[rows] < k
    rows, kept, values = rows[keep], kept[keep], values[keep]
    bounds = np.searchsorted(rows, np.arange(n_rows + 1)).tolist()
    return bounds, X.indices[kept].tolist(), values.tolist()


def _lower_bounds(contributions: np.ndarray, indptr: np.ndarray, lengths: np.ndarray, k: int) -> np.ndarray:
    """Per row, a positive value at or below its k-th largest positive
    contribution (the smallest positive float when it has fewer than k): the
    k-th largest of the maxima of ``max(RUNS, k)`` disjoint runs of its
    entries (one entry per run in shorter rows), since k distinct entries reach it."""
    n_rows = len(lengths)
    width = max(RUNS, k)
    runs = np.minimum(lengths, width)
    row_of_run = np.repeat(np.arange(n_rows), runs)
    position = np.arange(len(row_of_run)) - (np.cumsum(runs) - runs)[row_of_run]
    run_starts = indptr[:-1][row_of_run] + position * lengths[row_of_run] // runs[row_of_run]
    maxima = np.full((n_rows, width), -np.inf)
    maxima[row_of_run, position] = np.maximum.reduceat(contributions, run_starts)
    bound = np.partition(maxima, width - k, axis=1)[:, width - k]
    bound[~(bound > 0)] = np.nextafter(0.0, 1.0)  # fewer than k positive runs, or NaN: every positive entry
    return bound


def _by_row_then_largest(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The order of positive ``values`` by row, then value descending, equal
    values in their given order. Usually one stable sort of ``row - value /
    (2 * max)``: rounding never swaps two values but may merge different ones,
    which then stay in their given order; if that left a row's values rising
    anywhere (or the values are not finite), the slower two-key sort."""
    top = values.max(initial=0.0)
    if not np.isfinite(2 * top):
        return np.lexsort((-values, rows))
    order = np.argsort(rows - values / (2 * top), kind="stable")
    ranked, by_row = values[order], rows[order]
    if np.any((ranked[1:] > ranked[:-1]) & (by_row[1:] == by_row[:-1])):
        return np.lexsort((-values, rows))
    return order
