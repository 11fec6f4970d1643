"""Split an article into paragraphs and recognise boilerplate.

A paragraph is a block of text between blank lines or, in a document that has
no blank lines at all, a single line (the codebook's unit). A block whose
lines mostly end a sentence is text copied from a web page, one paragraph a
line, and is split into its lines; a block wrapped at a fixed width (lines
that mostly run on) stays one paragraph. Sentences end with the punctuation of
any script (``SENTENCE_ENDS``: Latin and Cyrillic, Armenian ``։``, Arabic,
Devanagari, Ethiopic, CJK). Boilerplate is what
a reader skips: headlines and section headings, datelines, calendars and number
runs, bylines, photo credits and captions, "see also" and navigation, cookie,
recruitment, subscription and "follow us" notices, copyright lines and
disclaimers, and an explainer's question headings. Each rule is one small
predicate, tried in order; the first that matches names the reason. Short
lines without closing punctuation are headings only in a document that also
has running text: alone, or among other short lines, they are posts.

Every pattern run on user text takes time linear in its length: gaps and
repeats are bounded (``{0,n}``, never ``.*`` between two words), patterns that
scan a whole paragraph for a notice run only on paragraphs of at most
``NOTICE_MAX_CHARS`` characters, and the remaining rules only on single short
lines. ``tests/test_segment.py`` segments 1 MB of adversarial text for each.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import ahocorasick

from .deadline import check_deadline

BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
BLOCK_BREAK = re.compile(r"(?:\n[^\S\n]*){2,}")
LINE_BREAK = re.compile(r"\n")
_WORD = re.compile(r"\w+", re.UNICODE)
_MORE_THAN_40_WORDS = re.compile(r"\W*+(?:\w++\W++){40}\w")
"""Matches a text of at least 41 words (maximal ``\\w+`` runs) in one pass, building
no list of them (possessive: a failed match never backtracks into a run)."""

SENTENCE_ENDS = frozenset(".!?…:;" "։՜՞" "؟۔" "।॥" "።፧" "。！？；：" "჻")
"""Characters that close a sentence: Latin and Cyrillic punctuation, Armenian
full stop and marks, Arabic and Urdu, Devanagari, Ethiopic, CJK full-width, Georgian."""
_CLOSERS = "»\"”'’)]』」】"
"""Quotes and brackets that may follow a sentence's last punctuation mark."""
LINES_AS_PARAGRAPHS = 0.6
"""Share of a block's lines (all but its last) that must end a sentence for its lines to be paragraphs."""

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|"
    "октябр[ья]|ноябр[ья]|декабр[ья]"
)
_DATELINE = re.compile(
    rf"^(?:date\s{{1,4}})?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s{{1,4}})?"
    rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}\s{{1,4}}(?:{_MONTHS})\.?,?\s{{1,4}}\d{{4}}|(?:{_MONTHS})\.?\s{{1,4}}\d{{1,2}},?\s{{1,4}}\d{{4}})"
    rf"(?:[,\s]{{1,4}}\d{{1,2}}:\d{{2}}(?:\s{{0,4}}[ap]\.?m\.?)?)?(?:\s{{0,4}}\|[^\n]{{0,200}})?$",
    re.IGNORECASE,
)
_AGENCY_DATELINE = re.compile(
    rf"^[^\W\d_][\w\-/ ]{{0,40}},\s{{1,4}}\d{{1,2}}\s{{1,4}}(?:{_MONTHS})\.?(?:\s{{1,4}}\d{{4}})?\.?\s{{0,4}}"
    rf"(?:[-–—]?\s{{0,4}}/[^/\n]{{1,30}}/\.?|\([^()\n]{{1,30}}\)\.?)?$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:photo|photos|image|picture|video|source|sources|credit|credits|фото|источник|"
    r"based on materials|по материалам|cover photo|illustration)\b[^\n]{0,200}$",
    re.IGNORECASE,
)
_TRAILING_CREDIT = re.compile(
    r"\b(?:photo|photos|image|picture|credit|фото|снимок)\s{0,4}:\s{0,4}[^.!?\n]{1,60}\.?$", re.IGNORECASE
)
_BYLINE = re.compile(
    r"^(?:by|author|reporting by|written by|editing by|автор|текст)\s{0,4}:?\s{1,4}[^\n]{2,80}$",
    re.IGNORECASE,
)
_SEE_ALSO = re.compile(
    r"^(?:see also|read also|read more|related|related articles|more on this topic|"
    r"читайте также|смотрите также|по теме|share|tweet|subscribe|follow us)\b[^\n]{0,60}$",
    re.IGNORECASE,
)
_NAVIGATION = re.compile(r"^\s{0,8}\|")


class _FollowedWithin:
    """Whether a match of ``first`` is followed, within ``gap`` characters, by a
    match of ``then``, or ``alone`` matches: in two scans of the text, where one
    pattern with a gap between two words would try the gap at every ``first``."""

    def __init__(self, first: str, then: str, gap: int, alone: str, flags: int = re.I) -> None:
        self._first = re.compile(first, flags)
        self._then = re.compile(then, flags)
        self._gap = gap
        self._alone = re.compile(alone, flags)

    def search(self, text: str) -> bool:
        if self._alone.search(text):
            return True
        ends = [match.end() for match in self._first.finditer(text)]
        if not ends:
            return False
        for match in self._then.finditer(text, ends[0]):
            before = bisect.bisect_right(ends, match.start()) - 1
            if match.start() - ends[before] <= self._gap:
                return True
        return False


_NOTICES = (
    (
        "cookie_notice",
        _FollowedWithin(r"\bcookies?\b", r"\b(?:consent|accept|policy|use)\b", 160, r"\bфайлы cookie\b"),
    ),
    (
        "recruitment",
        re.compile(
            r"\b(?:send (?:your )?cv|cover letter|we are hiring|job opening|vacanc(?:y|ies)|"
            r"seeks? (?:local )?(?:specialists|journalists|correspondents|authors)|"
            r"присылайте резюме|вакансии)\b",
            re.I,
        ),
    ),
    (
        "promotion",
        re.compile(
            r"\b(?:(?:join|follow) (?:us|our)\b[^.!?]{0,40}\b(?:telegram|channel|twitter|x|facebook|whatsapp|"
            r"instagram|youtube|coverage|newsletter|updates)|support our (?:reporting|journalism|work|newsroom)|(?:sign up|subscribe) (?:for|to) our|"
            r"donate here|подписывайтесь на наш|следите за нами|поддержите (?:нашу|нас))\b",
            re.I,
        ),
    ),
    (
        "legal_notice",
        re.compile(
            r"^\s{0,8}(?:©|\(c\)\s{0,4}\d{4}|copyright\b)|"
            r"\b(?:views|opinions) expressed (?:in this|here)\b|\bdo not necessarily reflect\b|"
            r"\bпри (?:полном или частичном )?(?:использовании|перепечатке|цитировании)\b[^.]{0,40}\bссылка\b|"
            r"\bесли вы нашли ошибку\b|\bматериал подготовлен\b",
            re.I,
        ),
    ),
    (
        "advertisement",
        re.compile(
            r"\b(?:subscribe to our newsletter|sign up for our newsletter|advertisement|sponsored content|"
            r"all rights reserved|подпишитесь на наш|реклама)\b",
            re.I,
        ),
    ),
)


_NOTICE_WORDS = {
    "cookie_notice": ("cookie",),
    "recruitment": ("cv", "cover letter", "hiring", "job opening", "vacanc", "seek", "присылайте резюме", "вакансии"),
    "promotion": (
        "join ", "follow ", "support our", "sign up", "subscribe", "donate here", "подписывайтесь на наш",
        "следите за нами", "поддержите",
    ),
    "legal_notice": (
        "©", "(c)", "copyright", "expressed", "necessarily", "ссылка", "если вы нашли ошибку", "материал подготовлен",
    ),
    "advertisement": (
        "newsletter", "advertisement", "sponsored content", "all rights reserved", "подпишитесь на наш", "реклама",
    ),
}
"""Per notice, words one of which every match of its pattern contains (case-folded):
a paragraph with none of them is not searched (``_NOTICE_WORDS_SCAN`` finds
them all in one pass; a case-insensitive search per notice costs far more)."""


def _notice_words_scan() -> ahocorasick.Automaton:
    """Each notice word found in a text gives the notices it belongs to."""
    reasons: dict[str, tuple[str, ...]] = {}
    for reason, words in _NOTICE_WORDS.items():
        for word in words:
            reasons[word] = (*reasons.get(word, ()), reason)
    automaton = ahocorasick.Automaton()
    for word, owners in reasons.items():
        automaton.add_word(word, owners)
    automaton.make_automaton()
    return automaton


_NOTICE_WORDS_SCAN = _notice_words_scan()

_SHORT_NOTICES = frozenset({"promotion", "legal_notice"})
"""Notices recognised only in short paragraphs: running text may quote their wording."""
NOTICE_MAX_CHARS = 1500
"""Longest paragraph (in characters) tested for any notice: a notice is a few
sentences, and the bound keeps every notice pattern's work per paragraph small."""
SHORT_MAX_CHARS = 400
"""Longest paragraph (in characters; and at most 40 words) counted as short."""
_QUESTION_HEADING = re.compile(r"^[^\W\d_][^\n]{0,80}\?$")
_ADDRESSEE = re.compile(r"\b(?:you|your|вы|вас|вам|ваш\w*)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    """One paragraph of an article: its text, offsets in the article, and
    whether (and why) it is boilerplate."""

    index: int
    text: str
    start: int
    end: int
    boilerplate: bool
    reason: str | None = None


def segment(text: str) -> list[Segment]:
    """Split ``text`` into paragraphs with character offsets and boilerplate flags.

    ``text[s.start:s.end] == s.text`` for every segment; blank segments are dropped.
    """
    separator = BLOCK_BREAK if BLANK_LINE.search(text) else LINE_BREAK
    pieces: list[tuple[int, str]] = []
    position = 0
    for match in [*separator.finditer(text), None]:
        check_deadline()
        block_end = match.start() if match else len(text)
        block = text[position:block_end]
        if block.strip():
            pieces.extend(block_paragraphs(block, position))
        if match:
            position = match.end()
    reasons = [boilerplate_reason(paragraph, headings=False) for _, paragraph in pieces]
    running_text = any(map(_is_running_text, (paragraph for _, paragraph in pieces), reasons))
    return list(segments_of(pieces, running_text=running_text, reasons=reasons))


def has_running_text(paragraphs: Iterable[str]) -> bool:
    """Whether any of ``paragraphs`` is running text (neither boilerplate nor
    a heading); reads them only up to the first that is, usually among the first few."""
    return any(_is_running_text(paragraph, boilerplate_reason(paragraph, headings=False)) for paragraph in paragraphs)


def _is_running_text(paragraph: str, reason: str | None) -> bool:
    """Whether ``paragraph``, whose ``boilerplate_reason`` without headings is ``reason``, is running text."""
    return reason is None and not _is_heading(paragraph) and not _is_question_heading(paragraph)


def segments_of(
    pieces: Iterable[tuple[int, str]], *, running_text: bool, reasons: Sequence[str | None] | None = None
) -> Iterator[Segment]:
    """The segments of a document's ``(start, paragraph)`` pieces, in order;
    short lines are headings only when the document has ``running_text``
    (see ``has_running_text``). ``reasons``: each piece's ``boilerplate_reason``
    without headings, when already known."""
    for index, (start, paragraph) in enumerate(pieces):
        reason = boilerplate_reason(paragraph, headings=False) if reasons is None else reasons[index]
        if reason is None and running_text:
            reason = _heading_reason(paragraph)
        yield Segment(index, paragraph, start, start + len(paragraph), reason is not None, reason)


def block_paragraphs(block: str, offset: int) -> list[tuple[int, str]]:
    """The ``(start, text)`` paragraphs of a non-blank ``block`` found at
    ``offset``: its lines when they are paragraphs of their own, else the block."""
    stripped = block.strip()
    if "\n" not in stripped:
        return [(offset + block.index(stripped[0]), stripped)]
    lines, start = [], offset
    for line in block.split("\n"):
        if line.strip():
            lines.append((start + len(line) - len(line.lstrip()), line.strip()))
        start += len(line) + 1
    if len(lines) > 1:
        ended = sum(_ends_sentence(line) for _, line in lines[:-1])
        if ended >= LINES_AS_PARAGRAPHS * (len(lines) - 1):
            return lines
    return [(offset + len(block) - len(block.lstrip()), stripped)]


def _ends_sentence(paragraph: str) -> bool:
    """Whether ``paragraph`` ends with a sentence's closing punctuation, in any script."""
    end = paragraph.rstrip().rstrip(_CLOSERS)
    return bool(end) and end[-1] in SENTENCE_ENDS


def boilerplate_reason(paragraph: str, *, headings: bool = True) -> str | None:
    """Name the kind of boilerplate ``paragraph`` is, or ``None`` for running text.
    ``headings``: whether a short line may be a headline or a question heading
    (``segment`` allows it only in a document with running text)."""
    if _is_number_run(paragraph):
        return "calendar" if "\n" in paragraph else "number_run"
    single_line = "\n" not in paragraph
    if single_line and (_DATELINE.match(paragraph) or _AGENCY_DATELINE.match(paragraph)):
        return "dateline"
    if single_line and _NAVIGATION.match(paragraph):
        return "navigation"
    if single_line and _SEE_ALSO.match(paragraph):
        return "see_also"
    if single_line and _CREDIT.match(paragraph):
        return "credit"
    short = len(paragraph) <= SHORT_MAX_CHARS and not _MORE_THAN_40_WORDS.match(paragraph)
    if single_line and short and ":" in paragraph and _TRAILING_CREDIT.search(paragraph):
        return "credit"
    if single_line and short and _BYLINE.match(paragraph) and len(_WORD.findall(paragraph)) <= 8:
        return "byline"
    if len(paragraph) <= NOTICE_MAX_CHARS:
        worded = {reason for _, owners in _NOTICE_WORDS_SCAN.iter(paragraph.casefold()) for reason in owners}
        for reason, pattern in _NOTICES:
            if reason in worded and (short or reason not in _SHORT_NOTICES) and pattern.search(paragraph):
                return reason
    return _heading_reason(paragraph) if headings else None


def _heading_reason(paragraph: str) -> str | None:
    """``"headline"`` or ``"heading"`` for a single short line that reads as one, else ``None``."""
    if "\n" in paragraph:
        return None
    if _is_heading(paragraph):
        return "headline"
    if _is_question_heading(paragraph):
        return "heading"
    return None


def _is_number_run(paragraph: str) -> bool:
    """Calendars, counters and lists of dates: mostly bare numbers and short tokens."""
    tokens = paragraph.split()
    if not tokens or 2 < len(tokens) < 5:
        return False
    numeric = sum(map(str.isdigit, [token.strip(".,:") for token in tokens]))
    if len(tokens) <= 2 and numeric == len(tokens):
        return True
    return len(tokens) >= 5 and numeric / len(tokens) >= 0.5


def _is_question_heading(paragraph: str) -> bool:
    """An explainer's section heading: one short question addressed to no one
    ("What is the CSTO?"); an interviewer's question to "you" is running text."""
    return (
        _QUESTION_HEADING.match(paragraph) is not None
        and len(_WORD.findall(paragraph)) <= 10
        and paragraph.count("?") == 1
        and not _ADDRESSEE.search(paragraph)
    )


def _is_heading(paragraph: str) -> bool:
    """A short line without closing punctuation: a headline, section heading or label."""
    return (
        len(paragraph) <= 140
        and not _ends_sentence(paragraph)
        and 0 < len(_WORD.findall(paragraph)) <= 16
    )
