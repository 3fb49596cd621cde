"""The backpropagation page runs headless (AppTest) and its controls do what they say."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from apptest_helpers import live_figure, open_page
from core import make_dataset
from core.graph import backward, backward_order, lecture_graph
from ui.backprop_text import chain_latex, reuse_text
from ui.numbers import num

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages/backprop.py")


@pytest.fixture
def at():
    return open_page("app_pages/backprop.py")


def status(at):
    """The line above the graph: "Forward pass done: ..." or "Step k of 6: ..."."""
    return next(m.value for m in at.markdown
                if m.value.startswith(("**Forward pass done", "**Step ")))


def graph_texts(at):
    """Every text in the computation-graph figure (the page's first chart)."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    texts = [t for trace in spec["data"] for t in trace.get("text", [])]
    texts += [a["text"] for a in spec["layout"].get("annotations", []) if a.get("text")]
    return texts


def show(at, part):
    """Choose one of the page's sections (① .. ⑥) with its segmented control, and rerun."""
    at.button_group(key="bp_part").set_value(part).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_values(at):
    return {m.label: m.value for m in at.metric}


def net(at):
    """The page's live network: its model (the run trains it; updates change it by hand)."""
    return at.session_state["bp"].trainers["net"].model


def network(at):
    w = net(at).get_weights()
    n = sum(k.startswith("coef_") for k in w)
    return [w[f"coef_{l}"] for l in range(n)], [w[f"intercept_{l}"] for l in range(n)]


def test_page_runs_with_its_sections(at):
    part = at.button_group(key="bp_part")
    assert part.options == ["① The computation graph", "② Training in slow motion",
                            "③ One example, every derivative", "④ Gradient check and its cost",
                            "⑤ Your own expression", "⑥ Small facts"]
    assert part.value == "graph"  # the first section is shown first
    assert "L = −10" in status(at)
    assert "a = 3" in graph_texts(at) and "L = c · e = −10" in graph_texts(at)


def test_stepping_backward_changes_what_is_shown(at):
    latex_before = len(at.latex)
    texts_before = graph_texts(at)
    assert not any(t.startswith("∂L/∂") for t in texts_before)
    at.button(key="bp_step").click().run()
    assert status(at).startswith("**Step 1 of 6:** ∂L/∂L = 1")
    assert "∂L/∂L = 1" in graph_texts(at)
    assert len(at.latex) == latex_before + 1
    expected = ["∂L/∂c = 5", "∂L/∂e = −2", "∂L/∂a = −2", "∂L/∂d = −2", "∂L/∂b = −4"]
    for k, text in enumerate(expected, start=2):
        at.button(key="bp_step").click().run()
        assert status(at).startswith(f"**Step {k} of 6:** {text}")
        assert text in graph_texts(at)
    assert at.button(key="bp_step").disabled
    assert any(r"1 \cdot c \cdot 1 \cdot 2" in l.value for l in at.latex)
    assert "∂d/∂b = 2" in graph_texts(at)  # the local derivative on the edge b -> d
    assert any("∂L/∂b = 2c = −4" in s.value for s in at.success)
    at.button(key="bp_reset").click().run()
    assert status(at).startswith("**Forward pass done")
    assert not any(t.startswith("∂L/∂") for t in graph_texts(at))
    assert not at.exception


def test_changing_a_b_c_updates_the_values(at):
    at.number_input(key="bp_a").set_value(1.0).run()
    at.number_input(key="bp_b").set_value(2.0).run()
    at.number_input(key="bp_c").set_value(3.0).run()
    assert "d = 4, e = 5, L = 15" in status(at)
    assert "L = c · e = 15" in graph_texts(at)
    at.button(key="bp_all").click().run()
    texts = graph_texts(at)
    for t in ("∂L/∂a = 3", "∂L/∂b = 6", "∂L/∂c = 5"):  # c, 2c, a + 2b
        assert t in texts
    assert not at.exception


def test_one_update_lowers_the_points_loss(at):
    show(at, "example")
    at.number_input(key="bp_point").set_value(3).run()
    at.select_slider(key="bp_eta").set_value(0.1).run()
    at.button(key="bp_update").click().run()
    last = at.session_state["bp_last_update"]
    assert last.point == 3 and last.eta == 0.1
    assert last.loss_after < last.loss_before
    shown = metric_values(at)
    assert shown["Loss −LL of point #3 before"] == num(last.loss_before)
    assert shown["after one update"] == num(last.loss_after)
    # a fall, shown as one: an arrow down, in green (it was a red arrow up: "−" is not "-")
    from streamlit.proto.Metric_pb2 import Metric
    after = next(m for m in at.metric if m.label == "after one update").proto
    assert (after.direction, after.color) == (Metric.MetricDirection.DOWN, Metric.MetricColor.GREEN)
    assert after.delta == "-" + num(last.loss_before - last.loss_after)
    verdicts = [m.value for m in list(at.success) + list(at.warning)]
    assert any(f"point #3's loss went from {num(last.loss_before)} to {num(last.loss_after)}"
               in v and "the data set's loss from" in v for v in verdicts)
    # the ledger now shows the new weights: the point's loss is the "after" value
    assert any(f"this point's loss −LL = **{num(last.loss_after)}**" in m.value
               for m in at.markdown)
    at.button(key="bp_undo").click().run()
    assert "bp_last_update" not in at.session_state
    assert any(f"this point's loss −LL = **{num(last.loss_before)}**" in m.value
               for m in at.markdown)


def test_ledger_table_matches_core_backward(at):
    from core.ledger import ledger
    from core.mlp import backprop
    show(at, "example")
    table = next(df.value for df in at.dataframe if "weight" in df.value.columns)
    ledger_col, core_col = "∂LL/∂θ (ledger)", "−∂J/∂θ (core.mlp.backprop)"
    assert len(table) == 9  # 2-2-1 with biases
    assert (table[ledger_col] == table[core_col]).all()  # the same numbers, as shown
    coefs, intercepts = network(at)  # and as computed, to 1e-12
    X, y = make_dataset("xor", 40, 0.1, random_state=2)
    book = ledger(X[0], y[0], coefs, intercepts, "sigmoid")
    gW, gb = backprop(X[:1], np.array([[float(y[0])]]), coefs, intercepts, "sigmoid")
    np.testing.assert_allclose(book.grad_theta_y[1:], -gW[1][:, 0], atol=1e-12)
    np.testing.assert_allclose(book.grad_theta_h[1:], -gW[0], atol=1e-12)


def test_gradient_check_and_a_bug(at):
    show(at, "check")
    error = next(m for m in at.metric if m.label == "Largest relative error")
    assert float(error.value.replace("×10⁻", "e-").translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))) < 1e-6
    assert any("derivatives are right" in s.value for s in at.success)
    # the digits it claims are those of the largest error (it said "about 8" for 7.9×10⁻⁸)
    value = float(error.value.replace("×10⁻", "e-").translate(
        str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")))
    digits = int(np.floor(-np.log10(value)))
    assert any(f"to {digits} significant digits or more" in s.value for s in at.success)
    at.selectbox(key="bp_which").set_value("forgot g′(z) in the hidden layer").run()
    error = next(m for m in at.metric if m.label == "Largest relative error")
    assert float(error.value) > 1e-2
    assert any("has a bug" in e.value for e in at.error)


def test_timing_on_a_button_press(at):
    show(at, "check")
    assert not any("numerical / backprop" in df.value.columns for df in at.dataframe)
    at.button(key="bp_time").click().run()
    cost = next(df.value for df in at.dataframe if "numerical / backprop" in df.value.columns)
    assert list(cost["hidden units |h|"]) == [2, 8, 20, 32, 128]
    assert all(float(r.lstrip("×").replace(",", "")) > 1 for r in cost["numerical / backprop"])
    assert not at.exception


def test_training_and_the_lectures_weights(at):
    def data_loss():
        line = next(m.value for m in at.markdown if "Whole data set" in m.value)
        return float(line.split("−LL/n = ")[1].split(",")[0].replace("−", "-"))

    show(at, "example")  # the loss is shown with the example, the training in slow motion
    start = data_loss()
    show(at, "slow")
    for _ in range(30):
        at.button(key="bp_net_step").click().run()
    show(at, "example")
    assert data_loss() < start
    at.radio(key="bp_start").set_value("The lectures' OR/AND weights").run()
    with pytest.raises(KeyError):  # its shape is fixed: no slider shows another one
        at.slider(key="bp_hidden")
    assert any("2 sigmoid hidden units" in c.value for c in at.sidebar.caption)
    assert data_loss() < 0.1  # the hand-made XOR network is already good
    assert not at.exception


def test_small_facts_counts_and_activations(at):
    show(at, "facts")
    shown = metric_values(at)
    assert (shown["θ⁽ʸ⁾"], shown["θ⁽ʰ⁾"], shown["total"]) == ("20", "800", "820")
    at.toggle(key="bp_bias").set_value(True).run()
    shown = metric_values(at)
    assert (shown["θ⁽ʸ⁾"], shown["θ⁽ʰ⁾"], shown["total"]) == ("21", "820", "841")
    assert any(r"0.5\,(1 - 0.5) = 0.25" in l.value for l in at.latex)  # sigma'(0) = 1/4
    at.radio(key="bp_fact_act").set_value("tanh").run()
    at.slider(key="bp_z0").set_value(1.0).run()
    assert any(r"\tanh'(z) = 1 - \tanh^2(z)" in l.value for l in at.latex)
    assert not at.exception


def test_chain_text_helpers():
    steps = {s.node: s for s in backward(lecture_graph(3.0, 1.0, -2.0))}
    text = chain_latex(steps["b"], {})
    assert text.startswith(r"\frac{\partial L}{\partial b} = ")
    assert r"= 1 \cdot c \cdot 1 \cdot 2 = 1 \cdot (-2) \cdot 1 \cdot 2 = -4" in text
    assert chain_latex(steps["L"], {}) == r"\frac{\partial L}{\partial L} = 1"
    assert "∂L/∂d × ∂d/∂b = (−2) × 2 = −4" in reuse_text(steps["b"])
    assert num(-4.0) == "−4" and num(0.123456) == "0.1235" and num(2.5e-7) == "2.5×10⁻⁷"


# ---- settings in the URL -----------------------------------------------------------------------
LINK = {"a": "1.5", "b": "-2.0", "c": "4.0", "start": "Random weights (seed)", "hidden": "5",
        "activation": "tanh", "dataset": "moons", "n": "60", "noise": "0.3", "seed": "11",
        "lr": "10.0", "point": "42", "eta": "3.0", "part": "example"}


def page_from_link(params):
    return open_page("app_pages/backprop.py", params)


def point_line(at):
    return next(m.value for m in at.markdown if m.value.startswith("**Point #"))


def test_a_link_sets_the_widgets_and_reproduces_the_initial_weights():
    at = page_from_link(LINK)
    assert at.button_group(key="bp_part").value == "example"  # the link chose the section
    assert at.selectbox(key="bp_dataset").value == "moons"
    assert (at.slider(key="bp_n").value, at.slider(key="bp_noise").value) == (60, 0.3)
    assert (at.number_input(key="bp_seed").value, at.slider(key="bp_hidden").value) == (11, 5)
    assert at.radio(key="bp_activation").value == "tanh"
    assert at.select_slider(key="bp_lr").value == 10.0
    assert at.select_slider(key="bp_eta").value == 3.0
    # point 42 exists only because the link's n = 60 is read before its point
    assert at.number_input(key="bp_point").value == 42
    assert point_line(at).startswith("**Point #42:**")
    coefs, intercepts = network(at)
    assert [W.shape for W in coefs] == [(2, 5), (5, 1)]
    assert {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()} == \
        dict(LINK, layers="1", speed="20")  # the defaults the link left out are written too
    # a second session from the same link: the same data point and the same initial weights
    again = page_from_link(LINK)
    assert point_line(again) == point_line(at)
    for a, b in zip(coefs + intercepts, sum(network(again), [])):
        np.testing.assert_array_equal(a, b)
    # the graph's inputs a, b, c came from the link too
    show(at, "graph")
    assert [at.number_input(key=f"bp_{n}").value for n in "abc"] == [1.5, -2.0, 4.0]
    assert "d = −4, e = −2.5, L = −10" in status(at)  # d = 2b, e = a + d, L = c e
    # and the URL follows the widgets, the chosen section too
    assert at.query_params["part"] in ("graph", ["graph"])
    at.slider(key="bp_hidden").set_value(3).run()
    assert at.query_params["hidden"] in ("3", ["3"])


def test_invalid_link_values_are_ignored_without_an_exception():
    at = page_from_link({"a": "nan", "b": "banana", "c": "1e9", "hidden": "9",
                         "activation": "softplus", "dataset": "nope", "n": "41", "lr": "1000",
                         "point": "45", "eta": "-1", "seed": "5", "part": "nope"})
    assert any("Ignored invalid link settings" in t.value and "eta" in t.value
               and "part" in t.value for t in at.toast)
    assert at.button_group(key="bp_part").value == "graph"  # no such section: the first one
    assert [at.number_input(key=f"bp_{n}").value for n in "abc"] == [3.0, 1.0, -2.0]
    assert at.slider(key="bp_hidden").value == 2 and at.radio(key="bp_activation").value == "sigmoid"
    assert at.selectbox(key="bp_dataset").value == "xor" and at.slider(key="bp_n").value == 40
    assert at.select_slider(key="bp_lr").value == 1.0
    assert at.number_input(key="bp_seed").value == 5  # the valid value is kept
    show(at, "example")
    assert at.select_slider(key="bp_eta").value == 0.3
    assert at.number_input(key="bp_point").value == 39  # 45 is past the last of 40: the last


# ---- large learning rates, and divergence ----------------------------------------------------------
def weights(at):
    return [np.array(p) for p in sum(network(at), [])]


@pytest.mark.parametrize("link", [{}, {"activation": "relu", "hidden": "6", "n": "200",
                                       "dataset": "spiral", "noise": "1.0"}])
def test_large_learning_rates_train_and_update_without_an_exception(link):
    at = page_from_link(dict(link, part="slow"))
    assert at.select_slider(key="bp_lr").options[-1] == "100"
    at.select_slider(key="bp_lr").set_value(10.0).run()
    at.select_slider(key="bp_speed").set_value(500).run()
    at.button(key="bp_net_play").click().run()
    for _ in range(5):
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    at.button(key="bp_net_pause").click().run()
    assert at.session_state["bp"].latest["net"].step > 100
    assert all(np.isfinite(p).all() for p in weights(at))
    show(at, "example")
    for eta in (10.0, 30.0):
        at.select_slider(key="bp_eta").set_value(eta).run()
        at.button(key="bp_update").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["bp_last_update"].eta == eta


def test_an_overshoot_is_reproducible_and_judged_on_the_example_and_the_data():
    """At a large step the example's own loss falls but the data set's jumps: the verdict says
    so (it was a green "went uphill" before), and the page says from which η that happens."""
    at = page_from_link({"part": "example"})
    at.number_input(key="bp_point").set_value(5).run()
    caption = next(c.value for c in at.caption if c.value.startswith("For point #5, "))
    # "a step of η ≥ 0.3 already ..." or "every step tried, down to η = 0.01, ..."
    limit = float(re.search(r"η (?:≥|=) ([\d.]+)", caption).group(1).rstrip("."))
    eta = min(e for e in (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0) if e >= limit)
    at.select_slider(key="bp_eta").set_value(eta).run()
    at.button(key="bp_update").click().run()
    last = at.session_state["bp_last_update"]
    assert last.data_loss_after > last.data_loss_before  # the data set's loss rose
    judged = [m.value for m in list(at.warning) + list(at.error)]
    assert any("the data set's loss from" in v for v in judged)
    assert not any("went uphill" in s.value for s in at.success)
    at.select_slider(key="bp_eta").set_value(30.0).run()
    at.button(key="bp_undo").click().run()
    at.button(key="bp_update").click().run()
    assert not any("went uphill" in s.value for s in at.success)  # at 30 the data set's jumps


def test_a_diverging_update_or_training_says_so_and_keeps_the_weights():
    at = page_from_link({"activation": "relu", "part": "example"})
    start = weights(at)
    # huge hidden weights: z = (x1 + x2) 1e160, so every loss is finite (at most about 1e160),
    # but one more step on a misclassified point makes theta_y about 1e161 and z overflows
    huge = {"coef_0": np.array([[1e160, -1e160], [1e160, -1e160]]),
            "coef_1": np.array([[1.0], [-1.0]]), "intercept_0": np.zeros(2),
            "intercept_1": np.zeros(1)}
    net(at).set_weights(huge)
    at.session_state["bp"].refresh()
    X, y = make_dataset("xor", 40, 0.1, random_state=2)
    wrong = int(np.flatnonzero((X.sum(axis=1) > 0) != (y == 1))[0])
    at.number_input(key="bp_point").set_value(wrong).run()
    assert not at.exception, [e.value for e in at.exception]
    kept = weights(at)
    np.testing.assert_array_equal(kept[0], huge["coef_0"])

    at.select_slider(key="bp_eta").set_value(30.0).run()
    at.button(key="bp_update").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("diverged" in e.value and "learning rate 30" in e.value and "kept" in e.value
               for e in at.error)
    assert at.button(key="bp_reset_after_update").label == "↺ Reset weights"  # offered with it
    assert "bp_last_update" not in at.session_state
    for a, b in zip(weights(at), kept):
        np.testing.assert_array_equal(a, b)

    at.select_slider(key="bp_lr").set_value(10.0).run()
    show(at, "slow")
    at.button(key="bp_net_step").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("diverged at step" in e.value and "Reset" in e.value for e in at.error)
    assert at.select_slider(key="bp_lr").value == 10.0  # the settings are kept too

    at.button(key="bp_net_reset").click().run()
    for a, b in zip(weights(at), start):  # Reset: the seed's initial weights again
        np.testing.assert_array_equal(a, b)


# ---- slow motion, deeper networks ----------------------------------------------------------------
def test_one_iteration_in_numbered_phases_then_the_update():
    at = page_from_link({"layers": "2", "hidden": "3", "activation": "tanh", "part": "slow"})
    names, steps, start = [], [], [[a.copy() for a in part] for part in network(at)]
    for _ in range(7):
        at.button(key="bp_phase_next").click().run()
        assert not at.exception, [e.value for e in at.exception]
        names.append(next(m.value for m in at.markdown if re.match(r"\*\*\d\. ", m.value)))
        steps.append(at.session_state["bp"].latest["net"].step)
        if "Update" in names[-1]:
            update_text = " ".join(l.value for l in at.latex)
        prose = " ".join(m.value for m in [*at.markdown, *at.caption]
                         if not m.value.startswith("<style"))
        # LaTeX belongs in st.latex or between $ signs, never bare in the text
        assert not re.findall(r"\\[a-z]+", re.sub(r"\$[^$]*\$", "", prose))
    assert [n.split(".")[1].strip(" *") for n in names] == [
        "Forward", "The loss", "Backward, layer 3 (the output)", "Backward, layer 2",
        "Backward, layer 1", "Update", "The new boundary"]
    # the update phase shows the gradient the step uses, at the weights before it; the step is
    # taken when the new boundary is shown (the 7th click starts the next iteration: forward)
    assert steps == [0, 0, 0, 0, 0, 0, 1]
    from core.mlp import backprop
    from ui.numbers import tex
    X, y = make_dataset("xor", 40, 0.1, random_state=2)
    Y = y.reshape(-1, 1).astype(float)
    after = network(at)
    assert not np.allclose(after[0][0], start[0][0])  # (the step was taken)
    for (coefs, intercepts), used in ((start, True), (after, False)):
        gW, gb = backprop(X, Y, coefs, intercepts, "tanh")
        norms = [tex(float(np.sqrt((W ** 2).sum() + (b ** 2).sum())), 3) for W, b in zip(gW, gb)]
        assert all(n in update_text for n in norms) == used
    graph = live_figure(at, "bp_point_graph")
    assert graph["layout"]["title"]["text"].startswith("The chosen point")


def test_a_deeper_network_shows_the_delta_recursion_with_numbers_and_checks_its_gradient():
    from core.ledger import trace
    at = page_from_link({"layers": "3", "hidden": "4", "activation": "tanh", "point": "6",
                         "part": "example"})
    coefs, intercepts = network(at)
    assert [W.shape for W in coefs] == [(2, 4), (4, 4), (4, 4), (4, 1)]
    X, y = make_dataset("xor", 40, 0.1, random_state=2)
    tr = trace(X[6], y[6], coefs, intercepts, "tanh")
    text = " ".join(l.value for l in at.latex)
    from ui.numbers import tex
    for l in (1, 2, 3):
        assert ", ".join(tex(v) for v in tr.deltas[l - 1]) in text  # each delta, with numbers
    assert "\\delta^{(4)}" in text and "\\otimes" in text
    show(at, "check")
    error = next(m for m in at.metric if m.label == "Largest relative error")
    assert any("derivatives are right" in s.value for s in at.success)
    assert error.value


def test_the_overshoot_caption_says_when_even_the_smallest_step_tried_raises_the_loss():
    from core.handnet import OVERSHOOT_ETAS
    from ui.backprop_network import overshoot_text
    smallest = OVERSHOOT_ETAS[0]
    text = overshoot_text(4, None, smallest)
    assert f"from η = {num(smallest, 2)}" in text and "every one" in text and "≥" not in text
    # a grid of steps was tried: the text says so, and claims nothing beyond it (a browser
    # review: "η ≥ 2.2 already makes the loss rise ... Its own loss never rises")
    text = overshoot_text(4, 3.0, 0.5)
    assert "smallest of 31 steps tried" in text and "η ≈ 0.5" in text and "η ≈ 3" in text
    assert "≥" not in text and "never" not in overshoot_text(4, None, None)
    assert f"to {num(OVERSHOOT_ETAS[-1])}" in text


def test_a_step_too_large_for_a_deep_relu_network_is_named():
    at = page_from_link({"activation": "relu", "layers": "3", "hidden": "6", "part": "slow"})
    at.select_slider(key="bp_lr").set_value(100.0).run()
    for _ in range(20):
        at.button(key="bp_net_step").click().run()
    assert any("steps are too large" in c.value for c in at.caption), \
        [c.value for c in at.caption]


def test_the_agreement_in_digits_follows_the_error():
    from ui.backprop_views import agreement_text
    assert agreement_text(7.9e-8) == "to 7 significant digits or more"
    assert agreement_text(2e-11) == "to 10 significant digits or more"
    assert agreement_text(0.0) == "to every digit shown"


def test_the_delta_recursion_shows_each_units_own_slope_also_behind_a_dead_layer():
    """relu′(s) is 1 where s > 0, whatever the layer above sends back: a dead second layer
    makes W⁽²⁾δ⁽²⁾ zero, not the first layer's slopes."""
    from core.ledger import trace
    from ui import backprop_network as N
    coefs = [np.array([[1.0, -1.0], [0.5, 0.5]]), np.array([[1.0, 1.0], [1.0, 1.0]]),
             np.array([[1.0], [1.0]])]
    intercepts = [np.zeros(2), np.array([-10.0, -10.0]), np.zeros(1)]  # layer 2 is dead
    tr = trace(np.array([1.0, 0.2]), 1, coefs, intercepts, "relu")
    assert tr.signals[0][0] > 0 > tr.signals[0][1] and not tr.outputs[1].any()
    line = next(text for part, text in N.sensitivity_latex(tr, coefs, "relu")
                if part == "Backward" and r"\delta^{(1)}" in text)
    # slopes (1, 0) for s⁽¹⁾ = (1.1, -0.9); what comes back is (0, 0); δ⁽¹⁾ = (0, 0)
    assert r"&= \left(1, 0\right) \otimes \left(0, 0\right)" in line, line


def test_a_deeper_network_says_where_the_weight_by_weight_chain_went():
    """A browser review: with 2 hidden layers part ③ dropped the forward formulas, the weight
    pickers and the table without a word, under "every derivative"."""
    at = page_from_link({"layers": "2", "hidden": "3", "activation": "relu", "part": "example"})
    assert not at.exception
    assert any("Hidden layers" in i.value and "set" in i.value for i in at.info)
    one = page_from_link({"layers": "1", "hidden": "3", "activation": "relu", "part": "example"})
    assert not any("Hidden layers" in i.value for i in one.info)


def test_the_pull_arrows_are_said_to_be_a_gradient_in_x():
    from ui.backprop_sections import PULL_NOTE
    assert "the gradient in x, not in the weights" in PULL_NOTE and "against the" in PULL_NOTE


def test_graph_labels_keep_inside_the_chart():
    """A browser review: on the home page's 190 px picture "a = 3" and "∂L/∂c = 5" were cut at
    the top and bottom, and at 1024 px "L = c · e = −1…" at the right edge; with c = 10⁶ the
    page's own graph cut "100000(" at the left."""
    from ui.backprop_figures import LABEL_ROOM_PX, graph_y_range
    from ui.backprop_views import graph_view
    from ui.home import HEIGHT, backprop_thumbnail
    for fig, plot_px, room in ((graph_view({"a": 0.5, "b": -1.5, "c": 1e6}, 4)[0], 380,
                                LABEL_ROOM_PX), (backprop_thumbnail(), HEIGHT - 8, 40)):
        ys = fig["data"][0]["y"]
        low, high = fig["layout"]["yaxis"]["range"]
        per_px = (high - low) / plot_px
        assert (high - max(ys)) / per_px >= room - 1e-6 and (min(ys) - low) / per_px >= room - 1e-6
        # the circles of one layer stay apart, and so do a circle and the label above the
        # circle under it (on the home page's picture "b = 1" sat on a's circle)
        xs, size = fig["data"][0]["x"], fig["data"][0]["marker"]["size"]
        label_top = max(a["yshift"] for a in fig["layout"]["annotations"]
                        if a.get("yanchor") == "bottom" and "xshift" not in a) + 15
        for x in set(xs):
            rows = sorted(y for x2, y in zip(xs, ys) if x2 == x)
            assert all((b - a) / per_px >= size for a, b in zip(rows, rows[1:])), (x, rows)
            assert all((b - a) / per_px - size / 2 >= label_top for a, b in zip(rows, rows[1:]))
    # the outer layers' labels get margins of half their width (in pixels: at any chart width)
    from ui.backprop_figures import RADIUS_PX, label_px
    fig = graph_view({"a": 0.5, "b": -1.5, "c": 1e6}, 4)[0]
    widest = max(label_px(a["text"]) for a in fig["layout"]["annotations"]
                 if a.get("yshift") and a["x"] == max(fig["data"][0]["x"]))
    assert fig["layout"]["margin"]["r"] >= widest / 2 - RADIUS_PX > 10
    assert "L = −10" in [a["text"] for a in backprop_thumbnail()["layout"]["annotations"]]
    assert graph_y_range([0, 1], 50) == [-0.45, 1.45]  # too small for the rule: the old pad


@pytest.mark.parametrize("text, values", [
    ("lecture", {"a": 3.0, "b": 1.0, "c": -2.0}),
    ("lecture", {"a": 3.0, "b": 1.0, "c": 1e6}),
    ("lecture", {"a": -1e6, "b": 1e6, "c": -1e6}),
    ("c*(a+2*b)", {"a": 3.0, "b": 1.0, "c": -2.0}),
    ("x1*(x1+x2)", {"x1": 2.0, "x2": -3.0}),
    ("log(x1)+log(x2)", {"x1": 123456.0, "x2": 0.001})])
def test_each_derivative_on_an_edge_covers_no_other_label_in_a_narrow_chart(text, values):
    """A browser review at 1024 px: "∂L/∂e = c = −2" on the short edge from e to L covered
    "∂L/∂e = −2" under e and touched "L = c · e = −10" above L (and with c = 10⁶ ran through
    both). Each edge's label now goes where it covers no circle and no label at the narrowest
    width the page shows, along the edge or beside it, broken before its value if need be."""
    from core.expression import check_expression
    from ui.backprop_figures import (NARROW_PX, Plot, _overlap, edge_labels, edge_points,
                                     node_boxes)
    from ui.backprop_text import graph_marks
    from ui.backprop_views import graph_view
    from ui.expression_views import graph_parts
    graph = (lecture_graph(**values) if text == "lecture"
             else check_expression(text, values).graph)
    n_steps = len(backward(graph))
    fig = (graph_view(values, n_steps) if text == "lecture" else graph_parts(graph, n_steps))[0]
    nodes, edges = graph_marks(graph, backward(graph), backward_order(graph), n_steps)
    margin, layout = fig["layout"]["margin"], fig["layout"]
    plot = Plot(layout["xaxis"]["range"], layout["yaxis"]["range"],
                NARROW_PX - margin["l"] - margin["r"], layout["height"] - margin["t"] - margin["b"])
    names = [n["name"] for n in nodes]
    pos = dict(zip(names, zip(fig["data"][0]["x"], fig["data"][0]["y"])))
    placed = edge_labels(plot, nodes, pos, edges)
    assert len(placed) == sum(e["label"] is not None for e in edges) > 0
    taken = node_boxes(plot, nodes, pos)
    for i, (edge, _, _, box) in enumerate(placed):
        assert all(_overlap(box, b) == 0 for b in taken), edge["label"]
        assert all(_overlap(box, other[3]) == 0 for other in placed[i + 1:]), edge["label"]
        # and no other edge's line runs under it (x1 -> n1's label lay on x1 -> f's line)
        for other in edges:
            if (other["src"], other["dst"]) != (edge["src"], edge["dst"]):
                pts = edge_points(plot, pos[other["src"]], pos[other["dst"]])
                inside = ((pts[:, 0] > box[0]) & (pts[:, 0] < box[2]) & (pts[:, 1] > box[1])
                          & (pts[:, 1] < box[3]))
                assert not inside.any(), (edge["label"], other["src"], other["dst"])
    # the figure shows them where they were placed
    shown = {(a["text"], a["xshift"], a["yshift"]) for a in fig["layout"]["annotations"]
             if "xshift" in a}
    assert shown == {(e["label"], *shift) for e, _, shift, _ in placed}
