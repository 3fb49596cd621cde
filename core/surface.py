"""The plane under 2-D data, and a model's probabilities over it."""
import math
import numbers
from dataclasses import dataclass

import numpy as np

from .errors import excerpt

MAX_RESOLUTION = 1000  # points per axis: a million points, 16 MB


@dataclass(frozen=True)
class Grid:
    """A regular grid: ``xs`` (nx,), ``ys`` (ny,), and ``points`` (ny * nx, 2), row-major in y.

    ``values.reshape(len(ys), len(xs))`` turns one value per point into an image whose row i
    is y = ys[i], which is what a heatmap or contour expects.
    """
    xs: np.ndarray
    ys: np.ndarray
    points: np.ndarray

    @property
    def shape(self):
        return (len(self.ys), len(self.xs))


def make_grid(X, resolution=100, margin=0.1):
    """A resolution x resolution grid over the bounds of X, widened by ``margin`` of the range.

    Parameters
    ----------
    X : array (n, 2) of finite numbers.
    resolution : int from 2 to ``MAX_RESOLUTION``, points per axis.
    margin : float in [0, 10], fraction of each axis' range added on both sides.

    Raises
    ------
    ValueError naming the bad argument: NaN or infinite points, a resolution out of range, or
    points so far apart that the grid's coordinates would overflow.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"A grid needs 2-D points of shape (n, 2), got shape {X.shape}.")
    if (not isinstance(resolution, numbers.Integral) or isinstance(resolution, bool)
            or not 2 <= resolution <= MAX_RESOLUTION):
        raise ValueError(f"resolution must be an integer from 2 to {MAX_RESOLUTION}, got "
                         f"{excerpt(resolution)}.")
    if (not isinstance(margin, numbers.Real) or isinstance(margin, bool)
            or not (math.isfinite(margin) and 0 <= margin <= 10)):
        raise ValueError(f"margin must be a number from 0 to 10, got {excerpt(margin)}.")
    if not np.isfinite(X).all():
        raise ValueError("A grid needs finite points: X holds NaN or infinity.")
    lo, hi = X.min(axis=0), X.max(axis=0)
    with np.errstate(over="ignore"):
        span = np.where(hi - lo > 0, hi - lo, 1.0)
        lo, hi = lo - margin * span, hi + margin * span
    if not (np.isfinite(lo).all() and np.isfinite(hi).all()):
        raise ValueError("The points are too far apart for a grid (its coordinates overflow): "
                         "rescale the data.")
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    for a in (xs, ys, points):
        a.flags.writeable = False
    return Grid(xs, ys, points)


def grid_images(grid, values):
    """(n_points, k) values -> (k, ny, nx) float32 images, one per column."""
    values = np.asarray(values, dtype=np.float32).reshape(len(grid.points), -1)
    return np.ascontiguousarray(values.T.reshape(-1, *grid.shape))


def probability_surface(model, grid):
    """P(class | point) on the grid as float32.

    Returns
    -------
    ndarray (ny, nx) with P(classes_[1]) for two classes, or (K, ny, nx) for K classes.

    Raises
    ------
    ValueError for a grid holding NaN or infinite points (a grid built by hand; ``make_grid``
    never makes one), rather than a surface of NaN.
    """
    points = np.asarray(grid.points)
    if points.dtype.kind not in "biuf" or not np.isfinite(points).all():
        raise ValueError("The grid holds NaN or infinite points: a probability surface needs "
                         "finite ones (build the grid with make_grid).")
    P = model.predict_proba(points)
    images = grid_images(grid, P)
    return images[1] if P.shape[1] == 2 else images
