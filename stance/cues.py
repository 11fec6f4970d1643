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

For speed, candidate positions are found first and each family's own
expression is tried only there: the scan visits the starts of words (and the
few non-word characters a cue may begin with, such as an opening quote) and,
at each, matches the prefix tree of the cues that begin with that character.
(One lookahead expression over every position, the previous scan, finds the
same positions for twice the time: Python's ``re`` tries an alternation's
branches one by one, and every word start walked the whole tree's first level.)
Families whose first characters cannot be told fall back to that full scan.

Matches are cached per ``MatchCache`` (each lexicon extractor has its own, so
that two models, or a benchmark's two sides, never share one), bounded in bytes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
import sys
from collections import OrderedDict
from dataclasses import dataclass

NEGATOR_WORDS = frozenset("not no never cannot neither nor without hardly не нет ни без никогда отнюдь".split())
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_CLAUSE_BREAK = re.compile(
    r"[.,;:!?()\[\]«»\"“”—]|(?<!\w)(?:but|however|although|though|whereas|но|однако|хотя)(?!\w)", re.IGNORECASE
)
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_META = set("\\[](){}?*+|.^$")
_QUANTIFIERS = set("?*+{")
_LOOKBACK = 120
_WORD_CHAR = re.compile(r"\w")


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
        scan_fragments = [
            expanded
            for family in self.families
            for pattern in family.patterns
            for expanded in _expand_leading_group(_scan_form(pattern))
        ]
        self.scan_fragments = tuple(scan_fragments)
        self._starts, self._by_start_char = _start_scan(scan_fragments)
        self._scan = None if self._by_start_char is not None else full_scan(scan_fragments)
        by_first_char: dict[str, list[int]] = {}
        always: list[int] = []
        for position, family in enumerate(self.families):
            firsts = [_first_chars(_scan_form(pattern)) for pattern in family.patterns]
            if None in firsts:
                always.append(position)
                continue
            for char in set().union(*firsts):
                by_first_char.setdefault(char, []).append(position)
        # per first character, the families to try there, in family order
        self._by_first_char = {char: sorted(found + always) for char, found in by_first_char.items()}
        self._always = always

    def match(self, text: str, window: int = 4) -> dict[str, tuple[tuple[int, int], ...]]:
        """Feature name -> spans ``(start, end)`` in ``text`` where it fired (only
        features that fired)."""
        folded = _fold(text)
        found: dict[str, list[tuple[int, int]]] = {}
        family_end = [0] * len(self.families)
        for start in self.candidates(folded):
            for position in self._by_first_char.get(folded[start], self._always):
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
        """The positions of the lower-cased ``folded`` text where some cue matches
        (as a whole word): word starts whose first character begins a cue and
        where the prefix tree of the cues beginning with it matches."""
        if self._by_start_char is None:
            return [candidate.start() for candidate in self._scan.finditer(folded)]
        trees = self._by_start_char.get
        found = []
        for word in self._starts.finditer(folded):
            start = word.start()
            tree = trees(folded[start])
            if tree is not None and tree.match(folded, start):
                found.append(start)
        return found

    def _add_anchored(self, text: str, found: dict[str, list[tuple[int, int]]]) -> None:
        anchored = [
            (family.name, family.anchor, feature)
            for family in self.families
            if family.anchor
            for feature in (family.name, f"{family.name}_negated")
            if feature in found
        ]
        if not anchored:
            return
        starts = [sentence.start() for sentence in _SENTENCE.finditer(text)]
        for name, anchor, feature in anchored:
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
    left = text[max(0, start - _LOOKBACK) : start]
    last_break = None
    for last_break in _CLAUSE_BREAK.finditer(left):
        pass
    if last_break is not None:
        left = left[last_break.end() :]
    words = _TOKEN.findall(left)[-window:] if window > 0 else []
    return any(word.lower() in NEGATOR_WORDS or word.lower().endswith(("n't", "n’t")) for word in words)


def full_scan(fragments: list[str]) -> re.Pattern:
    """One expression whose matches (empty, by lookahead) are every position
    where one of ``fragments`` matches as a whole word."""
    return re.compile(r"(?<!\w)(?=" + _trie_regex(fragments) + r"(?!\w))")


def _start_scan(fragments: list[str]) -> tuple[re.Pattern, dict[str, re.Pattern] | None]:
    """The expression finding where a cue may start (after no word character:
    a word character, or a non-word character some cue begins with) and, per
    first character, the anchored prefix tree of the cues beginning with it;
    ``None`` for the trees when some fragment's first characters cannot be told."""
    by_char: dict[str, list[str]] = {}
    for fragment in fragments:
        firsts = _first_chars(fragment)
        if firsts is None:
            return re.compile(r"(?<!\w)\w"), None
        for char in firsts:
            by_char.setdefault(char, []).append(fragment)
    others = "".join(re.escape(char) for char in sorted(by_char) if not _WORD_CHAR.match(char))
    trees = {char: re.compile(_trie_regex(chosen) + r"(?!\w)") for char, chosen in by_char.items()}
    return re.compile(r"(?<!\w)[\w" + others + "]"), trees


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
    """The fragment as the case-folded scan sees it."""
    return _spaced(pattern).replace("(?-i:", "(?:").lower()


def _expand_leading_group(pattern: str, limit: int = 16) -> list[str]:
    """``pattern`` as the equivalent list of fragments that each start with plain
    characters, when it starts with a group of plain alternatives
    (``(?:said|noted) x`` -> ``said x``, ``noted x``): the scan's prefix tree
    then rejects most positions after one character instead of trying the
    group everywhere. Otherwise ``[pattern]``."""
    if not pattern.startswith("(?:"):
        return [pattern]
    depth = 0
    for position, char in enumerate(pattern):
        if char == "(" and (position == 0 or pattern[position - 1] != "\\"):
            depth += 1
        elif char == ")" and pattern[position - 1] != "\\":
            depth -= 1
            if depth == 0:
                break
    else:
        return [pattern]
    inner, rest = pattern[3:position], pattern[position + 1 :]
    alternatives = inner.split("|")
    if (
        rest[:1] in _QUANTIFIERS
        or len(alternatives) > limit
        or any(not alternative or any(char in _META for char in alternative) for alternative in alternatives)
    ):
        return [pattern]
    return [alternative + rest for alternative in alternatives]


def _literal_prefix(pattern: str) -> str:
    """The plain characters a fragment starts with ('' if it may start otherwise)."""
    depth = 0
    for char in pattern:
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            return ""
    prefix = []
    for position, char in enumerate(pattern):
        if char in _META or char.isspace():
            break
        if position + 1 < len(pattern) and pattern[position + 1] in _QUANTIFIERS:
            break
        prefix.append(char)
    return "".join(prefix)


def _first_chars(pattern: str) -> set[str] | None:
    """The characters a fragment can start with, or None when that is not easy to tell."""
    prefix = _literal_prefix(pattern)
    if prefix:
        return {prefix[0]}
    if pattern.startswith("(?:"):
        depth, alternatives, current = 0, [], []
        for position, char in enumerate(pattern[3:], start=3):
            if char == "(" and pattern[position - 1] != "\\":
                depth += 1
            elif char == ")" and pattern[position - 1] != "\\":
                if depth == 0:
                    rest = pattern[position + 1 :]
                    break
                depth -= 1
            if char == "|" and depth == 0:
                alternatives.append("".join(current))
                current = []
            else:
                current.append(char)
        else:
            return None
        alternatives.append("".join(current))
        chars: set[str] = set()
        for alternative in alternatives:
            first = _first_chars(alternative) if alternative else None
            if first is None:
                return None
            chars |= first
        if rest.startswith(("?", "*")):
            after = _first_chars(rest[1:])
            return None if after is None else chars | after
        return chars
    if pattern.startswith("[") and "]" in pattern[1:] and pattern[1] != "^":
        members = re.sub(r"\\(\W)", r"\1", pattern[1 : pattern.index("]", 1)])
        return None if "\\" in members or "-" in members else set(members)
    return None


def _trie_regex(patterns: list[str]) -> str:
    """One expression matching any of ``patterns``, factored on their literal
    prefixes so that the engine rejects most positions after one character."""
    trie: dict = {}
    for pattern in patterns:
        prefix = _literal_prefix(pattern)
        node = trie
        for char in prefix:
            node = node.setdefault(char, {})
        node.setdefault("", set()).add(pattern[len(prefix) :])

    def render(node: dict) -> str:
        branches = [re.escape(char) + render(child) for char, child in node.items() if char != ""]
        branches += sorted(f"(?:{rest})" if rest else "" for rest in node.get("", ()))
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(trie)
