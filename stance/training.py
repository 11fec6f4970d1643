"""Training: fit a model on a labeled file, cross-validate it, write its directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .card import build_card
from .dataset import load_records
from .evaluation import cross_validate, describe_data, load_test_records, score_model
from .fitting import check_labels, content_records, fit_model, resolve_extractors
from .persistence import save_model


def train(
    data_path: str | Path,
    *,
    extractors: Sequence[str] | None = None,
    output_dir: str | Path,
    plugins_dir: str | Path | None = None,
    folds: int = 5,
    test_path: str | Path | None = None,
) -> dict:
    """Fit a model with ``extractors`` (default: the built-in ones) on the
    labeled file ``data_path``, score it by cross-validation grouped by
    document (``folds`` folds) and, given ``test_path``, on that held-out
    labeled file too, and save it atomically to ``output_dir``; return its card.

    Raises ``DataError`` for unreadable or mislabeled data and ``PluginError``
    for an unknown extractor (listing the known ones).
    """
    records = load_records(data_path)
    content = check_labels(content_records(records))
    specs = resolve_extractors(extractors, plugins_dir)
    test = load_test_records(test_path) if test_path is not None else None
    report = {"data": describe_data(data_path, content), **cross_validate(content, specs, folds=folds)}
    model = fit_model(content, specs)
    if test is not None:
        report["test"] = {"data": describe_data(test_path, test), **score_model(model, content, test)}
    return save_model(model, build_card(Path(output_dir).name, model, records, report), output_dir)
