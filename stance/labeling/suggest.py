"""Choosing the paragraphs of a user's articles most worth labeling.

Every content paragraph of the pool is classified once. A paragraph's
*uncertainty* is the larger of its two targets' (``1 - margin`` between the
two best labels' scores, or the scores' entropy over ``log 3``): a paragraph
the model cannot decide on either target teaches it most. Three strategies:

- ``uncertainty``: the ``n`` most uncertain paragraphs;
- ``diverse``: k-means++ seeding over gradient embeddings built on the model's
  own feature space (as BADGE, see ``_gradient_seeding``), each paragraph's
  chance scaled by ``DOCUMENT_DECAY ** (picks already from its document)``, so
  that the picks are uncertain, unlike each other, and spread over documents;
- ``random``: ``n`` paragraphs drawn at random (the baseline to beat).

Paragraphs already labeled (same normalised text as a record of a labeled
file, see ``stance.dataset.text_hash``) and repeats within the pool are never
candidates. ``bench/labeling_loop.py`` measures the strategies against each other.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..dataset import load_records, text_hash
from ..errors import DataError
from ..labels import TARGETS
from ..results import ParagraphResult
from . import DEFAULT_STRATEGY, MEASURES, STRATEGIES
from .pool import PoolDocument

DOCUMENT_DECAY = 0.5
"""``diverse``: a paragraph's chance is multiplied by this for each pick already made from its document."""

MIN_WORDS = 4
"""Content paragraphs with fewer words are not worth a labeler's time (fragments, stray lines)."""


@dataclass(frozen=True)
class Candidate:
    """A content paragraph of the pool that may be suggested: its record id
    (``doc-NN``, ``NN`` its segment index), document, text, where it came from,
    and the model's result for it."""

    id: str
    doc: str
    text: str
    origin: str
    result: ParagraphResult

    @property
    def scores(self) -> dict[str, dict[str, float]]:
        """The model's scores per target and label."""
        return {target: self.result.stances[target].scores for target in TARGETS}


def labeled_hashes(paths: Iterable[str | Path]) -> set[str]:
    """The normalised-text hashes of every record in the labeled files ``paths``."""
    return {text_hash(record.text) for path in paths for record in load_records(path)}


def pool_candidates(classifier, documents: Sequence[PoolDocument], *, skip: set[str] = frozenset()) -> list[Candidate]:
    """The content paragraphs of ``documents``, classified by ``classifier``
    (a ``stance.api.Classifier``), except those whose text hash is in ``skip``,
    repeats of an earlier paragraph, fragments under ``MIN_WORDS`` words, and
    paragraphs in a language the model does not know."""
    results = classifier.classify_batch([(document.doc, document.text) for document in documents])
    seen = set(skip)
    found = []
    for document, result in zip(documents, results):
        for paragraph in result.paragraphs:
            key = text_hash(paragraph.text)
            unclassified = paragraph.boilerplate or not paragraph.stances  # or in a language the model does not know
            if unclassified or key in seen or len(paragraph.text.split()) < MIN_WORDS:
                continue
            seen.add(key)
            found.append(
                Candidate(f"{document.doc}-{paragraph.index:02d}", document.doc, paragraph.text, document.origin, paragraph)
            )
    return found


def uncertainty(scores: dict[str, dict[str, float]], measure: str = "margin") -> float:
    """How undecided the model is on the less certain of the targets, from 0 to 1."""
    values = []
    for target in TARGETS:
        probabilities = np.sort(np.asarray(list(scores[target].values()), dtype=float))[::-1]
        if measure == "margin":
            values.append(1.0 - (probabilities[0] - probabilities[1]))
        elif measure == "entropy":
            positive = probabilities[probabilities > 0]
            values.append(float(-(positive * np.log(positive)).sum() / math.log(len(probabilities))))
        else:
            raise DataError(f"unknown uncertainty measure '{measure}' (expected {', '.join(MEASURES)})")
    return float(max(values))


def select(
    candidates: Sequence[Candidate],
    n: int,
    *,
    strategy: str = DEFAULT_STRATEGY,
    features=None,
    measure: str = "margin",
    seed: int = 0,
) -> list[tuple[Candidate, float]]:
    """Up to ``n`` of ``candidates`` by ``strategy``, in the order picked, each
    with its uncertainty. ``features`` (``diverse`` only) holds one row per
    candidate: the model's own representation of it (``Classifier.features``)."""
    if strategy not in STRATEGIES:
        raise DataError(f"unknown strategy '{strategy}' (expected {', '.join(STRATEGIES)})")
    if n < 1:
        raise DataError("the number of paragraphs to suggest must be at least 1")
    values = np.array([uncertainty(candidate.scores, measure) for candidate in candidates])
    n = min(n, len(candidates))
    rng = np.random.default_rng(seed)
    if strategy == "random":
        order = rng.permutation(len(candidates))[:n]
    elif strategy == "uncertainty":
        order = np.lexsort((rng.random(len(candidates)), -values))[:n]
    else:
        if features is None or features.shape[0] != len(candidates):
            raise DataError("the diverse strategy needs one feature row per candidate")
        docs = [candidate.doc for candidate in candidates]
        order = _gradient_seeding([candidate.scores for candidate in candidates], features, docs, n, rng)
    return [(candidates[i], float(values[i])) for i in order]


def _gradient_seeding(scores, features, docs: Sequence[str], n: int, rng) -> list[int]:
    """k-means++ seeding over the paragraphs' gradient embeddings (as BADGE,
    Ash et al., 2020): for each target, the gradient of the loss of the model's
    own label with respect to a linear head's weights, ``(p - onehot(label)) x
    features`` (features scaled to unit length). Its length grows with the
    model's uncertainty and its direction with what the paragraph is about, so
    distances in that space reward both. The first pick has the longest
    gradient; each next one is drawn with probability proportional to its
    squared distance to the nearest pick, times ``DOCUMENT_DECAY`` per pick
    already made from its document.

    Distances come from dot products: ``g_i . g_j = sum over targets of
    (a_i . a_j) (x_i . x_j)``, so the embeddings are never built.
    """
    from sklearn.preprocessing import normalize

    X = normalize(features)
    residuals = []
    for target in TARGETS:
        probabilities = np.array([[paragraph[target][label] for label in sorted(paragraph[target])] for paragraph in scores])
        onehot = np.zeros_like(probabilities)
        onehot[np.arange(len(probabilities)), probabilities.argmax(axis=1)] = 1.0
        residuals.append(probabilities - onehot)
    norms = sum((a * a).sum(axis=1) for a in residuals)  # |g_i|^2, as |x_i| = 1
    nearest = np.full(len(norms), np.inf)
    decay = np.ones(len(norms))
    per_doc: Counter[str] = Counter()
    available = np.ones(len(norms), dtype=bool)
    picked: list[int] = []
    for _ in range(n):
        if not picked:
            choice = int(np.argmax(norms))
        else:
            weights = np.where(available, np.clip(nearest, 0.0, None) * decay, 0.0)
            total = weights.sum()
            choice = int(rng.choice(len(norms), p=weights / total)) if total > 1e-12 else int(np.flatnonzero(available)[0])
        picked.append(choice)
        available[choice] = False
        similarity = np.asarray(X @ X[choice].T.toarray() if hasattr(X, "tocsr") else X @ X[choice]).ravel()
        dot = sum((a @ a[choice]) for a in residuals) * similarity
        nearest = np.minimum(nearest, norms + norms[choice] - 2 * dot)
        per_doc[docs[choice]] += 1
        decay[[i for i, doc in enumerate(docs) if doc == docs[choice]]] = DOCUMENT_DECAY ** per_doc[docs[choice]]
    return picked
