"""The digit page's figure builders, without a model or Streamlit."""
import base64
import io

import numpy as np
import pytest
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
    # a small share reads as the guess cards say it ("<1%"), not "0%" (the bar under a
    # second guess of "<1%" read "0%")
    small = D.guess_figure(np.array([0.996, 0.003] + [0.000125] * 8), range(10))
    assert small["data"][0]["text"][1] == "<1%" == D.share(0.003)
    assert small["data"][0]["constraintext"] == "none"  # not shrunk to a narrow bar's width
    # the other "<1%" are left out: eight of them side by side ran into each other at 1024 px
    assert small["data"][0]["text"][2:] == [""] * 8
    assert D.guess_figure(np.array([0.5, 0.3, 0.15, 0.05] + [0.0] * 6), range(10))[
        "data"][0]["text"][:5] == ["50%", "30%", "15%", "5%", ""]


def test_the_guess_cards_sit_in_one_wrapping_row_and_a_small_share_reads_below_1_percent():
    proba = np.array([0.996, 0.003] + [0.000125] * 8)
    html = D.guesses_html(proba)
    assert "flex-wrap:wrap" in html and html.count("class='np-guess'") == 2
    assert ">100%<" in html and "&lt;1%" not in html and "><1%<" in html  # not "0%"
    assert D.share(0.004) == "<1%" and D.share(0.006) == "1%" and D.share(0.0) == "0%"


def test_confusion_counts_rows_true_columns_guessed():
    cm = D.confusion([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], n_classes=3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    right, wrong, text = D.confusion_figure(cm, range(3))["data"]
    assert np.isnan(right["z"][0, 1]) and right["z"][2, 2] == 2
    assert np.isnan(wrong["z"][1, 1]) and wrong["z"][0, 1] == 1
    assert text["texttemplate"] == "%{z:.0f}"
    # square cells shrink the axes' domain, not stretch their range: no gap between the digit
    # labels and the cells in a wide column (a browser review saw one about 130 px wide)
    layout = D.confusion_figure(cm, range(3))["layout"]
    assert layout["xaxis"]["constrain"] == layout["yaxis"]["constrain"] == "domain"
    assert layout["xaxis"]["constraintoward"] == "left"


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


def test_a_mosaic_that_keeps_its_columns_keeps_its_tiles_small():
    one = [np.ones((8, 8))]
    wide = D.mosaic_figure(one, cols=16, width=900)
    kept = D.mosaic_figure(one, cols=16, width=900, shrink=False)
    assert wide["data"][0]["z"].shape[1] == 8 and wide["layout"]["height"] > 800
    assert kept["data"][0]["z"].shape[1] == 16 * 9 - 1 and kept["layout"]["height"] < 80


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


def test_softmax_in_three_steps_ends_with_probabilities_that_sum_to_1():
    logits = np.array([2.0, -1.0, 0.5, 9.0, 0.0, 0.0, 1.0, 3.0, 4.0, -2.0])
    fig = D.softmax_figure(logits, range(10))
    f, e, p = (np.asarray(t["y"], float) for t in fig["data"])
    np.testing.assert_allclose(f, logits, rtol=1e-6)
    np.testing.assert_allclose(e, np.exp(logits - 9.0), rtol=1e-6)  # exp(f - max f): max is 1
    np.testing.assert_allclose(p, e / e.sum(), rtol=1e-6)
    assert p.sum() == pytest.approx(1.0, abs=1e-6) and p.argmax() == 3
    assert fig["data"][2]["marker"]["color"][3] == D.FIRST
    # the sum is in the third panel's title, above the bars (inside the plot it covered a 9)
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles[2] == "3. ÷ their sum: p_k<br>(Σ = 1.000)" and len(titles) == 3


def test_flow_figure_colours_units_by_activation_and_hovers_the_formula():
    rng = np.random.default_rng(0)
    coefs = [rng.normal(size=(16, 5)), rng.normal(size=(5, 10))]
    intercepts = [rng.normal(size=5), rng.normal(size=10)]
    x = rng.random(16)
    z1 = x @ coefs[0] + intercepts[0]
    h1 = np.tanh(z1)
    z2 = h1 @ coefs[1] + intercepts[1]
    p = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
    fig = D.flow_figure(x.reshape(4, 4), [z1, z2], [x, h1, p], coefs, intercepts, "tanh",
                        list(range(10)))
    kinds = [t["type"] for t in fig["data"]]
    assert "heatmap" in kinds
    units = next(t for t in fig["data"] if t.get("mode") == "markers")
    np.testing.assert_allclose(units["marker"]["color"], h1, rtol=1e-5)
    assert "unit 1" in units["text"][0] and "tanh(z)" in units["text"][0]
    assert f"{z1[0]:.2f}" in units["text"][0]
    outputs = fig["data"][-1]
    assert outputs["text"] == [str(k) for k in range(10)] and "no activation" in outputs["hovertext"][0]
    np.testing.assert_allclose(outputs["marker"]["color"], p, rtol=1e-5)
    lines = [t for t in fig["data"] if t.get("mode") == "lines"]
    assert lines and sum(len(t["x"]) for t in lines) // 3 <= 5 * 3 + 10 * 4
    # no line crosses the drawing (Plotly draws a heatmap under the lines): those from the
    # input leave the image's right edge, each at its pixel's height
    image = next(t for t in fig["data"] if t["type"] == "heatmap")
    right = max(image["x"]) + (image["x"][1] - image["x"][0]) / 2
    xs = [x for t in lines for x in t["x"] if x is not None]
    assert min(xs) == pytest.approx(right)
    starts = {round(y, 9) for t in lines for x, y in zip(t["x"], t["y"])
              if x is not None and abs(x - right) < 1e-9}
    assert starts and starts <= {round(float(y), 9) for y in image["y"]}


def test_a_clickable_confusion_matrix_puts_a_marker_on_every_cell():
    cm = D.confusion([0, 1, 2, 2], [0, 2, 2, 1], n_classes=3)
    fig = D.confusion_figure(cm, range(3), clickable=True)
    cells = fig["data"][-1]
    assert cells["type"] == "scatter" and len(cells["x"]) == 9
    i = cells["customdata"].index([1, 2, 1])  # true 1, guessed 2, once
    assert (cells["x"][i], cells["y"][i]) == ("2", "1")
    assert "hovertemplate" not in fig["data"][2]  # the counts' layer does not hover twice


def test_mistakes_of_one_cell_or_all():
    from types import SimpleNamespace
    from ui import digit_views as V

    class Guess:
        def predict(self, X):
            return X[:, 0].astype(int)
    y = np.array([0, 1, 2, 3, 3, 5, 7, 7])
    guesses = np.array([0, 1, 2, 5, 5, 5, 1, 7])
    split = SimpleNamespace(X_test=guesses[:, None].astype(float), y_test=y,
                            test_images=np.zeros((8, 4, 4)))
    confusion, wrong = V.mistakes(Guess(), split)
    assert "<br>3 of 8 wrong:" in confusion["layout"]["title"]["text"]
    assert len(wrong["layout"]["annotations"]) == 3
    _, cell = V.mistakes(Guess(), split, cell=(3, 5))
    assert [a["text"] for a in cell["layout"]["annotations"]] == ["3→5", "3→5"]
    assert cell["layout"]["title"]["text"].startswith("True 3, guessed 5: 2 of 2")
    assert V.mistakes(Guess(), split, cell=(2, 9))[1] is None


def test_the_digit_pages_words_hold_for_every_setting():
    # A browser review read "its weights form a 8x8 picture", "log P(2) rose by -4.26 from a
    # blank pad", and "Every hidden unit's output h = g(Wᵀx + b)" over three layers' bars.
    from ui import digit_views as V
    assert "form an 8x8 picture" in V.weights_text(16, 64, (8, 8))
    assert "form a 28x28 picture" in V.weights_text(16, 64, (28, 28))
    assert V.change(-4.257) == "fell by 4.26" and V.change(1.2) == "rose by 1.20"
    assert "g(Wᵀx + b)" in V.hidden_title(1) and "layer" not in V.hidden_title(1)
    assert "layer 1, then g(Wᵀh + b)" in V.hidden_title(3)


def test_the_curves_up_to_a_step_are_an_earlier_frame_of_the_same_curves():
    from ui import digit_views as V
    from ui.history import History
    histories = {"MLP": History(), "logistic regression": History()}
    for step in range(0, 50, 10):
        for h in histories.values():
            h.add(step=step, train_loss=1.0 / (step + 1), test_loss=None,
                  train_accuracy=step / 50, test_accuracy=None)
    whole, earlier = V.curves(histories, "t"), V.curves(histories, "t", upto=20)
    assert len(whole["data"]) == len(earlier["data"])
    for a, b in zip(whole["data"], earlier["data"]):
        xa, xb = np.asarray(a["x"], float), np.asarray(b["x"], float)
        assert len(xa) == 5 and len(xb) == 3 and np.array_equal(xa[:3], xb)
