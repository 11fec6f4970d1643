"""The embedding cache on disk: one SQLite file shared by every process.

Keyed by the backend's ``space`` (backend, model, prefix) and the SHA-256 of
the text, so a paragraph is embedded once for training's cross-validation
folds, for every later classification, and for every process on the machine.

SQLite in WAL mode, rather than files of arrays: each write is an atomic
transaction, so a process killed mid-write leaves nothing half-written;
readers never wait for a writer and writers queue on SQLite's own file lock
(``busy_timeout``), so several training runs, CLI calls and service workers
can share one cache with no locking of our own; and looking up a batch of
keys is one indexed query. The size bound is kept by dropping the least
recently used rows (``used`` is refreshed at most hourly, so reads rarely write).

The directory is ``STANCE_CACHE_DIR``, else ``$XDG_CACHE_HOME/stance``, else
``~/.cache/stance``; never the source tree. ``STANCE_CACHE_MAX_MB`` bounds its
size (default 1024); ``STANCE_CACHE_DIR=off`` turns the disk cache off.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import StanceError

CACHE_DIR_ENV = "STANCE_CACHE_DIR"
CACHE_MAX_ENV = "STANCE_CACHE_MAX_MB"
DEFAULT_MAX_MB = 1024.0
FILE_NAME = "embeddings.sqlite3"
REFRESH_SECONDS = 3600.0
"""A row read again is marked as used at most this often."""
BUSY_MS = 30_000
"""How long a writer waits for another process's write to finish."""


def text_hash(text: str) -> bytes:
    """The key of a text: the SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def default_cache_dir() -> Path | None:
    """``STANCE_CACHE_DIR`` (None when it is ``off``), else the user's cache directory."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return None if configured.lower() == "off" else Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "stance"


def max_bytes_from_env() -> int:
    """``STANCE_CACHE_MAX_MB`` in bytes (default 1024 MB)."""
    value = os.environ.get(CACHE_MAX_ENV)
    try:
        megabytes = float(value) if value else DEFAULT_MAX_MB
    except ValueError as exc:
        raise StanceError(f"{CACHE_MAX_ENV} must be a number of megabytes, not {value!r}") from exc
    return int(megabytes * 1024 * 1024)


class EmbeddingCache:
    """Embeddings by ``(space, text hash)`` in ``directory/embeddings.sqlite3``,
    at most ``max_bytes`` of them. One connection per thread; safe across processes."""

    def __init__(self, directory: str | Path, *, max_bytes: int | None = None):
        self.directory = Path(directory)
        self.path = self.directory / FILE_NAME
        self.max_bytes = max_bytes_from_env() if max_bytes is None else int(max_bytes)
        self._local = threading.local()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._connection()
        except (OSError, sqlite3.Error) as exc:
            raise StanceError(f"cannot open the embedding cache {self.path}: {exc} (set {CACHE_DIR_ENV})") from exc

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():  # never reuse a connection across fork
            connection = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (space TEXT NOT NULL, hash BLOB NOT NULL, "
                "vector BLOB NOT NULL, used REAL NOT NULL, PRIMARY KEY (space, hash)) WITHOUT ROWID"
            )
            connection.execute("CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used)")
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    def get_many(self, space: str, hashes: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The cached vectors among ``hashes`` (``float32``), by hash."""
        found: dict[bytes, np.ndarray] = {}
        stale: list[bytes] = []
        connection = self._connection()
        now = time.time()
        unique = list(dict.fromkeys(hashes))
        for first in range(0, len(unique), 500):
            chunk = unique[first : first + 500]
            marks = ",".join("?" * len(chunk))
            rows = connection.execute(
                f"SELECT hash, vector, used FROM vectors WHERE space = ? AND hash IN ({marks})", [space, *chunk]
            )
            for key, blob, used in rows:
                found[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
                if used < now - REFRESH_SECONDS:
                    stale.append(key)
        if stale:
            try:
                connection.executemany("UPDATE vectors SET used = ? WHERE space = ? AND hash = ?",
                                       [(now, space, key) for key in stale])
            except sqlite3.OperationalError:  # busy past the timeout: the mark only orders eviction
                pass
        return found

    def put_many(self, space: str, items: Sequence[tuple[bytes, np.ndarray]]) -> None:
        """Store ``(hash, vector)`` pairs (a present key is left as it is), then keep the size bound."""
        if not items:
            return
        now = time.time()
        connection = self._connection()
        with _transaction(connection):
            connection.executemany(
                "INSERT OR IGNORE INTO vectors (space, hash, vector, used) VALUES (?, ?, ?, ?)",
                [(space, key, np.asarray(vector, dtype=np.float32).tobytes(), now) for key, vector in items],
            )
        self._bound()

    def size_bytes(self) -> int:
        """Bytes the cache's database uses (pages in use)."""
        connection = self._connection()
        pages = connection.execute("PRAGMA page_count").fetchone()[0] - connection.execute("PRAGMA freelist_count").fetchone()[0]
        return pages * connection.execute("PRAGMA page_size").fetchone()[0]

    def __len__(self) -> int:
        return self._connection().execute("SELECT count(*) FROM vectors").fetchone()[0]

    def _bound(self) -> None:
        """Drop the least recently used rows until the cache is within 90% of its bound."""
        size = self.size_bytes()
        if size <= self.max_bytes:
            return
        connection = self._connection()
        rows = connection.execute("SELECT count(*) FROM vectors").fetchone()[0]
        drop = max(1, int(rows * (1 - 0.9 * self.max_bytes / size)))
        with _transaction(connection):
            connection.execute(
                "DELETE FROM vectors WHERE (space, hash) IN (SELECT space, hash FROM vectors ORDER BY used LIMIT ?)",
                (drop,),
            )

    def close(self) -> None:
        """Close this thread's connection."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


class _transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error): takes the write lock at once, waiting ``busy_timeout``."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self):
        self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback):
        self.connection.execute("COMMIT" if kind is None else "ROLLBACK")
        return False
