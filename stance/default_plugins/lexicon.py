"""Built-in plugin: the domain lexicon extractor (English and Russian cues)."""

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.cues import CueSet, MatchCache
from stance.default_plugins.lexicon_cues import FAMILIES
from stance.hookspecs import hookimpl

LEXICON = CueSet(FAMILIES)


class LexiconExtractor(TransformerMixin, BaseEstimator):
    """Counts of domain cues per paragraph, as ``log(1 + count)`` so that a long
    paragraph repeating a cue does not outweigh the cue's presence.

    Features (see ``stance.default_plugins.lexicon_cues``): CSTO mentions and
    positive/negative evaluations, Western actors and positive/negative
    evaluations, one cue family per rhetoric tag; negated and same-sentence
    variants as described in ``stance.cues``. ``negation_window`` is how many
    words before a cue a negator may stand.
    """

    def __init__(self, negation_window=4):
        self.negation_window = negation_window

    @property
    def _matches(self) -> MatchCache:
        """This extractor's own cache of matches (not pickled, not shared with
        another model): ``transform`` and ``match_spans`` of one batch match each text once."""
        cache = self.__dict__.get("_match_cache")
        if cache is None:
            cache = self.__dict__["_match_cache"] = MatchCache(LEXICON)
        return cache

    def __getstate__(self):
        """The fitted state without the cache of matches."""
        state = super().__getstate__()
        state.pop("_match_cache", None)
        return state

    def fit(self, texts, y=None):
        """Fix the feature names (the lexicon learns nothing from data)."""
        self.feature_names_ = np.asarray(LEXICON.feature_names, dtype=object)
        return self

    def transform(self, texts):
        """A sparse matrix of scaled cue counts, one row per text."""
        check_is_fitted(self, "feature_names_")
        texts = list(texts)
        index = LEXICON.index
        if len(self.feature_names_) != len(index) or any(
            index.get(name) != column for column, name in enumerate(self.feature_names_)
        ):  # fitted under another version of the lexicon: keep the features it knew, in its order
            index = {name: column for column, name in enumerate(self.feature_names_)}
        rows, columns, counts = [], [], []
        for row, text in enumerate(texts):
            for name, spans in self._matches.match(text, self.negation_window).items():
                column = index.get(name)
                if column is None:
                    continue
                rows.append(row)
                columns.append(column)
                counts.append(len(spans))
        values = np.log1p(np.asarray(counts, dtype=float))
        return sparse.csr_matrix((values, (rows, columns)), shape=(len(texts), len(self.feature_names_)))

    def get_feature_names_out(self, input_features=None):
        """The lexicon's feature names."""
        check_is_fitted(self, "feature_names_")
        return self.feature_names_.copy()

    def match_spans(self, text):
        """Feature name -> ``(start, end)`` offsets in ``text`` where the feature fired."""
        return {name: list(spans) for name, spans in self._matches.match(text, self.negation_window).items()}


@hookimpl
def register_extractors(register):
    register("lexicon", LexiconExtractor, version="1.1", description="domain cue lexicon (English, Russian), negation-aware")
