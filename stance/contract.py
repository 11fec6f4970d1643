"""The extractor contract, checked in one call: ``check_extractor(extractor)``.

An extractor is a scikit-learn transformer over a batch of paragraph strings.
Plugin authors run this in their tests (see ``docs/plugins.md``); ``stance``'s
own tests run it on every registered extractor, the example plugins' included.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import clone

__all__ = ["SAMPLE_TEXTS", "check_extractor"]

SAMPLE_TEXTS: tuple[str, ...] = (
    "The CSTO is an effective guarantor of security, and there is no alternative to it.",
    "Pashinyan said that the CSTO is leaving Armenia and did not respond to the attack.",
    "The EU monitoring mission was welcomed in Yerevan as a constructive step.",
    "Moscow warned that the plans of the collective West to militarize the region are dangerous.",
    "Nothing of the kind: the session was not a failure, of course not.",
    "The meeting of the foreign ministers will be held in Minsk on Friday.",
    "Зас заявил, что ОДКБ не является провалом и эффективно работает.",
    "Евросоюз направил в Армению так называемую «мониторинговую» миссию.",
)
"""Default texts for the check: English and Russian paragraphs of the domain."""


def check_extractor(extractor, texts: Sequence[str] | None = None) -> None:
    """Check that ``extractor`` keeps the extractor contract; raise
    ``AssertionError`` saying what is broken.

    Checked: ``clone`` and ``get_params``/``set_params`` round-trip; ``fit``
    returns ``self``; ``transform`` gives a 2-D array or sparse matrix with one
    row per text and one column per name of ``get_feature_names_out()``; rows
    follow the batch order (a permuted batch gives permuted rows); every value is
    finite (no NaN, no infinity); a pickled
    copy transforms identically; ``match_spans(text)``, if present, names only
    known features and gives offsets inside the text.
    """
    texts = list(SAMPLE_TEXTS if texts is None else texts)
    name = type(extractor).__name__
    _check_params(extractor, name)
    fitted = clone(extractor)
    returned = fitted.fit(texts)
    _require(returned is fitted, f"{name}.fit must return self, it returned {type(returned).__name__}")
    matrix = _dense(fitted.transform(texts), name, len(texts))
    names = [str(feature) for feature in fitted.get_feature_names_out()]
    _require(
        matrix.shape[1] == len(names),
        f"{name}.transform gives {matrix.shape[1]} columns but get_feature_names_out() names {len(names)}",
    )
    _require(len(set(names)) == len(names), f"{name}.get_feature_names_out() repeats feature names")
    _require(np.isfinite(matrix).all(), f"{name}.transform returns NaN or infinite values; features must be finite")
    order = np.random.default_rng(0).permutation(len(texts))
    permuted = _dense(fitted.transform([texts[i] for i in order]), name, len(texts))
    _require(np.allclose(permuted, matrix[order]), f"{name}.transform rows depend on the batch order or content")
    reloaded = pickle.loads(pickle.dumps(fitted))
    _require(
        np.allclose(_dense(reloaded.transform(texts), name, len(texts)), matrix),
        f"{name} transforms differently after pickling and unpickling",
    )
    if callable(getattr(fitted, "match_spans", None)):
        _check_spans(fitted, texts, set(names), name)


def _check_params(extractor, name: str) -> None:
    params = extractor.get_params(deep=False)
    copy = clone(extractor)
    _require(type(copy) is type(extractor), f"clone({name}) gives a {type(copy).__name__}")
    copied = copy.get_params(deep=False)
    _require(set(copied) == set(params), f"clone({name}) changes the parameter names")
    for key, value in params.items():
        if not hasattr(value, "get_params"):
            _require(_same(copied[key], value), f"clone({name}) changes parameter {key!r}")
    _require(copy.set_params(**copied) is copy, f"{name}.set_params must return self")


def _same(left, right) -> bool:
    try:
        return bool(np.all(left == right))
    except (TypeError, ValueError):
        return left is right


def _dense(matrix, name: str, rows: int) -> np.ndarray:
    dense = matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)
    _require(dense.ndim == 2, f"{name}.transform must return a 2-D array, got {dense.ndim} dimension(s)")
    _require(dense.shape[0] == rows, f"{name}.transform returned {dense.shape[0]} rows for {rows} texts")
    return dense


def _check_spans(fitted, texts: list[str], names: set[str], name: str) -> None:
    for text in texts:
        spans = fitted.match_spans(text)
        _require(isinstance(spans, dict), f"{name}.match_spans must return a dict, got {type(spans).__name__}")
        for feature, offsets in spans.items():
            _require(feature in names, f"{name}.match_spans names {feature!r}, which is not one of its features")
            for start, end in offsets:
                _require(
                    isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text),
                    f"{name}.match_spans gives span ({start}, {end}) for {feature!r} outside a text of length {len(text)}",
                )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
