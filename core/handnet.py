"""A small network stepped by hand: full-batch training, one-example updates, and undo.

The backpropagation page keeps one of these per browser session: the learner trains it a few
hundred steps, applies single gradient-ascent updates on one chosen example (the lectures'
theta += eta dLL/dtheta), looks at every number, and undoes. Nothing here knows about pages.
"""
from dataclasses import dataclass

import numpy as np

from .errors import TrainingDiverged
from .ledger import ascent_step
from .losses import cross_entropy
from .mlp import MLPClassifier, forward, init_weights, weights_dict, xor_by_hand
from .trainer import Trainer


@dataclass(frozen=True)
class Update:
    """One single-example update as it was applied: the example, eta, the example's loss and
    y_hat before and after, the data set's loss before and after, and the weights before."""
    point: int
    eta: float
    loss_before: float
    loss_after: float
    y_hat_before: float
    y_hat_after: float
    data_loss_before: float
    data_loss_after: float
    previous: tuple


@dataclass
class HandNetwork:
    """A 2-h-1 network (one hidden layer, one sigmoid output) on data (X, y).

    Parameters
    ----------
    X : (n, 2) inputs; y : (n,) labels in {0, 1}.
    hidden : hidden units; activation : their g.
    start : "random" (Glorot weights from ``seed``) or "or_and" (the lectures' XOR network).
    """
    X: np.ndarray
    y: np.ndarray
    hidden: int = 2
    activation: str = "sigmoid"
    start: str = "random"
    seed: int = 0
    steps: int = 0          # full-batch training steps taken
    n_updates: int = 0      # single-example updates applied (and not undone)
    last_update: "Update | None" = None  # the one update that can be undone

    def __post_init__(self):
        if self.start == "or_and":
            self.coefs, self.intercepts = xor_by_hand()
        else:
            self.coefs, self.intercepts = init_weights([self.X.shape[1], self.hidden, 1],
                                                       self.activation,
                                                       np.random.default_rng(self.seed))
        self.Y = np.asarray(self.y, dtype=float).reshape(-1, 1)

    def logits(self, coefs=None, intercepts=None):
        coefs, intercepts = (self.coefs, self.intercepts) if coefs is None else (coefs, intercepts)
        return forward(self.X, coefs, intercepts, self.activation, output="logits")[-1]

    def loss(self, coefs=None, intercepts=None):
        """The data set's loss −LL/n (inf or NaN once the weights overflow)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return cross_entropy(self.Y, self.logits(coefs, intercepts))

    def accuracy(self):
        return float(np.mean((self.logits()[:, 0] > 0) == (self.y == 1)))

    def train(self, n_steps, learning_rate):
        """``n_steps`` full-batch gradient steps on all the points, from the current weights.

        Raises TrainingDiverged (counting steps from the start) and keeps the weights as they
        were when a step diverges.
        """
        net = MLPClassifier((self.hidden,), activation=self.activation,
                            learning_rate=learning_rate, batch_size=None, max_iter=10**9, tol=0,
                            random_state=self.seed)
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught below
            trainer = Trainer(net, self.X, self.y,
                              weights=weights_dict(self.coefs, self.intercepts))
            try:
                for _ in range(n_steps):
                    trainer.run(1)  # one at a time: a divergence stops at the step it happened
            except TrainingDiverged as err:
                raise TrainingDiverged(self.steps + err.step, learning_rate) from None
        snap = trainer.snapshot()
        self.coefs = [np.array(W) for W in snap.coefs]
        self.intercepts = [np.array(b) for b in snap.intercepts]
        self.steps += n_steps
        self.last_update = None  # an update before training can no longer be undone

    def update(self, point, eta):
        """One gradient-ascent update on example ``point``: theta += eta dLL/dtheta.

        Returns the Update. Raises TrainingDiverged (and changes nothing) if a weight or the
        data set's loss stops being finite.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            coefs, intercepts, before, after = ascent_step(
                self.coefs, self.intercepts, self.X[point], self.y[point], eta, self.activation)
        data_after = self.loss(coefs, intercepts)
        if not (all(np.isfinite(p).all() for p in [*coefs, *intercepts])
                and np.isfinite(data_after)):
            raise TrainingDiverged(self.steps + self.n_updates + 1, eta,
                                   what="a weight or the loss")
        update = Update(int(point), float(eta), before.loss, after.loss, before.y_hat,
                        after.y_hat, self.loss(), data_after, (self.coefs, self.intercepts))
        self.coefs, self.intercepts = coefs, intercepts
        self.n_updates += 1
        self.last_update = update
        return update

    def undo(self):
        """Take the last update back (once); returns it, or None if there is none to undo."""
        update, self.last_update = self.last_update, None
        if update is not None:
            self.coefs, self.intercepts = update.previous
            self.n_updates -= 1
        return update
