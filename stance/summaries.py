"""Plain-text summaries for the CLI: a data check's distribution, a model card,
an evaluation report, an agreement report, the loaded plugins."""

from __future__ import annotations

import textwrap

from .agreement import AgreementReport
from .dataset import CheckReport
from .labels import STANCE_LABELS, TARGETS


def distribution_summary(report: CheckReport) -> str:
    """The problem count and the label distribution of a checked labels file."""
    d = report.distribution
    problems = len(report.errors)
    verdict = f"{problems} problem{'s' * (problems != 1)}" if problems else "ok"
    return "\n".join(
        [
            f"{report.path}: {d.paragraphs + d.boilerplate} records "
            f"({d.paragraphs} paragraphs, {d.boilerplate} boilerplate); {verdict}",
            _grid(d.targets, STANCE_LABELS),
            _wrapped("tags", _counts(d.tags)),
            _wrapped("sources", _counts(d.sources)),
            _wrapped("languages", _counts(d.languages)),
        ]
    )


def card_summary(card: dict, model_dir: str) -> str:
    """What ``stance train`` prints: where the model went, what it learned
    from, its cross-validated scores and, if it has them, its held-out scores."""
    data = card["training_data"]
    metrics = card["metrics"]
    lines = [
        f"model {card['name']} {card['version']} saved to {model_dir}",
        f"trained on {data['path']} ({data['paragraphs']} paragraphs, {data['documents']} documents"
        + "".join(f", {name} {count}" for name, count in (data.get("sources") or {}).items() if count)
        + ")",
        "extractors: " + ", ".join(f"{e['name']} {e['version']}" for e in card["extractors"]),
    ]
    if metrics:
        lines.append(f"{metrics['method']}, {metrics['folds']} folds, on {metrics.get('data_kind', 'written')} data "
                     "(easier than real news; see the card's real-article figures):")
        lines += _metric_lines(metrics)
    if card.get("metrics_source"):
        lines.append(f"metrics: {card['metrics_source']}")
    test = card.get("test_metrics")
    if test:
        lines.append(f"held-out file {test['data']['path']} ({test['data']['paragraphs']} paragraphs, "
                     f"{test.get('data_kind', 'written')} data):")
        lines += _metric_lines(test)
    return "\n".join(lines)


def _metric_lines(metrics: dict) -> list[str]:
    lines = []
    for target, scores in metrics["targets"].items():
        baselines = ", ".join(f"{name} {value:.3f}" for name, value in scores["baselines"].items())
        lines.append(f"  {target}: macro-F1 {scores['macro_f1']:.3f} ({baselines})")
    rhetoric = metrics["rhetoric"]
    lines.append(
        f"  rhetoric: micro-F1 {rhetoric['micro_f1']:.3f}, macro-F1 {rhetoric['macro_f1']:.3f}, "
        f"span F1 {rhetoric['spans']['f1']:.3f}"
    )
    return lines


def agreement_summary(report: AgreementReport) -> str:
    """Kappa per target, tag F1 and every disagreement between two passes."""
    lines = [
        f"{report.compared} shared paragraphs ({report.content} content); "
        f"boilerplate agreement {report.boilerplate_agreement:.3f}",
        *(f"  kappa {target}: {value:.3f}" for target, value in report.kappa.items()),
        f"  rhetoric tags: micro-F1 {report.tags_micro_f1:.3f}, macro-F1 {report.tags_macro_f1:.3f}",
        f"{len(report.disagreements)} disagreements",
    ]
    lines += [f"  {d.id} {d.field}: {d.first} / {d.second}" for d in report.disagreements]
    return "\n".join(lines)


def _interval_lines(intervals: dict | None) -> list[str]:
    """One line: the bootstrap intervals of a target's (or the tags') scores, if the report has them."""
    if not intervals:
        return []
    share = f"{intervals['level']:.0%}"
    if "micro_f1" in intervals:
        low, high = intervals["micro_f1"]
        return [f"  {share} interval over documents: micro-F1 {low:.3f} to {high:.3f}"]
    low, high = intervals["macro_f1"]["model"]
    gains = "; ".join(f"model - {name} {low:+.3f} to {high:+.3f}" for name, (low, high) in intervals["model_minus"].items())
    return [f"  {share} interval over documents: model {low:.3f} to {high:.3f}; {gains}"]


def evaluation_summary(report: dict) -> str:
    """Per target: macro-F1 of the model and the baselines, per-label scores and
    the confusion matrix; for rhetoric: micro/macro-F1, per-tag scores, span F1."""
    data = report["data"]
    if report["mode"] == "cross-validation":
        how = f"{report['folds']}-fold cross-validation grouped by document"
    else:
        how = f"held-out test on {report['test']['path']} ({report['test']['paragraphs']} paragraphs)"
    lines = [
        f"{how}; trained on {data['path']} ({data['paragraphs']} paragraphs, {data['documents']} documents)",
        "extractors: " + ", ".join(f"{e['name']} {e['version']}" for e in report["extractors"]),
    ]
    for target, systems in report["targets"].items():
        model = systems["model"]
        labels = model["confusion"]["labels"]
        confusion = {true: dict(zip(labels, row)) for true, row in zip(labels, model["confusion"]["matrix"])}
        lines += [
            "",
            f"{target}: macro-F1 " + _versus(systems, "macro_f1"),
            *_interval_lines(report.get("intervals", {}).get(target)),
            _scores_table("label", model["labels"]),
            "  confusion matrix (rows: true label, columns: predicted)",
            _grid(confusion, labels),
        ]
    rhetoric = {name: scores for name, scores in report["rhetoric"].items() if name != "spans"}
    spans = report["rhetoric"]["spans"]
    lines += [
        "",
        "rhetoric: micro-F1 " + _versus(rhetoric, "micro_f1"),
        "          macro-F1 " + _versus(rhetoric, "macro_f1"),
        *_interval_lines(report.get("intervals", {}).get("rhetoric")),
        _scores_table("tag", rhetoric["model"]["tags"]),
        f"  spans (partial overlap): precision {spans['precision']:.2f}, recall {spans['recall']:.2f}, "
        f"F1 {spans['f1']:.2f} ({spans['predicted']} predicted, {spans['gold']} gold)",
    ]
    return "\n".join(lines)


def comparison_summary(report: dict) -> str:
    """Saved models side by side on one held-out file (``stance.comparison``):
    macro-F1 per target and tag micro-F1 with their intervals, per-label F1,
    and the last model minus each other one."""
    test = report["test"]
    labels = [model["label"] for model in report["models"]]
    width = max(12, *map(len, labels))
    lines = [f"held-out test on {test['path']} ({test['paragraphs']} paragraphs, {test['documents']} documents)"]
    for model in report["models"]:
        data = model["training_data"]
        sources = ", ".join(f"{k} {v}" for k, v in (data.get("sources") or {}).items() if v)
        lines.append(
            f"  {model['label']}: {model['name']} {model['version']}, trained on {data.get('path')} "
            f"({data.get('paragraphs')} paragraphs" + (f"; {sources}" if sources else "") + ")"
        )
    lines += ["", f"  {'model':<{width}}  {'csto':>22}  {'west':>22}  {'rhetoric micro-F1':>22}"]
    for label in labels:
        cells = []
        for target in TARGETS:
            low, high = report["intervals"][target]["macro_f1"][label]
            cells.append(f"{report['targets'][target][label]['macro_f1']:.3f} ({low:.3f}-{high:.3f})")
        rhetoric = report["rhetoric"][label]
        low, high = rhetoric["interval"]
        cells.append(f"{rhetoric['micro_f1']:.3f} ({low:.3f}-{high:.3f})")
        lines.append(f"  {label:<{width}}  " + "  ".join(f"{cell:>22}" for cell in cells))
    lines += ["", "  F1 per label:"]
    for target in TARGETS:
        for label in labels:
            scores = report["targets"][target][label]["labels"]
            lines.append(f"  {target} {label:<{width}} " + "  ".join(f"{name} {s['f1']:.2f}" for name, s in scores.items()))
    share = f"{report['intervals'][TARGETS[0]]['level']:.0%}"
    for other in labels[:-1]:
        gains = []
        for target in TARGETS:
            difference = report["targets"][target][labels[-1]]["macro_f1"] - report["targets"][target][other]["macro_f1"]
            low, high = report["intervals"][target]["last_minus"][other]
            gains.append(f"{target} {difference:+.3f} ({share} interval {low:+.3f} to {high:+.3f})")
        lines.append(f"\n{labels[-1]} - {other}: " + "; ".join(gains))
    return "\n".join(lines)


def plugins_summary(listing: list[dict]) -> str:
    """What ``stance plugins`` prints: one row per loaded plugin (see ``stance.plugins.list_plugins``)."""
    sources = {"builtin": "built-in", "entrypoint": "entry point", "folder": "folder"}
    rows = [("plugin", "source", "version", "extractors")]
    rows += [
        (p["name"], sources.get(p["source"], p["source"]), p["version"] or "-", ", ".join(p["extractors"]) or "-")
        for p in listing
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3] for row in rows
    )


def _versus(systems: dict[str, dict], metric: str) -> str:
    """``model 0.712, majority 0.262, ...``: one metric for every system scored."""
    return ", ".join(f"{name} {scores[metric]:.3f}" for name, scores in systems.items())


def _scores_table(kind: str, rows: dict[str, dict]) -> str:
    width = max(len(kind), *map(len, rows))
    lines = [f"  {kind:<{width}}  precision  recall     F1  support"]
    for name, s in rows.items():
        lines.append(f"  {name:<{width}}  {s['precision']:9.2f}  {s['recall']:6.2f}  {s['f1']:5.2f}  {s['support']:7d}")
    return "\n".join(lines)


def _grid(rows: dict[str, dict[str, int]], columns) -> str:
    """Counts in right-aligned columns, one row per key of ``rows``; labels
    outside ``columns`` (typos in a data file) get columns of their own."""
    extra = sorted({label for counts in rows.values() for label in counts} - set(columns))
    columns = [*columns, *extra]
    width = max(len(c) for c in columns) + 2
    lines = ["  " + " " * 10 + "".join(f"{c:>{width}}" for c in columns)]
    for name, counts in rows.items():
        lines.append(f"  {name:<10}" + "".join(f"{counts.get(c, 0):>{width}}" for c in columns))
    return "\n".join(lines)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items()) or "none"


def _wrapped(name: str, text: str) -> str:
    return textwrap.fill(text, width=100, initial_indent=f"  {name}: ", subsequent_indent=" " * (len(name) + 4))
