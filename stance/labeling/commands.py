"""``stance data suggest``, ``stance data labeling-config`` and ``stance data
import``: the labeling loop's commands, thin layers over ``stance.labeling``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import DEFAULT_STRATEGY, MEASURES, STRATEGIES


@click.command("suggest")
@click.argument("pool", nargs=-1, required=True)
@click.option("--n", "count", type=click.IntRange(min=1), default=50, show_default=True, help="Paragraphs to suggest.")
@click.option("--output", type=click.Path(dir_okay=False), required=True, help="Label Studio task file to write (JSON).")
@click.option(
    "--strategy",
    type=click.Choice(STRATEGIES),
    default=DEFAULT_STRATEGY,
    show_default=True,
    help="diverse: uncertain, unlike each other, spread over documents; uncertainty: the most uncertain; random.",
)
@click.option("--measure", type=click.Choice(MEASURES), default="margin", show_default=True, help="Uncertainty measure.")
@click.option(
    "--labeled",
    type=click.Path(exists=True, dir_okay=False),
    multiple=True,
    help="Labeled file whose paragraphs are never suggested (repeatable); the model's own training files always count.",
)
@click.option("--model", "model_dir", metavar="DIR", help="Model directory  [default: models/default]")
@click.option("--plugins-dir", metavar="DIR", help="Folder of plugin *.py files to load.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (random strategy, ties).")
@click.pass_context
def suggest(ctx, pool, count, output, strategy, measure, labeled, model_dir, plugins_dir, seed):
    """Pick the paragraphs of POOL (text or HTML files, folders of them, JSON
    Lines of {"id", "text"}) most worth labeling, and write them as Label
    Studio tasks with the model's labels and tag spans as predictions.

    Unreadable files are named on stderr and skipped; the exit status is then 1.
    """
    from ..api import Classifier
    from ..errors import DataError
    from . import studio
    from .pool import read_pool
    from .suggest import labeled_hashes, pool_candidates, select

    classifier = Classifier.load(model_dir, plugins_dir=plugins_dir)
    documents, problems = read_pool(list(pool))
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    known = [Path(p) for p in labeled] + _training_files(classifier.card)
    candidates = pool_candidates(classifier, documents, skip=labeled_hashes(known))
    if not candidates:
        raise DataError(f"no paragraph to suggest in {len(documents)} documents (all boilerplate, short or labeled)")
    features = classifier.features([c.text for c in candidates]) if strategy == "diverse" else None
    picked = select(candidates, count, strategy=strategy, features=features, measure=measure, seed=seed)
    parsed = studio.interface()
    model = f"{classifier.info.name} {classifier.info.version}"
    tasks = [studio.task(candidate, value, rank, model, parsed) for rank, (candidate, value) in enumerate(picked, 1)]
    Path(output).write_text(json.dumps(tasks, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    docs = len({candidate.doc for candidate, _ in picked})
    click.echo(
        f"{len(picked)} paragraphs from {docs} documents written to {output} ({strategy}; "
        f"{len(candidates)} candidates in {len({c.doc for c in candidates})} of {len(documents)} documents; "
        f"paragraphs of {len(known)} labeled files skipped)"
    )
    if problems:
        ctx.exit(1)


@click.command("labeling-config")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the configuration here instead of printing it.")
def labeling_config(output):
    """Print the Label Studio labeling configuration that matches the tasks of
    `stance data suggest` and the codebook (paste it in the project's
    Settings > Labeling Interface > Code)."""
    from . import studio

    config = studio.interface().config
    if output:
        Path(output).write_text(config, encoding="utf-8")
        click.echo(f"labeling configuration written to {output}")
    else:
        click.echo(config, nl=False)


@click.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False))
@click.option("--output", type=click.Path(dir_okay=False), required=True, help="Labeled JSONL file to write.")
@click.option("--annotator", metavar="EMAIL|ID", help="Take each task's latest annotation by this annotator.")
@click.option(
    "--test-output",
    type=click.Path(dir_okay=False),
    help="Hold out a share of the documents (whole) in this file, to score the retrained model on.",
)
@click.option("--test-share", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.25, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the held-out documents.")
@click.pass_context
def import_labels(ctx, export, output, annotator, test_output, test_share, seed):
    """Turn a Label Studio JSON EXPORT into labeled records (source "user"),
    spans as evidence. What cannot be converted is named by task id on stderr,
    and the exit status is then 1; the rest is still written."""
    from ..dataset import split_by_document
    from . import studio

    report = studio.import_export(export, annotator=annotator)
    records, held_out = list(report.records), []
    if test_output:
        records, held_out = split_by_document(records, test_share, seed=seed)
        studio.write_records(held_out, test_output)
    studio.write_records(records, output)
    for problem in report.problems:
        click.echo(f"Error: task {problem.task}: {problem.message}", err=True)
    click.echo(
        f"{len(records)} records written to {output} from {report.tasks} tasks "
        f"({report.unlabeled} not labeled yet, {len(report.problems)} problems)"
    )
    if test_output:
        click.echo(
            f"{len(held_out)} records of {len({r['doc'] for r in held_out})} documents held out in {test_output}"
        )
    if report.problems:
        ctx.exit(1)


def _training_files(card: dict) -> list[Path]:
    """The labeled files a model's card says it was trained on, where they still exist."""
    data = card.get("training_data") or {}
    entries = data.get("files") or ([{"path": data["path"]}] if data.get("path") else [])
    return [Path(entry["path"]) for entry in entries if Path(entry["path"]).is_file()]
