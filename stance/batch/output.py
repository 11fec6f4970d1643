"""The output directory of a batch job: part files, done markers, manifest.

::

    DIR/manifest.json                 the job: inputs, options, model, counts, timings
    DIR/paragraphs/part-KEY.parquet   one per partition (or .jsonl)
    DIR/articles/part-KEY.parquet
    DIR/errors/part-KEY.parquet       only for partitions with errors
    DIR/_partitions/KEY.json          written last: the partition is complete

Every file is written under a hidden temporary name in its final folder and
renamed into place, so a reader or a rerun never sees half a file; readers
(pandas, DuckDB, Spark) skip names starting with ``.`` or ``_``. A partition
counts as done only once its marker exists, and a rerun rewrites the part
files of every partition without one, under the same names: no duplicates.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.core import url_to_fs

from ..errors import InputError
from . import FORMATS
from .schema import TABLES

MANIFEST = "manifest.json"
MARKERS = "_partitions"
_OWN_NAMES = set(TABLES) | {MANIFEST, MARKERS}


@dataclass(frozen=True)
class OutputDir:
    """Where and how a job writes: the directory (path or URL) and the format."""

    url: str
    format: str = "parquet"

    def part_url(self, table: str, key: str) -> str:
        """The part file of ``table`` for the partition ``key``."""
        return f"{self.url}/{table}/part-{key}.{self.format}"

    def marker_url(self, key: str) -> str:
        return f"{self.url}/{MARKERS}/{key}.json"

    def write_table(self, table_name: str, key: str, table: pa.Table) -> None:
        """Write one partition's rows of a table atomically."""
        buffer = io.BytesIO()
        if self.format == "parquet":
            pq.write_table(table, buffer)
        else:
            for row in table.to_pylist():
                buffer.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        write_atomically(self.part_url(table_name, key), buffer.getvalue())

    def mark_done(self, key: str, record: dict) -> None:
        """Record that the partition ``key`` is complete, with its counts and timings."""
        write_atomically(self.marker_url(key), json.dumps(record).encode("utf-8"))

    def done(self) -> dict[str, dict]:
        """The markers of the partitions already complete, by key."""
        fs, root = url_to_fs(f"{self.url}/{MARKERS}")
        if not fs.isdir(root):
            return {}
        done = {}
        for path in fs.find(root):
            name = path.rsplit("/", 1)[-1]
            if name.endswith(".json") and not name.startswith("."):
                with fs.open(path, "rb") as stream:
                    try:
                        done[name[: -len(".json")]] = json.loads(stream.read())
                    except ValueError:
                        continue
        return done

    def read_manifest(self) -> dict | None:
        fs, root = url_to_fs(f"{self.url}/{MANIFEST}")
        if not fs.isfile(root):
            return None
        with fs.open(root, "rb") as stream:
            try:
                return json.loads(stream.read())
            except ValueError:
                return None

    def write_manifest(self, manifest: dict) -> None:
        data = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        write_atomically(f"{self.url}/{MANIFEST}", data.encode("utf-8"))

    def prepare(self, manifest: dict, *, keys: Iterable[str], overwrite: bool) -> None:
        """Make the directory ready for a job.

        A directory that holds anything but a batch job's output is refused. With
        ``overwrite``, an earlier job's output is removed; without it, an earlier
        job with other inputs, options or model is refused, and what the current
        plan does not produce (parts of a partition no longer planned, leftover
        temporary files) is removed so that no row appears twice. ``manifest``
        (the job's, with its ``fingerprint``) is written before anything else.
        """
        fingerprint = manifest["fingerprint"]
        fs, root = url_to_fs(self.url)
        if fs.exists(root) and not fs.isdir(root):
            raise InputError(f"{self.url}: exists and is not a folder")
        entries = [path.rstrip("/").rsplit("/", 1)[-1] for path in fs.ls(root, detail=False)] if fs.isdir(root) else []
        strangers = sorted(name for name in entries if name not in _OWN_NAMES and not name.startswith("."))
        if strangers:
            raise InputError(
                f"{self.url}: holds files that are not stance batch output ({', '.join(strangers[:3])}); "
                "choose an empty or new folder"
            )
        earlier = self.read_manifest()
        if entries and not overwrite:
            if earlier is None or earlier.get("fingerprint") != fingerprint:
                raise InputError(
                    f"{self.url}: holds the output of another job (other inputs, options or model); "
                    "use --overwrite to replace it, or another folder"
                )
        fs.makedirs(root, exist_ok=True)
        self.write_manifest(manifest)
        wanted = set(keys)
        for folder in list(TABLES) + [MARKERS]:
            path = f"{root}/{folder}"
            if not fs.isdir(path):
                continue
            for file in fs.find(path):
                name = file.rsplit("/", 1)[-1]
                key = name.split(".", 1)[0].removeprefix("part-")
                if overwrite or name.startswith(".") or key not in wanted:
                    fs.rm(file)
        for folder in list(TABLES) + [MARKERS]:
            fs.makedirs(f"{root}/{folder}", exist_ok=True)


def write_atomically(url: str, data: bytes) -> None:
    """Write ``data`` to a hidden temporary file beside ``url``, then rename it to ``url``."""
    fs, path = url_to_fs(url)
    folder, name = path.rsplit("/", 1)
    temporary = f"{folder}/.{name}.{uuid.uuid4().hex[:8]}.tmp"
    fs.makedirs(folder, exist_ok=True)
    try:
        with fs.open(temporary, "wb") as stream:
            stream.write(data)
        fs.mv(temporary, path)
    except BaseException:
        if fs.exists(temporary):
            fs.rm(temporary)
        raise
