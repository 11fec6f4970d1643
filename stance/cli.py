"""The ``stance`` command line, a thin layer over the Python API.

Each command imports what it needs when it runs, so start-up stays fast:
``stance classify`` never imports Flask, and nothing imports scikit-learn
before a model is loaded. Every failure ends the command with one line on
stderr and exit status 1 (2 for a usage error), never a traceback: errors a
user can fix (``StanceError``, a file that cannot be written) with their own
sentence, anything else as a one-line internal error (``STANCE_DEBUG=1``
shows its traceback). Warnings print as ``Warning: ...`` lines.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from contextlib import nullcontext
from pathlib import Path

import click

from .batch.command import batch as batch_command
from .errors import StanceError
from .render import FORMATS

DEBUG_ENV = "STANCE_DEBUG"
DATA_HELP = "Labeled JSONL file; repeat to learn from several together  [default: the packaged seeds/labels.jsonl]"
MODEL_HELP = "Model directory  [default: the default model, see STANCE_MODEL_DIR]"


class _StanceGroup(click.Group):
    """A command group whose failures are one-line click errors and whose warnings are one-line notes."""

    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except StanceError as exc:
                raise click.ClickException(str(exc)) from exc
            except OSError as exc:
                raise click.ClickException(_os_error(exc)) from exc
            except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
                raise
            except Exception as exc:
                if os.environ.get(DEBUG_ENV):
                    raise
                raise click.ClickException(
                    f"internal error: {type(exc).__name__}: {exc} (set {DEBUG_ENV}=1 for the traceback)"
                ) from exc


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    click.echo(f"Warning: {message}", err=True)


def _os_error(exc: OSError) -> str:
    """``OSError`` as one sentence: what failed on which file."""
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def _check_writable(path: str | Path, *, directory: bool) -> None:
    """Fail before long work when ``path`` (a file or a directory to create) cannot be written."""
    path = Path(path)
    if path.exists():
        if directory != path.is_dir():
            raise click.BadParameter(f"{path} is {'a file' if directory else 'a directory'}", param_hint="--output")
        target = path if directory else path.parent
        if not os.access(path, os.W_OK) or not os.access(target, os.W_OK | os.X_OK):
            raise click.ClickException(f"{path}: not writable")
        return
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise click.ClickException(f"cannot write {path}: {parent} is not a writable directory")


@click.group(cls=_StanceGroup)
@click.version_option(package_name="csto-stance")
def main() -> None:
    """Stance on the CSTO and on Western involvement, and rhetoric, per paragraph."""


@main.command()
@click.argument("files", nargs=-1)
@click.option("--url", "urls", multiple=True, metavar="URL", help="Fetch this page and classify it (repeatable).")
@click.option("--paragraphs", "pre_split", is_flag=True,
              help="Each non-blank line of the input is one paragraph: no segmentation, no boilerplate rules.")
@click.option("--model", "model_dir", metavar="DIR", help=MODEL_HELP)
@click.option("--plugins-dir", metavar="DIR", help="Folder of plugin *.py files to load.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--bom/--no-bom", default=True, show_default=True,
              help="Start CSV output with a UTF-8 byte-order mark, so that spreadsheets read it as UTF-8.")
@click.option("--highlight", is_flag=True, help="Print each paragraph with its rhetoric spans marked.")
@click.option("--evidence/--no-evidence", default=True, show_default=True,
              help="Find the features behind each stance (--no-evidence: faster, smaller output).")
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Refuse articles (and pages) larger than this many megabytes.",
)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=20.0, show_default=True,
              help="Seconds to wait for a --url page to connect and to send each part.")
@click.pass_context
def classify(ctx, files, urls, pre_split, model_dir, plugins_dir, fmt, bom, highlight, evidence, max_mb, timeout):
    """Classify every paragraph of each FILE ('-' reads standard input) and of each --url page.

    Text comes in any common encoding (detected); HTML files and pages are
    reduced to their main text first. Inputs that cannot be read are named on
    stderr and skipped; the others are still classified, and the exit status
    is then 1. --format json always prints a list, one object per input.
    """
    if not files and not urls:
        raise click.UsageError("give at least one FILE or --url")
    if highlight and fmt != "table":
        raise click.UsageError("--highlight only works with --format table")
    from .api import Classifier
    from .render import render

    classifier = Classifier.load(model_dir, plugins_dir=plugins_dir)
    gc.freeze()  # the model lives until exit: keep its objects out of every collection of the results
    failures: list[str] = []
    max_bytes = int(max_mb * 1024 * 1024)
    inputs = [*(("file", name) for name in files), *(("url", url) for url in urls)]
    many = len(inputs) > 1
    bar = click.progressbar(inputs, label="Classifying", file=sys.stderr) if many else nullcontext(inputs)
    shared_terminal = many and sys.stderr.isatty() and sys.stdout.isatty()
    with bar as items:
        articles = _read_articles(items, max_bytes, timeout, failures, whole=pre_split)
        if pre_split:
            articles = ((name, _lines(text)) for name, text in articles)
        # written as classified, in bounded memory; small inputs share model batches
        results = classifier.stream(articles, evidence=evidence, pre_split=pre_split)
        chunks = render(results, fmt, as_list=True, highlight=highlight, color=sys.stdout.isatty())
        if fmt == "csv" and bom:
            chunks = _prefixed("\ufeff", chunks)
        if shared_terminal:
            chunks = list(chunks)
        else:
            _write(chunks)
    if shared_terminal:
        _write(chunks)
    for failure in failures:
        click.echo(f"Error: {failure}", err=True)
    if failures:
        ctx.exit(1)


@main.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False), multiple=True, help=DATA_HELP)
@click.option("--extractors", metavar="A,B,C", help="Extractors to use  [default: word_tfidf,char_tfidf,lexicon,encoder]")
@click.option("--profile", type=click.Choice(["default", "fast"]),
              help="default: sparse extractors + text encoder; fast: sparse extractors only  [default: default]")
@click.option(
    "--output", type=click.Path(file_okay=False), help="Model directory to write  [default: the default model's]"
)
@click.option("--plugins-dir", metavar="DIR", help="Folder of plugin *.py files to load.")
@click.option(
    "--test", "test_path", type=click.Path(exists=True, dir_okay=False), help="Also score on this held-out labeled file."
)
@click.option(
    "--cv/--no-cv",
    default=False,
    show_default=True,
    help="Cross-validate by document for the card's metrics (several times slower).",
)
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True, help="Folds for --cv.")
def train(data, extractors, profile, output, plugins_dir, test_path, cv, folds):
    """Train a model on a labeled file and write it to a model directory.

    Without --cv the model is fitted once; its card carries the committed
    evaluation report's metrics when the data and extractors are the default
    model's (and it is fitted with the settings that report chose), else none
    (run `stance evaluate`). Stages go to stderr.
    """
    from .default_model import TRAINING_DATA, committed_report, default_model_dir
    from .progress import Progress
    from .summaries import card_summary
    from .training import train as train_model

    output = output or str(default_model_dir())
    _check_writable(output, directory=True)
    card = train_model(
        data or TRAINING_DATA, extractors=_names(extractors), output_dir=output, plugins_dir=plugins_dir,
        test_path=test_path, cv=cv, folds=folds, measured=None if cv else committed_report(),
        progress=Progress.to_stderr(), profile=profile,
    )
    click.echo(card_summary(card, output))


@main.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False), multiple=True, help=DATA_HELP)
@click.option("--test", "test_path", type=click.Path(exists=True, dir_okay=False), help="Held-out labeled file.")
@click.option("--extractors", metavar="A,B,C", help="Extractors to use  [default: word_tfidf,char_tfidf,lexicon,encoder]")
@click.option("--profile", type=click.Choice(["default", "fast"]),
              help="default: sparse extractors + text encoder; fast: sparse extractors only  [default: default]")
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Also write the report as JSON here.")
@click.option("--plugins-dir", metavar="DIR", help="Folder of plugin *.py files to load.")
@click.option(
    "--model",
    "model_dirs",
    metavar="DIR",
    multiple=True,
    help="With --test: score saved models side by side instead of training (once: the default model vs DIR).",
)
def evaluate(data, test_path, extractors, profile, folds, output, plugins_dir, model_dirs):
    """Cross-validate by document against baselines, or score a held-out file;
    with --model, compare saved models (before/after) on the held-out file.
    Stages and each fold's time go to stderr."""
    import json

    from .progress import Progress

    if output:
        _check_writable(output, directory=False)
    if model_dirs:
        if not test_path:
            raise click.UsageError("--model needs --test FILE: the held-out labels to score the models on")
        from .comparison import compare_models
        from .summaries import comparison_summary

        models = [None, *model_dirs] if len(model_dirs) == 1 else list(model_dirs)
        report = compare_models(models, test_path, plugins_dir=plugins_dir)
        click.echo(comparison_summary(report))
    else:
        from .default_model import TRAINING_DATA
        from .evaluation import evaluate as evaluate_model
        from .summaries import evaluation_summary

        report = evaluate_model(
            data or TRAINING_DATA, test_path=test_path, extractors=_names(extractors), plugins_dir=plugins_dir,
            folds=folds, progress=Progress.to_stderr(), profile=profile,
        )
        click.echo(evaluation_summary(report))
    if output:
        Path(output).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        click.echo(f"report written to {output}")


@main.group()
def data():
    """Labeled data."""


@data.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--seeds-dir", type=click.Path(exists=True, file_okay=False), help="Seed articles to require.")
@click.pass_context
def check(ctx, file, seeds_dir):
    """Check a labeled JSONL FILE: print every problem as FILE:LINE: message,
    then the label distribution. Exit status 1 if there is any problem."""
    from .dataset import check_file
    from .default_model import TRAINING_DATA
    from .summaries import distribution_summary

    file = file or str(TRAINING_DATA)
    report = check_file(file, seeds_dir=seeds_dir)
    for problem in report.errors:
        click.echo(f"{file}:{problem.line}: {problem.message}" if problem.line else f"{file}: {problem.message}")
    click.echo(distribution_summary(report))
    if not report.ok:
        ctx.exit(1)


@data.command("agree")
@click.argument("first", type=click.Path(exists=True, dir_okay=False))
@click.argument("second", type=click.Path(exists=True, dir_okay=False))
def agree(first, second):
    """Agreement between two labelings (FIRST, SECOND) of the same paragraphs,
    labels files or two annotators' Label Studio exports of the same tasks:
    Cohen's kappa per target, micro/macro-F1 over tags, every disagreement."""
    from .agreement import compare_files
    from .summaries import agreement_summary

    click.echo(agreement_summary(compare_files(first, second)))


from .labeling.commands import import_labels, labeling_config, suggest  # noqa: E402  (after the data group)

for _command in (suggest, labeling_config, import_labels):
    data.add_command(_command)


@main.command()
@click.option("--plugins-dir", metavar="DIR", help="Folder of plugin *.py files to load.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def plugins(plugins_dir, fmt):
    """List the loaded plugins: source, version, the extractors they register
    (and, as JSON, their hooks). Plugins that could not load are named on stderr."""
    import json
    import warnings

    from .plugins import list_plugins, load_plugins, plugin_errors
    from .summaries import plugins_summary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load_plugins(plugins_dir)
    listing = list_plugins()
    click.echo(json.dumps(listing, indent=2) if fmt == "json" else plugins_summary(listing))
    for error in plugin_errors():
        click.echo(f"Warning: {error}", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--model", "model_dir", metavar="DIR", help=MODEL_HELP)
@click.option("--plugins-dir", metavar="DIR", help="Folder of plugin *.py files to load.")
def serve(host, port, model_dir, plugins_dir):
    """Serve the HTTP API and the analysts' page (Flask's development server)."""
    from .service import serve as run_server

    run_server(host=host, port=port, model_dir=model_dir, plugins_dir=plugins_dir)


main.add_command(batch_command)


def _read_articles(items, max_bytes: int, timeout: float, failures: list[str], *, whole: bool = False):
    """Yield ``(name, text)`` for each readable ``("file", path)`` or ``("url", url)``
    input; record the others (and empty ones) in ``failures``. A long plain
    text file comes as a ``LongText``, segmented as it is read, unless ``whole``."""
    from .long_input import open_long_text
    from .reading import read_article

    for kind, name in items:
        try:
            if kind == "file" and name != "-" and not whole and (long := open_long_text(name, max_bytes=max_bytes)):
                if long.blank:
                    failures.append(f"{name}: empty, no text to classify")
                else:
                    yield name, long
                continue
            if kind == "url":
                from .fetching import fetch_url

                page = fetch_url(name, max_bytes=max_bytes, timeout=timeout)
                text = read_article(page.data, name=name, max_bytes=max_bytes, html=page.html, encoding=page.charset)
            elif name == "-":
                name = "<stdin>"
                text = read_article(sys.stdin.buffer.read(max_bytes + 1), name=name, max_bytes=max_bytes)
            else:
                text = read_article(name, max_bytes=max_bytes)
        except StanceError as exc:
            failures.append(str(exc))
            continue
        if not text.strip():
            failures.append(f"{name}: empty, no text to classify")
            continue
        yield name, text


def _lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, for ``--paragraphs``."""
    return [line for line in text.split("\n") if line.strip()]


def _prefixed(first: str, chunks):
    yield first
    yield from chunks


def _write(chunks) -> None:
    for chunk in chunks:
        click.echo(chunk, nl=False)


def _names(extractors: str | None) -> list[str] | None:
    """``"a, b"`` → ``["a", "b"]``; nothing → ``None`` (the default extractors)."""
    if not extractors:
        return None
    return [name.strip() for name in extractors.split(",") if name.strip()]
