"""The backpropagation page's math: the computation graph, the one-example ledger, the
gradient check and its timing, parameter counts. All against references: hand derivatives,
core.mlp.backprop, and central finite differences."""
import numpy as np
import pytest

from core.gradcheck import (BUGGY_BACKPROPS, check_gradients, flatten, numerical_gradient,
                            parameter_names, relative_error, time_gradients)
from core.graph import backward, backward_order, evaluate, gradients, lecture_graph
from core.ledger import (ascent_step, from_thetas, ledger, parameter_counts, to_thetas)
from core.mlp import backprop
from core.mlp import init_weights, xor_by_hand


# ---- the computation graph L = c (a + 2b) ----------------------------------------------------
@pytest.mark.parametrize("a, b, c", [(3.0, 1.0, -2.0), (0.5, -4.0, 7.0), (0.0, 0.0, 0.0),
                                     (-1.25, 2.5, 0.3)])
def test_graph_values_and_exact_derivatives(a, b, c):
    g = lecture_graph(a, b, c)
    assert [n.name for n in g.nodes] == ["a", "b", "c", "d", "e", "L"]
    assert g["d"].value == 2 * b and g["e"].value == a + 2 * b
    assert g["L"].value == pytest.approx(c * (a + 2 * b))
    grads = gradients(g)
    assert grads["L"] == 1.0
    assert grads["a"] == pytest.approx(c)
    assert grads["b"] == pytest.approx(2 * c)
    assert grads["c"] == pytest.approx(a + 2 * b)
    assert grads["e"] == pytest.approx(c) and grads["d"] == pytest.approx(c)


def test_graph_backward_order_is_right_to_left():
    g = lecture_graph()
    order = backward_order(g)
    assert order == ["L", "c", "e", "a", "d", "b"]
    # a node comes only after every node that uses it
    for name in order:
        for consumer, _ in g.consumers(name):
            assert order.index(consumer.name) < order.index(name)
    steps = backward(g)
    assert [s.node for s in steps] == order
    assert steps[0].grad == 1.0 and steps[0].upstream == ()


def test_graph_chain_products_are_the_lectures():
    steps = {s.node: s for s in backward(lecture_graph(3.0, 1.0, -2.0))}
    [chain] = steps["b"].chains
    # dL/db = dL/dL * dL/de * de/dd * dd/db = 1 * c * 1 * 2
    assert [(f.top, f.bottom) for f in chain] == [("L", "L"), ("L", "e"), ("e", "d"), ("d", "b")]
    assert [f.text for f in chain] == ["1", "c", "1", "2"]
    assert [f.value for f in chain] == [1.0, -2.0, 1.0, 2.0]
    assert np.prod([f.value for f in chain]) == steps["b"].grad == -4.0
    [chain_c] = steps["c"].chains
    assert [f.text for f in chain_c] == ["1", "e"] and steps["c"].grad == 5.0
    # backpropagation's one multiplication at b reuses dL/dd from the step before
    assert steps["b"].upstream == (("d", -2.0, 2.0),)


def test_graph_sums_over_paths_when_a_value_is_used_twice():
    # L = a * a + a: dL/da = 2a + 1 along three paths
    g = evaluate({"a": 3.0}, ops=(("s", "mul", ("a", "a"), None, "s = a a"),
                                  ("L", "add", ("s", "a"), None, "L = s + a")))
    assert g["L"].value == 12.0
    step = {s.node: s for s in backward(g)}["a"]
    assert step.grad == 7.0
    assert len(step.chains) == 3
    assert sum(np.prod([f.value for f in chain]) for chain in step.chains) == 7.0


def test_graph_derivatives_match_finite_differences():
    a, b, c, h = 1.3, -0.7, 2.1, 1e-6
    grads = gradients(lecture_graph(a, b, c))
    for name, bump in (("a", (h, 0, 0)), ("b", (0, h, 0)), ("c", (0, 0, h))):
        plus = lecture_graph(a + bump[0], b + bump[1], c + bump[2])["L"].value
        minus = lecture_graph(a - bump[0], b - bump[1], c - bump[2])["L"].value
        assert grads[name] == pytest.approx((plus - minus) / (2 * h), rel=1e-8)


# ---- the ledger of one example ---------------------------------------------------------------
def _network(activation, hidden=2, seed=0):
    rng = np.random.default_rng(seed)
    coefs, intercepts = init_weights([2, hidden, 1], activation, rng)
    if activation == "relu":  # away from the kink, where the derivative jumps
        intercepts[0] += 0.5
    return coefs, intercepts


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("label", [0, 1])
@pytest.mark.parametrize("hidden", [2, 5])
def test_ledger_equals_core_backprop_with_the_sign_flipped(activation, label, hidden):
    coefs, intercepts = _network(activation, hidden)
    x = np.array([0.4, -1.3])
    L = ledger(x, label, coefs, intercepts, activation)
    gW, gb = backprop(x[None], np.array([[float(label)]]), coefs, intercepts, activation)
    ours_W, ours_b = L.coef_grads()
    # core descends J = -LL/n; the lectures ascend LL; one example: dLL/dtheta = -dJ/dtheta
    for mine, theirs in zip([*ours_W, *ours_b], [*gW, *gb]):
        np.testing.assert_allclose(mine, -theirs, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_ledger_equals_finite_differences_of_LL(activation):
    coefs, intercepts = _network(activation, 3, seed=4)
    x, label = np.array([-0.8, 0.6]), 1
    L = ledger(x, label, coefs, intercepts, activation)
    theta_h, theta_y = to_thetas(coefs, intercepts)

    def LL():
        c, b = from_thetas(theta_h, theta_y)
        return ledger(x, label, c, b, activation).LL

    num_h, num_y = numerical_gradient(LL, [theta_h, theta_y])
    np.testing.assert_allclose(L.grad_theta_h, num_h, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(L.grad_theta_y, num_y, rtol=1e-6, atol=1e-10)


def test_ledger_forward_values_and_the_lectures_formulas():
    coefs, intercepts = _network("sigmoid", 2, seed=1)
    x, label = np.array([0.9, -0.2]), 0
    L = ledger(x, label, coefs, intercepts, "sigmoid")
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    # biases are weights on the constant inputs x_0 = 1 and h_0 = 1
    assert L.x[0] == 1.0 and L.h[0] == 1.0
    h = sig(x @ coefs[0] + intercepts[0])
    np.testing.assert_allclose(L.h[1:], h)
    y_hat = sig(h @ coefs[1][:, 0] + intercepts[1][0])
    assert L.y_hat == pytest.approx(y_hat)
    assert L.LL == pytest.approx(label * np.log(y_hat) + (1 - label) * np.log(1 - y_hat))
    assert L.loss == -L.LL
    # dLL/dtheta_j^(y) = (y - y_hat) h_j
    np.testing.assert_allclose(L.grad_theta_y, (label - y_hat) * np.r_[1.0, h])
    # dLL/dtheta_ij^(h) = (y - y_hat) theta_j^(y) h_j (1 - h_j) x_i
    expected = (label - y_hat) * np.outer(np.r_[1.0, x], coefs[1][:, 0] * h * (1 - h))
    np.testing.assert_allclose(L.grad_theta_h, expected)
    # the chain's factors multiply to the product the lectures simplify
    assert L.dLL_dyhat * L.dyhat_dz == pytest.approx(L.dLL_dz)
    np.testing.assert_allclose(L.dLL_dz * L.dz_dh * L.dh_dz, L.delta_h)


def test_ledger_is_finite_for_a_confident_network():
    coefs, intercepts = xor_by_hand(steepness=400.0)  # y_hat rounds to 0 or 1 in float64
    L = ledger(np.array([1.0, 1.0]), 1, coefs, intercepts)
    assert np.isfinite(L.LL) and L.LL < -100  # confidently wrong: exact log, no log(0)
    assert np.isfinite(L.dLL_dyhat)
    assert np.all(np.isfinite(L.grad_theta_h)) and np.all(np.isfinite(L.grad_theta_y))


def test_thetas_round_trip_and_shape_checks():
    coefs, intercepts = _network("tanh", 3)
    theta_h, theta_y = to_thetas(coefs, intercepts)
    assert theta_h.shape == (3, 3) and theta_y.shape == (4,)
    back_c, back_b = from_thetas(theta_h, theta_y)
    for p, q in zip([*coefs, *intercepts], [*back_c, *back_b]):
        np.testing.assert_array_equal(p, q)
    with pytest.raises(ValueError, match="one hidden layer"):
        to_thetas(*init_weights([2, 3, 3, 1], "tanh", np.random.default_rng(0)))
    with pytest.raises(ValueError, match="features"):
        ledger(np.zeros(3), 1, coefs, intercepts, "tanh")


@pytest.mark.parametrize("label", [0, 1])
def test_one_ascent_step_lowers_the_loss_for_a_small_eta(label):
    coefs, intercepts = _network("sigmoid", 2, seed=3)
    x = np.array([1.1, -0.9])
    before_weights = [W.copy() for W in [*coefs, *intercepts]]
    new_c, new_b, before, after = ascent_step(coefs, intercepts, x, label, 0.1)
    assert after.loss < before.loss
    # theta += eta * dLL/dtheta, worked out for one weight of each layer
    assert new_c[1][0, 0] == pytest.approx(coefs[1][0, 0] + 0.1 * before.grad_theta_y[1])
    assert new_b[0][1] == pytest.approx(intercepts[0][1] + 0.1 * before.grad_theta_h[0, 1])
    for old, now in zip(before_weights, [*coefs, *intercepts]):  # inputs untouched
        np.testing.assert_array_equal(old, now)


# ---- the gradient check ----------------------------------------------------------------------
def _data(n=12, seed=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 2)), rng.integers(0, 2, (n, 1)).astype(float)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_gradient_check_passes_for_a_correct_backprop(activation, l2):
    X, Y = _data()
    coefs, intercepts = _network(activation, 3)
    result = check_gradients(X, Y, coefs, intercepts, activation, l2=l2)
    assert len(result.names) == len(result.analytic) == 3 * 3 + 4
    assert result.max_relative_error < 1e-6 and result.passed()
    assert result.names[0] == "θ(h)[0,1]" and result.names[-1] == "θ(y)[3]"


@pytest.mark.parametrize("bug", list(BUGGY_BACKPROPS))
def test_gradient_check_catches_a_corrupted_gradient(bug):
    X, Y = _data()
    coefs, intercepts = _network("sigmoid", 2)
    result = check_gradients(X, Y, coefs, intercepts, backprop=BUGGY_BACKPROPS[bug])
    assert result.max_relative_error > 1e-2 and not result.passed()


def test_gradient_check_catches_one_corrupted_entry():
    X, Y = _data()
    coefs, intercepts = _network("sigmoid", 2)

    def off_by_a_bit(X, Y, coefs, intercepts, activation, l2=0.0):
        gW, gb = backprop(X, Y, coefs, intercepts, activation, l2)
        gW[0][1, 0] *= 1.01  # a 1 % error in one weight of the hidden layer
        return gW, gb

    result = check_gradients(X, Y, coefs, intercepts, backprop=off_by_a_bit)
    assert result.names[result.worst] == "θ(h)[2,1]"
    assert result.max_relative_error > 1e-3
    others = np.delete(result.relative_error, result.worst)
    assert others.max() < 1e-6
    assert not result.passed()


def test_gradient_check_leaves_the_weights_alone_and_names_follow_flatten():
    X, Y = _data()
    coefs, intercepts = _network("tanh", 2)
    saved = [p.copy() for p in [*coefs, *intercepts]]
    check_gradients(X, Y, coefs, intercepts, "tanh")
    for old, now in zip(saved, [*coefs, *intercepts]):
        np.testing.assert_array_equal(old, now)
    theta_h, theta_y = to_thetas(coefs, intercepts)
    np.testing.assert_array_equal(flatten(coefs, intercepts), np.r_[theta_h.ravel(), theta_y])
    deep = init_weights([2, 3, 2, 1], "tanh", np.random.default_rng(0))
    assert len(parameter_names(deep[0])) == len(flatten(*deep)) == 9 + 8 + 3


def test_relative_error():
    np.testing.assert_allclose(relative_error([1.0, 0.0, -2.0], [1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])
    assert relative_error(1e-9, 1.1e-9) == pytest.approx(0.1 / 2.1)


def test_numerical_gradient_restores_parameters():
    p = np.array([1.0, -2.0, 0.5])
    [g] = numerical_gradient(lambda: float((p ** 3).sum()), [p])
    np.testing.assert_allclose(g, 3 * np.array([1.0, 4.0, 0.25]), rtol=1e-8)
    np.testing.assert_array_equal(p, [1.0, -2.0, 0.5])


def test_timing_counts_two_forward_passes_per_parameter_and_backprop_is_faster():
    rows = time_gradients(n_inputs=10, hidden_sizes=(2, 30), n_samples=16)
    assert [r.hidden for r in rows] == [2, 30]
    assert [r.n_params for r in rows] == [10 * 2 + 2 + 2 + 1, 10 * 30 + 30 + 30 + 1]
    assert all(r.forward_passes == 2 * r.n_params for r in rows)
    assert all(r.backprop_seconds > 0 and r.numerical_seconds > 0 for r in rows)
    # 722 forward passes against one forward and one backward pass
    assert rows[-1].ratio > 5


# ---- counting parameters ---------------------------------------------------------------------
def test_parameter_counts_the_lectures_quiz():
    assert parameter_counts(40, 20) == {"theta_h": 800, "theta_y": 20, "total": 820}
    # with biases: (40 + 1) * 20 and (20 + 1) * 1
    assert parameter_counts(40, 20, bias=True) == {"theta_h": 820, "theta_y": 21, "total": 841}
    coefs, intercepts = init_weights([40, 20, 1], "sigmoid", np.random.default_rng(0))
    assert sum(W.size for W in coefs) == 820
    assert sum(W.size + b.size for W, b in zip(coefs, intercepts)) == 841
    assert parameter_counts(2, 2, bias=True)["total"] == 9  # the 2-2-1 network of the page


def test_gradient_check_passes_a_trained_network_with_tiny_gradients():
    """After training, some gradients are ~1e-7: the differences' rounding (~1e-10) then gives
    relative errors far above 1e-6 although backprop is exact. The verdict has an absolute floor;
    a missing g'(z) is still caught on the same network."""
    from core import MLPClassifier, make_dataset
    X, y = make_dataset("spiral", 200, 1.0, random_state=2)
    m = MLPClassifier((6,), activation="tanh", learning_rate=1.0, batch_size=None, max_iter=300,
                      tol=0, random_state=2).fit(X, y)
    Y = y.reshape(-1, 1).astype(float)
    result = check_gradients(X, Y, m.coefs_, m.intercepts_, "tanh")
    assert result.passed()
    assert np.abs(result.analytic).min() < 1e-5  # the case this is about: tiny gradients exist
    broken = check_gradients(X, Y, m.coefs_, m.intercepts_, "tanh",
                             backprop=BUGGY_BACKPROPS["forgot g′(z) in the hidden layer"])
    assert not broken.passed()
