"""What the hidden layers do to the data: one example's values unit by unit, and the last hidden
layer's space as the output unit sees it."""
from dataclasses import dataclass

import numpy as np

from .mlp import feedforward


def unit_values(x, coefs, intercepts, activation):
    """Every unit's weighted input z and output h for one example x (n_features,).

    Returns
    -------
    zs, hs : lists with one (units,) array per layer, hidden layers first, the output last
        (its h is sigma(z), or softmax(z) for several classes).
    """
    zs, hs = feedforward(np.asarray(x, dtype=float).reshape(1, -1), coefs, intercepts, activation)
    return [z[0] for z in zs], [h[0] for h in hs]


@dataclass(frozen=True)
class HiddenSpace:
    """The last hidden layer's outputs H (n, m) seen by one output unit z = H w + b, in two
    coordinates that keep its boundary exact whatever m:

    ``u`` (n,) = z / ‖w‖, the signed distance along the output unit's weights: the unit says
    P = 0.5 exactly where u = 0, so its boundary is the vertical line u = 0 for every point.
    ``v`` (n,): the position along the direction, perpendicular to w, in which the points spread
    most (the first principal direction of H with w's direction taken out); 0 when m = 1.
    ``spread`` is the share of H's variance across w that ``v`` shows (1.0 for m <= 2).
    """
    u: np.ndarray
    v: np.ndarray
    direction: np.ndarray
    spread: float


def hidden_space(H, w, b):
    """Project hidden vectors onto the output unit's weight direction and the widest direction
    perpendicular to it (see ``HiddenSpace``).

    Parameters
    ----------
    H : array (n, m), last hidden layer's outputs; w : (m,) the output unit's weights; b : its bias.
    """
    H = np.asarray(H, dtype=float)
    w = np.asarray(w, dtype=float).reshape(-1)
    norm = float(np.linalg.norm(w))
    if norm == 0 or not np.isfinite(norm):
        raise ValueError("The output unit's weights are all zero (or not finite): it has no "
                         "direction in the hidden space.")
    w_hat = w / norm
    u = (H @ w + float(b)) / norm
    m = H.shape[1]
    if m == 1:
        return HiddenSpace(u, np.zeros(len(H)), np.zeros(1), 1.0)
    across = (H - H.mean(axis=0)) @ (np.eye(m) - np.outer(w_hat, w_hat))
    _, s, Vt = np.linalg.svd(across, full_matrices=False)
    d = Vt[0]
    first = np.flatnonzero(np.abs(d) > 1e-12)
    if len(first) and d[first[0]] < 0:  # one orientation, so the picture does not flip
        d = -d
    total = float((s ** 2).sum())
    spread = 1.0 if total == 0 or m == 2 else float(s[0] ** 2 / total)
    return HiddenSpace(u, (H - H.mean(axis=0)) @ d, d, spread)


def dead_units(hidden_outputs, atol=1e-12):
    """For each hidden layer's outputs (n, units) on the training data, a boolean per unit: it
    puts out 0 for every example. A dead ReLU unit has slope 0 everywhere it is used, so no
    gradient reaches its weights and it never comes back."""
    return [np.all(np.abs(np.asarray(H)) <= atol, axis=0) for H in hidden_outputs]
