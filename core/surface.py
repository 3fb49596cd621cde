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


def contour_segments(xs, ys, z, level=0.5):
    """The level set {z = level} of an image on a grid, as straight segments: marching squares.

    Parameters
    ----------
    xs : (nx,) and ys : (ny,) increasing grid coordinates; z : (ny, nx), row i at y = ys[i]
        (a Snapshot's ``grid_proba``).
    level : the value whose contour is drawn (0.5: the decision boundary).

    Returns
    -------
    (k, 2, 2) array of segments [[x0, y0], [x1, y1]], each inside one grid cell, crossing the
    cell's edges where linear interpolation between its corners meets ``level``. Together they
    draw the contour a contour plot would (a cell whose opposite corners agree, a saddle, is
    split by the value at its centre). Empty when z never crosses ``level``; NaN corners count
    as below it.
    """
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    if z.shape != (len(ys), len(xs)) or min(z.shape) < 2:
        raise ValueError(f"z must have shape (len(ys), len(xs)) with at least 2 of each, got "
                         f"{z.shape} for {len(ys)} y and {len(xs)} x values.")
    above = np.nan_to_num(z, nan=-np.inf) > level
    z00, z01, z10, z11 = z[:-1, :-1], z[:-1, 1:], z[1:, :-1], z[1:, 1:]
    a00, a01, a10, a11 = above[:-1, :-1], above[:-1, 1:], above[1:, :-1], above[1:, 1:]
    x0, x1 = np.broadcast_to(xs[None, :-1], z00.shape), np.broadcast_to(xs[None, 1:], z00.shape)
    y0, y1 = np.broadcast_to(ys[:-1, None], z00.shape), np.broadcast_to(ys[1:, None], z00.shape)

    def at(za, zb):  # where between two corners the value crosses the level, 0..1
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (level - za) / (zb - za)
        return np.clip(np.nan_to_num(t, nan=0.5), 0.0, 1.0)

    # the crossing point on each edge: bottom (00-01), right (01-11), top (10-11), left (00-10)
    edges = np.stack([
        np.stack([x0 + at(z00, z01) * (x1 - x0), y0], -1),
        np.stack([x1, y0 + at(z01, z11) * (y1 - y0)], -1),
        np.stack([x0 + at(z10, z11) * (x1 - x0), y1], -1),
        np.stack([x0, y0 + at(z00, z10) * (y1 - y0)], -1)])
    crossed = np.stack([a00 != a01, a01 != a11, a10 != a11, a00 != a10])
    count = crossed.sum(axis=0)
    rows, cols = np.nonzero(count == 2)
    first = crossed[:, rows, cols].argmax(axis=0)
    last = 3 - crossed[::-1, rows, cols].argmax(axis=0)
    segments = [np.stack([edges[first, rows, cols], edges[last, rows, cols]], axis=1)]
    rows, cols = np.nonzero(count == 4)  # saddles: the centre decides which corners connect
    if len(rows):
        centre = (z00 + z01 + z10 + z11)[rows, cols] / 4 > level
        joined = centre == a00[rows, cols]  # 00 and 11 connect: cut off corners 01 and 10
        pairs = np.where(joined[:, None, None], [[0, 1], [2, 3]], [[3, 0], [1, 2]])
        for k in range(2):
            segments.append(np.stack([edges[pairs[:, k, 0], rows, cols],
                                      edges[pairs[:, k, 1], rows, cols]], axis=1))
    return np.concatenate(segments) if segments else np.empty((0, 2, 2))
