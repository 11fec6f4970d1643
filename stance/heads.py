"""The classifiers on top of the features: class-balanced logistic
regressions, one per extractor with their logits averaged, calibrated on
out-of-fold logits; the weights that explain them; per-tag thresholds.

Averaging per-extractor models (rather than one regression over all features)
keeps the few lexicon features from being drowned by thousands of n-grams; it
scored higher in grouped cross-validation on the training set.

Calibration is done here rather than with ``CalibratedClassifierCV`` so that
the out-of-fold values come from folds grouped by document (paragraphs of one
article never calibrate each other) and one set of folds serves every head and
the choice of the rhetoric thresholds.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import expit, log_softmax, softmax
from sklearn.linear_model import LogisticRegression

from .errors import DataError

DEFAULT_THRESHOLD = 0.5


class AveragedLogits:
    """Logistic regressions fitted one per block of columns (one block per
    extractor), combined by averaging their logits. The average is itself a
    linear model over all the columns, ``X @ coef_.T + intercept_``, whose
    coefficients are the blocks' coefficients divided by the number of blocks:
    each extractor gets an equal say however many features it has."""

    def __init__(self, classes: np.ndarray, coef: np.ndarray, intercept: np.ndarray):
        self.classes_ = classes
        self.coef_ = coef
        self.intercept_ = intercept

    def decision_function(self, X) -> np.ndarray:
        """One column per class (one column, the positive class's, for two classes)."""
        return np.asarray(X @ self.coef_.T) + self.intercept_


def fit_linear(X, y, *, blocks: list[slice], C: float, random_state: int, name: str) -> AveragedLogits:
    """Per block of columns, a logistic regression with class weights
    inversely proportional to class frequencies; their averaged logits.
    ``name`` says which classifier this is in errors."""
    classes = np.unique(y)
    if len(classes) < 2:
        raise DataError(f"cannot train the {name} classifier: every training paragraph has the label '{classes[0]}'")
    coef = np.zeros((1 if len(classes) == 2 else len(classes), X.shape[1]))
    intercept = np.zeros(coef.shape[0])
    for block in blocks:
        model = LogisticRegression(C=C, class_weight="balanced", solver="newton-cg", max_iter=1000, random_state=random_state)
        model.fit(X[:, block], y)
        coef[:, block] = model.coef_ / len(blocks)
        intercept += model.intercept_ / len(blocks)
    return AveragedLogits(classes, coef, intercept)


def logits(model: AveragedLogits, X) -> np.ndarray:
    """One column per class of ``model`` (``[0, d]`` for two classes)."""
    decision = model.decision_function(X)
    if decision.shape[1] == 1:
        return np.column_stack([np.zeros(len(decision)), decision[:, 0]])
    return decision


def linear_weights(model: AveragedLogits) -> np.ndarray:
    """Per class (in ``model.classes_`` order), how much each feature pushes
    toward it: ``x * weights[c]`` is each feature's contribution to class
    ``c``'s logit relative to the others."""
    if model.coef_.shape[0] == 1:
        return np.vstack([-model.coef_[0], model.coef_[0]])
    return model.coef_


class TemperatureScaling:
    """Multi-class calibration by one temperature: ``softmax(logits / T)``. It
    keeps each paragraph's most likely label and corrects the confidence."""

    def __init__(self, temperature: float = 1.0):
        self.temperature = temperature

    def fit(self, oof_logits: np.ndarray, truth: np.ndarray) -> TemperatureScaling:
        """Choose ``T`` minimising the log-loss of out-of-fold logits against ``truth`` (class indices)."""

        def loss(log_temperature: float) -> float:
            scaled = log_softmax(oof_logits / np.exp(log_temperature), axis=1)
            return -float(np.mean(scaled[np.arange(len(truth)), truth]))

        if len(truth):
            self.temperature = float(np.exp(minimize_scalar(loss, bounds=(-4.0, 4.0), method="bounded").x))
        return self

    def __call__(self, values: np.ndarray) -> np.ndarray:
        return softmax(values / self.temperature, axis=1)


class PlattScaling:
    """Binary calibration: ``sigmoid(a * d + b)`` of the decision value ``d``."""

    def __init__(self, slope: float = 1.0, intercept: float = 0.0):
        self.slope = slope
        self.intercept = intercept

    def fit(self, oof_logits: np.ndarray, truth: np.ndarray) -> PlattScaling:
        """Fit ``a`` and ``b`` by logistic regression of ``truth`` (0/1) on out-of-fold decision values."""
        if len(np.unique(truth)) == 2:
            platt = LogisticRegression(C=1e4).fit(oof_logits[:, 1:2], truth)
            self.slope, self.intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        return self

    def __call__(self, values: np.ndarray) -> np.ndarray:
        positive = expit(self.slope * values[:, 1] + self.intercept)
        return np.column_stack([1 - positive, positive])


class CalibratedHead:
    """A fitted linear model and the calibrator of its logits."""

    def __init__(self, model: AveragedLogits, calibrator):
        self.model = model
        self.calibrator = calibrator

    @property
    def classes_(self) -> np.ndarray:
        return self.model.classes_

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probabilities, one column per class of ``classes_``."""
        return self.calibrator(logits(self.model, X))

    def weights(self) -> np.ndarray:
        """See ``linear_weights``."""
        return linear_weights(self.model)


def choose_threshold(y_true, scores) -> float:
    """The score threshold that maximises F1 of ``scores >= threshold`` against
    ``y_true``, placed midway between the last score kept and the next one;
    ``DEFAULT_THRESHOLD`` when no threshold finds a true positive."""
    y_true = np.asarray(y_true, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    if not y_true.any():
        return DEFAULT_THRESHOLD
    order = np.argsort(-scores, kind="stable")
    ranked, truth = scores[order], y_true[order]
    true_positives = np.cumsum(truth)
    kept = np.arange(1, len(ranked) + 1)
    f1 = 2 * true_positives / (kept + truth.sum())
    end_of_tie = np.r_[ranked[1:] != ranked[:-1], True]
    f1[~end_of_tie] = -1.0
    best = int(np.argmax(f1))
    if true_positives[best] == 0:
        return DEFAULT_THRESHOLD
    if best + 1 == len(ranked):
        return float(ranked[best])
    return float((ranked[best] + ranked[best + 1]) / 2)
