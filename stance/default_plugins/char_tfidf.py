"""Built-in plugin: character n-grams inside word boundaries, weighted by TF-IDF."""

from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from stance.default_plugins.gram_index import GramIndex
from stance.default_plugins.tfidf_weights import weigh_counts
from stance.default_plugins.word_rows import WordRows
from stance.hookspecs import hookimpl

_MAX_CACHED_WORDS = 200_000
_BATCH_LOOKUP_WORDS = 16
"""New words from which the batch look-up (a fixed ~0.15 ms of NumPy calls) beats one-by-one look-ups (~10 µs a word)."""


class CharTfidfVectorizer(TfidfVectorizer):
    """A ``TfidfVectorizer`` whose ``char_wb`` transform remembers the n-gram
    columns of each word it has seen (``WordRows``), so running text costs one
    dictionary look-up per word, and finds the columns of a batch's new words
    together (``GramIndex``). It returns the same matrix as
    ``TfidfVectorizer``; the word memory and the index are not pickled."""

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and document frequencies."""
        self._forget()
        return super().fit(raw_documents, y)

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and document frequencies; return the TF-IDF matrix."""
        self._forget()
        return super().fit_transform(raw_documents, y)

    def _forget(self) -> None:
        self.__dict__.pop("_word_rows", None)
        self.__dict__.pop("_gram_index", None)

    def transform(self, raw_documents):
        """The TF-IDF matrix of ``raw_documents``, one row per document."""
        if self.analyzer != "char_wb" or self.binary or isinstance(raw_documents, str):
            return super().transform(raw_documents)
        check_is_fitted(self, "vocabulary_")
        preprocess, decode = self.build_preprocessor(), self.decode  # decode: bytes decoded, NaN refused, as stock
        tokens = [preprocess(document if type(document) is str else decode(document)).split()
                  for document in raw_documents]
        memory = self.__dict__.get("_word_rows")
        if memory is None or len(memory) > _MAX_CACHED_WORDS:  # a new memory, not a cleared one: see WordRows
            memory = self.__dict__["_word_rows"] = WordRows(len(self.vocabulary_), self.dtype)
        words = list(chain.from_iterable(tokens))
        row = memory.row
        new = [word for word in dict.fromkeys(words) if word not in row]
        if new:
            with memory.lock:
                new = [word for word in new if word not in row]  # unless another thread just added them
                if new:
                    memory.add(new, *self._columns_of(new))
        # (documents x words seen) @ (words seen x n-gram columns): the counts, in C. Every word of the
        # batch has a row in this matrix: it was in ``row`` already or was added above (a row before its word)
        by_word = memory.matrix()
        indptr = np.zeros(len(tokens) + 1, dtype=np.int32)
        np.cumsum(np.fromiter(map(len, tokens), dtype=np.int32, count=len(tokens)), out=indptr[1:])
        by_document = sparse.csr_matrix(
            (np.ones(len(words), dtype=self.dtype),
             np.fromiter(map(row.__getitem__, words), dtype=np.int32, count=len(words)), indptr),
            shape=(len(tokens), by_word.shape[0]),
        )
        return weigh_counts(self, by_document @ by_word)

    def _columns_of(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """How many vocabulary columns each word's padded n-grams have, and the
        columns themselves (repeats kept), word after word."""
        index = self.__dict__.get("_gram_index")
        if index is None:
            index = self.__dict__["_gram_index"] = GramIndex(self.vocabulary_, self.ngram_range)
        if index.usable and len(words) >= _BATCH_LOOKUP_WORDS:
            return index.columns(words)
        columns = [self._columns(word) for word in words]
        return np.fromiter(map(len, columns), dtype=np.int64, count=len(columns)), np.concatenate(columns)

    def _columns(self, word: str) -> np.ndarray:
        padded = f" {word} "
        grams = []
        for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
            if len(padded) <= n:
                grams.append(padded)
                break
            grams.extend(padded[offset : offset + n] for offset in range(len(padded) - n + 1))
        vocabulary = self.vocabulary_
        return np.array([vocabulary[gram] for gram in grams if gram in vocabulary], dtype=np.int32)

    def __getstate__(self):
        """The fitted state without the per-word cache, and with the vocabulary's
        indices as plain ints (NumPy scalars unpickle one by one, slowly)."""
        state = super().__getstate__()
        state.pop("_word_rows", None)
        state.pop("_gram_index", None)
        if "vocabulary_" in state:
            state["vocabulary_"] = {term: int(index) for term, index in state["vocabulary_"].items()}
        return state


def char_tfidf() -> CharTfidfVectorizer:
    """Lowercased character 3-5-grams within words (robust to inflection and
    spelling variants), sublinear term frequency, at most 20,000 features."""
    return CharTfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        lowercase=True,
        sublinear_tf=True,
        min_df=2,
        max_features=20000,
    )


@hookimpl
def register_extractors(register):
    register("char_tfidf", char_tfidf, version="1.0", description="character 3-5-gram TF-IDF within word boundaries")
