"""Each paragraph's language, and whether the model knows it.

The labeled data, and so every model trained on it, is English and Russian
(``MODEL_LANGUAGES``). A paragraph in another language would get labels the
model has no ground for, so ``stance.api`` flags it ``unsupported_language``
and does not classify it.

Most paragraphs of English or Russian news are recognised without a model,
in some microseconds: at least ``FUNCTION_WORD_SHARE`` of their words are the
language's commonest function words, or (Russian) at least
``RUSSIAN_SCRIPT_SHARE`` of their words are written in the Russian alphabet;
a Russian paragraph also has none of the letters that only Ukrainian,
Belarusian or Kazakh use, the other Cyrillic languages among ``CANDIDATES``.
(Russian news has no articles and fewer short words than English: a third
of its paragraphs fall under the function-word share.) The others
go to lingua (``lingua-language-detector``) over ``CANDIDATES``, the
languages a reader of this region's news meets, which costs little because its
detectors load lazily and in two steps: lingua's low-accuracy mode (trigram
models only, about 0.2 s of CPU to load for a Latin or Cyrillic text) decides
most paragraphs; a paragraph it places outside ``MODEL_LANGUAGES`` is
confirmed, when it is short (low-accuracy mode misreads short English lines
as German), by a high-accuracy detector restricted to that language and the
model's languages, built once per such pair. A paragraph whose language is
not clear (confidence under ``MIN_CONFIDENCE``, fewer than ``MIN_WORDS`` words) gets ``None``
and is classified as usual: a wrong flag would hide a paragraph the model can read.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache

from .deadline import check_deadline

MODEL_LANGUAGES = frozenset({"en", "ru"})
"""ISO 639-1 codes of the languages the models are trained on."""

CANDIDATES = (
    "ENGLISH", "RUSSIAN", "UKRAINIAN", "BELARUSIAN", "KAZAKH", "ARMENIAN", "GEORGIAN", "AZERBAIJANI",
    "TURKISH", "PERSIAN", "ARABIC", "CHINESE", "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "POLISH",
    "PORTUGUESE", "DUTCH",
)
"""The languages a paragraph is told apart among (lingua's names)."""

MIN_CONFIDENCE = 0.5
"""A language is reported only when lingua gives it at least this confidence."""

MIN_WORDS = 3
"""Paragraphs of fewer words ("NATO", "Moscow, 12 March") get no language: too little to tell."""

SHORT_WORDS = 25
"""Paragraphs of fewer words placed outside ``MODEL_LANGUAGES`` are checked again in high-accuracy mode."""

DETECTION_CHARS = 2_000
"""lingua reads at most this many characters of a paragraph (its start): its
verdict is settled long before, and its cost, which grows with the length,
holds the interpreter lock (0.5 s for 1 MB, during which a service worker
answers nothing, not even its health probe)."""

FUNCTION_WORD_SHARE = 0.2
"""Share of a paragraph's words that must be common function words for the quick check."""
RUSSIAN_SCRIPT_SHARE = 0.9
"""Share of a paragraph's words that must be written in the Russian alphabet for the quick check."""
_QUICK_MIN_WORDS = 8
_FUNCTION_WORDS = {
    "en": frozenset(
        "the of and to in a is that for on with as by was it at from are has have be said not this which an its "
        "were but will would their they he she his her been had who or after also we our us no than more".split()
    ),
    "ru": frozenset(
        "и в не на что с по о к из за от для как это он она они его ее её их но же был была были будет также "
        "который которые которая при до уже у мы вы я бы ли или если так то только все всё этот эти".split()
    ),
}
_NOT_RUSSIAN = re.compile("[іїєґўәғқңөұүһ]")
_RUSSIAN_WORD = re.compile(r"[а-яё]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_lock = threading.Lock()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when it is not clear."""
    if len(text.split(maxsplit=MIN_WORDS)) < MIN_WORDS or not any(character.isalpha() for character in text):
        return None
    quick = _by_function_words(text)
    if quick is not None:
        return quick
    sample = text[:DETECTION_CHARS]
    with _lock:  # lingua's lazy model loading is not documented as thread-safe
        code, confidence = _best(_low_accuracy(), sample)
        if code is None or code in MODEL_LANGUAGES:
            return code if confidence >= MIN_CONFIDENCE else None
        if len(text.split()) < SHORT_WORDS:
            code, confidence = _best(_confirming(code), sample)
    return code if code is not None and confidence >= MIN_CONFIDENCE else None


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """``detect_language`` for each of ``texts`` (checking the work deadline between them)."""
    languages = []
    for text in texts:
        check_deadline()
        languages.append(detect_language(text))
    return languages


def is_supported(language: str | None) -> bool:
    """Whether the model can classify a paragraph in ``language`` (``None``, not clear, counts as supported)."""
    return language is None or language in MODEL_LANGUAGES


def _by_function_words(text: str) -> str | None:
    """English or Russian when the paragraph's own words say so plainly, else ``None``."""
    lowered = text.lower()
    words = _LETTERS.findall(lowered)
    if len(words) < _QUICK_MIN_WORDS:
        return None
    for code, common in _FUNCTION_WORDS.items():
        if sum(map(common.__contains__, words)) >= FUNCTION_WORD_SHARE * len(words):
            return None if code == "ru" and _NOT_RUSSIAN.search(lowered) else code
    if (
        sum(map(bool, map(_RUSSIAN_WORD.fullmatch, words))) >= RUSSIAN_SCRIPT_SHARE * len(words)
        and not _NOT_RUSSIAN.search(lowered)
    ):
        return "ru"
    return None


def _best(detector, text: str) -> tuple[str | None, float]:
    values = detector.compute_language_confidence_values(text)
    if not values:
        return None, 0.0
    return values[0].language.iso_code_639_1.name.lower(), values[0].value


@lru_cache(maxsize=1)
def _low_accuracy():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


@lru_cache(maxsize=None)
def _confirming(code: str):
    """A high-accuracy detector for the language ``code`` against the model's languages."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    codes = {code, *MODEL_LANGUAGES}
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in sorted(codes)]
    return LanguageDetectorBuilder.from_languages(*languages).build()
