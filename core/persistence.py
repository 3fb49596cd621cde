"""Save a trained model as JSON or .npz (never pickle) and load it back, checking everything.

A file holds the format name and version, the page it belongs to, the estimator's class and
parameters, its classes, its weights, and the settings of the data it was trained on. Loading
refuses, with a message a user can act on, anything that is not exactly that: another format,
a truncated or malformed file, an oversized one, weights whose shapes do not fit, non-finite
numbers, or a model for another page.
"""
import io
import json
import zipfile

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from .logistic import LogisticRegression
from .mlp import MLPClassifier

FORMAT = "neural-playground-model"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024
MODELS = {"LogisticRegression": LogisticRegression, "MLPClassifier": MLPClassifier}


class ModelFileError(ValueError):
    """A model file that cannot be loaded; the message says why."""


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, type):  # a dtype given as np.float32
        return np.dtype(value).name
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, tuple):
        return list(value)
    return value


def _weights(model, snapshot=None):
    """The weights by name: the model's own, or those a Snapshot of its training holds."""
    weights = model.get_weights() if snapshot is None else dict(snapshot.weights)
    if not all(np.isfinite(w).all() for w in weights.values()):
        raise ValueError("The model's weights are not finite (training diverged): reset it "
                         "before saving.")
    return weights


def _meta(model, page, data, snapshot=None):
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise ValueError("Only a trained model can be saved.") from None
    params = {k: _jsonable(v) for k, v in model.get_params().items() if k != "random_state"}
    steps = model.t_ if snapshot is None else snapshot.step
    return {"format": FORMAT, "version": VERSION, "page": page, "model": type(model).__name__,
            "params": params, "classes": [_jsonable(c) for c in model.classes_],
            "n_features": int(model.n_features_in_), "steps": int(steps), "data": data or {}}


def to_json(model, page=None, data=None, snapshot=None):
    """The model as UTF-8 JSON bytes (weights as nested lists).

    With ``snapshot`` (a ``core.trainer.Snapshot`` of this model's training), the weights and
    step are the snapshot's: one consistent state, even while training goes on in another
    thread. Raises ValueError for weights that are not finite.
    """
    meta = _meta(model, page, data, snapshot)
    weights = _weights(model, snapshot)
    meta["weights"] = {k: np.asarray(v).tolist() for k, v in weights.items()}
    return json.dumps(meta).encode("utf-8")


def to_npz(model, page=None, data=None, snapshot=None):
    """The model as .npz bytes: one array per weight, the rest as a JSON string (see to_json)."""
    buf = io.BytesIO()
    meta = _meta(model, page, data, snapshot)
    arrays = {k: np.asarray(v) for k, v in _weights(model, snapshot).items()}
    np.savez_compressed(buf, meta=np.array(json.dumps(meta)), **arrays)
    return buf.getvalue()


def _read(data):
    if len(data) > MAX_BYTES:
        raise ModelFileError(f"The file is {len(data) / 2**20:.1f} MB; model files are limited "
                             f"to {MAX_BYTES // 2**20} MB.")
    if data[:2] == b"PK":
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as f:
                if "meta" not in f.files:
                    raise ModelFileError("This .npz file has no 'meta' entry: it was not saved "
                                         "by Neural Playground.")
                meta = json.loads(str(f["meta"]))
                weights = {k: f[k] for k in f.files if k != "meta"}
        except ModelFileError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as err:
            raise ModelFileError(f"The .npz file is damaged or truncated ({err}).") from None
        return meta, weights
    text = data.lstrip()[:1]
    if text in (b"{",):
        try:
            meta = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelFileError(f"The JSON file is malformed or truncated ({err}).") from None
        if not isinstance(meta, dict) or not isinstance(meta.get("weights"), dict):
            raise ModelFileError("The JSON file has no weights: it was not saved by Neural "
                                 "Playground.")
        try:
            weights = {k: np.asarray(v, dtype=np.float64) for k, v in meta.pop("weights").items()}
        except (ValueError, TypeError):
            raise ModelFileError("The weights in the JSON file are not arrays of numbers.") from None
        return meta, weights
    raise ModelFileError("Unknown file format: upload a .json or .npz model saved by Neural "
                         "Playground.")


def load(data, page=None):
    """Rebuild a model from ``to_json``/``to_npz`` bytes.

    Parameters
    ----------
    data : bytes
    page : if given, the file must have been saved on this page.

    Returns
    -------
    model : a fitted LogisticRegression or MLPClassifier (ready to predict or train on)
    meta : dict with "page", "params", "classes", "data" (the data settings) and "steps".

    Raises
    ------
    ModelFileError (a ValueError) naming the problem.
    """
    try:
        return _load(bytes(data), page)
    except ModelFileError:
        raise
    except Exception as err:  # untrusted input: whatever else is wrong, say so, never crash
        raise ModelFileError(f"The file's contents are malformed ({type(err).__name__}: "
                             f"{err}).") from None


def _numeric(name, w):
    w = np.asarray(w)
    if w.dtype.kind not in "biuf":
        raise ModelFileError(f"The weights {name!r} are not numbers (dtype {w.dtype}).")
    return w if w.dtype.kind == "f" else w.astype(np.float64)


def _load(data, page):
    meta, weights = _read(data)
    if not isinstance(meta, dict):
        raise ModelFileError("The file's settings are not a JSON object: it was not saved by "
                             "Neural Playground.")
    weights = {k: _numeric(k, w) for k, w in weights.items()}
    if meta.get("format") != FORMAT:
        raise ModelFileError("This file was not saved by Neural Playground (no format tag).")
    if meta.get("version") != VERSION:
        raise ModelFileError(f"Model file version {meta.get('version')!r} is not supported "
                             f"(this app reads version {VERSION}).")
    if page is not None and meta.get("page") not in (None, page):
        raise ModelFileError(f"This model belongs to the {meta.get('page')!r} page, not "
                             f"{page!r}: load it there.")
    Model = MODELS.get(meta.get("model"))
    if Model is None:
        raise ModelFileError(f"Unknown model type {meta.get('model')!r}.")
    if not isinstance(meta.get("params", {}), dict):
        raise ModelFileError("The file's model settings are not a JSON object.")
    classes = meta.get("classes")
    n_features = meta.get("n_features")
    steps = meta.get("steps", 0)
    if (not isinstance(classes, list) or len(classes) < 2
            or not all(isinstance(c, (str, int, float)) and not isinstance(c, bool) for c in classes)
            or len(set(classes)) != len(classes)
            or type(n_features) is not int or n_features < 1
            or type(steps) is not int or steps < 0):
        raise ModelFileError("The file's classes, number of features or step count are missing "
                             "or invalid.")
    try:
        model = Model.from_weights(meta.get("params", {}), classes, n_features, weights, steps)
    except (TypeError, ValueError) as err:
        raise ModelFileError(f"The model in the file cannot be rebuilt: its settings are invalid "
                             f"or its weights do not fit them ({err})") from None
    return model, {k: meta.get(k) for k in ("page", "model", "params", "classes", "data", "steps")}
