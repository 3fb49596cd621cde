"""More training digits from the same digits: each one shifted, scaled, rotated, slanted, and
written with a thinner or thicker pen, the ways one person's 7 differs from another's.

``augment(images, levels, rng, ...)`` returns new images in the data set's own format, so the
model trains on them exactly as on the originals. Everything is done on a batch at once: each
image gets its own random affine map (one 2x2 matrix and a shift), sampled bilinearly.

The 8x8 digits are counts of "on" pixels in the 4x4 blocks of a 32x32 bitmap (0-16), so they
are augmented where they were made: the counts are spread back over a 32x32 ink map, the map
is moved and thresholded into a bitmap (a lower threshold is a thicker pen), and its blocks are
counted again. MNIST's grey levels are moved as they are, then the strokes are redrawn with
a pen of a random width (``redraw_pen``): a drawing reaches the network redrawn with one pen
(core/digits.py), so the network must know every digit at any even width, not only at the
widths MNIST's writers happened to use.

Pure numpy, and separate from the drawing's preprocessing (core/digits.py): augmentation makes
the training set varied, the preprocessing makes a drawing look like the data set.
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Jitter:
    """How far augmentation may move a digit. Angles in degrees; ``shift`` in pixels of the
    image; ``scale`` and ``aspect`` multiply the size and the width/height ratio; ``shear``
    slants (x += shear * y); ``elastic`` bends the digit by up to that many pixels.
    The pen: ``pen`` is the 8x8 digits' threshold shift (-1 thinnest .. +1 thickest);
    ``width`` the stroke width, in pixels, that grey images are redrawn with.
    """
    rotate: float = 12.0
    scale: tuple = (0.85, 1.1)
    aspect: tuple = (0.8, 1.15)
    shear: float = 0.25
    shift: float = 1.0
    pen: tuple = (-0.6, 0.8)
    width: tuple = (1.8, 3.4)
    elastic: float = 0.0


def _smooth_field(rng, n, size, amplitude, knots=4):
    """n random displacement fields (n, 2, size*size): uniform in +-amplitude pixels at a
    ``knots`` x ``knots`` grid of control points, bilinear in between (a smooth bend)."""
    coarse = rng.uniform(-amplitude, amplitude, (n, 2, knots, knots))
    u = np.linspace(0, knots - 1, size)
    i0 = np.minimum(np.floor(u).astype(int), knots - 2)
    f = u - i0
    rows = coarse[:, :, i0, :] * (1 - f)[:, None] + coarse[:, :, i0 + 1, :] * f[:, None]
    field = rows[:, :, :, i0] * (1 - f) + rows[:, :, :, i0 + 1] * f
    return field.reshape(n, 2, size * size)


def _affine(rng, n, jitter, size):
    """n random maps from output pixel (row, column) to the source: A (n, 2, 2), b (n, 2),
    about the image's centre."""
    t = np.deg2rad(rng.uniform(-jitter.rotate, jitter.rotate, n))
    s = rng.uniform(*jitter.scale, n)
    a = rng.uniform(*jitter.aspect, n)
    k = rng.uniform(-jitter.shear, jitter.shear, n)
    cos, sin = np.cos(t), np.sin(t)
    # the forward map on (row, column): scale (columns by the aspect too), slant, rotate
    S = np.zeros((n, 2, 2))
    S[:, 0, 0], S[:, 1, 1] = s, s * a
    K = np.tile(np.eye(2), (n, 1, 1))
    K[:, 1, 0] = k  # column += k * row: a slant
    R = np.stack([np.stack([cos, -sin], 1), np.stack([sin, cos], 1)], 1)
    F = R @ K @ S
    A = np.linalg.inv(F)  # output -> source
    c = (size - 1) / 2
    shift = rng.uniform(-jitter.shift, jitter.shift, (n, 2))
    b = c - np.einsum("nij,nj->ni", A, c + shift)
    return A, b


def warp(images, A, b, bend=None):
    """images (n, h, w) sampled at A @ (row, column) + b (+ ``bend``, (n, 2, h*w)) for every
    output pixel (bilinear, zero outside)."""
    n, h, w = images.shape
    rr, cc = np.mgrid[0:h, 0:w]
    grid = np.stack([rr.ravel(), cc.ravel()]).astype(np.float32)          # (2, h*w)
    src = np.einsum("nij,jp->nip", A.astype(np.float32), grid) + b[:, :, None].astype(np.float32)
    if bend is not None:
        src = src + bend
    # two rows and columns of zeros around each image: a corner outside lands on them
    r0 = np.clip(np.floor(src[:, 0]), -2, h).astype(np.int32)
    c0 = np.clip(np.floor(src[:, 1]), -2, w).astype(np.int32)
    fr = np.clip(src[:, 0] - r0, 0, 1)
    fc = np.clip(src[:, 1] - c0, 0, 1)
    flat = np.pad(images.astype(np.float32), ((0, 0), (2, 2), (2, 2))).reshape(n, -1)
    at = (r0 + 2) * (w + 4) + (c0 + 2)
    top = np.take_along_axis(flat, at, 1) * (1 - fc) + np.take_along_axis(flat, at + 1, 1) * fc
    at += w + 4
    bottom = np.take_along_axis(flat, at, 1) * (1 - fc) + np.take_along_axis(flat, at + 1, 1) * fc
    return (top * (1 - fr) + bottom * fr).reshape(n, h, w)


def _dilate(a):
    """Binary dilation of a batch (n, h, w) by a 3x3 square (separable: rows, then columns)."""
    out = a.copy()
    out[:, 1:] |= a[:, :-1]
    out[:, :-1] |= a[:, 1:]
    rows = out.copy()
    out[:, :, 1:] |= rows[:, :, :-1]
    out[:, :, :-1] |= rows[:, :, 1:]
    return out


def _erode(a):
    return ~_dilate(~a)


def _upsample(grey, f):
    """Bilinear f-fold upsampling of a batch (n, h, w), pixel centres kept in place."""
    h = grey.shape[1]
    u = (np.arange(h * f) + 0.5) / f - 0.5
    i0 = np.clip(np.floor(u).astype(int), 0, h - 1)
    i1 = np.clip(i0 + 1, 0, h - 1)
    t = np.clip(u - i0, 0, 1).astype(grey.dtype)
    rows = grey[:, i0, :] * (1 - t)[:, None] + grey[:, i1, :] * t[:, None]
    return rows[:, :, i0] * (1 - t) + rows[:, :, i1] * t


def redraw_pen(grey, width, f=2):
    """Grey images (n, h, w) in [0, 1] with their strokes made ``width`` ((n,) pixels) wide.

    At f times the resolution the ink is thresholded, its stroke width estimated as
    2 x area / perimeter (a stroke of length L and width w has area L w and perimeter ~2 L),
    and it is dilated or eroded one sub-pixel at a time (each step changes the width by
    2 / f pixels) until it is about ``width`` wide; averaging back down anti-aliases it. A
    stroke is never eroded below a third of its ink.
    """
    n, h, w = grey.shape
    ink = _upsample(grey.astype(np.float32), f) > 0.5
    inner = _erode(ink)
    area = ink.sum(axis=(1, 2))
    perimeter = np.maximum((ink & ~inner).sum(axis=(1, 2)), 1)
    now = 2 * area / perimeter / f
    steps = np.clip(np.round((np.asarray(width) - now) * f / 2), -f, 2 * f).astype(int)
    for k in range(1, int(np.abs(steps).max(initial=0)) + 1):
        grow = np.flatnonzero(steps >= k)
        if len(grow):
            ink[grow] = _dilate(ink[grow])
        shrink = np.flatnonzero(steps <= -k)
        if len(shrink):
            thinner = _erode(ink[shrink])
            enough = thinner.sum(axis=(1, 2)) > area[shrink] / 3
            ink[shrink[enough]] = thinner[enough]
    return ink.reshape(n, h, f, w, f).mean(axis=(2, 4))


def blocks_to_ink(counts):
    """8x8 block counts (n, 8, 8) in 0-16 -> a smooth 32x32 ink map in [0, 1] whose 4x4
    blocks hold (about) the same ink: bilinear between block centres."""
    n = len(counts)
    c = np.pad(counts / 16.0, ((0, 0), (1, 1), (1, 1)), mode="edge")
    centres = (np.arange(32) - 1.5) / 4 + 1  # pixel p on the padded blocks' grid (block b at b + 1)
    i0 = np.floor(centres).astype(int)
    f = centres - i0
    rows = c[:, i0, :] * (1 - f)[None, :, None] + c[:, i0 + 1, :] * f[None, :, None]
    return rows[:, :, i0] * (1 - f) + rows[:, :, i0 + 1] * f


def augment(images, levels, rng, jitter=Jitter(), chunk=2048):
    """One random variation of every image: (n, h, w) in the data set's levels -> the same.

    ``levels`` 16 means the 8x8 digits' block counts (augmented on 32x32 bitmaps, see the
    module's docstring); 255 means grey images such as MNIST's.
    """
    images = np.asarray(images)
    out = np.empty_like(images)
    for start in range(0, len(images), chunk):
        part = images[start:start + chunk]
        n = len(part)
        if levels == 16:
            pen = rng.uniform(*jitter.pen, n)[:, None, None]
            ink = blocks_to_ink(part.astype(np.float64))
            A, b = _affine(rng, n, jitter, 32)
            bend = _smooth_field(rng, n, 32, jitter.elastic) if jitter.elastic else None
            ink = warp(ink, A, b, bend)
            bitmap = ink > 0.5 - 0.25 * pen  # a lower threshold draws a thicker line
            out[start:start + n] = bitmap.reshape(n, 8, 4, 8, 4).sum(axis=(2, 4))
        else:
            grey = part.astype(np.float64) / levels
            size = grey.shape[1]
            A, b = _affine(rng, n, jitter, size)
            bend = _smooth_field(rng, n, size, jitter.elastic) if jitter.elastic else None
            grey = warp(grey, A, b, bend)
            grey = redraw_pen(grey, rng.uniform(*jitter.width, n))
            out[start:start + n] = np.round(np.clip(grey, 0, 1) * levels).astype(images.dtype)
    return out
