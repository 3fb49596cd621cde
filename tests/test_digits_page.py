"""The draw-a-digit page headless (AppTest): it trains, and a drawing put in session state is read.

The pad is a custom component, which AppTest cannot drive; the page reads the drawn RGBA image
from ``st.session_state["digits_drawing"]``, so a test puts a 280x280x4 array there instead.
"""
import re
from pathlib import Path

import numpy as np
import pytest
import streamlit as st

from apptest_helpers import live_figure, open_page
from local_data import MNIST_SKIP_REASON, mnist_folder

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages" / "digits.py")


def app():
    return open_page("app_pages/digits.py", timeout=120)


def status(at):
    """The live status line ("**label** value &nbsp;·&nbsp; ...") as {label: value}."""
    for md in at.markdown:
        if md.value.startswith("**step**"):
            return dict(re.findall(r"\*\*(.+?)\*\* ([^&]+?)(?: &nbsp;|$)", md.value))
    return {}


def percent(value):
    return float(value.rstrip("%")) / 100


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
    assert timing and re.search(r"classified in \d+ ms", timing[0])  # (the time: benchmarks)
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
    assert any("restarted" in c.value for c in at.caption)


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


@pytest.mark.skipif(mnist_folder() is None, reason=MNIST_SKIP_REASON)
def test_mnist_from_a_local_copy_with_a_training_subset(monkeypatch):
    monkeypatch.setenv("NEURAL_PLAYGROUND_MNIST", str(mnist_folder()))
    at = app()
    at.radio(key="digits_source").set_value("mnist").run()
    assert not at.exception, [e.value for e in at.exception]
    data = " ".join(c.value for c in at.caption)
    assert "Data: MNIST 28x28" in data and "local copy" in data
    assert "a random 5,000 of its 60,000 training images" in data
    at.select_slider(key="digits_n").set_value(1000).run()
    run = at.session_state["digits"]
    assert run.trainers["MLP"].X.shape == (1000, 784)
    at.button(key="digits_step").click().run()
    assert status(at)["step"] == "10" and "missed of 1,000" in status(at)
    at.session_state["digits_drawing"] = ONE
    at.run()
    steps = next(m.value for m in at.markdown if "data:image/png;base64" in m.value)
    assert "model input 28x28" in steps and guesses(at) is not None


# ---- settings in the URL -------------------------------------------------------------------------
LINK = {"n": "400", "seed": "7", "layers": "2", "hidden": "32", "activation": "sigmoid",
        "lr": "0.3", "batch": "32", "epochs": "12", "speed": "5"}


def opened(params):
    """The page opened from a link with these query parameters."""
    return open_page("app_pages/digits.py", params, timeout=120)


def query(at, name):
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def test_a_link_sets_the_widgets_and_reproduces_data_and_initial_weights():
    a, b = opened(LINK), opened(LINK)
    assert a.select_slider(key="digits_n").value == 400
    assert a.number_input(key="digits_seed").value == 7
    assert (a.slider(key="digits_layers").value, a.select_slider(key="digits_hidden").value,
            a.radio(key="digits_activation").value) == (2, 32, "sigmoid")
    assert (a.select_slider(key="digits_lr").value, a.select_slider(key="digits_batch").value,
            a.slider(key="digits_epochs").value, a.slider(key="digits_speed").value) == \
        (0.3, 32, 12, 5)
    assert status(a)["epoch"] == "0.0 of 12"
    mlp_a, mlp_b = (at.session_state["digits"].trainers["MLP"] for at in (a, b))
    assert (mlp_a.model.learning_rate, mlp_a.model.batch_size) == (0.3, 32)
    assert [W.shape for W in mlp_a.model.coefs_] == [(64, 32), (32, 32), (32, 10)]
    assert mlp_a.X.shape == (400, 64)
    np.testing.assert_array_equal(mlp_a.X, mlp_b.X)  # the same training subset
    for Wa, Wb in zip(mlp_a.model.coefs_ + mlp_a.model.intercepts_,
                      mlp_b.model.coefs_ + mlp_b.model.intercepts_):
        np.testing.assert_array_equal(Wa, Wb)  # the same initial weights
    # the seed in the link is what fixed them: another seed starts elsewhere
    other = opened(dict(LINK, seed="8")).session_state["digits"].trainers["MLP"].model
    assert not np.array_equal(other.coefs_[0], mlp_a.model.coefs_[0])
    # and the page keeps the URL up to date
    assert query(a, "seed") == "7" and query(a, "source") == "digits8"
    a.number_input(key="digits_seed").set_value(9).run()
    assert query(a, "seed") == "9"


@pytest.mark.skipif(mnist_folder() is None, reason=MNIST_SKIP_REASON)
def test_a_link_to_mnist_sets_its_training_subset(monkeypatch):
    monkeypatch.setenv("NEURAL_PLAYGROUND_MNIST", str(mnist_folder()))
    at = opened({"source": "mnist", "n": "2000", "seed": "4", "hidden": "16"})
    assert at.radio(key="digits_source").value == "mnist"
    assert at.select_slider(key="digits_n").value == 2000
    mlp = at.session_state["digits"].trainers["MLP"]
    assert mlp.X.shape == (2000, 784) and mlp.model.coefs_[0].shape == (784, 16)
    assert (query(at, "source"), query(at, "n")) == ("mnist", "2000")


def test_invalid_link_settings_are_ignored_with_a_notice():
    at = opened({"hidden": "999", "lr": "banana", "source": "floppy", "n": "5", "layers": "2",
                 "seed": "3"})
    assert at.select_slider(key="digits_hidden").value == 64  # the defaults
    assert at.select_slider(key="digits_lr").value == 0.1
    assert at.radio(key="digits_source").value == "digits8"
    assert at.select_slider(key="digits_n").value == 1347
    assert at.slider(key="digits_layers").value == 2
    assert at.number_input(key="digits_seed").value == 3
    notice = " ".join(t.value for t in at.toast)
    assert "Ignored invalid link settings" in notice
    assert all(name in notice for name in ("hidden", "lr", "source", "n"))
    at.button(key="digits_step").click().run()
    assert not at.exception and status(at)["step"] == "10"


# ---- a learning rate of 10 -----------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_learning_rate_10_diverges_says_so_and_reset_starts_again():
    at = app()
    assert at.select_slider(key="digits_lr").options[-1] == "10"
    # three relu layers at eta = 10 overflow within the first few steps on the 8x8 digits
    at.select_slider(key="digits_lr").set_value(10.0)
    at.radio(key="digits_activation").set_value("relu")
    at.slider(key="digits_layers").set_value(3).run()
    at.button(key="digits_play").click().run()
    for _ in range(20):
        if at.error:
            break
        at.run()  # one tick of the live fragment
    assert not at.exception, [e.value for e in at.exception]
    message = " ".join(e.value for e in at.error)
    assert re.search(r"diverged at step \d+", message), message
    assert "smaller learning rate" in message and "Reset" in message
    run = at.session_state["digits"]
    assert not run.running and run.error
    assert at.button(key="digits_play").disabled and at.button(key="digits_step").disabled

    at.session_state["digits_drawing"] = ONE  # the drawing gets an explanation, not a crash
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("cannot answer" in w.value for w in at.warning)

    at.button(key="digits_reset").click().run()
    assert not at.exception
    assert not at.error and at.session_state["digits"].error is None
    assert status(at)["step"] == "0" and not at.button(key="digits_play").disabled


def test_learning_rate_10_with_sigmoid_runs_without_an_exception():
    at = app()
    at.select_slider(key="digits_lr").set_value(10.0)
    at.radio(key="digits_activation").set_value("sigmoid").run()
    for _ in range(3):
        at.button(key="digits_step").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error and status(at)["step"] == "30"
