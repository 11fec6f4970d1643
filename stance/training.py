"""Training: fit a model on labeled files, optionally cross-validate it, write its directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from threadpoolctl import threadpool_limits

from .card import build_card
from .dataset import load_files
from .evaluation import cross_validate, describe_data, describe_files, load_test_records, score_model
from .fitting import check_labels, content_records, fit_model, profile_of, resolve_extractors
from .persistence import save_model
from .progress import SILENT, Progress

MEASURED_PARTS = ("mode", "folds", "targets", "rhetoric", "intervals", "test", "measured", "command")
"""The parts of an evaluation report that a card built without cross-validation takes from it."""


def train(
    data_path: str | Path | Sequence[str | Path],
    *,
    extractors: Sequence[str] | None = None,
    output_dir: str | Path,
    plugins_dir: str | Path | None = None,
    folds: int = 5,
    test_path: str | Path | None = None,
    cv: bool = True,
    measured: dict | None = None,
    progress: Progress = SILENT,
    profile: str | None = None,
) -> dict:
    """Fit a model with ``extractors`` (default: those of ``profile``, see
    ``stance.fitting.PROFILES``; the default profile when neither is given) on the
    labeled file ``data_path`` (or several files, learned from together: the
    card describes each with its SHA-256 and counts per source) and save it
    atomically to ``output_dir``; return its card.

    With ``cv``, the card's metrics come from a cross-validation grouped by
    document (``folds`` folds, most of the time); without it, from
    ``measured``, an earlier evaluation report of the same recipe, when its
    data SHA-256 and extractors match (see ``stance.default_model``), else the
    card has none. When ``measured`` was made on the same data and holds
    ``settings`` chosen by the inner cross-validation of a model with the same
    extractors (the default model's report has them for every profile), the
    model is fitted with them: the same model, without repeating that
    cross-validation. With ``test_path``, the model is also scored on that
    held-out labeled file. ``progress`` reports the stages.

    Raises ``DataError`` for unreadable or mislabeled data and ``PluginError``
    for an unknown extractor (listing the known ones).
    """
    from .default_model import report_problem

    specs = resolve_extractors(extractors, plugins_dir, profile=profile)
    paths = [data_path] if isinstance(data_path, str | Path) else list(data_path)
    progress.stage(f"reading {', '.join(map(str, paths))}")
    loaded = load_files(paths)
    records = [record for _, file_records in loaded for record in file_records]
    files = [(path, check_labels(content_records(file_records))) for path, file_records in loaded]
    content = [record for _, file_content in files for record in file_content]
    test = load_test_records(test_path) if test_path is not None else None
    report = {"data": describe_files(files)}
    matching = measured is not None and not report_problem(
        measured, report["data"]["sha256"], [spec.provenance() for spec in specs]
    )
    settings = reported_settings(measured, report["data"]["sha256"], specs)
    with threadpool_limits(limits=1, user_api="blas"):  # BLAS threads fight over 2 cores: 3x slower
        if cv:
            progress.stage(f"cross-validating on {len(content)} paragraphs, {folds} folds grouped by document")
            report.update(cross_validate(content, specs, folds=folds, progress=progress))
        elif matching:
            report.update((part, measured[part]) for part in MEASURED_PARTS if part in measured)
        names = ", ".join(spec.name for spec in specs)
        how = "with the settings its evaluation report chose" if settings else "choosing its settings by inner cross-validation"
        progress.stage(f"fitting the model on {len(content)} paragraphs ({names}), {how}")
        model = fit_model(content, specs, settings=settings)
        if test is not None:
            progress.stage(f"scoring on {test_path} ({len(test)} paragraphs)")
            report["test"] = {"data": describe_data(test_path, test), **score_model(model, content, test)}
    progress.stage(f"saving to {output_dir}")
    card = build_card(Path(output_dir).name, model, records, report, profile=profile_of([spec.name for spec in specs]))
    return save_model(model, card, output_dir)


def reported_settings(report: dict | None, data_sha256: str, specs: Sequence) -> dict | None:
    """The entry of ``report["settings"]`` chosen on data with this SHA-256 for
    exactly these extractors (names and versions), or ``None``."""
    if not report or report.get("data", {}).get("sha256") != data_sha256:
        return None
    wanted = [[spec.name, spec.version] for spec in specs]
    return next((entry for entry in report.get("settings", []) if entry.get("extractors") == wanted), None)
