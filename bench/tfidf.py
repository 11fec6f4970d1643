"""CPU time of the word and character TF-IDF extractors' transforms on text
their vocabulary was not fitted on, against scikit-learn's stock
``TfidfVectorizer.transform`` on the same fitted extractor (issue 17).

The extractors (``word_tfidf()``, ``char_tfidf()``, as the fast profile has
them) are fitted, untimed, on the paragraphs of the documents
``throughput.py``'s model trains on; the input is the content paragraphs
(``stance.segment``, boilerplate set aside) of the documents it measures,
in batches of ``stance.api.BATCH_SIZE``, as ``stance`` calls its union. Every
measured pass runs on a fresh copy of the fitted extractor (a pickle round
trip, as a loaded model is: no word memory, no n-gram index), so every word is
new to it; a second pass on the same copy, every word known, is reported
too (a server's steady state). Stock and fast alternate for ``--rounds``
rounds, pinned to one CPU; medians of CPU time and of per-round ratios. The
matrices are checked equal before timing.
Run from the repository root: ``python bench/tfidf.py [--rounds 15] [--cpu N]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput  # noqa: E402  (the same documents, split the same way)

from stance.api import BATCH_SIZE  # noqa: E402
from stance.default_plugins.char_tfidf import char_tfidf  # noqa: E402
from stance.default_plugins.word_tfidf import word_tfidf  # noqa: E402
from stance.segment import segment  # noqa: E402


def training_paragraphs() -> list[str]:
    return [record["text"] for position, (doc, records) in enumerate(throughput.documents().items())
            if not throughput.held_out(doc, position) for record in records]


def unseen_paragraphs() -> list[str]:
    return [seg.text for _, text in throughput.articles() for seg in segment(text) if not seg.boilerplate]


def transform(vectorizer, texts: list[str], *, stock: bool) -> list:
    method = TfidfVectorizer.transform if stock else type(vectorizer).transform
    return [method(vectorizer, texts[first : first + BATCH_SIZE]) for first in range(0, len(texts), BATCH_SIZE)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--cpu", type=int, default=None, help="the CPU to pin to (default: the last one allowed)")
    args = parser.parse_args()
    os.sched_setaffinity(0, {args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))})
    train, texts = training_paragraphs(), unseen_paragraphs()
    print(f"{len(texts)} unseen paragraphs in batches of {BATCH_SIZE}; extractors fitted on {len(train)} paragraphs")
    for name, factory in (("word_tfidf", word_tfidf), ("char_tfidf", char_tfidf)):
        fitted = pickle.dumps(factory().fit(train))
        same = all(np.allclose(a.toarray(), b.toarray(), atol=1e-12) for a, b in
                   zip(transform(pickle.loads(fitted), texts, stock=True), transform(pickle.loads(fitted), texts, stock=False)))
        times: dict[str, list[float]] = {}
        for round_ in range(args.rounds):
            for stock in (True, False) if round_ % 2 else (False, True):
                side = "stock" if stock else "fast"
                vectorizer = pickle.loads(fitted)
                for label in ("new", "known"):
                    gc.collect()
                    start = time.process_time()
                    transform(vectorizer, texts, stock=stock)
                    times.setdefault((side, label), []).append(time.process_time() - start)
        print(f"{name}: same matrices as scikit-learn's: {same}")
        for label, words in (("new", "every word new (fresh copy)"), ("known", "every word known (second pass)")):
            stock_ms, fast_ms = (statistics.median(times[(side, label)]) * 1000 for side in ("stock", "fast"))
            ratio = statistics.median(s / f for s, f in zip(times[("stock", label)], times[("fast", label)]))
            print(f"  {words:31s} stock {stock_ms:6.1f} ms  fast {fast_ms:6.1f} ms  stock/fast {ratio:4.1f}x")


if __name__ == "__main__":
    main()
