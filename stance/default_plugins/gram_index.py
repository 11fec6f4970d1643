"""The vocabulary columns of many words' character n-grams at once, in NumPy.

``char_wb`` n-grams (scikit-learn's analyzer: each word padded with one space
on either side, every substring of ``min_n`` to ``max_n`` characters, a word
shorter than ``max_n`` counted once as a whole) are looked up one by one in
Python at about half a microsecond each: 200-300 ms for the ten thousand new
words of a thousand news paragraphs. Here every n-gram of a batch of words
becomes one exact integer key (its length and its characters, each
character numbered within the vocabulary's alphabet), and all keys are
looked up together by binary search in the vocabulary's sorted keys.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

_CHAR_BITS = 12
"""Bits per character in a key: the vocabulary's alphabet may have up to 4,095 characters."""
_LENGTH_BITS = 3


class GramIndex:
    """Exact integer keys for a ``char_wb`` vocabulary's n-grams; ``columns``
    maps words to the columns of their n-grams. ``usable`` is false when the
    keys cannot be exact (n-grams longer than 5 characters, or an alphabet of
    more than 4,095 characters): the caller looks n-grams up one by one then."""

    def __init__(self, vocabulary: Mapping[str, int], ngram_range: tuple[int, int]):
        self.min_n, self.max_n = ngram_range
        alphabet = sorted({char for gram in vocabulary for char in gram})
        self.usable = (
            len(vocabulary) > 0 and 1 <= self.min_n <= self.max_n < 2**_LENGTH_BITS
            and self.max_n * _CHAR_BITS + _LENGTH_BITS <= 63 and len(alphabet) < 2**_CHAR_BITS
            and all(len(gram) <= self.max_n for gram in vocabulary)
        )
        if not self.usable:
            return
        codes = np.array([ord(char) for char in alphabet], dtype=np.int64)
        self._table = np.zeros(int(codes.max()) + 1, dtype=np.int16)
        self._table[codes] = np.arange(1, len(codes) + 1)  # 0: a character no n-gram of the vocabulary has
        grams = list(vocabulary)
        keys, owner = self._keys(grams, whole=True)
        order = np.argsort(keys)
        self._keys_sorted = keys[order]
        self._columns = np.fromiter(vocabulary.values(), dtype=np.int32, count=len(grams))[owner[order]]

    def columns(self, words: list[str]) -> list[np.ndarray]:
        """Per word, the vocabulary columns of its padded n-grams (as many as the n-grams in the vocabulary)."""
        keys, owner = self._keys([f" {word} " for word in words], whole=False)
        position = np.searchsorted(self._keys_sorted, keys)
        position[position == len(self._keys_sorted)] = 0
        found = (self._keys_sorted[position] == keys) & (keys >= 0)
        owner, columns = owner[found], self._columns[position[found]]
        columns = columns[np.argsort(owner, kind="stable")]
        ends = np.cumsum(np.bincount(owner, minlength=len(words))).tolist()
        return [columns[start:end] for start, end in zip([0, *ends], ends)]

    def _keys(self, texts: list[str], *, whole: bool) -> tuple[np.ndarray, np.ndarray]:
        """One key per n-gram and the position of its text in ``texts``: each
        text itself when ``whole`` (the vocabulary's grams), else every
        substring of ``min_n`` to ``max_n`` characters (a text shorter than
        ``max_n`` once as a whole, as ``char_wb`` does). -1 for an n-gram with a
        character outside the alphabet (it cannot be in the vocabulary)."""
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        text = "".join(texts).encode("utf-32-le", "surrogatepass")
        points = np.frombuffer(text, dtype=np.uint32).astype(np.int64)
        inside = points < len(self._table)
        numbered = np.where(inside, self._table[np.where(inside, points, 0)], 0)
        starts = np.cumsum(lengths) - lengths
        if whole:
            spans = [(starts, lengths, np.arange(len(texts)))]
        else:
            spans = []
            for n in range(self.min_n, self.max_n + 1):
                # the n-grams of texts with at least n characters: one per offset 0 .. length - n
                per_text = np.maximum(lengths - n + 1, 0)
                owner = np.repeat(np.arange(len(texts)), per_text)
                offset = np.arange(len(owner)) - np.repeat(np.cumsum(per_text) - per_text, per_text)
                spans.append((starts[owner] + offset, np.full(len(owner), n), owner))
        all_keys, all_owners = [], []
        for first, size, owner in spans:
            key = np.zeros(len(first), dtype=np.int64)
            known = np.ones(len(first), dtype=bool)
            for k in range(self.max_n):
                present = k < size
                char = np.where(present, numbered[np.minimum(first + k, len(numbered) - 1)], 0)
                known &= ~present | (char > 0)
                key = (key << _CHAR_BITS) | char
            key = (key << _LENGTH_BITS) | size
            all_keys.append(np.where(known, key, -1))
            all_owners.append(owner)
        return np.concatenate(all_keys), np.concatenate(all_owners)
