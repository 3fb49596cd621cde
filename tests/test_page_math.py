"""The math the pages show, reached without a browser: core's page math (hidden space, one
example's unit values, the hill's axes, the hand-stepped network, the digits split) and the
view builders that turn it into LaTeX, tables and figures."""
import numpy as np
import pytest

from core import (LogisticRegression, MLPClassifier, Trainer, load_digits8, make_dataset, make_grid,
                  xor_by_hand)
from core.datasets import digit_split
from core.errors import TrainingDiverged
from core.handnet import data_loss, example_update, network, overshoot_etas, undo
from core.hidden import hidden_space, unit_values
from core.hill import hill_axis
from core.ledger import ledger, trace
from core.logistic import add_intercept, log_likelihood_gradient
from core.mlp import backprop, init_weights, weights_dict
from ui import backprop_views as BV
from ui import logistic_views as LV
from ui import xor_views as XV
from ui.numbers import num, tex


# ---- hidden space and unit values -------------------------------------------------------------
@pytest.mark.parametrize("m", [1, 2, 4, 9])
def test_hidden_space_puts_every_point_on_its_own_side_of_the_output_boundary(m):
    rng = np.random.default_rng(m)
    H, w, b = rng.normal(size=(200, m)), rng.normal(size=m), 0.3
    space = hidden_space(H, w, b)
    z = H @ w + b
    np.testing.assert_allclose(space.u * np.linalg.norm(w), z, atol=1e-12)  # u = z / |w|
    assert np.array_equal(np.sign(space.u), np.sign(z))  # exact for every point, any width
    assert abs(space.direction @ w) < 1e-10  # v runs across w
    if m == 1:
        assert not space.v.any() and space.spread == 1.0
    else:  # v is the widest spread across w: no unit direction across w spreads more
        across = (H - H.mean(axis=0)) @ (np.eye(m) - np.outer(w, w) / (w @ w))
        for _ in range(20):
            d = rng.normal(size=m)
            d -= (d @ w) / (w @ w) * w
            d /= np.linalg.norm(d)
            assert np.var(across @ d) <= np.var(space.v) + 1e-9
        assert 0 < space.spread <= 1 and (m > 2 or space.spread == 1.0)


def test_hidden_space_refuses_an_output_without_weights():
    with pytest.raises(ValueError, match="all zero"):
        hidden_space(np.ones((3, 2)), np.zeros(2), 0.0)


def test_unit_values_are_each_units_weighted_input_and_output():
    coefs, intercepts = init_weights([2, 3, 3, 1], "tanh", np.random.default_rng(0))
    x = np.array([0.4, -1.2])
    zs, hs = unit_values(x, coefs, intercepts, "tanh")
    a = x
    for l, (W, b) in enumerate(zip(coefs, intercepts)):
        z = a @ W + b
        a = np.tanh(z) if l < 2 else 1 / (1 + np.exp(-z))
        np.testing.assert_allclose(zs[l], z, atol=1e-12)
        np.testing.assert_allclose(hs[l], a, atol=1e-12)


# ---- the likelihood hill ---------------------------------------------------------------------
def test_hill_axis_covers_the_path_and_the_top_when_it_is_near():
    path = np.array([0.0, 0.5, 1.2])
    axis = hill_axis(path, best=2.0)
    assert axis[0] < 0 and axis[-1] > 2.0 and np.all(np.diff(axis) > 0)
    far = hill_axis(path, best=1e6)
    assert far[-1] < 10  # a top far away (separable data) does not flatten the picture
    assert np.array_equal(hill_axis(path, best=np.nan), hill_axis(path))


# ---- one example's update on the backpropagation page's network ---------------------------------------
def hand_net(hidden=2, activation="sigmoid", weights=None):
    X, y = make_dataset("xor", 40, 0.1, random_state=2)
    model = MLPClassifier((hidden,), activation=activation, learning_rate=1.0, batch_size=None,
                          max_iter=10**9, tol=0, random_state=2)
    trainer = Trainer(model, X, y, weights=weights)
    return model, trainer, X, y


def test_an_update_climbs_the_examples_likelihood_and_undo_takes_it_back():
    model, _, X, y = hand_net()
    start = model.get_weights()
    update = example_update(model, X, y, 3, 0.1)
    assert update.loss_after < update.loss_before and update.example_improved
    coefs, intercepts = network(model)
    assert ledger(X[3], y[3], coefs, intercepts).loss == pytest.approx(update.loss_after)
    assert update.data_loss_after == pytest.approx(data_loss(coefs, intercepts, "sigmoid", X, y))
    undo(model, update)
    for name, w in start.items():
        np.testing.assert_array_equal(model.get_weights()[name], w)


def test_a_diverging_update_changes_nothing():
    huge = {"coef_0": np.array([[1e160, -1e160], [1e160, -1e160]]),
            "coef_1": np.array([[1.0], [-1.0]]), "intercept_0": np.zeros(2),
            "intercept_1": np.zeros(1)}
    model, _, X, y = hand_net(activation="relu", weights=huge)
    wrong = int(np.flatnonzero((X.sum(axis=1) > 0) != (y == 1))[0])
    with np.errstate(all="ignore"), pytest.raises(TrainingDiverged, match="learning rate 30"):
        example_update(model, X, y, wrong, 30.0)
    assert model.get_weights()["coef_0"][0, 0] == 1e160


def test_where_one_examples_step_starts_to_overshoot():
    model, _, X, y = hand_net(hidden=4, activation="tanh")
    own, data = overshoot_etas(model, X, y, 5)
    assert data is not None
    coefs, intercepts = network(model)
    before = data_loss(coefs, intercepts, "tanh", X, y)
    update = example_update(model, X, y, 5, data * 1.5)
    assert update.data_loss_after > before  # past the reported step size, the data set's rose
    assert own is None or own >= data


def test_the_lectures_or_and_network_already_solves_xor():
    model, trainer, X, y = hand_net(weights=weights_dict(*xor_by_hand()))
    assert trainer.snapshot().train_accuracy > 0.95


def test_the_sensitivity_trace_equals_backprop_at_every_depth():
    rng = np.random.default_rng(0)
    for sizes in ([2, 3, 1], [2, 4, 3, 1], [2, 2, 2, 2, 1]):
        coefs, intercepts = init_weights(sizes, "tanh", rng)
        x = rng.normal(size=2)
        tr = trace(x, 1, coefs, intercepts, "tanh")
        gW, gb = backprop(x[None], np.array([[1.0]]), coefs, intercepts, "tanh")
        for a, b in zip(tr.coef_grads + tr.intercept_grads, gW + gb):
            np.testing.assert_allclose(a, b, atol=1e-15)
        assert tr.deltas[-1][0] == pytest.approx(tr.y_hat - 1)


# ---- the digits split --------------------------------------------------------------------------
def test_the_digit_split_is_stratified_read_only_and_repeatable():
    d = load_digits8()
    a, b = digit_split(d, 800, 3), digit_split(d, 800, 3)
    assert a.X_train.shape == (800, 64) and a.X_test.shape == (450, 64)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not a.X_train.flags.writeable and not a.test_images.flags.writeable
    assert set(np.unique(a.y_test)) == set(range(10))
    assert a.X_train.max() <= 1.0 and a.test_images.shape == (450, 8, 8)


# ---- view builders ------------------------------------------------------------------------------
def test_the_logistic_math_block_shows_the_gradient_that_training_uses():
    X, y = make_dataset("overlapping", 60, 0.3, random_state=0)
    model = LogisticRegression(learning_rate=0.3, max_iter=10**9, tol=0)
    trainer = Trainer(model, X, y)
    snap = trainer.run(15)
    theta = snap.theta[:, 0]
    intro, lines = LV.point_math(theta, X, y, 5)
    assert "#5" in intro and f"&= {tex(theta @ np.r_[1.0, X[5]])}" in lines[0]
    # the step just taken: the gradient at the theta before it, and the update to the theta now
    before = model.last_step_[0]
    grad = log_likelihood_gradient(before, add_intercept(X), y.reshape(-1, 1).astype(float))
    head, lines = LV.step_math(model, X, y, 0.3, 0.0, snap.step)
    assert "step 15" in head and "full batch" in head
    assert ", ".join(tex(g) for g in grad[:, 0]) in lines[1]
    assert ", ".join(tex(t) for t in theta) in lines[3]
    table = LV.pull_table(theta, X, y)
    assert len(table["point"]) == 8 and table["pull on θ₀"][0].lstrip("−") != "0"


def test_the_xor_hidden_space_caption_says_where_the_picture_stops():
    X, y = make_dataset("xor", 80, 0.1, random_state=0)
    trainer = Trainer(MLPClassifier((5,), activation="tanh", learning_rate=0.3, batch_size=16,
                                    max_iter=10**9, tol=0, random_state=0), X, y,
                      grid=make_grid(X, 20))
    snap = trainer.run(50)
    fig, caption = XV.hidden_space_view(snap, X, y, "tanh", ["class 0", "class 1"])
    assert "5 hidden units" in caption and "of the spread across w" in caption
    assert fig["layout"]["xaxis"]["title"]["text"].startswith("u = z / ‖w‖")


def test_the_backprop_tables_carry_the_ledgers_numbers():
    model, _, X, y = hand_net(hidden=3)
    coefs, intercepts = network(model)
    book = ledger(X[7], y[7], coefs, intercepts)
    Y = y.reshape(-1, 1).astype(float)
    table = BV.every_weight(X, Y, coefs, intercepts, "sigmoid", 7, book)
    assert table["∂LL/∂θ (ledger)"] == table["−∂J/∂θ (core.mlp.backprop)"]
    gW, _ = backprop(X[7:8], Y[7:8], coefs, intercepts, "sigmoid")
    assert table["∂LL/∂θ (ledger)"][1] == num(-gW[1][0, 0], 6)
    forward = BV.forward_latex(book, "sigmoid")
    assert len(forward) == 1 + 3 + 1 + 1 and tex(book.y_hat) in forward[-2]


def test_the_graph_view_steps_back_to_db():
    figure, message, chain, closing, n = BV.graph_view({"a": 3.0, "b": 1.0, "c": -2.0}, 6)
    assert n == 6 and len(chain) == 6 and message.startswith("**Step 6 of 6:** ∂L/∂b = −4")
    assert "∂L/∂b = 2c = −4" in closing
