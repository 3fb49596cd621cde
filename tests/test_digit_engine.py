"""The digit page's engine: centre lines, augmentation, the augmented split, integrated
gradients, your own test set, and the lectures' binary task."""
import numpy as np
import pytest

from core import MLPClassifier, load_digits8
from core.attribution import integrated_gradients
from core.augment import Jitter, augment, blocks_to_ink, redraw_pen
from core.datasets import digit_split
from core.digit_sets import MAX_DRAWINGS, from_npz, to_csv, to_npz
from core.digit_tasks import PAIRS, compare_on_pair, pair_task
from core.strokes import centre_line, draw_line, prune, thin
from local_data import MNIST_SKIP_REASON, mnist_folder


# ---- centre lines ------------------------------------------------------------------------------
def neighbours(a):
    p = np.pad(a, 1)
    return sum(p[1 + dy:1 + dy + a.shape[0], 1 + dx:1 + dx + a.shape[1]]
               for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)


def test_thinning_leaves_a_connected_line_one_pixel_wide():
    bar = np.zeros((40, 60), bool)
    bar[15:25, 5:55] = True            # a thick horizontal bar
    bar[5:35, 25:33] = True            # crossed by a thick vertical one
    line = thin(bar)
    assert line.any() and (line <= bar).all()
    rows, cols = np.nonzero(line)
    assert np.ptp(cols) >= 36 and np.ptp(rows) >= 18  # both arms kept, nearly to their ends
    assert (line & (neighbours(line.astype(int)) > 4)).sum() == 0  # nowhere thick
    # connected: a flood fill from one pixel reaches every pixel of the line
    seen, todo = set(), [(rows[0], cols[0])]
    on = set(zip(rows.tolist(), cols.tolist()))
    while todo:
        y, x = todo.pop()
        if (y, x) in seen or (y, x) not in on:
            continue
        seen.add((y, x))
        todo += [(y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    assert seen == on


def test_pruning_cuts_short_spurs_and_keeps_long_strokes():
    line = np.zeros((30, 40), bool)
    line[15, 2:38] = True      # a long stroke
    line[12:15, 20] = True     # a 3-pixel spur
    pruned = prune(line, 5)
    assert not pruned[12:14, 20].any()  # (a pixel touching the junction is never an end)
    assert pruned[15, 2:38].all()  # the stroke's ends are grown back


def test_the_centre_line_is_the_same_whatever_the_pen():
    yy, xx = np.mgrid[0:200, 0:200]
    lines = []
    for width in (6, 30):
        d = np.abs(np.hypot(yy - 100, xx - 100) - 60)
        ring = np.clip(width / 2 - d, 0, 1)
        points, pen, _ = centre_line(ring)
        radius = np.hypot(*(points - 100).T)
        assert abs(np.median(radius) - 60) < 3 and abs(pen - width) < 0.35 * width
        lines.append(points)
    image = [draw_line(p * 0.1, (20, 20), 2.0) for p in lines]
    assert np.abs(image[0] - image[1]).mean() < 0.03


# ---- augmentation ------------------------------------------------------------------------------
def test_augmentation_keeps_the_format_is_seeded_and_varies():
    d = load_digits8()
    a = augment(d.images[:50], 16, np.random.default_rng(0))
    b = augment(d.images[:50], 16, np.random.default_rng(0))
    c = augment(d.images[:50], 16, np.random.default_rng(1))
    assert a.shape == (50, 8, 8) and a.dtype == d.images.dtype and a.max() <= 16
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c) and not np.array_equal(a, d.images[:50])
    # no movement and no pen change gives the digits back, up to the 32x32 round trip
    still = Jitter(rotate=0, scale=(1, 1), aspect=(1, 1), shear=0, shift=0, pen=(0, 0))
    same = augment(d.images[:50], 16, np.random.default_rng(0), still)
    assert np.abs(same.astype(int) - d.images[:50]).mean() < 1.0


def test_blocks_to_ink_keeps_each_blocks_ink():
    counts = load_digits8().images[:20].astype(float)
    ink = blocks_to_ink(counts)
    assert ink.shape == (20, 32, 32)
    blocks = ink.reshape(20, 8, 4, 8, 4).mean(axis=(2, 4)) * 16
    assert np.abs(blocks - counts).mean() < 1.5  # smoothing moves a little ink across edges


def test_redraw_pen_makes_strokes_as_wide_as_asked():
    img = np.zeros((1, 28, 28))
    img[0, 4:24, 13:15] = 1.0  # a 2-pixel-wide bar
    thin_, thick = redraw_pen(img, [1.0]), redraw_pen(img, [4.0])
    assert thin_.sum() < img.sum() < thick.sum()
    assert thick.sum() / 20 == pytest.approx(4.0, abs=0.8)  # ink per row ~ the width


def test_the_split_appends_augmented_copies_and_leaves_the_test_set_alone():
    d = load_digits8()
    plain, aug = digit_split(d, 400, 3), digit_split(d, 400, 3, copies=2)
    assert aug.X_train.shape == (1200, 64) and aug.n_original == 400 and aug.copies == 2
    np.testing.assert_array_equal(np.sort(aug.y_train), np.sort(np.tile(plain.y_train, 3)))
    np.testing.assert_array_equal(aug.X_test, plain.X_test)
    originals = {row.tobytes() for row in plain.X_train}
    assert sum(row.tobytes() in originals for row in aug.X_train) >= 400
    assert "2 augmented copies" in aug.how and not aug.X_train.flags.writeable
    np.testing.assert_array_equal(aug.X_train, digit_split(d, 400, 3, copies=2).X_train)


# ---- integrated gradients ----------------------------------------------------------------------
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_integrated_gradients_add_up_and_ignore_blank_pixels(activation):
    rng = np.random.default_rng(0)
    X = rng.random((80, 12)) * (rng.random((80, 12)) > 0.4)
    y = (X[:, :4].sum(1) > X[:, 4:8].sum(1)).astype(int) + (X[:, 8:].sum(1) > 1)
    model = MLPClassifier((8,), activation=activation, learning_rate=0.5, batch_size=16,
                          max_iter=40, tol=0, random_state=0).fit(X, y)
    x = X[:3]
    for k in range(3):
        ig = integrated_gradients(model, x, k, steps=400)
        logp = np.log(model.predict_proba(x)[:, k]) - np.log(model.predict_proba(0 * x)[:, k])
        np.testing.assert_allclose(ig.sum(axis=1), logp, rtol=1e-3, atol=1e-2)  # completeness
        assert (ig[x == 0] == 0).all()


# ---- your own test set -------------------------------------------------------------------------
def test_a_set_round_trips_through_npz_and_csv():
    rng = np.random.default_rng(0)
    drawings = np.zeros((3, 280, 280), np.uint8)
    for i in range(3):
        drawings[i, 60 + 20 * i:220, 130:150] = 255
    data = to_npz(drawings, [1, 7, 1])
    back, labels = from_npz(data)
    np.testing.assert_array_equal(back, drawings)
    assert labels.tolist() == [1, 7, 1]
    lines = to_csv(drawings, [1, 7, 1]).strip().split("\n")
    assert lines[0].split(",")[:2] == ["label", "p0"] and len(lines) == 4
    assert all(len(line.split(",")) == 785 for line in lines) and lines[2].startswith("7,")
    del rng


@pytest.mark.parametrize("data, words", [
    (b"not a zip file", "not an .npz"),
    (to_npz(np.zeros((2, 20, 20)), [1, 10]), "from 0 to 9"),
    (to_npz(np.zeros((2, 20)), [1, 2]), "(n, height, width)"),
    (to_npz(np.zeros((MAX_DRAWINGS + 1, 8, 8)), np.zeros(MAX_DRAWINGS + 1)), "1 to 500"),
])
def test_a_bad_set_file_is_refused_with_the_reason(data, words):
    with pytest.raises(ValueError, match=None) as err:
        from_npz(data)
    assert words in str(err.value)


def test_a_npz_with_other_arrays_is_refused():
    import io
    buf = io.BytesIO()
    np.savez(buf, weights=np.zeros(3))
    with pytest.raises(ValueError, match="not a set of drawings"):
        from_npz(buf.getvalue())


# ---- the lectures' binary task -----------------------------------------------------------------
def test_pair_task_binarises_and_labels_the_first_digit_1():
    d = load_digits8()
    s = digit_split(d, 1347, 0)
    task = pair_task(s.X_train, s.y_train, s.X_test, s.y_test, s.shape, 1, 0)
    assert set(np.unique(task.X_train)) <= {0.0, 1.0}
    assert set(task.test_digits) == {0, 1}
    np.testing.assert_array_equal(task.y_test, task.test_digits == 1)
    rest = pair_task(s.X_train, s.y_train, s.X_test, s.y_test, s.shape, 8, None)
    assert len(rest.y_test) == len(s.y_test) and rest.y_test.sum() == (s.y_test == 8).sum()
    results = compare_on_pair(task, hidden=8, epochs=5)
    assert [r.name.split(",")[0] for r in results] == ["logistic regression", "MLP"]
    assert results[0].n_params == 65 and results[1].n_params == 64 * 8 + 8 + 8 + 1
    assert all(r.accuracy > 0.9 for r in results)  # 1 against 0 is easy for both
    assert results[0].weights["theta"].shape == (65, 1)  # one sigmoid output: two classes


@pytest.mark.skipif(mnist_folder() is None, reason=MNIST_SKIP_REASON)
def test_on_mnist_one_digit_against_the_rest_the_network_makes_fewer_mistakes():
    from core import load_mnist
    d = load_mnist(folder=mnist_folder(), download=False)
    task = pair_task(d.X[:10000], d.y[:10000], d.X_test, d.y_test, d.shape,
                     *PAIRS["8 vs the rest"])
    logistic, mlp = compare_on_pair(task, hidden=32, epochs=30)
    assert len(mlp.wrong) < 0.75 * len(logistic.wrong)
