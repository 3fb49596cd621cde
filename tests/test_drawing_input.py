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


def test_mnist_preprocessing_fits_20x20_and_centres_the_mass():
    out = drawing_to_input(canvas_with(ring), "mnist")
    img = out.image.astype(float)
    assert out.image.shape == (28, 28) and out.image.dtype == np.uint8 and img.max() > 200
    rows, cols = np.flatnonzero(img.any(1)), np.flatnonzero(img.any(0))
    assert rows[-1] - rows[0] + 1 <= 20 and cols[-1] - cols[0] + 1 <= 20
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 >= 19
    cy = (img.sum(1) @ np.arange(28)) / img.sum()
    cx = (img.sum(0) @ np.arange(28)) / img.sum()
    assert abs(cy - 13.5) <= 1 and abs(cx - 13.5) <= 1
    assert out.features.shape == (1, 784) and out.features.max() <= 1.0
    assert out.box == (51, 230, 61, 240)  # rows 51..229 and columns 61..239 hold ink
    assert [title for title, _ in out.steps][0] == "your drawing" and len(out.steps) == 5


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
