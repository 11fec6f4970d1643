"""The Python API: load a model once, classify articles and paragraphs.

    from stance.api import Classifier

    clf = Classifier.load()                          # the default model, or a directory
    result = clf.classify_text(article_text, id="a1")    # -> ArticleResult
    result = clf.classify_paragraphs(["...", "..."])      # already split
    results = clf.classify_batch([("id1", text1), ("id2", text2)])
    for article in clf.stream(items):                     # (id, text) pairs, read lazily
        for paragraph in article: ...                     # as each model batch is done
        article.summary                                   # after its paragraphs

Every result is built by ``stream`` (``stance.streaming``); the ``classify_*``
methods collect it into whole ``ArticleResult``s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .default_model import MODEL_DIR_ENV, default_model_dir, ensure_default_model
from .errors import InputError
from .long_input import LongText
from .model import StanceModel
from .persistence import load_model
from .results import ArticleResult, ModelInfo
from .segment import Segment, segment
from .streaming import ArticleStream
from .streaming import articles as stream_articles

__all__ = ["Classifier", "MODEL_DIR_ENV", "default_model_dir", "ensure_default_model"]

BATCH_SIZE = 250
"""Content paragraphs per call to the model, shared across articles: spreads
the per-call cost over many small inputs and bounds the memory of one call
(a call's arrays and results grow with it: classifying 20,000 paragraphs of
one file peaked at 274 MB with 250, 285 MB with 500, 305 MB with 1,000, in
no more CPU time; ``bench/memory.py``)."""

_JOINER = "\n\n"


class Classifier:
    """A loaded model, ready to classify. Build it with ``Classifier.load``."""

    def __init__(self, model: StanceModel, card: dict):
        self._model = model
        self._card = card

    @classmethod
    def load(cls, model_dir: str | Path | None = None, *, plugins_dir: str | Path | None = None) -> Classifier:
        """Load the model in ``model_dir`` (default: ``default_model_dir()``).

        Raises ``ModelError`` for a missing or corrupt model or one built with
        another scikit-learn version, ``PluginError`` when an extractor's
        plugin is missing. For the default directory only, a missing model or
        one from another scikit-learn version is (re)built from the packaged
        training data, with stage messages on stderr (see ``stance.default_model``).
        """
        if model_dir is None:
            model_dir = ensure_default_model(plugins_dir=plugins_dir)
        model, card = load_model(model_dir, plugins_dir=plugins_dir)
        return cls(model, card)

    @property
    def card(self) -> dict:
        """The model card."""
        return self._card

    @property
    def info(self) -> ModelInfo:
        """The model's name and version, as results report them."""
        return ModelInfo(name=self._card["name"], version=self._card["version"])

    def stream(
        self, items: Iterable[tuple[str | None, str | Sequence[str] | LongText]], *, evidence: bool = True,
        pre_split: bool = False,
    ) -> Iterator[ArticleStream]:
        """Classify ``(id, text)`` articles as they are read from ``items``, and
        give each one's paragraph results as soon as their model batch is done
        (``stance.streaming``): no more than a batch of results is held
        whatever the input's length, and small articles share model batches
        of up to ``BATCH_SIZE`` content paragraphs. With ``pre_split`` each
        item is ``(id, paragraphs)``, already split (as ``classify_paragraphs``).
        A text may also be a ``LongText`` (``stance.long_input.open_long_text``),
        a long file segmented as it is read, so that its text is not held either.
        Each ``ArticleStream`` is read once, in order; its summary follows its
        paragraphs."""

        def segmented():
            for item in items:
                if pre_split:
                    if not (isinstance(item, tuple | list) and len(item) == 2):
                        raise InputError("each item must be an (id, paragraphs) pair")
                    yield item[0], _given_paragraphs(item[1])
                elif isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[1], LongText):
                    yield item
                else:
                    yield _pair(item)[0], segment(item[1])

        return self._stream(segmented(), evidence=evidence)

    def classify_text(self, text: str, *, id: str | None = None, evidence: bool = True) -> ArticleResult:
        """Split ``text`` into paragraphs and classify the ones that are not
        boilerplate; without ``evidence``, stances carry none (a cheaper call)."""
        return self._results([(id, _segmented(text))], evidence=evidence)[0]

    def classify_paragraphs(
        self, paragraphs: Sequence[str], *, id: str | None = None, evidence: bool = True
    ) -> ArticleResult:
        """Classify paragraphs that are already split. Offsets refer to the
        paragraphs joined by blank lines; a blank paragraph is boilerplate."""
        return self._results([(id, _given_paragraphs(paragraphs))], evidence=evidence)[0]

    def classify_batch(
        self, items: Sequence[tuple[str | None, str]], *, evidence: bool = True
    ) -> list[ArticleResult]:
        """Classify several ``(id, text)`` articles, in order, in shared model batches."""
        articles = [(_pair(item)[0], segment(item[1])) for item in items]
        return self._results(articles, evidence=evidence)

    def features(self, paragraphs: Sequence[str]):
        """The model's own representation of ``paragraphs``: the matrix its
        extractors make (one row per paragraph, columns named in
        ``card["extractors"]`` order), as its classifiers see it. The labeling
        loop measures how alike paragraphs are in this space."""
        if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
            raise InputError("paragraphs must be a list of strings")
        return self._model.transform(list(paragraphs))

    def _stream(self, articles: Iterable[tuple[str | None, Sequence[Segment]]], *, evidence: bool) -> Iterator[ArticleStream]:
        def predict(texts: list[str]):
            return self._model.predict(texts, evidence=evidence)

        return stream_articles(predict, articles, self.info, batch_size=BATCH_SIZE)

    def _results(self, articles: list[tuple[str | None, list[Segment]]], *, evidence: bool) -> list[ArticleResult]:
        """Whole results, built from the same stream as ``stream``."""
        return [article.result() for article in self._stream(articles, evidence=evidence)]


def _segmented(text) -> list[Segment]:
    """``segment(text)``, or ``InputError`` when ``text`` is not a string."""
    if not isinstance(text, str):
        raise InputError(f"an article must be text (str), not {type(text).__name__}")
    return segment(text)


def _pair(item) -> tuple:
    """``item`` when it is an ``(id, text)`` pair, else ``InputError``."""
    if not (isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[1], str)):
        raise InputError("each batch item must be an (id, text) pair")
    return item


def _given_paragraphs(paragraphs) -> list[Segment]:
    """Segments for paragraphs already split: offsets in the paragraphs joined
    by blank lines; a blank paragraph is boilerplate."""
    if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
        raise InputError("paragraphs must be a list of strings")
    segments, start = [], 0
    for index, paragraph in enumerate(paragraphs):
        blank = not paragraph.strip()
        segments.append(Segment(index, paragraph, start, start + len(paragraph), blank, "empty" if blank else None))
        start += len(paragraph) + len(_JOINER)
    return segments
