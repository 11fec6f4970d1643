"""The default model: its training data inside the package, where it is kept,
and how it is built on first use without cross-validation.

The labeled data ships as package data (``stance/resources/labels.jsonl`` is
``seeds/labels.jsonl``, ``heldout.jsonl`` is ``heldout/labels.jsonl``), so an
installed ``stance`` can build its default model from any directory. The model
is kept in a user directory: ``$STANCE_MODEL_DIR`` if set, else
``$STANCE_HOME/models/default``, where ``STANCE_HOME`` defaults to
``$XDG_DATA_HOME/stance`` (``~/.local/share/stance``; on macOS and Windows the
application directory Click chooses).

Building it fits the model once, with no cross-validation, in seconds. Its
card still carries measured figures: those of ``EVALUATION_REPORT``, a
committed report of grouped cross-validation and held-out scores, used only
when it was measured on exactly this training file (same SHA-256) with the
same extractors. The same report holds, for each profile, the ``settings``
that a model's own inner cross-validation chose on that file (regression
strengths, weights, calibration, thresholds), so first use (and ``stance
train`` of either profile on that file) fits each classifier once with them
instead of choosing them again. Refresh that report after changing the data or
the default extractors::

    python -m stance.default_model
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from .errors import ModelError
from .progress import Progress

RESOURCES = Path(__file__).resolve().parent / "resources"
TRAINING_DATA = RESOURCES / "labels.jsonl"
"""The default model's training data (``seeds/labels.jsonl``)."""
HELDOUT_DATA = RESOURCES / "heldout.jsonl"
"""Whole articles the default model never trains on (``heldout/labels.jsonl``)."""
EVALUATION_REPORT = RESOURCES / "default_evaluation.json"
"""The committed evaluation of the default model's recipe on ``TRAINING_DATA``."""

HOME_ENV = "STANCE_HOME"
MODEL_DIR_ENV = "STANCE_MODEL_DIR"
REPORT_COMMAND = "python -m stance.default_model"


def stance_home() -> Path:
    """Where ``stance`` keeps its state: ``$STANCE_HOME``, else the user's data directory."""
    configured = os.environ.get(HOME_ENV)
    if configured:
        return Path(configured).expanduser()
    if sys.platform in ("win32", "darwin"):
        import click

        return Path(click.get_app_dir("stance"))
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "stance"


def default_model_dir() -> Path:
    """``$STANCE_MODEL_DIR`` if set, else ``models/default`` under ``stance_home()``."""
    configured = os.environ.get(MODEL_DIR_ENV)
    return Path(configured).expanduser() if configured else stance_home() / "models" / "default"


def ensure_default_model(*, plugins_dir: str | Path | None = None, progress: Progress | None = None) -> Path:
    """Return ``default_model_dir()``, first building the default model there
    (with stage messages on stderr) when it holds no model or one this
    installation cannot load (another scikit-learn, an older model format).
    The service calls this once before forking workers."""
    from .persistence import CARD_JSON, read_card, version_problem

    model_dir = default_model_dir()
    reason = (
        f"no model in {model_dir}"
        if not (model_dir / CARD_JSON).is_file()
        else version_problem(read_card(model_dir))
    )
    if reason:
        progress = progress or Progress.to_stderr()
        progress.stage(f"{reason}; building the default model (once, without cross-validation)")
        build_default_model(model_dir, plugins_dir=plugins_dir, progress=progress)
        progress.stage(f"default model saved to {model_dir}")
    return model_dir


def build_default_model(
    model_dir: str | Path, *, plugins_dir: str | Path | None = None, progress: Progress | None = None
) -> dict:
    """Fit the default model on ``TRAINING_DATA`` and save it to ``model_dir``;
    its card takes its metrics from the committed report when that report
    matches the data and extractors. Returns the card."""
    from .training import train

    if not TRAINING_DATA.is_file():
        raise ModelError(f"the default model's training data {TRAINING_DATA} is missing; reinstall stance")
    try:
        return train(
            TRAINING_DATA, output_dir=model_dir, plugins_dir=plugins_dir, cv=False,
            measured=committed_report(), progress=progress,
        )
    except PermissionError as exc:
        raise ModelError(
            f"cannot write the default model to {model_dir} ({exc.strerror}); set {MODEL_DIR_ENV} or "
            f"{HOME_ENV} to a writable directory"
        ) from None


def committed_report() -> dict | None:
    """The committed evaluation report, or ``None`` when there is none or it is unreadable."""
    try:
        return json.loads(EVALUATION_REPORT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def report_problem(report: dict | None, data_sha256: str, extractors: list[dict]) -> str | None:
    """Why ``report`` does not describe a model trained on data with this
    SHA-256 and these extractors (card entries), or ``None`` when it does."""
    if report is None:
        return f"there is no evaluation report ({EVALUATION_REPORT.name})"
    if report.get("data", {}).get("sha256") != data_sha256:
        return "the evaluation report was measured on other training data"
    measured = [(entry.get("name"), entry.get("version")) for entry in report.get("extractors", [])]
    if measured != [(entry["name"], entry["version"]) for entry in extractors]:
        return "the evaluation report was measured with other extractors"
    return None


def measure_report(*, folds: int = 5, progress: Progress | None = None) -> dict:
    """Evaluate the default recipe: grouped cross-validation on
    ``TRAINING_DATA`` and scores on ``HELDOUT_DATA``, as one report."""
    from .evaluation import evaluate

    progress = progress or Progress.to_stderr()
    cross = evaluate(TRAINING_DATA, folds=folds, progress=progress)
    held = evaluate(TRAINING_DATA, test_path=HELDOUT_DATA, progress=progress)
    return {
        **cross,
        "test": {key: held[key] for key in ("targets", "rhetoric", "intervals")} | {"data": held["test"]},
        "settings": measure_settings(progress=progress),
        "measured": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": REPORT_COMMAND,
    }


def measure_settings(*, progress: Progress | None = None) -> list[dict]:
    """For each profile, the ``settings()`` of its model fitted on
    ``TRAINING_DATA`` with its inner cross-validation, with the extractors
    (name, version) they were chosen for: what building the default model,
    or training a profile on that file, reuses."""
    from threadpoolctl import threadpool_limits

    from .dataset import load_files
    from .fitting import PROFILES, content_records, fit_model, resolve_extractors

    progress = progress or Progress.to_stderr()
    [(_, records)] = load_files([TRAINING_DATA])
    measured = []
    for profile in PROFILES:
        progress.stage(f"choosing the {profile} profile's settings by inner cross-validation")
        specs = resolve_extractors(profile=profile)
        with threadpool_limits(limits=1, user_api="blas"):
            settings = fit_model(content_records(records), specs).settings()
        measured.append({"profile": profile, "extractors": [[spec.name, spec.version] for spec in specs], **settings})
    return measured


def main(argv: list[str] | None = None) -> None:
    """Measure the default recipe and write ``EVALUATION_REPORT`` (takes minutes);
    with ``--settings-only``, refresh only its ``settings`` (for a report whose
    figures are still current)."""
    import argparse

    parser = argparse.ArgumentParser(prog=REPORT_COMMAND, description=main.__doc__)
    parser.add_argument("--settings-only", action="store_true", help="recompute only the settings part")
    if parser.parse_args(argv).settings_only:
        report = committed_report() or {}
        report["settings"] = measure_settings()
    else:
        report = measure_report()
        report["data"]["path"] = "seeds/labels.jsonl"
        report["test"]["data"]["path"] = "heldout/labels.jsonl"
    EVALUATION_REPORT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"report written to {EVALUATION_REPORT}", file=sys.stderr)


if __name__ == "__main__":
    main()
