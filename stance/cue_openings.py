"""Where in a paragraph a cue may start, found in one pass of an Aho-Corasick
automaton (``pyahocorasick``, in C) instead of a Python loop over every word.

A cue fragment's *openings* are literal strings one of which every match of
the fragment begins with, read off its parsed expression: ``the (?:bloc|alliance)``
opens with ``the bloc`` or ``the alliance``; ``effective\\w*`` with ``effective``;
``csto`` with ``csto`` and the end of a word. An opening stops where the
expression stops being literal (``\\w``, a wide class, a repeat of more than
whitespace) or grows past ``MAX_OPENINGS`` alternatives or ``MAX_CHARS``
characters; a shorter opening only lets more positions through.

The automaton reads the case-folded paragraph with every non-word character
replaced by a space and a space added at either end (``_NON_WORD``), so one
space stands for a word boundary, a whitespace character or punctuation, and
each key is a space followed by an opening: a key found in that text is a word
start whose next characters may begin a cue. Whitespace in an opening stands
for exactly one whitespace character, which holds in a paragraph without a run
of two (nearly all of them); a paragraph with such a run is read by a second
automaton whose openings stop at their first whitespace.

Fragments that open with a non-word character (an opening quote, as in
``«allies»``) are not keys: their families are tried wherever that character
starts a word (``(?<!\\w)["«]``).

The positions found are a superset of where cues match; each family's own
expression decides (``stance.cues``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from re import _constants as sre  # the parsed form of Python's own expressions: the same syntax, no second parser
from re import _parser as sre_parse

import ahocorasick

MAX_OPENINGS = 128
"""Most alternative openings kept for one fragment; more are cut shorter until they fit."""
MAX_CHARS = 24
"""Longest opening, in characters."""

_NON_WORD = re.compile(r"[^\w ]")
_WORD_CHAR = re.compile(r"\w")
_WHITESPACE_RUN = re.compile(r"\s\s")
"""(Every whitespace character but the space is unprintable: a printable text
without two spaces in a row has no run, and is not searched.)"""
_SPACE_CLASS = [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_SPACE)])]


class OpeningScan:
    """The positions of a case-folded paragraph where each family's cues may
    start, from the openings of ``families`` (one sequence of fragments per
    family, in family order; fragments as in ``stance.cues``, lower case,
    whitespace written ``\\s+``)."""

    def __init__(self, families: Sequence[Iterable[str]]):
        spanning: dict[str, set[int]] = {}
        stopping: dict[str, set[int]] = {}
        by_char: dict[str, set[int]] = {}
        for position, fragments in enumerate(families):
            for fragment in fragments:
                for opening in openings(fragment, spanning=False):
                    if opening and not _WORD_CHAR.match(opening[0]):
                        by_char.setdefault(opening[0], set()).add(position)
                    else:
                        stopping.setdefault(_key(opening), set()).add(position)
                for opening in openings(fragment, spanning=True):
                    if not opening or _WORD_CHAR.match(opening[0]):
                        spanning.setdefault(_key(opening), set()).add(position)
        self._spanning = _automaton(spanning)
        self._stopping = _automaton(stopping)
        self._by_char = {char: frozenset(found) for char, found in by_char.items()}
        self._char_starts = (
            # the character, then a look back at the one before it: a scan for a set of characters is fast in re
            re.compile("[" + "".join(map(re.escape, sorted(by_char))) + r"](?<!\w.)", re.DOTALL) if by_char else None
        )

    def starts(self, folded: str) -> list[tuple[int, tuple[int, ...]]]:
        """``(position in folded, positions of the families whose cues may start
        there)``, in position order, the families in family order."""
        runs = ("  " in folded or not folded.isprintable()) and _WHITESPACE_RUN.search(folded)
        automaton = self._stopping if runs else self._spanning
        spaced = " " + _NON_WORD.sub(" ", folded) + " "
        last = len(folded)
        found: dict[int, tuple[int, ...]] = {}
        for end, (length, families) in automaton.iter(spaced):
            start = end - length  # the key's space is spaced[start], the paragraph's folded[start - 1]
            if start < last:
                earlier = found.get(start)
                found[start] = families if earlier is None else tuple(sorted({*earlier, *families}))
        if self._char_starts is not None:
            for match in self._char_starts.finditer(folded):
                start = match.start()
                found[start] = tuple(sorted({*found.get(start, ()), *self._by_char[match.group()]}))
        return sorted(found.items())


def openings(fragment: str, *, spanning: bool) -> set[str]:
    """The literal strings one of which every match of ``fragment`` begins with
    (``""``: any position). Whitespace is one space; a word boundary at the
    fragment's end is a space too. With ``spanning`` false, openings stop after
    their first whitespace."""
    try:
        parsed = list(sre_parse.parse(fragment))
    except re.error:
        return {""}
    found = _open(parsed, {""}, spanning)
    return {opening for opening in found if not any(other != opening and opening.startswith(other) for other in found)}


def _open(items: list, prefixes: set[str], spanning: bool) -> set[str]:
    """``prefixes`` extended along the parsed ``items`` as far as they stay literal."""
    current = set(prefixes)
    for index, (op, value) in enumerate(items):
        rest = items[index + 1 :]
        if any(len(prefix) >= MAX_CHARS for prefix in current):
            return current
        if op is sre.LITERAL:
            current = {prefix + chr(value) for prefix in current}
        elif op is sre.IN:
            chars = _class_chars(value)
            if chars is None or len(chars) * len(current) > MAX_OPENINGS:
                return current
            if " " in chars and not spanning:
                return _trim({prefix + char for prefix in current for char in chars})
            current = {prefix + char for prefix in current for char in chars}
        elif op is sre.SUBPATTERN:
            return _open(list(value[-1]) + rest, current, spanning)
        elif op is sre.BRANCH:
            return _trim(set().union(*(_open(list(branch) + rest, current, spanning) for branch in value[1])))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            least, _, repeated = value
            repeated = list(repeated)
            if repeated == _SPACE_CLASS:  # \s+, \s?, \s*: one space (two or more only in a paragraph read by the stopping automaton)
                spaced = {prefix + " " for prefix in current}
                once = _open(rest, spaced, spanning) if spanning else spaced
                return once if least >= 1 else _trim(once | _open(rest, current, spanning))
            if least == 0:
                return _trim(_open(repeated + rest, current, spanning) | _open(rest, current, spanning))
            return _open(repeated, current, spanning)
        elif op is sre.ASSERT_NOT and value[0] == 1 and list(value[1]) == [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_WORD)])]:
            return {prefix + " " for prefix in current}
        else:
            return current
    return {prefix + " " for prefix in current}  # every cue ends a word


def _class_chars(members: list) -> set[str] | None:
    """The characters of a small class of literals and ranges (whitespace as a space), else ``None``."""
    chars: set[str] = set()
    for op, value in members:
        if op is sre.LITERAL:
            chars.add(chr(value))
        elif op is sre.RANGE and value[1] - value[0] < 8:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        elif op is sre.CATEGORY and value is sre.CATEGORY_SPACE:
            chars.add(" ")
        else:
            return None
    return chars


def _trim(found: set[str]) -> set[str]:
    """``found`` cut shorter, from the longest, until at most ``MAX_OPENINGS`` remain."""
    while len(found) > MAX_OPENINGS:
        longest = max(map(len, found))
        found = {opening[: longest - 1] for opening in found}
    return found


def _key(opening: str) -> str:
    """The automaton's key for ``opening``: a space (the word boundary before it), then the opening as the scanned text has it."""
    return " " + _NON_WORD.sub(" ", opening)


def _automaton(keys: dict[str, set[int]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, families in keys.items():
        automaton.add_word(key, (len(key) - 1, tuple(sorted(families))))
    automaton.make_automaton()
    return automaton
