"""Saved models scored side by side on one held-out labeled file: the
before/after report of the labeling loop (``stance evaluate --test FILE
--model DIR ...``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .errors import DataError
from .evaluation import describe_data, load_test_records, span_scores, stance_scores, tag_scores
from .intervals import stance_intervals, tag_interval
from .labels import STANCE_LABELS, TARGETS
from .model import tags_to_matrix


def compare_models(
    model_dirs: Sequence[str | Path], test_path: str | Path, *, plugins_dir: str | Path | None = None
) -> dict:
    """Score each saved model of ``model_dirs`` (``None`` for the default model)
    on the held-out labeled file ``test_path`` (boilerplate left out).

    The report (JSON-ready) has each model's name, version, directory and
    training data (from its card); per target, each model's macro-F1, per-label
    scores and confusion matrix; per model, rhetoric micro/macro-F1 and span
    scores; and 95% bootstrap intervals over documents of each model's
    macro-F1 and of the last model minus each other one (paired: the same
    replicates for every model).
    """
    from .api import Classifier

    if len(model_dirs) < 1:
        raise DataError("name at least one model to score")
    if len({str(Path(d).resolve()) if d is not None else None for d in model_dirs}) < len(model_dirs):
        raise DataError("a model is named twice")
    test = load_test_records(test_path)
    texts = [record.text for record in test]
    groups = [record.doc for record in test]
    models, predictions = [], []
    for model_dir in model_dirs:
        classifier = Classifier.load(model_dir, plugins_dir=plugins_dir)
        card = classifier.card
        data = card.get("training_data") or {}
        models.append({
            "dir": str(model_dir) if model_dir is not None else "default",
            "name": card["name"],
            "version": card["version"],
            "training_data": {key: data.get(key) for key in ("path", "paragraphs", "documents", "sources")},
        })
        predictions.append(classifier.classify_paragraphs(texts).paragraphs)
    labels = _labels([model["dir"] for model in models])
    last = labels[-1]
    targets, intervals = {}, {}
    for target in TARGETS:
        truth = [record.label(target) for record in test]
        systems = {label: [p.stances[target].label for p in paragraphs] for label, paragraphs in zip(labels, predictions)}
        targets[target] = {label: stance_scores(truth, predicted) for label, predicted in systems.items()}
        ordered = {"model": systems[last], **{label: systems[label] for label in labels[:-1]}}
        found = stance_intervals(truth, ordered, STANCE_LABELS, groups)
        intervals[target] = {
            "level": found["level"],
            "macro_f1": {label: found["macro_f1"]["model" if label == last else label] for label in labels},
            "last_minus": found["model_minus"],
        }
    true_tags = [record.rhetoric for record in test]
    rhetoric = {}
    for label, paragraphs in zip(labels, predictions):
        predicted = [[tag.tag for tag in p.rhetoric] for p in paragraphs]
        rhetoric[label] = {
            **tag_scores(true_tags, predicted),
            "spans": span_scores(test, paragraphs),
            "interval": tag_interval(tags_to_matrix(true_tags), tags_to_matrix(predicted), groups)["micro_f1"],
        }
    return {
        "mode": "models",
        "test": describe_data(test_path, test),
        "models": [{"label": label, **model} for label, model in zip(labels, models)],
        "targets": targets,
        "rhetoric": rhetoric,
        "intervals": intervals,
    }


def _labels(dirs: list[str]) -> list[str]:
    """Short unique names for the models: their directories' names, or the whole paths where those clash."""
    names = [Path(d).name or d for d in dirs]
    return names if len(set(names)) == len(names) else dirs
