"""Save a trained model as JSON or .npz (never pickle) and load it back, checking everything.

A file holds the format name and version, the page it belongs to, the estimator's class and
parameters, its classes, its weights, and the settings of the data it was trained on. Loading
refuses, with a message a user can act on, anything that is not exactly that: another format,
a truncated or malformed file, an oversized one, weights whose shapes do not fit, non-finite
numbers, or a model for another page.

A file is untrusted input, so it is judged before it costs anything: an .npz's entries by their
declared sizes, types and shapes before one byte is decompressed (a 1 KB file that inflates to
1 GB is refused at once), a JSON file by counting its lists, values and texts before it is
parsed. Messages quote the file's own text only as a short, escaped excerpt.

The limits (``LIMITS`` says them in words): the file at most ``MAX_BYTES``; an .npz at most
``MAX_UNPACKED_BYTES`` once decompressed; the weights at most ``MAX_WEIGHTS`` numbers in all.
"""
import io
import json
import math
import re
import zipfile

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from .errors import excerpt
from .logistic import LogisticRegression
from .mlp import MLPClassifier

FORMAT = "neural-playground-model"
VERSION = 1
MODELS = {"LogisticRegression": LogisticRegression, "MLPClassifier": MLPClassifier}

MAX_BYTES = 20 * 1024 * 1024          # the file, as uploaded
MAX_UNPACKED_BYTES = 8 * 1024 * 1024  # an .npz's entries together, decompressed
MAX_WEIGHTS = 400_000                 # numbers in all the weights together (array elements)
LIMITS = (f"Model files: at most {MAX_BYTES // 2**20} MB, {MAX_UNPACKED_BYTES // 2**20} MB "
          f"once unpacked (.npz), {MAX_WEIGHTS:,} numbers in the weights.")

# What a file saved here never exceeds; larger is refused before it is read.
_MAX_ARRAYS = 256          # weight arrays (two per layer)
_MAX_TEXT = 1000           # characters in one text value (a name, a label)
_MAX_META_CHARS = 100_000  # the settings part of an .npz (JSON text)
_MAX_CLASSES = 1000
_MAX_SETTINGS = 100        # named values in the data settings
# a JSON file's structure, counted before parsing: every value costs a Python object
_MAX_JSON_LISTS = 20_000   # '[' and '{' (a 784 x 256 weight matrix is 785 lists)
_MAX_JSON_KEYS = 1000      # ':'
_MAX_JSON_QUOTES = 2000    # '"': twice the texts
_MAX_JSON_VALUES = MAX_WEIGHTS + 10_000  # ','
_MAX_NON_ASCII_JSON = 1024 * 1024  # decoding text beyond ASCII costs up to 4 bytes a character


class ModelFileError(ValueError):
    """A model file that cannot be loaded; the message (under 300 characters) says why."""


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


def _mb(n):
    return f"{n / 2**20:.1f} MB"


def _brief(err, limit=120):
    """An exception's message, its start only and escaped (it may quote the file)."""
    text = str(err)
    return repr(text[:limit])[1:-1] + ("..." if len(text) > limit else "")


def _read(data):
    """(meta, weights) from the file's bytes, or a ModelFileError; nothing large is built
    before the file's declared sizes have been checked."""
    if len(data) > MAX_BYTES:
        raise ModelFileError(f"The file is {_mb(len(data))}; model files are limited "
                             f"to {MAX_BYTES // 2**20} MB.")
    if data[:2] == b"PK":
        return _read_npz(data)
    if data.lstrip()[:1] == b"{":
        return _read_json(data)
    raise ModelFileError("Unknown file format: upload a .json or .npz model saved by Neural "
                         "Playground.")


# ---- .npz: a zip of .npy arrays, judged by what each entry declares -------------------------
def _read_npz(data):
    # zipfile builds an object per central directory record, each marked by this signature:
    # counting them first bounds what opening the archive costs
    if data.count(b"PK\x01\x02") > _MAX_ARRAYS + 1:
        raise ModelFileError(f"The .npz file holds more than {_MAX_ARRAYS + 1} entries: it was "
                             "not saved by Neural Playground.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = _checked_entries(z.infolist())
            arrays = {info.filename[:-4]: _read_entry(z, info) for info in infos}
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError,
            NotImplementedError, RuntimeError, SyntaxError) as err:
        raise ModelFileError(f"The .npz file is damaged or truncated ({_brief(err)}).") from None
    meta = arrays.pop("meta")
    try:
        meta = json.loads(str(meta[()]))
    except (ValueError, RecursionError):
        raise ModelFileError("The .npz file's 'meta' entry is not JSON: it was not saved by "
                             "Neural Playground.") from None
    return meta, arrays


def _checked_entries(infos):
    """The entries, if their names, kinds and declared sizes are those of a model file."""
    if len(infos) > _MAX_ARRAYS + 1:
        raise ModelFileError(f"The .npz file holds {len(infos)} entries; a model file has at "
                             f"most {_MAX_ARRAYS + 1}.")
    names = set()
    for info in infos:
        name = info.filename
        if not name.endswith(".npy") or len(name) > 100 or name in names:
            raise ModelFileError(f"The .npz file's entry {excerpt(name)} is not one array: it "
                                 "was not saved by Neural Playground.")
        names.add(name)
        if info.flag_bits & 0x1:
            raise ModelFileError("The .npz file is encrypted: model files never are.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError("The .npz file is compressed in a way model files never are "
                                 "(numpy writes stored or deflated entries).")
    if "meta.npy" not in names:
        raise ModelFileError("This .npz file has no 'meta' entry: it was not saved by Neural "
                             "Playground.")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ModelFileError(f"The .npz file unpacks to {_mb(unpacked)}; model files are "
                             f"limited to {MAX_UNPACKED_BYTES // 2**20} MB unpacked.")
    return infos


def _read_entry(z, info):
    """One .npy entry as an array, after its header's type and shape were checked against its
    declared size; reading stops there (zipfile never returns more than the declared size)."""
    name = info.filename[:-4]
    with z.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ModelFileError(f"The .npz entry {excerpt(name)} has an unknown array format.")
        if name == "meta":
            if dtype.kind != "U" or shape != () or dtype.itemsize // 4 > _MAX_META_CHARS:
                raise ModelFileError("The .npz file's 'meta' entry is not a short text: it was "
                                     "not saved by Neural Playground.")
        elif dtype.hasobject or dtype.fields is not None or dtype.kind not in "biuf":
            raise ModelFileError(f"The weights {excerpt(name)} are not numbers (dtype "
                                 f"{excerpt(str(dtype))}): the file was not saved by Neural "
                                 "Playground.")
        count = math.prod(shape)
        if name != "meta" and count > MAX_WEIGHTS:
            raise ModelFileError(f"The weights {excerpt(name)} hold {count:,} numbers; model "
                                 f"files are limited to {MAX_WEIGHTS:,}.")
        nbytes = count * dtype.itemsize
        if nbytes != info.file_size - f.tell():
            raise ModelFileError(f"The .npz entry {excerpt(name)} is truncated or its size does "
                                 "not match its shape.")
        buf = f.read(nbytes)
        if len(buf) != nbytes or f.read(1):
            raise ModelFileError(f"The .npz entry {excerpt(name)} is truncated.")
    return np.frombuffer(buf, dtype).reshape(shape, order="F" if fortran else "C")


# ---- JSON: its structure counted before it is parsed -----------------------------------------
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _check_json_size(data):
    """Refuse JSON whose parsing would cost far more than a model file's: parsing builds a
    Python object for every list, key, value and text, and a text as long as the file."""
    if not data.isascii() and len(data) > _MAX_NON_ASCII_JSON:
        raise ModelFileError(f"A JSON model file with characters beyond ASCII is limited to "
                             f"{_MAX_NON_ASCII_JSON // 2**20} MB (this app saves plain ASCII).")
    counts = {"lists": (data.count(b"[") + data.count(b"{"), _MAX_JSON_LISTS),
              "named values": (data.count(b":"), _MAX_JSON_KEYS),
              "values": (data.count(b","), _MAX_JSON_VALUES),
              "texts": (data.count(b'"') // 2, _MAX_JSON_QUOTES // 2)}
    for what, (n, limit) in counts.items():
        if n > limit:
            raise ModelFileError(f"The JSON file holds more than {limit:,} {what}: it is not a "
                                 f"model file (weights are at most {MAX_WEIGHTS:,} numbers).")
    start = data.find(b'"')
    while start >= 0:
        # looked for within the longest text allowed only, so a huge text costs nothing
        found = _STRING.match(data, start, start + _MAX_TEXT + 2)
        if found is None:
            raise ModelFileError(f"The JSON file holds a text longer than {_MAX_TEXT:,} "
                                 "characters (or one that never ends): it is not a model file.")
        start = data.find(b'"', found.end())


def _read_json(data):
    _check_json_size(data)
    try:
        meta = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelFileError(f"The JSON file is malformed or truncated ({_brief(err)}).") from None
    except (ValueError, RecursionError):
        raise ModelFileError("The JSON file is malformed: its numbers are too long or its "
                             "lists nested too deeply.") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("weights"), dict):
        raise ModelFileError("The JSON file has no weights: it was not saved by Neural "
                             "Playground.")
    raw = meta.pop("weights")
    if len(raw) > _MAX_ARRAYS:
        raise ModelFileError(f"The JSON file holds {len(raw)} weight arrays; a model file has at "
                             f"most {_MAX_ARRAYS}.")
    try:
        weights = {k: np.asarray(v, dtype=np.float64) for k, v in raw.items()}
    except (ValueError, TypeError, OverflowError):
        raise ModelFileError("The weights in the JSON file are not arrays of numbers.") from None
    return meta, weights


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
    ModelFileError (a ValueError) naming the problem in under 300 characters, for anything
    that is not a model file of this app within ``LIMITS``. It costs at most a few times the
    limits in memory, whatever the file declares, and writes nothing.
    """
    try:
        return _load(bytes(data), page)
    except ModelFileError as err:
        message = str(err)
        if len(message) <= 300:
            raise
        raise ModelFileError(message[:296] + "...") from None
    except Exception as err:  # untrusted input: whatever else is wrong, say so, never crash
        raise ModelFileError(f"The file's contents are malformed ({type(err).__name__}: "
                             f"{_brief(err)}).") from None


def _numeric(name, w):
    w = np.asarray(w)
    if w.dtype.kind not in "biuf":
        raise ModelFileError(f"The weights {excerpt(name)} are not numbers.")
    return w if w.dtype.kind == "f" else w.astype(np.float64)


def _text(value):
    return isinstance(value, str) and len(value) <= _MAX_TEXT


def _scalar(value):
    return value is None or isinstance(value, (bool, int, float)) or _text(value)


def _check_classes(classes):
    """The file's classes, if they are what ``classes_`` can be: 2 to 1000 distinct labels,
    all texts or all finite numbers, still distinct as an array."""
    if not isinstance(classes, list) or not 2 <= len(classes) <= _MAX_CLASSES:
        raise ModelFileError(f"The file's classes are not a list of 2 to {_MAX_CLASSES} labels.")
    texts = all(_text(c) for c in classes)
    numbers = all(isinstance(c, (int, float)) and not isinstance(c, bool)
                  and math.isfinite(c) and abs(c) < 2**63 for c in classes)
    if not (texts or numbers):
        raise ModelFileError("The file's classes must be all texts or all finite numbers, got "
                             f"{excerpt(classes)}.")
    if len(np.unique(np.asarray(classes))) != len(classes):
        raise ModelFileError(f"The file's classes repeat a label: {excerpt(classes)}.")


def _check_params(Model, params):
    if not isinstance(params, dict):
        raise ModelFileError("The file's model settings are not a JSON object.")
    known = Model().get_params()
    unknown = [k for k in params if k not in known]
    if unknown:
        raise ModelFileError(f"{Model.__name__} has no setting {excerpt(unknown[0])}.")


def _setting(value):
    """A saved setting: text, a number, true/false, null, or a short list of those (a choice of
    several options)."""
    if isinstance(value, list):
        return len(value) <= _MAX_SETTINGS and all(_scalar(v) for v in value)
    return _scalar(value)


def _check_data(data):
    if data is None:
        return {}
    if (not isinstance(data, dict) or len(data) > _MAX_SETTINGS
            or not all(_text(k) and _setting(v) for k, v in data.items())):
        raise ModelFileError("The file's page settings are not a set of named values.")
    return data


def _load(data, page):
    meta, weights = _read(data)
    if not isinstance(meta, dict):
        raise ModelFileError("The file's settings are not a JSON object: it was not saved by "
                             "Neural Playground.")
    weights = {k: _numeric(k, w) for k, w in weights.items()}
    total = sum(w.size for w in weights.values())
    if total > MAX_WEIGHTS:
        raise ModelFileError(f"The weights hold {total:,} numbers; model files are limited to "
                             f"{MAX_WEIGHTS:,}.")
    if meta.get("format") != FORMAT:
        raise ModelFileError("This file was not saved by Neural Playground (no format tag).")
    if meta.get("version") != VERSION:
        raise ModelFileError(f"Model file version {excerpt(meta.get('version'))} is not "
                             f"supported (this app reads version {VERSION}).")
    file_page = meta.get("page")
    if file_page is not None and not _text(file_page):
        raise ModelFileError(f"The file's page {excerpt(file_page)} is not a page name.")
    if page is not None and file_page not in (None, page):
        raise ModelFileError(f"This model belongs to the {excerpt(file_page)} page, not "
                             f"{page!r}: load it there.")
    Model = MODELS.get(meta.get("model")) if isinstance(meta.get("model"), str) else None
    if Model is None:
        raise ModelFileError(f"Unknown model type {excerpt(meta.get('model'))}.")
    params = meta.get("params", {})
    _check_params(Model, params)
    classes = meta.get("classes")
    _check_classes(classes)
    n_features = meta.get("n_features")
    steps = meta.get("steps", 0)
    if (type(n_features) is not int or not 1 <= n_features <= MAX_WEIGHTS
            or type(steps) is not int or not 0 <= steps < 2**63):
        raise ModelFileError("The file's number of features or step count is missing or "
                             "invalid.")
    meta["data"] = _check_data(meta.get("data"))
    try:
        model = Model.from_weights(params, classes, n_features, weights, steps)
    except (TypeError, ValueError) as err:
        raise ModelFileError(f"The file's model cannot be rebuilt, its settings are invalid or "
                             f"its weights do not fit them: {_brief(err, 200)}") from None
    return model, {k: meta.get(k) for k in ("page", "model", "params", "classes", "data", "steps")}
