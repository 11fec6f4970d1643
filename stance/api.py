"""The Python API: load a model once, classify articles and paragraphs.

    from stance.api import Classifier

    clf = Classifier.load()                          # the default model, or a directory
    result = clf.classify_text(article_text, id="a1")    # -> ArticleResult
    result = clf.classify_paragraphs(["...", "..."])      # already split
    results = clf.classify_batch([("id1", text1), ("id2", text2)])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from .deadline import check_deadline
from .default_model import MODEL_DIR_ENV, default_model_dir, ensure_default_model
from .errors import InputError
from .language import detect_languages, is_supported
from .model import StanceModel
from .persistence import load_model
from .results import ArticleResult, ModelInfo, ParagraphResult
from .segment import Segment, segment
from .article_summary import summarize

__all__ = ["Classifier", "MODEL_DIR_ENV", "default_model_dir", "ensure_default_model"]

PART_SIZE = 5000
"""Paragraphs per part of ``classify_text_in_parts``."""
BATCH_SIZE = 1000
"""Paragraphs per call to the model: bounds memory on very long inputs."""

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

    def classify_text(self, text: str, *, id: str | None = None, evidence: bool = True) -> ArticleResult:
        """Split ``text`` into paragraphs and classify the ones that are not
        boilerplate; without ``evidence``, stances carry none (a cheaper call)."""
        if not isinstance(text, str):
            raise InputError(f"an article must be text (str), not {type(text).__name__}")
        return self._classify([(id, segment(text))], evidence=evidence)[0]

    def classify_text_in_parts(self, text: str, *, id: str | None = None, evidence: bool = True,
                               part_size: int | None = None) -> Iterator[ArticleResult]:
        """Like ``classify_text``, as consecutive parts of at most ``part_size``
        paragraphs: each an ``ArticleResult`` with the article's ``id``, its
        paragraphs (indices and offsets in the whole article) and the summary of
        that part only (``part_size`` defaults to ``PART_SIZE``). Memory stays
        bounded by a part, whatever the article's length; paragraph-by-paragraph
        outputs (JSON Lines, CSV) are the same."""
        if not isinstance(text, str):
            raise InputError(f"an article must be text (str), not {type(text).__name__}")
        segments, part_size = segment(text), part_size or PART_SIZE
        for first in range(0, max(len(segments), 1), part_size):
            yield self._classify([(id, segments[first : first + part_size])], evidence=evidence)[0]

    def classify_paragraphs(
        self, paragraphs: Sequence[str], *, id: str | None = None, evidence: bool = True
    ) -> ArticleResult:
        """Classify paragraphs that are already split. Offsets refer to the
        paragraphs joined by blank lines; a blank paragraph is boilerplate."""
        if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
            raise InputError("paragraphs must be a list of strings")
        segments, start = [], 0
        for index, paragraph in enumerate(paragraphs):
            blank = not paragraph.strip()
            segments.append(Segment(index, paragraph, start, start + len(paragraph), blank, "empty" if blank else None))
            start += len(paragraph) + len(_JOINER)
        return self._classify([(id, segments)], evidence=evidence)[0]

    def classify_batch(
        self, items: Sequence[tuple[str | None, str]], *, evidence: bool = True
    ) -> list[ArticleResult]:
        """Classify several ``(id, text)`` articles, in order, in shared model batches."""
        articles = []
        for item in items:
            if not (isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[1], str)):
                raise InputError("each batch item must be an (id, text) pair")
            articles.append((item[0], segment(item[1])))
        return self._classify(articles, evidence=evidence)

    def features(self, paragraphs: Sequence[str]):
        """The model's own representation of ``paragraphs``: the matrix its
        extractors make (one row per paragraph, columns named in
        ``card["extractors"]`` order), as its classifiers see it. The labeling
        loop measures how alike paragraphs are in this space."""
        if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
            raise InputError("paragraphs must be a list of strings")
        return self._model.transform(list(paragraphs))

    def _classify(self, articles: list[tuple[str | None, list[Segment]]], *, evidence: bool = True) -> list[ArticleResult]:
        content = [seg.text for _, segments in articles for seg in segments if not seg.boilerplate]
        languages = detect_languages(content)
        known = [text for text, language in zip(content, languages) if is_supported(language)]
        predictions = []
        for first in range(0, len(known), BATCH_SIZE):
            check_deadline()
            predictions.extend(self._model.predict(known[first : first + BATCH_SIZE], evidence=evidence))
        predicted = iter(predictions)
        detected = iter(languages)
        results = []
        for article_id, segments in articles:
            paragraphs = []
            for seg in segments:
                language = None if seg.boilerplate else next(detected)
                unsupported = not is_supported(language)
                prediction = None if seg.boilerplate or unsupported else next(predicted)
                paragraphs.append(
                    ParagraphResult(
                        index=seg.index,
                        text=seg.text,
                        start=seg.start,
                        end=seg.end,
                        boilerplate=seg.boilerplate,
                        boilerplate_reason=seg.reason,
                        stances=prediction.stances if prediction else {},
                        rhetoric=prediction.rhetoric if prediction else (),
                        language=language,
                        unsupported_language=unsupported,
                    )
                )
            results.append(ArticleResult(article_id, tuple(paragraphs), summarize(paragraphs), self.info))
        return results
