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
    with pytest.raises(ModelFileError, match="Layer 1 weights have shape"):
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
