"""The Python API: load a model once, classify articles and paragraphs.

    from stance.api import Classifier

    clf = Classifier.load()                          # models/default, or a directory
    result = clf.classify_text(article_text, id="a1")    # -> ArticleResult
    result = clf.classify_paragraphs(["...", "..."])      # already split
    results = clf.classify_batch([("id1", text1), ("id2", text2)])
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError, ModelError
from .model import StanceModel
from .persistence import CARD_JSON, load_model, read_card, version_problem
from .results import ArticleResult, ModelInfo, ParagraphResult
from .segment import Segment, segment
from .article_summary import summarize

ROOT = Path(__file__).resolve().parent.parent
"""The repository root when running from a checkout."""

MODEL_DIR_ENV = "STANCE_MODEL_DIR"
DEFAULT_TRAINING_DATA = ROOT / "seeds" / "labels.jsonl"
DEFAULT_HELDOUT_DATA = ROOT / "heldout" / "labels.jsonl"
"""Whole articles the default model never trains on; its card reports its scores on them."""
BATCH_SIZE = 1000
"""Paragraphs per call to the model: bounds memory on very long inputs."""

_JOINER = "\n\n"


def default_model_dir() -> Path:
    """``$STANCE_MODEL_DIR`` if set, else ``models/default`` at the repository root."""
    configured = os.environ.get(MODEL_DIR_ENV)
    return Path(configured) if configured else ROOT / "models" / "default"


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
        one from another scikit-learn version is (re)trained from
        ``seeds/labels.jsonl``, with a note on stderr.
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

    def classify_text(self, text: str, *, id: str | None = None) -> ArticleResult:
        """Split ``text`` into paragraphs and classify the ones that are not boilerplate."""
        if not isinstance(text, str):
            raise InputError(f"an article must be text (str), not {type(text).__name__}")
        return self._classify([(id, segment(text))])[0]

    def classify_paragraphs(self, paragraphs: Sequence[str], *, id: str | None = None) -> ArticleResult:
        """Classify paragraphs that are already split. Offsets refer to the
        paragraphs joined by blank lines; a blank paragraph is boilerplate."""
        if isinstance(paragraphs, str) or not all(isinstance(p, str) for p in paragraphs):
            raise InputError("paragraphs must be a list of strings")
        segments, start = [], 0
        for index, paragraph in enumerate(paragraphs):
            blank = not paragraph.strip()
            segments.append(Segment(index, paragraph, start, start + len(paragraph), blank, "empty" if blank else None))
            start += len(paragraph) + len(_JOINER)
        return self._classify([(id, segments)])[0]

    def classify_batch(self, items: Sequence[tuple[str | None, str]]) -> list[ArticleResult]:
        """Classify several ``(id, text)`` articles, in order, in shared model batches."""
        articles = []
        for item in items:
            if not (isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[1], str)):
                raise InputError("each batch item must be an (id, text) pair")
            articles.append((item[0], segment(item[1])))
        return self._classify(articles)

    def _classify(self, articles: list[tuple[str | None, list[Segment]]]) -> list[ArticleResult]:
        content = [seg.text for _, segments in articles for seg in segments if not seg.boilerplate]
        predictions = []
        for first in range(0, len(content), BATCH_SIZE):
            predictions.extend(self._model.predict(content[first : first + BATCH_SIZE]))
        predicted = iter(predictions)
        results = []
        for article_id, segments in articles:
            paragraphs = []
            for seg in segments:
                prediction = None if seg.boilerplate else next(predicted)
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
                    )
                )
            results.append(ArticleResult(article_id, tuple(paragraphs), summarize(paragraphs), self.info))
        return results


def ensure_default_model(*, plugins_dir: str | Path | None = None) -> Path:
    """Return ``default_model_dir()``, first training it from ``seeds/labels.jsonl``
    (with a note on stderr, and scored on ``heldout/labels.jsonl`` in its card)
    when it holds no model or one from another scikit-learn version. The
    service calls this once before forking workers."""
    model_dir = default_model_dir()
    reason = (
        f"no model in {model_dir}"
        if not (model_dir / CARD_JSON).is_file()
        else version_problem(read_card(model_dir))
    )
    if reason:
        _train_default(model_dir, reason, plugins_dir)
    return model_dir


def _train_default(model_dir: Path, reason: str, plugins_dir: str | Path | None) -> None:
    from .training import train

    if not DEFAULT_TRAINING_DATA.is_file():
        raise ModelError(f"{reason}, and there is no {DEFAULT_TRAINING_DATA} to train it from")
    print(f"stance: {reason}; training the default model from {DEFAULT_TRAINING_DATA} ...", file=sys.stderr)
    heldout = DEFAULT_HELDOUT_DATA if DEFAULT_HELDOUT_DATA.is_file() else None
    train(DEFAULT_TRAINING_DATA, output_dir=model_dir, plugins_dir=plugins_dir, test_path=heldout)
    print(f"stance: default model saved to {model_dir}", file=sys.stderr)
