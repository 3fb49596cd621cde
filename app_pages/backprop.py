"""Backpropagation: the chain rule with real numbers, and the gradient check that proves it."""
import numpy as np
import streamlit as st

from core import make_dataset
from core.errors import TrainingDiverged
from core.gradcheck import BUGGY_BACKPROPS, check_gradients, time_gradients
from core.graph import LECTURE_INPUTS
from core.handnet import HandNetwork
from core.ledger import ledger
from core.mlp import backprop
from ui import backprop_views as V
from ui.backprop_facts import activation_explorer, parameter_quiz
from ui.backprop_figures import timing_figure
from ui.numbers import num
from ui.page import header
from ui.settings import restore, widget, write_url

KEY = "bp"
CHART = {"displayModeBar": False}
SPECS = V.SPECS
header("🔗 Backpropagation: the chain rule with real numbers", V.LEDE, V.LECTURE)
values = restore(KEY, SPECS)
tab_graph, tab_ledger, tab_check, tab_facts = st.tabs(
    ["① The computation graph", "② One example, every derivative",
     "③ Gradient check and its cost", "④ Small facts"])

# ---- ① the computation graph -------------------------------------------------------------------
STEP = f"{KEY}_graph_step"


def set_step(k):
    st.session_state[STEP] = k


with tab_graph:
    st.markdown(V.GRAPH_TEXT)
    st.caption(V.GRAPH_NOTE)
    cols = st.columns([0.85, 0.85, 0.85, 1.6, 0.8, 0.95])
    inputs = {}
    for col, name in zip(cols[:3], LECTURE_INPUTS):
        with col:
            inputs[name] = widget(KEY, SPECS[name])
    k = st.session_state.setdefault(STEP, 0)
    figure, message, chain, closing, n_steps = V.graph_view(inputs, k)
    for col, label, target, kw in (
            (cols[3], "⬅ Step backward", min(k + 1, n_steps), dict(type="primary", key=f"{KEY}_step")),
            (cols[4], "⏪ All", n_steps, dict(key=f"{KEY}_all", help="Do every backward step at once.")),
            (cols[5], "↺ Reset", 0, dict(key=f"{KEY}_reset", help="Back to the forward pass only."))):
        with col:
            st.write("")  # align the buttons with the inputs' boxes
            st.button(label, on_click=set_step, args=(target,), width="stretch",
                      disabled=(k >= n_steps) if target else k == 0, **kw)
    st.markdown(message)
    st.plotly_chart(figure, key=f"{KEY}_graph", config=CHART)
    st.caption(V.GRAPH_CAPTION)
    st.markdown("**The chain rule, step by step**")
    if k == 0:
        st.info("No derivatives yet: the backward pass has not started.", icon="⬅")
    left, right = st.columns(2)
    for n, line in enumerate(chain):
        (left if n < 3 else right).latex(line)
    if closing:
        st.success(closing, icon="✅")

# ---- the small network of ② and ③ ------------------------------------------------------------
with st.sidebar:
    st.header("The network of ② and ③")
    start = widget(KEY, SPECS["start"])
    lectures_net = start == V.OR_AND
    hidden = 2 if lectures_net else widget(KEY, SPECS["hidden"])
    activation = "sigmoid" if lectures_net else widget(KEY, SPECS["activation"], horizontal=True)
    if lectures_net:
        st.caption("The lectures' network: 2 sigmoid hidden units (an OR and an AND unit).")
    st.header("Data")
    dataset, n_samples, noise, seed = (widget(KEY, SPECS[k]) for k in ("dataset", "n", "noise",
                                                                       "seed"))
    st.header("Training")
    train_lr = widget(KEY, SPECS["lr"])

X, y = make_dataset(dataset, n_samples, noise, random_state=seed)
NET = f"{KEY}_net"
config = (dataset, n_samples, noise, seed, hidden, activation, start)
if st.session_state.get(f"{NET}_config") != config:
    st.session_state[NET] = HandNetwork(X, y, hidden, activation,
                                        "or_and" if lectures_net else "random", seed)
    st.session_state[f"{NET}_config"] = config
net = st.session_state[NET]


def attempt(where, action, *args):
    """Run a change of the network; a divergence is explained (at ``where``) and changes
    nothing."""
    try:
        action(*args)
    except TrainingDiverged as err:
        st.session_state[f"{KEY}_{where}_error"] = f"{err} The weights are kept as they were."


def reset_weights():
    st.session_state.pop(f"{NET}_config", None)


with st.sidebar:
    st.button("🏋 Train 300 steps", key=f"{KEY}_train", on_click=attempt,
              args=("train", net.train, 300, train_lr), width="stretch",
              help="Full-batch gradient steps on all the points.")
    st.button("↺ Reset weights", key=f"{KEY}_reset_weights", on_click=reset_weights,
              width="stretch")
    st.caption(f"{net.steps:,} training steps and {net.n_updates} single-example updates so far."
               + (" Two hidden units can get stuck on XOR (a local optimum): then try another "
                  "seed or more units." if hidden == 2 and dataset == "xor" else ""))
    if st.session_state.get(f"{KEY}_train_error"):
        st.error(st.session_state.pop(f"{KEY}_train_error"), icon="💥")


def pick_clicked_point():
    """The training point nearest to where the surface chart was clicked."""
    clicked = (st.session_state.get(f"{KEY}_surface") or {}).get("selection", {}).get("points")
    if clicked:
        where = np.array([clicked[0]["x"], clicked[0]["y"]], float)
        st.session_state[f"{KEY}_point"] = int(np.argmin(((X - where) ** 2).sum(axis=1)))


with tab_ledger:
    st.markdown(f"The lectures' network, here 2-{hidden}-1 with {activation} hidden units (settings "
                "in the sidebar). Pick one training example (x, y): the lectures differentiate "
                "the log-likelihood of **one example** and sum over examples afterwards.")
    st.info(V.BIAS_NOTE, icon="➕")
    left, right = st.columns([1, 1.1])
    with right:
        point = widget(KEY, SPECS["point"].bounded(hi=len(X) - 1))
        book = ledger(X[point], y[point], net.coefs, net.intercepts, activation)
        st.markdown(V.point_text(net, point, book))
    with left:
        st.plotly_chart(V.data_surface(net, point), key=f"{KEY}_surface", config=CHART,
                        on_select=pick_clicked_point, selection_mode="points")
        st.caption("Click a point to pick it.")
    st.subheader("Forward: x → h → ŷ → LL")
    for line in V.forward_latex(book, activation):
        st.latex(line)
    with st.expander("The forward values as a table"):
        st.dataframe(V.forward_rows(book), hide_index=True, width="stretch")
    st.subheader("Backward: the chain rule, right to left")
    st.markdown("Pick one weight of each layer and follow its derivative factor by factor.")
    chosen = []
    for col, spec in zip(st.columns(3), V.weight_pickers(hidden)):
        with col:
            chosen.append(widget(KEY, spec))
    lines = V.backward_latex(book, *chosen, activation)
    st.markdown("**An output weight** (its input is $h_j$):")
    for line in lines[:2]:
        st.latex(line)
    st.markdown(r"**A hidden weight** (the chain goes on through $\theta_j^{(y)}$ and $h_j$):")
    for line in lines[2:]:
        st.latex(line)
    st.caption(V.backward_caption(activation))
    st.markdown("**Every weight at once**, and the same numbers from the app's own "
                "backpropagation (`core.mlp.backprop`):")
    st.dataframe(V.every_weight(net, point, book), hide_index=True, width="stretch")
    st.caption(V.SIGN_NOTE)

    st.subheader("One update: θ ← θ + η ∂LL/∂θ")
    c1, c2 = st.columns([2, 1])
    with c1:
        eta = widget(KEY, SPECS["eta"])
    with c2:
        st.write("")
        st.button("⬆ Apply one update", key=f"{KEY}_update", on_click=attempt,
                  args=("update", net.update, point, eta), type="primary", width="stretch",
                  help="Every weight moves by η times its ∂LL/∂θ for this one example.")
    if st.session_state.get(f"{KEY}_update_error"):
        st.error(st.session_state.pop(f"{KEY}_update_error"), icon="💥")
        st.button("↺ Reset weights", key=f"{KEY}_reset_after_update", on_click=reset_weights)
    last = net.last_update
    if last is None:
        st.caption("Apply the update to see this point's loss before and after. Every number "
                   "above then shows the new weights.")
    else:
        m1, m2, m3, m4 = st.columns([1, 1, 1, 0.8])
        m1.metric(f"Loss −LL of point #{last.point} before", num(last.loss_before))
        m2.metric("after one update", num(last.loss_after),
                  delta=num(last.loss_after - last.loss_before), delta_color="inverse")
        m3.metric("ŷ before → after", f"{num(last.y_hat_before, 3)} → "
                                     f"{num(last.y_hat_after, 3)}")
        with m4:
            st.write("")
            st.button("↩ Undo", key=f"{KEY}_undo", on_click=net.undo, width="stretch")
        kind, text = V.update_verdict(last)
        (st.success if kind == "success" else st.warning)(text, icon="⬆" if kind == "success"
                                                          else "⚠️")
write_url(KEY, SPECS)

# ---- ③ gradient check and its cost -------------------------------------------------------------
@st.cache_data(show_spinner="Timing backpropagation and finite differences…")
def timings():
    return time_gradients(n_inputs=40, hidden_sizes=(2, 8, 20, 32, 128), n_samples=32)


with tab_check:
    st.markdown(V.check_text(sum(W.size + b.size for W, b in zip(net.coefs, net.intercepts)),
                             len(X)))
    which = st.selectbox("Backpropagation to check", [V.CORRECT, *BUGGY_BACKPROPS],
                         key=f"{KEY}_which", help="The deliberately broken versions show what "
                                                  "the check reports when a derivative is wrong.")
    result = check_gradients(X, net.Y, net.coefs, net.intercepts, activation,
                             backprop=backprop if which == V.CORRECT else BUGGY_BACKPROPS[which])
    c1, c2 = st.columns([1, 2.2])
    with c1:
        st.metric("Largest relative error", f"{result.max_relative_error:.1e}",
                  help="|a − n| / (|a| + |n|) for analytic a and numerical n.")
        st.markdown(f"at **{result.names[result.worst]}**")
        if result.passed():
            st.success("Backpropagation agrees with the finite differences to about 8 digits "
                       "or better: the derivatives are right.", icon="✅")
        else:
            st.error("Some derivatives disagree with the finite differences: this "
                     "backpropagation has a bug. The top row is the worst.", icon="🐞")
        st.caption(V.CHECK_NOTE)
    c2.dataframe(V.check_table(result), hide_index=True, width="stretch")

    st.subheader("Correct, but inefficient: what each way costs")
    st.markdown(V.COST_TEXT)
    if st.button("⏱ Time both ways", key=f"{KEY}_time", help="About two seconds; the result "
                 "is kept.") or st.session_state.get(f"{KEY}_timed"):
        st.session_state[f"{KEY}_timed"] = True
        rows = timings()
        st.dataframe(V.cost_table(rows), hide_index=True, width="stretch")
        c1, c2 = st.columns([1.6, 1])
        c1.plotly_chart(timing_figure([r.n_params for r in rows], [r.backprop_seconds for r in rows],
                                      [r.numerical_seconds for r in rows],
                                      [f"|h| = {r.hidden}" for r in rows]),
                        key=f"{KEY}_timing", config=CHART)
        c2.markdown(V.cost_summary(rows))
        c2.caption("Measured on this server when you pressed the button (cached since); the "
                   "small times are noisy, the trend is not.")

# ---- ④ small facts -----------------------------------------------------------------------------
with tab_facts:
    left, right = st.columns(2)
    with left:
        activation_explorer(KEY)
    with right:
        parameter_quiz(KEY)
