"""``classify_corpus``: a corpus classified on Dask, partition by partition.

Dask does the scheduling, the retries and the replacement of dead workers; this
module only plans the partitions, delivers the model, submits one task per
partition (``stance.batch.worker.classify_partition``), follows them for the
progress bar and writes the manifest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import click
from fsspec.core import url_to_fs

from .. import __version__
from ..errors import InputError, StanceError
from ..plugins import FOLDER_PACKAGE
from ..reading import DEFAULT_MAX_BYTES
from .inputs import Failure, Partition, ReadOptions, find_files, is_local, plan_partitions
from .output import FORMATS, OutputDir
from .schema import SCHEMA_VERSION, error_table
from .worker import Job, ModelBundle, ModelDelivery, classify_partition

SCHEDULER_ENV = "STANCE_DASK_SCHEDULER"
"""Address of an existing Dask scheduler to use when none is given."""

DEFAULT_PARTITION_SIZE = 100
"""Documents per partition: a task's unit of work, of writing and of resumption."""


@dataclass
class CorpusReport:
    """What a batch job did: counts over the whole output (earlier runs'
    partitions included), the manifest written, where to watch it."""

    output: str
    articles: int
    paragraphs: int
    errors: int
    partitions: int
    skipped: int
    failed_partitions: int
    dashboard: str | None
    manifest: dict = field(repr=False)
    first_errors: list[str] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        """Whether every document was read and classified."""
        return self.errors == 0


def classify_corpus(
    inputs: Sequence[str],
    output: str,
    *,
    model_dir: str | os.PathLike | None = None,
    plugins_dir: str | os.PathLike | None = None,
    format: str = "parquet",
    workers: int | None = None,
    scheduler: str | None = None,
    client=None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    id_field: str = "id",
    text_field: str = "text",
    max_bytes: int = DEFAULT_MAX_BYTES,
    overwrite: bool = False,
    retries: int = 2,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> CorpusReport:
    """Classify every document of ``inputs`` into the folder ``output``.

    ``inputs`` are files, folders and globs (paths or fsspec URLs) of ``.txt``,
    ``.html``, ``.jsonl`` and ``.parquet`` files (see ``stance.batch.inputs``);
    ``output`` receives the ``paragraphs``, ``articles`` and ``errors`` tables
    as Parquet or JSON Lines (``format``) and ``manifest.json``.

    Where it runs: ``client`` (a ``distributed.Client``), else the scheduler at
    ``scheduler`` or ``$STANCE_DASK_SCHEDULER``, else a local cluster of
    ``workers`` processes (default: one per core). Workers need ``stance``
    installed and must reach the inputs and ``output``; the model (and any
    folder plugins it needs) is sent to them.

    A rerun with the same arguments skips the partitions already written;
    ``overwrite`` starts over. Documents that cannot be read or classified
    are written to ``errors`` and counted in the report; ``InputError`` for
    bad arguments or an output folder holding something else, ``ModelError``
    and ``PluginError`` for the model.
    """
    if format not in FORMATS:
        raise InputError(f"unknown output format {format!r}; choose one of {', '.join(FORMATS)}")
    if partition_size < 1:
        raise InputError("the partition size must be at least 1 document")
    say = log or (lambda message: None)
    started, clock = _now(), time.perf_counter()
    bundle, card = model_bundle(model_dir, plugins_dir)
    output = _absolute(output)
    options = ReadOptions(id_field=id_field, text_field=text_field, max_bytes=max_bytes)
    files = find_files(inputs, exclude=output if is_local(url_to_fs(output)[0]) else None)
    if not files:
        raise InputError("the inputs hold no .txt, .html, .jsonl or .parquet file")
    partitions = plan_partitions(files, partition_size)
    settings = {
        "inputs": [_absolute(given) for given in inputs],
        "format": format,
        "partition_size": partition_size,
        "id_field": id_field,
        "text_field": text_field,
        "max_bytes": max_bytes,
        "model": bundle.key,
        "schema_version": SCHEMA_VERSION,
    }
    manifest = _job_manifest(inputs, files, settings, card, bundle, started)
    target = OutputDir(output, format)
    target.prepare(manifest, keys=[partition.key for partition in partitions], overwrite=overwrite)
    done_before = target.done()
    todo = [partition for partition in partitions if partition.key not in done_before]
    results: list[dict] = []
    failed: list[tuple[Partition, str]] = []
    dashboard, setup_seconds = None, 0.0
    if done_before:
        say(f"{len(done_before)} of {len(partitions)} partitions already done in {output}; skipping them")
    if todo:
        with ExitStack() as stack:
            setup_clock = time.perf_counter()
            client, where = _connect(stack, client, scheduler, workers)
            dashboard = _dashboard(client)
            say(f"Dask: {where}; dashboard: {dashboard}")
            setup_seconds = time.perf_counter() - setup_clock
            manifest["scheduler"] = client.scheduler.address
            manifest["workers"] = len(client.nthreads())
            delivery = ModelDelivery(bundle)
            client.register_plugin(delivery)
            try:
                _run(client, todo, Job(bundle.key, target, options), retries, progress, results, failed)
            except BaseException as exc:
                manifest.update(status="failed", finished=_now(), error=f"{type(exc).__name__}: {exc}")
                target.write_manifest(manifest)
                raise
            finally:
                _forget(client, delivery.name, bundle.key, own_cluster=where.startswith("local"))
    for partition, reason in failed:
        target.write_table("errors", partition.key, error_table(_partition_failures(partition, reason)))
    records = [record for _, record in sorted(target.done().items())]
    errors = sum(record["errors"] for record in records) + sum(partition.documents for partition, _ in failed)
    wall = time.perf_counter() - clock
    manifest.update(
        status="complete" if not errors else "complete with errors",
        finished=_now(),
        partitions={
            "total": len(partitions),
            "done_before": len(done_before),
            "computed": len(results),
            "failed": len(failed),
        },
        counts={
            "articles": sum(record["articles"] for record in records),
            "paragraphs": sum(record["paragraphs"] for record in records),
            "classified_paragraphs": sum(record["classified"] for record in records),
            "errors": errors,
        },
        timings={
            "wall_seconds": round(wall, 3),
            "cluster_seconds": round(setup_seconds, 3),
            "task_seconds": {
                phase: round(sum(result["seconds"][phase] for result in results), 3)
                for phase in ("load", "read", "classify", "write")
            },
            "paragraphs_per_second_overall": round(sum(r["paragraphs"] for r in results) / wall, 1),
        },
    )
    target.write_manifest(manifest)
    first_errors = [reason for record in records for reason in record["first_errors"]]
    first_errors += [reason for _, reason in failed]
    return CorpusReport(
        output=output,
        articles=manifest["counts"]["articles"],
        paragraphs=manifest["counts"]["paragraphs"],
        errors=errors,
        partitions=len(partitions),
        skipped=len(done_before),
        failed_partitions=len(failed),
        dashboard=dashboard,
        manifest=manifest,
        first_errors=first_errors[:5],
    )


def _job_manifest(inputs, files, settings: dict, card: dict, bundle: ModelBundle, started: str) -> dict:
    """The manifest a job starts with: what it reads, how, with which model;
    ``fingerprint`` identifies the job for a rerun."""
    return {
        "status": "running",
        "fingerprint": hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest(),
        "stance_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "inputs": list(inputs),
        "files": {kind: sum(file.kind == kind for file in files) for kind in ("text", "html", "jsonl", "parquet")},
        "options": {key: settings[key] for key in ("format", "partition_size", "id_field", "text_field", "max_bytes")},
        "model": {
            "name": card["name"],
            "version": card["version"],
            "card_sha256": bundle.card_sha256,
            "bundle_sha256": bundle.key,
            "directory": bundle.directory,
        },
        "started": started,
    }


def _run(client, todo: list[Partition], job: Job, retries: int, progress: bool, results: list, failed: list) -> None:
    """Submit one task per partition and collect them as they finish. A
    partition whose workers keep dying (Dask gives up after its
    ``allowed-failures``) or whose task fails for an unforeseen reason is
    recorded in ``failed``; a ``StanceError`` or ``OSError`` (a model the
    workers cannot load, an output they cannot write) stops the job."""
    from distributed import as_completed

    futures = client.map(
        classify_partition,
        todo,
        job=job,
        key=[f"stance-partition-{partition.key}" for partition in todo],
        retries=retries,
    )
    by_key = {future.key: partition for future, partition in zip(futures, todo)}
    status = {"text": None}
    bar = _progress_bar(sum(partition.documents for partition in todo), status) if progress else nullcontext()
    began = time.perf_counter()
    articles = paragraphs = 0
    try:
        with bar:
            for future in as_completed(futures):
                partition = by_key[future.key]
                try:
                    result = future.result()
                except (StanceError, OSError):
                    raise
                except Exception as exc:  # KilledWorker, or a bug: record it, keep the other partitions
                    failed.append((partition, _failure_reason(partition, exc)))
                else:
                    results.append(result)
                    articles += result["articles"]
                    paragraphs += result["paragraphs"]
                if progress:
                    rate = paragraphs / max(time.perf_counter() - began, 1e-9)
                    status["text"] = f"{articles:,} articles, {paragraphs:,} paragraphs, {rate:,.0f} paragraphs/s"
                    bar.update(partition.documents)
                future.release()
    except BaseException:
        client.cancel(futures)
        raise


def _progress_bar(length: int, status: dict):
    """A click progress bar on stderr over documents, with the time left and
    ``status["text"]`` (articles, paragraphs, rate) after it."""
    return click.progressbar(
        length=length,
        label="Classifying",
        file=sys.stderr,
        show_eta=True,
        show_percent=True,
        item_show_func=lambda _: status["text"],
    )


def _failure_reason(partition: Partition, exc: Exception) -> str:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return "the workers classifying this partition died repeatedly (out of memory?); rerun to retry it"
    return f"the task failed: {type(exc).__name__}: {exc}"


def _partition_failures(partition: Partition, reason: str) -> list[Failure]:
    """One error row per source of a partition that could not be done."""
    line = partition.first_line if partition.files[0].kind in ("jsonl", "parquet") else None
    return [Failure(source, line, None, f"{source}: {reason}") for source in partition.sources()]


def model_bundle(model_dir, plugins_dir=None) -> tuple[ModelBundle, dict]:
    """The model to send to workers, checked here first: its card, library
    versions and extractors (``ModelError``, ``PluginError``), and the files
    of the folder plugins it needs."""
    from ..default_model import ensure_default_model
    from ..errors import ModelError
    from ..persistence import check_extractors, read_card, version_problem

    model_dir = Path(model_dir) if model_dir is not None else ensure_default_model(plugins_dir=plugins_dir)
    card = read_card(model_dir)
    problem = version_problem(card)
    if problem:
        raise ModelError(problem)
    check_extractors(card, plugins_dir)
    plugin_files = {}
    for entry in card["extractors"]:
        if entry["source"] == "folder":
            module = sys.modules.get(f"{FOLDER_PACKAGE}.{entry['plugin']}")
            if module is not None and module.__file__:
                plugin_files[Path(module.__file__).name] = Path(module.__file__).read_bytes()
    return ModelBundle.from_directory(model_dir, plugin_files), card


def _connect(stack: ExitStack, client, scheduler: str | None, workers: int | None):
    """The Dask client to use, and a phrase saying what it is connected to."""
    from distributed import Client, LocalCluster

    if client is not None:
        return client, f"client of {client.scheduler.address}"
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler:
        import dask

        try:
            connected = stack.enter_context(Client(scheduler, timeout=dask.config.get("distributed.comm.timeouts.connect")))
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        count = len(connected.nthreads())
        return connected, f"scheduler {scheduler} with {count} workers"
    from dask.system import CPU_COUNT

    count = workers or CPU_COUNT
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:8787",
            silence_logs=logging.CRITICAL,  # a worker's heartbeat racing the cluster's shutdown logs a traceback at ERROR
        )
    )
    return stack.enter_context(Client(cluster)), f"local cluster of {count} worker process{'es' if count != 1 else ''}"


def _dashboard(client) -> str | None:
    """The dashboard's address, when the scheduler serves one."""
    try:
        import bokeh  # noqa: F401  (the dashboard needs it; without it the link shows an error page)
    except ImportError:
        return f"{client.dashboard_link} (pip install bokeh to see it)" if client.dashboard_link else None
    return client.dashboard_link


def _forget(client, plugin_name: str, key: str, *, own_cluster: bool) -> None:
    """On a cluster that outlives the job, unregister the model's plugin so
    joining workers stop receiving it, and drop the model from the workers."""
    if own_cluster:
        return
    from .worker import forget_bundle

    try:
        client.unregister_worker_plugin(plugin_name)
        client.run(forget_bundle, key)
    except Exception:  # best effort: the job's output is already written
        pass


def _absolute(path: str) -> str:
    """A local path made absolute (workers may run elsewhere); a URL as is."""
    return os.path.abspath(path) if is_local(url_to_fs(path)[0]) else path


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
