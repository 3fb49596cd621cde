"""Saving the draw-a-digit page's MLP and loading it back (headless, AppTest), through the
page's own uploader."""
import numpy as np
import pytest
from test_digits_page import app, status

from core import MLPClassifier, Trainer
from core.persistence import to_json, to_npz

# the page's defaults on the bundled 8x8 digits, even where $NEURAL_PLAYGROUND_MNIST is set
pytestmark = pytest.mark.usefixtures("no_mnist")


def weights(model):
    return [np.array(p) for p in model.coefs_ + model.intercepts_]


def mlp(at):
    return at.session_state["digits"].trainers["MLP"].model


def inject(at, data, name="model.json"):
    """Upload a model file on the page."""
    at.file_uploader(key="digits_io_upload").set_value((name, data, "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_saved_model_loads_back_with_its_settings_and_weights():
    at = app()
    at.number_input(key="digits_seed").set_value(5)
    at.select_slider(key="digits_n").set_value(800)
    at.select_slider(key="digits_hidden").set_value(32)
    at.slider(key="digits_layers").set_value(2)
    at.radio(key="digits_activation").set_value("relu")
    at.select_slider(key="digits_lr").set_value(0.3)
    at.select_slider(key="digits_batch").set_value(32)
    at.slider(key="digits_epochs").set_value(20).run()
    for _ in range(2):
        at.button(key="digits_step").click().run()
    saved = weights(mlp(at))
    # as the page's download button makes it
    json_file = to_json(mlp(at), "digits", {"source": "digits8", "n_train": 800, "seed": 5})
    npz_file = to_npz(mlp(at), "digits", {"source": "digits8", "n_train": 800, "seed": 5})

    for data in (json_file, npz_file):
        fresh = app()  # another session, on the default settings
        inject(fresh, data)
        assert fresh.number_input(key="digits_seed").value == 5
        assert fresh.select_slider(key="digits_n").value == 800
        assert (fresh.slider(key="digits_layers").value,
                fresh.select_slider(key="digits_hidden").value,
                fresh.radio(key="digits_activation").value) == (2, 32, "relu")
        assert (fresh.select_slider(key="digits_lr").value,
                fresh.select_slider(key="digits_batch").value,
                fresh.slider(key="digits_epochs").value) == (0.3, 32, 20)
        assert status(fresh)["step"] == "0"
        for got, want in zip(weights(mlp(fresh)), saved):
            np.testing.assert_array_equal(got, want)
        assert fresh.session_state["digits__loads"] == 1  # the run was rebuilt for the file
        assert fresh.session_state["digits"].trainers["MLP"].X.shape == (800 * 11 + 5000, 64)  # defaults
        assert not fresh.session_state["digits"].running  # shown as saved, until Play

    # training goes on from them, and Reset returns to them
    fresh.button(key="digits_step").click().run()
    assert status(fresh)["step"] == "10"
    assert not np.array_equal(mlp(fresh).coefs_[0], saved[0])
    fresh.button(key="digits_reset").click().run()
    for got, want in zip(weights(mlp(fresh)), saved):
        np.testing.assert_array_equal(got, want)
    # a change of network starts from random weights again, and stays there
    fresh.select_slider(key="digits_hidden").set_value(16).run()
    assert [W.shape for W in mlp(fresh).coefs_] == [(64, 16), (16, 16), (16, 10)]
    fresh.select_slider(key="digits_hidden").set_value(32).run()
    assert not np.array_equal(mlp(fresh).coefs_[0], saved[0])
    assert not fresh.exception


def settings(at):
    """Some of the page's widget values."""
    return (at.number_input(key="digits_seed").value, at.select_slider(key="digits_hidden").value,
            at.slider(key="digits_layers").value, at.select_slider(key="digits_lr").value)


def model_file(n_features, hidden=(64,), classes=tuple(range(10)), source="mnist"):
    """A model file as the page saves it, for a network of the given shape (untrained)."""
    rng = np.random.default_rng(0)
    X = rng.random((40, n_features)).astype(np.float32)
    y = np.resize(np.array(classes), 40)
    model = MLPClassifier(hidden, activation="tanh", dtype=np.float32, random_state=0)
    Trainer(model, X, y, classes=list(classes))
    return to_json(model, "digits", {"source": source, "n_train": 1000, "seed": 1})


def test_a_model_that_does_not_fit_is_refused_and_nothing_changes():
    at = app()
    at.button(key="digits_step").click().run()
    before, widgets, stepped = weights(mlp(at)), settings(at), status(at)["step"]

    cases = [(model_file(784), ["784 inputs", "8x8 digits", "Choose **MNIST 28x28**"]),
             (model_file(64, hidden=(64, 32), source="digits8"),
              ["1-3 hidden layers of one size", "[64, 32]"]),
             (model_file(64, hidden=(100,), source="digits8"), ["hidden layers [100]"]),
             (model_file(64, classes=(0, 1, 2), source="digits8"), ["ten digits"])]
    for data, words in cases:
        inject(at, data)
        message = " ".join(e.value for e in at.error)
        assert all(w in message for w in words), message
        assert "Nothing was changed" in message
        assert status(at)["step"] == stepped  # the run goes on untouched
        for got, want in zip(weights(mlp(at)), before):
            np.testing.assert_array_equal(got, want)
        assert settings(at) == widgets
        assert "digits__loads" not in at.session_state and "digits__start" not in at.session_state
    at.file_uploader(key="digits_io_upload").set_value(None).run()
    assert not at.error  # the message belongs to the file in the uploader
