"""Classifying a whole corpus on Dask: ``stance batch`` and its Python API.

    from stance.batch import classify_corpus

    report = classify_corpus(["corpus/", "more/*.jsonl"], "out/")   # a local cluster, one worker per core
    report = classify_corpus(["s3://bucket/news/"], "s3://bucket/out/", scheduler="tcp://host:8786")

``classify_corpus`` is imported on first use (PEP 562), so that importing the
``stance batch`` command, as every ``stance`` command line does, does not
import Dask.
"""

from __future__ import annotations

__all__ = ["classify_corpus", "CorpusReport"]

FORMATS = ("parquet", "jsonl")
"""Output formats: partitioned Parquet, or JSON Lines part files."""


def __getattr__(name: str):
    if name in ("classify_corpus", "CorpusReport"):
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
