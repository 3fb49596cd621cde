"""What LogisticRegression and MLPClassifier share: input checks, labels, minibatches, the loop.

The public contract, used by the trainer, persistence and the pages (nothing else reaches inside):

- ``begin(X, y, classes=None) -> (X, Y)``: check everything, set ``classes_``, draw fresh
  parameters, reset the counters; ``training_steps(X, Y)`` then yields after every step ``fit``
  would take;
- ``check_X(X)``, ``encode(y)``: validated inputs in the model's dtype, encoded targets;
- ``check_params()``: the hyperparameters checked, as ``begin`` checks them;
- ``logits(X)``, ``layer_outputs(X)``: z for validated X; every layer's output;
- ``get_weights()``, ``set_weights(weights)``, ``from_weights(...)``: the parameters by name.

A subclass implements the private side: ``_init_params(n_features, n_outputs, rng)`` (fresh
parameters), ``_step(X, Y)`` (one gradient step on a batch, returning that batch's
cross-entropy), ``logits``, and its weights by name: ``_weight_shapes()``, ``_live_weights()``,
``_put_weights(weights)``, ``_reset_optimizer()``.

Hyperparameters are checked when training starts (and the batch size before every step), for
type and range, so a wrong one is a ValueError naming it, never a TypeError or numpy's
MemoryError later: a learning rate in (0, ``MAX_LEARNING_RATE``], a seed numpy accepts, a tol
that is a number. Messages quote a bad value only as a short excerpt.

Targets are encoded once: for two classes ``Y`` is (n, 1) with Y = 1 for ``classes_[1]`` (one
sigmoid output); for K > 2 classes it is one-hot (n, K) (softmax).
"""
import math
import numbers
import warnings
from collections.abc import Mapping

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .activations import sigmoid, softmax
from .errors import TrainingDiverged, excerpt
from .losses import cross_entropy

# Far beyond any rate that trains (every page offers at most 10): larger is a typo or an attack.
MAX_LEARNING_RATE = 1e3


class GradientClassifier(ClassifierMixin, BaseEstimator):
    """Base class: sklearn's estimator protocol around a subclass's gradient step."""

    # float dtype of X, Y and the parameters; MLPClassifier exposes it as a parameter
    def _dtype(self):
        return np.float64

    # ---- checking what the user gives us -------------------------------------------------
    def _check_hyperparameters(self):
        """Every hyperparameter, checked for type and range before anything is allocated;
        a ValueError naming the first bad one (its value quoted short)."""
        lr = self.learning_rate
        if not _real(lr) or not 0 < lr <= MAX_LEARNING_RATE:
            raise ValueError(f"learning_rate must be a number in (0, {MAX_LEARNING_RATE:g}], "
                             f"got {excerpt(lr)}.")
        if not _integer(self.max_iter) or self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer, got {excerpt(self.max_iter)}.")
        self._check_batch_size()
        if not _real(self.l2) or self.l2 < 0:
            raise ValueError(f"l2 must be a non-negative number, got {excerpt(self.l2)}.")
        if self.tol is not None and (not _real(self.tol) or self.tol < 0):
            raise ValueError(f"tol must be None or a non-negative number, got {excerpt(self.tol)}.")
        _check_random_state(self.random_state)

    def check_params(self):
        """Check every hyperparameter as ``begin`` does; a ValueError names the first bad one.

        Hyperparameters may change between steps (see ``training_steps``): checking them before
        taking steps refuses a bad value without ending the steps underway, so training goes on
        once it is put right.
        """
        self._check_hyperparameters()

    def _check_batch_size(self):
        bs = self.batch_size
        if bs is not None and (not _integer(bs) or bs < 1):
            raise ValueError(f"batch_size must be None (full batch) or a positive integer, got "
                             f"{excerpt(bs)}.")
        return bs

    def _check_size(self, n_features, n_rows):
        """Refuse, before allocating, a model too large to train on ``n_rows`` per step
        (subclasses that allocate per unit say how much; the default allocates little)."""

    def _validate_X(self, X, reset):
        if (not reset and type(X) is np.ndarray and X.dtype == self._dtype() and X.ndim == 2
                and len(X) and X.shape[1] == self.n_features_in_
                and not hasattr(self, "feature_names_in_")):
            # already what validate_data would return (it takes ~50 us, on every live snapshot's
            # grid); only the finiteness is left to check
            _check_finite(X)
            return X
        try:
            X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32],
                              ensure_all_finite=False)
        except ValueError as err:
            _reraise_friendly(err)
        _check_finite(X)
        return _cast(X, self._dtype())

    def _validate_Xy(self, X, y, reset):
        try:
            X, y = validate_data(self, X, y, reset=reset, dtype=[np.float64, np.float32],
                                 ensure_all_finite=False)
        except ValueError as err:
            _reraise_friendly(err)
        _check_finite(X)
        check_classification_targets(y)
        return _cast(X, self._dtype()), y

    def _set_classes(self, y, classes):
        found = np.unique(y) if classes is None else np.unique(np.asarray(classes))
        if len(found) < 2:
            raise ValueError(
                f"y contains only one class ({excerpt(found[0])}); a classifier needs examples "
                "of at least two classes. Add examples of another class.")
        self.classes_ = found

    def __sklearn_is_fitted__(self):
        # what check_is_fitted asks; begin and from_weights set classes_ with the weights
        return hasattr(self, "classes_")

    def check_X(self, X):
        """X validated for this fitted model: a finite float array in its dtype, (n, n_features).

        Raises ValueError naming the problem (NaN or inf and its row, text, the wrong number of
        features).
        """
        check_is_fitted(self)
        return self._validate_X(X, reset=False)

    def encode(self, y):
        """Labels -> Y of shape (n, 1) (two classes: 1 for ``classes_[1]``) or one-hot (n, K)."""
        idx = np.searchsorted(self.classes_, y)
        idx = np.clip(idx, 0, len(self.classes_) - 1)
        unknown = self.classes_[idx] != y
        if np.any(unknown):
            raise ValueError(
                f"y contains labels not seen before: "
                f"{excerpt(np.unique(np.asarray(y)[unknown])[:4].tolist())}; the model knows "
                f"the classes {excerpt(self.classes_.tolist())}.")
        dtype = self._dtype()
        if len(self.classes_) == 2:
            return idx.reshape(-1, 1).astype(dtype)
        Y = np.zeros((len(idx), len(self.classes_)), dtype=dtype)
        Y[np.arange(len(idx)), idx] = 1
        return Y

    def _n_outputs(self):
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    # ---- the weights by name -------------------------------------------------------------
    def _shape_message(self, name, shape, expected):
        return f"{name} has shape {shape}, but this model needs shape {expected}."

    def _checked_weights(self, weights, finite):
        """The arrays of ``weights`` after checking names, numbers, shapes (and finiteness)."""
        if not isinstance(weights, Mapping):
            raise ValueError(f"weights must be a dict name -> array (as get_weights returns), "
                             f"got {type(weights).__name__}.")
        expected = self._weight_shapes()
        missing = [k for k in expected if k not in weights]
        unexpected = [k for k in weights if k not in expected]
        if missing or unexpected:
            raise ValueError(f"{type(self).__name__} weights are named "
                             f"{excerpt(list(expected), 80)}; missing {excerpt(missing)}, "
                             f"unexpected {excerpt(unexpected)}.")
        checked = {}
        for name, shape in expected.items():
            w = np.asarray(weights[name])
            if w.dtype.kind not in "biuf":
                raise ValueError(f"The weights {name!r} are not numbers (dtype "
                                 f"{excerpt(str(w.dtype))}).")
            if w.shape != shape:
                raise ValueError(self._shape_message(name, w.shape, shape))
            if finite and not np.isfinite(w).all():
                raise ValueError(f"The weights {name!r} contain NaN or infinity.")
            checked[name] = w
        return checked

    def _usable_weights(self):
        """The model's own weights, checked, in its dtype and C order (copies only if needed).

        Weights assigned directly to the attributes (``coefs_ = ...``) are accepted here."""
        dt = self._dtype()
        return {k: w if w.dtype == dt and w.flags.c_contiguous else np.ascontiguousarray(w, dt)
                for k, w in self._checked_weights(self._live_weights(), finite=False).items()}

    def get_weights(self):
        """The parameters by name, as copies.

        Returns
        -------
        dict name -> ndarray: LogisticRegression {"theta": (n_features + 1, n_outputs)};
        MLPClassifier {"coef_0": (n_features, h_1), ..., "intercept_0": (h_1,), ...}.
        """
        check_is_fitted(self)
        return {k: w.copy() for k, w in self._usable_weights().items()}

    def set_weights(self, weights):
        """Replace the parameters by copies of ``weights`` (a dict as ``get_weights`` returns).

        The names and shapes must fit the model (its ``n_features_in_``, ``classes_`` and
        architecture) and every number must be finite; the arrays are converted to the model's
        dtype. Momentum, if any, starts again from rest. Raises ValueError saying what is wrong.
        """
        check_is_fitted(self)
        dt = self._dtype()
        checked = self._checked_weights(weights, finite=True)
        self._put_weights({k: np.array(w, dtype=dt, order="C") for k, w in checked.items()})
        self._reset_optimizer()

    @classmethod
    def from_weights(cls, params, classes, n_features, weights, steps=0):
        """A fitted model, ready to predict or to train on, from its settings and weights.

        Parameters
        ----------
        params : dict of constructor arguments (as ``get_params`` returns).
        classes : the sorted, distinct labels (as ``classes_``).
        n_features : int, the number of input features.
        weights : dict name -> array, as ``get_weights`` returns.
        steps : int, the steps already taken (``t_``); the examples seen are not known and
            ``n_seen_`` starts at 0.

        Raises
        ------
        ValueError (TypeError for unknown parameter names) saying what does not fit.
        """
        model = cls(**params)
        model._check_hyperparameters()
        classes = np.asarray(classes)
        if classes.ndim != 1 or len(classes) < 2:
            raise ValueError(f"classes must list at least two labels, got "
                             f"{excerpt(classes.tolist())}.")
        if classes.dtype.kind not in "biufUS":
            raise ValueError(f"classes must be all numbers or all texts, got "
                             f"{excerpt(classes.tolist())}.")
        if classes.dtype.kind == "f" and not np.isfinite(classes).all():
            raise ValueError(f"classes must be finite numbers, got {excerpt(classes.tolist())}.")
        if not np.array_equal(np.unique(classes), classes):
            raise ValueError(f"classes must be distinct and sorted (as classes_ is), got "
                             f"{excerpt(classes.tolist())}.")
        if not _integer(n_features) or n_features < 1:
            raise ValueError(f"n_features must be a positive integer, got {excerpt(n_features)}.")
        if not _integer(steps) or steps < 0:
            raise ValueError(f"steps must be a non-negative integer, got {excerpt(steps)}.")
        model.classes_ = classes
        model.n_features_in_ = int(n_features)
        model._check_size(model.n_features_in_, 0)
        model._rng = np.random.default_rng(model.random_state)
        model._reset_counters(int(steps))
        model.set_weights(weights)
        return model

    # ---- training ---------------------------------------------------------------------------
    def _reset_counters(self, steps=0):
        self.n_iter_ = 0
        self.t_ = steps
        self.n_seen_ = 0
        self.loss_curve_ = []
        self._stopped_early = False

    def begin(self, X, y, classes=None):
        """Start training from scratch, as ``fit`` does: check the hyperparameters and the data,
        set ``classes_``, draw fresh parameters, reset the counters.

        Parameters
        ----------
        X : array-like (n, n_features); y : array-like (n,) of labels.
        classes : optional list of every label (default: those in y).

        Returns
        -------
        X : ndarray (n, n_features), validated, in the model's dtype.
        Y : ndarray (n, 1) or (n, K), the encoded targets (see ``encode``).
        """
        self._check_hyperparameters()
        X, y = self._validate_Xy(X, y, reset=True)
        self._set_classes(y, classes)
        self._check_size(X.shape[1], len(X))
        Y = self.encode(y)
        self._rng = np.random.default_rng(self.random_state)
        self._init_params(X.shape[1], self._n_outputs(), self._rng)
        self._reset_counters()
        return X, Y

    def _gather(self, A, idx, name):
        """A[idx] copied into a buffer kept between steps (a fresh array each step costs page
        faults). The result is overwritten by the next step's batch.

        ``idx`` comes from a permutation of range(len(A)), so it is always in range.
        ``mode="clip"`` says so to numpy: with the default ``mode="raise"``, ``take`` copies
        through a temporary buffer before writing ``out``, which made the gather about 1.5x slower.
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
        state.pop("_buffers", None)  # scratch space, rebuilt on demand
        return state

    def _take_step(self, X, Y, idx):
        """One gradient step on the batch ``idx``; raises TrainingDiverged on a non-finite loss."""
        if isinstance(idx, slice):
            Xb, Yb = X, Y
        else:
            Xb, Yb = self._gather(X, idx, "X"), self._gather(Y, idx, "Y")
        loss = self._step(Xb, Yb)
        self.t_ += 1
        self.n_seen_ += len(Xb)
        self.last_batch_ = idx  # which examples the last step used (a page shows its math)
        if not np.isfinite(loss):
            raise TrainingDiverged(self.t_, self.learning_rate)
        return loss

    def _pass(self, X, Y):
        """One pass over (X, Y) in minibatches, yielding after every step (see ``Steps``).

        ``fit``, ``partial_fit`` and the step-by-step trainer all train through ``Steps``, so
        they take exactly the same steps."""
        return Steps(self, X, Y, passes=1, stop_when_converged=False)

    def _end_pass(self, total, used):
        """Close a pass: check the weights, count it, record its loss over the examples used."""
        if not all(np.isfinite(w).all() for w in self._live_weights().values()):
            raise TrainingDiverged(self.t_, self.learning_rate, what="a weight")
        self.n_iter_ += 1
        self.loss_curve_.append(total / used)

    def training_steps(self, X, Y):
        """Every step ``fit`` would take, one per ``next``: up to max_iter passes over
        (X, Y), stopping when converged (an iterator, ``Steps``).

        X and Y are what ``begin`` returned. Hyperparameters changed between steps (learning
        rate, batch size, l2, momentum) apply from the next step.
        """
        return Steps(self, X, Y)

    def fit(self, X, y):
        """Train from fresh parameters for up to ``max_iter`` passes over the data.

        Returns
        -------
        self
        """
        X, Y = self.begin(X, y)
        for _ in self.training_steps(X, Y):
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
            X, Y = self.begin(X, y, classes)
        else:
            self._check_hyperparameters()
            X, y = self._validate_Xy(X, y, reset=False)
            if classes is not None and not np.array_equal(np.unique(classes), self.classes_):
                raise ValueError(f"classes={classes!r} differs from the classes of the first call, "
                                 f"{self.classes_.tolist()!r}.")
            Y = self.encode(y)
            # weights assigned to the attributes since the last call: checked, in our dtype
            self._put_weights(self._usable_weights())
        for _ in self._pass(X, Y):
            pass
        return self

    def _converged(self):
        """Subclasses decide; by default stop when the loss has not improved by tol for 10 passes."""
        tol = self.tol
        curve = self.loss_curve_
        if tol is None or tol <= 0 or len(curve) <= 10:
            return False
        return min(curve[-10:]) > min(curve[:-10]) - tol

    # ---- prediction ---------------------------------------------------------------------
    def logits(self, X):
        """theta^T x (or the network's last pre-activation) for validated X: (n, n_outputs)."""
        raise NotImplementedError

    def layer_outputs(self, X):
        """Every layer's output for X (validated here), the logits last: [z] for a linear model."""
        return [self.logits(self.check_X(X))]

    def decision_function(self, X):
        """theta^T x: shape (n,) for two classes (positive means ``classes_[1]``), else (n, K)."""
        Z = self.logits(self.check_X(X))
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_proba(self, X):
        """P(class | x), shape (n, n_classes); rows sum to 1 and contain no NaN."""
        return proba_from_logits(self.logits(self.check_X(X)))

    def predict(self, X):
        """The most probable class: classes_[1] where theta^T x > 0, for two classes."""
        Z = self.decision_function(X)
        idx = (Z > 0).astype(int) if Z.ndim == 1 else Z.argmax(axis=1)
        return self.classes_[idx]

    def loss(self, X, y):
        """Negative mean log-likelihood -LL(theta) / n on (X, y): the loss every page shows."""
        X = self.check_X(X)
        return cross_entropy(self.encode(np.asarray(y)), self.logits(X))


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


def _real(x):
    """A finite real number (not a bool, not text)."""
    if not isinstance(x, numbers.Real) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # an int beyond float's range
        return False


def _integer(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _check_random_state(random_state):
    """None, a non-negative integer or a numpy Generator (or what default_rng takes)."""
    if random_state is None or isinstance(random_state, np.random.Generator):
        ok = True
    elif _integer(random_state):
        ok = random_state >= 0
    elif isinstance(random_state, (bool, str, bytes, float)):
        ok = False
    else:
        try:
            np.random.default_rng(random_state)
            ok = True
        except (TypeError, ValueError, OverflowError):
            ok = False
    if not ok:
        raise ValueError(f"random_state must be None, a non-negative integer or a numpy "
                         f"Generator, got {excerpt(random_state)}.")


def _cast(X, dtype):
    """X in ``dtype``: values beyond float32's range are refused, not turned into inf."""
    if X.dtype == dtype:
        return X
    X = X.astype(dtype)
    try:
        _check_finite(X)
    except ValueError:
        raise ValueError(f"Input X holds values beyond {np.dtype(dtype).name}'s range (about "
                         f"{np.finfo(dtype).max:.1e}); rescale the data.") from None
    return X


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


class Steps:
    """The steps of training ``model`` on (X, Y), one per ``next``: passes over the data in
    minibatches, up to ``passes`` of them (``model.max_iter`` when training starts, if None),
    stopping after a pass when the model has converged (unless ``stop_when_converged`` is
    False).

    The examples are shuffled once per pass, and ``batch_size`` is read before every step, so
    a new one applies from the next step: the next batch of the new size comes from the
    examples this pass has not used yet. A full batch (``batch_size=None``, or a batch size of
    at least n at the start of a pass) is every example in their given order; switching to it
    mid-pass ends the pass there, so the full-batch step that follows uses the whole data. When
    a pass is over (in the step that ends it) its mean batch loss, weighted by examples, is
    recorded in ``loss_curve_``.

    An iterator object rather than a generator, so that where training stands (the pass's
    order, the examples it used, its loss so far) is plain data: a trainer can be pickled in
    the middle of a pass and go on elsewhere. As a generator would, it is finished once a step
    raises.
    """

    def __init__(self, model, X, Y, passes=None, stop_when_converged=True):
        self.model, self.X, self.Y = model, X, Y
        self.passes_left = passes          # read from model.max_iter at the first step if None
        self.stop_when_converged = stop_when_converged
        self.in_pass = False
        self.order, self.used, self.total = None, 0, 0.0
        self.finished = False

    def __iter__(self):
        return self

    def __next__(self):
        if self.finished:
            raise StopIteration
        try:
            self._step()
        except BaseException:
            self.finished = True
            raise

    def _step(self):
        model, n = self.model, len(self.X)
        if self.passes_left is None:
            self.passes_left = model.max_iter
        while True:
            if not self.in_pass:
                if self.passes_left <= 0:
                    raise StopIteration
                self.passes_left -= 1
                self.in_pass, self.order, self.used, self.total = True, None, 0, 0.0
            if self.used < n:
                bs = model._check_batch_size()
                if bs is None or (self.used == 0 and bs >= n):
                    idx = slice(None) if not self.used else None
                else:
                    if self.order is None:
                        self.order = model._rng.permutation(n)
                    idx = self.order[self.used:self.used + bs]
                if idx is not None:  # a step; else a full batch asked for mid-pass ends it
                    n_b = n if isinstance(idx, slice) else len(idx)
                    self.total += model._take_step(self.X, self.Y, idx) * n_b
                    self.used += n_b
                    if self.used == n:
                        model._end_pass(self.total, self.used)
                    return
                model._end_pass(self.total, self.used)
            self.in_pass = False  # the pass is over
            if self.stop_when_converged and model._converged():
                model._stopped_early = True
                raise StopIteration
