"""The plane under 2-D data, and a model's probabilities over it."""
from dataclasses import dataclass

import numpy as np


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
    X : array (n, 2)
    resolution : int, points per axis.
    margin : float, fraction of each axis' range added on both sides.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"A grid needs 2-D points of shape (n, 2), got shape {X.shape}.")
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    lo, hi = lo - margin * span, hi + margin * span
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
    """
    P = model.predict_proba(grid.points)
    images = grid_images(grid, P)
    return images[1] if P.shape[1] == 2 else images
