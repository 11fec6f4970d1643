"""Joining the chosen extractors into one feature matrix (a ``FeatureUnion``,
features named ``extractor__feature``), with errors that name the extractor
and its plugin when one misbehaves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.pipeline import FeatureUnion

from .errors import ModelError, PluginError, StanceError


def build_union(extractors: Sequence[tuple[str, object]]) -> FeatureUnion:
    """An unfitted union of fresh copies of ``(name, extractor)`` pairs."""
    return FeatureUnion([(name, clone(extractor)) for name, extractor in extractors])


def fit_features(union: FeatureUnion, texts: list[str], plugins: Mapping[str, str]):
    """Fit ``union`` on ``texts`` and return their feature matrix (CSR)."""
    return _features(union.fit_transform, union, texts, plugins, fit=True)


def transform_features(union: FeatureUnion, texts: list[str], plugins: Mapping[str, str]):
    """The feature matrix (CSR) of ``texts`` under the fitted ``union``."""
    return _features(lambda batch: _transform_each(union, batch), union, texts, plugins, fit=False)


def _transform_each(union: FeatureUnion, texts: list[str]):
    """``union.transform(texts)`` (no weights, no dropped parts: ``build_union``
    makes none) without its joblib dispatch and output-format machinery, a
    fixed cost of about a millisecond per call that a one-paragraph request paid in full."""
    blocks = [extractor.transform(texts) for _, extractor in union.transformer_list]
    return sparse.hstack([sparse.csr_matrix(block) for block in blocks], format="csr")


def _features(method, union: FeatureUnion, texts: list[str], plugins: Mapping[str, str], *, fit: bool):
    """``method(texts)``, checked, with any failure blamed on the extractor that causes it."""
    try:
        matrix = method(texts)
    except StanceError:  # already one clear sentence (an encoder's endpoint that cannot be reached, say)
        raise
    except Exception as exc:  # an extractor's own code may raise anything
        raise _blame(union, texts, plugins, exc, fit=fit) from exc
    return _checked(union, matrix, texts, plugins, fit=fit)


def _checked(union: FeatureUnion, matrix, texts: list[str], plugins: Mapping[str, str], *, fit: bool):
    if matrix.shape[0] != len(texts) or (fit and matrix.shape[1] != len(union.get_feature_names_out())):
        raise _blame(union, texts, plugins, None, fit=fit)
    matrix = sparse.csr_matrix(matrix)
    if not np.isfinite(matrix.data).all():
        raise _blame_non_finite(union, matrix, texts, plugins)
    return matrix


def _blame_non_finite(union: FeatureUnion, matrix, texts: list[str], plugins: Mapping[str, str]) -> PluginError:
    """The error naming the extractor whose columns hold NaN or infinite values."""
    bad = ~np.isfinite(matrix.data)
    columns = matrix.indices[bad]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[bad]
    start = 0
    for name, extractor in union.transformer_list:
        stop = start + len(extractor.get_feature_names_out())
        inside = (columns >= start) & (columns < stop)
        if inside.any():
            return PluginError(
                f"extractor '{name}' of plugin '{plugins.get(name, 'unknown')}' returned NaN or infinite values "
                f"for {len(np.unique(rows[inside]))} of {len(texts)} paragraphs; features must be finite numbers"
            )
        start = stop
    return PluginError(f"the extractors' features hold NaN or infinite values for {len(texts)} paragraphs")


def _blame(union: FeatureUnion, texts: list[str], plugins: Mapping[str, str], cause, *, fit: bool) -> Exception:
    """The error naming the first extractor that fails on its own, or breaks the contract."""
    for name, extractor in union.transformer_list:
        label = f"extractor '{name}' of plugin '{plugins.get(name, 'unknown')}'"
        try:
            fitted = clone(extractor).fit(texts) if fit else extractor
            block = fitted.transform(texts)
            width = len(fitted.get_feature_names_out())
        except Exception as exc:  # an extractor's own code may raise anything
            action = "be fitted on" if fit else "transform"
            return ModelError(f"{label} could not {action} {len(texts)} paragraphs: {type(exc).__name__}: {exc}")
        if getattr(block, "ndim", 0) != 2 or block.shape[0] != len(texts):
            rows = block.shape[0] if getattr(block, "ndim", 0) else "no"
            return PluginError(f"{label} returned {rows} rows for {len(texts)} paragraphs")
        if block.shape[1] != width:
            return PluginError(f"{label} returned {block.shape[1]} columns but names {width} features")
    return ModelError(f"the extractors' features could not be combined: {cause}")
