"""LogisticRegression: the lectures' update, and agreement with scikit-learn."""
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss

from core import LogisticRegression, load_digits8, make_dataset, split


def test_one_update_worked_by_hand():
    # x0 = 1 is prepended: x^(1) = [1, 1, 2] with y = 1, x^(2) = [1, -1, 0] with y = 0.
    # theta = 0, so sigma(theta^T x) = 0.5 for both.
    # mean gradient = ((1 - 0.5) [1, 1, 2] + (0 - 0.5) [1, -1, 0]) / 2 = [0, 0.5, 0.5]
    # theta += 0.1 * gradient -> [0, 0.05, 0.05]
    X = np.array([[1.0, 2.0], [-1.0, 0.0]])
    y = np.array([1, 0])
    model = LogisticRegression(learning_rate=0.1, max_iter=1, tol=0).fit(X, y)
    np.testing.assert_allclose(model.intercept_, [0.0])
    np.testing.assert_allclose(model.coef_, [[0.05, 0.05]])
    assert model.n_iter_ == 1 and model.t_ == 1
    # the recorded loss is at theta = 0: -log(0.5)
    np.testing.assert_allclose(model.loss_curve_, [np.log(2)])


def test_reaches_sklearn_unpenalised_mle_on_overlapping_data():
    X, y = make_dataset("overlapping", 400, noise=0.4, random_state=3)
    ours = LogisticRegression(learning_rate=1.0, max_iter=20000, tol=1e-10).fit(X, y)
    sk = SkLogisticRegression(C=np.inf, tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, sk.intercept_, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=1e-7)


def test_l2_matches_sklearn_with_C_equal_one_over_n_l2():
    X, y = make_dataset("separable", 200, random_state=0)
    l2 = 0.05
    ours = LogisticRegression(learning_rate=1.0, max_iter=20000, tol=1e-10, l2=l2).fit(X, y)
    sk = SkLogisticRegression(C=1 / (len(X) * l2), tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, sk.intercept_, atol=1e-6)


def test_separable_data_has_no_finite_mle_but_l2_bounds_theta():
    X, y = make_dataset("separable", 200, random_state=0)
    norms = [np.linalg.norm(LogisticRegression(max_iter=n, tol=0).fit(X, y).coef_)
             for n in (100, 1000, 5000)]
    assert norms[0] < norms[1] < norms[2]  # still climbing: the likelihood has no top
    bounded = [np.linalg.norm(LogisticRegression(max_iter=n, tol=0, l2=0.1).fit(X, y).coef_)
               for n in (1000, 5000)]
    assert abs(bounded[1] - bounded[0]) < 1e-6 < norms[2] - norms[1]


@pytest.mark.parametrize("batch_size", [1, 16])
def test_minibatch_and_sgd_approach_the_mle(batch_size):
    X, y = make_dataset("overlapping", 300, random_state=1)
    sk = SkLogisticRegression(C=np.inf, tol=1e-12).fit(X, y)
    ours = LogisticRegression(learning_rate=0.05, batch_size=batch_size, max_iter=200, tol=0,
                              random_state=0).fit(X, y)
    assert np.abs(ours.coef_ - sk.coef_).max() < 0.15
    assert abs(log_loss(y, ours.predict_proba(X)) - log_loss(y, sk.predict_proba(X))) < 0.01


def test_full_batch_loss_curve_climbs_the_likelihood():
    X, y = make_dataset("overlapping", 200, random_state=2)
    curve = np.array(LogisticRegression(max_iter=200, tol=0).fit(X, y).loss_curve_)
    assert np.all(np.diff(curve) <= 1e-12)  # the negative LL never goes up for a small step


def test_softmax_logistic_regression_on_digits():
    d = load_digits8()
    Xtr, Xte, ytr, yte = split(d.X, d.y, 0.3, random_state=0)
    model = LogisticRegression(learning_rate=0.5, max_iter=500, tol=0).fit(Xtr, ytr)
    assert model.coef_.shape == (10, 64) and model.intercept_.shape == (10,)
    assert model.predict_proba(Xte).shape == (len(Xte), 10)
    assert model.score(Xte, yte) > 0.93


def test_string_labels():
    X, y = make_dataset("overlapping", 100, random_state=0)
    labels = np.array(["dislike", "like"])[y]
    model = LogisticRegression().fit(X, labels)
    assert list(model.classes_) == ["dislike", "like"]
    assert set(model.predict(X)) <= {"dislike", "like"}
    # positive decision_function means classes_[1]
    assert np.all((model.decision_function(X) > 0) == (model.predict(X) == "like"))


def test_theta_by_name_layer_outputs_and_from_weights():
    X, y = make_dataset("overlapping", 100, random_state=0)
    model = LogisticRegression(max_iter=50, tol=0).fit(X, y)
    w = model.get_weights()
    assert list(w) == ["theta"] and w["theta"].shape == (3, 1)
    np.testing.assert_array_equal(w["theta"], model.theta_)
    w["theta"][0, 0] += 1.0
    assert model.theta_[0, 0] != w["theta"][0, 0]  # a copy
    [z] = model.layer_outputs(X)  # one layer: the logits theta^T x
    np.testing.assert_allclose(z[:, 0], model.decision_function(X))
    np.testing.assert_allclose(z, model.logits(model.check_X(X)))
    theta = np.array([[0.5], [1.0], [-2.0]])
    model.set_weights({"theta": theta.astype(np.float32)})
    assert model.theta_.dtype == np.float64
    np.testing.assert_allclose(model.decision_function(X), 0.5 + X @ theta[1:, 0], rtol=1e-14)
    clone = LogisticRegression.from_weights({"learning_rate": 0.1}, [0, 1], 2, {"theta": theta})
    np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))
    clone.partial_fit(X, y)  # trainable: one full-batch step from theta
    from core.logistic import add_intercept, log_likelihood_gradient
    expected = theta + 0.1 * log_likelihood_gradient(theta, add_intercept(X), y.reshape(-1, 1))
    np.testing.assert_allclose(clone.theta_, expected)
