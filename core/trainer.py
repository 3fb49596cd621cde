"""Train a model a few steps at a time, and look at it between steps.

A ``Trainer`` owns a model and its data. ``run(k)`` takes k gradient steps (exactly the steps
``fit`` would take, in the same order) and returns a frozen ``Snapshot``: what a page draws.
``snapshots(k)`` is the same as a generator. Hyperparameters that do not change the model's
shape (learning rate, batch size, l2, momentum) can be changed on ``trainer.model`` between
steps; they apply from the very next step. The trainer uses only the estimators' public
contract (``begin``, ``training_steps``, ``check_params``, ``check_X``, ``encode``, ``logits``,
``layer_outputs``, ``get_weights``, ``set_weights``), so it treats every model alike.
"""
import dataclasses
import numbers
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ._estimator import proba_from_logits
from .errors import TrainingDiverged, excerpt
from .losses import cross_entropy
from .surface import grid_images


def _frozen(a, dtype=None):
    a = np.array(a, dtype=dtype, copy=True)
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class Snapshot:
    """The state of training after ``step`` gradient steps. Arrays are read-only copies.

    ``weights`` maps each parameter's name to its array, as the model's ``get_weights`` names
    them: {"theta": (m + 1, n_outputs)} for LogisticRegression; {"coef_0", ..., "intercept_0",
    ...} for an MLP. ``theta``, ``coefs`` and ``intercepts`` read them the usual way.
    ``epoch`` is ``examples_seen`` / n_train: passes over the training data, fractional.
    ``grid_proba`` is (ny, nx) P(classes_[1]) for two classes or (K, ny, nx); ``grid_hidden``
    holds each hidden layer's activations on the grid as (units, ny, nx) (an empty tuple for
    logistic regression). Losses are negative mean log-likelihoods; test figures are None
    without test data, grid figures None without a grid.
    """
    step: int
    epoch: float
    examples_seen: int
    learning_rate: float
    train_loss: float
    train_accuracy: float
    test_loss: float | None
    test_accuracy: float | None
    weights: MappingProxyType
    grid_proba: np.ndarray | None = None
    grid_hidden: tuple | None = None

    def __post_init__(self):
        # a snapshot never holds views of weights that keep changing
        if not isinstance(self.weights, MappingProxyType):
            frozen = {k: _frozen(v) for k, v in dict(self.weights).items()}
            object.__setattr__(self, "weights", MappingProxyType(frozen))

    def __reduce__(self):
        # a mappingproxy cannot be pickled or deep-copied; a plain dict is frozen again on load
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values["weights"] = dict(self.weights)
        return (_snapshot, (values,))

    @property
    def theta(self):
        """LogisticRegression's theta (m + 1, n_outputs), or None for an MLP."""
        return self.weights.get("theta")

    def _layers(self, kind):
        n_layers = sum(name.startswith("coef_") for name in self.weights)
        return [self.weights[f"{kind}_{l}"] for l in range(n_layers)] if n_layers else None

    @property
    def coefs(self):
        """An MLP's [W_1, ..., W_L], each (fan_in, fan_out); None for logistic regression."""
        return self._layers("coef")

    @property
    def intercepts(self):
        """An MLP's [b_1, ..., b_L], each (fan_out,); None for logistic regression."""
        return self._layers("intercept")


def _snapshot(values):
    return Snapshot(**values)


class Trainer:
    """Step-by-step training of a LogisticRegression or MLPClassifier.

    Parameters
    ----------
    model : an unfitted (or to-be-refitted) core estimator; it is initialised here as ``fit``
        would initialise it (``model.begin``), so the same ``random_state`` gives the same run.
    X_train, y_train : training data.
    X_test, y_test : optional held-out data, evaluated at every snapshot.
    grid : optional ``surface.Grid``; snapshots then carry probabilities on it.
    classes : optional list of all labels (default: those in y_train).
    max_eval : evaluate losses and accuracies on at most this many examples of each set
        (a fixed random subset), so a snapshot stays cheap on large data; at least 1.
    weights : optional dict name -> array, as ``get_weights`` returns (or a Snapshot's
        ``weights``): training starts from these weights instead of fresh ones.
    """

    def __init__(self, model, X_train, y_train, X_test=None, y_test=None, grid=None,
                 classes=None, max_eval=5000, weights=None):
        if not isinstance(max_eval, numbers.Integral) or isinstance(max_eval, bool) or max_eval < 1:
            raise ValueError(f"max_eval must be a positive integer (the examples evaluated), "
                             f"got {excerpt(max_eval)}.")
        if X_test is not None and len(X_test) and (y_test is None or len(y_test) != len(X_test)):
            raise ValueError("X_test and y_test must both be given, with one label per row.")
        self.model = model
        self.X, self.Y = model.begin(X_train, y_train, classes)
        if weights is not None:
            model.set_weights(weights)
        self._eval_train = self._subset(self.X, self.Y, max_eval)
        self._eval_test = None
        if X_test is not None and len(X_test):
            Xt = model.check_X(X_test)
            self._eval_test = self._subset(Xt, model.encode(np.asarray(y_test)), max_eval)
        self._max_eval = max_eval
        self.grid = grid
        # validated once: layer_outputs then finds them already in the model's dtype and shape
        self._grid_points = None if grid is None else model.check_X(grid.points)
        self._steps = model.training_steps(self.X, self.Y)
        self.done = False

    def arrays(self):
        """Every array this trainer holds: the training data and targets as the model uses them
        (a copy when the dtype differs), the evaluation subsets, the grid and the weights; for
        a server's accounting of memory (``nbytes``)."""
        held = [self.X, self.Y, *(self._eval_train or ()), *(self._eval_test or ()),
                self._grid_points, *self.model.get_weights().values()]
        return [a for a in held if isinstance(a, np.ndarray)]

    def set_training_data(self, X_train, y_train):
        """Train on other examples from the next step on, from the weights as they are: the
        data changed, the model did not (a point added or removed by hand). The labels must be
        among the model's classes; the step and example counts go on."""
        X = self.model.check_X(X_train)
        Y = self.model.encode(np.asarray(y_train))
        self.X, self.Y = X, Y
        self._eval_train = self._subset(X, Y, self._max_eval)
        self._steps = self.model.training_steps(X, Y)  # a fresh pass over the new data
        self.done = False

    @staticmethod
    def _subset(X, Y, max_eval):
        if len(X) <= max_eval:
            return X, Y
        idx = np.sort(np.random.default_rng(0).choice(len(X), max_eval, replace=False))
        return X[idx], Y[idx]

    @property
    def step(self):
        return self.model.t_

    @property
    def examples_seen(self):
        return self.model.n_seen_

    @property
    def epoch(self):
        """Passes over the training data so far: examples seen / n (fractional).

        Counted over the steps actually taken, so it never jumps when the batch size changes.
        """
        return self.model.n_seen_ / len(self.X)

    def take(self, n_steps=1):
        """Take up to n_steps gradient steps and no snapshot: the steps ``run`` takes, for a
        caller that looks at the model less often than it steps. Returns the steps taken (fewer
        than n_steps when training ends). Raises TrainingDiverged, or ValueError for a
        hyperparameter changed to a bad value (before any step)."""
        self.model.check_params()
        steps = self._steps
        for taken in range(int(n_steps)):
            if next(steps, StopIteration) is StopIteration:
                self.done = True
                return taken
        return int(n_steps)

    def run(self, n_steps=1):
        """Take up to n_steps gradient steps and return a snapshot. Raises TrainingDiverged.

        A step checks its batch loss, computed from clipped probabilities; weights so large that
        the logits overflow keep that finite, so the snapshot's own loss is checked too.

        Hyperparameters changed since the last run are checked first: a bad one is a ValueError
        that takes no step and leaves the training where it was, ready to go on.
        """
        self.take(n_steps)
        snap = self.snapshot()
        if not (np.isfinite(snap.train_loss) and np.isfinite(snap.test_loss or 0.0)):
            raise TrainingDiverged(snap.step, snap.learning_rate,
                                   what="the loss (the outputs overflowed)")
        return snap

    def snapshots(self, steps_per_snapshot=1):
        """Yield a snapshot every ``steps_per_snapshot`` steps until training ends.

        ``send(k)`` changes the number of steps per snapshot from then on.
        """
        k = steps_per_snapshot
        yield self.snapshot()
        while not self.done:
            new_k = yield self.run(k)
            if new_k:
                k = new_k

    def _evaluate(self, data):
        X, Y = data
        if not len(X):  # an accuracy over no examples would be NaN
            raise ValueError("There are no examples to evaluate the model on.")
        Z = self.model.logits(X)
        pred = (Z[:, 0] > 0) if Z.shape[1] == 1 else Z.argmax(axis=1)
        truth = (Y[:, 0] > 0.5) if Y.shape[1] == 1 else Y.argmax(axis=1)
        return cross_entropy(Y, Z), float(np.mean(pred == truth))

    def snapshot(self):
        """The current state as a frozen Snapshot (copies, never views of live weights)."""
        m = self.model
        train_loss, train_acc = self._evaluate(self._eval_train)
        test_loss = test_acc = None
        if self._eval_test is not None:
            test_loss, test_acc = self._evaluate(self._eval_test)
        grid_proba = grid_hidden = None
        if self.grid is not None:
            *hidden, Z = m.layer_outputs(self._grid_points)
            grid_hidden = tuple(_frozen(grid_images(self.grid, h)) for h in hidden)
            P = proba_from_logits(Z)
            images = grid_images(self.grid, P)
            grid_proba = _frozen(images[1] if P.shape[1] == 2 else images)
        weights = {}
        for name, w in m.get_weights().items():  # copies already: freeze them in place
            w.flags.writeable = False
            weights[name] = w
        return Snapshot(
            step=m.t_, epoch=self.epoch, examples_seen=m.n_seen_,
            learning_rate=float(m.learning_rate),
            train_loss=train_loss, train_accuracy=train_acc,
            test_loss=test_loss, test_accuracy=test_acc,
            weights=MappingProxyType(weights),
            grid_proba=grid_proba, grid_hidden=grid_hidden)


def train(model, X_train, y_train, X_test=None, y_test=None, *, steps_per_snapshot=1,
          grid=None, **kwargs):
    """Generator form: ``for snap in train(model, X, y, steps_per_snapshot=5): ...``."""
    return Trainer(model, X_train, y_train, X_test, y_test, grid=grid, **kwargs).snapshots(
        steps_per_snapshot)
