"""Hostile input costs no memory, no time and no raw exception.

Every case below is something a user (or an attacker) can hand the engine: a model file, a CSV
file, a setting, a drawing. The inputs are generated here, never committed. For each case the
test asserts:

- the documented exception type (ModelFileError for model files, EmptyDrawingError for a
  drawing, ValueError for the rest), never a TypeError, MemoryError or a library's own error;
- a message under 300 characters that names the problem (the words given with the case), and
  quotes no long stretch of the input;
- under 50 MB of extra memory (tracemalloc's peak, which sees numpy's buffers too), far above
  what a refusal costs (kilobytes). How long each refusal takes (goal: under 1 s) is a speed
  figure, printed by benchmarks/hostile_input.py, never asserted here;
- nothing written to disk, and the state that was there before (a fitted model, a trainer)
  unchanged.
"""
import builtins
import io
import json
import os
import struct
import tracemalloc
import zipfile
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest

from core import (EmptyDrawingError, LogisticRegression, MLPClassifier, Trainer,
                  drawing_to_input, make_dataset, make_grid, points_from_csv,
                  probability_surface)
from core.datasets import xor
from core.persistence import (MAX_BYTES, MAX_UNPACKED_BYTES, MAX_WEIGHTS, ModelFileError, load,
                              to_json, to_npz)
from core.surface import Grid

MAX_EXTRA_BYTES = 50 * 2**20
MAX_MESSAGE = 300


# ---- the state a refusal must leave alone -----------------------------------------------------
X2, Y2 = make_dataset("xor", 200, random_state=0)


@pytest.fixture(scope="module")
def world():
    return make_world()


def make_world():
    """A fitted MLP and a trainer part-way through, shared by the cases that touch them."""
    mlp = MLPClassifier((4,), activation="tanh", max_iter=3, tol=0, random_state=0).fit(X2, Y2)
    trainer = Trainer(MLPClassifier((4,), batch_size=16, tol=0, max_iter=10**6, random_state=0),
                      X2, Y2)
    trainer.run(5)
    return {"mlp": mlp, "trainer": trainer}


def state_of(world):
    mlp, trainer = world["mlp"], world["trainer"]
    return ({k: w.copy() for k, w in mlp.get_weights().items()}, mlp.get_params(),
            {k: w.copy() for k, w in trainer.model.get_weights().items()}, trainer.step,
            trainer.model.get_params())


def assert_same_state(before, after):
    for a, b in zip(before, after):
        if isinstance(a, dict) and a and isinstance(next(iter(a.values())), np.ndarray):
            assert a.keys() == b.keys()
            for k in a:
                np.testing.assert_array_equal(a[k], b[k])
        else:
            assert a == b


# ---- model files, generated ---------------------------------------------------------------------
def good_meta(**changes):
    model = MLPClassifier((4,), activation="tanh", max_iter=2, tol=0, random_state=0).fit(X2, Y2)
    meta = json.loads(to_json(model, page="xor", data={"dataset": "xor", "n": 200, "seed": 0}))
    meta.update(changes)
    return meta


def json_file(**changes):
    return json.dumps(good_meta(**changes)).encode()


def npz_entries(entries, compression=zipfile.ZIP_DEFLATED):
    """An .npz built entry by entry: name -> array, or name -> (npy header dict, payload chunks)
    to write an entry whose header says one thing and whose data is another."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression, compresslevel=9) as z:
        for name, value in entries.items():
            with z.open(name + ".npy", "w", force_zip64=True) as f:
                if isinstance(value, np.ndarray):
                    np.lib.format.write_array(f, value, allow_pickle=False)
                    continue
                header, chunks = value
                np.lib.format.write_array_header_1_0(f, header)
                for chunk in chunks:
                    f.write(chunk)
    return buf.getvalue()


def meta_array(**changes):
    meta = good_meta(**changes)
    weights = {k: np.asarray(v) for k, v in meta.pop("weights").items()}
    return np.array(json.dumps(meta)), weights


def zeros(n_bytes, chunk=1 << 20):
    full, rest = divmod(n_bytes, chunk)
    return [bytes(chunk)] * full + ([bytes(rest)] if rest else [])


def npz_bomb(inflated, entry="coef_0"):
    """A valid .npz whose entry ``entry`` inflates to ``inflated`` bytes of zeros (deflate packs
    them about 1000:1)."""
    meta, weights = meta_array()
    header = {"descr": "<f8", "fortran_order": False, "shape": (inflated // 8,)}
    if entry == "meta":
        header = {"descr": f"<U{inflated // 4}", "fortran_order": False, "shape": ()}
        return npz_entries({"meta": (header, zeros(inflated)), **weights})
    return npz_entries({"meta": meta, **{**weights, entry: (header, zeros(inflated))}})


def declare_size(data, name, size):
    """The zip ``data`` with the uncompressed size that the central directory and the local
    header declare for ``name`` replaced by ``size`` (in the record itself, or in its zip64
    extra field when the record says 0xFFFFFFFF)."""
    data = bytearray(data)
    encoded = name.encode()
    # signature, offset of the size field, of the name's length, and the fixed header's length
    for signature, size_at, name_at, header_len in ((b"PK\x01\x02", 24, 28, 46),
                                                     (b"PK\x03\x04", 22, 26, 30)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_len, extra_len = struct.unpack_from("<HH", data, at + name_at)
            if data[at + header_len:at + header_len + name_len] == encoded:
                if struct.unpack_from("<I", data, at + size_at)[0] != 0xFFFFFFFF:
                    struct.pack_into("<I", data, at + size_at, size)
                else:
                    extra = at + header_len + name_len
                    end = extra + extra_len
                    while extra < end:  # walk the extra fields to zip64's (id 1)
                        tag, length = struct.unpack_from("<HH", data, extra)
                        if tag == 1:
                            struct.pack_into("<Q", data, extra + 4, size)
                        extra += 4 + length
            at += 4
    return bytes(data)


def lying_bomb(inflated):
    """coef_0 declares the 4x2 shape it should have (so its declared size is tiny) and holds
    ``inflated`` bytes: a reader that trusted the stream would inflate them all."""
    meta, weights = meta_array()
    shape = weights["coef_0"].shape
    header = {"descr": "<f8", "fortran_order": False, "shape": shape}
    data = npz_entries({"meta": meta, **{**weights, "coef_0": (header, zeros(inflated))}})
    return declare_size(data, "coef_0.npy", 128 + 8 * int(np.prod(shape)))


def many_entries(n):
    meta, weights = meta_array()
    return npz_entries({"meta": meta, **weights,
                        **{f"extra_{i}": np.zeros(1) for i in range(n)}},
                       compression=zipfile.ZIP_STORED)


def comma_list(n, item=b"0"):
    return b"[" + b",".join([item] * n) + b"]"


def padded(data):
    """A JSON object padded with spaces to just under the file size limit."""
    return data[:-1] + b" " * (MAX_BYTES - len(data) - 1) + b"}"


def json_with_raw(key, raw):
    """A model file's JSON with ``raw`` (bytes, not JSON-encoded) as the value of ``key``."""
    text = json.dumps(good_meta(**{key: "__RAW__"})).encode()
    return text.replace(b'"__RAW__"', raw)


# ---- the cases ----------------------------------------------------------------------------------
@dataclass
class Case:
    id: str
    make: Callable        # () -> the call to make (a function of the world), built before measuring
    error: type
    words: tuple          # words the message must hold


def load_of(data):
    return lambda world: load(data, page="xor")


def csv_of(data):
    return lambda world: points_from_csv(data)


def with_params(**params):
    """A call that fits a fresh MLP (or LogisticRegression if given via 'Model') with params."""
    Model = params.pop("Model", MLPClassifier)
    return lambda: (lambda world: Model(**params).fit(X2, Y2))


def refit(**params):
    """The world's fitted MLP asked to fit again with bad params: refused before it changes."""
    def call(world):
        mlp = world["mlp"]
        old = mlp.get_params()
        mlp.set_params(**params)
        try:
            mlp.fit(X2, Y2)
        finally:
            mlp.set_params(**old)
    return lambda: call


def trainer_batch(batch_size):
    """A batch size changed during training (as a page's slider does) to an absurd one."""
    def call(world):
        model = world["trainer"].model
        old = model.batch_size
        model.set_params(batch_size=batch_size)
        try:
            world["trainer"].run(1)
        finally:
            model.set_params(batch_size=old)
    return lambda: call


def faint(level, target):
    def make():
        pad = np.zeros((280, 280, 4), np.uint8)
        pad[..., 3] = 255
        pad[60:220, 120:160, :3] = int(level * 255)
        return lambda world: drawing_to_input(pad, target)
    return make


def nan_grid(value):
    def make():
        model = MLPClassifier((4,), max_iter=2, tol=0, random_state=0).fit(X2, Y2)
        grid = make_grid(X2, resolution=20)
        points = grid.points.copy()
        points[7, 1] = value
        return lambda world: probability_surface(model, Grid(grid.xs, grid.ys, points))
    return make


MODEL_FILES = [
    # compressed files, judged by their declared sizes before anything is inflated
    Case("npz-bomb-256MB", lambda: load_of(npz_bomb(256 * 2**20)), ModelFileError,
         ("unpacks to 256.0 MB", "limited to 8 MB")),
    Case("npz-bomb-1GiB-declared", lambda: load_of(declare_size(npz_bomb(2**20), "coef_0.npy",
                                                                2**30)),
         ModelFileError, ("unpacks to 1024.0 MB",)),
    Case("npz-meta-bomb", lambda: load_of(declare_size(npz_bomb(2**20, "meta"), "meta.npy",
                                                       600 * 2**20)),
         ModelFileError, ("unpacks to",)),
    Case("npz-lying-size", lambda: load_of(lying_bomb(64 * 2**20)), ModelFileError,
         ("damaged",)),
    Case("npz-declared-shape-too-big",
         lambda: load_of(npz_entries({"meta": meta_array()[0], **{
             **meta_array()[1],
             "coef_0": ({"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)},
                        [b"\0" * 64])}})),
         ModelFileError, ("1,000,000,000,000 numbers", f"{MAX_WEIGHTS:,}")),
    Case("npz-too-many-numbers",
         lambda: load_of(npz_entries({"meta": meta_array()[0], **meta_array()[1],
                                      "coef_9": np.zeros(MAX_WEIGHTS + 1, np.float32)})),
         ModelFileError, ("numbers", f"{MAX_WEIGHTS:,}")),
    Case("npz-10000-entries", lambda: load_of(many_entries(10_000)), ModelFileError,
         ("entries",)),
    Case("npz-object-array", lambda: load_of(npz_entries({
        "meta": meta_array()[0], **meta_array()[1],
        "coef_0": ({"descr": "|O", "fortran_order": False, "shape": (2, 4)}, [b"\0" * 64])})),
         ModelFileError, ("not numbers",)),
    Case("npz-bzip2", lambda: load_of(npz_entries({"meta": meta_array()[0], **meta_array()[1]},
                                                  compression=zipfile.ZIP_BZIP2)),
         ModelFileError, ("compressed",)),
    Case("npz-long-entry-name", lambda: load_of(npz_entries({
        "meta": meta_array()[0], **meta_array()[1], "w" * 5000: np.zeros(1)})),
         ModelFileError, ("entry", "www")),
    Case("npz-meta-not-text", lambda: load_of(npz_entries({"meta": np.zeros(3),
                                                           **meta_array()[1]})),
         ModelFileError, ("meta",)),
    # oversized or expensive JSON, refused before parsing
    Case("file-over-20MB", lambda: load_of(b"{" + b" " * MAX_BYTES), ModelFileError,
         ("limited to 20 MB",)),
    Case("json-whitespace-19MB", lambda: load_of(json_file(format="nope") + b" " * (19 * 2**20)),
         ModelFileError, ("not saved by Neural Playground",)),
    # the most a JSON file within the limits can cost: 409,000 values padded to 20 MB
    Case("json-20MB-of-big-numbers", lambda: load_of(padded(json_with_raw(
        "steps", comma_list(MAX_WEIGHTS + 9000, b"123456789012345678")))),
         ModelFileError, ("step count",)),
    Case("json-20MB-too-many-weights", lambda: load_of(padded(json_with_raw(
        "weights", b'{"coef_0": ' + comma_list(MAX_WEIGHTS + 9000, b"0.1234567890123") + b"}"))),
         ModelFileError, ("409,000 numbers", f"{MAX_WEIGHTS:,}")),
    Case("json-5M-values", lambda: load_of(json_with_raw("steps", comma_list(5_000_000))),
         ModelFileError, ("values",)),
    Case("json-1M-empty-lists", lambda: load_of(json_with_raw("steps", comma_list(10**6, b"[]"))),
         ModelFileError, ("lists",)),
    Case("json-deep-nesting",
         lambda: load_of(json_with_raw("steps", b"[" * 15_000 + b"]" * 15_000)),
         ModelFileError, ("malformed",)),
    Case("json-long-number", lambda: load_of(json_with_raw("steps", b"7" * 10**6)),
         ModelFileError, ("numbers are too long",)),
    Case("json-page-1MB", lambda: load_of(json_file(page="p" * 2**20)), ModelFileError,
         ("text longer than",)),
    Case("json-model-100KB", lambda: load_of(json_file(model="M" * 100_000)), ModelFileError,
         ("text longer than",)),
    Case("json-non-ascii-2MB", lambda: load_of(json.dumps(good_meta(format="é" * 2**20),
                                                          ensure_ascii=False).encode()),
         ModelFileError, ("beyond ASCII",)),
    Case("json-page-tricky", lambda: load_of(json_file(page="\u202e<b>x</b>\n" * 20)),
         ModelFileError, ("belongs to the", "page")),
    Case("json-model-unknown", lambda: load_of(json_file(model="Evil" * 200)), ModelFileError,
         ("Unknown model type",)),
    Case("json-version-huge", lambda: load_of(json_with_raw("version", b"9" * 4000)),
         ModelFileError, ("version",)),
    # what the file says, checked
    Case("classes-nan", lambda: load_of(json_with_raw("classes", b"[NaN, 1]")), ModelFileError,
         ("classes", "finite")),
    Case("classes-text-and-number", lambda: load_of(json_file(classes=["1", 1])), ModelFileError,
         ("classes",)),
    Case("classes-repeat-after-coercion", lambda: load_of(json_file(classes=[1, 1.0])),
         ModelFileError, ("classes",)),
    Case("classes-bools", lambda: load_of(json_file(classes=[False, True])), ModelFileError,
         ("classes",)),
    Case("classes-5000", lambda: load_of(json_file(classes=list(range(5000)))), ModelFileError,
         ("classes",)),
    Case("classes-huge-int", lambda: load_of(json_file(classes=[0, 10**30])), ModelFileError,
         ("classes",)),
    Case("n-features-huge", lambda: load_of(json_file(n_features=10**30)), ModelFileError,
         ("number of features",)),
    Case("weights-nan", lambda: load_of(json_with_raw("weights", b'{"coef_0": [[NaN]]}')),
         ModelFileError, ("coef_0",)),
    Case("params-unknown-long-name", lambda: load_of(json_file(params={"x" * 900: 1})),
         ModelFileError, ("no setting", "xxx")),
    Case("params-hidden-1e6x1e6", lambda: load_of(json_file(params={
        "hidden_layer_sizes": [10**6, 10**6], "activation": "tanh"})),
         ModelFileError, ("GB", "limit")),
    Case("params-batch-1e9", lambda: load_of(json_file(params={
        **good_meta()["params"], "batch_size": 10**9})), ModelFileError, ("batch size", "GB")),
    Case("params-learning-rate-1e300", lambda: load_of(json_file(params={
        **good_meta()["params"], "learning_rate": 1e300})), ModelFileError, ("learning_rate",)),
    Case("params-dtype-unknown", lambda: load_of(json_file(params={
        **good_meta()["params"], "dtype": "float99"})), ModelFileError, ("dtype",)),
    Case("params-random-state-text", lambda: load_of(json_file(params={
        **good_meta()["params"], "random_state": "a"})), ModelFileError, ("random_state",)),
    Case("params-hidden-2.5", lambda: load_of(json_file(params={
        **good_meta()["params"], "hidden_layer_sizes": 2.5})), ModelFileError,
         ("hidden_layer_sizes",)),
    Case("params-hidden-true", lambda: load_of(json_file(params={
        **good_meta()["params"], "hidden_layer_sizes": [True]})), ModelFileError,
         ("hidden_layer_sizes",)),
    Case("params-tol-text", lambda: load_of(json_file(params={
        **good_meta()["params"], "tol": "x"})), ModelFileError, ("tol",)),
    Case("data-a-string", lambda: load_of(json_file(data="loud")), ModelFileError,
         ("settings",)),
    Case("data-nested", lambda: load_of(json_file(data={"n": {"deep": [1]}})), ModelFileError,
         ("settings",)),
]

CSV_FILES = [
    Case("csv-field-over-csv-limit", lambda: csv_of(b"1,2,a\n3,4,\"" + b"x\n" * 70_000 + b"\"\n"),
         ValueError, ("not valid CSV",)),
    Case("csv-130000-char-cell", lambda: csv_of(b"1,2,a\n3," + b"9" * 130_000 + b",b\n"),
         ValueError, ("Line 2", "characters long")),
    Case("csv-9000-char-text-cell", lambda: csv_of(b"1,2,a\n3," + b"z" * 9000 + b",b\n5,6,a\n"
                                                  b"7,8,b\n"),
         ValueError, ("Row 2, column 2", "not a number")),
    Case("csv-long-label", lambda: csv_of(b"1,2,a\n3,4," + b"q" * 5000 + b"\n5,6,b\n7,8,b\n"),
         ValueError, ("label", "limit")),
    Case("csv-1M-rows", lambda: csv_of(b"0,0,a\n1,1,b\n" * 500_000), ValueError,
         ("MB", "limited to 2 MB")),
    Case("csv-340k-rows-under-2MB", lambda: csv_of(b"0,0,a\n" * 340_000), ValueError,
         ("rows", "limit is 5000")),
    Case("csv-10000-columns", lambda: csv_of((b"1," * 4999 + b"1\n") * 10), ValueError,
         ("two classes",)),
    Case("csv-not-utf8", lambda: csv_of(b"1,2,a\n3,4,\xff\xfe\n"), ValueError, ("UTF-8",)),
    Case("csv-nul", lambda: csv_of(b"1,2,a\n3,4\x00\x00,b\n5,6,a\n7,8,b\n"), ValueError,
         ("Row 2",)),
    Case("csv-many-labels", lambda: csv_of("\n".join(f"{i},{i},{'L' * 90}{i}"
                                                     for i in range(5000)).encode()),
         ValueError, ("exactly two classes", "found 5000")),
]

SETTINGS = [
    Case("mlp-batch-1e9", with_params(batch_size=10**9), ValueError, ("batch size", "GB")),
    Case("mlp-batch-1e9-float", with_params(batch_size=1e9), ValueError, ("batch_size",)),
    Case("mlp-hidden-1e6x1e6", with_params(hidden_layer_sizes=(10**6, 10**6)), ValueError,
         ("GB", "limit")),
    Case("mlp-1000-layers", with_params(hidden_layer_sizes=(2,) * 1000), ValueError,
         ("hidden_layer_sizes", "100")),
    Case("mlp-lr-1e9", with_params(learning_rate=1e9), ValueError, ("learning_rate",)),
    Case("logistic-lr-1e300", with_params(Model=LogisticRegression, learning_rate=1e300),
         ValueError, ("learning_rate",)),
    Case("mlp-lr-huge-int", with_params(learning_rate=10**5000), ValueError,
         ("learning_rate", "digits")),
    Case("mlp-tol-text", with_params(tol="x"), ValueError, ("tol",)),
    Case("mlp-hidden-2.5", with_params(hidden_layer_sizes=2.5), ValueError,
         ("hidden_layer_sizes",)),
    Case("mlp-hidden-true", with_params(hidden_layer_sizes=(True, 3)), ValueError,
         ("hidden_layer_sizes",)),
    Case("mlp-dtype-unknown", with_params(dtype="float99"), ValueError, ("dtype",)),
    Case("mlp-random-state-text", with_params(random_state="a"), ValueError, ("random_state",)),
    Case("mlp-activation-list", with_params(activation=["relu"]), ValueError, ("activation",)),
    Case("mlp-momentum-text", with_params(momentum="0.5"), ValueError, ("momentum",)),
    Case("refit-with-huge-hidden", refit(hidden_layer_sizes=(10**7,)), ValueError, ("GB",)),
    Case("trainer-batch-1e9-mid-run", trainer_batch(10**9), ValueError,
         ("batch_size", "GB")),
    Case("trainer-evaluates-nothing", lambda: (lambda world: Trainer(
        MLPClassifier((2,)), X2, Y2, max_eval=0)), ValueError, ("max_eval",)),
    Case("make-dataset-1e12-rows", lambda: (lambda world: make_dataset("xor", 10**12)),
         ValueError, ("n_samples",)),
    Case("make-dataset-noise-text", lambda: (lambda world: make_dataset("xor", 100, "0.1")),
         ValueError, ("noise",)),
    Case("generator-noise-text", lambda: (lambda world: xor(100, "0.1", 0)), ValueError,
         ("noise",)),
    Case("make-dataset-random-state-text", lambda: (lambda world: make_dataset(
        "xor", 100, random_state="a")), ValueError, ("random_state",)),
    Case("make-dataset-long-key", lambda: (lambda world: make_dataset("k" * 10**6)), ValueError,
         ("Unknown dataset",)),
    Case("grid-1e6-resolution", lambda: (lambda world: make_grid(X2, resolution=10**6)),
         ValueError, ("resolution",)),
    Case("grid-of-nan-points", lambda: (lambda world: make_grid(np.array([[np.nan, 0], [1, 1]]))),
         ValueError, ("finite",)),
    Case("grid-overflowing", lambda: (lambda world: make_grid(np.array([[-1e308, 0], [1e308, 1]]))),
         ValueError, ("too far apart",)),
    Case("surface-on-nan-grid", nan_grid(np.nan), ValueError, ("grid", "NaN")),
    Case("surface-on-inf-grid", nan_grid(np.inf), ValueError, ("grid", "infinite")),
    Case("float32-input-beyond-range", lambda: (lambda world: MLPClassifier(
        (2,), dtype=np.float32, max_iter=1).fit(X2 * 1e300, Y2)), ValueError, ("float32",)),
    Case("set-weights-1e5-names", lambda: (lambda world: world["mlp"].set_weights(
        {f"w{'x' * 100}{i}": np.zeros(1) for i in range(10**5)})), ValueError, ("named",)),
    Case("faint-drawing-digits8", faint(0.2, "digits8"), EmptyDrawingError, ("empty", "faint")),
    Case("faint-drawing-mnist", faint(0.2, "mnist"), EmptyDrawingError, ("empty",)),
]

ALL = MODEL_FILES + CSV_FILES + SETTINGS


@pytest.fixture
def no_writes(monkeypatch):
    """Record every attempt to open a file for writing (and let reads through)."""
    writes = []
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            writes.append(file)
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            writes.append(path)
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    return writes


def refused(call, world, error):
    with pytest.raises(Exception) as caught:
        call(world)
    assert type(caught.value) is error, f"{type(caught.value).__name__}: {caught.value}"
    return str(caught.value)


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_hostile_input_is_refused_cheaply_and_clearly(case, world, no_writes):
    call = case.make()  # the input is built before anything is measured
    before = state_of(world)

    message = refused(call, world, case.error)

    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        refused(call, world, case.error)
        extra = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()

    assert len(message) < MAX_MESSAGE, message
    for word in case.words:
        assert word in message, message
    assert "\n" not in message and "x" * 60 not in message and "9" * 60 not in message
    assert extra < MAX_EXTRA_BYTES, f"{extra / 2**20:.0f} MB"
    assert not no_writes, no_writes
    assert_same_state(before, state_of(world))


# ---- what hostile-looking input must still do: be read ----------------------------------------
def test_old_mac_line_endings_are_read():
    X, y, classes = points_from_csv(b"x1,x2,label\r0,0,a\r1,1,b\r0,1,a\r1,0,b\r")
    assert X.shape == (4, 2) and list(classes) == ["a", "b"] and list(y) == [0, 1, 0, 1]
    X, y, _ = points_from_csv("0,0,a\r\n1,1,b\r\n0,1,a\r\n1,0,b")  # Windows, as text
    assert X.shape == (4, 2)


def test_a_file_at_the_row_limit_is_read_and_one_row_more_is_not():
    rows = "\n".join(f"{i % 97},{i % 89},{'ab'[i % 2]}" for i in range(5000))
    X, y, _ = points_from_csv(("x1,x2,label\n" + rows).encode())
    assert X.shape == (5000, 2)
    with pytest.raises(ValueError, match="limit is 5000"):
        points_from_csv((rows + "\n1,1,a").encode())


def test_a_quoted_multiline_label_and_extra_columns_are_fine():
    X, y, classes = points_from_csv(b'0,0,"a\nb",z\n1,1,c,z\n0,1,"a\nb",z\n1,0,c,z\n')
    assert list(classes) == ["a\nb", "c"]


def test_the_largest_model_a_page_trains_saves_and_loads_within_the_limits():
    """The digit page's largest network, 784-256-256-256-10, as JSON and .npz: legitimate files
    stay well inside every limit."""
    rng = np.random.default_rng(0)
    X = rng.random((30, 784)).astype(np.float32)
    y = np.arange(30) % 10
    model = MLPClassifier((256, 256, 256), activation="tanh", dtype=np.float32, random_state=0)
    Trainer(model, X, y)
    for save in (to_json, to_npz):
        data = save(model, page="digits", data={"source": "mnist", "n": 60000, "seed": 1})
        loaded, meta = load(data, page="digits")
        assert [W.shape for W in loaded.coefs_] == [(784, 256), (256, 256), (256, 256), (256, 10)]
        for got, want in zip(loaded.coefs_, model.coefs_):
            np.testing.assert_array_equal(got, want)
    assert len(to_npz(model)) < MAX_BYTES and sum(w.size for w in model.get_weights().values()) \
        < MAX_WEIGHTS and 4 * 336_000 < MAX_UNPACKED_BYTES


def test_class_labels_survive_a_round_trip_and_predictions_are_labels():
    X, y = make_dataset("xor", 100, random_state=0)
    for labels in (np.array(["no", "yes"]), np.array([-1.0, 2.0]), np.array([3, 7])):
        model = LogisticRegression(max_iter=5).fit(X, labels[y])
        loaded, _ = load(to_json(model))
        predicted = loaded.predict(X)
        assert set(predicted.tolist()) <= set(labels.tolist())
        assert not (predicted.dtype.kind == "f" and np.isnan(predicted).any())


def test_a_refused_load_leaves_the_process_unchanged():
    """A refusal builds nothing that lingers: after a thousand refused bombs, memory is back."""
    bomb = npz_bomb(64 * 2**20)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(1000):
            with pytest.raises(ModelFileError):
                load(bomb)
        assert tracemalloc.get_traced_memory()[0] - base < 2**20
    finally:
        tracemalloc.stop()


def test_the_limits_are_stated_in_the_readme():
    from pathlib import Path
    from core.datasets import MAX_CSV_BYTES, MAX_CSV_ROWS
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    limits = readme.split("## Limits", 1)[1].split("\n## ", 1)[0]
    for stated in (f"{MAX_BYTES // 2**20} MB", f"{MAX_UNPACKED_BYTES // 2**20} MB once unpacked",
                   f"{MAX_WEIGHTS:,} numbers",
                   f"{MAX_CSV_BYTES // 2**20} MB, {MAX_CSV_ROWS:,} rows"):
        assert stated in limits, stated
