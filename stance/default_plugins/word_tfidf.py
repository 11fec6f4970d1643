"""Built-in plugin: words weighted by TF-IDF."""

import re
from itertools import chain, repeat

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from stance.default_plugins.tfidf_weights import tfidf_matrix
from stance.hookspecs import hookimpl

_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_WORD_RUNS = re.compile(r"(?u)\w\w+")


class WordTfidfVectorizer(TfidfVectorizer):
    """A ``TfidfVectorizer`` whose transform builds the same matrix directly:
    tokens to columns, counts, sublinear term frequency, IDF and norm, with
    the analyzer built once. Stock ``transform`` re-creates its analyzer and
    re-validates its input and IDF matrix on every call (see
    ``tfidf_weights``), most of its time on a one-paragraph request."""

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and document frequencies."""
        self.__dict__.pop("_tokenize", None)
        return super().fit(raw_documents, y)

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and document frequencies; return the TF-IDF matrix."""
        self.__dict__.pop("_tokenize", None)
        return super().fit_transform(raw_documents, y)

    def transform(self, raw_documents):
        """The TF-IDF matrix of ``raw_documents``, one row per document."""
        if self.analyzer != "word" or self.binary or isinstance(raw_documents, str):
            return super().transform(raw_documents)
        check_is_fitted(self, "vocabulary_")
        tokenize = self.__dict__.get("_tokenize")
        if tokenize is None:
            tokenize = self.__dict__["_tokenize"] = self._tokenizer()
        tokens = tokenize(raw_documents)
        columns = np.fromiter(map(self.vocabulary_.get, chain.from_iterable(tokens), repeat(-1)), dtype=np.int32,
                              count=sum(map(len, tokens)))
        known = columns >= 0
        before = np.zeros(len(columns) + 1, dtype=np.int64)
        np.cumsum(known, out=before[1:])  # known tokens before each token
        ends = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens)), out=ends[1:])
        return tfidf_matrix(self, columns[known], before[ends])

    def _tokenizer(self):
        """A function from documents to their tokens: scikit-learn's analyzer on
        each, or, with the default settings (token pattern, lowercase, no
        preprocessor, accents kept, no stop words, single words), the same
        tokens in half the time: a str is lowercased and searched with
        ``\\w\\w+``, which finds what ``\\b\\w\\w+\\b`` finds because ``findall``
        resumes after each match and each failed attempt, so it tries a word
        character only at the start of a run of them, and a greedy run ends on
        a boundary."""
        analyze = self.build_analyzer()
        if (self.token_pattern != _DEFAULT_TOKEN_PATTERN or self.tokenizer is not None or self.preprocessor is not None
                or not self.lowercase or self.strip_accents is not None or self.stop_words is not None
                or tuple(self.ngram_range) != (1, 1) or self.input != "content"):
            return lambda documents: [analyze(document) for document in documents]
        find = _WORD_RUNS.findall  # anything but a str (bytes to decode, NaN to refuse) goes to the analyzer
        return lambda documents: [find(document.lower()) if type(document) is str else analyze(document)
                                  for document in documents]

    def __getstate__(self):
        """The fitted state without the built tokenizer (a closure), and with the
        vocabulary's indices as plain ints (NumPy scalars unpickle one by one, slowly)."""
        state = super().__getstate__()
        state.pop("_tokenize", None)
        if "vocabulary_" in state:
            state["vocabulary_"] = {term: int(index) for term, index in state["vocabulary_"].items()}
        return state


def word_tfidf() -> WordTfidfVectorizer:
    """Lowercased words of two or more letters (any script, so Russian too),
    sublinear term frequency, kept when seen in at least two paragraphs.
    (Adding bigrams did not help in grouped cross-validation and made the
    evidence noisier: "in the", "of the".)"""
    return WordTfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 1),
        lowercase=True,
        sublinear_tf=True,
        min_df=2,
        max_features=20000,
    )


@hookimpl
def register_extractors(register):
    register("word_tfidf", word_tfidf, version="1.0", description="word TF-IDF")
