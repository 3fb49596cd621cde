"""Crafted model files and CSV files on the three training pages (headless, AppTest).

A page feeds a model file's settings to its widgets and seeds: every one must pass the check a
link's does, and a file that fails is refused whole, with a short message and "Nothing was
changed." (the settings, the run, its weights and its step stay as they were). A bad CSV is
explained and the current data kept; the fixed file, under the same name and size, is read.
The files are generated here, from what the page itself saves.
"""
import io
import json
import zipfile

import numpy as np
import pytest

from apptest_helpers import open_page
from core.datasets import CSV_LIMITS
from core.persistence import LIMITS, to_json, to_npz

PAGES = {  # key: (page file, the page name a file carries, the trainer a file holds)
    "logreg": ("app_pages/logistic_regression.py", "logistic_regression", "ours"),
    "xor": ("app_pages/xor.py", "xor", "MLP"),
    "digits": ("app_pages/digits.py", "digits", "MLP"),
}
SAVED_SETTINGS = ("dataset", "n", "noise", "test", "seed", "source", "features", "lecture")


def state(at, key):
    """What a refused file must leave alone: the settings, the run's weights, step and loads."""
    trainer = at.session_state[key].trainers[PAGES[key][2]]
    return (dict(at.session_state[f"{key}__settings"]),
            {k: w.copy() for k, w in trainer.model.get_weights().items()}, trainer.step,
            at.session_state[f"{key}__loads"] if f"{key}__loads" in at.session_state else 0)


def assert_same(before, after):
    assert before[0] == after[0]
    assert before[1].keys() == after[1].keys()
    for k in before[1]:
        np.testing.assert_array_equal(before[1][k], after[1][k])
    assert before[2:] == after[2:]


def saved_file(at, key):
    """The page's own model file for its current run (as its download button makes it)."""
    _, file_page, name = PAGES[key]
    store = at.session_state[f"{key}__settings"]
    data = {k: list(v) if isinstance(v, tuple) else v for k, v in store.items()
            if k in SAVED_SETTINGS}
    return json.loads(to_json(at.session_state[key].trainers[name].model, file_page, data))


def crafted(good):
    """(name, bytes) of files that must be refused: the issue's crashes and more."""
    params, data = good["params"], good["data"]

    def file(**changes):
        return json.dumps({**good, **changes}).encode()
    yield "n-out-of-bounds", file(data={**data, "n": 5000 if "noise" in data else 10**6})
    yield "seed-1.5", file(data={**data, "seed": 1.5})
    yield "seed-text", file(data={**data, "seed": "seven"})
    yield "noise-loud", file(data={**data, "noise": "loud"})
    yield "data-a-string", file(data="hello")
    yield "data-a-list", file(data=[1, 2])
    yield "data-nested", file(data={**data, "seed": {"x": 1}})
    yield "params-a-string", file(params="hello")
    yield "params-a-list", file(params=[1])
    yield "hidden-3", file(params={**params, "hidden_layer_sizes": 3})
    yield "hidden-2.5", file(params={**params, "hidden_layer_sizes": 2.5})
    yield "learning-rate-1e9", file(params={**params, "learning_rate": 1e9})
    yield "tol-text", file(params={**params, "tol": "x"})
    yield "dtype-unknown", file(params={**params, "dtype": "float99"})
    yield "random-state-text", file(params={**params, "random_state": "a"})
    yield "batch-1e9", file(params={**params, "batch_size": 10**9, "hidden_layer_sizes": [64]})
    yield "lr-setting-text", file(data={**data, "lr": "fast"})
    yield "unknown-setting", file(data={**data, "<b>" * 100: 1})
    yield "page-1MB", file(page="p" * 2**20)
    yield "page-other", file(page="backprop")
    yield "model-type-100KB", file(model="M" * 100_000)
    yield "classes-nan", file(classes=[float("nan")] + good["classes"][1:])
    yield "classes-text-and-number", file(classes=["1", 1] + good["classes"][2:])
    yield "weights-missing", file(weights={})
    yield "not-json", b"{" + b"\xff" * 100
    meta = dict(good)
    weights = {k: np.asarray(v) for k, v in meta.pop("weights").items()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("meta.npy", "w") as f:
            np.lib.format.write_array(f, np.array(json.dumps(meta)))
        for k, w in weights.items():
            with z.open(k + ".npy", "w", force_zip64=True) as f:
                np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False,
                                                         "shape": (2**25,)})
                for _ in range(256):
                    f.write(bytes(2**20))
            break
    yield "npz-bomb-256MB", buf.getvalue()


def upload(at, key, name, data):
    at.file_uploader(key=f"{key}_io_upload").set_value((name, data, "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(scope="module", params=list(PAGES))
def page(request):
    """A page that has trained a few steps, with its own file saved."""
    key = request.param
    at = open_page(PAGES[key][0], timeout=120)
    for _ in range(2):
        at.button(key=f"{key}_step").click().run()
    return key, at, saved_file(at, key)


def test_every_crafted_model_file_is_refused_whole_and_changes_nothing(page):
    key, at, good = page
    assert at.file_uploader(key=f"{key}_io_upload").proto.help == LIMITS
    for name, data in crafted(good):
        before = state(at, key)
        upload(at, key, f"{name}.json", data)
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and "Nothing was changed" in errors[0], (name, errors)
        message = errors[0].split(": ", 1)[1].split("  \nNothing was changed")[0]
        assert 10 < len(message) < 300, (name, message)
        assert "pppppppppppppppppppppppppppppppppppppppppppppppppp" not in message
        assert "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM" not in message
        assert_same(before, state(at, key))
        at.button(key=f"{key}_step").click().run()  # the run goes on
        assert not at.exception
    at.file_uploader(key=f"{key}_io_upload").set_value(None).run()


def test_files_that_leave_out_what_has_a_default_load_or_are_refused_but_never_crash(page):
    """No page, no parameters, no activation, no hidden layers: the file's model is then the
    estimator's default, which may fit the page (it loads) or not (it is refused)."""
    key, at, good = page
    params = good["params"]
    cases = {"page-null": {**good, "page": None},
             "no-params": {k: v for k, v in good.items() if k != "params"},
             "no-activation": {**good, "params": {k: v for k, v in params.items()
                                                  if k != "activation"}},
             "no-hidden-sizes": {**good, "params": {k: v for k, v in params.items()
                                                    if k != "hidden_layer_sizes"}}}
    for name, content in cases.items():
        before = state(at, key)
        upload(at, key, f"{name}.json", json.dumps(content).encode())
        errors = [e.value for e in at.error]
        if errors:
            assert "Nothing was changed" in errors[0]
            assert_same(before, state(at, key))
        else:
            loaded = state(at, key)
            assert loaded[3] == before[3] + 1  # a new run, from the file
            for spec_name, value in loaded[0].items():  # every setting within its bounds
                assert value is not None, spec_name
        at.file_uploader(key=f"{key}_io_upload").set_value(None).run()
        assert not at.exception


def test_the_page_saved_file_still_loads_after_all_that(page):
    key, at, good = page
    model_name = PAGES[key][2]
    model = at.session_state[key].trainers[model_name].model
    before = state(at, key)
    data = to_npz(model, PAGES[key][1], good["data"])
    upload(at, key, "good.npz", data)
    assert not at.error
    assert state(at, key)[3] == before[3] + 1


# ---- CSV on the XOR page ----------------------------------------------------------------------
def xor_with_csv():
    at = open_page("app_pages/xor.py", timeout=120)
    at.radio(key="xor_source").set_value("Uploaded CSV").run()
    assert at.file_uploader(key="xor_csv").proto.help == CSV_LIMITS
    return at


def upload_csv(at, name, data):
    at.file_uploader(key="xor_csv").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return [e.value for e in at.sidebar.error]


GOOD_CSV = "x1,x2,label\n" + "\n".join(f"{i % 7},{i % 5},{'ab'[i % 2]}" for i in range(40))


def test_old_mac_line_endings_are_read_on_the_page():
    at = xor_with_csv()
    assert not upload_csv(at, "mac.csv", GOOD_CSV.replace("\n", "\r").encode())
    assert at.session_state["xor"].trainers["MLP"].X.shape[0] == 28  # 70 % of 40


@pytest.mark.parametrize("name, data, words", [
    ("long-field.csv", b"1,2,a\n3,4,\"" + b"x\n" * 70_000 + b"\"\n", "not valid CSV"),
    ("long-cell.csv", b"1,2,a\n3," + b"9" * 130_000 + b",b\n", "characters long"),
    ("million-rows.csv", b"0,0,a\n1,1,b\n" * 500_000, "limited to 2 MB"),
    ("many-rows.csv", b"0,0,a\n1,1,b\n" * 170_000, "limit is 5000"),
    ("text-cell.csv", b"1,2,a\n3," + b"z" * 9000 + b",b\n5,6,a\n7,8,b\n", "not a number"),
    ("binary.csv", bytes(range(256)) * 10, "UTF-8"),
])
def test_a_bad_csv_is_explained_briefly_and_the_data_kept(name, data, words):
    at = xor_with_csv()
    assert not upload_csv(at, "good.csv", GOOD_CSV.encode())
    at.button(key="xor_step").click().run()
    trainer = at.session_state["xor"].trainers["MLP"]
    errors = upload_csv(at, name, data)
    assert len(errors) == 1 and words in errors[0] and "The current data is kept" in errors[0]
    assert len(errors[0]) < 400 and "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" not in errors[0]
    assert at.session_state["xor"].trainers["MLP"] is trainer and trainer.step == 1


def test_the_fixed_file_under_the_same_name_and_size_is_read():
    at = xor_with_csv()
    bad = "x1,x2,label\n1,2,a\n3,oops,b\n5,6,a\n7,8,b\n0,1,a\n1,0,b\n"
    fixed = bad.replace("oops", "4.00")
    assert len(bad) == len(fixed)
    errors = upload_csv(at, "points.csv", bad.encode())
    assert len(errors) == 1 and "'oops'" in errors[0]
    assert not upload_csv(at, "points.csv", fixed.encode())
    # six points, three a class: one of each held out, four to train on
    assert at.session_state["xor"].trainers["MLP"].X.shape == (4, 2)
