"""The labeled training paragraphs most similar to a classified one: examples
behind each stance call that a reader can check, where embedding dimensions
would say nothing.

Similarity is the cosine between unit-length embeddings when the model has an
extractor that embeds (one with an ``embed(texts)`` method, like the
``encoder``), otherwise between the model's readable feature rows. The model
stores, per training paragraph, its vector (``float16`` embeddings, or sparse
``float32`` features), its id, its label per target, and its first words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse

from .results import Example, new_examples

OPENING_WORDS = 12
"""Words of a training paragraph's opening kept in the model and shown."""


def opening(text: str, words: int = OPENING_WORDS) -> str:
    """The first ``words`` words of ``text``, with an ellipsis when there are more."""
    split = text.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


class TrainingExamples:
    """Training paragraphs to compare new ones with. ``embedder`` is the
    position of the extractor whose ``embed`` gives the vectors (None: the
    feature rows restricted to ``columns`` are used)."""

    def __init__(self, ids: Sequence[str], labels: Mapping[str, Sequence[str]], openings: Sequence[str],
                 vectors, embedder: int | None, columns: np.ndarray | None):
        self.ids = list(ids)
        self.openings = list(openings)
        self.vocabulary = {target: sorted(set(values)) for target, values in labels.items()}
        self.labels = {
            target: np.searchsorted(self.vocabulary[target], np.asarray(values)).astype(np.int8)
            for target, values in labels.items()
        }
        # sparse rows are kept as plain arrays (data, indices, indptr, shape): the model's
        # safe format (skops) loads NumPy arrays, not SciPy matrix objects
        self.vectors = vectors if embedder is not None else (
            vectors.data, vectors.indices, vectors.indptr, tuple(int(n) for n in vectors.shape))
        self.embedder = embedder
        self.columns = columns

    @classmethod
    def build(cls, extractors: Sequence[object], texts: Sequence[str], X, ids: Sequence[str],
              labels: Mapping[str, Sequence[str]], readable: np.ndarray) -> TrainingExamples:
        """The examples of training ``texts`` (feature matrix ``X``, record ``ids``,
        labels per target) for a model whose fitted ``extractors`` are given in
        union order; ``readable`` marks the feature columns a reader can interpret."""
        embedder = next((position for position, extractor in enumerate(extractors)
                         if callable(getattr(extractor, "embed", None))), None)
        if embedder is not None:
            vectors, columns = np.asarray(extractors[embedder].embed(list(texts)), dtype=np.float16), None
        else:
            columns = np.flatnonzero(readable)
            vectors = _unit_rows(sparse.csr_matrix(X)[:, columns]).astype(np.float32)
        return cls(ids, labels, [opening(text) for text in texts], vectors, embedder, columns)

    def queries(self, extractors: Sequence[object], texts: Sequence[str], X):
        """The vectors of new paragraphs to compare with the stored ones."""
        if self.embedder is not None:
            return np.asarray(extractors[self.embedder].embed(list(texts)), dtype=np.float32)
        return _unit_rows(_select_columns(sparse.csr_matrix(X), self.columns)).astype(np.float32)

    def similarities(self, queries) -> np.ndarray:
        """Cosine similarity of each query (row) to each training paragraph (column)."""
        if self.embedder is not None:
            return queries @ self.vectors.astype(np.float32).T
        by_feature = self.__dict__.get("_by_feature")
        if by_feature is None:  # the stored rows transposed once (CSR of features x paragraphs), not per call
            data, indices, indptr, shape = self.vectors
            by_feature = self._by_feature = sparse.csr_matrix((data, indices, indptr), shape=shape).T.tocsr()
        return np.asarray((queries @ by_feature).todense())

    def __getstate__(self) -> dict:
        """The stored examples without the transposed copy ``similarities`` makes."""
        state = self.__dict__.copy()
        state.pop("_by_feature", None)
        return state

    def nearest(self, similarity: np.ndarray, target: str, chosen: Sequence[str], k: int) -> list[tuple[Example, ...]]:
        """Per row of ``similarity``, the ``k`` most similar training paragraphs
        whose label on ``target`` is the row's ``chosen`` label, most similar first."""
        if k <= 0 or not len(self.ids):
            return [()] * len(chosen)
        vocabulary = self.vocabulary[target]
        wanted = np.array([vocabulary.index(label) if label in vocabulary else -1 for label in chosen])
        masked = np.where(self.labels[target][None, :] == wanted[:, None], similarity, -np.inf)
        k = min(k, masked.shape[1])
        top = np.argpartition(-masked, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(masked, top, axis=1)
        order = np.argsort(-values, axis=1, kind="stable")
        top, values = np.take_along_axis(top, order, axis=1), np.take_along_axis(values, order, axis=1)
        found = []
        for row_top, row_values, label in zip(top.tolist(), values.tolist(), chosen):
            kept = [(index, value) for index, value in zip(row_top, row_values) if value > -np.inf]
            found.append(new_examples(
                [self.ids[index] for index, _ in kept], [label] * len(kept),
                [round(float(value), 4) for _, value in kept], [self.openings[index] for index, _ in kept],
            ))
        return found


def _select_columns(matrix: sparse.csr_matrix, columns: np.ndarray) -> sparse.csr_matrix:
    """``matrix[:, columns]`` for sorted, distinct ``columns``, in time linear in
    the matrix's non-zero entries (SciPy's column indexing sorts the column list
    on every call: most of a one-paragraph request's time)."""
    keep = np.isin(matrix.indices, columns)
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[keep]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=matrix.shape[0]))])
    indices = np.searchsorted(columns, matrix.indices[keep])
    return sparse.csr_matrix((matrix.data[keep], indices, indptr), shape=(matrix.shape[0], len(columns)))


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """``matrix`` with each non-zero row scaled to unit length."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(rows, weights=matrix.data.astype(np.float64) ** 2, minlength=matrix.shape[0]))
    scaled = matrix.copy()
    scaled.data = matrix.data / np.where(norms > 0, norms, 1.0)[rows]
    return scaled
