"""Logistic regression, live: gradient ascent on the log-likelihood of 2-D data."""
import numpy as np
import streamlit as st

from core import LogisticRegression, Trainer, make_grid
from core.features import expand, expanded_grid
from core.hill import largest_stable_step
from core.logistic import add_intercept
from ui import logistic_lessons as LL
from ui import logistic_sections as sections
from ui import logistic_views as V
from ui.live import controls, follow_fragment, get_run, live_fragment
from ui.live_chart import live_chart
from ui.logistic_views import DATA, MODES, SPECS, TRAINING, VIEW
from ui.page import (data_sidebar, file_settings, fitted, header, lesson_box, loads,
                     make_split, model_box, stacking_columns, start_weights, status)
from ui.settings import current, restore, widget, write_url

KEY = "logreg"
header("📈 Logistic regression",
       "**P(Y = 1 | x) = σ(θᵀx)** with x₀ = 1. From θ = 0, each step moves uphill on the "
       "log-likelihood: **θ ← θ + η ∂LL/∂θ**.",
       "logistic regression as maximum likelihood; the sigmoid; gradient ascent; "
       "linear separability; Naive Bayes; minibatch SGD.", page=KEY)
values = restore(KEY, SPECS)
with st.sidebar:
    data = data_sidebar(KEY, DATA)
    st.header("Inputs and speed")
    extra = widget(KEY, TRAINING["features"])
    speed = widget(KEY, TRAINING["speed"])

X, X_train, X_test, y_train, y_test = make_split(data)
Xf_train, Xf_test = expand(X_train, extra), expand(X_test, extra)
n = len(X_train)
grid = make_grid(X, resolution=100)
lecture = current(KEY, TRAINING["lecture"])
top = st.container()  # the buttons, drawn above these settings once the run exists
c1, c2, c3 = st.columns([2.3, 2.2, 1.5], vertical_alignment="bottom")
with c1:
    learning_rate = (widget(KEY, TRAINING["eta"]) * n if lecture
                     else widget(KEY, TRAINING["lr"]))
with c2:
    batch_size = MODES[widget(KEY, TRAINING["mode"], horizontal=True, disabled=lecture)]
with c3:
    l2 = 0.0 if lecture else widget(KEY, TRAINING["l2"])
if lecture:
    batch_size = None
elif batch_size == "mini":
    with st.sidebar:
        batch_size = widget(KEY, TRAINING["batch"])
stable = largest_stable_step(add_intercept(Xf_train), l2)
st.caption(V.eta_note(learning_rate, n, stable, lecture, full_batch=batch_size is None))


def build():
    model = LogisticRegression(learning_rate=learning_rate, batch_size=batch_size, l2=l2,
                               max_iter=10**9, tol=0, random_state=data["seed"])
    return {"ours": Trainer(model, Xf_train, y_train, Xf_test, y_test,
                            grid=expanded_grid(grid, extra), weights=start_weights(KEY))}


run = get_run(KEY, {"the data": tuple(data.values()), "the inputs": extra,
                    "lecture mode": lecture, "the loaded model file": loads(KEY)},
              build, record=lambda name, trainer, snap: {"theta": snap.theta[:, 0]})
run.set_params(learning_rate=learning_rate, batch_size=batch_size, l2=l2)
model = run.trainers["ours"].model
baseline = fitted("logistic", Xf_train, y_train, Xf_test, y_test, l2=l2)
sk = V.sk_theta(baseline)
sk_proba = (baseline.model.predict_proba(expand(grid.points, extra))[:, 1].reshape(grid.shape)
            if extra else None)
point_spec = VIEW["point"].bounded(hi=n - 1)
point = current(KEY, point_spec)
PHASE = f"{KEY}_phase"


def walk():
    """One phase of the lectures' loop: zero the gradient, sum it, update θ."""
    phase = st.session_state.get(PHASE)
    following = LL.PHASES[(LL.PHASES.index(phase) + 1) % 3] if phase in LL.PHASES else "zero"
    if following == "update":
        run.step_once(1)
    st.session_state[PHASE] = following
    run.redraw()  # the pseudocode is drawn with the charts


def top_controls():
    widget(KEY, TRAINING["lecture"], on_change=run.touch)
    if lecture:
        st.button("👣 One iteration, line by line", key=f"{KEY}_walk", on_click=walk,
                  width="content", help="Zero the gradient, sum it over the examples, then "
                                        "update θ: one press per line of the lectures' loop.")


with top:
    controls(run, KEY, extra=top_controls)
if run.running or not lecture:
    st.session_state.pop(PHASE, None)


def pick(click):
    """The training point nearest to a click on the plane becomes the chosen point."""
    where = np.array([click["x"], click["y"]], dtype=float)
    st.session_state[f"{KEY}_point"] = int(np.argmin(((X_train - where) ** 2).sum(axis=1)))
    st.rerun(scope="app")


def render(run):
    snap = run.latest["ours"]
    status(V.status_items(snap))
    # at 1024 pixels with the sidebar open, side by side left the plane 150 pixels square
    left, right = stacking_columns(f"{KEY}_live", [1.1, 1])
    with left:
        click = live_chart(V.plane_figure(snap, grid, (X_train, y_train, X_test, y_test), extra,
                                          point, sk, sk_proba, hover=run.settled),
                           key=f"{KEY}_surface",
                           height=430, clickable=True)
        if click:
            pick(click)
    with right:
        if lecture:
            theta = snap.theta[:, 0]
            phase = "loop" if run.running else st.session_state.get(PHASE) or (
                "init" if snap.step == 0 else None)
            gradient = (V.contributions(theta, Xf_train, y_train).sum(axis=0)
                        if phase in ("acc", "update") else None)
            st.markdown(LL.pseudocode_html(phase, theta, learning_rate / n),
                        unsafe_allow_html=True)
            if phase in LL.PHASES:
                before = model.last_step_[0][:, 0] if phase == "update" else theta
                st.caption(LL.phase_text(phase, gradient, before, theta, learning_rate / n, n))
        overshoot = V.overshoot_note(run.histories["ours"], full_batch=batch_size is None)
        note = overshoot or V.line_cannot_fit(data["dataset"], extra, run.histories["ours"]) or (
            V.l2_note(full_batch=batch_size is None) if l2 else None)
        live_chart(run.every("curves", lambda: V.curves_figure(run.histories["ours"], l2,
                                                               overshoot is not None)),
                   key=f"{KEY}_curves", height=250 if lecture else 400)
        st.caption(note or " ")


live_fragment(run, render, speed)

sections.lessons(sections.Page(KEY, run, data["dataset"], (X_train, y_train, X_test, y_test),
                            Xf_train, grid, extra, point_spec, point, learning_rate, l2, stable,
                            baseline, batch_size if isinstance(batch_size, int) else
                            TRAINING["batch"].default))
write_url(KEY, SPECS)
lesson_box(KEY, SPECS)


def fit_file(model, meta):
    """A model file's settings and weights, if it is one of this page's models."""
    if meta["model"] != "LogisticRegression" or len(model.classes_) != 2:
        raise ValueError(f"This page trains two-class logistic regressions; the file holds a "
                         f"{meta['model']} of {len(model.classes_)} classes.")
    values = file_settings(meta, SPECS)
    inputs = 2 + len(SPECS["features"].parse(values.get("features", ())))
    if model.n_features_in_ != inputs:
        raise ValueError(f"The file's model takes {model.n_features_in_} inputs, but its "
                         f"settings make {inputs}.")
    return values, model.get_weights()


model_box(KEY, "logistic_regression", SPECS, run, "ours",
          {k: values[k] for k in (*DATA, *TRAINING)}, fit_file,
          caption="A model file holds θ and the page's settings (the data's too: dataset, size, "
                  "noise, split and seed), so loading it here rebuilds the same data and "
                  "starts from that θ.")
