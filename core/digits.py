"""A drawing on the pad -> the model's input, made the way each digits data set was made.

First the writer's pen is taken away: the ink's centre line is found (core/strokes.py) and
drawn again with the pen the data set's own digits were written with. A small digit drawn
with a thick pen, or a large one drawn with a thin pen, then gives the same input.

MNIST (LeCun et al.): the digit's bounding box is scaled to fit 20x20 (keeping its aspect
ratio, anti-aliased), then placed in a 28x28 field so that its centre of mass is at the centre.
"The centre" is where MNIST's own digits have theirs: pixel (14.0, 14.0), counting pixel
centres from 0 (the mean over the training set is 13.99, 14.00), not 13.5, the field's middle.
MNIST's strokes are 2.4 pixels wide (the median of ink / centre-line length over its digits).

8x8 digits (UCI, bundled with scikit-learn): the digit is size-normalised into a 32x32 bitmap,
which is cut into 4x4 blocks; each input pixel counts the "on" pixels in its block, 0-16. In
every class the ink covers 30-32 % of the bitmap on average (a 1 as much as an 8: thin digits
got thick pens), so the centre line is drawn with the pen that makes it cover 30 %.

Both return the intermediate images, so a page can show each step.
"""
from dataclasses import dataclass

import numpy as np

from .errors import EmptyDrawingError
from .strokes import centre_line, distance_map, draw_line, resize


@dataclass(frozen=True)
class DigitInput:
    """``features`` (1, h*w) float32 in [0, 1], the model's input; ``image`` (h, w) in the data
    set's grey levels; ``steps``: (title, image in [0, 1]) pairs from the raw drawing to the input;
    ``box``: the ink's bounding box (top, bottom, left, right) in the drawing, bottom/right exclusive.
    """
    features: np.ndarray
    image: np.ndarray
    steps: tuple
    box: tuple


def to_grey(drawing):
    """An RGBA or RGB (h, w, c) or greyscale (h, w) array -> ink intensity in [0, 1].

    White ink on black is the pad's convention; ink = brightness x opacity, so a transparent
    background counts as no ink whatever its colour.
    """
    a = np.asarray(drawing)
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (1, 3, 4)) or min(a.shape[:2]) < 1:
        raise ValueError(f"A drawing must be an (h, w) grey or (h, w, 3|4) RGB(A) image, got shape {a.shape}.")
    a = a.astype(np.float64)
    if a.size and np.nanmax(a) > 1.0:
        a = a / 255.0
    a = np.nan_to_num(a)
    if a.ndim == 2:
        return np.clip(a, 0, 1)
    grey = a[..., :3].max(axis=2) if a.shape[2] >= 3 else a[..., 0]
    if a.shape[2] == 4:
        grey = grey * a[..., 3]
    return np.clip(grey, 0, 1)


def ink_box(grey, threshold=0.1):
    """Bounding box (top, bottom, left, right) of the pixels brighter than threshold."""
    rows = np.flatnonzero((grey > threshold).any(axis=1))
    cols = np.flatnonzero((grey > threshold).any(axis=0))
    if len(rows) == 0:
        raise EmptyDrawingError("The drawing is empty: draw a digit on the pad first.")
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def fit_into(img, size):
    """Scale img so its longer side is ``size``, keeping the aspect ratio (at least 1 pixel)."""
    h, w = img.shape
    s = size / max(h, w)
    return resize(img, (max(1, round(h * s)), max(1, round(w * s))))


def centre_of_mass(img):
    """(row, column) of an image's centre of mass, pixel centres counted from 0."""
    total = img.sum()
    return np.array([img.sum(axis=1) @ np.arange(img.shape[0]),
                     img.sum(axis=0) @ np.arange(img.shape[1])]) / total


MNIST_BOX, MNIST_FIELD, MNIST_CENTRE = 20, 28, np.array([14.0, 14.0])
MNIST_PEN = 2.4  # pixels on the 28x28 grid: the median stroke width of MNIST's digits


def _fit_line(points, box, pen):
    """The centre line scaled so that, drawn with ``pen``, its ink's longer side is ``box``;
    returned with its top-left corner at (0, 0), and the size of its bounding box."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    extent = (hi - lo).max()
    s = (box - pen) / extent if extent > 0 else 1.0
    return (points - lo) * s, (hi - lo) * s


def _to_mnist(points):
    line, size = _fit_line(points, MNIST_BOX, MNIST_PEN)
    shape = (MNIST_FIELD, MNIST_FIELD)
    line = line + (MNIST_FIELD - 1 - size) / 2  # the box in the middle, then by its mass:
    image = draw_line(line, shape, MNIST_PEN)
    # moved by a fraction of a pixel too: a whole-pixel shift (MNIST's) read drawn digits a
    # little worse (95.1 % against 95.6 % of drawn MNIST training digits)
    image = draw_line(line + MNIST_CENTRE - centre_of_mass(image), shape, MNIST_PEN)
    pixels = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
    return [], pixels, 255, "MNIST's pen, 20x20 box, centred by mass"


# share of "on" pixels in the 32x32 bitmaps of the bundled digits (median over all 1797)
DIGITS8_INK = 0.30


def deslant(points, amount=1.0):
    """The centre line sheared towards upright: column -= amount * slant * (row - mean row),
    where the slant is the regression of the line's columns on its rows (0 for an upright
    digit); returns the new points and the slant measured."""
    centred = points - points.mean(axis=0)
    var_rows = centred[:, 0] @ centred[:, 0]
    slant = (centred[:, 0] @ centred[:, 1]) / var_rows if var_rows > 0 else 0.0
    return points - np.outer(centred[:, 0], [0.0, amount * slant]), slant


# NIST deslanted its digits, but some shapes lean by nature (the bundled 2s, 6s and 7s have
# regression slants 0.14, 0.20 and -0.13); taking all the slant away straightens those too.
# Half of it read drawn MNIST *training* digits best (84.8 % against 82.6 % for all of it).
DIGITS8_DESLANT = 0.5


# NIST's normaliser put each digit in a box 32 rows tall and at most 20 columns wide: every
# bundled digit fills all 8 rows, and they are narrower than MNIST's (sx/sy 0.5-0.7 against
# 0.6-0.9). A centre line wider than 20/32 of its height is squeezed to that.
DIGITS8_WIDEST = 20 / 32


def _to_digits8(points):
    points, _ = deslant(points, DIGITS8_DESLANT)
    h, w = np.ptp(points, axis=0)
    if w > DIGITS8_WIDEST * h > 0:
        points = points * [1.0, DIGITS8_WIDEST * h / w]
    pen = 4.0
    for _ in range(2):  # the pen that covers 30 %, for the scale that pen gives
        line, size = _fit_line(points, 32, pen)
        line = line + (31 - size) / 2
        d = distance_map(line, (32, 32), supersample=1)
        pen = float(np.clip(2 * np.quantile(d, DIGITS8_INK), 1.0, 16.0))
    bitmap = d <= pen / 2  # a pixel is on when the pen passes over its centre
    counts = bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3))
    return ([(f"redrawn in a 32x32 bitmap ({bitmap.mean():.0%} ink)", bitmap.astype(float))],
            counts.astype(np.uint8), 16, "on-pixels per 4x4 block, 0-16")


TARGETS = {"mnist": _to_mnist, "digits8": _to_digits8}
FAINT = ("The drawing is empty: its strokes are too faint to count as ink. Draw a digit on the "
         "pad first.")


def drawing_to_input(drawing, target="digits8", threshold=0.1):
    """Turn a drawn canvas into the model's input, as the data set ``target`` was made.

    Parameters
    ----------
    drawing : (h, w, 4) RGBA, (h, w, 3) RGB or (h, w) grey image; white ink on black.
    target : "digits8" (8x8, levels 0-16) or "mnist" (28x28, levels 0-255).
    threshold : ink intensity in [0, 1] below which a pixel counts as background.

    Raises
    ------
    EmptyDrawingError (a ValueError) when nothing is drawn, or only strokes so faint that the
    model's input would be all zeros.
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {sorted(TARGETS)}, got {target!r}.")
    grey = to_grey(drawing)
    box = ink_box(grey, threshold)
    top, bottom, left, right = box
    crop = grey[top:bottom, left:right]
    points, _, line = centre_line(crop)
    if len(points) == 0:
        raise EmptyDrawingError(FAINT)
    made, image, levels, how = TARGETS[target](points)
    if not image.any():  # as an empty pad: the model's input would be all zeros
        raise EmptyDrawingError(FAINT)
    features = (image.reshape(1, -1) / levels).astype(np.float32)
    outline = grey.copy()  # the box drawn 3 pixels wide, so that it shows when shrunk
    for edge in range(3):
        outline[top:bottom, [min(left + edge, right - 1), max(right - 1 - edge, left)]] = 0.5
        outline[[min(top + edge, bottom - 1), max(bottom - 1 - edge, top)], left:right] = 0.5
    steps = (("your drawing", grey), ("the ink's bounding box", outline), ("cropped", crop),
             ("its centre line: your pen taken away", line.astype(float)), *made,
             (f"model input {image.shape[0]}x{image.shape[1]}: {how}", image / levels))
    return DigitInput(features, image, steps, tuple(int(v) for v in box))
