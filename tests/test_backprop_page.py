"""The backpropagation page runs headless (AppTest) and its controls do what they say."""
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.graph import backward, lecture_graph
from ui.backprop_text import chain_latex, num, reuse_text

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages/backprop.py")


@pytest.fixture
def at():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


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


def metric_values(at):
    return {m.label: m.value for m in at.metric}


def test_page_runs_with_four_tabs(at):
    assert [t.label for t in at.tabs] == ["① The computation graph",
                                         "② One example, every derivative",
                                         "③ Gradient check and its cost", "④ Small facts"]
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
    at.number_input(key="bp_point").set_value(3).run()
    at.select_slider(key="bp_eta").set_value(0.1).run()
    at.button(key="bp_update").click().run()
    last = at.session_state["bp_last_update"]
    assert last["point"] == 3 and last["eta"] == 0.1
    assert last["after"] < last["before"]
    shown = metric_values(at)
    assert shown["Loss −LL of point #3 before"] == num(last["before"])
    assert shown["after one update"] == num(last["after"])
    assert any("fell from" in s.value for s in at.success)
    # the ledger now shows the new weights: the point's loss is the "after" value
    assert any(f"this point's loss −LL = **{num(last['after'])}**" in m.value for m in at.markdown)
    at.button(key="bp_undo").click().run()
    assert "bp_last_update" not in at.session_state
    assert any(f"this point's loss −LL = **{num(last['before'])}**" in m.value
               for m in at.markdown)


def test_ledger_table_matches_core_backward(at):
    table = next(df.value for df in at.dataframe if "weight" in df.value.columns)
    ledger_col, core_col = "∂LL/∂θ (ledger)", "−∂J/∂θ (core.mlp.backward)"
    assert len(table) == 9  # 2-2-1 with biases
    assert (table[ledger_col] - table[core_col]).abs().max() < 1e-12


def test_gradient_check_and_a_bug(at):
    error = next(m for m in at.metric if m.label == "Largest relative error")
    assert float(error.value) < 1e-6
    assert any("derivatives are right" in s.value for s in at.success)
    at.selectbox(key="bp_which").set_value("forgot g′(z) in the hidden layer").run()
    error = next(m for m in at.metric if m.label == "Largest relative error")
    assert float(error.value) > 1e-2
    assert any("has a bug" in e.value for e in at.error)


def test_timing_on_a_button_press(at):
    assert not any("numerical / backprop" in df.value.columns for df in at.dataframe)
    at.button(key="bp_time").click().run()
    cost = next(df.value for df in at.dataframe if "numerical / backprop" in df.value.columns)
    assert list(cost["hidden units |h|"]) == [2, 8, 20, 32, 128]
    assert (cost["numerical / backprop"] > 1).all()
    assert not at.exception


def test_training_and_the_lectures_weights(at):
    def data_loss():
        line = next(m.value for m in at.markdown if m.value.startswith("Whole data set"))
        return float(line.split("−LL/n = ")[1].split(",")[0].replace("−", "-"))

    start = data_loss()
    at.button(key="bp_train").click().run()
    assert data_loss() < start
    at.radio(key="bp_start").set_value("The lectures' OR/AND weights").run()
    assert at.slider(key="bp_hidden").disabled
    assert data_loss() < 0.1  # the hand-made XOR network is already good
    assert not at.exception


def test_small_facts_counts_and_activations(at):
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
    assert num(-4.0) == "−4" and num(0.123456) == "0.1235" and num(2.5e-7) == "2.5×10^−7"
