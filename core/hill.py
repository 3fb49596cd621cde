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
