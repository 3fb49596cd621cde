"""The backpropagation page's sections, one shown at a time: the lectures' graph stepped by
hand, one training iteration in slow motion with the network's graph for a chosen point, one
example's every derivative and a single update, the gradient check and its cost. Layout only: the numbers come from
``ui.backprop_views`` and ``ui.backprop_network``."""
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.errors import TrainingDiverged
from core.gradcheck import BUGGY_BACKPROPS, check_gradients, time_gradients, time_network
from core.graph import LECTURE_INPUTS
from core.handnet import data_loss, example_update, overshoot_etas, undo
from core.ledger import ledger, trace
from core.mlp import backprop
from ui import backprop_network as N
from ui import backprop_views as V
from ui.backprop_figures import timing_figure
from ui.live import controls, live_fragment, live_frames
from ui.live_chart import live_chart
from ui.numbers import num
from ui.page import stacking_columns, status, too_large_step_note
from ui.settings import current, widget

CHART = {"displayModeBar": False}


@dataclass(frozen=True)
class Page:
    """What the sections need: the page's key, its live run (one network trained full batch on all
    the points), the data, the grid, the chosen point and the settings."""
    key: str
    run: object
    X: np.ndarray
    y: np.ndarray
    grid: object
    point_spec: object
    point: int
    activation: str
    learning_rate: float

    @property
    def Y(self):  # noqa: N802 (the targets as a column, as core.mlp takes them)
        return self.y.reshape(-1, 1).astype(float)

    @property
    def model(self):
        return self.run.trainers["net"].model

    def network(self):
        snap = self.run.latest["net"]
        return [np.array(W) for W in snap.coefs], [np.array(b) for b in snap.intercepts]


# ---- ① the lectures' graph ------------------------------------------------------------------------
def lecture_graph(key):
    step = f"{key}_graph_step"
    st.markdown(V.GRAPH_LEAD)
    left, right = graph_columns(key)
    with left:  # the buttons above the inputs, their labels whole ("Step backw…" beside them)
        buttons = st.container(horizontal=True)  # filled once the inputs are read
        inputs = {}
        for col, name in zip(st.columns(3), LECTURE_INPUTS):
            with col:
                inputs[name] = widget(key, V.SPECS[name])
    k = st.session_state.setdefault(step, 0)
    figure, message, chain, closing, n_steps = V.graph_view(inputs, k)
    with buttons:
        step_buttons(key, k, n_steps, lambda target: st.session_state.__setitem__(step, target))
    walked_graph(key, (left, right), figure, message, V.GRAPH_CAPTION, chain, closing, k,
                 text=V.GRAPH_TEXT)
    st.caption(V.GRAPH_NOTE)


def graph_columns(key, beside=True):
    """(controls, graph): side by side in a wide window, so a step backward changes the graph in
    sight of its button; in a narrow one (1024 px), or not ``beside``, the graph stands right
    under the controls."""
    if not beside:
        return st.container(), st.container()
    return stacking_columns(f"{key}_graph", [1, 1.55], wide=True)


def step_buttons(key, k, n_steps, go):
    """Step backward, All and Reset for a graph after ``k`` of its ``n_steps`` backward steps
    (keys ``<key>_step``, ``_all``, ``_reset``); ``go(k)`` is called with the step to show."""
    for name, label, target, tip in (
            ("step", "⬅ Step backward", min(k + 1, n_steps), None),
            ("all", "⏪ All", n_steps, "Do every backward step at once."),
            ("reset", "↺ Reset", 0, "Back to the forward pass only.")):
        st.button(label, key=f"{key}_{name}", on_click=go, args=(target,), help=tip,
                  type="primary" if name == "step" else "secondary", width="content",
                  disabled=(k >= n_steps) if target else k == 0)


def walked_graph(key, columns, figure, message, caption, lines, closing, k, text=None):
    """A computation graph after ``k`` backward steps: the sentence about the step under the
    controls (``columns[0]``), the graph beside them (``columns[1]``), then a ``text``, the
    chain rule of every step so far and the closing text."""
    left, right = columns
    with left:
        st.markdown(message)
    with right:
        st.plotly_chart(figure, key=f"{key}_graph", config=CHART)
        st.caption(caption)
    if text:
        st.markdown(text)
    st.markdown("**The chain rule, step by step**")
    if k == 0:
        st.info("No derivatives yet: the backward pass has not started.", icon="⬅")
    for line in lines:
        st.latex(line)
    if closing:
        st.success(closing, icon="✅")


# ---- ② one iteration in slow motion, live ---------------------------------------------------------------
def slow_motion(p):
    phase_key, losses_key = f"{p.key}_phase", f"{p.key}_phase_losses"
    names = N.phases(len(p.network()[0]))

    def advance():
        k = (st.session_state.get(phase_key, -1) + 1) % len(names)
        if names[k] == "forward":
            st.session_state[losses_key] = [p.run.latest["net"].train_loss]
        if names[k] == "boundary":  # the update phase showed the gradient; now it is applied
            p.run.step_once(1)
            st.session_state.setdefault(losses_key, []).append(p.run.latest["net"].train_loss)
        st.session_state[phase_key] = k
        p.run.touch()  # the phase's views below the charts follow

    def phase_controls():
        st.button("⏭ Next phase", key=f"{p.key}_phase_next", on_click=advance, width="content",
                  disabled=p.run.running,
                  help="One training iteration in numbered phases: forward, loss, backward "
                       "layer by layer, update, the new boundary.")
    controls(p.run, f"{p.key}_net", extra=phase_controls)
    if p.run.running:
        st.session_state.pop(phase_key, None)

    def render(run):
        k = st.session_state.get(phase_key)  # read here: "Next phase" redraws only this part first
        phase = names[k] if k is not None else None
        snap = run.latest["net"]
        status([("step", f"{snap.step:,}"), ("train loss −LL/n", num(snap.train_loss)),
                ("accuracy", f"{snap.train_accuracy:.0%}"),
                ("phase", f"{k + 1} of {len(names)}: {names[k]}" if phase else
                 "— (press ⏭ Next phase)")])
        st.caption(too_large_step_note(run.histories["net"]) or " ")
        surface_col, graph_col = st.columns([1, 1.1])
        with surface_col:
            click = live_frames(run, "net", lambda shown: N.surface_figure(
                shown, p.grid, p.X, p.y, p.point, p.activation, hover=run.settled),
                key=f"{p.key}_surface", height=420, clickable=True)
            if click:
                where = np.array([click["x"], click["y"]], float)
                st.session_state[f"{p.key}_point"] = int(np.argmin(((p.X - where) ** 2).sum(1)))
                st.rerun(scope="app")
        tr = trace(p.X[p.point], p.y[p.point], snap.coefs, snap.intercepts, p.activation)
        view = N.phase_view(phase, tr, p.X, p.Y, snap.coefs, snap.intercepts, p.activation,
                            p.learning_rate, st.session_state.get(losses_key)) if phase else None
        with graph_col:
            live_chart(N.graph_of_point(snap, tr, highlight=view[3] if view else None),
                       key=f"{p.key}_point_graph", height=420)
        if view:
            title, text, lines, _ = view
            st.markdown(f"**{k + 1}. {title}.** {text}")
            for line in lines:
                st.latex(line)
    live_fragment(p.run, render, current(p.key, V.SPECS["speed"]), frames=2)
    st.caption(PULL_NOTE)


PULL_NOTE = ("Click a point on the surface to follow it through the network. Each arrow starts at "
             "an example and points where moving **the example itself** would raise its own "
             "log-likelihood fastest (the gradient in x, not in the weights): towards its "
             "class's side. A step on the weights shifts the surface's contours against the "
             "arrows, so each example sits deeper in its class's side. An arrow is as long as "
             "|y − ŷ|: how hard that example still pulls on the weights.")


# ---- ③ one example, every derivative ------------------------------------------------------------------
DEEP_NOTE = ("The weight-by-weight chain (x → h → ŷ, an output weight θ⁽ʸ⁾ and a hidden weight, "
             "every weight in a table) is written for the lectures' network of one hidden "
             "layer: set **Hidden layers** to 1 to see it. For this deeper network the "
             "sensitivities δ below do the same for every layer, and any weight's derivative "
             "is its input times its unit's δ.")


def one_example(p):
    coefs, intercepts = p.network()
    tr = trace(p.X[p.point], p.y[p.point], coefs, intercepts, p.activation)
    st.markdown(f"The network of the sidebar, {'-'.join(str(W.shape[0]) for W in coefs)}-1 with "
                f"{p.activation} hidden units. Pick one training example (x, y) (or click it "
                "on the surface of ②): the lectures differentiate the log-likelihood of **one "
                "example** and sum over examples afterwards.")
    widget(p.key, p.point_spec, width=220)
    loss = data_loss(coefs, intercepts, p.activation, p.X, p.y)
    accuracy = p.run.latest["net"].train_accuracy
    if len(coefs) == 2:  # the lectures' own network and notation
        book = ledger(p.X[p.point], p.y[p.point], coefs, intercepts, p.activation)
        st.info(V.BIAS_NOTE, icon="➕")
        st.markdown(V.point_text(p.X, p.y, p.point, book, loss, accuracy))
        st.subheader("Forward: x → h → ŷ → LL")
        for line in V.forward_latex(book, p.activation):
            st.latex(line)
        st.subheader("Backward: the chain rule, right to left")
        st.markdown("Pick one weight of each layer and follow its derivative factor by factor.")
        chosen = []
        for col, spec in zip(st.columns(3), V.weight_pickers(len(book.z_h),
                                                             N.first_live_unit(tr) + 1)):
            with col:
                chosen.append(widget(p.key, spec))
        lines = V.backward_latex(book, *chosen, p.activation)
        st.markdown("**An output weight** (its input is $h_j$):")
        for line in lines[:2]:
            st.latex(line)
        st.markdown(r"**A hidden weight** (the chain goes on through $\theta_j^{(y)}$ and $h_j$):")
        for line in lines[2:]:
            st.latex(line)
        st.caption(V.backward_caption(p.activation))
        st.dataframe(V.every_weight(p.X, p.Y, coefs, intercepts, p.activation, p.point, book),
                     hide_index=True, width="stretch")
        st.caption(V.SIGN_NOTE)
    else:
        st.info(DEEP_NOTE, icon="🪜")
    st.subheader("The lectures' backpropagation algorithm: sensitivities δ, right to left")
    st.markdown("For any depth: the signal s⁽ˡ⁾ into each layer, its output x⁽ˡ⁾, and the "
                "sensitivity δ⁽ˡ⁾ = ∂e/∂s⁽ˡ⁾ of this example's loss e = −LL, computed once per "
                "layer and reused by the layer before it.")
    for _, line in N.sensitivity_latex(tr, coefs, p.activation):
        st.latex(line)
    live = N.first_live_unit(tr)
    st.latex(N.weight_example(tr, 1, 0, live))
    single_update(p, coefs)


def single_update(p, coefs):
    st.subheader("One update: θ ← θ + η ∂LL/∂θ")
    last = f"{p.key}_last_update"

    def apply(eta):
        try:
            with p.run.changing():
                st.session_state[last] = example_update(p.model, p.X, p.y, p.point, eta)
        except TrainingDiverged as err:
            st.session_state[f"{p.key}_update_error"] = f"{err} The weights are kept as they were."

    def take_back():
        with p.run.changing():
            undo(p.model, st.session_state.pop(last))
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    with c1:
        eta = widget(p.key, V.SPECS["eta"])
    c2.button("⬆ Apply one update", key=f"{p.key}_update", on_click=apply, args=(eta,),
              type="primary", width="stretch",
              help="Every weight moves by η times its ∂LL/∂θ for this one example.")
    own, data = overshoot_etas(p.model, p.X, p.y, p.point)
    st.caption(N.overshoot_text(p.point, own, data))
    if st.session_state.get(f"{p.key}_update_error"):
        st.error(st.session_state.pop(f"{p.key}_update_error"), icon="💥")
        st.button("↺ Reset weights", key=f"{p.key}_reset_after_update", on_click=p.run.restart)
    update = st.session_state.get(last)
    if update is None:
        st.caption("Apply the update to see this point's loss before and after. Every number "
                   "above then shows the new weights.")
        return
    m1, m2, m3, m4 = st.columns([1, 1, 1, 0.8], vertical_alignment="bottom")
    m1.metric(f"Loss −LL of point #{update.point} before", num(update.loss_before))
    # Streamlit reads a fall from a leading ASCII "-": num's "−" showed a fall as a red rise
    m2.metric("after one update", num(update.loss_after), delta_color="inverse",
              delta=num(update.loss_after - update.loss_before).replace("−", "-"))
    m3.metric("the data set's −LL/n", f"{num(update.data_loss_before)} → "
                                     f"{num(update.data_loss_after)}")
    m4.button("↩ Undo", key=f"{p.key}_undo", on_click=take_back, width="stretch")
    kind, text = N.update_verdict(update, own)
    {"success": st.success, "warning": st.warning, "error": st.error}[kind](text)


# ---- ④ the gradient check and its cost -----------------------------------------------------------------
@st.cache_data(show_spinner="Timing backpropagation and finite differences…")
def _timings():
    return time_gradients(n_inputs=40, hidden_sizes=(2, 8, 20, 32, 128), n_samples=32)


def gradient_check(p):
    coefs, intercepts = p.network()
    n_params = sum(W.size + b.size for W, b in zip(coefs, intercepts))
    st.markdown(V.check_text(n_params, len(p.X)))
    which = st.selectbox("Backpropagation to check", [V.CORRECT, *BUGGY_BACKPROPS],
                         key=f"{p.key}_which", help="The deliberately broken versions show "
                                                     "what the check reports when a derivative "
                                                     "is wrong.")
    result = check_gradients(p.X, p.Y, coefs, intercepts, p.activation,
                             backprop=backprop if which == V.CORRECT else BUGGY_BACKPROPS[which])
    # the verdict across the page: in the narrow column beside the table, "Backpropagation"
    # broke in the middle at 1024x768
    if result.passed():
        st.success("Backpropagation agrees with the finite differences "
                   f"{V.agreement_text(result.max_relative_error)}: the derivatives are "
                   "right.", icon="✅")
    else:
        st.error("Some derivatives disagree with the finite differences: this "
                 "backpropagation has a bug. The top row is the worst.", icon="🐞")
    # the table the page's width: beside the metric, at 1024 px, its error columns were cut off
    c1, c2 = st.columns([1, 2.2])
    with c1:
        st.metric("Largest relative error", num(result.max_relative_error, 2),
                  help="|a − n| / (|a| + |n|) for analytic a and numerical n.")
        st.markdown(f"at **{result.names[result.worst]}**")
    c2.caption(V.CHECK_NOTE)
    st.dataframe(V.check_table(result), hide_index=True, width="stretch")

    st.subheader("Correct, but inefficient: what each way costs")
    st.markdown(V.COST_TEXT)
    if st.button("⏱ Time both ways", key=f"{p.key}_time", help="A few seconds; the result "
                 "is kept.") or st.session_state.get(f"{p.key}_timed"):
        st.session_state[f"{p.key}_timed"] = True
        rows = _timings()
        ours = time_network(p.X, p.Y, coefs, intercepts, p.activation)
        st.markdown(f"**This page's network** ({ours.n_params} parameters, {len(p.X)} points): "
                    f"backpropagation {num(ours.backprop_seconds * 1000)} ms, finite differences "
                    f"{num(ours.numerical_seconds * 1000)} ms ({ours.forward_passes} forward "
                    f"passes), **{num(ours.ratio, 3)} times** as long.")
        st.dataframe(V.cost_table(rows), hide_index=True, width="stretch")
        # the page's width: in two thirds of it, at 1024 px, "×1,079" ran into "×1,710"
        st.plotly_chart(timing_figure([r.n_params for r in rows],
                                      [r.backprop_seconds for r in rows],
                                      [r.numerical_seconds for r in rows],
                                      [f"|h| = {r.hidden}" for r in rows]),
                        key=f"{p.key}_timing", config=CHART)
        st.markdown(V.cost_summary(rows))
        st.caption("Measured on this server when you pressed the button; the small times are "
                   "noisy, the trend is not.")
