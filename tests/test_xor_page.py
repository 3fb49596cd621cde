"""The XOR page headless (AppTest): kept runs, hidden-unit maps, the network diagram, hidden
space, the scikit-learn baseline, uploaded CSV data, the controls and divergence."""
import re
from pathlib import Path

import numpy as np
import pytest

from core import (MLPClassifier, Trainer, TrainingDiverged, make_dataset, points_from_csv, split,
                  xor_by_hand)
from core.baselines import sklearn_mlp
from apptest_helpers import figure_array as array
from apptest_helpers import live_figure, metrics, open_page
from ui.numbers import num, percent, prob

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages/xor.py")


def xor_page():
    return open_page("app_pages/xor.py")


def button(at, label):
    return at.button[[b.label for b in at.button].index(label)]


def step(at, n=1):
    for _ in range(n):
        at.button(key="xor_step").click().run()
    assert not at.exception, [e.value for e in at.exception]


def mlp_trainer(at):
    return at.session_state["xor"].trainers["MLP"]


def copies(arrays):
    return [np.array(a, copy=True) for a in arrays]


def assert_all_equal(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ---- 1. kept runs --------------------------------------------------------------------------
def test_kept_run_and_a_rerun_from_the_same_initial_weights_are_overlaid():
    at = xor_page()
    initial = copies(mlp_trainer(at).model.coefs_)
    step(at, 5)
    with pytest.raises(KeyError):
        live_figure(at, "xor_kept_chart")  # nothing kept yet: no chart
    button(at, "📌 Keep this run's curves").click().run()
    label = "η=0.3, 2-4-1 tanh, batch 16"
    assert list(at.session_state["xor_kept"]) == [label]

    at.select_slider(key="xor_lr").set_value(0.03).run()
    at.button(key="xor_reset").click().run()
    assert metrics(at)["step"] == "0"
    assert_all_equal(mlp_trainer(at).model.coefs_, initial)  # the re-run starts where run 1 did
    assert mlp_trainer(at).model.learning_rate == 0.03
    step(at, 3)

    fig = live_figure(at, "xor_kept_chart")
    loss = {t["name"]: t for t in fig["data"] if t["yaxis"] == "y"}
    assert set(loss) == {f"{label} train", f"{label} test", "now train", "now test"}
    kept, now = loss[f"{label} train"], loss["now train"]
    np.testing.assert_array_equal(array(kept["x"]), [0, 1, 2, 3, 4, 5])
    np.testing.assert_array_equal(array(now["x"]), [0, 1, 2, 3])
    assert array(kept["y"])[0] == array(now["y"])[0]  # same data, same initial weights
    assert array(kept["y"])[3] != array(now["y"])[3]  # another learning rate: another path
    np.testing.assert_allclose(array(kept["y"]), at.session_state["xor_kept"][label]["train_loss"],
                               rtol=1e-6)
    assert not at.exception


# ---- 2. every hidden unit's map ------------------------------------------------------------
def unit_maps(at, layer):
    fig = live_figure(at, f"xor_maps_{layer}")
    return ([array(t["z"]) for t in fig["data"] if t["type"] == "heatmap"],
            [a["text"] for a in fig["layout"]["annotations"]])


def test_every_hidden_unit_has_its_map_in_every_hidden_layer():
    at = xor_page()
    maps, titles = unit_maps(at, 0)
    assert len(maps) == 4 and titles == ["h1.1", "h1.2", "h1.3", "h1.4"]
    with pytest.raises(KeyError):
        live_figure(at, "xor_maps_1")

    at.slider(key="xor_hidden").set_value(7).run()
    assert len(unit_maps(at, 0)[0]) == 7
    at.slider(key="xor_layers").set_value(2).run()
    at.slider(key="xor_hidden2").set_value(7).run()
    step(at, 2)
    trainer = mlp_trainer(at)
    grid = trainer.grid
    expected = trainer.model.hidden_activations(grid.points)
    for layer in (0, 1):
        maps, titles = unit_maps(at, layer)
        assert len(maps) == 7 and titles == [f"h{layer + 1}.{u}" for u in range(1, 8)]
        for u, image in enumerate(maps):
            # the unit's output over the plane, top row at the largest x2
            want = expected[layer][:, u].reshape(grid.shape)[::-1]
            np.testing.assert_allclose(image, want, atol=1e-6)
    with pytest.raises(KeyError):
        live_figure(at, "xor_maps_2")


# ---- 3. the network diagram ----------------------------------------------------------------
def test_network_diagram_draws_every_weight_and_hover_shows_z_and_h_of_the_point():
    at = xor_page()
    at.slider(key="xor_layers").set_value(2).run()
    at.slider(key="xor_hidden").set_value(3)
    at.slider(key="xor_hidden2").set_value(3).run()
    step(at, 4)
    at.number_input(key="xor_point").set_value(5).run()
    model = mlp_trainer(at).model
    coefs, intercepts = model.coefs_, model.intercepts_
    fig = live_figure(at, "xor_network")
    assert "point #5" in fig["layout"]["title"]["text"]

    nodes = fig["data"][-1]
    assert nodes["mode"].startswith("markers")
    sizes = [2, 3, 3, 1]
    where = {}  # node position -> (layer, unit)
    xs, ys = array(nodes["x"]), array(nodes["y"])
    layer_unit = [(l, j) for l, n in enumerate(sizes) for j in range(n)]
    for (l, j), x, y in zip(layer_unit, xs, ys, strict=True):
        where[(round(x, 6), round(y, 6))] = (l, j)

    edges = []  # (|w|, width, drawn blue, w)
    seen = set()
    for trace in [t for t in fig["data"][:-1] if t["mode"] == "lines"]:
        ex, ey = array(trace["x"]), array(trace["y"])
        assert len(ex) % 3 == 0 and np.isnan(ex[2::3]).all()
        for k in range(0, len(ex), 3):
            la, i = where[(round(ex[k], 6), round(ey[k], 6))]
            lb, j = where[(round(ex[k + 1], 6), round(ey[k + 1], 6))]
            assert lb == la + 1
            w = float(coefs[la][i, j])
            seen.add((la, i, j))
            edges.append((abs(w), trace["line"]["width"], "31,95,191" in trace["line"]["color"], w))
    assert len(edges) == sum(W.size for W in coefs) == len(seen)  # one edge per weight
    assert all(blue == (w >= 0) for _, _, blue, w in edges)
    edges.sort()
    widths = [width for _, width, _, _ in edges]
    assert widths == sorted(widths) and widths[-1] > widths[0]  # wider as |w| grows
    # every edge hovers its weight, as the page writes numbers
    hovers = next(t for t in fig["data"] if t.get("name") == "weights")["text"]
    assert len(hovers) == sum(W.size for W in coefs)
    assert hovers[0] == f"weight x₁ → h1.1: w = {num(coefs[0][0, 0])}"

    # the hover values, computed here by numpy from the model's weights
    a = mlp_trainer(at).X[5]
    expected = []
    for l, (W, b) in enumerate(zip(coefs, intercepts)):
        z = a @ W + b
        a = np.tanh(z) if l < len(coefs) - 1 else sigmoid(z)
        expected += list(zip(z, a))
    texts = nodes["hovertext"][2:]
    assert texts[0].startswith("hidden layer 1, unit 1") and texts[-1].startswith("output")
    for text, (z, h) in zip(texts[:-1], expected[:-1], strict=True):
        assert f"weighted input z = {num(z)}<br>output h = g(z) = {num(h)}" in text, (text, z, h)
    # the output unit's value is ŷ = σ(z), not a hidden unit's g(z), and its label says ŷ
    (z, h), = expected[-1:]
    assert f"weighted input z = {num(z)}<br>ŷ = P(y = 1 | x) = σ(z) = {num(h)}" in texts[-1]
    assert nodes["text"][-1] == f"ŷ {prob(h)}" and nodes["text"][2].startswith("h ")


def test_the_network_writes_values_only_where_they_fit():
    # A browser review: 32 hidden units' "h 0" labels piled into one black block, and the
    # output's "ŷ 6.7×10⁻…" ran off the narrow diagram.
    at = xor_page()
    at.slider(key="xor_hidden").set_value(32).run()
    nodes = live_figure(at, "xor_network")["data"][-1]
    assert nodes["mode"] == "markers" and len(nodes["hovertext"]) == 2 + 32 + 1
    assert [prob(p) for p in (6.7e-12, 0.004, 0.731, 0.996, 0.9999999, 1.0, 0.0)] == \
        ["<0.01", "<0.01", "0.73", ">0.99", ">0.99", "1.00", "0.00"]


# ---- 4. hidden space -----------------------------------------------------------------------
def hidden_space(at):
    fig = live_figure(at, "xor_hidden_space")
    traces = {t["name"]: t for t in fig["data"]}
    points = {k: np.column_stack([array(traces[f"class {k} (train)"]["x"]),
                                  array(traces[f"class {k} (train)"]["y"])]) for k in (0, 1)}
    line = traces["output unit: P = 0.5"]
    return fig, points, np.column_stack([array(line["x"]), array(line["y"])])


def test_hidden_space_is_exact_for_every_point_whatever_the_width():
    """With 4 hidden units (a slice with the others at their mean put red points on both sides of
    the line): every point sits on the side of the output's boundary that its own output is on."""
    at = xor_page()
    step(at, 30)
    trainer = mlp_trainer(at)
    y_train = trainer.Y[:, 0]
    H = trainer.model.hidden_activations(trainer.X)[-1]
    assert H.shape[1] == 4
    w, b = trainer.model.coefs_[-1][:, 0], trainer.model.intercepts_[-1][0]
    z = H @ w + b  # the output unit's weighted input for each training point
    fig, points, line = hidden_space(at)
    assert fig["layout"]["xaxis"]["title"]["text"].startswith("u = z / ‖w‖")
    for k in (0, 1):
        np.testing.assert_allclose(points[k][:, 0], z[y_train == k] / np.linalg.norm(w),
                                   rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(line[:, 0], 0, atol=1e-9)  # the boundary: u = 0, a vertical line
    caption = next(c.value for c in at.caption if c.value.startswith("Each training point"))
    assert "any width" in caption and "4 hidden units" in caption


def test_or_and_preset_makes_xor_linearly_separable_in_hidden_space():
    at = xor_page()
    at.slider(key="xor_noise").set_value(0.0).run()  # tight clouds: every point is unambiguous
    button(at, "🧩 OR/AND weights").click().run()
    assert at.session_state["xor__settings"]["preset"]
    _, points, line = hidden_space(at)
    np.testing.assert_allclose(line[:, 0], 0, atol=1e-9)
    assert len(points[0]) > 10 and len(points[1]) > 10
    # XOR is linearly separable there: class 1 right of the output unit's line, class 0 left
    assert (points[1][:, 0] > 0).all() and (points[0][:, 0] < 0).all()


# ---- 5. scikit-learn baseline --------------------------------------------------------------
def test_sklearn_baseline_table_caption_and_the_epochs_it_really_ran():
    at = xor_page()
    assert not at.dataframe
    at.button(key="xor_sk_fit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[-1].value.set_index("").T  # a row per model, a column per measure
    assert list(table.index) == ["ours (now)", "scikit-learn"]
    for column in ("train accuracy", "test accuracy"):
        assert all(re.fullmatch(r"\d+\.\d%", v) for v in table[column])
    ours = at.session_state["xor"].latest["MLP"]
    assert table["test accuracy"].iloc[0] == percent(ours.test_accuracy)
    assert float(table["test accuracy"].iloc[1].rstrip("%")) > 90  # scikit-learn's MLP learns XOR
    caption = next(c.value for c in at.caption if "solver=" in c.value)
    assert "solver='sgd'" in caption and "hidden_layer_sizes=(4,)" in caption
    assert "activation='tanh'" in caption and "learning_rate_init=0.3" in caption

    # the same split the page made (its defaults), fitted here
    X, y = make_dataset("xor", 200, 0.1, random_state=0)
    X_train, X_test, y_train, y_test = split(X, y, 0.3, random_state=0)
    np.testing.assert_array_equal(mlp_trainer(at).X, X_train)
    ran = sklearn_mlp(X_train, y_train, X_test, y_test, (4,), "tanh", 0.3, 16, 0.0,
                      max_iter=300, random_state=0).model.n_iter_
    assert ran < 300  # it stopped early: the table must not say 300
    assert table["training"].iloc[1].startswith(f"{ran} epochs in ")
    assert "stopped at max_iter" not in caption

    at.slider(key="xor_sk_epochs").set_value(10).run()
    table = at.dataframe[-1].value.set_index("").T
    assert table["training"].iloc[1].startswith("10 epochs in ")
    assert any("stopped at max_iter" in c.value for c in at.caption)


# ---- 6. uploaded CSV data ------------------------------------------------------------------
TINY_CSV = "x1,x2,label\n-1,-1,no\n1,1,no\n-1,1,yes\n1,-1,yes\n"


def load_csv(at, text=TINY_CSV, name="tiny.csv"):
    """Choose uploaded data and upload ``text`` (without running the page)."""
    at.radio(key="xor_source").set_value("Uploaded CSV").run()
    at.file_uploader(key="xor_csv").set_value((name, text.encode(), "text/csv"))
    X, y, _ = points_from_csv(text)
    return X, y


@pytest.mark.parametrize("share", [0.1, 0.5])
def test_uploaded_csv_trains_at_every_test_share(share):
    at = xor_page()
    X, y = load_csv(at)
    at.slider(key="xor_test").set_value(share).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [i for i in at.info if "Upload a CSV" in i.value]
    X_train, X_test, y_train, _ = split(X, y, share, random_state=0)
    trainer = mlp_trainer(at)
    np.testing.assert_array_equal(trainer.X, X_train)
    assert len(X_train) == 2 and len(X_test) == 2 and set(y_train) == {0, 1}  # a class each side
    assert at.radio(key="xor_click").format_func("adds class 1") == "adds class yes"
    step(at, 3)
    at.button(key="xor_play").click().run()
    at.run()
    at.button(key="xor_pause").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert int(metrics(at)["step"]) > 3
    assert len(unit_maps(at, 0)[0]) == 4 and live_figure(at, "xor_hidden_space")


def test_after_a_csv_error_the_loaded_data_still_trains():
    at = xor_page()
    X, y = load_csv(at)
    at.run()
    step(at, 2)
    before = mlp_trainer(at)
    at.file_uploader(key="xor_csv").set_value(("bad.csv", b"x1,x2,label\n1,2,a\n3,oops,b\n",
                                               "text/csv")).run()
    assert not at.exception
    assert any("The current data is kept" in e.value for e in at.sidebar.error)
    assert mlp_trainer(at) is before and metrics(at)["step"] == "2"
    np.testing.assert_array_equal(mlp_trainer(at).X, split(X, y, 0.3, random_state=0)[0])
    step(at)
    assert metrics(at)["step"] == "3"


def test_a_bad_upload_keeps_the_data_and_the_progress():
    at = xor_page()
    at.radio(key="xor_source").set_value("Uploaded CSV").run()
    good = "x1,x2,label\n" + "\n".join(f"{i % 7},{i % 5},{'ab'[i % 2]}" for i in range(40))
    at.file_uploader(key="xor_csv").set_value(("good.csv", good.encode(), "text/csv")).run()
    X, y, _ = points_from_csv(good)
    np.testing.assert_array_equal(mlp_trainer(at).X, split(X, y, 0.3, random_state=0)[0])
    step(at, 2)
    bad = b"x1,x2,label\n1,2,a\n3,oops,b\n5,6,a\n7,8,b\n"
    at.file_uploader(key="xor_csv").set_value(("bad.csv", bad, "text/csv")).run()
    assert not at.exception
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 1 and "Row 2, column 2 is 'oops'" in errors[0]
    assert metrics(at)["step"] == "2" and not at.info  # the run goes on: nothing restarted
    np.testing.assert_array_equal(mlp_trainer(at).X, split(X, y, 0.3, random_state=0)[0])
    # the same good file again clears the error and still does not restart
    at.file_uploader(key="xor_csv").set_value(("good.csv", good.encode(), "text/csv")).run()
    assert not at.sidebar.error and metrics(at)["step"] == "2"


# ---- 7. controls ---------------------------------------------------------------------------
def test_play_pause_and_reset():
    at = xor_page()
    initial = copies(mlp_trainer(at).model.coefs_)
    at.button(key="xor_play").click().run()
    assert at.session_state["xor"].running and at.button(key="xor_play").disabled
    for _ in range(3):
        at.run()
    at.button(key="xor_pause").click().run()
    assert not at.session_state["xor"].running and not at.button(key="xor_play").disabled
    paused = metrics(at)["step"]
    assert int(paused.replace(",", "")) > 0
    at.run()
    at.run()
    assert metrics(at)["step"] == paused  # paused stays paused
    at.button(key="xor_reset").click().run()
    assert metrics(at)["step"] == "0"
    assert_all_equal(mlp_trainer(at).model.coefs_, initial)


@pytest.mark.parametrize("key, value, param", [("xor_lr", 3.0, "learning_rate"),
                                               ("xor_batch", 4, "batch_size"),
                                               ("xor_l2", 0.01, "l2")])
def test_learning_settings_apply_without_a_reset(key, value, param):
    at = xor_page()
    step(at, 2)
    trainer = mlp_trainer(at)
    weights = copies(trainer.model.coefs_)
    at.select_slider(key=key).set_value(value).run()
    assert metrics(at)["step"] == "2" and mlp_trainer(at) is trainer  # no reset
    assert getattr(at.session_state["xor"].trainers["MLP"].model, param) == value
    if param == "l2":  # the line keeps its own steady eta and full batch; it shares l2
        assert at.session_state["xor"].trainers["logistic regression"].model.l2 == value
    assert_all_equal(trainer.model.coefs_, weights)  # the change itself leaves the weights
    step(at)
    assert metrics(at)["step"] == "3"
    assert any(not np.array_equal(a, b) for a, b in zip(trainer.model.coefs_, weights))


def test_a_new_dataset_restarts_and_says_so():
    at = xor_page()
    step(at, 3)
    at.selectbox(key="xor_dataset").set_value("moons").run()
    assert metrics(at)["step"] == "0"
    assert any("restarted" in c.value for c in at.caption)
    assert not at.exception


# ---- 8. divergence -------------------------------------------------------------------------
DIVERGING = {"dataset": "overlapping", "layers": 3, "hidden": 32, "activation": "relu",
             "lr": 10.0, "batch": 128, "l2": 0.0}


def diverging_step():
    """The step at which the page's MLP diverges with DIVERGING, found by stepping it here."""
    X, y = make_dataset(DIVERGING["dataset"], 200, 0.1, random_state=0)
    X_train, X_test, y_train, y_test = split(X, y, 0.3, random_state=0)
    model = MLPClassifier((DIVERGING["hidden"],) * DIVERGING["layers"],
                          activation=DIVERGING["activation"], learning_rate=DIVERGING["lr"],
                          batch_size=DIVERGING["batch"], l2=DIVERGING["l2"], max_iter=10**9,
                          tol=0, random_state=0)
    trainer = Trainer(model, X_train, y_train, X_test, y_test)
    with np.errstate(all="ignore"):
        for _ in range(200):
            try:
                trainer.run(1)
            except TrainingDiverged as err:
                return err.step
    return None


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_divergence_shows_an_error_disables_play_and_reset_clears_it():
    diverged_at = diverging_step()
    assert diverged_at is not None and diverged_at < 200
    at = xor_page()
    at.selectbox(key="xor_dataset").set_value(DIVERGING["dataset"])
    at.slider(key="xor_layers").set_value(DIVERGING["layers"]).run()
    for name in ("xor_hidden", "xor_hidden2", "xor_hidden3"):
        at.slider(key=name).set_value(DIVERGING["hidden"])
    at.radio(key="xor_activation").set_value(DIVERGING["activation"])
    at.select_slider(key="xor_lr").set_value(DIVERGING["lr"])
    at.select_slider(key="xor_batch").set_value(DIVERGING["batch"])
    at.select_slider(key="xor_l2").set_value(DIVERGING["l2"])
    at.select_slider(key="xor_speed").set_value(500)
    at.run()
    at.button(key="xor_play").click().run()
    for _ in range(60):
        if at.session_state["xor"].error or at.exception:
            break
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    # the page checks each batch's outputs and, once a tick, the whole data's loss: it may
    # notice a step or two after the whole-data check of every single step does
    reported = int(re.search(r"diverged at step (\d+)", errors[0]).group(1))
    assert diverged_at <= reported <= diverged_at + 3, (reported, diverged_at)
    assert "smaller learning rate" in errors[0]
    assert not at.session_state["xor"].running
    assert at.button(key="xor_play").disabled and at.button(key="xor_step").disabled
    # the diagram and hidden space still draw, from the last snapshot's finite weights
    assert all(np.isfinite(t["line"]["width"]) for t in live_figure(at, "xor_network")["data"]
               if t["mode"] == "lines")
    _, points, line = hidden_space(at)
    assert np.isfinite(points[0]).all() and np.isfinite(points[1]).all() and np.isfinite(line).all()

    at.button(key="xor_reset").click().run()
    assert not at.error and at.session_state["xor"].error is None
    assert metrics(at)["step"] == "0" and not at.button(key="xor_play").disabled
    assert not at.exception
