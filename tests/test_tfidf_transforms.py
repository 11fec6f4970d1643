"""The fast TF-IDF transforms (word and character) against scikit-learn's, and
the structures behind the character one: the n-gram hash table (``GramIndex``)
and the growing word memory (``WordRows``)."""

from __future__ import annotations

import re
import sys
import threading
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from stance.contract import SAMPLE_TEXTS
from stance.default_plugins import char_tfidf as char_module
from stance.default_plugins import gram_index
from stance.default_plugins.char_tfidf import char_tfidf
from stance.default_plugins.word_rows import WordRows
from stance.default_plugins.word_tfidf import word_tfidf

MIXED = list("abc ОДКБ€😀_1²\u0301\u0130\t.,-'")
TRAIN = [*SAMPLE_TEXTS, "€€€ ОДКБ ab a_b x² 12", "İlham Aliyev met the CSTO envoy"]


def assert_same(ours, reference, texts):
    mine, theirs = ours.transform(texts), reference.transform(texts)
    assert mine.shape == theirs.shape
    assert np.allclose(mine.toarray(), theirs.toarray(), atol=1e-12)


def fitted_pair(factory, **params):
    ours = factory().set_params(**params).fit(TRAIN)
    return ours, TfidfVectorizer(**ours.get_params()).fit(TRAIN)


def one_by_one(vectorizer, words):
    return [vectorizer._columns(word) for word in words]


def batch(index, words):
    per_word, columns = index.columns(words)
    return np.split(columns, np.cumsum(per_word)[:-1]) if len(words) else []


WORDS = ["csto", "the", "одкб", "é", "a", "€€€", "😀", "ab\u0301c", "İlham", "zzzzzzzz", "x", "collective"]


@pytest.mark.parametrize("multiplier", [0, 1, 0x9E3779B97F4A7C15])
def test_gram_index_finds_every_column_whatever_the_collisions(multiplier):
    """Multiplier 0 puts every key in slot 0: one long probe chain, every key found by probing."""
    vectorizer = char_tfidf().set_params(min_df=1).fit(TRAIN)
    with mock.patch.object(gram_index, "_MULTIPLIER", np.uint64(multiplier)):
        index = gram_index.GramIndex(vectorizer.vocabulary_, vectorizer.ngram_range)
        grams = list(vectorizer.vocabulary_)
        keys = index._keys(index._numbers[gram_index._code_points("".join(grams))],
                           np.cumsum([len(g) for g in grams]) - [len(g) for g in grams], np.array([len(g) for g in grams]))
        assert len(set(keys.tolist())) == len(grams)  # exact keys: distinct n-grams, distinct keys
        assert np.array_equal(index._find(keys), list(vectorizer.vocabulary_.values()))
        for got, expected in zip(batch(index, WORDS), one_by_one(vectorizer, WORDS), strict=True):
            assert got.tolist() == expected.tolist()  # same columns, same order, repeats kept


def test_gram_index_on_no_words_and_on_words_outside_the_alphabet():
    vectorizer = char_tfidf().fit(TRAIN)
    index = gram_index.GramIndex(vectorizer.vocabulary_, vectorizer.ngram_range)
    per_word, columns = index.columns([])
    assert len(per_word) == 0 and len(columns) == 0
    per_word, columns = index.columns(["日本語", "\U0010ffff", "\ud800"])
    assert per_word.tolist() == [0, 0, 0] and len(columns) == 0


@pytest.mark.parametrize("ngram_range", [(1, 1), (2, 4), (4, 5), (5, 7)])
def test_gram_index_for_other_ngram_ranges_counts_short_words_once(ngram_range):
    """With min_n above 3, a one-letter word (3 characters padded) is one n-gram, as scikit-learn counts it."""
    ours, reference = fitted_pair(char_tfidf, min_df=1, ngram_range=ngram_range)
    assert ours.__dict__.get("_gram_index") is None
    with mock.patch.object(char_module, "_BATCH_LOOKUP_WORDS", 0):
        assert_same(ours, reference, ["a b ab abc abcdef", "€ ОДКБ x² ab\u0301c", "CSTO the envoy"])
    assert ours._gram_index.usable


def test_gram_index_is_unusable_when_keys_cannot_be_exact():
    vocabulary = {chr(0x4E00 + i) * 2: i for i in range(5000)}  # 5,000 characters: 13 bits each, 8 of them too many
    assert not gram_index.GramIndex(vocabulary, (3, 5)).usable
    assert not gram_index.GramIndex({}, (3, 5)).usable
    assert gram_index.GramIndex(vocabulary, (1, 2)).usable


def test_char_tfidf_on_empty_and_one_word_batches():
    ours, reference = fitted_pair(char_tfidf)
    assert ours.transform([]).shape == (0, len(ours.vocabulary_))  # scikit-learn refuses an empty batch
    for texts in ([""], ["  \t "], ["csto"], ["zzz"], ["", "csto", ""]):
        assert_same(ours, reference, texts)


def test_char_tfidf_word_memory_grows_past_its_buffers_and_is_replaced_when_full():
    ours, reference = fitted_pair(char_tfidf)
    texts = [" ".join(f"w{i}x{j}csto" for j in range(60)) for i in range(400)]  # 24,000 new words, 20+ grams each
    with mock.patch.object(char_module, "_MAX_CACHED_WORDS", 10_000):
        for start in range(0, len(texts), 100):
            assert_same(ours, reference, texts[start : start + 100])
            assert len(ours._word_rows) <= 10_000 + 6_000
        assert_same(ours, reference, texts[:150])  # words seen before and new ones


def test_word_rows_keeps_a_matrix_taken_before_words_are_added():
    rows = WordRows(10)
    rows.add(["a", "b"], np.array([2, 0]), np.array([3, 3], dtype=np.int32))
    before = rows.matrix()
    rows.add([f"w{i}" for i in range(3000)], np.ones(3000, dtype=np.int64), np.arange(3000, dtype=np.int32) % 10)
    assert before.toarray().tolist() == [[0, 0, 0, 2, 0, 0, 0, 0, 0, 0], [0] * 10]
    after = rows.matrix()
    assert after.shape == (3002, 10) and after[rows.row["w13"]].toarray()[0, 3] == 1
    assert after.indices.dtype == after.indptr.dtype == np.int32


def test_char_tfidf_in_threads_gives_scikit_learns_matrix():
    ours, reference = fitted_pair(char_tfidf)
    batches = [[f"{k} thread{k}word{i} csto {i}x{k}" for i in range(200)] for k in range(4)]
    results, start = {}, threading.Barrier(len(batches))

    def work(k):
        start.wait()
        results[k] = [ours.transform(batches[k]) for _ in range(3)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(batches))]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch every few bytecodes, inside transforms
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    for k, texts in enumerate(batches):
        for mine in results[k]:
            assert np.allclose(mine.toarray(), reference.transform(texts).toarray(), atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(MIXED), max_size=40), min_size=1, max_size=6))
def test_word_tfidf_transform_equals_scikit_learns(texts):
    ours, reference = fitted_pair(word_tfidf, min_df=1)
    assert_same(ours, reference, texts)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(MIXED), max_size=60) | st.text(max_size=60))
def test_word_runs_are_the_default_token_patterns_tokens(text):
    assert re.findall(r"(?u)\w\w+", text) == re.findall(r"(?u)\b\w\w+\b", text)


def test_word_tfidf_keeps_a_custom_token_pattern_and_stop_words():
    for params in ({"token_pattern": r"(?u)\b\w+\b"}, {"stop_words": ["the"]}, {"ngram_range": (1, 2)}):
        ours, reference = fitted_pair(word_tfidf, min_df=1, **params)
        assert_same(ours, reference, [*SAMPLE_TEXTS, "a the b", ""])


def test_gram_index_counts_the_padded_length_of_words_with_spaces():
    """The analyzer's words never hold whitespace; any others are measured one by one, not from the spaces."""
    vectorizer = char_tfidf().set_params(min_df=1).fit(TRAIN)
    index = gram_index.GramIndex(vectorizer.vocabulary_, vectorizer.ngram_range)
    words = ["the csto", "a", " ", "envoy"]
    for got, expected in zip(batch(index, words), one_by_one(vectorizer, words), strict=True):
        assert got.tolist() == expected.tolist()


@pytest.mark.parametrize("vocabulary", [{"a\nb": 0, "ab": 1, " ab": 2}, {"\n": 0}, {"": 0, "ab": 1}, {"ab": 0}])
def test_gram_index_on_vocabularies_with_newlines_and_empty_grams(vocabulary):
    """A given vocabulary may hold anything; the index finds each gram it holds as the words' n-grams."""
    vectorizer = char_tfidf().set_params(vocabulary=vocabulary, ngram_range=(1, 3)).fit(["x"])
    index = gram_index.GramIndex(vectorizer.vocabulary_, vectorizer.ngram_range)
    words = ["ab", "a\nb", "\n", "b"]
    for got, expected in zip(batch(index, words), one_by_one(vectorizer, words), strict=True):
        assert got.tolist() == expected.tolist()


def test_word_tfidf_decodes_bytes_and_refuses_nan_as_scikit_learn_does():
    ours, reference = fitted_pair(word_tfidf)
    texts = ["The CSTO envoy".encode(), "ОДКБ не является провалом", "the csto"]
    assert_same(ours, reference, texts)
    with pytest.raises(ValueError, match="np.nan is an invalid document"):
        ours.transform(["csto", np.nan])


def test_char_tfidf_decodes_bytes_and_refuses_nan_as_scikit_learn_does():
    ours, reference = fitted_pair(char_tfidf)
    texts = ["The CSTO envoy".encode(), "ОДКБ не является провалом".encode(), "the csto"]
    with mock.patch.object(char_module, "_BATCH_LOOKUP_WORDS", 0):
        assert_same(ours, reference, texts)
    with pytest.raises(ValueError, match="np.nan is an invalid document"):
        ours.transform(["csto", np.nan])


@pytest.mark.parametrize("large", [0, 10**9])
@pytest.mark.parametrize("factory", [word_tfidf, char_tfidf])
def test_both_ways_of_summing_squares_give_scikit_learns_norms(factory, large):
    from stance.default_plugins import tfidf_weights

    ours, reference = fitted_pair(factory)
    with mock.patch.object(tfidf_weights, "_LARGE", large):  # matrix-vector product (0) or np.bincount (10**9)
        assert_same(ours, reference, [*TRAIN, "", "csto csto csto the", "zzz"])
