"""Which features may be shown to a reader as evidence for a stance.

Every feature still counts in the model; some are never offered as a reason,
because they say what a paragraph is about, not which side it takes: function
words ("the", "on", "и"), bare mentions of a target or of the region's places
("CSTO", "ОДКБ", "EU", "NATO", "Armenia", "south"), character n-grams too
short to read or cut from such words, and the lexicon's mention families
(``csto_mention``, ``west_actor``). Only the built-in extractors are filtered:
a plugin's features are its author's to name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

RUSSIAN_STOP_WORDS = frozenset(
    "и в во не что он на я с со как а то все всё она так его но да ты к у же вы за бы по только ее её мне было "
    "вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь "
    "опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам "
    "чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь "
    "этом один почти мой тем чтобы нее неё сейчас были куда зачем всех никогда можно при наконец два об "
    "другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем "
    "хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между также "
    "который которые которая которого которых это также свои своих своей своим также".split()
)

MENTIONS = frozenset(
    "csto одкб одкб-шный cstо organization organisation treaty collective security bloc alliance "
    "eu ес евросоюз евросоюза union european nato нато west western запад западные западный us usa сша "
    "washington вашингтон brussels брюссель america american америка "
    "russia russian россия российский москва moscow kremlin кремль armenia armenian армения армянский "
    "yerevan ереван azerbaijan azerbaijani азербайджан баку baku kazakhstan казахстан kyrgyzstan киргизия "
    "кыргызстан tajikistan таджикистан belarus беларусь белоруссия minsk минск georgia грузия "
    "south north east central asia caucasus кавказ южный южного азия центральная region регион".split()
)

HIDDEN_LEXICON_FEATURES = frozenset({"csto_mention", "west_actor"})
WORD_EXTRACTORS = frozenset({"word_tfidf"})
CHAR_EXTRACTORS = frozenset({"char_tfidf"})
LEXICON_EXTRACTORS = frozenset({"lexicon"})
MIN_CHARS = 3
"""Shortest character n-gram (spaces stripped) shown as evidence."""

_HIDDEN_WORDS = ENGLISH_STOP_WORDS | RUSSIAN_STOP_WORDS | MENTIONS


def shown_as_evidence(extractor: str, feature: str) -> bool:
    """Whether the feature ``feature`` (its name within ``extractor``) may be shown as evidence."""
    if extractor in LEXICON_EXTRACTORS:
        return feature not in HIDDEN_LEXICON_FEATURES
    if extractor in WORD_EXTRACTORS:
        word = feature.lower()
        return len(word) >= 2 and not word.isdigit() and word not in _HIDDEN_WORDS
    if extractor in CHAR_EXTRACTORS:
        piece = feature.strip().lower()
        return sum(character.isalpha() for character in piece) >= MIN_CHARS and piece not in _HIDDEN_PIECES
    return True


def evidence_mask(extractors: Sequence[str], features: Sequence[str]) -> np.ndarray:
    """1.0 for each column (its extractor's name, its feature name) that may be shown, else 0.0."""
    return np.fromiter(
        (shown_as_evidence(extractor, feature) for extractor, feature in zip(extractors, features)),
        dtype=float,
        count=len(features),
    )


_HIDDEN_PIECES = frozenset(
    word[start:end]
    for word in _HIDDEN_WORDS
    for start in range(len(word))
    for end in range(start + MIN_CHARS, len(word) + 1)
)
"""Every piece of a hidden word that is long enough to be shown: a character
n-gram cut from "csto" or "the" ("cst", "sto") is no better a reason than the word."""
