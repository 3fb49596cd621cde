"""Your own digits: drawings you labelled, kept as a personal test set, saved and read back.

A set is a list of drawings (grey uint8 images, white ink on black, as ``to_grey`` makes them
from the pad) and their labels 0-9. It is saved as ``.npz`` (``drawings`` (n, h, w) uint8 and
``labels`` (n,) int64, no pickle), which keeps the whole drawing so it can be read again by
any preprocessing, and as CSV (a label, then the 784 pixels 0-255 of the drawing as MNIST's
preprocessing makes it), which other tools read.
"""
import io

import numpy as np

from .digits import drawing_to_input, to_grey
from .errors import EmptyDrawingError

MAX_DRAWINGS = 500
MAX_SIDE = 1024


def as_kept(drawing):
    """A pad's drawing (RGBA, RGB or grey) as the uint8 grey image a set keeps."""
    return np.round(to_grey(drawing) * 255).astype(np.uint8)


def to_npz(drawings, labels):
    """The set as the bytes of an .npz file."""
    buf = io.BytesIO()
    np.savez_compressed(buf, drawings=np.asarray(drawings, np.uint8),
                        labels=np.asarray(labels, np.int64))
    return buf.getvalue()


def to_csv(drawings, labels):
    """The set as CSV text: ``label,p0,...,p783``, each drawing as MNIST's 28x28 input."""
    lines = ["label," + ",".join(f"p{i}" for i in range(784))]
    for drawing, label in zip(drawings, labels):
        try:
            pixels = drawing_to_input(drawing, "mnist").image.ravel()
        except EmptyDrawingError:
            pixels = np.zeros(784, np.uint8)
        lines.append(f"{int(label)}," + ",".join(map(str, pixels.tolist())))
    return "\n".join(lines) + "\n"


def from_npz(data):
    """(drawings, labels) from an .npz file's bytes, checked; a ValueError says what is wrong."""
    if not bytes(data[:4]) == b"PK\x03\x04":  # an .npz is a zip archive
        raise ValueError("This is not an .npz file: download your set from this page first.")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as f:
            if not {"drawings", "labels"} <= set(f.files):
                raise ValueError(f"it holds {sorted(f.files)[:5]}, not the arrays 'drawings' "
                                 "and 'labels' this page saves")
            drawings, labels = f["drawings"], f["labels"]
    except ValueError as err:
        raise ValueError(f"This is not a set of drawings saved by this page: {err}.") from None
    except (OSError, EOFError) as err:
        raise ValueError(f"This is not an .npz file ({type(err).__name__}).") from None
    if drawings.ndim != 3 or labels.shape != (len(drawings),):
        raise ValueError(f"The drawings must be an (n, height, width) array with one label "
                         f"each; found {drawings.shape} and {labels.shape}.")
    if not 1 <= len(drawings) <= MAX_DRAWINGS:
        raise ValueError(f"A set holds 1 to {MAX_DRAWINGS} drawings; this one has "
                         f"{len(drawings)}.")
    if not (8 <= min(drawings.shape[1:]) and max(drawings.shape[1:]) <= MAX_SIDE):
        raise ValueError(f"Drawings must be 8 to {MAX_SIDE} pixels on a side; these are "
                         f"{drawings.shape[1]}x{drawings.shape[2]}.")
    if drawings.dtype.kind not in "uif" or labels.dtype.kind not in "ui":
        raise ValueError("The drawings must be numbers and the labels whole numbers.")
    if labels.min() < 0 or labels.max() > 9:
        raise ValueError("Every label must be a digit from 0 to 9.")
    grey = drawings.astype(np.float64)
    if grey.size and np.nanmax(grey) > 1:
        grey = grey / 255.0
    return np.round(np.clip(np.nan_to_num(grey), 0, 1) * 255).astype(np.uint8), \
        labels.astype(np.int64)


def score(model, inputs, labels):
    """(accuracy, guesses) of ``model`` on a set's model inputs (n, features)."""
    guesses = model.predict(np.asarray(inputs))
    return float(np.mean(guesses == np.asarray(labels))), guesses
