"""Train a model a few steps at a time, and look at it between steps.

A ``Trainer`` owns a model and its data. ``run(k)`` takes k gradient steps (exactly the steps
``fit`` would take, in the same order) and returns a frozen ``Snapshot``: what a page draws.
``snapshots(k)`` is the same as a generator. Hyperparameters that do not change the model's
shape (learning rate, batch size, l2, momentum) can be changed on ``trainer.model`` between
steps; they apply from the next step (a new batch size from the next pass over the data).
"""
from dataclasses import dataclass

import numpy as np

from .errors import TrainingDiverged
from .mlp import forward
from .surface import grid_images
from ._estimator import proba_from_logits
from .losses import cross_entropy


@dataclass(frozen=True)
class Snapshot:
    """The state of training after ``step`` gradient steps. Arrays are read-only copies.

    ``params`` is ``(theta,)`` for LogisticRegression and ``(W_1, ..., W_L, b_1, ..., b_L)``
    for an MLP. ``grid_proba`` is (ny, nx) P(classes_[1]) for two classes or (K, ny, nx);
    ``grid_hidden`` holds each hidden layer's activations on the grid as (units, ny, nx).
    Losses are negative mean log-likelihoods; test figures are None without test data.
    """
    step: int
    epoch: float
    learning_rate: float
    train_loss: float
    train_accuracy: float
    test_loss: float | None
    test_accuracy: float | None
    params: tuple
    grid_proba: np.ndarray | None = None
    grid_hidden: tuple | None = None


def _frozen(a, dtype=None):
    a = np.array(a, dtype=dtype, copy=True)
    a.flags.writeable = False
    return a


class Trainer:
    """Step-by-step training of a LogisticRegression or MLPClassifier from fresh parameters.

    Parameters
    ----------
    model : an unfitted (or to-be-refitted) core estimator; it is initialised here as ``fit``
        would initialise it, so the same ``random_state`` gives the same run.
    X_train, y_train : training data.
    X_test, y_test : optional held-out data, evaluated at every snapshot.
    grid : optional ``surface.Grid``; snapshots then carry probabilities on it.
    classes : optional list of all labels (default: those in y_train).
    max_eval : evaluate losses and accuracies on at most this many examples of each set
        (a fixed random subset), so a snapshot stays cheap on large data.
    init : optional callable(model) run after initialisation, e.g. to set hand-made weights.
    """

    def __init__(self, model, X_train, y_train, X_test=None, y_test=None, grid=None,
                 classes=None, max_eval=5000, init=None):
        self.model = model
        self.X, self.Y = model._initialise(X_train, y_train, classes)
        if init is not None:
            init(model)
            model._sync_params()
        self._eval_train = self._subset(self.X, self.Y, max_eval)
        self._eval_test = None
        if X_test is not None and len(X_test):
            Xt = model._validate_X(X_test, reset=False)
            self._eval_test = self._subset(Xt, model._encode(np.asarray(y_test)), max_eval)
        self.grid = grid
        self._grid_points = None if grid is None else grid.points.astype(model._dtype())
        self._steps = model._training_steps(self.X, self.Y)
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
    def epoch(self):
        """Passes over the training data so far: steps x batch size / n (fractional)."""
        bs = self.model.batch_size
        return self.model.t_ * (1.0 if bs is None else min(bs, len(self.X)) / len(self.X))

    def run(self, n_steps=1):
        """Take up to n_steps gradient steps and return a snapshot. Raises TrainingDiverged.

        A step checks its batch loss, computed from clipped probabilities; weights so large that
        the logits overflow keep that finite, so the snapshot's own loss is checked too.
        """
        for _ in range(int(n_steps)):
            if next(self._steps, StopIteration) is StopIteration:
                self.done = True
                break
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
        Z = self.model._logits(X)
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
            if hasattr(m, "coefs_"):  # an MLP: its hidden layers are drawn too
                coefs, intercepts = m._weights()
                acts = forward(self._grid_points, coefs, intercepts, m.activation, output="logits")
                grid_hidden = tuple(_frozen(grid_images(self.grid, h)) for h in acts[:-1])
                P = proba_from_logits(acts[-1])
            else:
                P = proba_from_logits(m._logits(self._grid_points))
            images = grid_images(self.grid, P)
            grid_proba = _frozen(images[1] if P.shape[1] == 2 else images)
        return Snapshot(
            step=m.t_, epoch=self.epoch, learning_rate=float(m.learning_rate),
            train_loss=train_loss, train_accuracy=train_acc,
            test_loss=test_loss, test_accuracy=test_acc,
            params=tuple(_frozen(p) for p in m._params()),
            grid_proba=grid_proba, grid_hidden=grid_hidden)


def train(model, X_train, y_train, X_test=None, y_test=None, *, steps_per_snapshot=1,
          grid=None, **kwargs):
    """Generator form: ``for snap in train(model, X, y, steps_per_snapshot=5): ...``."""
    return Trainer(model, X_train, y_train, X_test, y_test, grid=grid, **kwargs).snapshots(
        steps_per_snapshot)
