"""A drawn digit's centre line, and the same line drawn again with a pen of our choosing.

Whatever pen the writer used (8 px or 30 px, on a digit 60 or 260 px tall), the centre line
of the ink is the same; drawing it again with the pen width the data set's own digits have
makes the preprocessing, not the writer, fix the stroke width. The steps:

1. ``binarise``: the ink, scaled so its longer side is ``WORK`` pixels, thresholded;
2. ``thin``: Zhang and Suen's thinning (1984) peels boundary pixels off, alternately from
   the south-east and the north-west, until a line one pixel wide is left; it never removes
   a pixel whose removal would cut the line or shorten an end;
3. ``prune``: spurs shorter than about half the pen width (thinning leaves them where a
   thick stroke turns a corner) are cut off, and true ends are grown back;
4. ``draw_line``: every pixel of a new image gets ink clip(w/2 + 1/2 - d, 0, 1), where d
   is its distance to the nearest centre-line point: a round pen of width w, anti-aliased,
   computed at ``supersample`` times the resolution and averaged down.

Pure numpy: images here are at most ~100 x 100 pixels, so each step takes milliseconds.
"""
import numpy as np

# The longer side of the binarised ink, in pixels, where the centre line is found: fine enough
# that a thick pen on a small digit keeps the gaps inside its loops (threshold 1/2, not lower).
WORK = 120


def _neighbours(a):
    """The eight neighbours of every pixel of a boolean image, clockwise from the north:
    P2 (north), P3 (north-east), ..., P9 (north-west), in Zhang and Suen's naming."""
    p = np.pad(a, 1)
    h, w = a.shape
    at = lambda dy, dx: p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w]
    return [at(-1, 0), at(-1, 1), at(0, 1), at(1, 1), at(1, 0), at(1, -1), at(0, -1), at(-1, -1)]


def thin(bitmap, max_rounds=100):
    """Zhang-Suen thinning of a boolean image to lines one pixel wide (8-connected).

    A pixel is removed in a sub-iteration when it has 2..6 ink neighbours (B), exactly one
    0 -> 1 transition around it (A = 1, so removing it cannot cut the line), and it lies on a
    south-east boundary (first pass: P2 P4 P6 = 0 and P4 P6 P8 = 0) or a north-west one
    (second pass: P2 P4 P8 = 0 and P2 P6 P8 = 0).
    """
    a = np.asarray(bitmap, bool).copy()
    for _ in range(max_rounds):
        changed = False
        for first in (True, False):
            P2, P3, P4, P5, P6, P7, P8, P9 = nb = _neighbours(a)
            B = np.sum(nb, axis=0)
            ring = nb + [P2]
            A = np.sum([~ring[i] & ring[i + 1] for i in range(8)], axis=0)
            if first:
                side = ~(P2 & P4 & P6) & ~(P4 & P6 & P8)
            else:
                side = ~(P2 & P4 & P8) & ~(P2 & P6 & P8)
            remove = a & (B >= 2) & (B <= 6) & (A == 1) & side
            if remove.any():
                a &= ~remove
                changed = True
        if not changed:
            break
    return a


def _ends(a):
    """Pixels of a line with exactly one ink neighbour (or none: an isolated dot)."""
    return a & (np.sum(_neighbours(a), axis=0) <= 1)


def prune(line, length):
    """Cut every branch that ends within ``length`` pixels of a junction, keep the rest whole.

    Morphological pruning: remove end pixels ``length`` times (spurs vanish, true strokes
    get shorter), then grow the remaining ends back along the original line.
    """
    a = np.asarray(line, bool)
    cut = a.copy()
    for _ in range(int(length)):
        ends = _ends(cut)
        if ends.all() or not (cut & ~ends).any():  # nothing but ends left: keep the line
            return a
        cut &= ~ends
    grow = _ends(cut)
    for _ in range(int(length)):
        grow = np.logical_or.reduce(_neighbours(grow) + [grow]) & a
    return cut | (grow & a)


def _area_matrix(n_in, n_out):
    """(n_out, n_in) weights averaging each output pixel's footprint on the input (box filter)."""
    edges = np.linspace(0.0, n_in, n_out + 1)
    j = np.arange(n_in)
    overlap = np.minimum(edges[1:, None], j + 1) - np.maximum(edges[:-1, None], j)
    W = np.clip(overlap, 0.0, None)
    return W / W.sum(axis=1, keepdims=True)


def resize(img, shape):
    """Area-averaging resize of a 2-D image to ``shape`` (anti-aliased when shrinking)."""
    return _area_matrix(img.shape[0], shape[0]) @ img @ _area_matrix(img.shape[1], shape[1]).T


def binarise(grey, work=WORK, threshold=0.5):
    """The ink of a cropped grey image in [0, 1], scaled (area averaging) so its longer side
    is ``work`` pixels, with a 2-pixel margin, as a boolean image; and the scale used."""
    h, w = grey.shape
    s = work / max(h, w)
    small = resize(grey, (max(1, round(h * s)), max(1, round(w * s))))
    return np.pad(small > threshold, 2), s


def centre_line(grey, work=WORK):
    """The centre line of the ink in a cropped grey image.

    Returns
    -------
    points : (k, 2) float, the line's pixels as (row, column) in the units of ``grey``.
    width : the pen's estimated width in ``grey``'s pixels (ink area / line length).
    line : the line as a boolean image, at the working resolution (to show).
    """
    bitmap, s = binarise(np.asarray(grey, float), work)
    line = thin(bitmap)
    if not line.any():  # a speck that thinning removed whole: its own pixels are its line
        line = bitmap
    width = bitmap.sum() / max(line.sum(), 1)
    line = prune(line, max(1, round(0.6 * width)))
    rows, cols = np.nonzero(line)
    points = (np.column_stack([rows, cols]).astype(float) - 2 + 0.5) / s - 0.5
    return points, width / s, line


def distance_map(points, shape, supersample=4, reach=np.inf):
    """The distance from every sub-pixel of an image of ``shape`` (at ``supersample`` times its
    resolution) to the nearest of ``points`` ((k, 2) row, column in the image's pixel units);
    only sub-pixels within ``reach`` of the points' bounding box are computed (others: inf)."""
    h, w = shape
    f = supersample
    ys = (np.arange(h * f) + 0.5) / f - 0.5
    xs = (np.arange(w * f) + 0.5) / f - 0.5
    d2 = np.full((h * f, w * f), np.inf)
    if not len(points):
        return d2
    points = np.unique(np.round(np.asarray(points, float) * f) / f, axis=0)
    lo = np.floor((points.min(0) - min(reach, max(h, w)) + 0.5) * f).astype(int)
    hi = np.ceil((points.max(0) + min(reach, max(h, w)) + 0.5) * f).astype(int)
    lo, hi = lo.clip(0, [h * f, w * f]), hi.clip(0, [h * f, w * f])
    yy, xx = ys[lo[0]:hi[0]], xs[lo[1]:hi[1]]
    box = d2[lo[0]:hi[0], lo[1]:hi[1]]
    for chunk in range(0, len(points), 64):
        p = points[chunk:chunk + 64]
        dy = (yy[None, :] - p[:, :1]) ** 2  # (k, ny)
        dx = (xx[None, :] - p[:, 1:]) ** 2  # (k, nx)
        np.minimum(box, (dy[:, :, None] + dx[:, None, :]).min(axis=0), out=box)
    return np.sqrt(d2)


def draw_line(points, shape, width, supersample=4):
    """A round pen of ``width`` pixels drawn through ``points`` ((k, 2) row, column in the
    output's pixel units) on a black image of ``shape``: ink in [0, 1], anti-aliased.

    The points are the centre line's pixels, closer to each other than the pen's radius, so
    the discs around them join into strokes.
    """
    h, w = shape
    f = supersample
    d = distance_map(points, shape, f, reach=width / 2 + 1)
    ink = np.clip((width / 2 - d) * f + 0.5, 0, 1)  # a sub-pixel's share under the pen
    return ink.reshape(h, f, w, f).mean(axis=(1, 3))
