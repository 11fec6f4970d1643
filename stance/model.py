"""The classifier: the chosen extractors in a ``FeatureUnion``, one calibrated
classifier per stance target and one per rhetoric tag, evidence and spans.

A batch is transformed once; the matrix feeds every head. Each head averages
the logits of one logistic regression per extractor, which is one linear
model over the union (see ``stance.heads``). Evidence for a stance is the
features with the largest positive contribution (value x that linear model's
coefficient, the same one the calibrated scores come from) toward the chosen
label. A rhetoric tag's spans come from the extractors that
have ``match_spans``: where a feature named after the tag (such as the
lexicon's cue family for it) matched if it pushed the tag, else where the
span-capable feature that pushed the tag most matched.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import GroupKFold

from .errors import PluginError
from .explain import top_contributions
from .features import build_union, extractor_blocks, fit_features, transform_features
from .heads import CalibratedHead, PlattScaling, TemperatureScaling, choose_threshold, fit_linear, logits
from .labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .results import Evidence, Span, TagResult, TargetResult

MIN_TAG_EXAMPLES = 3
"""A tag with fewer positive training paragraphs gets no classifier and is never predicted."""


@dataclass(frozen=True)
class ParagraphPrediction:
    """What the model says about one paragraph: a stance per target, the rhetoric tags found."""

    stances: dict[str, TargetResult]
    rhetoric: tuple[TagResult, ...]


class StanceModel:
    """Extractors feeding calibrated stance and rhetoric classifiers.

    ``extractors`` are ``(name, unfitted extractor)`` pairs, ``provenance`` the
    card entries of those extractors (name, plugin, version, source). ``C`` is
    the inverse regularisation strength of every per-extractor regression;
    ``calibration_folds`` the folds, grouped by document, whose out-of-fold
    logits calibrate every head and choose the tags' thresholds;
    ``evidence_size`` the features reported per stance.

    Stance scores are temperature-scaled (the class-balanced regression's
    label is kept, its confidence calibrated); tag scores are Platt-scaled and
    a tag is reported when its score reaches its threshold, the one that
    maximised the tag's out-of-fold F1.
    """

    def __init__(
        self,
        extractors: Sequence[tuple[str, object]],
        provenance: Sequence[Mapping[str, str]],
        *,
        C: float = 20.0,
        calibration_folds: int = 3,
        evidence_size: int = 5,
        random_state: int = 0,
    ):
        self.extractors = list(extractors)
        self.provenance = [dict(entry) for entry in provenance]
        self.C = C
        self.calibration_folds = calibration_folds
        self.evidence_size = evidence_size
        self.random_state = random_state

    @property
    def plugins(self) -> dict[str, str]:
        """Extractor name -> the plugin that provides it."""
        return {entry["name"]: entry["plugin"] for entry in self.provenance}

    def fit(
        self,
        texts: Sequence[str],
        labels: Mapping[str, Sequence[str]],
        tags: Sequence[Collection[str]],
        groups: Sequence[str],
    ) -> StanceModel:
        """Fit on paragraphs with their stance ``labels`` per target, their
        rhetoric ``tags``, and ``groups`` (each paragraph's document: the
        calibration folds never split a document)."""
        texts = list(texts)
        tag_matrix = tags_to_matrix(tags)
        truths = {target: np.asarray(labels[target]) for target in TARGETS}
        truths.update(
            (tag, tag_matrix[:, column])
            for column, tag in enumerate(RHETORIC_TAGS)
            if tag_matrix[:, column].sum() >= MIN_TAG_EXAMPLES
        )
        self.union_ = build_union(self.extractors)
        X = fit_features(self.union_, texts, self.plugins)
        self._index_features()
        blocks = extractor_blocks(self.union_)
        models = {name: self._fit_linear(X, truth, blocks, name) for name, truth in truths.items()}
        oof = self._out_of_fold_logits(texts, truths, models, np.asarray(groups))
        heads, self.thresholds_ = {}, {}
        for name, truth in truths.items():
            truth_index = np.searchsorted(models[name].classes_, truth)
            valid = np.isfinite(oof[name][np.arange(len(texts)), truth_index])
            calibrator = TemperatureScaling() if name in TARGETS else PlattScaling()
            heads[name] = CalibratedHead(models[name], calibrator.fit(oof[name][valid], truth_index[valid]))
            if name not in TARGETS:
                self.thresholds_[name] = choose_threshold(truth[valid], calibrator(oof[name][valid])[:, 1])
        self.stance_heads_ = {target: heads[target] for target in TARGETS}
        self.tag_heads_ = {tag: heads[tag] for tag in RHETORIC_TAGS if tag in heads}
        self.tag_span_weights_ = {tag: head.weights()[1, self.span_columns_] for tag, head in self.tag_heads_.items()}
        return self

    def transform(self, texts: Sequence[str]):
        """The feature matrix (CSR) of ``texts``."""
        return transform_features(self.union_, list(texts), self.plugins)

    def predict(self, texts: Sequence[str]) -> list[ParagraphPrediction]:
        """Stances with scores and evidence, and rhetoric tags with spans, per paragraph."""
        texts = list(texts)
        if not texts:
            return []
        X = self.transform(texts)
        spans = _SpanFinder(self, texts)
        stances = {target: self._predict_target(target, X, spans) for target in TARGETS}
        rhetoric = self._predict_tags(X, spans)
        return [
            ParagraphPrediction({target: stances[target][row] for target in TARGETS}, rhetoric[row])
            for row in range(len(texts))
        ]

    def _fit_linear(self, X, truth: np.ndarray, blocks: list[slice], name: str):
        return fit_linear(X, truth, blocks=blocks, C=self.C, random_state=self.random_state, name=f"'{name}'")

    def _index_features(self) -> None:
        names = self.union_.get_feature_names_out()
        self.extractor_names_ = [name for name, _ in self.union_.transformer_list]
        position = {name: index for index, name in enumerate(self.extractor_names_)}
        split = [str(name).split("__", 1) for name in names]
        self.feature_names_ = [str(name) for name in names]
        self.feature_local_ = [local for _, local in split]
        self.feature_extractor_ = np.array([position[extractor] for extractor, _ in split], dtype=np.int32)
        capable = [callable(getattr(extractor, "match_spans", None)) for _, extractor in self.union_.transformer_list]
        self.span_columns_ = np.flatnonzero(np.array(capable, dtype=bool)[self.feature_extractor_])

    def _out_of_fold_logits(self, texts: list[str], truths: dict, models: dict, groups: np.ndarray) -> dict:
        """Per head, each paragraph's logits from a model fitted (extractors
        included) on the other folds of a grouped cross-validation: NaN where
        that fold could not train the head, -inf for classes its fold lacked."""
        oof = {name: np.full((len(texts), len(model.classes_)), np.nan) for name, model in models.items()}
        folds = min(self.calibration_folds, len(np.unique(groups)))
        if folds < 2:
            return oof
        for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
            union = build_union(self.extractors)
            X_train = fit_features(union, [texts[i] for i in train], self.plugins)
            X_test = transform_features(union, [texts[i] for i in test], self.plugins)
            blocks = extractor_blocks(union)
            for name, truth in truths.items():
                if len(np.unique(truth[train])) < 2:
                    continue
                fold_model = self._fit_linear(X_train, truth[train], blocks, name)
                block = np.full((len(test), oof[name].shape[1]), -np.inf)
                block[:, np.searchsorted(models[name].classes_, fold_model.classes_)] = logits(fold_model, X_test)
                oof[name][test] = block
        return oof

    def _predict_target(self, target: str, X, spans: _SpanFinder) -> list[TargetResult]:
        head = self.stance_heads_[target]
        probabilities = head.predict_proba(X)
        chosen = probabilities.argmax(axis=1)
        classes = [str(label) for label in head.classes_]
        columns = [classes.index(label) if label in classes else None for label in STANCE_LABELS]
        bounds, features, weights = top_contributions(X, head.weights(), chosen, self.evidence_size)
        results = []
        for row, (scores, choice) in enumerate(zip(probabilities.tolist(), chosen.tolist())):
            evidence = tuple(
                spans.evidence(row, features[i], weights[i]) for i in range(bounds[row], bounds[row + 1])
            )
            results.append(
                TargetResult(
                    label=classes[choice],
                    scores={label: scores[c] if c is not None else 0.0 for label, c in zip(STANCE_LABELS, columns)},
                    evidence=evidence,
                )
            )
        return results

    def _predict_tags(self, X, spans: _SpanFinder) -> list[tuple[TagResult, ...]]:
        found: list[list[TagResult]] = [[] for _ in range(X.shape[0])]
        span_matrix = X[:, self.span_columns_]
        for tag, head in self.tag_heads_.items():
            scores = head.predict_proba(X)[:, 1]
            rows = np.flatnonzero(scores >= self.thresholds_[tag])
            if not rows.size:
                continue
            bounds, features, _ = top_contributions(
                span_matrix[rows], self.tag_span_weights_[tag][None, :], np.zeros(len(rows), dtype=int), len(self.span_columns_)
            )
            for position, row in enumerate(rows.tolist()):
                columns = [int(self.span_columns_[i]) for i in features[bounds[position] : bounds[position + 1]]]
                found[row].append(TagResult(tag, float(scores[row]), spans.for_tag(row, tag, columns)))
        return [tuple(sorted(tags, key=lambda result: -result.score)) for tags in found]


class _SpanFinder:
    """Builds evidence and spans, asking each span-capable extractor once per paragraph where its features matched."""

    def __init__(self, model: StanceModel, texts: list[str]):
        self.texts = texts
        self.names = model.feature_names_
        self.local = model.feature_local_
        self.extractor_of = model.feature_extractor_.tolist()
        self.extractor_names = model.extractor_names_
        self.plugins = model.plugins
        self.extractors = [
            extractor if callable(getattr(extractor, "match_spans", None)) else None
            for _, extractor in model.union_.transformer_list
        ]
        self.matches: dict[tuple[int, int], dict] = {}

    def evidence(self, row: int, column: int, weight: float) -> Evidence:
        """Feature ``column``'s evidence in paragraph ``row``."""
        extractor = self.extractor_names[self.extractor_of[column]]
        return Evidence(self.names[column], extractor, weight, self.of(row, column))

    def for_tag(self, row: int, tag: str, columns: list[int]) -> tuple[Span, ...]:
        """The spans showing ``tag`` in paragraph ``row``, given its span-capable
        features that pushed it, most first: those of a feature named after the
        tag if it matched, else those of the one that pushed most."""
        own = [column for column in columns if self.local[column] == tag]
        for column in own + columns[:1]:
            found = self.of(row, column)
            if found:
                return found
        return ()

    def of(self, row: int, column: int) -> tuple[Span, ...]:
        """Where feature ``column`` matched in paragraph ``row`` (empty when its extractor cannot tell)."""
        position = self.extractor_of[column]
        extractor = self.extractors[position]
        if extractor is None:
            return ()
        key = (row, position)
        matches = self.matches.get(key)
        if matches is None:
            try:
                matches = self.matches[key] = extractor.match_spans(self.texts[row])
            except Exception as exc:  # an extractor's own code may raise anything
                name = self.extractor_names[position]
                raise PluginError(
                    f"extractor '{name}' of plugin '{self.plugins.get(name)}' failed in match_spans: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        offsets = matches.get(self.local[column])
        if not offsets:
            return ()
        text = self.texts[row]
        return tuple(Span(start, end, text[start:end]) for start, end in offsets if 0 <= start < end <= len(text))


def tags_to_matrix(tags: Sequence[Collection[str]]) -> np.ndarray:
    """A boolean matrix, one row per paragraph and one column per ``RHETORIC_TAGS`` entry."""
    return np.array([[tag in paragraph for tag in RHETORIC_TAGS] for paragraph in tags], dtype=bool).reshape(
        len(tags), len(RHETORIC_TAGS)
    )
