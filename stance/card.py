"""The model card: what a model is, what it was trained on, how well it does."""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone

import joblib
import numpy as np
import scipy
import sklearn

from . import __version__
from .dataset import Record
from .labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .model import MODEL_FORMAT, StanceModel

REQUIRED_FIELDS = ("name", "version", "created", "libraries", "extractors", "targets", "rhetoric", "model_file")

WRITTEN_DATA_NOTE = (
    "measured on paragraphs written for the project (and the five seed articles), which are easier than real "
    "news: not the accuracy to expect on real articles"
)
"""What the card says about its own cross-validation and held-out figures."""

CLIENT_REAL_ARTICLES = {
    "paragraphs": 533,
    "pages": 125,
    "description": "the client's own real articles (about 100 news and government sites, 2018-2025, 11% Russian), "
    "labeled by two annotators under the codebook; never shared with the project (issue 12)",
    "models": {
        "fast profile (word_tfidf, char_tfidf, lexicon; 1,032 training paragraphs)": {
            "csto_macro_f1": 0.61, "west_macro_f1": 0.65, "rhetoric_micro_f1": 0.38,
            "parts": "csto 0.63 / 0.59, west 0.58 / 0.70, rhetoric 0.37 / 0.39 on parts of 193 / 340 paragraphs",
        },
        "the same with the encoder added (same training data)": {
            "parts": "csto 0.70 / 0.66, west 0.62 / 0.74 on parts of 193 / 340 paragraphs",
        },
    },
    "client_target": "macro-F1 >= 0.72 on both targets and rhetoric micro-F1 >= 0.45 on real articles",
}
"""The client's scores of earlier models on real articles: the real measure of
accuracy, quoted in every card until the client scores a newer model."""


def library_versions() -> dict[str, str]:
    """The versions of Python and the libraries a saved model depends on."""
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
        "stance": __version__,
    }


def build_card(name: str, model: StanceModel, records: Sequence[Record], evaluation: dict, *,
               profile: str | None = None) -> dict:
    """The card of ``model``, trained as ``name`` on ``records`` (all of the
    file's records, boilerplate included) with the extractors of ``profile``
    (None: a list of its own) and scored by ``evaluation`` (a
    ``stance.evaluation.evaluate`` report). ``version`` and ``model_file``
    are filled in when the model is saved. Its metrics say what data they were
    measured on; ``real_articles`` quotes the client's scores on real news."""
    content = [record for record in records if not record.boilerplate]
    return {
        "name": name,
        "version": None,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "libraries": library_versions(),
        "profile": profile,
        "extractors": model.provenance,
        "targets": {target: list(STANCE_LABELS) for target in TARGETS},
        "rhetoric": {
            "tags": list(RHETORIC_TAGS),
            "thresholds": {tag: model.thresholds_.get(tag) for tag in RHETORIC_TAGS},
        },
        "training_data": {
            **evaluation["data"],
            "boilerplate": len(records) - len(content),
            "examples": {
                **{target: _counts((record.label(target) for record in content), STANCE_LABELS) for target in TARGETS},
                "rhetoric": _counts((tag for record in content for tag in record.rhetoric), RHETORIC_TAGS),
            },
        },
        "metrics": (
            _metrics(evaluation, "cross-validation grouped by document", evaluation["folds"], evaluation["data"])
            if "targets" in evaluation
            else None
        ),
        "metrics_source": _metrics_source(evaluation),
        "test_metrics": (
            {"data": evaluation["test"]["data"],
             **_metrics(evaluation["test"], "held-out file", None, evaluation["test"]["data"])}
            if "test" in evaluation
            else None
        ),
        "real_articles": CLIENT_REAL_ARTICLES,
        "model_file": None,
        "format": MODEL_FORMAT,
    }


def card_markdown(card: dict) -> str:
    """A short human-readable rendering of ``card``."""
    lines = [
        f"# Model card: {card['name']}",
        "",
        f"- version: `{card['version']}`",
        f"- created: {card['created']}",
        f"- profile: {card.get('profile') or 'custom extractors'}",
        "- libraries: " + ", ".join(f"{name} {version}" for name, version in card["libraries"].items()),
        "",
        "## Extractors",
        "",
        "| extractor | version | plugin | plugin version | source |",
        "|---|---|---|---|---|",
        *(
            f"| {e['name']} | {e['version']} | {e['plugin']} | {e.get('plugin_version') or '-'} | {e['source']} |"
            for e in card["extractors"]
        ),
    ]
    data = card.get("training_data")
    if data:
        lines += ["", "## Training data", ""]
        files = data.get("files") or [data]
        lines += [
            f"- `{entry['path']}` (SHA-256 `{entry['sha256']}`): {entry['paragraphs']} content paragraphs "
            f"from {entry['documents']} documents" + _sources_text(entry.get("sources"))
            for entry in files
        ]
        lines += [
            "",
            f"In all: {data['paragraphs']} content paragraphs from {data['documents']} documents"
            + _sources_text(data.get("sources") if len(files) > 1 else None)
            + f", {data['boilerplate']} boilerplate.",
            "",
        ]
        for target in TARGETS:
            lines.append(f"- `{target}`: " + ", ".join(f"{k} {v}" for k, v in data["examples"][target].items()))
        lines.append("- rhetoric: " + ", ".join(f"{k} {v}" for k, v in data["examples"]["rhetoric"].items()))
    real = card.get("real_articles")
    if real:
        lines += _real_articles_markdown(real)
    metrics = card.get("metrics")
    if metrics:
        title = f"Metrics on written data ({metrics['method']}, {metrics['folds']} folds)"
        lines += _metrics_markdown(title, metrics, card)
    if card.get("metrics_source"):
        lines += ["", f"Metrics: {card['metrics_source']}."]
    test = card.get("test_metrics")
    if test:
        data = test["data"]
        title = (f"Held-out metrics on written data (`{data['path']}`, {data['paragraphs']} paragraphs "
                 f"from {data['documents']} documents)")
        lines += _metrics_markdown(title, test, card)
    return "\n".join(lines) + "\n"


def _real_articles_markdown(real: dict) -> list[str]:
    """The client's real-article figures, the measure that counts."""
    lines = [
        "",
        "## Accuracy on real articles (the client's measure)",
        "",
        f"Scored by the client on {real['paragraphs']} paragraphs from {real['pages']} pages: {real['description']}. "
        "These are the figures to expect on real news; the written-data metrics below overstate them by about 0.2.",
        "",
    ]
    for model, scores in real["models"].items():
        overall = ", ".join(
            f"{name.replace('_', ' ').replace(' f1', '-F1')} {value:.2f}" for name, value in scores.items() if name != "parts"
        )
        lines.append(f"- {model}: " + "; ".join(part for part in (overall, scores.get("parts")) if part))
    lines.append(f"- the client's target: {real['client_target']}")
    return lines


def _metrics_markdown(title: str, metrics: dict, card: dict) -> list[str]:
    """One metrics section of the card's Markdown: stance against the baselines
    (with the bootstrap interval of the gain over TF-IDF), rhetoric per tag."""
    intervals = metrics.get("intervals") or {}
    lines = [
        "",
        f"## {title}",
        "",
        f"Data: {metrics.get('data_kind', 'written')}: {metrics.get('note', WRITTEN_DATA_NOTE)}.",
        "",
        "| target | macro-F1 | majority | TF-IDF + LR | model - TF-IDF + LR, 95% interval |",
        "|---|---|---|---|---|",
    ]
    for target, scores in metrics["targets"].items():
        baselines = scores["baselines"]
        gain = intervals.get(target, {}).get("model_minus", {}).get("tfidf_lr")
        shown = f"{gain[0]:+.3f} to {gain[1]:+.3f}" if gain else "-"
        lines.append(
            f"| {target} | {scores['macro_f1']:.3f} | {baselines['majority']:.3f} | {baselines['tfidf_lr']:.3f} | {shown} |"
        )
    rhetoric = metrics["rhetoric"]
    tags = intervals.get("rhetoric", {}).get("micro_f1")
    lines += [
        "",
        f"Rhetoric: micro-F1 {rhetoric['micro_f1']:.3f}"
        + (f" (95% interval {tags[0]:.3f} to {tags[1]:.3f})" if tags else "")
        + f", macro-F1 {rhetoric['macro_f1']:.3f}, span F1 {rhetoric['spans']['f1']:.3f}.",
        "",
        "| tag | threshold | precision | recall | F1 | support |",
        "|---|---|---|---|---|---|",
    ]
    for tag, scores in rhetoric["tags"].items():
        threshold = card["rhetoric"]["thresholds"].get(tag)
        shown = "untrained" if threshold is None else f"{threshold:.3f}"
        lines.append(
            f"| {tag} | {shown} | {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1']:.3f} | {scores['support']} |"
        )
    return lines


def _metrics_source(evaluation: dict) -> str:
    """Where the card's metrics come from: this training run, a committed report, or nowhere."""
    if "targets" not in evaluation:
        return "not cross-validated: run `stance evaluate`, or train with `--cv`"
    if "measured" in evaluation:
        return (
            f"evaluation report of {evaluation['measured']} on the same training data (same SHA-256) and "
            f"extractors (`{evaluation.get('command', 'stance evaluate')}`)"
        )
    return "measured while training"


def _sources_text(sources: dict | None) -> str:
    """`` (seed 5, user 40)``: the non-zero counts per source, or nothing."""
    shown = ", ".join(f"{name} {count}" for name, count in (sources or {}).items() if count)
    return f" ({shown})" if shown else ""


def _counts(values, vocabulary: Sequence[str]) -> dict[str, int]:
    counted = Counter(values)
    return {name: counted.get(name, 0) for name in vocabulary}


def _metrics(evaluation: dict, method: str, folds: int | None, data: dict) -> dict:
    sources = data.get("sources") or {}
    written = sources.get("written", 0)
    return {
        "method": method,
        "folds": folds,
        "data_kind": "written" if written * 2 >= sum(sources.values()) else "mixed",
        "sources": sources,
        "note": WRITTEN_DATA_NOTE if written * 2 >= sum(sources.values())
        else "measured on the labeled file's paragraphs; compare with the client's real-article figures",
        "targets": {
            target: {
                "macro_f1": scores["model"]["macro_f1"],
                "labels": scores["model"]["labels"],
                "baselines": {name: scores[name]["macro_f1"] for name in ("majority", "tfidf_lr")},
            }
            for target, scores in evaluation["targets"].items()
        },
        "rhetoric": {
            "micro_f1": evaluation["rhetoric"]["model"]["micro_f1"],
            "macro_f1": evaluation["rhetoric"]["model"]["macro_f1"],
            "tags": evaluation["rhetoric"]["model"]["tags"],
            "spans": evaluation["rhetoric"]["spans"],
            "baselines": {"no_tags": evaluation["rhetoric"]["no_tags"]["micro_f1"]},
        },
        "intervals": evaluation.get("intervals"),
    }
