"""The math the pages show, reached without a browser: core's page math (hidden space, one
example's unit values, the hill's axes, the hand-stepped network, the digits split) and the
view builders that turn it into LaTeX, tables and figures."""
import numpy as np
import pytest

from core import LogisticRegression, MLPClassifier, Trainer, load_digits8, make_dataset, make_grid
from core.datasets import digit_split
from core.errors import TrainingDiverged
from core.handnet import HandNetwork
from core.hidden import hidden_space, unit_values
from core.hill import hill_axis
from core.ledger import ledger
from core.logistic import add_intercept, log_likelihood_gradient
from core.mlp import backprop, init_weights
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


# ---- the hand-stepped network of the backpropagation page ------------------------------------
def hand_net(**kw):
    X, y = make_dataset("xor", 40, 0.1, random_state=2)
    return HandNetwork(X, y, **kw)


def test_training_lowers_the_loss_and_counts_the_steps():
    net = hand_net(hidden=4, activation="tanh")
    before = net.loss()
    net.train(300, 1.0)
    assert net.loss() < before and net.steps == 300


def test_an_update_climbs_the_examples_likelihood_and_undo_takes_it_back():
    net = hand_net()
    coefs = [W.copy() for W in net.coefs]
    update = net.update(3, 0.1)
    assert update.loss_after < update.loss_before and net.n_updates == 1
    book = ledger(net.X[3], net.y[3], net.coefs, net.intercepts)
    assert book.loss == pytest.approx(update.loss_after)
    assert update.data_loss_before == pytest.approx(hand_net().loss())
    assert net.undo() is update and net.undo() is None
    for a, b in zip(net.coefs, coefs):
        np.testing.assert_array_equal(a, b)
    assert net.n_updates == 0


def test_a_diverging_update_changes_nothing():
    net = hand_net(activation="relu")
    net.coefs = [np.array([[1e160, -1e160], [1e160, -1e160]]), np.array([[1.0], [-1.0]])]
    net.intercepts = [np.zeros(2), np.zeros(1)]
    wrong = int(np.flatnonzero((net.X.sum(axis=1) > 0) != (net.y == 1))[0])
    with np.errstate(all="ignore"), pytest.raises(TrainingDiverged, match="learning rate 30"):
        net.update(wrong, 30.0)
    assert net.coefs[0][0, 0] == 1e160 and net.last_update is None


def test_the_lectures_or_and_network_already_solves_xor():
    net = hand_net(start="or_and")
    assert [W.shape for W in net.coefs] == [(2, 2), (2, 1)] and net.accuracy() > 0.95


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
    intro, lines = LV.point_math(theta, X, y, 5, snap.train_loss)
    grad = log_likelihood_gradient(snap.theta, add_intercept(X), y.reshape(-1, 1).astype(float))
    assert "#5" in intro
    for j in range(3):
        assert rf"\partial \theta_{j}}} = {tex(grad[j, 0])}" in lines[3]
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
    net = hand_net(hidden=3)
    book = ledger(net.X[7], net.y[7], net.coefs, net.intercepts)
    table = BV.every_weight(net, 7, book)
    assert table["∂LL/∂θ (ledger)"] == table["−∂J/∂θ (core.mlp.backprop)"]
    gW, _ = backprop(net.X[7:8], net.Y[7:8], net.coefs, net.intercepts, "sigmoid")
    assert table["∂LL/∂θ (ledger)"][1] == num(-gW[1][0, 0], 6)
    forward = BV.forward_latex(book, "sigmoid")
    assert len(forward) == 1 + 3 + 1 + 1 and tex(book.y_hat) in forward[-2]


def test_the_graph_view_steps_back_to_db():
    figure, message, chain, closing, n = BV.graph_view({"a": 3.0, "b": 1.0, "c": -2.0}, 6)
    assert n == 6 and len(chain) == 6 and message.startswith("**Step 6 of 6:** ∂L/∂b = −4")
    assert "∂L/∂b = 2c = −4" in closing
