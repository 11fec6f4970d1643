"""A user's unlabeled articles (the pool to label from): text and HTML files,
folders of them, and JSON Lines files of ``{"id": ..., "text": ...}`` objects,
read into documents with stable ids."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError
from ..reading import read_article

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
POOL_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
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
    text = read_article(path)
    if path.suffix.lower() in HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text = html_text(text)
    return path.stem, text, str(path)


def _read_jsonl(path: Path, problems: list[str]) -> list[tuple[str, str, str]]:
    """One document per ``doc`` (else ``id``; default: the file's name and line
    number) of the file's lines, each an object with a ``text``; lines of one
    document are its paragraphs, in order."""
    texts: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(read_article(path).split("\n"), 1):
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


class _TextOfHtml(HTMLParser):
    """Collects an HTML page's visible text, a blank line after each block element."""

    BLOCKS = frozenset(
        "p div h1 h2 h3 h4 h5 h6 li blockquote section article header footer aside figcaption "
        "tr table ul ol pre address dd dt".split()
    )
    HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_text(html: str) -> str:
    """The visible text of an HTML page, one paragraph per block element
    (scripts, styles and the head left out), for ``stance.segment`` to split.

    Python's own ``html.parser`` is enough here: the pool only needs the running
    text, and boilerplate (navigation, credits, notices) is recognised later by
    the segmenter, as for plain text."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
