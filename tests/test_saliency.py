"""The saliency map d log P(class k | x) / dx against central finite differences (float64)."""
import numpy as np
import pytest

from core import MLPClassifier
from core.activations import log_sigmoid, log_softmax
from core.mlp import forward, init_weights, input_gradient

H = 1e-6


def log_proba(X, coefs, intercepts, activation):
    """log P(class | x) for every class, shape (n, n_classes), from the network's logits."""
    Z = forward(X, coefs, intercepts, activation, output="logits")[-1]
    if Z.shape[1] == 1:
        return np.column_stack([log_sigmoid(-Z[:, 0]), log_sigmoid(Z[:, 0])])
    return log_softmax(Z)


def numerical_input_gradient(X, coefs, intercepts, activation, k):
    """Central differences of log P(class k_i | x_i) in every input pixel of every row."""
    k = np.broadcast_to(k, (len(X),))
    rows = np.arange(len(X))
    grad = np.zeros_like(X)
    for j in range(X.shape[1]):
        X_plus, X_minus = X.copy(), X.copy()
        X_plus[:, j] += H
        X_minus[:, j] -= H
        grad[:, j] = (log_proba(X_plus, coefs, intercepts, activation)[rows, k]
                      - log_proba(X_minus, coefs, intercepts, activation)[rows, k]) / (2 * H)
    return grad


def small_network(activation, hidden, n_classes, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(5, 6))
    n_out = 1 if n_classes == 2 else n_classes
    coefs, intercepts = init_weights([6, *hidden, n_out], activation, rng)
    coefs = [3 * W for W in coefs]  # confident enough that the probabilities are not all flat
    if activation == "relu":  # keep pre-activations away from the kink at 0
        for b in intercepts[:-1]:
            b += 0.5
    return X, coefs, intercepts


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("hidden", [(), (5,), (4, 3)])
def test_input_gradient_matches_finite_differences(activation, n_classes, hidden):
    X, coefs, intercepts = small_network(activation, hidden, n_classes)
    for k in [0, n_classes - 1, np.arange(len(X)) % n_classes]:  # one class, or one per row
        analytic = input_gradient(X, coefs, intercepts, activation, k)
        numeric = numerical_input_gradient(X, coefs, intercepts, activation, k)
        assert analytic.shape == X.shape
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_no_hidden_layer_is_softmax_regression_by_hand():
    # log softmax_k(x W + b) has gradient W[:, k] - sum_c p_c W[:, c]: (e_k - p) W^T
    X, coefs, intercepts = small_network("tanh", (), 3)
    P = forward(X, coefs, intercepts, "tanh")[-1]
    expected = coefs[0][:, 1][None, :] - P @ coefs[0].T
    np.testing.assert_allclose(input_gradient(X, coefs, intercepts, "tanh", 1), expected)


def test_gradients_of_all_classes_sum_to_zero_when_weighted_by_p():
    # sum_k p_k d log p_k / dx = d (sum_k p_k) / dx = 0
    X, coefs, intercepts = small_network("relu", (5,), 4)
    P = forward(X, coefs, intercepts, "relu")[-1]
    total = sum(P[:, [k]] * input_gradient(X, coefs, intercepts, "relu", k) for k in range(4))
    np.testing.assert_allclose(total, 0, atol=1e-12)


def test_estimator_method_defaults_to_the_predicted_class_and_keeps_float64():
    rng = np.random.default_rng(1)
    X = rng.uniform(0, 1, (60, 6))
    y = (X[:, 0] + X[:, 1] > 1).astype(int) + (X[:, 2] > 0.5)
    model = MLPClassifier((5,), activation="tanh", learning_rate=0.5, batch_size=10, max_iter=30,
                          tol=0, random_state=0, dtype=np.float32).fit(X, y)
    pred = np.searchsorted(model.classes_, model.predict(X[:4]))
    w = model.get_weights()
    coefs, intercepts = [w["coef_0"], w["coef_1"]], [w["intercept_0"], w["intercept_1"]]
    X32 = X[:4].astype(np.float32)  # what a float32 model sees
    expected = input_gradient(X32, coefs, intercepts, "tanh", pred)
    got = model.input_gradient(X[:4])
    assert got.dtype == np.float64 and got.shape == (4, 6)
    np.testing.assert_allclose(got, expected)
    np.testing.assert_allclose(model.input_gradient(X[:4], k=0),
                               input_gradient(X32, coefs, intercepts, "tanh", 0))
    # the two-class network (one sigmoid output) gives opposite-signed maps for its two classes,
    # scaled by each class's probability: P(0) d log P(0) + P(1) d log P(1) = 0
    binary = MLPClassifier((4,), activation="relu", max_iter=20, tol=0, random_state=0).fit(X, y > 0)
    P = binary.predict_proba(X[:4])
    g0, g1 = binary.input_gradient(X[:4], k=0), binary.input_gradient(X[:4], k=1)
    np.testing.assert_allclose(P[:, [0]] * g0 + P[:, [1]] * g1, 0, atol=1e-10)
