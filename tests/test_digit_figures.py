"""The digit page's figure builders, without a model or Streamlit."""
import base64
import io

import numpy as np
from PIL import Image

from ui import digit_figures as D


def test_top_two_and_guess_bars():
    proba = np.array([0.05, 0.6, 0.02, 0.03, 0.0, 0.0, 0.0, 0.25, 0.05, 0.0])
    assert D.top_two(proba) == (1, 7)
    fig = D.guess_figure(proba, range(10))
    bars = fig["data"][0]
    assert bars["x"] == [str(k) for k in range(10)]
    assert bars["marker"]["color"][1] == D.FIRST and bars["marker"]["color"][7] == D.SECOND
    assert bars["marker"]["color"].count(D.OTHER) == 8
    assert bars["text"][1] == "60%" and np.allclose(bars["y"], 100 * proba)


def test_confusion_counts_rows_true_columns_guessed():
    cm = D.confusion([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], n_classes=3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    right, wrong, text = D.confusion_figure(cm, range(3))["data"]
    assert np.isnan(right["z"][0, 1]) and right["z"][2, 2] == 2
    assert np.isnan(wrong["z"][1, 1]) and wrong["z"][0, 1] == 1
    assert text["texttemplate"] == "%{z:.0f}"


def test_mosaic_tiles_scale_each_image_and_leave_gaps():
    images = np.stack([np.full((3, 2), v) for v in (1.0, -4.0, 2.0)])
    images[1, 0, 0] = 8.0
    fig = D.mosaic_figure(images, cols=2, signed=True)
    z = fig["data"][0]["z"]
    assert z.shape == (2 * 4, 2 * 3 - 1)  # 2 rows of 3-pixel tiles (+1 gap), 2 columns of 2 (+gap)
    np.testing.assert_allclose(z[0:3, 0:2], 1.0)  # each tile divided by its own max |value|
    assert z[0, 3] == 1.0 and z[1, 3] == -0.5
    assert np.isnan(z[3]).all() and np.isnan(z[:, 2]).all()  # gaps
    assert np.isnan(z[4:7, 3:5]).all()  # the empty fourth tile
    titled = D.mosaic_figure(images, cols=3, titles=["a", "b", "c"])
    assert [a["text"] for a in titled["layout"]["annotations"]] == ["a", "b", "c"]
    assert titled["data"][0]["colorscale"] == D.INK


def test_activations_one_row_of_bars_per_layer():
    fig = D.activations_figure([np.array([0.5, -0.2]), np.array([0.1, 0.2, 0.3])], "tanh")
    assert [len(t["y"]) for t in fig["data"]] == [2, 3]
    assert fig["data"][0]["marker"]["color"] == [D.FIRST, "#e4572e"]
    assert fig["layout"]["yaxis"]["range"][0] == -1.0 and "yaxis2" in fig["layout"]


def test_pixels_and_inline_images():
    big = np.zeros((280, 280))
    big[:140] = 1.0
    small = D.pixels(big, size=112)
    assert small.dtype == np.uint8 and small.shape == (94, 94)  # shrunk by 3, padded to 282
    assert small[0, 0] == 255 and small[-1, -1] == 0
    tag = D.image_tag(np.eye(8), size=112)
    assert "width:112px;height:112px" in tag and "image-rendering:pixelated" in tag
    png = base64.b64decode(tag.split("base64,")[1].split("'")[0])
    assert Image.open(io.BytesIO(png)).size == (8, 8)  # sent small, enlarged by the browser
    tall = D.image_tag(np.ones((20, 5)), size=100)
    assert "width:25px;height:100px" in tall
    html = D.steps_html([("a", np.eye(4)), ("b", np.ones((2, 2)))])
    assert html.count("<figure") == 2 and "<figcaption" in html
