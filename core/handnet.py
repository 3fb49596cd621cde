"""One example's update on a network, by hand: theta += eta dLL/dtheta for a chosen example, its
verdict on the example and on the whole data set, undo, and how large a step overshoots.

The backpropagation page trains its network live (a ``Trainer``); between steps the learner
applies these single-example updates to the same model. Nothing here knows about pages.
"""
from dataclasses import dataclass

import numpy as np

from .errors import TrainingDiverged
from .ledger import trace
from .losses import cross_entropy
from .mlp import forward, weights_dict


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
    previous: dict

    @property
    def example_improved(self):
        return self.loss_after < self.loss_before

    @property
    def data_improved(self):
        return self.data_loss_after < self.data_loss_before


def network(model):
    """(coefs, intercepts) of an MLPClassifier, as new float64 arrays."""
    w = model.get_weights()
    n = sum(name.startswith("coef_") for name in w)
    return ([np.asarray(w[f"coef_{l}"], float) for l in range(n)],
            [np.asarray(w[f"intercept_{l}"], float) for l in range(n)])


def data_loss(coefs, intercepts, activation, X, y):
    """The data set's loss −LL/n (inf or NaN once the weights overflow)."""
    with np.errstate(over="ignore", invalid="ignore"):
        Z = forward(np.asarray(X, float), coefs, intercepts, activation, output="logits")[-1]
        return cross_entropy(np.asarray(y, float).reshape(-1, 1), Z)


def stepped(coefs, intercepts, tr, eta):
    """The weights after one step theta <- theta - eta de/dtheta along the example's trace."""
    return ([W - eta * g for W, g in zip(coefs, tr.coef_grads)],
            [b - eta * g for b, g in zip(intercepts, tr.intercept_grads)])


def example_update(model, X, y, point, eta):
    """Apply one gradient-ascent update on example ``point`` to ``model`` (an MLP of one
    sigmoid output): theta += eta dLL_i/dtheta.

    Returns the Update. Raises TrainingDiverged, changing nothing, if a weight or the data
    set's loss stops being finite.
    """
    coefs, intercepts = network(model)
    activation = model.activation
    before = trace(X[point], y[point], coefs, intercepts, activation)
    with np.errstate(over="ignore", invalid="ignore"):
        new_coefs, new_intercepts = stepped(coefs, intercepts, before, eta)
        after = trace(X[point], y[point], new_coefs, new_intercepts, activation)
    data_after = data_loss(new_coefs, new_intercepts, activation, X, y)
    if not (all(np.isfinite(p).all() for p in [*new_coefs, *new_intercepts])
            and np.isfinite(data_after) and np.isfinite(after.loss)):
        raise TrainingDiverged(model.t_ + 1, eta, what="a weight or the loss")
    previous = model.get_weights()
    update = Update(int(point), float(eta), before.loss, after.loss, before.y_hat, after.y_hat,
                    data_loss(coefs, intercepts, activation, X, y), data_after, previous)
    model.set_weights(weights_dict(new_coefs, new_intercepts))
    return update


def undo(model, update):
    """Put back the weights an update replaced."""
    model.set_weights(update.previous)


OVERSHOOT_ETAS = tuple(np.logspace(-2, 3, 31))  # the step sizes overshoot_etas tries


def overshoot_etas(model, X, y, point, etas=OVERSHOOT_ETAS):
    """The smallest step sizes (of ``etas``) at which one update on example ``point`` makes
    the loss rise: (for the example itself, for the whole data set), each None if none does.

    The example's own loss rarely rises (a sigmoid output only saturates towards its label as
    the step grows); the data set's usually does, at a much smaller step: what suits one example
    pulls the boundary away from the others.
    """
    coefs, intercepts = network(model)
    activation = model.activation
    before = trace(X[point], y[point], coefs, intercepts, activation)
    data_before = data_loss(coefs, intercepts, activation, X, y)
    own = data = None
    with np.errstate(over="ignore", invalid="ignore"):
        for eta in etas:
            new = stepped(coefs, intercepts, before, eta)
            if own is None and not trace(X[point], y[point], *new, activation).loss <= before.loss:
                own = float(eta)
            if data is None and not data_loss(*new, activation, X, y) <= data_before:
                data = float(eta)
            if own is not None and data is not None:
                break
    return own, data
