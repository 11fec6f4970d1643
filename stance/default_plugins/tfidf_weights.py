"""The TF-IDF matrix from token columns, as scikit-learn's ``TfidfVectorizer``
computes it, shared by the word and character extractors' fast transforms.

Written out rather than calling ``TfidfTransformer.transform`` and
``sklearn.preprocessing.normalize``: their input and parameter validation cost
about 0.3 ms per call, most of the extractors' time on a one-paragraph request."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

_LARGE = 10_000
"""Entries from which a row's sum of squares is cheaper by matrix-vector product than by np.bincount."""


def tfidf_matrix(vectorizer, indices, indptr) -> sparse.csr_matrix:
    """The rows' TF-IDF under the fitted ``vectorizer``: row ``i`` counts the
    vocabulary columns ``indices[indptr[i]:indptr[i + 1]]`` (repeats add up),
    then sublinear term frequency, IDF and norm as the vectorizer is set."""
    indices = np.asarray(indices, dtype=np.int32)
    indptr = np.asarray(indptr, dtype=np.int64)
    counts = sparse.csr_matrix(
        (np.ones(len(indices), dtype=vectorizer.dtype), indices, indptr),
        shape=(len(indptr) - 1, len(vectorizer.vocabulary_)),
    )
    counts.sum_duplicates()
    return weigh_counts(vectorizer, counts)


def weigh_counts(vectorizer, counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """``counts`` (CSR, one entry per column and row, modified in place) turned
    into TF-IDF: sublinear term frequency, IDF and norm as the vectorizer is set."""
    data = counts.data
    if vectorizer.sublinear_tf:
        np.log(data, data)
        data += 1
    if vectorizer.use_idf:
        data *= vectorizer.idf_[counts.indices]
    if vectorizer.norm == "l2":
        # each row's sum of squares, added in the row's order (as scikit-learn's normalize adds) by either
        # call: SciPy's matrix-vector product takes half the time of np.bincount with weights on a large
        # batch, but costs some 20 µs more to call (measured: even at 10,000 entries)
        lengths = np.diff(counts.indptr)
        if len(data) >= _LARGE:
            squares = sparse.csr_matrix((data * data, counts.indices, counts.indptr), shape=counts.shape)
            norms = np.sqrt(squares @ np.ones(counts.shape[1]))
        else:
            rows = np.repeat(np.arange(counts.shape[0]), lengths)
            norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0]))
        norms[norms == 0] = 1.0
        data /= np.repeat(norms, lengths)
    elif vectorizer.norm and counts.shape[0]:
        counts = normalize(counts, norm=vectorizer.norm, copy=False)
    return counts
