"""The extractor contract on every registered extractor (built-in and example
plugins), and the built-in extractors' behaviour."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from conftest import EXAMPLE_PLUGINS
from stance.contract import SAMPLE_TEXTS, check_extractor
from stance.default_plugins.char_tfidf import char_tfidf
from stance.default_plugins.lexicon import LexiconExtractor
from stance.labels import RHETORIC_TAGS
from stance.plugins import get_registry, reset_plugins


def registered_names() -> list[str]:
    reset_plugins()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STANCE_PLUGINS", "")
        patch.setenv("STANCE_PLUGINS_DIR", "")
        names = get_registry(EXAMPLE_PLUGINS).names()
    reset_plugins()
    return names


@pytest.mark.parametrize("name", registered_names())
def test_every_registered_extractor_keeps_the_contract(example_plugins, name):
    check_extractor(get_registry().get(name).create())


class WrongRows(LexiconExtractor):
    def transform(self, texts):
        return super().transform(texts)[:1]


def test_contract_check_names_what_is_broken():
    with pytest.raises(AssertionError, match=r"WrongRows.transform returned 1 rows for 8 texts"):
        check_extractor(WrongRows())


def fired(text: str) -> dict[str, list[str]]:
    spans = LexiconExtractor().fit(SAMPLE_TEXTS).match_spans(text)
    return {feature: [text[start:end] for start, end in offsets] for feature, offsets in spans.items()}


@pytest.mark.parametrize(
    "text",
    [
        "The session was not a failure.",
        "The Yerevan session could not be considered a failure.",
        "Саммит ОДКБ не является провалом.",
        "It was never a disaster for the alliance.",
    ],
)
def test_negated_cues_fire_the_negated_feature(text):
    features = fired(text)
    assert "csto_negative" not in features
    assert features["csto_negative_negated"]


def test_negation_does_not_cross_a_clause_boundary():
    features = fired("This is not what Moscow says, but the CSTO failed Armenia.")
    assert features["csto_negative"] == ["failed"]
    assert "csto_negative_negated" not in features


def test_a_cue_in_a_sentence_naming_the_target_fires_the_near_feature():
    features = fired("The CSTO proved effective. Europe is far away and reliable.")
    assert features["csto_positive_near_csto_mention"] == ["effective"]
    assert features["csto_positive"] == ["effective", "reliable"]


def test_match_spans_gives_exact_offsets():
    text = 'Whatever Western "well-wishers" promise, there are no effective  alternatives to the CSTO.'
    spans = LexiconExtractor().fit(SAMPLE_TEXTS).match_spans(text)
    for offsets in spans.values():
        for start, end in offsets:
            assert text[start:end].strip() == text[start:end]
    features = fired(text)
    assert features["name_calling"] == ['Western "well-wishers"']
    assert features["loaded_language"] == ['"well-wishers"']
    assert features["false_dilemma"] == ["no effective  alternatives"]
    assert features["west_actor"] == ["Western"]


def test_lexicon_has_a_cue_family_per_rhetoric_tag():
    names = set(LexiconExtractor().fit([]).get_feature_names_out())
    assert set(RHETORIC_TAGS) <= names


def test_acronym_cues_respect_case():
    assert fired("US officials met the EU envoy.")["west_actor"] == ["US", "EU"]
    assert "west_actor" not in fired("Let us meet again.")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab CSTOEUnotfailure.,«»\"'İ-ОДКБне провал")), max_size=80))
def test_lexicon_spans_lie_inside_any_text(text):
    for offsets in LexiconExtractor().fit([]).match_spans(text).values():
        for start, end in offsets:
            assert 0 <= start < end <= len(text)


def test_char_tfidf_transform_equals_scikit_learns():
    ours = char_tfidf().fit(SAMPLE_TEXTS)
    reference = TfidfVectorizer(**ours.get_params()).fit(SAMPLE_TEXTS)
    texts = [*SAMPLE_TEXTS, "", "İlham Aliyev met   the  CSTO envoy"]
    assert np.allclose(ours.transform(texts).toarray(), reference.transform(texts).toarray())
    assert ours.transform([]).shape == (0, len(ours.get_feature_names_out()))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("abc ОДКБ€😀\u0301\u0130\t")), max_size=30), min_size=1, max_size=6))
def test_char_tfidf_finds_new_words_columns_as_scikit_learn_does(texts):
    """The batch look-up (``GramIndex``) of new words' n-grams, on any script,
    short words, characters outside the vocabulary and repeats within a word."""
    from unittest import mock

    from stance.default_plugins import char_tfidf as module

    ours = char_tfidf().set_params(min_df=1).fit([*SAMPLE_TEXTS, "€€€ ОДКБ ab"])
    reference = TfidfVectorizer(**ours.get_params()).fit([*SAMPLE_TEXTS, "€€€ ОДКБ ab"])
    with mock.patch.object(module, "_BATCH_LOOKUP_WORDS", 0):  # the batch look-up even for a few words
        assert np.allclose(ours.transform(texts).toarray(), reference.transform(texts).toarray())
