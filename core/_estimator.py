"""What LogisticRegression and MLPClassifier share: input checks, labels, minibatches, the loop.

A subclass implements four things:

- ``_init_params(n_features, n_outputs, rng)``: fresh parameters;
- ``_step(X, Y)``: one gradient step on a batch, returning that batch's cross-entropy;
- ``_logits(X)``: theta^T x (or the network's last pre-activation), shape (n, n_outputs);
- ``_params()``: the list of parameter arrays (used for snapshots and divergence checks).

Targets are encoded once: for two classes ``Y`` is (n, 1) with Y = 1 for ``classes_[1]`` (one
sigmoid output); for K > 2 classes it is one-hot (n, K) (softmax).
"""
import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .activations import sigmoid, softmax
from .errors import TrainingDiverged
from .losses import cross_entropy


def minibatches(n, batch_size, rng):
    """Index arrays for one pass over n samples, shuffled; ``batch_size=None`` is one full batch.

    A full batch is ``slice(None)``: the lectures' algorithm uses every example at every step,
    in a fixed order, so nothing is shuffled or copied.
    """
    if batch_size is None or batch_size >= n:
        return [slice(None)]
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


class GradientClassifier(ClassifierMixin, BaseEstimator):
    """Base class: sklearn's estimator protocol around a subclass's gradient step."""

    # float dtype of X, Y and the parameters; MLPClassifier exposes it as a parameter
    def _dtype(self):
        return np.float64

    # ---- checking what the user gives us -------------------------------------------------
    def _check_hyperparameters(self):
        lr = self.learning_rate
        if not isinstance(lr, numbers.Real) or not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"learning_rate must be a positive number, got {lr!r}.")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}.")
        bs = self.batch_size
        if bs is not None and (not isinstance(bs, numbers.Integral) or bs < 1):
            raise ValueError(f"batch_size must be None (full batch) or a positive integer, got {bs!r}.")
        if not isinstance(self.l2, numbers.Real) or not np.isfinite(self.l2) or self.l2 < 0:
            raise ValueError(f"l2 must be a non-negative number, got {self.l2!r}.")

    def _validate_X(self, X, reset):
        try:
            X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32],
                              ensure_all_finite=False)
        except ValueError as err:
            _reraise_friendly(err)
        _check_finite(X)
        return X.astype(self._dtype(), copy=False)

    def _validate_Xy(self, X, y, reset):
        try:
            X, y = validate_data(self, X, y, reset=reset, dtype=[np.float64, np.float32],
                                 ensure_all_finite=False)
        except ValueError as err:
            _reraise_friendly(err)
        _check_finite(X)
        check_classification_targets(y)
        return X.astype(self._dtype(), copy=False), y

    def _set_classes(self, y, classes):
        self.classes_ = np.unique(y) if classes is None else np.unique(np.asarray(classes))
        if len(self.classes_) < 2:
            raise ValueError(
                f"y contains only one class ({self.classes_[0]!r}); a classifier needs examples "
                "of at least two classes. Add examples of another class.")

    def _encode(self, y):
        """Labels -> Y of shape (n, 1) (two classes) or one-hot (n, K)."""
        idx = np.searchsorted(self.classes_, y)
        idx = np.clip(idx, 0, len(self.classes_) - 1)
        unknown = self.classes_[idx] != y
        if np.any(unknown):
            raise ValueError(
                f"y contains labels not seen before: {np.unique(np.asarray(y)[unknown])[:5]!r}; "
                f"the model knows the classes {self.classes_.tolist()!r}.")
        dtype = self._dtype()
        if len(self.classes_) == 2:
            return idx.reshape(-1, 1).astype(dtype)
        Y = np.zeros((len(idx), len(self.classes_)), dtype=dtype)
        Y[np.arange(len(idx)), idx] = 1
        return Y

    def _n_outputs(self):
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    # ---- training ---------------------------------------------------------------------------
    def _initialise(self, X, y, classes=None):
        """Check hyperparameters and data, set classes_, draw fresh parameters. Returns X, Y."""
        self._check_hyperparameters()
        X, y = self._validate_Xy(X, y, reset=True)
        self._set_classes(y, classes)
        Y = self._encode(y)
        self._rng = np.random.default_rng(self.random_state)
        self._init_params(X.shape[1], self._n_outputs(), self._rng)
        self.n_iter_ = 0
        self.t_ = 0
        self.loss_curve_ = []
        self._stopped_early = False
        return X, Y

    def _gather(self, A, idx, name):
        """A[idx] copied into a buffer kept between steps (a fresh array each step costs page
        faults). The result is overwritten by the next step's batch.

        ``idx`` comes from ``minibatches`` and is always in range. ``mode="clip"`` says so to
        numpy: with the default ``mode="raise"``, ``take`` copies through a temporary buffer
        before writing ``out``, which made the gather about 1.5x slower.
        """
        buffers = self.__dict__.setdefault("_buffers", {})
        buf = buffers.get(name)
        if buf is None or buf.shape[1:] != A.shape[1:] or buf.dtype != A.dtype or len(buf) < len(idx):
            buf = buffers[name] = np.empty((len(idx),) + A.shape[1:], A.dtype)
        out = buf[:len(idx)]
        np.take(A, idx, axis=0, out=out, mode="clip")
        return out

    def __getstate__(self):
        state = super().__getstate__()
        for name in ("_buffers", "_ws"):  # scratch space, rebuilt on demand
            state.pop(name, None)
        return state

    def _take_step(self, X, Y, idx):
        """One gradient step on the batch ``idx``; raises TrainingDiverged on a non-finite loss."""
        if isinstance(idx, slice):
            Xb, Yb = X, Y
        else:
            Xb, Yb = self._gather(X, idx, "X"), self._gather(Y, idx, "Y")
        loss = self._step(Xb, Yb)
        self.t_ += 1
        if not np.isfinite(loss):
            raise TrainingDiverged(self.t_, self.learning_rate)
        return loss

    def _epoch_steps(self, X, Y):
        """One pass over (X, Y) in minibatches, yielding after every step.

        ``fit``, ``partial_fit`` and the step-by-step trainer all train through this generator,
        so they take exactly the same steps. At the end of the pass it records the
        sample-weighted mean batch loss in ``loss_curve_``.
        """
        total = 0.0
        for idx in minibatches(len(X), self.batch_size, self._rng):
            n_b = len(X) if isinstance(idx, slice) else len(idx)
            total += self._take_step(X, Y, idx) * n_b
            yield
        if not all(np.isfinite(p).all() for p in self._params()):
            raise TrainingDiverged(self.t_, self.learning_rate, what="a weight")
        self.n_iter_ += 1
        self.loss_curve_.append(total / len(X))

    def _epoch(self, X, Y):
        for _ in self._epoch_steps(X, Y):
            pass

    def _training_steps(self, X, Y):
        """Every step ``fit`` would take: up to max_iter passes, stopping when converged."""
        for _ in range(self.max_iter):
            yield from self._epoch_steps(X, Y)
            if self._converged():
                self._stopped_early = True
                return

    def fit(self, X, y):
        """Train from fresh parameters for up to ``max_iter`` passes over the data.

        Returns
        -------
        self
        """
        X, Y = self._initialise(X, y)
        for _ in self._training_steps(X, Y):
            pass
        if not self._stopped_early and self.tol is not None and self.tol > 0:
            warnings.warn(f"{type(self).__name__} stopped after max_iter={self.max_iter} passes "
                          "without meeting tol; raise max_iter or the learning rate.",
                          ConvergenceWarning)
        return self

    def partial_fit(self, X, y, classes=None):
        """One pass over the given data in minibatches, continuing from the current parameters.

        The first call (or a call on a model whose weights were never set) initialises the model;
        ``classes`` lists every label that will ever be seen and defaults to those in y.
        """
        if not hasattr(self, "classes_"):
            X, Y = self._initialise(X, y, classes)
        else:
            self._check_hyperparameters()
            X, y = self._validate_Xy(X, y, reset=False)
            if classes is not None and not np.array_equal(np.unique(classes), self.classes_):
                raise ValueError(f"classes={classes!r} differs from the classes of the first call, "
                                 f"{self.classes_.tolist()!r}.")
            Y = self._encode(y)
            self._sync_params()
        self._epoch(X, Y)
        return self

    def _converged(self):
        """Subclasses decide; by default stop when the loss has not improved by tol for 10 passes."""
        tol = self.tol
        curve = self.loss_curve_
        if tol is None or tol <= 0 or len(curve) <= 10:
            return False
        return min(curve[-10:]) > min(curve[:-10]) - tol

    def _sync_params(self):
        """Hook: bring parameters assigned from outside (e.g. sklearn weights) to our dtype."""

    # ---- prediction ---------------------------------------------------------------------
    def decision_function(self, X):
        """theta^T x: shape (n,) for two classes (positive means ``classes_[1]``), else (n, K)."""
        check_is_fitted(self)
        Z = self._logits(self._validate_X(X, reset=False))
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_proba(self, X):
        """P(class | x), shape (n, n_classes); rows sum to 1 and contain no NaN."""
        check_is_fitted(self)
        Z = self._logits(self._validate_X(X, reset=False))
        return proba_from_logits(Z)

    def predict(self, X):
        """The most probable class: classes_[1] where theta^T x > 0, for two classes."""
        Z = self.decision_function(X)
        idx = (Z > 0).astype(int) if Z.ndim == 1 else Z.argmax(axis=1)
        return self.classes_[idx]

    def loss(self, X, y):
        """Negative mean log-likelihood -LL(theta) / n on (X, y): the loss every page shows."""
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        return cross_entropy(self._encode(np.asarray(y)), self._logits(X))


def proba_from_logits(Z):
    """(n, 1) logits -> [1 - sigma, sigma]; (n, K) -> softmax. Always finite, rows sum to 1.

    Infinite logits are certain answers and give probabilities 0 and 1; NaN logits (weights that
    overflowed) raise a ValueError rather than return NaN probabilities.
    """
    Z = np.asarray(Z, dtype=np.float64)
    if np.isnan(Z).any():
        raise ValueError("The model's outputs are not numbers (its weights overflowed, usually "
                         "after a too-large learning rate): reset it and train with a smaller one.")
    big = np.finfo(np.float64).max / 4  # so that z - max(z) cannot overflow
    Z = np.clip(Z, -big, big)
    if Z.shape[1] == 1:
        p = sigmoid(Z[:, 0])
        return np.column_stack([1.0 - p, p])
    return softmax(Z)


def _check_finite(X):
    # One sum is much cheaper than two element-wise scans of a large X; only when the sum is not
    # finite (a NaN, an inf, or an overflow of huge values) do we look for the culprit.
    if np.isfinite(X.sum()):
        return
    bad_nan = np.isnan(X)
    if bad_nan.any():
        rows = np.flatnonzero(bad_nan.any(axis=1))
        raise ValueError(
            f"Input X contains NaN (missing values) in {len(rows)} row(s), the first at row "
            f"{rows[0]}. Remove or fill those rows before training.")
    if not np.isfinite(X).all():
        rows = np.flatnonzero((~np.isfinite(X)).any(axis=1))
        raise ValueError(
            f"Input X contains inf (infinite values) in {len(rows)} row(s), the first at row "
            f"{rows[0]}. Remove those rows or rescale the data.")


def _reraise_friendly(err):
    msg = str(err)
    if "could not convert" in msg or "Unable to convert" in msg:
        raise ValueError(f"X must be numeric, every column a number ({msg}). "
                         "Check for text or stray characters in the data.") from err
    raise err
