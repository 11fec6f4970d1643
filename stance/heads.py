"""The classifiers on top of the features: class-balanced logistic
regressions, one per extractor, whose logits are combined by a weighted sum and
calibrated on out-of-fold logits; the weights that explain them.

Separate per-extractor models (rather than one regression over all features)
keep the few lexicon features from being drowned by thousands of n-grams.
How strongly each is regularised and how much each says are chosen per head
by ``stance.model.StanceModel`` from out-of-fold logits of a grouped
cross-validation inside the training data (``selection_loss``,
``fit_stacking``). ``fit_path`` makes that affordable: the values of ``C`` are
fitted in order, each from the last one's solution, directly on the sparse
features, so that time and memory grow with the data's non-zero entries.

Calibration is done here rather than with ``CalibratedClassifierCV`` so that
the out-of-fold values come from folds grouped by document (paragraphs of one
article never calibrate each other) and one set of folds serves every head,
the choices above and the rhetoric thresholds (``stance.thresholds``).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import expit, log_softmax, softmax



class AveragedLogits:
    """Logistic regressions fitted one per block of columns (one block per
    extractor), combined by a weighted sum of their logits. The sum is itself a
    linear model over all the columns, ``X @ coef_.T + intercept_``, whose
    coefficients are the blocks' coefficients times their weights. With the
    default weights (``1 / blocks``) it is the plain average: each extractor
    gets an equal say however many features it has; ``StanceModel`` chooses
    the weights (and each block's ``C``) by grouped cross-validation inside
    its training data."""

    def __init__(self, classes: np.ndarray, coef: np.ndarray, intercept: np.ndarray):
        self.classes_ = classes
        self.coef_ = coef
        self.intercept_ = intercept

    def decision_function(self, X) -> np.ndarray:
        """One column per class (one column, the positive class's, for two classes)."""
        return np.asarray(X @ self.coef_.T) + self.intercept_


def fit_block(X, y, *, C: float, random_state: int, start: tuple[np.ndarray, np.ndarray] | None = None):
    """A class-balanced logistic regression of ``y`` on ``X``: its ``(coef, intercept)``.

    It is fitted on ``X`` as given (sparse stays sparse): newton-cg needs only
    products of ``X`` and its transpose with vectors, so time and memory grow
    with the non-zero entries, never with the square of the rows. ``start``, a
    ``(coef, intercept)`` of the same shapes, is where the solver begins (a
    fit with a nearby ``C``: see ``fit_path``)."""
    from sklearn.linear_model import LogisticRegression  # only to fit: keeps loading a model fast

    model = LogisticRegression(
        C=C, class_weight="balanced", solver="newton-cg", max_iter=1000, random_state=random_state,
        warm_start=start is not None,
    )
    if start is not None:
        model.coef_, model.intercept_ = start[0].copy(), start[1].copy()
    model.fit(X, y)
    return model.coef_, model.intercept_


def fit_path(X, y, Cs, *, random_state: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """``fit_block(X, y, C=C)`` for each of ``Cs``, in that order; fitted from the
    smallest ``C`` up, each fit starting from the previous one's solution (a
    regularisation path: the next optimum is near, so each fit takes a few
    Newton steps instead of a full solve)."""
    fitted: dict[float, tuple[np.ndarray, np.ndarray]] = {}
    start = None
    for C in sorted(set(Cs)):
        start = fitted[C] = fit_block(X, y, C=C, random_state=random_state, start=start)
    return [fitted[C] for C in Cs]


def combine_blocks(classes: np.ndarray, width: int, blocks: list[slice], parts, weights, bias=None) -> AveragedLogits:
    """The linear model ``sum_b weights[b] * (block b's logits) + bias`` over ``width`` columns,
    ``parts`` holding each block's ``(coef, intercept)``."""
    coef = np.zeros((parts[0][0].shape[0], width))
    intercept = np.zeros(coef.shape[0]) if bias is None else np.array(bias, dtype=float)
    for block, (block_coef, block_intercept), weight in zip(blocks, parts, weights):
        coef[:, block] = block_coef * weight
        intercept = intercept + block_intercept * weight
    return AveragedLogits(classes, coef, intercept)


def balanced_log_loss(values: np.ndarray, truth: np.ndarray) -> float:
    """Mean cross-entropy of ``softmax(values)`` against ``truth`` (class
    indices), each class weighing as much as the others in total."""
    counts = np.bincount(truth, minlength=values.shape[1]).astype(float)
    present = counts > 0
    weights = 1.0 / (counts[truth] * present.sum())
    return -float(np.sum(weights * log_softmax(values, axis=1)[np.arange(len(truth)), truth]))


def selection_loss(values: np.ndarray, truth: np.ndarray) -> float:
    """``balanced_log_loss`` of out-of-fold logits at their best temperature: how
    well they separate the classes, whatever their scale (the scale is
    calibrated later)."""
    result = minimize_scalar(
        lambda log_t: balanced_log_loss(values / np.exp(log_t), truth), bounds=(-4.0, 6.0), method="bounded"
    )
    return float(result.fun)


def fit_stacking(block_values: list[np.ndarray], truth: np.ndarray, *, balance: float = 1.0, penalty: float = 1e-3):
    """Non-negative weights, one per block, and a bias per class, so that
    ``sum_b weights[b] * block_values[b] + bias`` minimises the log-loss
    against ``truth`` (plus ``penalty * |weights|^2``), each paragraph weighing
    ``1 / count(its class) ** balance``: 1 is the ``balanced_log_loss``, 0 the
    plain log-loss (the biases then follow the classes' frequencies).
    ``block_values`` are the blocks' out-of-fold logits (one column per class).
    Returns ``(weights, bias)`` with ``bias[0] == 0``."""
    from scipy.optimize import minimize

    stacked = np.stack(block_values)  # blocks x rows x classes
    blocks, rows, classes = stacked.shape
    counts = np.bincount(truth, minlength=classes).astype(float)
    sample = counts[truth] ** -balance
    sample /= sample.sum()
    onehot = np.eye(classes)[truth]

    def loss(params: np.ndarray):
        weights, bias = params[:blocks], np.r_[0.0, params[blocks:]]
        values = np.tensordot(weights, stacked, axes=1) + bias
        log_p = log_softmax(values, axis=1)
        residual = (np.exp(log_p) - onehot) * sample[:, None]
        value = -float(np.sum(sample * log_p[np.arange(rows), truth])) + penalty * float(weights @ weights)
        gradient = np.r_[np.einsum("brc,rc->b", stacked, residual) + 2 * penalty * weights, residual.sum(axis=0)[1:]]
        return value, gradient

    start = np.r_[np.full(blocks, 1.0 / blocks), np.zeros(classes - 1)]
    bounds = [(0.0, None)] * blocks + [(None, None)] * (classes - 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    return result.x[:blocks], np.r_[0.0, result.x[blocks:]]


def logits(model: AveragedLogits, X) -> np.ndarray:
    """One column per class of ``model`` (``[0, d]`` for two classes)."""
    return _per_class(model.decision_function(X))


def _per_class(decision: np.ndarray) -> np.ndarray:
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

    def parameters(self) -> dict[str, float]:
        """What ``fit`` chose, as the keyword arguments that rebuild this calibrator."""
        return {"temperature": self.temperature}

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
            from sklearn.linear_model import LogisticRegression

            platt = LogisticRegression(C=1e4).fit(oof_logits[:, 1:2], truth)
            self.slope, self.intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        return self

    def parameters(self) -> dict[str, float]:
        """What ``fit`` chose, as the keyword arguments that rebuild this calibrator."""
        return {"slope": self.slope, "intercept": self.intercept}

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

    def probabilities_from_product(self, product: np.ndarray) -> np.ndarray:
        """``predict_proba(X)`` given ``X @ model.coef_.T`` (see ``HeadStack``)."""
        return self.calibrator(_per_class(product + self.model.intercept_))

    def weights(self) -> np.ndarray:
        """See ``linear_weights``."""
        return linear_weights(self.model)


class HeadStack:
    """Several heads evaluated together: their coefficients side by side, so
    that one pass over a sparse matrix gives every head's product with it
    (the same numbers as each head's own ``predict_proba``, for less than half
    the time of a pass per head)."""

    def __init__(self, heads: dict[str, CalibratedHead]):
        self.heads = dict(heads)
        coefs = [head.model.coef_ for head in self.heads.values()]
        self.coef = np.ascontiguousarray(np.vstack(coefs).T)
        ends = np.cumsum([len(coef) for coef in coefs]).tolist()
        self.columns = {name: slice(end - len(coef), end) for name, coef, end in zip(self.heads, coefs, ends)}

    def predict_proba(self, X) -> dict[str, np.ndarray]:
        """Each head's ``predict_proba(X)``, by name; ``ModelError`` if any is not
        finite (so that no NaN or infinity reaches a score, an evidence weight
        or the JSON written from them)."""
        product = np.asarray(X @ self.coef)
        if not np.isfinite(product).all():
            from .errors import ModelError

            raise ModelError("the features of these paragraphs give non-finite scores (NaN or infinity)")
        return {
            name: head.probabilities_from_product(product[:, self.columns[name]]) for name, head in self.heads.items()
        }
