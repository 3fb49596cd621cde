"""Hand-written gradients against central finite differences (float64, tiny shapes)."""
import numpy as np
import pytest

from core.activations import (ACTIVATIONS, DERIVATIVES, log_sigmoid, log_softmax, sigmoid,
                              softmax)
from core.logistic import add_intercept, log_likelihood, log_likelihood_gradient
from core.losses import cross_entropy
from core.mlp import backprop, feedforward, forward, init_weights

H = 1e-6


def numerical_gradient(f, params):
    """Central differences of the scalar f() with respect to every entry of every array."""
    grads = []
    for p in params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + H
            f_plus = f()
            p[idx] = old - H
            f_minus = f()
            p[idx] = old
            g[idx] = (f_plus - f_minus) / (2 * H)
        grads.append(g)
    return grads


def targets(y, n_classes):
    return y.reshape(-1, 1).astype(float) if n_classes == 2 else np.eye(n_classes)[y]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("hidden", [(4,), (3, 5)])
def test_mlp_backprop_matches_finite_differences(activation, n_classes, l2, hidden):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 3))
    Y = targets(rng.integers(0, n_classes, 7), n_classes)
    n_out = 1 if n_classes == 2 else n_classes
    coefs, intercepts = init_weights([3, *hidden, n_out], activation, rng)
    # keep relu pre-activations away from the kink at 0, where the derivative jumps
    if activation == "relu":
        for b in intercepts[:-1]:
            b += 0.5

    def J():
        Z = forward(X, coefs, intercepts, activation, output="logits")[-1]
        return cross_entropy(Y, Z) + 0.5 * l2 * sum((W ** 2).sum() for W in coefs)

    gW, gb = backprop(X, Y, coefs, intercepts, activation, l2)
    numeric = numerical_gradient(J, [*coefs, *intercepts])
    for analytic, num in zip([*gW, *gb], numeric):
        np.testing.assert_allclose(analytic, num, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("n_out", [1, 3])
def test_feedforward_is_the_lectures_equations_and_forward_agrees(activation, n_out):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(6, 3))
    coefs, intercepts = init_weights([3, 4, 5, n_out], activation, rng)
    zs, hs = feedforward(X, coefs, intercepts, activation)
    h = X
    for l, (W, b) in enumerate(zip(coefs, intercepts)):
        np.testing.assert_allclose(zs[l], h @ W + b)               # z_l = h_(l-1) W_l + b_l
        if l < 2:
            h = ACTIVATIONS[activation](zs[l])                     # h_l = g(z_l)
        else:
            h = sigmoid(zs[l]) if n_out == 1 else softmax(zs[l])   # y_hat
        np.testing.assert_allclose(hs[l], h)
    for a, b in zip(forward(X, coefs, intercepts, activation), hs):
        np.testing.assert_array_equal(a, b)
    logits = forward(X, coefs, intercepts, activation, output="logits")
    np.testing.assert_array_equal(logits[-1], zs[-1])
    with pytest.raises(ValueError, match="output must be"):
        forward(X, coefs, intercepts, activation, output="probabilities")


@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("l2", [0.0, 0.5])
def test_logistic_gradient_matches_finite_differences(n_classes, l2):
    rng = np.random.default_rng(1)
    X1 = add_intercept(rng.normal(size=(9, 3)))
    Y = targets(rng.integers(0, n_classes, 9), n_classes)
    theta = rng.normal(size=(4, 1 if n_classes == 2 else n_classes))

    def objective():  # the penalised mean log-likelihood the model ascends
        return log_likelihood(theta, X1, Y) - 0.5 * l2 * (theta[1:] ** 2).sum()

    [numeric] = numerical_gradient(objective, [theta])
    np.testing.assert_allclose(log_likelihood_gradient(theta, X1, Y, l2), numeric,
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activation_derivatives_written_with_the_output(name):
    z = np.array([-3.0, -0.7, 0.4, 2.5])
    f = ACTIVATIONS[name]
    numeric = (f(z + H) - f(z - H)) / (2 * H)
    np.testing.assert_allclose(DERIVATIVES[name](f(z)), numeric, rtol=1e-6)


def test_stable_functions_at_extremes():
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(z)
        ls = log_sigmoid(z)
        sm = softmax(np.array([[1000.0, 0.0, -1000.0]]))
        lsm = log_softmax(np.array([[1000.0, 0.0, -1000.0]]))
    assert np.all(np.isfinite(s)) and s[2] == 0.5 and s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(ls, [-1000.0, -40.0, -np.log(2), -4.248354255291589e-18, 0.0],
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(sm, [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(lsm, [[0.0, -1000.0, -2000.0]])


def test_backprop_with_l1_and_linear_units_matches_finite_differences():
    """L1 (sparsity) and linear units, as TF Playground offers them: the readable backprop's
    gradients agree with central differences of J = -LL/n + l1 sum|W| (weights away from 0,
    where |W| has a derivative)."""
    from core.gradcheck import numerical_gradient, objective
    from core.mlp import backprop
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(12, 2)), rng.integers(0, 2, (12, 1)).astype(float)
    for activation in ("linear", "tanh"):
        coefs = [rng.normal(size=(2, 3)) + 0.5, rng.normal(size=(3, 1)) - 0.5]
        intercepts = [rng.normal(size=3), rng.normal(size=1)]
        gW, gb = backprop(X, Y, coefs, intercepts, activation, l1=0.03)
        num = numerical_gradient(lambda: objective(X, Y, coefs, intercepts, activation, l1=0.03),
                                 [*coefs, *intercepts])
        for a, b in zip(gW + gb, num):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-8)


def test_a_training_step_with_l1_is_backprops_step():
    from core import MLPClassifier, Trainer, make_dataset
    from core.mlp import backprop
    X, y = make_dataset("xor", 60, 0.1, random_state=0)
    model = MLPClassifier((3,), activation="linear", learning_rate=0.3, batch_size=None,
                          max_iter=10**9, tol=0, random_state=0, l1=0.01)
    Trainer(model, X, y)
    w = model.get_weights()
    gW, gb = backprop(X, y.reshape(-1, 1).astype(float), [w["coef_0"], w["coef_1"]],
                      [w["intercept_0"], w["intercept_1"]], "linear", l1=0.01)
    model.partial_fit(X, y)  # one full-batch step
    after = model.get_weights()
    # away from 0 (|w| > eta l1 after the data's step) it is backprop's step with l1 sign(w)
    np.testing.assert_allclose(after["coef_0"], w["coef_0"] - 0.3 * gW[0], atol=1e-12)
    np.testing.assert_allclose(after["intercept_1"], w["intercept_1"] - 0.3 * gb[1], atol=1e-12)


def test_l1_drives_small_weights_to_exactly_zero():
    from core import MLPClassifier, Trainer, make_dataset
    X, y = make_dataset("xor", 100, 0.1, random_state=0)
    model = MLPClassifier((8,), activation="tanh", learning_rate=0.3, batch_size=None,
                          max_iter=10**9, tol=0, random_state=0, l1=0.02)
    Trainer(model, X, y).run(400)
    W = np.concatenate([w.ravel() for name, w in model.get_weights().items()
                        if name.startswith("coef_")])
    assert (W == 0).sum() >= 4  # sparse: some weights are exactly zero, not merely small
