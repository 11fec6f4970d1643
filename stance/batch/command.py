"""``stance batch``: the command line over ``stance.batch.classify_corpus``."""

from __future__ import annotations

import click

from ..reading import DEFAULT_MAX_BYTES
from . import FORMATS


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--output", "-o", required=True, metavar="DIR", help="Folder (or URL) for the output tables.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="parquet", show_default=True)
@click.option("--model", "model_dir", metavar="DIR", help="Model directory  [default: models/default]")
@click.option("--plugins-dir", metavar="DIR", help="Folder of plugin *.py files to load.")
@click.option("--workers", type=click.IntRange(min=1), help="Local worker processes  [default: one per core]")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    envvar="STANCE_DASK_SCHEDULER",
    show_envvar=True,
    help="Run on this existing Dask scheduler (tcp://HOST:8786) instead of a local cluster.",
)
@click.option(
    "--partition-size",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Documents per partition (a task, a part file, the unit a rerun skips).",
)
@click.option("--id-field", default="id", show_default=True, help="Id field of JSON Lines and Parquet inputs.")
@click.option("--text-field", default="text", show_default=True, help="Text field of JSON Lines and Parquet inputs.")
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_MAX_BYTES / 2**20,
    show_default=True,
    help="Refuse articles larger than this many megabytes.",
)
@click.option("--overwrite", is_flag=True, help="Replace the output of an earlier run instead of resuming it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def batch(ctx, inputs, output, fmt, model_dir, plugins_dir, workers, scheduler, partition_size, id_field,
          text_field, max_mb, overwrite, quiet):
    """Classify a corpus on Dask: every INPUT (.txt and .html files, folders of them, JSON Lines and Parquet files with id and text fields, globs) into
    Parquet or JSON Lines tables in DIR.

    Runs on a local cluster of worker processes, or on an existing Dask cluster
    with --scheduler. A rerun with the same arguments resumes where the last one
    stopped. Documents that cannot be read or classified go to DIR/errors; the
    exit status is then 1.
    """
    from . import classify_corpus

    if workers and scheduler:
        raise click.UsageError("--workers sizes a local cluster; it cannot be used with --scheduler")
    try:
        report = classify_corpus(
            inputs,
            output,
            model_dir=model_dir,
            plugins_dir=plugins_dir,
            format=fmt,
            workers=workers,
            scheduler=scheduler,
            partition_size=partition_size,
            id_field=id_field,
            text_field=text_field,
            max_bytes=int(max_mb * 2**20),
            overwrite=overwrite,
            progress=not quiet,
            log=lambda message: click.echo(message, err=True),
        )
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or output}: {exc.strerror or exc}") from exc
    click.echo(
        f"{report.articles:,} articles, {report.paragraphs:,} paragraphs in {report.output} "
        f"({report.partitions} partitions, {report.skipped} done before this run)"
    )
    if not report.ok:
        for reason in report.first_errors:
            click.echo(f"Error: {reason}", err=True)
        click.echo(
            f"Error: {report.errors:,} document(s) could not be read or classified; "
            f"every one is listed in {report.output}/errors",
            err=True,
        )
        ctx.exit(1)
