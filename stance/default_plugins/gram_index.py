"""The vocabulary columns of many words' character n-grams at once, in NumPy.

``char_wb`` n-grams (scikit-learn's analyzer: each word padded with one space
on either side, every substring of ``min_n`` to ``max_n`` characters, a word
shorter than an ``n`` counted once as a whole) are looked up one by one in
Python at about half a microsecond each: 200-300 ms for the ten thousand new
words of a thousand news paragraphs. Here every n-gram of a batch of words
becomes one exact integer key (its characters, each numbered within the
vocabulary's alphabet, and its length), and all keys are looked up together in
an open-addressing hash table of the vocabulary's keys: a multiplicative hash,
one gather and compare for nearly every key, linear probing for the few that
land on another key. (A binary search of the sorted keys, ``np.searchsorted``,
costs about 100 ns a key; this costs a few.)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

_LENGTH_BITS = 3
"""Bits of a key holding its n-gram's length (so n-grams of up to 7 characters)."""
_EMPTY = 0
"""The key of an empty slot: no n-gram has it, every key carries a length of at least 1."""
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
"""Fibonacci hashing: 2**64 divided by the golden ratio, odd."""
_SLOTS_PER_KEY = 6
"""Table size over the number of keys, at least (rounded up to a power of two): a 20,000-gram vocabulary gets
128 Ki slots (1.5 MiB), where one key in ten lands on another key and probes on; at 64 Ki slots one in five does,
and the look-up of a thousand paragraphs' new words costs ~0.3 ms more."""


class GramIndex:
    """Exact integer keys for a ``char_wb`` vocabulary's n-grams in a hash
    table; ``columns`` maps words to the columns of their n-grams. ``usable``
    is false when the keys cannot be exact (n-grams longer than 7 characters,
    or more distinct characters than fit ``max_n`` of them in 60 bits): the
    caller looks n-grams up one by one then."""

    def __init__(self, vocabulary: Mapping[str, int], ngram_range: tuple[int, int]):
        self.min_n, self.max_n = ngram_range
        grams = list(vocabulary)
        points = _code_points("\n".join(grams))
        newlines = np.flatnonzero(points == 10)
        separated = len(newlines) == len(grams) - 1  # no gram holds a newline: the separators give the grams' lengths
        if separated:
            starts = np.concatenate([[0], newlines + 1])
            lengths = np.append(newlines, len(points)) - starts
        else:
            points = _code_points("".join(grams))
            lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
            starts = np.cumsum(lengths) - lengths
        present = np.zeros(int(points.max()) + 1 if len(points) else 1, dtype=bool)
        present[points] = True
        if separated and len(newlines):
            present[10] = False
        alphabet = np.flatnonzero(present)
        self._bits = max(int(len(alphabet)).bit_length(), 1)  # character numbers 1 .. len(alphabet); 0: not in it
        self.usable = (
            len(alphabet) > 0 and 1 <= self.min_n <= self.max_n < 2**_LENGTH_BITS
            and self.max_n * self._bits + _LENGTH_BITS <= 63
        )
        if not self.usable:
            return
        self._numbers = np.zeros(int(alphabet[-1]) + 2, dtype=np.int32)  # the last: any code point above the alphabet's
        self._numbers[alphabet] = np.arange(1, len(alphabet) + 1)
        columns = np.fromiter(vocabulary.values(), dtype=np.int32, count=len(grams))
        fits = (lengths > 0) & (lengths <= self.max_n)  # other grams (a given vocabulary) are no n-gram of any word
        keys = self._keys(self._numbers[points], starts[fits], lengths[fits])
        self._fill_table(keys, columns[fits])

    def columns(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The vocabulary columns of the words' padded n-grams (as many as the
        n-grams in the vocabulary), word after word in the analyzer's order,
        and how many of them belong to each word."""
        if not words:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        points = _code_points(" " + "  ".join(words) + " ")  # each word padded with a space on either side
        spaces = np.flatnonzero(points == 32)
        if len(spaces) == 2 * len(words):  # words without spaces, as the analyzer's are: their padded lengths
            lengths = spaces[1::2] - spaces[::2] + 1
        else:
            lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
        numbers = self._numbers[np.minimum(points, len(self._numbers) - 1)]
        # blocks (word, n), word after word: the n-grams of length n of a word of padded length L,
        # L - n + 1 of them; a word shorter than n once as a whole (when shorter than min_n too)
        sizes_of = np.arange(self.min_n, self.max_n + 1)
        sizes = np.maximum(lengths[:, None] - sizes_of[None, :] + 1, 0)
        sizes[:, 0] = np.where(lengths < self.min_n, 1, sizes[:, 0])
        size = np.minimum(sizes_of[None, :], lengths[:, None]).ravel()
        block_start = np.repeat(np.cumsum(lengths) - lengths, len(sizes_of))
        sizes = sizes.ravel()
        first = np.cumsum(sizes) - sizes
        offset = np.arange(int(first[-1] + sizes[-1])) - np.repeat(first, sizes)
        keys = self._keys(numbers, np.repeat(block_start, sizes) + offset, np.repeat(size, sizes))
        found = self._find(keys)
        hit = found >= 0
        return np.add.reduceat(hit, first[:: len(sizes_of)], dtype=np.int64), found[hit]

    def _keys(self, numbers: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The key of each n-gram ``numbers[start : start + length]``: its
        character numbers as digits, then its length. A character outside the
        alphabet (number 0) leaves a zero digit that no vocabulary key has."""
        padded = np.concatenate([numbers, np.zeros(self.max_n, dtype=np.int64)])
        window = np.zeros(len(numbers), dtype=np.int64)  # the max_n characters from each position
        for k in range(self.max_n):
            window <<= self._bits
            window |= padded[k : k + len(numbers)]
        shift = (self.max_n - np.arange(self.max_n + 1)) * self._bits
        return ((window[starts] >> shift[lengths]) << _LENGTH_BITS) | lengths

    def _fill_table(self, keys: np.ndarray, columns: np.ndarray) -> None:
        """Insert distinct keys by linear probing, all keys a round at a time:
        a key that finds its slot taken, or loses it to another key in the same
        round, tries the next slot in the next round."""
        size = 1 << max(int(len(keys) * _SLOTS_PER_KEY - 1).bit_length(), 4)
        self._mask = size - 1
        self._shift = np.uint64(64 - (size.bit_length() - 1))
        self._table_keys = np.full(size, _EMPTY, dtype=np.int64)
        self._table_columns = np.full(size, -1, dtype=np.int32)
        claimant = np.full(size, -1, dtype=np.int64)
        pending = np.arange(len(keys))
        slot = self._slot(keys)
        while len(pending):
            free = self._table_keys[slot] == _EMPTY
            claimant[slot[free]] = pending[free]  # of several keys claiming one slot, one wins
            won = free.copy()
            won[free] = claimant[slot[free]] == pending[free]
            self._table_keys[slot[won]] = keys[pending[won]]
            self._table_columns[slot[won]] = columns[pending[won]]
            pending, slot = pending[~won], (slot[~won] + 1) & self._mask

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.view(np.uint64) * _MULTIPLIER) >> self._shift).astype(np.intp)

    def _find(self, keys: np.ndarray) -> np.ndarray:
        """The column of each key, -1 for a key not in the vocabulary."""
        slot = self._slot(keys)
        held = self._table_keys[slot]
        found = np.where(held == keys, self._table_columns[slot], -1)
        pending = np.flatnonzero((held != keys) & (held != _EMPTY))  # another key in the slot: probe on
        slot = slot[pending]
        while len(pending):
            slot = (slot + 1) & self._mask
            held = self._table_keys[slot]
            hit = held == keys[pending]
            found[pending[hit]] = self._table_columns[slot[hit]]
            on = ~hit & (held != _EMPTY)
            pending, slot = pending[on], slot[on]
        return found


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
