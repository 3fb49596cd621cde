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
