"""Folder plugin ``hedging``: how sure a paragraph sounds (English and Russian).

Defences of the CSTO and denials come with certainty ("of course", "firmly
convinced", "безусловно"); cautious, conditional or second-hand claims with
hedges ("may", "we hope", "allegedly", "возможно", "якобы"). Features, per
paragraph, ``log(1 + count)`` of each marker family:

* ``certainty``: boosters and conviction ("of course", "no doubt", "clearly",
  "firmly convinced", "конечно", "несомненно", "уверены");
* ``hedge_modal``: possibility and probability ("may", "might", "perhaps",
  "likely", "not clear", "возможно", "вероятно", "не исключено");
* ``hedge_hope``: hope and expectation ("hope", "count on", "надеемся",
  "рассчитываем");
* ``hedge_evidential``: distance from the claim ("apparently", "allegedly",
  "it seems", "we think", "якобы", "по-видимому", "полагаю");

and ``certainty_balance``, (certainty - hedges) / (certainty + hedges + 1),
from -1 (all hedging) to 1 (all certainty). ``match_spans`` gives where each
family matched, for evidence.
"""

import re

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.hookspecs import hookimpl

__version__ = "1.0"

MARKERS: dict[str, tuple[str, ...]] = {
    "certainty": (
        r"of course", r"certainly", r"surely", r"undoubtedly", r"indisputabl\w*", r"no doubt",
        r"without (?:a |any )?doubt", r"clearly", r"obviously", r"evidently", r"definitely", r"absolutely",
        r"(?:firmly|deeply|fully|absolutely) (?:convinced|confident|believe\w*)", r"(?:am|are|is) convinced",
        r"(?:am|are|is) confident", r"it is (?:clear|obvious|evident) that", r"we know that", r"in fact",
        r"конечно", r"безусловно", r"несомненно", r"разумеется", r"очевидно", r"бесспорно",
        r"(?:твёрдо|твердо|глубоко) убежден\w*", r"убежден\w*", r"уверен\w*", r"без сомнени\w*",
        r"нет сомнени\w*", r"непременно",
    ),
    "hedge_modal": (
        r"may(?!\s+\d)", r"might", r"could", r"possibl\w*", r"perhaps", r"maybe", r"probabl\w*",
        r"(?:un)?likely", r"potentially", r"presumably", r"not (?:yet )?(?:clear|sure|certain)",
        r"unclear", r"uncertain\w*", r"to some extent", r"more or less",
        r"возможно", r"вероятно", r"может быть", r"наверное", r"пожалуй", r"не исключено",
        r"неясно", r"не ясно", r"не уверен\w*", r"отчасти",
    ),
    "hedge_hope": (
        r"hope\w*", r"hoping", r"count(?:s|ed|ing)? on", r"look(?:s|ed|ing)? forward", r"(?:we|i) wish",
        r"would like", r"expect\w*",
        r"надеж\w*", r"надежд\w*", r"надеемся", r"надеюсь", r"надеется", r"рассчитыва\w*",
        r"ожида\w*", r"хотел\w* бы",
    ),
    "hedge_evidential": (
        r"apparently", r"allegedly", r"reportedly", r"seemingly", r"it seems", r"seems? to", r"appears? to",
        r"(?:we|i) (?:think|believe|suppose|assume|guess)", r"in (?:my|our) (?:view|opinion)",
        r"якобы", r"по-видимому", r"видимо", r"кажется", r"судя по всему", r"по всей видимости",
        r"(?:считаю|считаем|полагаю|полагаем|думаю|думаем)", r"на (?:мой|наш) взгляд",
    ),
}
"""Marker families: regular expressions matched case-insensitively between word boundaries."""

_PATTERNS = {
    family: re.compile(r"(?<!\w)(?:" + "|".join(fragments) + r")(?!\w)", re.IGNORECASE)
    for family, fragments in MARKERS.items()
}
_HEDGES = ("hedge_modal", "hedge_hope", "hedge_evidential")
FEATURES = (*MARKERS, "certainty_balance")


class HedgingExtractor(TransformerMixin, BaseEstimator):
    """Certainty and hedging markers per paragraph (see the module docstring)."""

    def fit(self, texts, y=None):
        """Fix the feature names (nothing is learned from data)."""
        self.feature_names_ = np.asarray(FEATURES, dtype=object)
        return self

    def transform(self, texts):
        """A dense matrix, one row per text: the families' scaled counts, then the balance."""
        check_is_fitted(self, "feature_names_")
        rows = []
        for text in texts:
            counts = {family: len(pattern.findall(text)) for family, pattern in _PATTERNS.items()}
            hedges = sum(counts[family] for family in _HEDGES)
            balance = (counts["certainty"] - hedges) / (counts["certainty"] + hedges + 1)
            rows.append([*np.log1p(list(counts.values())), balance])
        return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURES))

    def get_feature_names_out(self, input_features=None):
        """``certainty``, ``hedge_modal``, ``hedge_hope``, ``hedge_evidential``, ``certainty_balance``."""
        check_is_fitted(self, "feature_names_")
        return self.feature_names_.copy()

    def match_spans(self, text):
        """Family -> ``(start, end)`` offsets in ``text`` of each of its markers."""
        spans = {family: [match.span() for match in pattern.finditer(text)] for family, pattern in _PATTERNS.items()}
        return {family: found for family, found in spans.items() if found}


@hookimpl
def register_extractors(register):
    register("hedging", HedgingExtractor, version=__version__, description="certainty vs. hedging markers (en, ru)")
