"""Matching named families of word cues in a paragraph, aware of negation and
of the sentence each cue sits in.

A family is a list of regular-expression fragments, matched case-insensitively
on word boundaries; a space in a fragment matches any run of whitespace. Write
fragments in lower case and wrap a case-sensitive part in ``(?-i:...)``, as in
``(?-i:US)``. Matching a paragraph gives, per feature name, the character spans
where the feature fired:

* ``<family>`` for each cue found (within a family, matches do not overlap and
  the longest fragment wins, as with one regular expression);
* ``<family>_negated`` instead, for a negatable family whose cue lies in the
  scope of a negator: one of the ``window`` words before it, within the same
  clause, is "not", "never", "не", "без" ... ("was not a failure",
  "could not be considered a failure", "не является провалом");
* ``<family>_near_<anchor>`` in addition, for an anchored family whose
  non-negated cue shares a sentence with a cue of the anchor family
  ("effective" in a sentence naming the CSTO), and
  ``<family>_negated_near_<anchor>`` for a negated one ("the CSTO has not
  failed": a charge rejected about the anchor itself).

For speed, the positions where a cue may start, and which families may start
there, are found first in one pass of an Aho-Corasick automaton over the
paragraph (``stance.cue_openings``); each family's own expression is tried
only there. (A loop over every word start, the previous scan, spent most of
its time in Python.)

Matches are cached per ``MatchCache`` (each lexicon extractor has its own, so
that two models, or a benchmark's two sides, never share one), bounded in bytes.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from .cue_openings import OpeningScan

NEGATOR_WORDS = frozenset("not no never cannot neither nor without hardly не нет ни без никогда отнюдь".split())
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_CLAUSE_BREAK = re.compile(
    r"[.,;:!?()\[\]«»\"“”—]|(?<!\w)(?:but|however|although|though|whereas|но|однако|хотя)(?!\w)", re.IGNORECASE
)
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_LOOKBACK = 120
_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)


@dataclass(frozen=True)
class CueFamily:
    """A named list of cue fragments; ``negatable`` adds a ``_negated`` feature,
    ``anchor`` (another family's name) adds a ``_near_<anchor>`` feature."""

    name: str
    patterns: tuple[str, ...]
    negatable: bool = False
    anchor: str | None = None


class CueSet:
    """Compiled cue families with a fixed, ordered list of feature names."""

    def __init__(self, families: Iterable[CueFamily]):
        self.families = tuple(families)
        names = []
        for family in self.families:
            names.append(family.name)
            if family.negatable:
                names.append(f"{family.name}_negated")
            if family.anchor:
                names.append(f"{family.name}_near_{family.anchor}")
                if family.negatable:
                    names.append(f"{family.name}_negated_near_{family.anchor}")
        self.feature_names: tuple[str, ...] = tuple(names)
        self.index = {name: column for column, name in enumerate(names)}
        self._compiled = [_compile_family(family) for family in self.families]
        self.scan_fragments = tuple(_scan_form(pattern) for family in self.families for pattern in family.patterns)
        self._openings = OpeningScan([[_scan_form(pattern) for pattern in family.patterns] for family in self.families])
        self._anchored = tuple(
            (feature, family.anchor)
            for family in self.families
            if family.anchor
            for feature in (family.name, f"{family.name}_negated")
        )

    def match(self, text: str, window: int = 4) -> dict[str, tuple[tuple[int, int], ...]]:
        """Feature name -> spans ``(start, end)`` in ``text`` where it fired (only
        features that fired)."""
        folded = _fold(text)
        found: dict[str, list[tuple[int, int]]] = {}
        family_end = [0] * len(self.families)
        for start, positions in self._starts(folded):
            for position in positions:
                if start < family_end[position]:
                    continue
                end = _longest_match(self._compiled[position], text, folded, start)
                if end is None:
                    continue
                family_end[position] = end
                family = self.families[position]
                negated = family.negatable and is_negated(text, start, window)
                found.setdefault(f"{family.name}_negated" if negated else family.name, []).append((start, end))
        self._add_anchored(text, found)
        return {name: tuple(spans) for name, spans in found.items()}

    def candidates(self, folded: str) -> list[int]:
        """The positions of the lower-cased ``folded`` text where some cue may
        start (a superset of where one matches), in order."""
        return [start for start, _ in self._starts(folded)]

    def _starts(self, folded: str) -> list[tuple[int, tuple[int, ...]]]:
        """``(position, families that may start there)`` in position order, the families in family order."""
        return self._openings.starts(folded)

    def _add_anchored(self, text: str, found: dict[str, list[tuple[int, int]]]) -> None:
        anchored = [(feature, anchor) for feature, anchor in self._anchored if feature in found]
        if not anchored:
            return
        starts = [sentence.start() for sentence in _SENTENCE.finditer(text)]
        for feature, anchor in anchored:
            anchor_sentences = {bisect.bisect_right(starts, start) for start, _ in found.get(anchor, ())}
            near = [span for span in found[feature] if bisect.bisect_right(starts, span[0]) in anchor_sentences]
            if near:
                found[f"{feature}_near_{anchor}"] = near


class MatchCache:
    """``CueSet.match`` results remembered for recent texts, least recently used
    dropped first, within ``max_bytes`` (an estimate of the texts and spans
    held); texts longer than ``max_text`` characters are matched, never kept.
    Results are shared: do not modify them. (``functools.lru_cache`` bounds
    entries, not bytes, and one on a module-level ``CueSet`` was shared by every
    model in the process.)"""

    ENTRY_OVERHEAD = 240
    SPAN_BYTES = 120

    def __init__(self, cues: CueSet, *, max_bytes: int = 8 * 1024 * 1024, max_text: int = 20_000):
        self.cues = cues
        self.max_bytes = max_bytes
        self.max_text = max_text
        self.bytes = 0
        self._entries: OrderedDict[tuple[str, int], tuple[dict, int]] = OrderedDict()

    def match(self, text: str, window: int = 4) -> dict[str, tuple[tuple[int, int], ...]]:
        """``cues.match(text, window)``, from memory when the text was matched recently."""
        key = (text, window)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            return entry[0]
        found = self.cues.match(text, window)
        if len(text) <= self.max_text:
            size = sys.getsizeof(text) + self.ENTRY_OVERHEAD + self.SPAN_BYTES * sum(map(len, found.values()))
            if size <= self.max_bytes:
                self._entries[key] = (found, size)
                self.bytes += size
                while self.bytes > self.max_bytes:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    self.bytes -= dropped
        return found

    def __len__(self) -> int:
        return len(self._entries)


def is_negated(text: str, start: int, window: int = 4) -> bool:
    """Whether one of the ``window`` words before ``text[start]``, in the same clause, is a negator."""
    if window <= 0:
        return False
    clause = _CLAUSE_BREAK.split(text[max(0, start - _LOOKBACK) : start])[-1]  # after the last break
    words = [word.lower() for word in _TOKEN.findall(clause)[-window:]]
    return any(word in NEGATOR_WORDS or word.endswith(("n't", "n’t")) for word in words)


def _fold(text: str) -> str:
    """``text`` lower-cased character by character, so offsets stay the same."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def _spaced(pattern: str) -> str:
    return pattern.replace(" ", r"\s+")


def _compile_family(family: CueFamily) -> tuple[re.Pattern | None, re.Pattern | None]:
    """The family's anchored expressions: case-folded fragments (matched on the
    folded text) and case-sensitive ones (matched on the original text)."""
    folded = [_spaced(pattern) for pattern in family.patterns if "(?-i:" not in pattern]
    cased = [_spaced(pattern) for pattern in family.patterns if "(?-i:" in pattern]
    for pattern in folded:
        if pattern != pattern.lower():
            raise ValueError(f"cue {pattern!r} of family '{family.name}' must be lower case (use (?-i:...) for case)")

    def compile_(patterns: list[str], flags: int) -> re.Pattern | None:
        if not patterns:
            return None
        return re.compile("(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + r")(?!\w)", flags)

    return compile_(folded, 0), compile_(cased, re.IGNORECASE)


def _longest_match(compiled: tuple[re.Pattern | None, re.Pattern | None], text: str, folded: str, start: int) -> int | None:
    folded_rx, cased_rx = compiled
    ends = []
    if folded_rx is not None and (match := folded_rx.match(folded, start)):
        ends.append(match.end())
    if cased_rx is not None and (match := cased_rx.match(text, start)):
        ends.append(match.end())
    return max(ends) if ends else None


def _scan_form(pattern: str) -> str:
    """The fragment as the case-folded text sees it: lower case outside its escapes (``\\S`` stays ``\\S``)."""
    return _ESCAPE_OR_TEXT.sub(_lower_text, _spaced(pattern).replace("(?-i:", "(?:"))


def _lower_text(match: re.Match) -> str:
    return match.group() if match.group().startswith("\\") else match.group().lower()
