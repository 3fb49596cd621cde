"""2-D generators, the split, digits, and MNIST from a local copy or not at all."""
import gzip
import struct

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import core.datasets as datasets
from local_data import MNIST_SKIP_REASON, mnist_folder
from core import (DATASETS, DataUnavailable, load_digits8, load_mnist, make_dataset, make_grid,
                  probability_surface, split, LogisticRegression)



@pytest.mark.parametrize("key", sorted(DATASETS))
def test_generators_share_one_signature(key):
    X, y = DATASETS[key].generate(n_samples=101, noise=0.3, random_state=5)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0, 1} and np.all(np.isfinite(X))
    X2, y2 = DATASETS[key].generate(101, 0.3, 5)
    np.testing.assert_array_equal(X, X2)
    X3, _ = DATASETS[key].generate(101, 0.3, 6)
    assert not np.array_equal(X, X3)


def test_separable_blobs_are_separable_for_every_seed_and_noise():
    for seed in range(10):
        X, y = make_dataset("separable", 300, noise=1.0, random_state=seed)
        assert np.all((X.sum(axis=1) > 0) == (y == 1))  # the line x1 + x2 = 0 splits them


def test_overlapping_blobs_and_xor_are_not():
    X, y = make_dataset("overlapping", 300, random_state=0)
    assert SkLogisticRegression(C=1e6).fit(X, y).score(X, y) < 1.0
    X, y = make_dataset("xor", 300, random_state=0)
    assert SkLogisticRegression(C=1e6).fit(X, y).score(X, y) < 0.7


def test_make_dataset_rejects_bad_arguments():
    with pytest.raises(ValueError, match="Unknown dataset 'nope'"):
        make_dataset("nope")
    with pytest.raises(ValueError, match="noise must be between 0 and 1"):
        make_dataset("xor", 100, noise=3)
    with pytest.raises(ValueError, match="n_samples"):
        make_dataset("xor", 2)


def test_split_is_stratified_and_reproducible():
    X, y = make_dataset("moons", 200, random_state=0)
    Xtr, Xte, ytr, yte = split(X, y, 0.25, random_state=1)
    assert len(Xte) == 50 and ytr.mean() == pytest.approx(0.5) and yte.mean() == pytest.approx(0.5)
    np.testing.assert_array_equal(split(X, y, 0.25, random_state=1)[1], Xte)


def test_grid_and_surface():
    X, y = make_dataset("moons", 100, random_state=0)
    grid = make_grid(X, resolution=50, margin=0.1)
    assert grid.points.shape == (2500, 2) and grid.shape == (50, 50)
    span = X.max(0) - X.min(0)
    np.testing.assert_allclose([grid.xs[0], grid.ys[-1]],
                               [X[:, 0].min() - 0.1 * span[0], X[:, 1].max() + 0.1 * span[1]])
    model = LogisticRegression(max_iter=100).fit(X, y)
    P = probability_surface(model, grid)
    assert P.shape == (50, 50) and P.dtype == np.float32
    # row i is y = ys[i]: compare one point with the model directly
    np.testing.assert_allclose(P[7, 31], model.predict_proba([[grid.xs[31], grid.ys[7]]])[0, 1],
                               rtol=1e-6)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        make_grid(np.ones((5, 3)))


def test_bundled_digits():
    d = load_digits8()
    assert d.images.shape == (1797, 8, 8) and d.levels == 16 and d.images.max() == 16
    assert d.X.shape == (1797, 64) and d.X.dtype == np.float32 and d.X.max() == 1.0
    assert "scikit-learn" in d.source


def _write_idx(path, arr):
    header = struct.pack(">HBB", 0, 0x08, arr.ndim) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(header + arr.astype(np.uint8).tobytes())


def test_mnist_from_idx_files(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (12, 28, 28)), "y_train": rng.integers(0, 10, 12),
              "x_test": rng.integers(0, 256, (5, 28, 28)), "y_test": rng.integers(0, 10, 5)}
    for key, stem in datasets._IDX.items():
        _write_idx(tmp_path / (stem + (".gz" if key == "x_test" else "")), arrays[key])
    monkeypatch.setenv(datasets.MNIST_ENV, str(tmp_path))
    d = load_mnist(download=False)
    np.testing.assert_array_equal(d.images, arrays["x_train"])
    np.testing.assert_array_equal(d.y_test, arrays["y_test"])
    assert d.X.shape == (12, 784) and d.X_test.shape == (5, 784) and "IDX" in d.source


def test_truncated_idx_is_a_clear_error(tmp_path):
    _write_idx(tmp_path / "t.idx", np.zeros((3, 28, 28)))
    data = (tmp_path / "t.idx").read_bytes()
    (tmp_path / "t.idx").write_bytes(data[:-10])
    with pytest.raises(ValueError, match="truncated"):
        datasets._read_idx(tmp_path / "t.idx")


@pytest.mark.skipif(mnist_folder() is None, reason=MNIST_SKIP_REASON)
def test_mnist_from_the_local_copy(monkeypatch):
    monkeypatch.setenv(datasets.MNIST_ENV, str(mnist_folder()))
    d = load_mnist(download=False)
    assert d.images.shape == (60000, 28, 28) and d.test_images.shape == (10000, 28, 28)
    assert d.levels == 255 and str(mnist_folder()) in d.source


def test_mnist_offline_without_a_copy_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.delenv(datasets.MNIST_ENV, raising=False)
    with pytest.raises(DataUnavailable, match="NEURAL_PLAYGROUND_MNIST") as missing:
        load_mnist(download=False)
    # the one sentence a caption shows: where it looked, without the advice
    summary = missing.value.summary
    assert summary.startswith("No local copy of MNIST was found (looked in ")
    assert summary.endswith(").") and summary.count(". ") == 0 and summary in str(missing.value)

    def offline(*args, **kwargs):  # what fetch_openml raises after its retries, offline
        assert kwargs["n_retries"] == 1
        raise OSError("[Errno -3] Temporary failure in name resolution")
    monkeypatch.setattr("sklearn.datasets.fetch_openml", offline)
    with pytest.raises(DataUnavailable, match="could not be downloaded .*name resolution.*mnist.npz") as failed:
        load_mnist(data_home=tmp_path)
    assert failed.value.summary == ("MNIST could not be downloaded ([Errno -3] Temporary failure "
                                    "in name resolution).")


def test_points_from_csv_reads_header_words_and_numbers():
    from core import points_from_csv
    X, y, classes = points_from_csv(b"x1,x2,label\n0,0,cat\n1,1,dog\n0.5,-2,cat\n3,1e-3,dog\n")
    np.testing.assert_allclose(X[:, 1], [0, 1, -2, 1e-3])
    assert list(classes) == ["cat", "dog"] and list(y) == [0, 1, 0, 1]
    X, y, _ = points_from_csv("0,0,0\n1,1,1\n2,2,1\n3,3,0")
    assert X.shape == (4, 2)


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("x1,x2\n1,2\n3,4\n5,6\n7,8", r"Row 1 has 2 column"),
    ("a,b,c\n1,2,0\n3,oops,1\n5,6,0\n7,8,1", r"Row 2, column 2 is 'oops', not a number"),
    ("1,2,0\n3,nan,1\n5,6,0\n7,8,1", r"Row 2 holds NaN or infinity"),
    ("1,2,0\n3,inf,1\n5,6,0\n7,8,1", r"NaN or infinity"),
    ("1,2,0\n3,4,0\n5,6,0\n7,8,0", r"exactly two classes; found 1"),
    ("1,2,0\n3,4,1\n5,6,2\n7,8,0", r"exactly two classes; found 3"),
    ("1,2,0\n3,4,1", r"at least 4"),
    ("1,2,0\n3,4,1\n5,6,0\n1e300,8,1", r"too large"),
    ("1,2,a\n3,4,a\n5,6,a\n7,8,b", r"Class 'b' has only one row"),
])
def test_points_from_csv_rejects_bad_files_with_the_reason(text, message):
    from core import points_from_csv
    with pytest.raises(ValueError, match=message):
        points_from_csv(text)


def test_points_from_csv_row_limit_and_binary_junk():
    from core import points_from_csv
    with pytest.raises(ValueError, match="6 rows; the limit is 5"):
        points_from_csv("\n".join(f"{i},{i},{i % 2}" for i in range(6)), max_rows=5)
    with pytest.raises(ValueError, match="not UTF-8"):
        points_from_csv(b"\xff\xfe\x00\x81garbage")


@pytest.mark.parametrize("labels", [[0, 0, 1, 1], [0, 0, 0, 1, 1], [0] * 9 + [1, 1]])
@pytest.mark.parametrize("test_size", [0.1, 0.3, 0.5])
def test_split_keeps_every_class_on_both_sides_of_tiny_data(labels, test_size):
    """The smallest data a CSV may hold still trains: both classes in train and in test."""
    y = np.array(labels)
    X = np.arange(2 * len(y), dtype=float).reshape(-1, 2)
    for seed in range(5):
        X_tr, X_te, y_tr, y_te = split(X, y, test_size, random_state=seed)
        assert set(y_tr) == {0, 1} and set(y_te) == {0, 1}
        assert len(X_tr) + len(X_te) == len(X)


def test_split_is_stratified_shuffled_and_seeded():
    X, y = make_dataset("xor", 200, random_state=3)
    X_tr, X_te, y_tr, y_te = split(X, y, 0.3, random_state=3)
    assert len(X_te) == 60 and (y_te == 1).sum() == round(0.3 * (y == 1).sum())
    # the same rows, each once; shuffled (not in the data's order); the same seed, the same split
    np.testing.assert_array_equal(np.sort(np.r_[X_tr, X_te], axis=0), np.sort(X, axis=0))
    rows = {tuple(r): i for i, r in enumerate(X)}
    order = [rows[tuple(r)] for r in X_tr]
    assert order != sorted(order)
    for a, b in zip(split(X, y, 0.3, random_state=3), (X_tr, X_te, y_tr, y_te)):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(split(X, y, 0.3, random_state=4)[1], X_te)


def test_the_overlapping_blobs_caption_holds_for_samples_that_happen_to_be_separable():
    """At noise 0, a small sample of the overlapping clouds is often separable (then there is no
    finite best line): the caption says when the best line is finite, not that it always is."""
    from sklearn.svm import LinearSVC
    separable = 0
    for seed in range(5):
        X, y = make_dataset("overlapping", 20, 0.0, random_state=seed)
        separable += LinearSVC(C=1e6, max_iter=100_000).fit(X, y).score(X, y) == 1.0
    assert separable >= 1
    text = DATASETS["overlapping"].description
    assert "separable" in text and "without bound" in text
