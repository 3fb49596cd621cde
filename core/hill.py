"""The likelihood hill: the ascended objective over two of theta's weights, for a picture."""
import numpy as np


def hill_axis(path, best=None, n=45):
    """Grid values for one weight's axis: around the path gradient ascent took, widened to the
    best value (scikit-learn's theta) when that is near, padded by a third on both sides.

    Parameters
    ----------
    path : array (steps,), the weight's value at each recorded step.
    best : float or None, where the objective's top is (None or non-finite: unknown).
    n : int, grid values.

    Returns
    -------
    ndarray (n,), increasing.
    """
    path = np.asarray(path, dtype=float)
    lo, hi = float(path.min()), float(path.max())
    span = max(hi - lo, 1.0)
    if best is not None and np.isfinite(best) and lo - 2 * span <= best <= hi + 2 * span:
        lo, hi = min(lo, float(best)), max(hi, float(best))
    pad = max(1.0, 0.35 * (hi - lo))
    return np.linspace(lo - pad, hi + pad, n)


def curvature(X1, theta=None, l2=0.0):
    """The largest eigenvalue of the Hessian of the loss J = -LL/n + (l2/2)||theta_1..m||^2:

        H = (1/n) X1^T diag(p (1 - p)) X1 + l2 diag(0, 1, ..., 1),    p = sigma(X1 theta)

    the steepest bend of the hill at theta (theta = 0 if None, where p (1 - p) = 1/4 is the
    largest it ever is, so the hill bends most there).

    Parameters
    ----------
    X1 : array (n, m + 1), the inputs with the constant x_0 = 1 first.
    theta : array (m + 1,) or None.
    """
    X1 = np.asarray(X1, dtype=float)
    if theta is None:
        weights = np.full(len(X1), 0.25)
    else:
        p = 1.0 / (1.0 + np.exp(-np.clip(X1 @ np.ravel(theta), -500, 500)))
        weights = p * (1 - p)
    H = (X1 * weights[:, None]).T @ X1 / len(X1)
    H[1:, 1:] += l2 * np.eye(X1.shape[1] - 1)
    return float(np.linalg.eigvalsh(H)[-1])


def largest_stable_step(X1, l2=0.0):
    """2 / (the hill's steepest bend): the largest learning rate on the mean log-likelihood
    for which a gradient step from anywhere never overshoots the top along the steepest
    direction. Above it, the first steps from theta = 0 jump past the top and the loss rises
    before it falls (and for a bowl-shaped loss, training would diverge)."""
    return 2.0 / curvature(X1, None, l2)
