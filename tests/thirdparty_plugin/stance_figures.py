"""An installed ``stance`` plugin: figures per paragraph. Claims of success or
failure often come with numbers ("almost 100%", "three times"), which the
codebook's exaggeration and minimisation examples show."""

import re

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from stance.hookspecs import hookimpl

PATTERNS = {"numbers": re.compile(r"\d+(?:[.,]\d+)?"), "percentages": re.compile(r"\d+(?:[.,]\d+)?\s?%")}


class FiguresExtractor(TransformerMixin, BaseEstimator):
    """``log(1 + count)`` of numbers and of percentages in a paragraph."""

    def fit(self, texts, y=None):
        self.fitted_ = True
        return self

    def transform(self, texts):
        return np.array([[np.log1p(len(p.findall(text))) for p in PATTERNS.values()] for text in texts]).reshape(-1, 2)

    def get_feature_names_out(self, input_features=None):
        return np.array(list(PATTERNS), dtype=object)

    def match_spans(self, text):
        spans = {name: [m.span() for m in pattern.finditer(text)] for name, pattern in PATTERNS.items()}
        return {name: found for name, found in spans.items() if found}


@hookimpl
def register_extractors(register):
    register("figures", FiguresExtractor, version="1.0", description="numbers and percentages")
