"""Models saved as JSON or .npz load back identical; every kind of bad file is refused clearly."""
import io
import json
import zipfile

import numpy as np
import pytest

from core import LogisticRegression, MLPClassifier, load_digits8, make_dataset
from core.persistence import MAX_BYTES, ModelFileError, load, to_json, to_npz


@pytest.fixture
def mlp():
    X, y = make_dataset("xor", 100, random_state=0)
    return MLPClassifier((5, 3), activation="tanh", max_iter=5, random_state=0).fit(X, y), X


@pytest.mark.parametrize("save", [to_json, to_npz])
def test_round_trip_mlp_and_logistic(save, mlp):
    model, X = mlp
    loaded, meta = load(save(model, page="xor", data={"dataset": "xor", "seed": 0}), page="xor")
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X), rtol=1e-12)
    assert meta["data"] == {"dataset": "xor", "seed": 0} and meta["page"] == "xor"
    loaded.partial_fit(X, make_dataset("xor", 100, random_state=0)[1])  # trainable again
    d = load_digits8()
    lr = LogisticRegression(max_iter=20).fit(d.X[:300], np.array(list("abcdefghij"))[d.y[:300]])
    lr2, _ = load(save(lr))
    np.testing.assert_array_equal(lr2.predict(d.X[:50]), lr.predict(d.X[:50]))
    assert list(lr2.classes_) == list("abcdefghij")


def test_float32_model_keeps_its_dtype(mlp):
    model, X = mlp
    m32 = MLPClassifier((4,), max_iter=2, dtype=np.float32, random_state=0).fit(
        X, make_dataset("xor", 100, random_state=0)[1])
    loaded, meta = load(to_npz(m32))
    assert loaded.coefs_[0].dtype == np.float32 and meta["params"]["dtype"] == "float32"


def test_unknown_format_truncated_malformed_and_oversized(mlp):
    model, _ = mlp
    with pytest.raises(ModelFileError, match="Unknown file format"):
        load(b"\x89PNG\r\n not a model")
    with pytest.raises(ModelFileError, match="malformed or truncated"):
        load(to_json(model)[:-40])
    with pytest.raises(ModelFileError, match="damaged or truncated"):
        load(to_npz(model)[:200])
    with pytest.raises(ModelFileError, match="limited to 20 MB"):
        load(b"{" + b" " * MAX_BYTES)
    with pytest.raises(ModelFileError, match="not saved by Neural Playground"):
        load(json.dumps({"weights": {}}).encode())
    buf = io.BytesIO()
    np.savez(buf, x=np.ones(3))
    with pytest.raises(ModelFileError, match="no 'meta' entry"):
        load(buf.getvalue())


def test_wrong_architecture_page_and_numbers_are_refused(mlp):
    model, _ = mlp
    meta = json.loads(to_json(model, page="xor"))
    with pytest.raises(ModelFileError, match="belongs to the 'xor' page"):
        load(to_json(model, page="xor"), page="digits")
    bad = dict(meta, params=dict(meta["params"], hidden_layer_sizes=[5, 4]))
    with pytest.raises(ModelFileError, match=r"coef_1 has shape \(5, 3\), but layer 1 expects 5 "
                                             r"inputs and has 4 units"):
        load(json.dumps(bad).encode())
    nan = json.loads(to_json(model))
    nan["weights"]["coef_0"][0][0] = float("nan")
    with pytest.raises(ModelFileError, match="NaN or infinity"):
        load(json.dumps(nan).replace("NaN", "NaN").encode())
    bad = dict(meta, params=dict(meta["params"], activation="softplus"))
    with pytest.raises(ModelFileError, match="settings are invalid"):
        load(json.dumps(bad).encode())
    with pytest.raises(ModelFileError, match="version 2"):
        load(json.dumps(dict(meta, version=2)).encode())


def test_npz_is_never_unpickled(mlp):
    model, _ = mlp
    data = to_npz(model)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(name.endswith(".npy") for name in z.namelist())
    # an object array inside would need pickle: np.load(allow_pickle=False) refuses it
    buf = io.BytesIO()
    np.savez(buf, meta=np.array(json.dumps({"format": "x"})), evil=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ModelFileError, match="damaged|not saved"):
        load(buf.getvalue())


def test_an_untrained_model_cannot_be_saved():
    with pytest.raises(ValueError, match="Only a trained model"):
        to_json(MLPClassifier())


def _npz(meta, **arrays):
    buf = io.BytesIO()
    np.savez(buf, meta=np.array(json.dumps(meta) if not isinstance(meta, str) else meta), **arrays)
    return buf.getvalue()


def test_files_of_the_right_shape_but_wrong_contents_are_refused(mlp):
    """Well-formed containers holding the wrong kinds of values: a ModelFileError, never another
    exception (a page shows the message; anything else would be a traceback)."""
    model, _ = mlp
    good = json.loads(to_json(model, page="xor"))
    weights = {k: np.asarray(v) for k, v in good.pop("weights").items()}
    bad_files = [
        _npz([1, 2, 3], **weights),                                   # meta is a list
        _npz("not json at all", **weights),                           # meta is not JSON
        _npz(good, **{**weights, "coef_0": np.array([["a", "b"]])}),  # weights as text
        _npz({**good, "steps": "x"}, **weights),
        _npz({**good, "classes": [[0, 1], [2]]}, **weights),          # ragged classes
        _npz({**good, "classes": [0, 0]}, **weights),                 # repeated classes
        _npz({**good, "n_features": 2.5}, **weights),
        _npz({**good, "params": [1]}, **weights),
        _npz({**good, "params": {**good["params"], "hidden_layer_sizes": "many"}}, **weights),
        json.dumps({**good, "weights": {"coef_0": [[1, 2], [3]]}}).encode(),  # ragged
        json.dumps({**good, "weights": {"coef_0": {"a": 1}}}).encode(),
        json.dumps([good]).encode(),
    ]
    for data in bad_files:
        with pytest.raises(ModelFileError):
            load(data, page="xor")


def test_every_truncation_and_random_corruption_gives_a_model_file_error(mlp):
    model, _ = mlp
    rng = np.random.default_rng(0)
    for save in (to_json, to_npz):
        data = save(model, page="xor")
        cuts = sorted(set(np.linspace(0, len(data) - 1, 60).astype(int)))
        corrupted = [data[:k] for k in cuts]
        for _ in range(60):
            b = bytearray(data)
            for i in rng.integers(0, len(b), size=rng.integers(1, 4)):
                b[i] = int(rng.integers(0, 256))
            corrupted.append(bytes(b))
        for bad in corrupted:
            try:
                load(bad, page="xor")  # a flip inside a number can leave a valid file
            except ModelFileError:
                pass


def test_saving_a_snapshot_keeps_that_step_while_training_goes_on():
    from core import Trainer
    X, y = make_dataset("xor", 100, random_state=0)
    trainer = Trainer(MLPClassifier((4,), random_state=0, tol=0, max_iter=10**6), X, y)
    snap = trainer.run(5)
    trainer.run(20)  # the live model moves on
    loaded, meta = load(to_json(trainer.model, snapshot=snap))
    assert meta["steps"] == 5
    for W, saved in zip(loaded.coefs_ + loaded.intercepts_, snap.coefs + snap.intercepts):
        np.testing.assert_array_equal(W, saved)
    assert loaded.t_ == 5 and tuple(loaded.get_params()["hidden_layer_sizes"]) == (4,)
    assert not np.allclose(loaded.coefs_[0], trainer.model.coefs_[0])
    lr = Trainer(LogisticRegression(tol=0), X, y)
    snap = lr.run(3)
    lr.run(3)
    np.testing.assert_array_equal(load(to_npz(lr.model, snapshot=snap))[0].theta_, snap.theta)


def test_diverged_weights_are_not_saved(mlp):
    model, _ = mlp
    model.coefs_[0][0, 0] = np.nan
    with pytest.raises(ValueError, match="not finite"):
        to_json(model)
