"""MLPClassifier: one update by hand, scikit-learn weights, XOR, digits, determinism."""
import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier as SkMLPClassifier

from core import LogisticRegression, MLPClassifier, load_digits8, make_dataset, split

SK_ACTIVATION = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}


def test_one_update_worked_by_hand():
    # A 1-1-1 network, relu hidden unit, sigmoid output, one example x = 1 with y = 1.
    # Forward: h = relu(0.5 * 1 + 0) = 0.5;  z = 1.0 * 0.5 + 0 = 0.5;  y_hat = sigma(0.5) = 0.6224593
    # Backward: delta_out = y_hat - y = -0.3775407
    #   dJ/dW2 = h * delta_out = -0.1887703,     dJ/db2 = -0.3775407
    #   delta_h = delta_out * W2 * relu'(h) = -0.3775407
    #   dJ/dW1 = x * delta_h = -0.3775407,       dJ/db1 = -0.3775407
    # Step with eta = 1: W2 = 1.1887703, b2 = 0.3775407, W1 = 0.8775407, b1 = 0.3775407
    X, y = np.array([[1.0]]), np.array([1])
    model = MLPClassifier((1,), activation="relu", learning_rate=1.0, batch_size=1)
    model.partial_fit(X, y, classes=[0, 1])  # initialises (and takes one step)
    model.coefs_ = [np.array([[0.5]]), np.array([[1.0]])]
    model.intercepts_ = [np.array([0.0]), np.array([0.0])]
    model.partial_fit(X, y)
    d = 1 / (1 + np.exp(-0.5)) - 1
    np.testing.assert_allclose(model.coefs_[1], [[1.0 - 0.5 * d]])
    np.testing.assert_allclose(model.intercepts_[1], [-d])
    np.testing.assert_allclose(model.coefs_[0], [[0.5 - d]])
    np.testing.assert_allclose(model.intercepts_[0], [-d])
    np.testing.assert_allclose(model.coefs_[0], [[0.8775407]], atol=1e-7)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("dataset", ["binary", "digits"])
def test_weights_copied_from_sklearn_give_the_same_probabilities(activation, dataset):
    if dataset == "binary":
        X, y = make_dataset("moons", 200, random_state=0)
    else:
        d = load_digits8()
        X, y = d.X[:500].astype(np.float64), d.y[:500]  # float64 for both: sklearn keeps float32
    sk = SkMLPClassifier((7, 5), activation=SK_ACTIVATION[activation], max_iter=30,
                         random_state=0).fit(X, y)
    ours = MLPClassifier((7, 5), activation=activation, max_iter=1, random_state=1).fit(X, y)
    ours.coefs_ = [W.copy() for W in sk.coefs_]
    ours.intercepts_ = [b.copy() for b in sk.intercepts_]
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))


def test_assigned_weights_are_trained_by_partial_fit():
    X, y = make_dataset("xor", 200, random_state=0)
    sk = SkMLPClassifier((6,), activation="tanh", max_iter=50, random_state=0).fit(X, y)
    ours = MLPClassifier((6,), activation="tanh", max_iter=1, random_state=0).fit(X, y)
    ours.coefs_ = [W.copy() for W in sk.coefs_]
    ours.intercepts_ = [b.copy() for b in sk.intercepts_]
    before = ours.loss(X, y)
    for _ in range(20):
        ours.partial_fit(X, y)
    assert ours.loss(X, y) < before
    assert not np.allclose(ours.coefs_[0], sk.coefs_[0])  # moved from sklearn's weights


def test_mlp_solves_xor_where_logistic_regression_cannot():
    X, y = make_dataset("xor", 400, noise=0.1, random_state=0)
    Xtr, Xte, ytr, yte = split(X, y, 0.3, random_state=0)
    mlp = MLPClassifier((8,), activation="tanh", learning_rate=0.3, batch_size=32, max_iter=300,
                        tol=0, random_state=0).fit(Xtr, ytr)
    logreg = LogisticRegression(max_iter=2000).fit(Xtr, ytr)
    assert mlp.score(Xte, yte) >= 0.95
    assert logreg.score(Xte, yte) < 0.7


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_digits_test_accuracy(dtype):
    d = load_digits8()
    Xtr, Xte, ytr, yte = split(d.X, d.y, 0.3, random_state=0)
    model = MLPClassifier((64,), learning_rate=0.1, batch_size=32, max_iter=100, tol=0,
                          random_state=0, dtype=dtype).fit(Xtr, ytr)
    assert model.coefs_[0].dtype == dtype
    assert model.score(Xte, yte) >= 0.96


def test_same_seed_same_run_and_other_seed_differs():
    X, y = make_dataset("spiral", 200, random_state=0)
    kw = dict(hidden_layer_sizes=(10, 10), batch_size=16, max_iter=5, tol=0)
    a = MLPClassifier(random_state=7, **kw).fit(X, y)
    b = MLPClassifier(random_state=7, **kw).fit(X, y)
    c = MLPClassifier(random_state=8, **kw).fit(X, y)
    for Wa, Wb, Wc in zip(a.coefs_, b.coefs_, c.coefs_):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)
    assert a.loss_curve_ == b.loss_curve_


def test_partial_fit_equals_fit_for_one_epoch():
    X, y = make_dataset("moons", 150, random_state=0)
    kw = dict(hidden_layer_sizes=(5,), batch_size=20, random_state=3)
    fitted = MLPClassifier(max_iter=1, tol=0, **kw).fit(X, y)
    partial = MLPClassifier(**kw).partial_fit(X, y)
    for W1, W2 in zip(fitted.coefs_, partial.coefs_):
        np.testing.assert_array_equal(W1, W2)


def test_momentum_accelerates_on_average():
    X, y = make_dataset("moons", 300, random_state=0)
    kw = dict(hidden_layer_sizes=(10,), activation="tanh", learning_rate=0.05, batch_size=30,
              max_iter=30, tol=0, random_state=0)
    plain = MLPClassifier(**kw).fit(X, y)
    heavy = MLPClassifier(momentum=0.9, **kw).fit(X, y)
    assert heavy.loss_curve_[-1] < plain.loss_curve_[-1]


def test_predict_proba_rows_sum_to_one_and_shapes():
    d = load_digits8()
    model = MLPClassifier((16,), max_iter=5, tol=0, random_state=0).fit(d.X, d.y)
    P = model.predict_proba(d.X[:50])
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert [W.shape for W in model.coefs_] == [(64, 16), (16, 10)]
    assert model.decision_function(d.X[:5]).shape == (5, 10)
    assert [h.shape for h in model.hidden_activations(d.X[:5])] == [(5, 16)]


def test_lectures_or_and_construction_solves_xor_and_training_takes_over():
    from core import xor_by_hand
    X, y = make_dataset("xor", 400, noise=0.1, random_state=1)
    model = MLPClassifier((2,), activation="sigmoid", learning_rate=0.5, batch_size=32,
                          random_state=0).partial_fit(X, y)
    model.coefs_, model.intercepts_ = xor_by_hand()
    h_or, h_and = model.hidden_activations(np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0]]))[0].T
    np.testing.assert_array_less([h_or[0], 0.5, h_and[0], h_and[1]], [0.5, h_or[1], 0.5, 0.5])
    assert h_and[2] > 0.5 and h_or[2] > 0.5
    assert model.score(X, y) > 0.97
    before = model.loss(X, y)
    model.partial_fit(X, y)  # training continues from the hand-made weights
    assert model.loss(X, y) < before


# ---- the public contract: begin / training_steps, weights by name, layer outputs -------------
def test_begin_and_training_steps_take_the_steps_of_fit():
    X, y = make_dataset("moons", 150, random_state=0)
    kw = dict(hidden_layer_sizes=(6, 4), activation="tanh", batch_size=32, max_iter=4, tol=0,
              random_state=5)
    fitted = MLPClassifier(**kw).fit(X, y)
    model = MLPClassifier(**kw)
    Xv, Y = model.begin(X, y)
    assert Xv.dtype == np.float64 and Y.shape == (150, 1)
    np.testing.assert_array_equal(Y[:, 0], y)
    np.testing.assert_array_equal(model.encode(y), Y)
    n_steps = sum(1 for _ in model.training_steps(Xv, Y))
    assert n_steps == model.t_ == fitted.t_ == 4 * 5  # 150 examples in batches of 32
    assert model.n_seen_ == fitted.n_seen_ == 4 * 150
    for name, w in fitted.get_weights().items():
        np.testing.assert_array_equal(model.get_weights()[name], w)
    assert model.loss_curve_ == fitted.loss_curve_


def test_weights_by_name_are_copies_in_the_models_dtype():
    X, y = make_dataset("moons", 100, random_state=0)
    model = MLPClassifier((5, 3), max_iter=3, tol=0, random_state=0, dtype=np.float32).fit(X, y)
    w = model.get_weights()
    assert list(w) == ["coef_0", "coef_1", "coef_2", "intercept_0", "intercept_1", "intercept_2"]
    from core.mlp import weights_dict
    assert list(weights_dict(model.coefs_, model.intercepts_)) == list(w)
    assert [w[f"coef_{l}"].shape for l in range(3)] == [(2, 5), (5, 3), (3, 1)]
    assert all(a.dtype == np.float32 for a in w.values())
    w["coef_0"][0, 0] += 1.0  # a copy: the model is unchanged
    assert model.coefs_[0][0, 0] != w["coef_0"][0, 0]
    doubled = {k: 2 * v.astype(np.float64) for k, v in w.items()}
    model.set_weights(doubled)
    assert all(a.dtype == np.float32 for a in [*model.coefs_, *model.intercepts_])
    np.testing.assert_array_equal(model.coefs_[2], doubled["coef_2"].astype(np.float32))
    doubled["coef_2"][:] = 0.0  # set_weights copied too
    assert model.coefs_[2].any()


def test_from_weights_gives_a_model_that_predicts_and_trains():
    X, y = make_dataset("xor", 120, random_state=0)
    labels = np.array(["no", "yes"])[y]
    model = MLPClassifier((5,), activation="tanh", max_iter=5, tol=0, random_state=0).fit(X, labels)
    clone = MLPClassifier.from_weights(model.get_params(), model.classes_, 2, model.get_weights(),
                                       steps=model.t_)
    np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(clone.predict(X), model.predict(X))
    assert clone.t_ == model.t_ and clone.n_seen_ == 0 and list(clone.classes_) == ["no", "yes"]
    before = clone.loss(X, labels)
    for _ in range(10):
        clone.partial_fit(X, labels)
    assert clone.t_ == model.t_ + 10 and clone.loss(X, labels) < before


def test_set_weights_restarts_momentum_from_rest():
    from core.mlp import backprop
    X, y = make_dataset("moons", 80, random_state=0)
    model = MLPClassifier((4,), activation="tanh", momentum=0.9, batch_size=None,
                          learning_rate=0.1, max_iter=5, tol=0, random_state=0).fit(X, y)
    start = model.get_weights()
    model.set_weights(start)
    model.partial_fit(X, y)  # one full-batch step, with no velocity left from before
    coefs = [start["coef_0"], start["coef_1"]]
    intercepts = [start["intercept_0"], start["intercept_1"]]
    gW, gb = backprop(X, y.reshape(-1, 1).astype(float), coefs, intercepts, "tanh")
    for now, W, g in zip(model.coefs_ + model.intercepts_, coefs + intercepts, gW + gb):
        np.testing.assert_allclose(now, W - 0.1 * g, rtol=1e-12, atol=1e-15)


def test_layer_outputs_are_the_hidden_activations_then_the_logits():
    d = load_digits8()
    model = MLPClassifier((16, 8), max_iter=3, tol=0, random_state=0).fit(d.X, d.y)
    outs = model.layer_outputs(d.X[:5])
    assert [o.shape for o in outs] == [(5, 16), (5, 8), (5, 10)]
    assert (outs[0] >= 0).all() and (outs[1] >= 0).all()  # relu
    np.testing.assert_array_equal(outs[-1], model.decision_function(d.X[:5]))
    np.testing.assert_array_equal(outs[-1], model.logits(model.check_X(d.X[:5])))
    for a, b in zip(model.hidden_activations(d.X[:5]), outs[:-1]):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="X has 3 features"):
        model.layer_outputs(np.ones((2, 3)))
