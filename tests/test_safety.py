"""Bad input and divergence give clear errors; the estimators pass sklearn's checks."""
import warnings

import numpy as np
import pytest
from sklearn.utils.estimator_checks import check_estimator

from core import LogisticRegression, MLPClassifier, Trainer, TrainingDiverged, make_dataset

MODELS = [LogisticRegression, MLPClassifier]


@pytest.mark.parametrize("estimator", [LogisticRegression(), MLPClassifier(),
                                       MLPClassifier(dtype=np.float32)],
                         ids=["logistic", "mlp64", "mlp32"])
def test_sklearn_check_estimator(estimator):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(estimator, on_fail=None)
    failed = [(r["check_name"], r["exception"]) for r in results if r["status"] == "failed"]
    assert len(results) > 40 and failed == []


@pytest.mark.parametrize("Model", MODELS)
def test_nan_is_rejected_with_the_row(Model):
    X, y = make_dataset("moons", 20, random_state=0)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"NaN \(missing values\) in 1 row\(s\), the first at row 3"):
        Model().fit(X, y)


@pytest.mark.parametrize("Model", MODELS)
def test_inf_is_rejected(Model):
    X, y = make_dataset("moons", 20, random_state=0)
    X[5, 0] = -np.inf
    with pytest.raises(ValueError, match="inf"):
        Model().fit(X, y)


@pytest.mark.parametrize("Model", MODELS)
def test_single_class_is_rejected(Model):
    X = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match="only one class .* at least two classes"):
        Model().fit(X, np.zeros(10))


@pytest.mark.parametrize("Model", MODELS)
def test_text_is_rejected(Model):
    X = np.array([["1.0", "2"], ["3", "abc"], ["0", "1"]], dtype=object)
    with pytest.raises(ValueError, match="X must be numeric"):
        Model().fit(X, [0, 1, 0])


@pytest.mark.parametrize("Model", MODELS)
def test_wrong_shapes_are_rejected(Model):
    X, y = make_dataset("moons", 20, random_state=0)
    with pytest.raises(ValueError, match="2D array"):
        Model().fit(X[:, 0], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        Model().fit(X, y[:-1])
    model = Model(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but .* expecting 2"):
        model.predict(np.ones((4, 3)))


@pytest.mark.parametrize("bad", [dict(learning_rate=0), dict(learning_rate=np.nan),
                                 dict(batch_size=0), dict(l2=-1), dict(max_iter=0)])
def test_bad_hyperparameters(bad):
    X, y = make_dataset("moons", 20, random_state=0)
    with pytest.raises(ValueError, match=list(bad)[0]):
        MLPClassifier(**bad).fit(X, y)


def test_bad_mlp_settings():
    X, y = make_dataset("moons", 20, random_state=0)
    with pytest.raises(ValueError, match="activation must be one of"):
        MLPClassifier(activation="softplus").fit(X, y)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        MLPClassifier(hidden_layer_sizes=(4, 0)).fit(X, y)
    with pytest.raises(ValueError, match="momentum"):
        MLPClassifier(momentum=1.5).fit(X, y)


@pytest.mark.parametrize("model, scale", [
    (MLPClassifier((32, 32), learning_rate=1.0, batch_size=8, random_state=0, dtype=np.float32), 1e3),
    (LogisticRegression(learning_rate=10.0), 1e300),
], ids=["mlp-float32-unscaled-inputs", "logistic-huge-inputs"])
def test_divergence_stops_with_the_step_and_advice(model, scale):
    X, y = make_dataset("xor", 200, random_state=0)
    with pytest.raises(TrainingDiverged, match=r"diverged at step \d+.*smaller learning rate") as e:
        Trainer(model, X * scale, y).run(500)
    assert e.value.step >= 1 and e.value.learning_rate == model.learning_rate
    with pytest.raises(TrainingDiverged):
        model.fit(X * scale, y)


def test_probabilities_are_finite_for_huge_logits_and_nan_is_an_error():
    X, y = make_dataset("moons", 50, random_state=0)
    model = MLPClassifier((4,), max_iter=2).fit(X, y)
    model.coefs_ = [W * 1e150 for W in model.coefs_]  # logits near +-1e300 and beyond
    with np.errstate(all="ignore"):
        P = model.predict_proba(X)
    assert np.all(np.isfinite(P)) and np.allclose(P.sum(axis=1), 1)
    model.coefs_[0][0, 0] = np.nan
    with pytest.raises(ValueError, match="not numbers .* smaller"):
        model.predict_proba(X)


def test_wrongly_shaped_assigned_weights_are_explained():
    X, y = make_dataset("moons", 50, random_state=0)
    model = MLPClassifier((4,), max_iter=2).fit(X, y)
    model.coefs_ = [np.ones((3, 4)), np.ones((4, 1))]
    with pytest.raises(ValueError, match=r"layer 0 expects 2 inputs"):
        model.predict_proba(X)


def test_set_weights_explains_what_does_not_fit():
    X, y = make_dataset("moons", 50, random_state=0)
    mlp = MLPClassifier((4,), max_iter=2).fit(X, y)
    good = mlp.get_weights()
    cases = [
        ({k: v for k, v in good.items() if k != "intercept_1"},
         r"weights are named \['coef_0', 'coef_1', 'intercept_0', 'intercept_1'\]; "
         r"missing \['intercept_1'\], unexpected \[\]"),
        ({**good, "coef_2": np.ones((1, 1))}, r"unexpected \['coef_2'\]"),
        ({**good, "coef_0": np.ones((3, 4))},
         r"coef_0 has shape \(3, 4\), but layer 0 expects 2 inputs and has 4 units, so coef_0 "
         r"needs shape \(2, 4\)"),
        ({**good, "intercept_0": np.ones((1, 4))}, r"intercept_0 has shape \(1, 4\)"),
        ({**good, "coef_1": np.full((4, 1), np.nan)}, "'coef_1' contain NaN or infinity"),
        ({**good, "intercept_1": np.array([np.inf])}, "'intercept_1' contain NaN or infinity"),
        ({**good, "coef_0": np.full((2, 4), "a")}, "'coef_0' are not numbers"),
        ([good["coef_0"], good["coef_1"]], "must be a dict name -> array"),
    ]
    for weights, message in cases:
        with pytest.raises(ValueError, match=message):
            mlp.set_weights(weights)
    for name, w in mlp.get_weights().items():  # nothing was changed by a refused call
        np.testing.assert_array_equal(w, good[name])
    lr = LogisticRegression(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match=r"theta has shape \(2, 1\), but 2 features and 2 classes "
                                         r"need shape \(3, 1\)"):
        lr.set_weights({"theta": np.zeros((2, 1))})
    with pytest.raises(ValueError, match="not fitted"):
        MLPClassifier((4,)).set_weights(good)


@pytest.mark.parametrize("change, message", [
    (dict(classes=[1, 0]), "distinct and sorted"),
    (dict(classes=[0, 0]), "distinct and sorted"),
    (dict(classes=[0]), "at least two labels"),
    (dict(n_features=0), "n_features must be a positive integer"),
    (dict(n_features=2.0), "n_features must be a positive integer"),
    (dict(steps=-1), "steps must be a non-negative integer"),
    (dict(params={"activation": "softplus"}), "activation must be one of"),
    (dict(params={"hidden_layer_sizes": (5,)}), r"coef_0 has shape \(2, 4\), but layer 0"),
])
def test_from_weights_refuses_what_does_not_fit(change, message):
    X, y = make_dataset("moons", 50, random_state=0)
    model = MLPClassifier((4,), max_iter=2).fit(X, y)
    args = dict(params={"hidden_layer_sizes": (4,)}, classes=[0, 1], n_features=2,
                weights=model.get_weights(), steps=2)
    with pytest.raises(ValueError, match=message):
        MLPClassifier.from_weights(**{**args, **change})
    with pytest.raises(TypeError):
        MLPClassifier.from_weights(**{**args, "params": {"units": 4}})
