"""The XOR page tells the truth and has TF Playground's controls (AppTest): points added while
training goes on, one scale for every unit map, dead units and layers named, weights set by
hand, standardised CSVs, the line's own settings, 0 hidden layers, linear units, L1, the
lectures' sign network, capacity, and the views' toggles."""
import json

import numpy as np
import pytest
from streamlit.proto.LabelVisibility_pb2 import LabelVisibility

from apptest_helpers import figure_array, live_figure, metrics, open_page
from core.features import FEATURES
from core.mlp import forward, xor_by_sign

PAGE = "app_pages/xor.py"


def page(query=None):
    return open_page(PAGE, query)


def step(at, n=1):
    for _ in range(n):
        at.button(key="xor_step").click().run()
    assert not at.exception, [e.value for e in at.exception]


def mlp(at):
    return at.session_state["xor"].trainers["MLP"]


def test_an_added_point_joins_the_data_and_training_goes_on_from_the_weights():
    at = page()
    step(at, 5)
    before = {k: v.copy() for k, v in mlp(at).model.get_weights().items()}
    n = len(mlp(at).X)
    at.session_state["xor_added"].append((0.1, 0.2, 1))  # what a click on the plane adds
    at.run()
    assert len(mlp(at).X) == n + 1 and mlp(at).Y[-1, 0] == 1
    assert metrics(at)["step"] == "5"  # no restart: the data changed, the model did not
    for name, w in mlp(at).model.get_weights().items():
        np.testing.assert_array_equal(w, before[name])
    assert not any("restarted" in c.value for c in at.caption)
    fig = live_figure(at, "xor_mlp_surface")
    assert any(t.get("name") == "added, class 1" for t in fig["data"])
    # the line trains on it too, and its plane marks it the same way (it was a plain dot)
    fig = live_figure(at, "xor_lr_surface")
    assert any(t.get("name") == "added, class 1" for t in fig["data"])
    step(at)
    assert metrics(at)["step"] == "6"


def test_every_unit_map_shares_one_framed_scale_with_the_surfaces_meaning():
    for activation, (lo, hi) in (("tanh", (-1, 1)), ("sigmoid", (0, 1))):
        at = page({"activation": activation, "hidden": "6"})
        step(at, 3)
        fig = live_figure(at, "xor_maps_0")
        maps = [t for t in fig["data"] if t["type"] == "heatmap"]
        assert len(maps) == 6 and all((t["zmin"], t["zmax"]) == (lo, hi) for t in maps)
        assert all(t["colorscale"][0][1] == "#f4a48c" for t in maps)  # red low, as the surface
        assert fig["layout"]["xaxis"]["showline"] and fig["layout"]["xaxis"]["mirror"]


def test_dead_relu_units_are_marked_and_a_dead_layer_is_explained():
    at = page({"activation": "relu", "hidden": "8", "lr": "10.0", "batch": "full",
               "dataset": "circles", "speed": "500"})
    at.button(key="xor_play").click().run()
    for _ in range(12):
        at.run()
    trainer = mlp(at)
    H = forward(trainer.X, at.session_state["xor"].latest["MLP"].coefs,
                at.session_state["xor"].latest["MLP"].intercepts, "relu")[0]
    dead = np.all(H == 0, axis=0)
    titles = [a["text"] for a in live_figure(at, "xor_maps_0")["layout"]["annotations"]]
    assert [t.endswith("(dead)") for t in titles] == list(dead)
    if dead.all():
        assert any("Every unit of hidden layer 1 is dead" in c.value for c in at.caption)
    elif dead.any():
        assert any(f"{dead.sum()} hidden unit(s) are dead" in c.value for c in at.caption)


def test_a_weight_typed_in_is_what_the_network_trains_on_from():
    at = page()
    step(at, 2)
    at.selectbox(key="xor_edit_which").set_value("x2 → h1.3").run()
    key = next(n.key for n in at.number_input if n.key.startswith("xor_edit_value_"))
    at.number_input(key=key).set_value(2.5).run()
    at.button(key="xor_edit_set").click().run()
    assert mlp(at).model.get_weights()["coef_0"][1, 2] == 2.5
    assert metrics(at)["step"] == "2"
    step(at)
    assert metrics(at)["step"] == "3"


def test_an_unscaled_csv_is_standardised_with_a_note():
    at = page()
    at.radio(key="xor_source").set_value("Uploaded CSV").run()
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(0, 49_000, 60), rng.uniform(0, 3, 60)])
    text = "x1,x2,label\n" + "\n".join(f"{a:.1f},{b:.3f},{int(a > 24_000)}" for a, b in X)
    at.file_uploader(key="xor_csv").set_value(("big.csv", text.encode(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("were standardised" in c.value for c in at.caption)
    assert np.abs(mlp(at).X).max() < 5
    at.toggle(key="xor_standardise").set_value(False).run()
    assert np.abs(mlp(at).X).max() > 1000  # the raw values, if the learner wants them


def test_the_line_has_its_own_steady_settings_and_its_best_is_stated():
    at = page({"lr": "10.0", "batch": "4"})
    line = at.session_state["xor"].trainers["logistic regression"].model
    assert line.batch_size is None and line.learning_rate <= 1.0
    assert any("three of the four corners" in c.value for c in at.caption)


def test_full_batch_no_hidden_layer_and_linear_units():
    at = page({"batch": "full"})
    assert mlp(at).model.batch_size is None
    at = page({"layers": "0"})
    assert [W.shape for W in mlp(at).model.coefs_] == [(2, 1)]
    assert any("No hidden layer" in i.value for i in at.info)
    # no hidden layer, no activation: its radio is greyed out (it looked usable, and did nothing)
    assert at.radio(key="xor_activation").disabled
    assert not page({}).radio(key="xor_activation").disabled
    # the click mode says what it is about: the MLP's plane, far below it
    shown = at.radio(key="xor_click").proto.label_visibility.value
    assert shown == LabelVisibility.LabelVisibilityOptions.VISIBLE
    at = page({"layers": "2", "activation": "linear", "dataset": "circles"})
    step(at, 20)
    model = mlp(at).model
    grid = np.random.default_rng(0).normal(size=(50, 2))
    z = model.decision_function(grid)
    A = np.column_stack([grid, np.ones(len(grid))])
    residual = z - A @ np.linalg.lstsq(A, z, rcond=None)[0]
    assert np.abs(residual).max() < 1e-9  # stacked linear units: one plane, a straight boundary


def test_the_lectures_sign_network_and_its_steepness():
    at = page()
    at.button[[b.label for b in at.button].index("➗ The lectures' sign network")].click().run()
    assert [W.shape for W in mlp(at).model.coefs_] == [(2, 2), (2, 2), (2, 1)]
    assert float(metrics(at)["MLP test accuracy"].rstrip("%")) > 95
    at.slider(key="xor_steepness").set_value(10.0).run()
    coefs, _ = xor_by_sign(10.0)
    np.testing.assert_array_equal(mlp(at).model.coefs_[1], coefs[1])
    assert any("sign units are drawn as tanh(k z)" in c.value.lower() for c in at.caption)
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "The gradient as tanh(k z) sharpens into sign(z)" in titles


def test_capacity_names_over_fitting():
    at = page({"dataset": "spiral", "n": "60", "noise": "0.6"})
    at.button(key="xor_capacity").click().run()
    table = next(d.value for d in at.dataframe if "hidden units" in d.value.columns)
    assert list(table["hidden units"]) == [1, 2, 4, 8, 16, 32]


def test_discretize_and_hide_the_test_points():
    at = page()
    step(at, 10)
    at.toggle(key="xor_discretize").set_value(True).run()
    z = figure_array(live_figure(at, "xor_mlp_surface")["data"][0]["z"])
    assert set(np.unique(z)) <= {0.0, 1.0}
    at.toggle(key="xor_show_test").set_value(False).run()
    names = [t.get("name") or "" for t in live_figure(at, "xor_mlp_surface")["data"]]
    assert not any("(test)" in n for n in names)


def test_the_units_text_says_what_each_activation_is():
    assert any("is a logistic regression" in m.value
               for m in page({"activation": "sigmoid"}).markdown)
    relu = " ".join(m.value for m in page({"activation": "relu"}).markdown)
    assert "ramp" in relu and "Every hidden unit is a logistic regression" not in relu


def units_text(at):
    return next(m.value for m in at.markdown if "The output unit" in m.value)


def test_the_units_text_holds_for_every_layer_and_input():
    # A browser review found "Every hidden unit draws its own line: h = tanh(wᵀx + b) ... The
    # output unit takes a weighted vote of these maps" above the maps of a second layer, whose
    # units read h, not x, and bend; the output reads only the last layer.
    one = units_text(page())
    assert one.startswith("Every hidden unit draws its own line") and "layer" not in one
    two = units_text(page({"layers": 2}))
    assert two.startswith("Every unit of hidden layer 1 draws its own line")
    assert "h = tanh(wᵀh + b)" in two and "can bend" in two
    assert two.endswith("The output unit takes a weighted vote of the maps of hidden layer 2.")
    three = units_text(page({"layers": 3, "activation": "relu"}))
    assert "h = max(0, wᵀh + b) with h that layer's outputs" in three
    assert three.endswith("The output unit adds the ramps of the maps of hidden layer 3.")
    curved = units_text(page({"features": "x₁²"}))
    assert "a line in those inputs is a curve in the plane" in curved
    linear = units_text(page({"layers": 2, "activation": "linear"}))
    assert "a plane of planes is still a plane" in linear and "can bend" not in linear


def best_line_accuracy(X, y, angles=720):
    """The training accuracy of the best straight boundary, by brute force over directions and
    offsets (either side may be class 1)."""
    best = 0.0
    for t in np.linspace(0, np.pi, angles, endpoint=False):
        s = np.sort(X @ [np.cos(t), np.sin(t)])
        proj = X @ [np.cos(t), np.sin(t)]
        for c in np.concatenate([[s[0] - 1], (s[1:] + s[:-1]) / 2]):
            a = np.mean((proj > c) == (y == 1))
            best = max(best, a, 1 - a)
    return best


def test_the_lines_caption_states_the_best_a_line_can_do_on_xor():
    at = page()
    line = at.session_state["xor"].trainers["logistic regression"]
    best = best_line_accuracy(line.X, line.Y.ravel())
    assert 0.7 <= best <= 0.85  # three corners of four, give or take the noise
    text = " ".join(c.value for c in at.caption)
    assert "three of the four corners" in text and "75 %" in text
    assert "half of XOR right at best" not in text


@pytest.mark.parametrize("name", list(FEATURES))
def test_every_extra_input_opens_the_whole_page(name):
    at = page({"features": name})  # open_page fails on any exception, the sign units' included
    assert [W.shape[0] for W in mlp(at).model.coefs_][:1] == [3]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "The gradient as tanh(k z) sharpens into sign(z)" in titles  # the sign units: 2 inputs
    assert not any("three of the four corners" in c.value for c in at.caption)
    lr = live_figure(at, "xor_lr_surface")["layout"]["title"]["text"]
    assert "one line" not in lr and name in lr


def test_with_x1x2_the_logistic_regression_separates_xor_and_the_page_says_why():
    at = page({"features": "x₁x₂"})
    step(at, 300)
    assert float(metrics(at)["logistic regression test accuracy"].rstrip("%")) > 90
    assert any("x₁x₂" in c.value and "hyperbola" in c.value for c in at.caption)
    at = page({"features": "x₁x₂", "layers": "0"})
    assert any("No hidden layer" in i.value and "a curve in the plane" in i.value
               for i in at.info)


def test_a_too_large_step_is_named_when_the_loss_jumps_far_above_its_best():
    from ui.history import History
    from ui.page import too_large_step_note
    h = History()
    for i, loss in enumerate([0.8, 0.5, 0.3, 0.2, 0.15, 3.0, 0.4, 9.0, 0.5, 6.0]):
        h.add(step=i, train_loss=loss)
    note = too_large_step_note(h)
    assert "0.15 it reached at step 4" in note and "between 0.15 and 9" in note
    h.add(step=10, train_loss=0.2)  # a step that lands low: the jumps are still in sight
    assert too_large_step_note(h) is not None
    falling = History()  # a normal start: the loss only falls, however far
    for i, loss in enumerate([2.5, 1.2, 0.7, 0.4, 0.2, 0.1, 0.08]):
        falling.add(step=i, train_loss=loss)
    assert too_large_step_note(falling) is None
    calm = History()
    for i, loss in enumerate([0.8, 0.5, 0.3, 0.2, 0.15, 0.17, 0.14, 0.16]):
        calm.add(step=i, train_loss=loss)
    assert too_large_step_note(calm) is None
    at = page({"lr": "10.0", "batch": "1"})
    step(at, 60)
    assert any("steps are too large" in c.value for c in at.caption)
    assert not any("steps are too large" in c.value for c in page().caption)
