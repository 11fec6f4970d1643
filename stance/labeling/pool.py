"""A user's unlabeled articles (the pool to label from): text and HTML files,
folders of them, and JSON Lines files of ``{"id": ..., "text": ...}`` objects,
read into documents with stable ids."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..reading import HTML_SUFFIXES, read_article

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
POOL_SUFFIXES = TEXT_SUFFIXES | frozenset(HTML_SUFFIXES) | JSONL_SUFFIXES
"""Files a folder contributes to the pool; other files in a folder are ignored."""

_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class PoolDocument:
    """One article of the pool: its document id (``doc`` of the records made
    from it), its text, and where it came from (a path, or ``path:line``)."""

    doc: str
    text: str
    origin: str


def read_pool(sources: list[str | Path]) -> tuple[list[PoolDocument], list[str]]:
    """The documents of ``sources`` (files and folders, folders searched
    recursively for ``POOL_SUFFIXES``), with unique document ids, and the
    problems met (an unreadable file, a bad JSON line), one sentence each.
    ``InputError`` when a source does not exist."""
    documents: list[PoolDocument] = []
    problems: list[str] = []
    taken: set[str] = set()
    for source in map(Path, sources):
        if source.is_dir():
            files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in POOL_SUFFIXES)
        elif source.is_file():
            files = [source]
        else:
            raise InputError(f"{source}: no such file or folder")
        for path in files:
            try:
                found = _read_jsonl(path, problems) if path.suffix.lower() in JSONL_SUFFIXES else [_read_file(path)]
            except InputError as exc:
                problems.append(str(exc))
                continue
            for doc, text, origin in found:
                documents.append(PoolDocument(_unique(doc, taken), text, origin))
    return documents, problems


def _read_file(path: Path) -> tuple[str, str, str]:
    """A text or HTML file (its main text, see ``stance.reading``) as one document."""
    return path.stem, read_article(path), str(path)


def _read_jsonl(path: Path, problems: list[str]) -> list[tuple[str, str, str]]:
    """One document per ``doc`` (else ``id``; default: the file's name and line
    number) of the file's lines, each an object with a ``text``; lines of one
    document are its paragraphs, in order."""
    texts: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(read_article(path, html=False).split("\n"), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            problems.append(f"{path}:{number}: a pool line must be an object with a \"text\" string")
            continue
        doc = str(item.get("doc") or item.get("id") or f"{path.stem}-{number}")
        texts.setdefault(doc, []).append(item["text"].strip())
        first_line.setdefault(doc, number)
    return [(doc, "\n\n".join(parts), f"{path}:{first_line[doc]}") for doc, parts in texts.items()]


def _unique(doc: str, taken: set[str]) -> str:
    """``doc`` made safe for an id (word characters, dots and dashes) and unique in the pool."""
    base = _UNSAFE.sub("_", doc).strip("_") or "doc"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    taken.add(candidate)
    return candidate
