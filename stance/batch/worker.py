"""What runs on a Dask worker: the model delivered once, a partition classified.

The model directory travels as bytes inside a ``distributed.WorkerPlugin``
(``ModelDelivery``): the scheduler hands it to every worker that joins,
including one that replaces a dead worker, and the worker writes the files
into its own local directory, so no shared file system is needed. The first
task on a worker process loads the model from there with ``Classifier.load``
and keeps it for every later task (``worker_classifier``, keyed by the
bundle's content hash).

``classify_partition`` is the whole task: read the partition's documents,
classify them with ``Classifier.classify_batch`` (the same API as
``stance classify``), write its tables and then its done marker.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from distributed import WorkerPlugin
from pyarrow import ArrowException

from ..api import Classifier
from ..errors import InputError, StanceError
from .inputs import Document, Failure, Partition, ReadOptions
from .output import OutputDir
from .schema import article_table, error_table, paragraph_table

DELIVERY_FOLDER = "stance-models"
"""Folder, in each worker's local directory, where delivered models are written."""


@dataclass(frozen=True)
class ModelBundle:
    """A model directory's files and the folder-plugin files it needs, as bytes.

    ``key`` is the SHA-256 of all of them (names and content), which names
    the model on workers; ``card_sha256`` is the hash of ``card.json``;
    ``directory`` where the files were read.
    """

    key: str
    card_sha256: str
    model_files: dict[str, bytes] = field(repr=False)
    plugin_files: dict[str, bytes] = field(repr=False)
    directory: str = ""

    @classmethod
    def from_directory(cls, model_dir: str | os.PathLike, plugin_files: dict[str, bytes] | None = None) -> ModelBundle:
        """Read every file of ``model_dir`` (hidden files left out)."""
        root = Path(model_dir)
        model_files = {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
        }
        plugin_files = dict(sorted((plugin_files or {}).items()))
        digest = hashlib.sha256()
        for prefix, files in (("model/", model_files), ("plugins/", plugin_files)):
            for name, data in files.items():
                digest.update(f"{prefix}{name}\0{len(data)}\0".encode())
                digest.update(data)
        card = model_files.get("card.json", b"")
        return cls(digest.hexdigest(), hashlib.sha256(card).hexdigest(), model_files, plugin_files, str(root.resolve()))

    def write_to(self, folder: str | os.PathLike) -> Path:
        """Write the bundle under ``folder`` (``model/`` and ``plugins/``), once; return ``folder``."""
        folder = Path(folder)
        if (folder / ".complete").is_file():
            return folder
        for prefix, files in (("model", self.model_files), ("plugins", self.plugin_files)):
            _private_dir(folder / prefix)
            for name, data in files.items():
                path = folder / prefix / name
                _private_dir(path.parent)
                temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                temporary.write_bytes(data)
                # whatever the worker's umask: a model writable by others is refused on load
                os.chmod(temporary, 0o644)
                os.replace(temporary, path)
        (folder / ".complete").write_text(self.key)
        return folder


def _private_dir(path: Path) -> None:
    """Create ``path`` (and its parents) writable by its owner only, as model loading requires."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o755)


_delivered: dict[str, Path] = {}
_classifiers: dict[str, Classifier] = {}
_lock = threading.Lock()


class ModelDelivery(WorkerPlugin):
    """Writes a ``ModelBundle`` into each worker's local directory when the worker starts or joins."""

    def __init__(self, bundle: ModelBundle):
        self.bundle = bundle
        self.name = f"stance-model-{bundle.key[:16]}"

    def setup(self, worker) -> None:
        folder = Path(worker.local_directory) / DELIVERY_FOLDER / self.bundle.key[:16]
        install_bundle(self.bundle, folder)


def install_bundle(bundle: ModelBundle, folder: str | os.PathLike) -> Path:
    """Write ``bundle`` to ``folder`` and make it the model this process loads for its key."""
    with _lock:
        _delivered[bundle.key] = bundle.write_to(folder)
        return _delivered[bundle.key]


def worker_classifier(key: str) -> tuple[Classifier, bool]:
    """The classifier of the bundle ``key`` in this process, loaded on first
    use, and whether this call loaded it."""
    with _lock:
        classifier = _classifiers.get(key)
        if classifier is not None:
            return classifier, False
        folder = _delivered.get(key)
        if folder is None:
            raise RuntimeError(f"model {key[:16]} was not delivered to this worker")
        classifier = Classifier.load(folder / "model", plugins_dir=folder / "plugins")
        _classifiers[key] = classifier
        return classifier, True


def forget_bundle(key: str) -> None:
    """Drop the model ``key`` from this process and delete its delivered files
    (run on every worker of a cluster that outlives the job)."""
    with _lock:
        _classifiers.pop(key, None)
        folder = _delivered.pop(key, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def delivered_models() -> dict[str, str]:
    """Where this process wrote each delivered model (for checks and diagnostics)."""
    with _lock:
        return {key: str(folder) for key, folder in _delivered.items()}


@dataclass(frozen=True)
class Job:
    """What every task of a job shares: the model, how to read, where to write."""

    model_key: str
    output: OutputDir
    options: ReadOptions


def classify_partition(partition: Partition, job: Job) -> dict:
    """Read, classify and write one partition; return its record (counts, timings, first errors).

    A document that cannot be read, or on which the model fails, becomes a row
    of the ``errors`` table; everything else in the partition is still written.
    """
    began = time.perf_counter()
    classifier, loaded_model = worker_classifier(job.model_key)
    loaded = time.perf_counter()
    documents: list[Document] = []
    failures: list[Failure] = []
    try:
        for item in partition.read(job.options):
            (documents if isinstance(item, Document) else failures).append(item)
    except (OSError, ValueError, ArrowException) as exc:  # a damaged file: name it, keep what was read
        source = partition.sources()[0]
        failures.append(Failure(source, None, None, f"{source}: cannot be read further ({type(exc).__name__}: {exc})"))
    read = time.perf_counter()
    classified = _classify(classifier, documents, failures)
    done = time.perf_counter()
    triples = [(result, document.source, document.line) for document, result in classified]
    paragraphs = paragraph_table(triples)
    job.output.write_table("paragraphs", partition.key, paragraphs)
    job.output.write_table("articles", partition.key, article_table(triples))
    if failures:
        job.output.write_table("errors", partition.key, error_table(failures))
    written = time.perf_counter()
    record = {
        "key": partition.key,
        "sources": partition.sources(),
        "articles": len(classified),
        "paragraphs": paragraphs.num_rows,
        "classified": sum(result.summary.classified for _, result in classified),
        "errors": len(failures),
        "first_errors": [failure.reason for failure in failures[:3]],
        "seconds": {
            "load": round(loaded - began, 4),
            "read": round(read - loaded, 4),
            "classify": round(done - read, 4),
            "write": round(written - done, 4),
        },
        "pid": os.getpid(),
        "loaded_model": loaded_model,
        "model_path": str(_delivered.get(job.model_key, "")),
    }
    job.output.mark_done(partition.key, record)
    return record


def _classify(classifier: Classifier, documents: list[Document], failures: list[Failure]):
    """``(document, result)`` pairs, without evidence (the tables store none).
    The partition goes to the model in one ``classify_batch``; only if that
    raises is each document classified on its own, so that the one the model
    fails on is named and the others kept."""
    try:
        results = classifier.classify_batch([(document.id, document.text) for document in documents], evidence=False)
        return list(zip(documents, results))
    except Exception:  # an extractor plugin may raise anything; find the document below
        pass
    classified = []
    for document in documents:
        try:
            classified.append((document, classifier.classify_text(document.text, id=document.id, evidence=False)))
        except Exception as exc:  # the same: report the document, keep the others
            kind = "" if isinstance(exc, (InputError, StanceError)) else f"{type(exc).__name__}: "
            failures.append(
                Failure(document.source, document.line, document.id, f"classification failed: {kind}{exc}")
            )
    return classified
