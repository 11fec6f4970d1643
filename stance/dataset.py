"""Labeled paragraphs in the codebook's JSON Lines format: loading and checking."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from .errors import DataError
from .labels import RHETORIC_TAGS, SOURCES, STANCE_LABELS, TARGETS


@dataclass(frozen=True)
class Record:
    """One labeled paragraph (a line of a labels file)."""

    id: str
    doc: str
    text: str
    boilerplate: bool
    csto: str
    west: str
    rhetoric: tuple[str, ...]
    evidence: dict[str, list[str]] = field(default_factory=dict)
    source: str = "seed"
    note: str | None = None

    def label(self, target: str) -> str:
        """This paragraph's label on ``target`` (``"csto"`` or ``"west"``)."""
        return getattr(self, target)


def load_records(path: str | Path) -> list[Record]:
    """Read a labels file; a line that is not a well-formed record raises
    ``DataError`` naming the file and line (run ``stance data check`` for all problems)."""
    path = Path(path)
    records = []
    for number, line in _numbered_lines(path):
        try:
            records.append(_record(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataError(f"{path}:{number}: not a valid record ({exc.__class__.__name__}: {exc})") from exc
    return records


def load_files(paths: Sequence[str | Path]) -> list[tuple[Path, list[Record]]]:
    """Each labels file of ``paths`` with its records, in order; ``DataError``
    when a file is given twice or an id appears in two files (ids name
    paragraphs across the files a model learns from)."""
    loaded: list[tuple[Path, list[Record]]] = []
    seen: dict[str, Path] = {}
    for path in map(Path, paths):
        if any(path.resolve() == other.resolve() for other, _ in loaded):
            raise DataError(f"{path}: labeled file given twice")
        records = load_records(path)
        for record in records:
            if record.id in seen and seen[record.id] != path:
                raise DataError(f"{path}: id '{record.id}' is also in {seen[record.id]}; ids must be unique across files")
            seen.setdefault(record.id, path)
        loaded.append((path, records))
    if not loaded:
        raise DataError("no labeled file given")
    return loaded


def split_by_document(records: Sequence[Any], share: float, *, seed: int = 0) -> tuple[list, list]:
    """``(rest, held_out)``: about ``share`` of the documents of ``records``
    (anything with a ``doc``: records or their dicts), drawn at random with
    ``seed``, held out whole, at least one document on each side when there
    are two or more; order kept."""
    import random

    doc_of = (lambda r: r["doc"]) if records and isinstance(records[0], dict) else (lambda r: r.doc)
    docs = sorted({doc_of(r) for r in records})
    count = min(max(round(len(docs) * share), 1), len(docs) - 1) if len(docs) > 1 and share > 0 else 0
    held = set(random.Random(seed).sample(docs, count))
    return [r for r in records if doc_of(r) not in held], [r for r in records if doc_of(r) in held]


def normalized_text(text: str) -> str:
    """A paragraph's text as compared for duplicates: case-folded words joined by single spaces."""
    return " ".join(_WORD.findall(text.casefold()))


def text_hash(text: str) -> str:
    """The SHA-256 of ``normalized_text(text)``: the same paragraph whatever its spacing, case or punctuation."""
    return hashlib.sha256(normalized_text(text).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- checking

NEAR_DUPLICATE_JACCARD = 0.8
"""Word 5-gram shingle Jaccard similarity from which two texts count as near-duplicates."""

SHINGLE_WORDS = 5

_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "doc": (str,),
    "text": (str,),
    "boilerplate": (bool,),
    "csto": (str,),
    "west": (str,),
    "rhetoric": (list,),
    "source": (str,),
    "evidence": (dict,),
    "note": (str, type(None)),
}
_JSON_NAMES: dict[type, str] = {
    type(None): "null",
    str: "a string",
    bool: "true or false",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
}
_REQUIRED = ("id", "doc", "text", "boilerplate", "csto", "west", "rhetoric", "source")
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SEED_ARTICLE = re.compile(r"^(\d{3})_.*\.txt$")


@dataclass(frozen=True)
class Problem:
    """One problem in a labels file; ``line`` is ``None`` when no line is to blame
    (a seed paragraph that has no record)."""

    line: int | None
    message: str


@dataclass(frozen=True)
class Distribution:
    """Label counts over the content (non-boilerplate) records of a file.

    ``targets`` maps each target to its label counts, ``tags`` counts rhetoric
    tags, ``sources`` and ``languages`` (``"en"`` or ``"ru"``: a text with
    Cyrillic letters is Russian) count content records; ``boilerplate`` counts
    the rest.
    """

    paragraphs: int
    boilerplate: int
    targets: dict[str, dict[str, int]]
    tags: dict[str, int]
    sources: dict[str, int]
    languages: dict[str, int]


@dataclass(frozen=True)
class CheckReport:
    """Every problem found in a labels file, by line, and its label distribution."""

    path: Path
    errors: tuple[Problem, ...]
    distribution: Distribution

    @property
    def ok(self) -> bool:
        """Whether the file has no problems at all."""
        return not self.errors


def check_file(path: str | Path, *, seeds_dir: str | Path | None = None) -> CheckReport:
    """Check every line of a labels file and collect all problems with their lines.

    Besides each record's schema and labels, it checks across records: duplicate
    ids, duplicate and near-duplicate texts among content paragraphs, and, when
    there are seed articles, that every paragraph of each is labeled as a
    ``"seed"`` record. ``seeds_dir`` defaults to the labels file's own folder, or
    a ``seeds/`` folder beside it, whichever holds seed articles (``NNN_*.txt``).
    Raises ``DataError`` only when the file cannot be read at all.
    """
    path = Path(path)
    problems: list[Problem] = []
    records: list[tuple[int, Record]] = []
    for number, line in _numbered_lines(path):
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(number, f"not valid JSON: {exc.msg} (column {exc.colno})"))
            continue
        schema = _schema_problems(raw)
        if schema:
            problems.extend(Problem(number, message) for message in schema)
            continue
        problems.extend(Problem(number, message) for message in _label_problems(raw) + _evidence_problems(raw))
        records.append((number, _record(raw)))
    problems.extend(_duplicate_ids(records))
    problems.extend(_duplicate_texts([(n, r) for n, r in records if not r.boilerplate]))
    seeds = Path(seeds_dir) if seeds_dir is not None else _default_seeds_dir(path)
    if seeds is not None:
        problems.extend(_seed_coverage(records, seeds))
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return CheckReport(path, tuple(problems), _distribution(r for _, r in records))


def language(text: str) -> str:
    """``"ru"`` for a text with Cyrillic letters, else ``"en"``."""
    return "ru" if _CYRILLIC.search(text) else "en"


def _numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a file with their 1-based numbers."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read labeled data: {exc}") from exc
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield number, line


def _record(raw: dict[str, Any]) -> Record:
    return Record(
        id=raw["id"],
        doc=raw["doc"],
        text=raw["text"],
        boilerplate=bool(raw["boilerplate"]),
        csto=raw["csto"],
        west=raw["west"],
        rhetoric=tuple(raw["rhetoric"]),
        evidence=dict(raw.get("evidence", {})),
        source=raw["source"],
        note=raw.get("note"),
    )


def _schema_problems(raw: Any) -> list[str]:
    """Missing or unknown keys and wrongly typed values; none means ``_record(raw)`` works."""
    if not isinstance(raw, dict):
        return [f"a record must be a JSON object, not {_JSON_NAMES[type(raw)]}"]
    problems = []
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        problems.append(f"missing key(s): {', '.join(missing)}")
    unknown = sorted(key for key in raw if key not in _FIELD_TYPES)
    if unknown:
        problems.append(f"unknown key(s): {', '.join(unknown)}")
    for key, types in _FIELD_TYPES.items():
        if key in raw and not isinstance(raw[key], types):
            expected = " or ".join(_JSON_NAMES[t] for t in types)
            problems.append(f"'{key}' must be {expected}, not {_JSON_NAMES[type(raw[key])]}")
    if isinstance(raw.get("rhetoric"), list) and not all(isinstance(tag, str) for tag in raw["rhetoric"]):
        problems.append("'rhetoric' must be a list of tag names")
    evidence = raw.get("evidence")
    if isinstance(evidence, dict) and not all(
        isinstance(spans, list) and all(isinstance(span, str) for span in spans) for spans in evidence.values()
    ):
        problems.append("'evidence' must map each tag to a list of text spans")
    return problems


def _label_problems(raw: dict[str, Any]) -> list[str]:
    """Labels outside the codebook, and fields that contradict each other."""
    problems = []
    if not raw["text"].strip():
        problems.append("empty text")
    if not raw["id"].startswith(raw["doc"]):
        problems.append(f"id '{raw['id']}' does not start with its doc '{raw['doc']}'")
    for target in TARGETS:
        if raw[target] not in STANCE_LABELS:
            problems.append(f"unknown {target} label '{raw[target]}' (expected {', '.join(STANCE_LABELS)})")
    for tag in raw["rhetoric"]:
        if tag not in RHETORIC_TAGS:
            problems.append(f"unknown rhetoric tag '{tag}'")
    repeated = sorted(tag for tag, count in Counter(raw["rhetoric"]).items() if count > 1)
    if repeated:
        problems.append(f"rhetoric tag(s) listed twice: {', '.join(repeated)}")
    if raw["source"] not in SOURCES:
        problems.append(f"unknown source '{raw['source']}' (expected {', '.join(SOURCES)})")
    labeled = any(raw[target] != "none" for target in TARGETS) or raw["rhetoric"] or raw.get("evidence")
    if raw["boilerplate"] and labeled:
        problems.append("boilerplate record carries a stance or tags (it must be none/none with no tags)")
    return problems


def _evidence_problems(raw: dict[str, Any]) -> list[str]:
    """Tags without evidence, evidence without its tag, and spans not in the text."""
    problems = []
    evidence = raw.get("evidence", {})
    for tag in raw["rhetoric"]:
        if not evidence.get(tag):
            problems.append(f"tag '{tag}' has no evidence span")
    for tag, spans in evidence.items():
        if tag not in raw["rhetoric"]:
            problems.append(f"evidence for '{tag}', which is not among the record's tags")
        for span in spans:
            if not span:
                problems.append(f"empty evidence span for '{tag}'")
            elif span not in raw["text"]:
                problems.append(f"evidence span for '{tag}' not found verbatim in the text: {_quote(span)}")
    return problems


def _duplicate_ids(records: list[tuple[int, Record]]) -> Iterator[Problem]:
    first_line: dict[str, int] = {}
    for number, record in records:
        if record.id in first_line:
            yield Problem(number, f"duplicate id '{record.id}' (first on line {first_line[record.id]})")
        else:
            first_line[record.id] = number


def _duplicate_texts(records: list[tuple[int, Record]]) -> Iterator[Problem]:
    """Same normalised text as an earlier record, or a near-duplicate of one."""
    first_line: dict[str, int] = {}
    distinct: list[tuple[int, list[str]]] = []
    for number, record in records:
        key = normalized_text(record.text)
        words = key.split()
        if key in first_line:
            yield Problem(number, f"same text as line {first_line[key]}")
        else:
            first_line[key] = number
            distinct.append((number, words))
    for later, earlier, similarity in _near_duplicates(distinct):
        yield Problem(later, f"near-duplicate of line {earlier} (word 5-gram Jaccard {similarity:.2f})")


def _near_duplicates(texts: list[tuple[int, list[str]]]) -> Iterator[tuple[int, int, float]]:
    """Pairs (later line, earlier line, Jaccard) at or above ``NEAR_DUPLICATE_JACCARD``.

    Uses prefix filtering: ordered rarest first, two shingle sets that reach the
    threshold must share one of the first ``|A| - ceil(t|A|) + 1`` shingles, so
    only those are indexed and only records sharing one are compared.
    """
    shingle_sets = [_shingles(words) for _, words in texts]
    frequency = Counter(shingle for shingles in shingle_sets for shingle in shingles)
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for position, shingles in enumerate(shingle_sets):
        ordered = sorted(shingles, key=lambda s: (frequency[s], s))
        prefix = ordered[: len(ordered) - math.ceil(NEAR_DUPLICATE_JACCARD * len(ordered)) + 1]
        candidates = {other for shingle in prefix for other in index[shingle]}
        best = max(
            ((_jaccard(shingles, shingle_sets[other]), other) for other in candidates),
            default=(0.0, -1),
        )
        if best[0] >= NEAR_DUPLICATE_JACCARD:
            yield texts[position][0], texts[best[1]][0], best[0]
        for shingle in prefix:
            index[shingle].append(position)


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) <= SHINGLE_WORDS:
        return {tuple(words)}
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _jaccard(a: set, b: set) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _default_seeds_dir(path: Path) -> Path | None:
    for folder in (path.parent, path.parent / "seeds"):
        if folder.is_dir() and any(_SEED_ARTICLE.match(p.name) for p in folder.glob("*.txt")):
            return folder
    return None


def _seed_coverage(records: list[tuple[int, Record]], seeds_dir: Path) -> Iterator[Problem]:
    """Every paragraph of every seed article labeled as a seed record, and every
    seed record one of its article's paragraphs."""
    from .reading import read_article
    from .segment import segment

    seed_records = [(number, r) for number, r in records if r.source == "seed"]
    paragraphs: dict[str, set[str]] = {}
    for article in sorted(seeds_dir.glob("*.txt")):
        match = _SEED_ARTICLE.match(article.name)
        if not match:
            continue
        doc = match.group(1)
        labeled = {r.text for _, r in seed_records if r.doc == doc}
        paragraphs[doc] = set()
        for paragraph in segment(read_article(article)):
            paragraphs[doc].add(paragraph.text)
            if paragraph.text not in labeled:
                where = f"{article}: paragraph {paragraph.index + 1} {_quote(paragraph.text)}"
                yield Problem(None, f"{where} has no seed record with doc '{doc}'")
    for number, record in seed_records:
        if record.doc not in paragraphs:
            yield Problem(number, f"doc '{record.doc}' names no seed article in {seeds_dir}")
        elif record.text not in paragraphs[record.doc]:
            yield Problem(number, f"text is not a paragraph of seed article {record.doc} in {seeds_dir}")


def _distribution(records: Iterator[Record]) -> Distribution:
    targets = {target: dict.fromkeys(STANCE_LABELS, 0) for target in TARGETS}
    tags = dict.fromkeys(RHETORIC_TAGS, 0)
    sources = dict.fromkeys(SOURCES, 0)
    languages = {"en": 0, "ru": 0}
    paragraphs = boilerplate = 0
    for record in records:
        if record.boilerplate:
            boilerplate += 1
            continue
        paragraphs += 1
        for target in TARGETS:
            targets[target][record.label(target)] = targets[target].get(record.label(target), 0) + 1
        for tag in record.rhetoric:
            tags[tag] = tags.get(tag, 0) + 1
        sources[record.source] = sources.get(record.source, 0) + 1
        languages[language(record.text)] += 1
    return Distribution(paragraphs, boilerplate, targets, tags, sources, languages)


def _quote(text: str, limit: int = 60) -> str:
    return json.dumps(text if len(text) <= limit else text[: limit - 1] + "…", ensure_ascii=False)
