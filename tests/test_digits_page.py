"""The draw-a-digit page headless (AppTest): it trains, and a drawing put in session state is read.

The pad is a custom component, which AppTest cannot drive; the page reads the drawn RGBA image
from ``st.session_state["digits_drawing"]``, so a test puts a 280x280x4 array there instead.
"""
import json
import re
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages" / "digits.py")
MNIST_DIR = Path("/work/shared/data")


def app():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def status(at):
    """The live status line ("**label** value &nbsp;·&nbsp; ...") as {label: value}."""
    for md in at.markdown:
        if md.value.startswith("**step**"):
            return dict(re.findall(r"\*\*(.+?)\*\* ([^&]+?)(?: &nbsp;|$)", md.value))
    return {}


def percent(value):
    return float(value.rstrip("%")) / 100


def live_figure(at, key):
    """The figure a live_chart with this key sent."""
    for el in at.get("bidi_component"):
        data = json.loads(el.proto.json)
        if data.get("key") == key:
            return json.loads(data["figure"])
    raise KeyError(key)


def guesses(at):
    """(first, second) guesses from the page's two guess cards, or None without an answer."""
    cards = [m.value for m in at.markdown if "np-guess" in m.value]
    if not cards:
        return None
    return tuple(int(re.search(r"font-weight:700[^>]*>(\d)<", c).group(1)) for c in cards)


def pad(draw):
    """A 280x280 RGBA drawing like the pad sends: opaque black, white ink where draw(yy, xx)."""
    yy, xx = np.mgrid[0:280, 0:280]
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[draw(yy, xx), :3] = 255
    return rgba


ONE = pad(lambda yy, xx: (abs(xx - 140) < 10) & (yy > 40) & (yy < 240))
ZERO = pad(lambda yy, xx: abs(np.hypot((yy - 140) / 100, (xx - 140) / 60) - 1) < 0.12)
EMPTY = pad(lambda yy, xx: yy < 0)


def train(at, accuracy=0.9, ticks=60):
    """Play until the MLP's test accuracy passes ``accuracy``, then pause."""
    at.button(key="digits_play").click().run()
    for _ in range(ticks):
        at.run()  # one tick of the live fragment
        if percent(status(at)["MLP test accuracy"]) > accuracy:
            break
    at.button(key="digits_pause").click().run()
    return percent(status(at)["MLP test accuracy"])


def test_page_runs_says_which_data_and_prompts_for_a_drawing():
    at = app()
    data = " ".join(c.value for c in at.caption)
    assert "Data: 8x8 digits" in data and "bundled" in data and "1,347 training and 450 test" in data
    assert status(at)["step"] == "0" and status(at)["epoch"] == "0.0 of 30"
    assert any("Draw a digit on the black pad" in i.value for i in at.info)
    assert guesses(at) is None
    assert [h.value for h in at.subheader][:2] == ["✏️ Draw, and the network guesses",
                                                 "🔬 Looking inside the network"]


def test_step_and_play_train_both_models():
    at = app()
    at.button(key="digits_step").click().run()
    assert status(at)["step"] == "10"
    accuracy = train(at)
    s = status(at)
    assert accuracy > 0.9 and int(s["step"].replace(",", "")) > 10
    assert not at.session_state["digits"].running
    assert percent(s["logistic regression"]) > 0.5  # trained beside it, on the same steps
    curves = live_figure(at, "digits_chart_curves")
    names = {t["name"] for t in curves["data"]}
    assert {"MLP train", "MLP test", "logistic regression train", "logistic regression test"} <= names
    assert at.get("progress")[0].proto.value > 0
    paused = s["step"]
    at.run()
    assert status(at)["step"] == paused
    assert not at.exception


def test_a_drawing_in_session_state_is_classified():
    at = app()
    train(at)
    at.session_state["digits_drawing"] = ONE
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    first, second = guesses(at)
    assert first == 1 and second != 1
    bars = live_figure(at, "digits_chart_proba")["data"][0]
    assert bars["x"] == [str(k) for k in range(10)] and bars["marker"]["color"][1] == "#2e6fd8"
    timing = [c.value for c in at.caption if "classified in" in c.value]
    assert timing and int(re.search(r"classified in (\d+) ms", timing[0]).group(1)) < 200
    table = next(m.value for m in at.markdown if m.value.startswith("| model"))
    assert "softmax logistic regression (ours)" in table
    # the preprocessing steps, the hidden units and the saliency maps for the drawing
    steps = next(m.value for m in at.markdown if "data:image/png;base64" in m.value)
    assert steps.count("<img") == 5 and "model input 8x8" in steps
    hidden = live_figure(at, "digits_chart_hidden")
    assert len(hidden["data"]) == 1 and len(hidden["data"][0]["x"]["bdata"]) > 0
    saliency = live_figure(at, "digits_chart_saliency")
    assert [a["text"] for a in saliency["layout"]["annotations"]][0] == "1: first guess"

    at.session_state["digits_drawing"] = ZERO
    at.run()
    assert guesses(at)[0] == 0


def test_an_empty_drawing_gets_a_prompt_not_an_error():
    at = app()
    at.session_state["digits_drawing"] = EMPTY
    at.run()
    assert not at.exception
    assert any("The pad is empty" in i.value for i in at.info)
    assert guesses(at) is None


def test_a_diverged_network_cannot_answer_and_says_so():
    at = app()
    at.button(key="digits_step").click().run()
    model = at.session_state["digits"].trainers["MLP"].model
    model.coefs_[0][:] = np.nan  # what a too-large learning rate leaves behind
    at.session_state["digits_drawing"] = ONE
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("cannot answer" in w.value for w in at.warning)


def test_looking_inside_weights_confusion_and_mistakes():
    at = app()
    train(at)
    weights = live_figure(at, "digits_chart_weights")["data"][0]
    assert weights["type"] == "heatmap" and weights["zmin"] == -1
    rows, cols = map(int, weights["z"]["shape"].split(", "))
    assert (rows, cols) == (4 * 9, 16 * 9 - 1)  # 64 units of 8x8 in 4 rows of 16, 1-pixel gaps
    confusion = live_figure(at, "digits_chart_confusion")
    counts = np.frombuffer(__import__("base64").b64decode(confusion["data"][2]["z"]["bdata"]),
                           np.float32)
    assert counts.sum() == 450
    missed = int(status(at)["missed of 450"].split(",")[0].split()[1])
    title = confusion["layout"]["title"]["text"]
    assert f"({missed} of 450 wrong)" in title
    if missed:
        mistakes = live_figure(at, "digits_chart_mistakes")
        assert len(mistakes["layout"]["annotations"]) == min(missed, 24)
        assert re.fullmatch(r"\d → \d", mistakes["layout"]["annotations"][0]["text"])


def test_architecture_change_restarts_and_learning_rate_does_not():
    at = app()
    at.button(key="digits_step").click().run()
    at.select_slider(key="digits_lr").set_value(0.3).run()
    assert status(at)["step"] == "10"
    assert at.session_state["digits"].trainers["MLP"].model.learning_rate == 0.3
    at.slider(key="digits_layers").set_value(2).run()
    assert status(at)["step"] == "0"
    shapes = [w.shape for w in at.session_state["digits"].trainers["MLP"].model.coefs_]
    assert shapes == [(64, 64), (64, 64), (64, 10)]
    assert any("restarted" in i.value for i in at.info)


def test_scikit_learn_baselines_on_request_and_their_guesses():
    at = app()
    assert len(at.dataframe) == 0  # nothing is computed at page load
    at.button(key="digits_sk_fit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[-1].value
    assert list(table["model"]) == ["MLP (ours, live)", "softmax logistic regression (ours, live)",
                                    "scikit-learn MLPClassifier",
                                    "scikit-learn LogisticRegression"]
    assert percent(table["test accuracy"].iloc[2]) > 0.9
    assert re.fullmatch(r"\d+\.\d\d s for \d+ epochs", table["training time"].iloc[2])
    at.session_state["digits_drawing"] = ONE
    at.run()
    guesses_table = next(m.value for m in at.markdown if m.value.startswith("| model"))
    assert "scikit-learn MLPClassifier" in guesses_table
    assert "scikit-learn LogisticRegression" in guesses_table


def no_internet(*args, **kwargs):
    raise OSError("no network in this test")


def test_mnist_unavailable_explains_and_stays_on_8x8(monkeypatch, tmp_path):
    st.cache_resource.clear()  # forget a copy another test may have loaded
    monkeypatch.setenv("NEURAL_PLAYGROUND_MNIST", str(tmp_path))  # an empty folder: no copy
    at = app()
    at.radio(key="digits_source").set_value("mnist").run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "MNIST is not available" in warning and "NEURAL_PLAYGROUND_MNIST" in warning
    assert at.button(key="digits_download").label.startswith("⬇️ Download MNIST")
    assert any("Data: 8x8 digits" in c.value for c in at.caption)
    at.session_state["digits_drawing"] = ONE
    at.run()
    assert not at.exception and guesses(at) is not None  # the 8x8 page still works

    # downloading is tried only when asked, and a failure is explained, not raised
    import sklearn.datasets
    monkeypatch.setattr(sklearn.datasets, "fetch_openml", no_internet)
    at.button(key="digits_download").click().run()
    assert not at.exception, [e.value for e in at.exception]
    warning = " ".join(w.value for w in at.warning)
    assert "could not be downloaded (no network in this test)" in warning
    assert any("Data: 8x8 digits" in c.value for c in at.caption)


@pytest.mark.skipif(not (MNIST_DIR / "mnist.npz").is_file(), reason="no local MNIST copy")
def test_mnist_from_a_local_copy_with_a_training_subset(monkeypatch):
    monkeypatch.setenv("NEURAL_PLAYGROUND_MNIST", str(MNIST_DIR))
    at = app()
    at.radio(key="digits_source").set_value("mnist").run()
    assert not at.exception, [e.value for e in at.exception]
    data = " ".join(c.value for c in at.caption)
    assert "Data: MNIST 28x28" in data and "local copy" in data
    assert "a random 5,000 of its 60,000 training images" in data
    at.select_slider(key="digits_n_mnist").set_value(1000).run()
    run = at.session_state["digits"]
    assert run.trainers["MLP"].X.shape == (1000, 784)
    at.button(key="digits_step").click().run()
    assert status(at)["step"] == "10" and "missed of 1,000" in status(at)
    at.session_state["digits_drawing"] = ONE
    at.run()
    steps = next(m.value for m in at.markdown if "data:image/png;base64" in m.value)
    assert "model input 28x28" in steps and guesses(at) is not None
