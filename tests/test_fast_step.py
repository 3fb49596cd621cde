"""The fast training step (core/fast_step.py) computes what the readable ``core.mlp.backprop``
computes: the same gradients to 1e-12 (float64), and the same weights after training steps.

The shapes include a 784-wide input with blank columns, so the fast step's column compaction
runs; a spy on ``Workspace.compact`` proves it did.
"""
import numpy as np
import pytest

from core import MLPClassifier
from core.fast_step import FastStep, Workspace
from core.losses import cross_entropy
from core.mlp import backprop, forward, init_weights, weights_dict

ACTIVATIONS = ["sigmoid", "tanh", "relu"]
# (n_features, hidden_layer_sizes, n_classes, blank columns): the 784-wide ones compact
SHAPES = {
    "784-64-10 blank border": (784, (64,), 10, 300),
    "784-64-32-16-2 blank border": (784, (64, 32, 16), 2, 250),
    "5-4-2": (5, (4,), 2, 0),
    "6-7-5-4-10": (6, (7, 5, 4), 10, 0),
}


def problem(shape, activation, seed=0, n=48):
    """Inputs in [0, 1] with some columns blank in every row, targets, and a network."""
    n_features, hidden, n_classes, blank = SHAPES[shape]
    rng = np.random.default_rng(seed)
    X = rng.random((n, n_features))
    if blank:
        X[:, rng.choice(n_features, blank, replace=False)] = 0.0
    y = rng.integers(0, n_classes, n)
    Y = y.reshape(-1, 1).astype(float) if n_classes == 2 else np.eye(n_classes)[y]
    n_out = 1 if n_classes == 2 else n_classes
    coefs, intercepts = init_weights([n_features, *hidden, n_out], activation, rng)
    coefs = [2 * W for W in coefs]  # outputs far enough from uniform for the gradients to vary
    return X, Y, coefs, intercepts


@pytest.fixture
def compactions(monkeypatch):
    """The number of active columns of every step that compacted its first layer."""
    calls = []
    original = Workspace.compact

    def counted(self, X, coefs, cols):
        calls.append(len(cols))
        return original(self, X, coefs, cols)

    monkeypatch.setattr(Workspace, "compact", counted)
    return calls


def assert_close(fast, plain, rtol=1e-12):
    """Equal to ``rtol`` relative to each array's largest entry (entries near zero after a
    cancellation cannot be held to a relative bound of their own)."""
    for a, b in zip(fast, plain):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * np.abs(b).max())


@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_fast_gradients_equal_backprop(shape, activation, l2, compactions):
    X, Y, coefs, intercepts = problem(shape, activation)
    loss, fast_W, fast_b = FastStep().gradients(X, Y, coefs, intercepts, activation, l2)
    plain_W, plain_b = backprop(X, Y, coefs, intercepts, activation, l2)
    assert_close(fast_W, plain_W)
    assert_close(fast_b, plain_b)
    Z = forward(X, coefs, intercepts, activation, output="logits")[-1]
    assert loss == pytest.approx(cross_entropy(Y, Z), rel=1e-12)
    n_features, _, _, blank = SHAPES[shape]
    assert compactions == ([n_features - blank] if blank else [])


def plain_sgd(X, Y, coefs, intercepts, activation, learning_rate, l2, momentum, steps):
    """``steps`` full-batch steps written with backprop: v = mu v - eta g; theta += v."""
    params = [W.copy() for W in coefs] + [b.copy() for b in intercepts]
    velocity = [np.zeros_like(p) for p in params]
    n_layers = len(coefs)
    for _ in range(steps):
        coef_grads, intercept_grads = backprop(X, Y, params[:n_layers], params[n_layers:],
                                               activation, l2)
        for p, v, g in zip(params, velocity, [*coef_grads, *intercept_grads]):
            v *= momentum
            v -= learning_rate * g
            p += v
    return params


@pytest.mark.parametrize("momentum", [0.0, 0.9])
@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_fast_steps_give_the_weights_of_plain_steps(shape, activation, l2, momentum,
                                                    compactions):
    X, Y, coefs, intercepts = problem(shape, activation, seed=1)
    expected = plain_sgd(X, Y, coefs, intercepts, activation, 0.5, l2, momentum, steps=3)
    fast = FastStep()
    W, b = [c.copy() for c in coefs], [c.copy() for c in intercepts]
    for _ in range(3):
        fast.step(X, Y, W, b, activation, 0.5, l2, momentum)  # in place on W and b
    assert_close([*W, *b], expected)
    assert len(compactions) == (3 if SHAPES[shape][3] else 0)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_the_estimators_step_is_a_plain_step(activation, compactions):
    """MLPClassifier's own training step (through partial_fit, full batch) against backprop."""
    X, Y, coefs, intercepts = problem("784-64-10 blank border", activation, seed=2)
    y = Y.argmax(axis=1)
    weights = weights_dict(coefs, intercepts)
    model = MLPClassifier.from_weights(
        dict(hidden_layer_sizes=(64,), activation=activation, learning_rate=0.3, l2=0.01,
             batch_size=None), classes=np.arange(10), n_features=784, weights=weights)
    model.partial_fit(X, y)
    expected = plain_sgd(X, Y, coefs, intercepts, activation, 0.3, 0.01, 0.0, steps=1)
    assert_close([*model.coefs_, *model.intercepts_], expected)
    assert compactions == [784 - 300]
