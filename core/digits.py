"""A drawing on the pad -> the model's input, made the way each digits data set was made.

MNIST (LeCun et al.): the digit's bounding box is scaled to fit 20x20 (keeping its aspect
ratio, anti-aliased), then placed in a 28x28 field so that its centre of mass is at the centre.

8x8 digits (UCI, bundled with scikit-learn): the digit is size-normalised into a 32x32 bitmap,
which is cut into 4x4 blocks; each input pixel counts the "on" pixels in its block, 0-16. Their
pens were thick: in every class the ink covers 26-35 % of the bitmap (median 30 %), so a thin
stroke from the pad is thickened until it covers as much.

Both return the intermediate images, so a page can show each step.
"""
from dataclasses import dataclass

import numpy as np

from .errors import EmptyDrawingError


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


def fit_into(img, size):
    """Scale img so its longer side is ``size``, keeping the aspect ratio (at least 1 pixel)."""
    h, w = img.shape
    s = size / max(h, w)
    return resize(img, (max(1, round(h * s)), max(1, round(w * s))))


def _paste(field_shape, patch, top, left):
    field = np.zeros(field_shape)
    field[top:top + patch.shape[0], left:left + patch.shape[1]] = patch
    return field


def _to_mnist(crop):
    patch = fit_into(crop, 20)
    # centre of mass of the patch -> the centre (14, 14) of a 28x28 field, kept inside it
    total = patch.sum()
    cy = (patch.sum(axis=1) @ np.arange(patch.shape[0])) / total
    cx = (patch.sum(axis=0) @ np.arange(patch.shape[1])) / total
    top = int(np.clip(round(14 - cy - 0.5), 0, 28 - patch.shape[0]))
    left = int(np.clip(round(14 - cx - 0.5), 0, 28 - patch.shape[1]))
    centred = _paste((28, 28), patch, top, left)
    image = np.round(np.clip(centred, 0, 1) * 255).astype(np.uint8)
    return ("scaled to 20x20, centred by mass in 28x28", centred), image, 255


# share of "on" pixels in the 32x32 bitmaps of the bundled digits (median over all 1797)
DIGITS8_INK = 0.30


def _dilate(bitmap):
    """Binary dilation by a 3x3 square: every pixel next to ink becomes ink."""
    p = np.pad(bitmap, 1)
    h, w = bitmap.shape
    return np.logical_or.reduce([p[i:i + h, j:j + w] for i in range(3) for j in range(3)])


def _to_digits8(crop):
    patch = fit_into(crop, 32)
    h, w = patch.shape
    bitmap = _paste((32, 32), patch, (32 - h) // 2, (32 - w) // 2) > 0.3
    for _ in range(4):  # thicken thin pad strokes to the data set's pen width
        thicker = _dilate(bitmap)
        if bitmap.mean() >= DIGITS8_INK or abs(thicker.mean() - DIGITS8_INK) > abs(bitmap.mean() - DIGITS8_INK):
            break
        bitmap = thicker
    counts = bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3))
    return ("normalised into a 32x32 bitmap", bitmap.astype(float)), counts.astype(np.uint8), 16


TARGETS = {"mnist": _to_mnist, "digits8": _to_digits8}


def drawing_to_input(drawing, target="digits8", threshold=0.1):
    """Turn a drawn canvas into the model's input, as the data set ``target`` was made.

    Parameters
    ----------
    drawing : (h, w, 4) RGBA, (h, w, 3) RGB or (h, w) grey image; white ink on black.
    target : "digits8" (8x8, levels 0-16) or "mnist" (28x28, levels 0-255).
    threshold : ink intensity in [0, 1] below which a pixel counts as background.

    Raises
    ------
    EmptyDrawingError (a ValueError) when nothing is drawn.
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {sorted(TARGETS)}, got {target!r}.")
    grey = to_grey(drawing)
    box = ink_box(grey, threshold)
    top, bottom, left, right = box
    crop = grey[top:bottom, left:right]
    scaled_step, image, levels = TARGETS[target](crop)
    features = (image.reshape(1, -1) / levels).astype(np.float32)
    outline = grey.copy()
    outline[top:bottom, [left, right - 1]] = 0.5
    outline[[top, bottom - 1], left:right] = 0.5
    steps = (("your drawing", grey), ("the ink's bounding box", outline), ("cropped", crop),
             scaled_step, (f"model input {image.shape[0]}x{image.shape[1]}", image / levels))
    return DigitInput(features, image, steps, tuple(int(v) for v in box))
