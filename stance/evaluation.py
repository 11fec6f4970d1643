"""Measuring the classifier: cross-validation grouped by document, or a
held-out test file, with baselines scored in the same run."""

from __future__ import annotations

import hashlib
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline

from .dataset import Record, load_files, load_records
from .errors import DataError
from .extractors import ExtractorSpec
from .fitting import check_labels, content_records, fit_model, resolve_extractors
from .intervals import stance_intervals, tag_interval
from .labels import RHETORIC_TAGS, SOURCES, STANCE_LABELS, TARGETS
from .model import ParagraphPrediction, StanceModel, tags_to_matrix
from .progress import SILENT, Progress

SEED = 0


def evaluate(
    data_path: str | Path | Sequence[str | Path],
    *,
    test_path: str | Path | None = None,
    extractors: Sequence[str] | None = None,
    plugins_dir: str | Path | None = None,
    folds: int = 5,
    progress: Progress = SILENT,
    profile: str | None = None,
) -> dict:
    """Score the model with ``extractors`` on the labeled file ``data_path`` (or
    several files, learned from together):
    by cross-validation grouped by ``doc`` (``folds`` folds), or, with
    ``test_path``, fitted on all of ``data_path`` and scored on ``test_path``.

    Boilerplate records are left out. The report (JSON-ready) has, per target,
    the model's and two baselines' metrics (``majority``: the training set's
    most frequent label; ``tfidf_lr``: word TF-IDF + class-balanced logistic
    regression), and for rhetoric the model's and the ``no_tags`` baseline's
    metrics plus the span score (see ``span_scores``); ``intervals`` gives 95%
    bootstrap intervals over documents for each target's macro-F1, for the
    model's gain over each baseline, and for the tags' micro-F1 (see
    ``stance.intervals``).
    """
    from threadpoolctl import threadpool_limits

    specs = resolve_extractors(extractors, plugins_dir, profile=profile)
    files = load_training_files(data_path)
    progress.stage(f"reading {', '.join(str(path) for path, _ in files)}")
    records = [record for _, content in files for record in content]
    with threadpool_limits(limits=1, user_api="blas"):  # BLAS threads fight over 2 cores: 3x slower
        if test_path is None:
            progress.stage(f"cross-validating on {len(records)} paragraphs, {folds} folds grouped by document")
            report = cross_validate(records, specs, folds=folds, progress=progress)
        else:
            test_records = load_test_records(test_path)
            progress.stage(f"fitting on {len(records)} paragraphs, then scoring {test_path}")
            report = score_model(fit_model(records, specs), records, test_records)
            report = {"mode": "test", "test": describe_data(test_path, test_records), **report}
    return {"data": describe_files(files), "extractors": [spec.provenance() for spec in specs], **report}


def load_training_files(data_path: str | Path | Sequence[str | Path]) -> list[tuple[Path, list[Record]]]:
    """``(path, content records)`` of each labeled file a model learns from
    (one path or several), labels checked; see ``stance.dataset.load_files``."""
    paths = [data_path] if isinstance(data_path, str | Path) else list(data_path)
    return [(path, check_labels(content_records(records))) for path, records in load_files(paths)]


def load_test_records(test_path: str | Path) -> list[Record]:
    """The content records of a held-out labeled file; ``DataError`` when it has none or a label is unknown."""
    test_records = check_labels(content_records(load_records(test_path)))
    if not test_records:
        raise DataError(f"{test_path}: no content paragraphs to score")
    return test_records


def cross_validate(
    records: Sequence[Record], specs: Sequence[ExtractorSpec], *, folds: int = 5, progress: Progress = SILENT
) -> dict:
    """Out-of-fold predictions for every record, scored (see ``evaluate``);
    each fold's time and rate are reported to ``progress``."""
    splits = grouped_folds(records, folds)
    model_predictions: list[ParagraphPrediction | None] = [None] * len(records)
    baselines = {name: {target: [""] * len(records) for target in TARGETS} for name in ("majority", "tfidf_lr")}
    for number, (train, test) in enumerate(splits, 1):
        started = time.perf_counter()
        train_records = [records[i] for i in train]
        test_records = [records[i] for i in test]
        predictions, fold_baselines = _predict_all(train_records, test_records, specs)
        progress.step("fold", number, len(splits), len(train), time.perf_counter() - started,
                      noun=f"paragraphs trained on, {len(test)} scored")
        for position, index in enumerate(test):
            model_predictions[index] = predictions[position]
            for name, by_target in fold_baselines.items():
                for target, labels in by_target.items():
                    baselines[name][target][index] = labels[position]
    return {"mode": "cross-validation", "folds": len(splits), **_score(records, model_predictions, baselines)}


def grouped_folds(records: Sequence[Record], folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index splits in which no document has paragraphs on both
    sides, stratified (as far as documents allow) by the pair of stance labels."""
    groups = np.array([record.doc for record in records])
    documents = len(np.unique(groups))
    if documents < 2:
        raise DataError(f"cross-validation needs paragraphs from at least two documents, found {documents}")
    strata = np.array(["/".join(record.label(target) for target in TARGETS) for record in records])
    splitter = StratifiedGroupKFold(n_splits=min(folds, documents), shuffle=True, random_state=SEED)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        return list(splitter.split(np.zeros(len(records)), strata, groups))


def describe_data(path: str | Path, records: Sequence[Record]) -> dict:
    """A labeled file's path, SHA-256, and counts of its content paragraphs
    (``records``), documents and sources."""
    return {
        "path": str(path),
        "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
        "paragraphs": len(records),
        "documents": len({record.doc for record in records}),
        "sources": _source_counts(records),
    }


def describe_files(files: Sequence[tuple[str | Path, Sequence[Record]]]) -> dict:
    """``describe_data`` of the labeled files a model learns from together, given
    as ``(path, content records)`` pairs: one file is described as such; for
    several, ``path`` joins their paths, ``sha256`` hashes their contents
    concatenated in order, the counts are over all of them, and ``files`` holds
    each file's own description."""
    described = [describe_data(path, records) for path, records in files]
    if len(described) == 1:
        return {**described[0], "files": described}
    records = [record for _, file_records in files for record in file_records]
    combined = hashlib.sha256(b"".join(Path(path).read_bytes() for path, _ in files)).hexdigest()
    return {
        "path": ", ".join(entry["path"] for entry in described),
        "sha256": combined,
        "paragraphs": len(records),
        "documents": len({record.doc for record in records}),
        "sources": _source_counts(records),
        "files": described,
    }


def _source_counts(records: Sequence[Record]) -> dict[str, int]:
    counts = dict.fromkeys(SOURCES, 0)
    for record in records:
        counts[record.source] = counts.get(record.source, 0) + 1
    return counts


def score_model(model: StanceModel, train: Sequence[Record], test: Sequence[Record]) -> dict:
    """``model`` (fitted on ``train``) scored on ``test`` next to the baselines
    fitted on ``train``: the ``targets`` and ``rhetoric`` parts of an ``evaluate`` report."""
    texts = [record.text for record in test]
    return _score(test, model.predict(texts), _baseline_labels(train, texts))


def _predict_all(train: Sequence[Record], test: Sequence[Record], specs: Sequence[ExtractorSpec]):
    """The model's predictions and the baselines' labels for ``test``, fitted on ``train``."""
    model = fit_model(train, specs)
    texts = [record.text for record in test]
    return model.predict(texts), _baseline_labels(train, texts)


def _baseline_labels(train: Sequence[Record], texts: Sequence[str]) -> dict:
    """Per baseline, per target: the labels it gives ``texts``, fitted on ``train``."""
    baselines = {"majority": {}, "tfidf_lr": {}}
    for target in TARGETS:
        labels = [record.label(target) for record in train]
        values, counts = np.unique(labels, return_counts=True)
        baselines["majority"][target] = [str(values[np.argmax(counts)])] * len(texts)
        plain = make_pipeline(
            TfidfVectorizer(), LogisticRegression(class_weight="balanced", max_iter=5000, random_state=SEED)
        )
        baselines["tfidf_lr"][target] = [str(label) for label in plain.fit([r.text for r in train], labels).predict(texts)]
    return baselines


def _score(records: Sequence[Record], predictions: Sequence[ParagraphPrediction], baselines: dict) -> dict:
    groups = [record.doc for record in records]
    targets, intervals = {}, {}
    for target in TARGETS:
        truth = [record.label(target) for record in records]
        systems = {"model": [p.stances[target].label for p in predictions]}
        systems.update((name, labels[target]) for name, labels in baselines.items())
        targets[target] = {name: stance_scores(truth, predicted) for name, predicted in systems.items()}
        intervals[target] = stance_intervals(truth, systems, STANCE_LABELS, groups)
    true_tags = [record.rhetoric for record in records]
    predicted_tags = [[tag.tag for tag in p.rhetoric] for p in predictions]
    rhetoric = {
        "model": tag_scores(true_tags, predicted_tags),
        "no_tags": tag_scores(true_tags, [[] for _ in records]),
        "spans": span_scores(records, predictions),
    }
    intervals["rhetoric"] = tag_interval(tags_to_matrix(true_tags), tags_to_matrix(predicted_tags), groups)
    return {"targets": targets, "rhetoric": rhetoric, "intervals": intervals}


def stance_scores(truth: Sequence[str], predicted: Sequence[str]) -> dict:
    """Macro-F1 over the three stance labels, each label's precision, recall,
    F1 and support, and the confusion matrix (rows: true label, columns: predicted)."""
    labels = list(STANCE_LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    return {
        "macro_f1": float(np.mean(f1)),
        "labels": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "confusion": {"labels": labels, "matrix": confusion_matrix(truth, predicted, labels=labels).tolist()},
    }


def tag_scores(truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict:
    """Micro-F1 over all (paragraph, tag) decisions; macro-F1 averaged over the
    tags that occur in ``truth``; each tag's precision, recall, F1 and support."""
    true_matrix, predicted_matrix = tags_to_matrix(truth), tags_to_matrix(predicted)
    precision, recall, f1, support = precision_recall_fscore_support(
        true_matrix, predicted_matrix, average=None, zero_division=0
    )
    present = support > 0
    return {
        "micro_f1": float(f1_score(true_matrix, predicted_matrix, average="micro", zero_division=0)),
        "macro_f1": float(np.mean(f1[present])) if present.any() else 0.0,
        "tags": {
            tag: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for tag, p, r, f, s in zip(RHETORIC_TAGS, precision, recall, f1, support)
        },
    }


def span_scores(records: Sequence[Record], predictions: Sequence[ParagraphPrediction]) -> dict:
    """Partial-overlap F1 of predicted tag spans against the records' evidence.

    Gold spans are each evidence string's first occurrence in its paragraph
    (strings not found are ignored). A predicted span is correct when it shares
    at least one character with a gold span of the same tag in the same
    paragraph; a gold span is found when some predicted span of the same tag in
    the same paragraph shares a character with it. Precision = correct
    predicted spans / predicted spans, recall = found gold spans / gold spans.
    Spans of tags the model does not predict count as not found.
    """
    predicted_total = correct = gold_total = found = 0
    for record, prediction in zip(records, predictions):
        gold = {}
        for tag, strings in record.evidence.items():
            offsets = [(record.text.find(s), record.text.find(s) + len(s)) for s in strings if s and s in record.text]
            gold[tag] = offsets
        predicted = {tag.tag: [(span.start, span.end) for span in tag.spans] for tag in prediction.rhetoric}
        for tag, spans in predicted.items():
            predicted_total += len(spans)
            correct += sum(any(_overlap(span, other) for other in gold.get(tag, ())) for span in spans)
        for tag, spans in gold.items():
            gold_total += len(spans)
            found += sum(any(_overlap(span, other) for other in predicted.get(tag, ())) for span in spans)
    precision = correct / predicted_total if predicted_total else 0.0
    recall = found / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": predicted_total, "gold": gold_total}


def _overlap(left: tuple[int, int], right: tuple[int, int]) -> bool:
    return left[0] < right[1] and right[0] < left[1]
