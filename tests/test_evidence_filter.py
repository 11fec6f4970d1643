"""Stance evidence never offers function words or bare target mentions as reasons."""

from __future__ import annotations

import pytest

from conftest import SEEDS_DIR
from stance.evidence_filter import MENTIONS, shown_as_evidence


@pytest.mark.parametrize(("extractor", "feature", "shown"), [
    ("word_tfidf", "the", False),
    ("word_tfidf", "on", False),
    ("word_tfidf", "south", False),
    ("word_tfidf", "csto", False),
    ("word_tfidf", "одкб", False),
    ("word_tfidf", "nato", False),
    ("word_tfidf", "и", False),
    ("word_tfidf", "failed", True),
    ("word_tfidf", "провал", True),
    ("char_tfidf", " cst", False),
    ("char_tfidf", "the ", False),
    ("char_tfidf", "e ", False),
    ("char_tfidf", "fail", True),
    ("lexicon", "csto_mention", False),
    ("lexicon", "west_actor", False),
    ("lexicon", "csto_negative_near_csto_mention", True),
    ("quotation", "the", True),  # a plugin's features are its own
])
def test_which_features_may_be_shown(extractor, feature, shown):
    assert shown_as_evidence(extractor, feature) is shown


def test_the_seed_articles_evidence_has_no_function_words_or_mentions(tiny_classifier):
    shown = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for paragraph in tiny_classifier.classify_text(path.read_text(encoding="utf-8")).paragraphs:
            for stance in paragraph.stances.values():
                shown += [(item.extractor, item.feature.split("__", 1)[1]) for item in stance.evidence]
    assert shown
    assert not [feature for feature in shown if not shown_as_evidence(*feature)]
    words = {feature for extractor, feature in shown if extractor == "word_tfidf"}
    assert not words & (MENTIONS | {"the", "of", "on", "and", "in"})
