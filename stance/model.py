"""The classifier: the chosen extractors in a ``FeatureUnion``, one calibrated
classifier per stance target and one per rhetoric tag, evidence and spans.

A batch is transformed once; the matrix feeds every head. Each head averages
the logits of one logistic regression per extractor, which is one linear
model over the union (see ``stance.heads``). Evidence for a stance is the
features with the largest positive contribution (value x that linear model's
coefficient, the same one the calibrated scores come from) toward the chosen
label. A rhetoric tag's spans come from the extractors that
have ``match_spans``: where a feature named after the tag (such as the
lexicon's cue family for it) matched; none when no such cue matched.

Each head's regression strength per extractor and the weights of the
extractors' logits are chosen by a grouped cross-validation inside the
training paragraphs (see ``StanceModel``), never by the data it is scored on.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import DataError, PluginError
from .evidence_filter import evidence_mask
from .examples import TrainingExamples
from .explain import top_contributions
from .features import build_union, fit_features, transform_features
from .heads import (
    CalibratedHead,
    HeadStack,
    PlattScaling,
    TemperatureScaling,
    combine_blocks,
    fit_block,
    fit_path,
    fit_stacking,
    selection_loss,
)
from .labels import RHETORIC_TAGS, STANCE_LABELS, TARGETS
from .results import Span, TagResult, TargetResult, new_evidence_list, new_spans, new_target_results
from .thresholds import choose_thresholds
from .workers import run_folds, single_threaded

MIN_TAG_EXAMPLES = 3
"""A tag with fewer positive training paragraphs gets no classifier and is never predicted."""

C_GRID = (0.0625, 0.25, 1.0, 4.0, 16.0, 64.0, 256.0)
"""The values of ``C`` each head's per-extractor regressions choose from, by
grouped cross-validation inside the training data."""

BALANCES = (1.0, 0.75, 0.5, 0.25, 0.0)
"""How strongly a stance head's stacking fit evens out the classes (see
``StanceModel._balance_for_macro_f1``), tried in this order."""

MIN_SELECTION_ROWS = 20
"""Fewer usable out-of-fold rows than this (tiny training sets): no choice is
made, every block gets the ``C`` nearest the model's default and equal weight."""


@dataclass(frozen=True, slots=True)
class ParagraphPrediction:
    """What the model says about one paragraph: a stance per target, the rhetoric tags found."""

    stances: dict[str, TargetResult]
    rhetoric: tuple[TagResult, ...]


MODEL_FORMAT = 5
"""The layout of a saved ``StanceModel``'s attributes. Raise it whenever that
layout changes, so that models saved before are rebuilt or refused, not
mis-loaded."""


class StanceModel:
    """Extractors feeding calibrated stance and rhetoric classifiers.

    ``extractors`` are ``(name, unfitted extractor)`` pairs, ``provenance`` the
    card entries of those extractors (name, plugin, version, source).
    ``calibration_folds`` are the folds, grouped by document, of an inner
    cross-validation on the training paragraphs only. Their out-of-fold logits
    choose, per head, each extractor's regression strength from ``C_grid`` and
    the weight of each extractor's logits (a non-negative stacking fit; for
    the stance targets also how strongly it evens out the classes, by
    out-of-fold macro-F1), then calibrate every head and choose the tags'
    thresholds. ``C`` is used (at the nearest grid value, extractors weighted
    equally) when the training set is too small to choose. ``evidence_size``
    is the features reported per stance. ``settings()`` returns the choices.

    Stance scores are temperature-scaled (the combined regression's label is
    kept, its confidence calibrated); tag scores are Platt-scaled and a tag is
    reported when its score reaches its threshold; the tags' thresholds are
    chosen together to maximise out-of-fold micro-F1 (see ``stance.thresholds``).
    """

    def __init__(
        self,
        extractors: Sequence[tuple[str, object]],
        provenance: Sequence[Mapping[str, str]],
        *,
        C: float = 20.0,
        C_grid: Sequence[float] = C_GRID,
        calibration_folds: int = 3,
        evidence_size: int = 5,
        example_size: int = 3,
        random_state: int = 0,
    ):
        self.extractors = list(extractors)
        self.provenance = [dict(entry) for entry in provenance]
        self.C = C
        self.C_grid = tuple(float(value) for value in C_grid)
        self.calibration_folds = calibration_folds
        self.evidence_size = evidence_size
        self.example_size = example_size
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
        ids: Sequence[str] | None = None,
        *,
        settings: Mapping | None = None,
    ) -> StanceModel:
        """Fit on paragraphs with their stance ``labels`` per target, their
        rhetoric ``tags``, ``groups`` (each paragraph's document: the
        calibration folds never split a document) and ``ids`` (the records'
        ids, shown with the similar training paragraphs; default: positions).

        ``settings``, the ``settings()`` of a model fitted earlier on the same
        paragraphs with the same extractors, skips the inner cross-validation:
        its choices (regression strengths, weights, calibration, thresholds)
        are used as they are, so the result is that model again at a fraction
        of the cost. ``DataError`` when they do not fit these heads and extractors."""
        texts = list(texts)
        tag_matrix = tags_to_matrix(tags)
        truths = {target: np.asarray(labels[target]) for target in TARGETS}
        truths.update(
            (tag, tag_matrix[:, column])
            for column, tag in enumerate(RHETORIC_TAGS)
            if tag_matrix[:, column].sum() >= MIN_TAG_EXAMPLES
        )
        for name, truth in truths.items():
            if len(np.unique(truth)) < 2:
                raise DataError(
                    f"cannot train the '{name}' classifier: every training paragraph has the label '{truth[0]}'"
                )
        classes = {name: np.unique(truth) for name, truth in truths.items()}
        with single_threaded():
            if settings is None:
                oof = self._out_of_fold_logits(texts, truths, classes, np.asarray(groups))
            self.union_ = build_union(self.extractors)
            X = fit_features(self.union_, texts, self.plugins)
            self._index_features()
            blocks = _blocks(self.union_)
            if settings is None:
                settings = self._choose(truths, classes, oof, blocks)
            self._fit_heads(X, truths, classes, blocks, self._check_settings(settings, truths))
        self.examples_ = TrainingExamples.build(
            [extractor for _, extractor in self.union_.transformer_list], texts, self.transform(texts),
            [str(i) for i in range(len(texts))] if ids is None else [str(i) for i in ids],
            {target: [str(label) for label in truths[target]] for target in TARGETS}, self._readable_columns,
        )
        return self

    def _choose(self, truths: dict, classes: dict, oof: dict, blocks: list[slice]) -> dict:
        """The ``settings()`` that the inner cross-validation's out-of-fold
        logits ``oof`` lead to: per head, each extractor's ``C`` and weight, the
        class biases and the calibration fitted on the combined logits; the
        tags' thresholds, chosen together on those calibrated logits."""
        heads = {}
        tag_truths, tag_scores = {}, {}  # out-of-fold, for the tags' thresholds
        for name, truth in truths.items():
            truth_index = np.searchsorted(classes[name], truth)
            Cs, weights, bias, combined = self._select(oof[name], truth_index, blocks, multiclass=name in TARGETS)
            valid = np.isfinite(combined[np.arange(len(truth)), truth_index])
            calibrator = TemperatureScaling() if name in TARGETS else PlattScaling()
            calibrator.fit(combined[valid], truth_index[valid])
            heads[name] = {
                "C": dict(zip(self.extractor_names_, Cs)),
                "weights": dict(zip(self.extractor_names_, (float(w) for w in weights))),
                "bias": [float(b) for b in bias],
                "calibration": calibrator.parameters(),
            }
            if name not in TARGETS:
                tag_truths[name], tag_scores[name] = truth[valid], calibrator(combined[valid])[:, 1]
        return {"heads": heads, "thresholds": choose_thresholds(tag_truths, tag_scores)}

    def _check_settings(self, settings: Mapping, truths: dict) -> dict:
        """``settings`` if they name exactly the heads of ``truths`` and this model's extractors; else ``DataError``."""
        heads = settings.get("heads", {})
        if set(heads) != set(truths):
            raise DataError("the given settings were chosen for other classifiers (other data); fit without them")
        for name, head in heads.items():
            if list(head.get("C", {})) != self.extractor_names_ or list(head.get("weights", {})) != self.extractor_names_:
                raise DataError(f"the given settings of '{name}' were chosen for other extractors; fit without them")
        return dict(settings)

    def settings(self) -> dict:
        """What the inner cross-validation chose for this fitted model, as plain
        JSON values: per head (stance target or tag) each extractor's ``C`` and
        weight, the class biases and the calibration; per tag its threshold.
        ``fit(..., settings=...)`` on the same data and extractors rebuilds the model from them."""
        return {"heads": self.settings_["heads"], "thresholds": dict(self.thresholds_)}

    def _fit_heads(self, X, truths: dict, classes: dict, blocks: list[slice], settings: dict) -> None:
        """Every head on the training features ``X`` (``blocks``: each extractor's
        columns), with the choices of ``settings``; an extractor weighing nothing is not fitted."""
        heads = {}
        for name, truth in truths.items():
            chosen = settings["heads"][name]
            Cs = [float(chosen["C"][extractor]) for extractor in self.extractor_names_]
            weights = np.array([float(chosen["weights"][extractor]) for extractor in self.extractor_names_])
            weights = np.where([block.stop > block.start for block in blocks], weights, 0.0)
            bias = np.array(chosen["bias"], dtype=float)
            parts = [
                fit_block(X[:, block], truth, C=C, random_state=self.random_state)
                if block.stop > block.start and weight > 0
                else _empty_part(len(classes[name]), block.stop - block.start)
                for block, C, weight in zip(blocks, Cs, weights)
            ]
            model = combine_blocks(classes[name], X.shape[1], blocks, parts, weights, bias if len(bias) > 2 else bias[1:])
            calibrator = TemperatureScaling if name in TARGETS else PlattScaling
            heads[name] = CalibratedHead(model, calibrator(**chosen["calibration"]))
        self.settings_ = {"heads": settings["heads"]}
        self.thresholds_ = {tag: float(value) for tag, value in settings["thresholds"].items()}
        self.stance_heads_ = {target: heads[target] for target in TARGETS}
        self.tag_heads_ = {tag: heads[tag] for tag in RHETORIC_TAGS if tag in heads}
        self._stack_heads()

    def transform(self, texts: Sequence[str]):
        """The feature matrix (CSR) of ``texts``."""
        return transform_features(self.union_, list(texts), self.plugins)

    def predict(self, texts: Sequence[str], *, evidence: bool = True) -> list[ParagraphPrediction]:
        """Stances with scores and evidence, and rhetoric tags with spans, per
        paragraph; without ``evidence``, the stances carry none (and it is not computed)."""
        texts = list(texts)
        if not texts:
            return []
        X = self.transform(texts)
        probabilities = self.head_stack_.predict_proba(X)
        spans = _SpanFinder(self, texts)
        similarity = None
        if evidence and self.example_size > 0:
            extractors = [extractor for _, extractor in self.union_.transformer_list]
            similarity = self.examples_.similarities(self.examples_.queries(extractors, texts, X))
        stances = {
            target: self._predict_target(target, X, spans, probabilities[target], evidence=evidence, similarity=similarity)
            for target in TARGETS
        }
        rhetoric = self._predict_tags(X, spans, probabilities)
        by_paragraph = zip(*(stances[target] for target in TARGETS))
        return list(map(ParagraphPrediction, [dict(zip(TARGETS, results)) for results in by_paragraph], rhetoric))

    def _index_features(self) -> None:
        self.extractor_names_ = [name for name, _ in self.union_.transformer_list]
        local_names = [[str(local) for local in extractor.get_feature_names_out()]
                       for _, extractor in self.union_.transformer_list]
        self.feature_local_ = [local for names in local_names for local in names]
        self.feature_names_ = [f"{extractor}__{local}"
                               for extractor, names in zip(self.extractor_names_, local_names) for local in names]
        self.feature_extractor_ = np.repeat(
            np.arange(len(local_names), dtype=np.int32), [len(names) for names in local_names]
        )
        capable = [callable(getattr(extractor, "match_spans", None)) for _, extractor in self.union_.transformer_list]
        readable = [getattr(extractor, "readable_features", True) is not False for _, extractor in self.union_.transformer_list]
        self._readable_columns = np.array(readable, dtype=bool)[self.feature_extractor_]
        self.span_columns_ = np.flatnonzero(np.array(capable, dtype=bool)[self.feature_extractor_])
        self.tag_span_columns_ = {
            tag: [int(column) for column in self.span_columns_ if self.feature_local_[column] == tag] for tag in RHETORIC_TAGS
        }
        self._prepare()

    _DERIVED = (
        "extractor_names_", "feature_names_", "feature_local_", "feature_extractor_",
        "span_columns_", "tag_span_columns_", "_column_extractor_names", "_column_span_extractor",
        "_column_span_capable", "_evidence_mask", "head_stack_", "_readable_columns", "_evidence_weights",
    )
    """Indexes of the feature columns, built from the fitted ``union_`` at fit and
    at load, and the heads' ``HeadStack``, never pickled: unpickling tens of
    thousands of feature names costs more than listing them again."""

    def _stack_heads(self) -> None:
        self.head_stack_ = HeadStack({**self.stance_heads_, **self.tag_heads_})
        self._evidence_weights = {  # embedding dimensions are never shown as reasons
            target: head.weights() * (self._evidence_mask * self._readable_columns)
            for target, head in self.stance_heads_.items()
        }

    def _prepare(self) -> None:
        """Per feature column: its extractor's name, and the position of that
        extractor if it has ``match_spans`` (else -1), as plain lists for the
        per-paragraph loops of ``predict``; whether it has, as a boolean array."""
        extractors = [extractor for _, extractor in self.union_.transformer_list]
        capable = [position if callable(getattr(extractor, "match_spans", None)) else -1
                   for position, extractor in enumerate(extractors)]
        owner = self.feature_extractor_.tolist()
        self._column_extractor_names = [self.extractor_names_[position] for position in owner]
        self._column_span_extractor = [capable[position] for position in owner]
        self._column_span_capable = np.array(capable)[self.feature_extractor_] >= 0
        self._evidence_mask = evidence_mask(self._column_extractor_names, self.feature_local_)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for name in self._DERIVED:
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if "union_" in state:
            self._index_features()
        if "stance_heads_" in state:
            self._stack_heads()

    def _balance_for_macro_f1(self, selected: list[np.ndarray], truth: np.ndarray, weights, bias):
        """The stacking fit, among those weighing paragraphs by ``1 / count(class)
        ** balance`` for each of ``BALANCES``, whose out-of-fold labels have the
        best macro-F1 (the measure stance is judged by): fully balanced classes
        favour the rare labels' recall, plain frequencies their precision.
        Ties keep the most balanced."""
        from sklearn.metrics import f1_score  # only to fit

        labels = np.arange(selected[0].shape[1])

        def score(w, b) -> float:
            predicted = (np.tensordot(np.asarray(w), np.stack(selected), axes=1) + b).argmax(axis=1)
            return f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)

        best, best_score = (weights, bias), score(weights, bias)
        for balance in BALANCES:
            if balance == 1.0:
                continue
            candidate = fit_stacking(selected, truth, balance=balance)
            if candidate[0].sum() > 0 and (value := score(*candidate)) > best_score + 1e-9:
                best, best_score = candidate, value
        return best

    def _out_of_fold_logits(self, texts: list[str], truths: dict, classes: dict, groups: np.ndarray) -> dict:
        """Per head, per extractor, per value of ``C_grid``: each paragraph's
        logits from a regression fitted (extractors included) on the other
        folds of a grouped cross-validation of the training paragraphs. NaN
        where that fold could not train the head, -inf for classes its fold lacked.
        The folds run in parallel where cores allow (``stance.workers``)."""
        oof = {
            name: [
                [np.full((len(texts), len(classes[name])), np.nan) for _ in self.C_grid] for _ in self.extractors
            ]
            for name in truths
        }
        folds = min(self.calibration_folds, len(np.unique(groups)))
        if folds < 2:
            return oof
        from sklearn.model_selection import GroupKFold  # only to fit: keeps loading a model fast

        splits = list(GroupKFold(n_splits=folds).split(texts, groups=groups))
        tasks = (
            (self.extractors, self.plugins, self.C_grid, self.random_state, [texts[i] for i in train],
             [texts[i] for i in test], {name: truth[train] for name, truth in truths.items()}, classes)
            for train, test in splits
        )
        for (_, test), fold in zip(splits, run_folds(_fold_logits, tasks, len(splits))):
            for (name, position, grid), values in fold.items():
                oof[name][position][grid][test] = values
        return oof

    def _select(self, oof: list, truth: np.ndarray, blocks: list[slice], *, multiclass: bool = False):
        """From one head's out-of-fold logits (per extractor, per ``C``): each
        extractor's ``C`` (the one whose logits separate the classes best,
        see ``selection_loss``), the extractors' weights and the class biases
        (``fit_stacking``; for a stance target, ``multiclass``, with the class
        balance of ``_balance_for_macro_f1``), and the combined out-of-fold logits."""
        usable = [block.stop > block.start for block in blocks]
        rows = np.ones(len(truth), dtype=bool)
        for per_C in oof:
            for values in per_C:
                rows &= np.isfinite(values).all(axis=1)
        default = int(np.argmin(np.abs(np.log(self.C_grid) - np.log(self.C))))
        chosen = [default] * len(oof)
        weights = np.array([1.0 if use else 0.0 for use in usable]) / max(sum(usable), 1)
        bias = np.zeros(oof[0][0].shape[1])
        counts = np.bincount(truth[rows], minlength=len(bias))
        if rows.sum() >= MIN_SELECTION_ROWS and (counts > 0).sum() == len(bias):
            chosen = [
                int(np.argmin([selection_loss(values[rows], truth[rows]) for values in per_C])) if use else default
                for per_C, use in zip(oof, usable)
            ]
            selected = [per_C[grid][rows] for per_C, grid in zip(oof, chosen)]
            stacked, stacked_bias = fit_stacking(selected, truth[rows])
            if multiclass:
                stacked, stacked_bias = self._balance_for_macro_f1(selected, truth[rows], stacked, stacked_bias)
            stacked = np.where(usable, stacked, 0.0)
            if stacked.sum() > 0:
                weights, bias = stacked, stacked_bias
        combined = np.zeros_like(oof[0][0]) + bias
        for per_C, grid, weight in zip(oof, chosen, weights):
            if weight > 0:
                combined = combined + weight * per_C[grid]
        return [self.C_grid[grid] for grid in chosen], weights, bias, combined

    def _predict_target(
        self, target: str, X, spans: _SpanFinder, probabilities=None, *, evidence: bool = True, similarity=None
    ) -> list[TargetResult]:
        """The target's results; ``probabilities``, its head's ``predict_proba(X)``,
        are computed if not given; without ``evidence``, none is looked for;
        ``similarity`` (paragraphs x training paragraphs), when given, picks the examples behind each call."""
        head = self.stance_heads_[target]
        if probabilities is None:
            probabilities = head.predict_proba(X)
        chosen = probabilities.argmax(axis=1)
        classes = [str(label) for label in head.classes_]
        # every label's score, in STANCE_LABELS order (0.0 for a label the head does not know)
        padded = np.column_stack([probabilities, np.zeros(len(probabilities))])
        scores = padded[:, [classes.index(label) if label in classes else -1 for label in STANCE_LABELS]].tolist()
        labels = [classes[choice] for choice in chosen.tolist()]
        label_scores = [dict(zip(STANCE_LABELS, row_scores)) for row_scores in scores]
        if not evidence:
            return new_target_results(labels, label_scores, [()] * len(labels))
        # function words, bare mentions and embedding dimensions still weigh in, but are never shown as reasons
        bounds, features, weights = top_contributions(X, self._evidence_weights[target], chosen, self.evidence_size)
        rows = np.repeat(np.arange(len(chosen)), np.diff(bounds))
        found = new_evidence_list(
            map(spans.names.__getitem__, features),
            map(spans.owners.__getitem__, features),
            weights,
            spans.of_each(rows, features),
        )
        return new_target_results(
            labels, label_scores, [tuple(found[first:last]) for first, last in zip(bounds, bounds[1:])],
            None if similarity is None else self.examples_.nearest(similarity, target, labels, self.example_size),
        )

    def _predict_tags(self, X, spans: _SpanFinder, probabilities=None) -> list[tuple[TagResult, ...]]:
        """Each paragraph's tags; ``probabilities`` maps tags to their heads'
        ``predict_proba(X)``, computed if not given."""
        found: list[list[TagResult]] = [[] for _ in range(X.shape[0])]
        for tag, head in self.tag_heads_.items():
            scores = (head.predict_proba(X) if probabilities is None else probabilities[tag])[:, 1]
            rows = np.flatnonzero(scores >= self.thresholds_[tag])
            columns = self.tag_span_columns_[tag]
            for row, score in zip(rows.tolist(), scores[rows].tolist()):
                found[row].append(TagResult(tag, score, spans.for_tag(row, columns)))
        return [tuple(sorted(tags, key=lambda result: -result.score)) for tags in found]


class _SpanFinder:
    """Where features matched in a batch's paragraphs, asking each span-capable
    extractor once per paragraph and building each feature's spans once."""

    def __init__(self, model: StanceModel, texts: list[str]):
        self.texts = texts
        self.names = model.feature_names_
        self.local = model.feature_local_
        self.extractor_names = model.extractor_names_
        self.owners = model._column_extractor_names
        self.span_extractor = model._column_span_extractor
        self.capable = model._column_span_capable
        self.plugins = model.plugins
        self.extractors = [extractor for _, extractor in model.union_.transformer_list]
        self.width = len(self.names)
        self.matches: dict[int, dict] = {}  # by row * extractors + extractor position
        self.found: dict[int, tuple[Span, ...]] = {}  # by row * features + feature column

    def of_each(self, rows: np.ndarray, columns: list[int]) -> list[tuple[Span, ...]]:
        """``of(rows[i], columns[i])`` for each ``i``, asking only for span-capable columns."""
        spans: list[tuple[Span, ...]] = [()] * len(columns)
        if not len(columns):
            return spans
        at = np.flatnonzero(self.capable[columns])
        of = self.of
        for i, row, column in zip(at.tolist(), rows[at].tolist(), np.asarray(columns)[at].tolist()):
            spans[i] = of(row, column)
        return spans

    def for_tag(self, row: int, columns: list[int]) -> tuple[Span, ...]:
        """The spans showing a tag in paragraph ``row``: where the first of
        ``columns`` (span-capable features named after the tag, such as the
        lexicon's cue family for the device) that matched, matched. A cue of
        something else (a mention of the CSTO, say) does not show the device, so
        without such a match the tag comes without spans."""
        for column in columns:
            found = self.of(row, column)
            if found:
                return found
        return ()

    def of(self, row: int, column: int) -> tuple[Span, ...]:
        """Where feature ``column`` matched in paragraph ``row`` (empty when its extractor cannot tell)."""
        key = row * self.width + column
        found = self.found.get(key)
        if found is None:
            position = self.span_extractor[column]
            found = self.found[key] = () if position < 0 else self._spans(row, column, position)
        return found

    def _spans(self, row: int, column: int, position: int) -> tuple[Span, ...]:
        key = row * len(self.extractors) + position
        matches = self.matches.get(key)
        if matches is None:
            try:
                matches = self.matches[key] = self.extractors[position].match_spans(self.texts[row])
            except Exception as exc:  # an extractor's own code may raise anything
                name = self.extractor_names[position]
                raise PluginError(
                    f"extractor '{name}' of plugin '{self.plugins.get(name)}' failed in match_spans: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        offsets = matches.get(self.local[column])
        return new_spans(self.texts[row], offsets) if offsets else ()


def _fold_logits(extractors, plugins, C_grid, random_state, train_texts, test_texts, train_truths, classes) -> dict:
    """One inner fold of ``StanceModel._out_of_fold_logits``: extractors fitted on
    ``train_texts``, then per head, extractor and ``C`` (a ``fit_path`` over
    ``C_grid``) the logits of ``test_texts``, keyed ``(head, extractor position,
    grid position)``; heads whose fold has a single class are left out."""
    union = build_union(extractors)
    X_train = fit_features(union, train_texts, plugins)
    X_test = transform_features(union, test_texts, plugins)
    found = {}
    for position, block in enumerate(_blocks(union)):
        for name, truth in train_truths.items():
            fold_classes = np.unique(truth)
            if len(fold_classes) < 2:
                continue
            columns = np.searchsorted(classes[name], fold_classes)
            if block.stop > block.start:
                path = fit_path(X_train[:, block], truth, C_grid, random_state=random_state)
                decisions = [np.asarray(X_test[:, block] @ coef.T) + intercept for coef, intercept in path]
            else:
                decisions = [np.zeros((len(test_texts), 1 if len(fold_classes) == 2 else len(fold_classes)))] * len(C_grid)
            for grid, decision in enumerate(decisions):
                if decision.shape[1] == 1:
                    decision = np.column_stack([np.zeros(len(test_texts)), decision[:, 0]])
                values = np.full((len(test_texts), len(classes[name])), -np.inf)
                values[:, columns] = decision
                found[name, position, grid] = values
    return found


def _blocks(union) -> list[slice]:
    """Each extractor's column range in a fitted ``union`` (empty for one without features)."""
    blocks, start = [], 0
    for _, extractor in union.transformer_list:
        width = len(extractor.get_feature_names_out())
        blocks.append(slice(start, start + width))
        start += width
    return blocks


def _empty_part(classes: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``(coef, intercept)`` of a block that says nothing."""
    rows = 1 if classes == 2 else classes
    return np.zeros((rows, width)), np.zeros(rows)


def tags_to_matrix(tags: Sequence[Collection[str]]) -> np.ndarray:
    """A boolean matrix, one row per paragraph and one column per ``RHETORIC_TAGS`` entry."""
    return np.array([[tag in paragraph for tag in RHETORIC_TAGS] for paragraph in tags], dtype=bool).reshape(
        len(tags), len(RHETORIC_TAGS)
    )
