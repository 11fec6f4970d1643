"""The lexicon's matcher: the word-start candidate scan finds exactly what the
full lookahead scan found, and the cache of matches is per extractor and bounded."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from stance.cues import CueFamily, CueSet, MatchCache, _fold, full_scan
from stance.default_plugins.lexicon import LEXICON, LexiconExtractor

LABELED = [ROOT / "seeds" / "labels.jsonl", ROOT / "heldout" / "labels.jsonl"]


def _texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for path in LABELED
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _full_scan_matcher(cues: CueSet) -> CueSet:
    """A copy of ``cues`` that finds candidates with the full lookahead scan (the previous matcher)."""
    reference = CueSet(cues.families)
    reference._scan = full_scan(list(reference.scan_fragments))
    reference._by_start_char = None
    return reference


def test_the_word_start_scan_matches_like_the_full_scan_on_every_labeled_paragraph():
    reference = _full_scan_matcher(LEXICON)
    texts = _texts()
    assert len(texts) > 1000
    for text in texts:
        folded = _fold(text)
        assert LEXICON.candidates(folded) == reference.candidates(folded)
        assert LEXICON.match(text) == reference.match(text)
        assert LEXICON.match(text, 2) == reference.match(text, 2)


def test_cues_that_start_with_a_quote_or_an_unknown_character_are_still_found():
    quoted = CueSet([CueFamily("scare", (r"[\"“«]\w+[\"”»]",)), CueFamily("word", (r"bloc",))])
    text = 'The so-called «allies» of the bloc and "partners"'
    assert quoted.match(text) == _full_scan_matcher(quoted).match(text)
    assert len(quoted.match(text)["scare"]) == 2
    unknown = CueSet([CueFamily("any", (r"\w*ally",))])  # first characters cannot be told: full scan
    assert unknown._by_start_char is None
    assert unknown.match("an ally and a rally") == {"any": ((3, 7), (14, 19))}


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
