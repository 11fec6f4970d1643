"""The vocabulary columns of every word a character extractor has seen, as
the rows of one sparse matrix that only grows.

A batch's n-gram counts are then (documents x words seen) @ this matrix, with
no per-word arrays to gather: a word costs one dictionary look-up, a new
word one row appended from the arrays ``GramIndex.columns`` returns.
"""

from __future__ import annotations

import threading

import numpy as np
from scipy import sparse


class WordRows:
    """``row`` maps each word added to its row; ``matrix()`` is the rows
    added so far (a word's columns in the analyzer's order, repeats kept).
    ``add`` is called with ``lock`` held, one writer at a time. Readers need no
    lock: a row is written before its word appears in ``row``, and a buffer
    that fills up is replaced, never resized, so a matrix taken by one thread
    stays valid while another adds words. Index arrays are int32, as SciPy's
    product wants them (int64 ones would be copied whole on every product)."""

    def __init__(self, n_columns: int, dtype=np.float64):
        self.row: dict[str, int] = {}
        self.lock = threading.Lock()
        self._n_columns = n_columns
        self._dtype = dtype
        # (row pointers, column indices, ones as the data, rows added): one tuple, replaced at once
        self._state = (np.zeros(1024, dtype=np.int32), np.zeros(16384, dtype=np.int32), np.ones(16384, dtype=dtype), 0)

    def __len__(self) -> int:
        return len(self.row)

    def add(self, words: list[str], per_word: np.ndarray, columns: np.ndarray) -> None:
        """Append a row per word: the next ``per_word[i]`` of ``columns`` are word ``i``'s."""
        indptr, indices, ones, rows = self._state
        start, end, last = int(indptr[rows]), int(indptr[rows]) + len(columns), rows + len(words)
        if last + 1 > len(indptr):
            indptr = _grown(indptr, last + 1, rows + 1)
        if end > len(indices):
            indices = _grown(indices, end, start)
            ones = np.ones(len(indices), dtype=self._dtype)
        indptr[rows + 1 : last + 1] = np.cumsum(per_word) + start
        indices[start:end] = columns
        self._state = (indptr, indices, ones, last)
        self.row.update(zip(words, range(rows, last)))

    def matrix(self) -> sparse.csr_matrix:
        """The (rows added x vocabulary columns) matrix of n-gram counts."""
        indptr, indices, ones, rows = self._state
        end = int(indptr[rows])
        return sparse.csr_matrix((ones[:end], indices[:end], indptr[: rows + 1]), shape=(rows, self._n_columns))


def _grown(buffer: np.ndarray, needed: int, used: int) -> np.ndarray:
    """A new buffer of at least twice the size holding ``buffer[:used]``."""
    bigger = np.zeros(max(needed, 2 * len(buffer)), dtype=buffer.dtype)
    bigger[:used] = buffer[:used]
    return bigger
