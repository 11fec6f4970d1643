"""The lexicon's matcher: the openings scan lets through every position the
full lookahead scan finds, the matches are the same, and the cache of matches is
per extractor and bounded."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from stance.cue_openings import openings
from stance.cues import CueFamily, CueSet, MatchCache, _fold
from stance.default_plugins.lexicon import LEXICON, LexiconExtractor

LABELED = [ROOT / "seeds" / "labels.jsonl", ROOT / "heldout" / "labels.jsonl"]


def _texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for path in LABELED
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


class FullScanCueSet(CueSet):
    """The reference matcher: every family is tried wherever the lookahead over
    all fragments at once finds a cue starting a word (the first, slow scan)."""

    def __init__(self, families):
        super().__init__(families)
        self._scan = re.compile(r"(?<!\w)(?=(?:" + "|".join(self.scan_fragments) + r")(?!\w))")

    def _starts(self, folded):
        return [(match.start(), tuple(range(len(self.families)))) for match in self._scan.finditer(folded)]


_REFERENCE = FullScanCueSet(LEXICON.families)


def test_the_openings_scan_matches_like_the_full_scan_on_every_labeled_paragraph():
    reference = _REFERENCE
    texts = _texts()
    assert len(texts) > 1000
    for text in texts:
        folded = _fold(text)
        assert set(reference.candidates(folded)) <= set(LEXICON.candidates(folded))
        assert LEXICON.match(text) == reference.match(text)
        assert LEXICON.match(text, 2) == reference.match(text, 2)


@pytest.mark.parametrize(
    "text",
    [
        "The  CSTO  failed\tto act;\nthe  bloc (CSTO) has no \n alternative.",  # whitespace runs: the stopping automaton
        "CSTO's allies,the EU-led mission and U.S. officials said",
        "ОДКБ\u00a0не\u00a0смогла помочь — «партнёры» из НАТО",
        "csto",
        "",
    ],
)
def test_the_openings_scan_matches_like_the_full_scan_on_awkward_spacing_and_punctuation(text):
    assert LEXICON.match(text) == _REFERENCE.match(text)


_PIECES = (
    "the", "The", "CSTO", "csto's", "bloc", "alliance", "allies", "not", "never", "failed", "effective", "US", "us",
    "EU", "u.s.", "secretary", "general", "said", "ОДКБ", "не", "смогла", "партнёры", "Запад", "organisation",
    " ", " ", " ", "  ", "\n", "\t", "\u00a0", ",", ".", "-", "«", "»", '"', "'", "(", ")", "—", "x", "9",
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_the_openings_scan_matches_like_the_full_scan_on_any_mix_of_cue_words_and_separators(pieces):
    text = "".join(pieces)
    assert LEXICON.match(text) == _REFERENCE.match(text)


def test_cues_that_start_with_a_quote_or_an_unknown_character_are_still_found():
    quoted = CueSet([CueFamily("scare", (r"[\"“«]\w+[\"”»]",)), CueFamily("word", (r"bloc",))])
    text = 'The so-called «allies» of the bloc and "partners"'
    assert quoted.match(text) == FullScanCueSet(quoted.families).match(text)
    assert len(quoted.match(text)["scare"]) == 2
    unknown = CueSet([CueFamily("any", (r"\w*ally",))])  # no literal opening: every word start is tried
    assert openings(r"\w*ally", spanning=True) == {""}
    assert unknown.match("an ally and a rally") == {"any": ((3, 7), (14, 19))}


def test_openings_follow_the_expression():
    assert openings(r"the\s+(?:bloc|alliance)", spanning=True) == {"the bloc ", "the alliance "}
    assert openings(r"the\s+(?:bloc|alliance)", spanning=False) == {"the "}
    assert openings(r"effective\w*", spanning=True) == {"effective"}
    assert openings(r"(?:csto\s+)?allies", spanning=True) == {"csto allies ", "allies "}
    assert openings(r"secretary[-\s]general", spanning=True) == {"secretary-general ", "secretary general "}
    assert openings(r"u\.s\.", spanning=True) == {"u.s. "}


def test_each_extractor_has_its_own_cache():
    first, second = LexiconExtractor().fit([]), LexiconExtractor().fit([])
    first.transform(["The CSTO failed to act."])
    assert len(first._matches) == 1 and len(second._matches) == 0
    import pickle

    assert len(pickle.loads(pickle.dumps(first))._matches) == 0


def test_the_cache_stays_within_its_bytes_and_skips_long_texts():
    cache = MatchCache(LEXICON, max_bytes=20_000, max_text=500)
    for number in range(500):
        cache.match(f"Paragraph {number}: the CSTO was ineffective, said the minister.")
    assert 0 < cache.bytes <= 20_000 and len(cache) < 500
    assert cache.match("CSTO " * 200) == LEXICON.match("CSTO " * 200)
    assert ("CSTO " * 200, 4) not in cache._entries


@pytest.mark.parametrize("window", [0, 4])
def test_a_cached_match_is_the_same_as_a_fresh_one(window):
    cache = MatchCache(LEXICON)
    text = "Он заявил, что ОДКБ не является провалом, а НАТО вмешивается."
    assert cache.match(text, window) == LEXICON.match(text, window) == cache.match(text, window)


def test_every_whitespace_character_but_the_space_is_unprintable():
    """The openings scan skips its search for whitespace runs in a printable text without two spaces in a row."""
    whitespace = [char for char in map(chr, range(0x110000)) if char.isspace() and char != " "]
    assert whitespace and not any(char.isprintable() for char in whitespace)
