"""A drawing -> model input, the way MNIST and the 8x8 digits were made."""
import numpy as np
import pytest

from core import EmptyDrawingError, MLPClassifier, drawing_to_input, load_digits8, split
from core.digits import resize


def canvas_with(draw):
    """A 280x280 RGBA pad, black and opaque, with white ink where draw(yy, xx) is True."""
    yy, xx = np.mgrid[0:280, 0:280]
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[draw(yy, xx), :3] = 255
    return rgba


def vertical_stroke(yy, xx):
    return (abs(xx - 100) < 10) & (yy > 40) & (yy < 240)


def ring(yy, xx):
    r = np.hypot(yy - 140, xx - 150)
    return (r > 70) & (r < 90)


@pytest.mark.parametrize("target", ["mnist", "digits8"])
def test_empty_drawing_is_a_clear_error(target):
    with pytest.raises(EmptyDrawingError, match="empty: draw a digit"):
        drawing_to_input(canvas_with(lambda yy, xx: yy < 0), target)
    # a transparent canvas counts as empty whatever its colour channels hold
    transparent = np.full((280, 280, 4), 255, np.uint8)
    transparent[..., 3] = 0
    with pytest.raises(EmptyDrawingError):
        drawing_to_input(transparent, target)


def footprint(img, threshold=0.5):
    """Rows and columns of the pixels with ink above ``threshold`` (of the image's levels)."""
    rows = np.flatnonzero((img > threshold * img.max()).any(1))
    cols = np.flatnonzero((img > threshold * img.max()).any(0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def mass_centre(img):
    img = img.astype(float)
    return (img.sum(1) @ np.arange(len(img))) / img.sum(), (img.sum(0) @ np.arange(img.shape[1])) / img.sum()


def test_mnist_preprocessing_fits_20x20_and_centres_the_mass_where_mnist_does():
    out = drawing_to_input(canvas_with(ring), "mnist")
    img = out.image.astype(float)
    assert out.image.shape == (28, 28) and out.image.dtype == np.uint8 and img.max() > 200
    # the ink's box is 20 pixels on its longer side (its anti-aliased rim may touch one more)
    assert max(footprint(img)) in (19, 20, 21) and max(footprint(img, 0.01)) <= 21
    # MNIST's digits have their centre of mass at (14.0, 14.0), pixel centres counted from 0
    # (the mean over its training set is 13.99, 14.00); not 13.5, the field's middle
    assert np.allclose(mass_centre(img), 14.0, atol=0.1)
    assert out.features.shape == (1, 784) and out.features.max() <= 1.0
    assert out.box == (51, 230, 61, 240)  # rows 51..229 and columns 61..239 hold ink
    assert [title for title, _ in out.steps][:4] == [
        "your drawing", "the ink's bounding box", "cropped", "its centre line: your pen taken away"]
    assert out.steps[-1][0].startswith("model input 28x28") and len(out.steps) == 5
    box = out.steps[1][1]  # the bounding box drawn 3 pixels wide on every side
    assert (box[51:54, 61:240] == 0.5).all() and (box[227:230, 61:240] == 0.5).all()
    assert (box[51:230, 61:64] == 0.5).all() and (box[51:230, 237:240] == 0.5).all()


def test_mnist_test_digits_are_centred_where_the_preprocessing_puts_drawings():
    mnist = pytest.importorskip("local_data").mnist_folder()
    if mnist is None:
        pytest.skip("no local MNIST copy")
    with np.load(mnist / "mnist.npz") as f:
        images = f["x_test"][:2000].astype(float)
    m = images.sum(axis=(1, 2))
    cy = (images.sum(2) @ np.arange(28)) / m
    cx = (images.sum(1) @ np.arange(28)) / m
    assert abs(cy.mean() - 14.0) < 0.1 and abs(cx.mean() - 14.0) < 0.1


def test_digits8_levels_and_a_stroke_becomes_a_bar():
    out = drawing_to_input(canvas_with(vertical_stroke), "digits8")
    assert out.image.shape == (8, 8) and out.image.max() == 16 and out.image.min() == 0
    column_ink = out.image.sum(axis=0)
    assert column_ink.argmax() in (3, 4) and column_ink[[0, 1, 6, 7]].sum() == 0
    assert np.all(out.image[:, column_ink.argmax()] > 0)  # top to bottom


def test_grey_and_float_inputs():
    rgba = canvas_with(ring)
    a = drawing_to_input(rgba, "mnist").image
    b = drawing_to_input(rgba[..., 0], "mnist").image
    c = drawing_to_input(rgba[..., 0] / 255.0, "mnist").image
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    with pytest.raises(ValueError, match="must be an"):
        drawing_to_input(np.zeros(10), "mnist")
    with pytest.raises(ValueError, match="target must be one of"):
        drawing_to_input(rgba, "cifar")


def test_resize_preserves_mean_when_shrinking():
    img = np.random.default_rng(0).random((280, 140))
    small = resize(img, (20, 10))
    assert small.shape == (20, 10) and small.mean() == pytest.approx(img.mean())


def test_test_digits_drawn_large_are_still_recognised():
    """Blow 8x8 test digits up to a 280x280 pad; the preprocessing must give them back."""
    d = load_digits8()
    idx_tr, idx_te = split(np.arange(len(d.y)), d.y, 0.3, random_state=0)[:2]
    model = MLPClassifier((64,), batch_size=32, max_iter=60, tol=0, random_state=0).fit(
        d.X[idx_tr], d.y[idx_tr])
    correct = 0
    for i in idx_te[:100]:
        pad = np.kron(d.images[i] / 16.0, np.ones((30, 30)))  # 240x240
        pad = np.pad(pad, 20)
        x = drawing_to_input(pad, "digits8").features
        correct += model.predict(x)[0] == d.y[i]
    assert correct >= 80


# ---- the writer's pen, size and place do not matter: the preprocessing fixes them ----------
def stroke(points, width, shift=(0, 0), scale=1.0, size=280):
    """A pad with a polyline through ``points`` (x, y in a 0-1 box) drawn by a round pen."""
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    P = np.asarray(points, float) * 200 * scale + 40 + np.asarray(shift, float)
    d = np.full((size, size), np.inf)
    for (x0, y0), (x1, y1) in zip(P[:-1], P[1:]):
        vx, vy = x1 - x0, y1 - y0
        u = np.clip(((xx - x0) * vx + (yy - y0) * vy) / max(vx * vx + vy * vy, 1e-9), 0, 1)
        d = np.minimum(d, np.hypot(xx - x0 - u * vx, yy - y0 - u * vy))
    rgba = np.zeros((size, size, 4), np.uint8)
    rgba[..., :3] = (np.clip(width / 2 + 0.5 - d, 0, 1) * 255).astype(np.uint8)[..., None]
    rgba[..., 3] = 255
    return rgba


SEVEN = [(0.1, 0.05), (0.9, 0.05), (0.45, 1.0)]
TWO = [(0.1, 0.2), (0.4, 0.0), (0.8, 0.15), (0.7, 0.5), (0.1, 1.0), (0.9, 1.0)]


@pytest.mark.parametrize("target", ["mnist", "digits8"])
@pytest.mark.parametrize("shape", [SEVEN, TWO])
def test_pen_width_size_and_place_give_the_same_input(target, shape):
    """Thin and thick pens, small and large digits, in a corner or in the middle: after the
    centre line is redrawn with the data set's pen, the inputs are nearly the same."""
    reference = drawing_to_input(stroke(shape, 20), target).features
    variants = [stroke(shape, 8), stroke(shape, 30), stroke(shape, 12, scale=0.4),
                stroke(shape, 14, scale=0.45, shift=(-30, 100)),
                stroke(shape, 24, scale=0.6, shift=(60, -30))]
    for drawing in variants:
        x = drawing_to_input(drawing, target).features
        assert np.abs(x - reference).mean() < 0.05, np.abs(x - reference).mean()
    # the keep-your-pen preprocessing of before was far from that: a thick pen on a small
    # digit filled the 20x20 box with a blob
    from core.digits import fit_into
    grey = stroke(shape, 30, scale=0.4)[..., 0] / 255.0
    rows, cols = np.flatnonzero(grey.any(1)), np.flatnonzero(grey.any(0))
    blob = fit_into(grey[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1], 20)
    assert blob.mean() > 2 * drawing_to_input(stroke(shape, 30, scale=0.4), "mnist").image.mean() / 255


def test_a_faint_drawing_is_nothing_drawn():
    faint = (stroke(SEVEN, 20).astype(float) * [0.3, 0.3, 0.3, 1]).astype(np.uint8)
    with pytest.raises(EmptyDrawingError):
        drawing_to_input(faint, "mnist")


def test_digits8_preprocessing_inks_30_percent_upright_and_narrow():
    """As NIST's normaliser did for the bundled digits: 30 % of the 32x32 bitmap inked, all 32
    rows used, a slanted stroke straightened (half of its slant), a wide digit squeezed."""
    leaning = stroke([(0.7, 0.0), (0.3, 1.0)], 16)
    out = drawing_to_input(leaning, "digits8")
    bitmap = out.steps[-2][1]
    assert bitmap.shape == (32, 32) and abs(bitmap.mean() - 0.30) < 0.04
    assert bitmap.any(axis=1).all()  # every row
    rows = np.nonzero(bitmap)
    drawn_slant = abs(np.polyfit(rows[0], rows[1], 1)[0])
    assert drawn_slant < 0.25  # 0.4 before: half taken away (and the box is narrower)
    wide = drawing_to_input(stroke([(0.0, 0.5), (1.0, 0.5), (1.0, 0.7)], 16), "digits8")
    columns = np.flatnonzero(wide.steps[-2][1].any(axis=0))
    assert columns[-1] - columns[0] + 1 <= 32 * 0.8