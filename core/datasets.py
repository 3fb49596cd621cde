"""Data: 2-D toy sets with one signature, and the digits (8x8 bundled, MNIST 28x28 when found).

Every 2-D generator is ``generate(n_samples, noise, random_state) -> (X, y)`` with X of shape
(n_samples, 2) and y in {0, 1}, so one registry, ``DATASETS``, drives a page's dropdown.
``noise`` is on a 0-1 scale for every set. Each checks its arguments first (at most
``MAX_SAMPLES`` points, a noise number in [0, 1], a seed numpy accepts): a ValueError naming the
bad one, never numpy's MemoryError or a TypeError.
"""
import gzip
import math
import numbers
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .errors import DataUnavailable, excerpt

MNIST_ENV = "NEURAL_PLAYGROUND_MNIST"
MAX_SAMPLES = 1_000_000  # points a generator makes (32 MB of X and y)


def _checked(n_samples, noise, random_state, min_samples=1):
    """(n_samples, noise, rng) after checking each; a ValueError naming the first bad one."""
    if (not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool)
            or not min_samples <= n_samples <= MAX_SAMPLES):
        raise ValueError(f"n_samples must be an integer from {min_samples} to {MAX_SAMPLES:,}, "
                         f"got {excerpt(n_samples)}.")
    if (not isinstance(noise, numbers.Real) or isinstance(noise, bool)
            or not (math.isfinite(noise) and 0 <= noise <= 1)):
        raise ValueError(f"noise must be between 0 and 1 (a number), got {excerpt(noise)}.")
    try:
        if isinstance(random_state, (bool, float, str, bytes)):
            raise TypeError
        rng = np.random.default_rng(random_state)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"random_state must be None, a non-negative integer or a numpy "
                         f"Generator, got {excerpt(random_state)}.") from None
    return int(n_samples), float(noise), rng


def _two_blobs(n_samples, centre, spread, rng, max_radius=None):
    n1 = n_samples // 2
    y = np.r_[np.zeros(n_samples - n1, int), np.ones(n1, int)]
    offsets = rng.normal(0.0, spread, (n_samples, 2))
    if max_radius is not None:
        r = np.linalg.norm(offsets, axis=1, keepdims=True)
        offsets *= np.minimum(1.0, max_radius / np.maximum(r, 1e-12))
    X = np.where(y[:, None] == 1, centre, -np.asarray(centre)) + offsets
    return X, y


def separable_blobs(n_samples=200, noise=0.2, random_state=None):
    """Two Gaussian clouds at (-2, -2) and (2, 2), each clipped to a disc of radius 2.5, so the
    line x1 + x2 = 0 (2.83 from each centre) always separates them: the MLE does not exist."""
    n_samples, noise, rng = _checked(n_samples, noise, random_state)
    return _two_blobs(n_samples, (2.0, 2.0), 0.5 + 1.0 * noise, rng, max_radius=2.5)


def overlapping_blobs(n_samples=200, noise=0.3, random_state=None):
    """Two Gaussian clouds at (-1, -1) and (1, 1) that overlap: a finite MLE exists unless the
    sample happens to be separable (a few points at low noise)."""
    n_samples, noise, rng = _checked(n_samples, noise, random_state)
    return _two_blobs(n_samples, (1.0, 1.0), 0.8 + 1.2 * noise, rng)


def xor(n_samples=200, noise=0.1, random_state=None):
    """The lectures' XOR: four clouds at the corners (+-1, +-1); class 1 where exactly one
    coordinate is positive, as XOR(x1 > 0, x2 > 0). ``noise`` widens the clouds until they mix."""
    n_samples, noise, rng = _checked(n_samples, noise, random_state)
    corners = np.array([[-1, -1], [1, 1], [-1, 1], [1, -1]], dtype=float)
    which = np.arange(n_samples) % 4
    rng.shuffle(which)
    y = (which >= 2).astype(int)
    X = corners[which] + rng.normal(0.0, 0.2 + 0.5 * noise, (n_samples, 2))
    return X, y


def circles(n_samples=200, noise=0.1, random_state=None):
    """A disc of class 1 inside a ring of class 0."""
    n_samples, noise, rng = _checked(n_samples, noise, random_state)
    n1 = n_samples // 2
    y = np.r_[np.zeros(n_samples - n1, int), np.ones(n1, int)]
    radius = np.where(y == 1, rng.uniform(0.0, 0.5, n_samples), rng.uniform(0.7, 1.0, n_samples))
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X + rng.normal(0.0, 0.3 * noise, X.shape), y


def moons(n_samples=200, noise=0.1, random_state=None):
    """Two interleaving half circles."""
    n_samples, noise, rng = _checked(n_samples, noise, random_state)
    n1 = n_samples // 2
    y = np.r_[np.zeros(n_samples - n1, int), np.ones(n1, int)]
    t = rng.uniform(0.0, np.pi, n_samples)
    X = np.where(y[:, None] == 0,
                 np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]))
    return X + rng.normal(0.0, 0.3 * noise, X.shape), y


def spiral(n_samples=200, noise=0.1, random_state=None):
    """Two interleaved spirals, one and a half turns each."""
    n_samples, noise, rng = _checked(n_samples, noise, random_state)
    n1 = n_samples // 2
    y = np.r_[np.zeros(n_samples - n1, int), np.ones(n1, int)]
    r = rng.uniform(0.05, 1.0, n_samples)
    angle = 3.0 * np.pi * r + np.pi * y
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return X + rng.normal(0.0, 0.15 * noise, X.shape), y


@dataclass(frozen=True)
class Dataset2D:
    key: str
    title: str
    generate: Callable
    noise: float
    description: str


DATASETS = {d.key: d for d in [
    Dataset2D("separable", "Linearly separable blobs", separable_blobs, 0.2,
              "Two clouds a straight line can split: watch theta grow without bound."),
    Dataset2D("overlapping", "Overlapping blobs", overlapping_blobs, 0.3,
              "Two clouds that overlap more as noise grows: then logistic regression finds a "
              "finite best line. A few points at low noise may still be separable: then θ "
              "grows without bound."),
    Dataset2D("xor", "XOR", xor, 0.1,
              "Four corners; class 1 where exactly one of x1, x2 is positive: no line splits it."),
    Dataset2D("circles", "Circles", circles, 0.1, "A disc inside a ring."),
    Dataset2D("moons", "Moons", moons, 0.1, "Two interleaving half moons."),
    Dataset2D("spiral", "Spiral", spiral, 0.1, "Two interleaved spirals: the hardest one."),
]}


def make_dataset(key, n_samples=200, noise=None, random_state=None):
    """``DATASETS[key].generate`` with a clear error for an unknown key or bad arguments
    (n_samples from 4 to ``MAX_SAMPLES``, noise in [0, 1], a seed numpy accepts)."""
    if not isinstance(key, str) or key not in DATASETS:
        raise ValueError(f"Unknown dataset {excerpt(key)}; choose one of {sorted(DATASETS)}.")
    d = DATASETS[key]
    noise = d.noise if noise is None else noise
    n_samples, noise, _ = _checked(n_samples, noise, random_state, min_samples=4)
    return d.generate(n_samples, noise, random_state)


def split(X, y, test_size=0.3, random_state=None):
    """A stratified, shuffled train/test split: (X_train, X_test, y_train, y_test).

    Each class puts round(test_size x its count) examples in the test set, but at least one on
    each side when it has two or more (a class with one example trains), so even tiny data
    keeps every class in both sets.
    """
    X, y = np.asarray(X), np.asarray(y)
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size!r}.")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels.")
    rng = np.random.default_rng(random_state)
    is_test = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == c))
        n_test = min(max(int(round(test_size * len(members))), 1), len(members) - 1)
        is_test[members[:n_test]] = True
    train, test = rng.permutation(np.flatnonzero(~is_test)), rng.permutation(np.flatnonzero(is_test))
    return X[train], X[test], y[train], y[test]


# ---- digits -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Digits:
    """Digit images and labels.

    ``images`` (n, h, w) hold the data set's own grey levels, 0..``levels`` (16 for the 8x8
    digits, 255 for MNIST); ``X`` is the model's input, images.reshape(n, -1) / levels, float32.
    ``test_images``/``y_test`` is the data set's own test split where it has one, else None.
    """
    images: np.ndarray
    y: np.ndarray
    levels: int
    name: str
    source: str
    test_images: np.ndarray | None = None
    y_test: np.ndarray | None = None

    @property
    def shape(self):
        return self.images.shape[1:]

    def features(self, images):
        return (np.asarray(images, np.float32).reshape(len(images), -1) / self.levels)

    @property
    def X(self):
        return self.features(self.images)

    @property
    def X_test(self):
        return None if self.test_images is None else self.features(self.test_images)


def _read_only(a):
    a = np.asarray(a)
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class DigitSplit:
    """A training subset and a test set of a digits data set, as model inputs (float32 in
    [0, 1], one column per pixel) and the test digits as images in [0, 1]. Read-only arrays,
    so one copy can be shared. ``how`` says in words how the split was made."""
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    test_images: np.ndarray
    shape: tuple
    name: str
    source: str
    how: str
    n_original: int = 0   # training images of the data set; the rest of X_train is augmented
    copies: int = 0       # augmented copies of each
    synthetic: int = 0    # digits written by a program (core.pen_digits), per class


def digit_split(d, n_train, random_state=0, test_share=0.25, max_test=1000, copies=0,
                synthetic=0):
    """The first ``n_train`` of a shuffled training set and a fixed test set of ``d``.

    Without a test set of its own (the 8x8 digits), a stratified split with ``test_share`` held
    out; with one (MNIST), a random ``n_train`` of its training images and a random
    ``max_test`` of its test images (every tick evaluates the whole test set, so it is kept
    small enough to stay cheap). ``copies`` > 0 appends that many augmented copies of every
    training image (core.augment, seeded by ``random_state``), shuffled in; the test set is
    never augmented. ``synthetic`` > 0 (the 8x8 digits only) adds that many digits of each
    class written by a program from templates of pen strokes (core.pen_digits), shuffled in.
    """
    if synthetic and d.levels != 16:
        raise ValueError("Digits written by a program are made in the 8x8 digits' format; "
                         f"{d.name} has none.")
    rng = np.random.default_rng(random_state)
    if d.test_images is None:
        idx_train, idx_test = split(np.arange(len(d.y)), d.y, test_share,
                                    random_state=random_state)[:2]
        idx_train = idx_train[:n_train]
        train_images, y_train = d.images[idx_train], d.y[idx_train]
        test_images, y_test = d.images[idx_test], d.y[idx_test]
        how = (f"a stratified {1 - test_share:.0%} / {test_share:.0%} split of its "
               f"{len(d.y):,} images")
    else:
        idx_train = np.sort(rng.choice(len(d.y), min(n_train, len(d.y)), replace=False))
        idx_test = np.sort(rng.choice(len(d.y_test), min(max_test, len(d.y_test)), replace=False))
        train_images, y_train = d.images[idx_train], d.y[idx_train]
        test_images, y_test = d.test_images[idx_test], d.y_test[idx_test]
        how = (f"a random {len(y_train):,} of its {len(d.y):,} training images; tested on a "
               f"random {len(y_test):,} of its {len(d.y_test):,} test images")
    n_original = len(y_train)
    if copies:
        from .augment import augment
        train_images = np.concatenate([train_images] + [augment(train_images, d.levels, rng)
                                                        for _ in range(copies)])
        order = rng.permutation(len(train_images))
        train_images, y_train = train_images[order], np.tile(y_train, copies + 1)[order]
        how += (f", each training image with {copies} augmented "
                f"{'copy' if copies == 1 else 'copies'} (shifted, scaled, rotated, slanted, "
                "another pen)")
    if synthetic:
        from .pen_digits import synthetic_digits8
        images, labels = synthetic_digits8(synthetic, rng)
        order = rng.permutation(len(y_train) + len(labels))
        train_images = np.concatenate([train_images, images])[order]
        y_train = np.concatenate([y_train, labels])[order]
        how += (f", and {synthetic:,} digits of each class written by a program (pen strokes "
                "from templates, jittered)")
    return DigitSplit(_read_only(d.features(train_images)), _read_only(y_train),
                      _read_only(d.features(test_images)), _read_only(y_test),
                      _read_only((test_images / d.levels).astype(np.float32)), d.shape, d.name,
                      d.source, how, n_original, copies, synthetic)


def load_digits8():
    """scikit-learn's bundled 8x8 digits (1797 images, grey levels 0-16), no network needed."""
    from sklearn.datasets import load_digits
    d = load_digits()
    return Digits(d.images.astype(np.uint8), d.target.astype(np.int64), 16, "8x8 digits",
                  "scikit-learn's bundled copy of the UCI optical handwritten digits "
                  "(1797 images, 8x8, 0-16)")


def _read_idx(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file.")
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(shape)):
        raise ValueError(f"{path} is truncated: expected {int(np.prod(shape))} values, got {arr.size}.")
    return arr.reshape(shape)


_IDX = {"x_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
        "x_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}


def _find_local_mnist(folder):
    folder = Path(folder)
    npz = folder / "mnist.npz"
    if npz.is_file():
        with np.load(npz, allow_pickle=False) as f:
            return {k: f[k] for k in _IDX}, str(npz)
    found = {}
    for key, stem in _IDX.items():
        for name in (stem, stem + ".gz", stem.replace("-idx", ".idx")):
            if (folder / name).is_file():
                found[key] = _read_idx(folder / name)
                break
    if len(found) == 4:
        return found, f"IDX files in {folder}"
    return None, None


def _mnist_digits(arrays, source):
    xtr = np.asarray(arrays["x_train"], np.uint8).reshape(-1, 28, 28)
    xte = np.asarray(arrays["x_test"], np.uint8).reshape(-1, 28, 28)
    return Digits(xtr, np.asarray(arrays["y_train"]).astype(np.int64), 255, "MNIST 28x28",
                  source, xte, np.asarray(arrays["y_test"]).astype(np.int64))


def mnist_help():
    return (f"To use MNIST offline, put mnist.npz (arrays x_train, y_train, x_test, y_test) or the "
            f"four IDX files (train-images-idx3-ubyte, ...) in a folder and set the environment "
            f"variable {MNIST_ENV} to that folder. Online, it is downloaded once from OpenML "
            f"(about 15 MB) and cached.")


def load_mnist(folder=None, data_home=None, download=True):
    """MNIST 28x28 (60000 train + 10000 test, grey levels 0-255).

    Looked for, in order: ``folder``, the folder named by $NEURAL_PLAYGROUND_MNIST (an
    ``mnist.npz`` or the four IDX files, optionally gzipped), the copy ``download_mnist`` keeps
    (core/mnist_download.py, with a progress bar on the digit page), then OpenML through
    ``sklearn.datasets.fetch_openml`` (cached in ``data_home`` after the first download).

    Raises
    ------
    DataUnavailable
        When no local copy is found and the download fails; the message says how to get MNIST.
    """
    from .mnist_download import cache_dir
    looked = []
    for candidate, kind, where in ((folder, "local copy", "{}"),
                                   (os.environ.get(MNIST_ENV), "local copy", f"${MNIST_ENV} = {{}}"),
                                   (cache_dir(), "downloaded copy", "the download cache {}")):
        if candidate:
            arrays, source = _find_local_mnist(candidate)
            if arrays is not None:
                return _mnist_digits(arrays, f"{kind}: {source}")
            looked.append(where.format(candidate))
    if not download:
        summary = f"No local copy of MNIST was found (looked in {'; '.join(looked)})."
        raise DataUnavailable(f"{summary} {mnist_help()}", summary)
    from sklearn.datasets import fetch_openml
    try:
        X, y = fetch_openml("mnist_784", version=1, as_frame=False, data_home=data_home,
                            n_retries=1, delay=0.5, return_X_y=True)
    except (OSError, ValueError) as err:
        summary = f"MNIST could not be downloaded ({err})."
        raise DataUnavailable(f"{summary} {mnist_help()}", summary) from err
    X = X.astype(np.uint8).reshape(-1, 28, 28)
    y = y.astype(np.int64)
    # OpenML keeps the canonical order: the first 60000 are the training set.
    return _mnist_digits({"x_train": X[:60000], "y_train": y[:60000], "x_test": X[60000:],
                          "y_test": y[60000:]}, "OpenML mnist_784 (cached by scikit-learn)")


# ---- your own points ------------------------------------------------------------------------
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 5000
MAX_ABS_VALUE = 1e6
MAX_LINE_CHARS = 10_000  # characters in one line of a CSV file
MAX_LABEL_CHARS = 100    # characters in one label
CSV_LIMITS = (f"CSV files: at most {MAX_CSV_BYTES // 2**20} MB, {MAX_CSV_ROWS:,} rows and "
              f"{MAX_LINE_CHARS:,} characters a line; |x1| and |x2| up to {MAX_ABS_VALUE:,.0f}; "
              f"labels up to {MAX_LABEL_CHARS} characters.")


def _lines(text, max_chars):
    """The file's lines, one at a time, refusing one longer than ``max_chars``."""
    for number, line in enumerate(text, start=1):
        if len(line) > max_chars:
            raise ValueError(f"Line {number} is {len(line):,} characters long; the limit is "
                             f"{max_chars:,} (a CSV of x1, x2, label has short lines).")
        yield line


def _csv_rows(data, max_rows):
    """The non-empty rows of CSV text or UTF-8 bytes, each cut to its first three cells; one
    row more than ``max_rows`` (plus a header) at most, so a huge file is never read whole.

    Line endings may be \n, \r\n or \r alone (old Mac files).
    """
    import csv
    import io
    if isinstance(data, (bytes, bytearray, memoryview)):
        if len(data) > MAX_CSV_BYTES:
            raise ValueError(f"The file is {len(data) / 2**20:.1f} MB; CSV files are limited to "
                             f"{MAX_CSV_BYTES // 2**20} MB.")
        # decoded as it is read, so only the part read costs memory
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=None)
    else:
        text = io.StringIO(data, newline=None)
    reader = csv.reader(_lines(text, MAX_LINE_CHARS))
    rows = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append(row[:3])
                if len(rows) > max_rows + 1:
                    break
    except UnicodeDecodeError:
        raise ValueError("The file is not UTF-8 text: upload a .csv file.") from None
    except csv.Error as err:
        raise ValueError(f"Line {reader.line_num} is not valid CSV "
                         f"({excerpt(str(err), 60)}).") from None
    return rows


def points_from_csv(data, max_rows=MAX_CSV_ROWS, max_abs=MAX_ABS_VALUE):
    """Read 2-D labelled points from CSV text: two feature columns, then a label column.

    A header row is optional; further columns are ignored. Labels may be numbers or words;
    there must be exactly two. Reading stops at the row limit, so a long file costs no more
    than a file at the limit (``CSV_LIMITS`` says the limits in words).

    Returns
    -------
    X : (n, 2) float64, y : (n,) int in {0, 1}, classes : the two original labels (y = 1 is
    classes[1]).

    Raises
    ------
    ValueError with a short message naming the problem and the row (quoting the file's text
    only as a short excerpt), for anything else.
    """
    rows = _csv_rows(data, max_rows)
    if not rows:
        raise ValueError("The file is empty: it needs rows of x1, x2, label.")

    def numeric(cell):
        try:
            float(cell)
            return True
        except ValueError:
            return False
    if not (numeric(rows[0][0]) if rows[0] else False):
        rows = rows[1:]  # a header
    if len(rows) > max_rows:
        raise ValueError(f"The file has at least {len(rows)} rows; the limit is {max_rows} "
                         "(reading stopped there).")
    if len(rows) < 4:
        raise ValueError(f"The file has {len(rows)} data row(s); at least 4 are needed.")
    X = np.empty((len(rows), 2))
    labels = []
    for i, row in enumerate(rows, start=1):
        if len(row) < 3:
            raise ValueError(f"Row {i} has {len(row)} column(s); each row needs x1, x2 and a label.")
        for j in range(2):
            try:
                X[i - 1, j] = float(row[j])
            except ValueError:
                raise ValueError(f"Row {i}, column {j + 1} is {excerpt(row[j])}, not a "
                                 "number.") from None
        label = row[2].strip()
        if len(label) > MAX_LABEL_CHARS:
            raise ValueError(f"Row {i}'s label is {len(label):,} characters long; the limit is "
                             f"{MAX_LABEL_CHARS}: {excerpt(label)}.")
        labels.append(label)
    bad = ~np.isfinite(X)
    if bad.any():
        i = int(np.flatnonzero(bad.any(axis=1))[0]) + 1
        raise ValueError(f"Row {i} holds NaN or infinity; every x1 and x2 must be a finite number.")
    if np.abs(X).max() > max_abs:
        raise ValueError(f"Values up to {np.abs(X).max():.3g} are too large; keep |x| below "
                         f"{max_abs:g} (rescale the data).")
    classes, y = np.unique(np.array(labels), return_inverse=True)
    if len(classes) != 2:
        shown = ", ".join(excerpt(str(c), 20) for c in classes[:5])
        raise ValueError(f"The labels must be exactly two classes; found {len(classes)}: "
                         f"{shown}{'...' if len(classes) > 5 else ''}.")
    counts = np.bincount(y)
    if counts.min() < 2:
        raise ValueError(f"Class {excerpt(str(classes[counts.argmin()]))} has only one row; each "
                         "class needs at least 2, so that the training and the test set both "
                         "hold it.")
    return X, y.astype(int), classes
