"""Logistic regression, live: gradient ascent on the log-likelihood of 2-D data."""
import streamlit as st

from core import LogisticRegression, Trainer, make_grid
from core.logistic import add_intercept
from ui import logistic_views as V
from ui.logistic_views import DATA, MODES, SPECS, TRAINING, VIEW
from ui.live import controls, follow_fragment, get_run, live_fragment
from ui.live_chart import live_chart
from ui.page import (data_sidebar, file_settings, fitted, header, loads, make_split, model_box,
                     start_weights, status)
from ui.settings import current, restore, widget, write_url

KEY = "logreg"
header("📈 Logistic regression: walking up the likelihood hill",
       "The model says **P(Y = 1 | x) = σ(θᵀx)**, with x₀ = 1 prepended so θ₀ is the intercept. "
       "Training starts at θ = 0 and repeats one move: compute the whole gradient of the "
       "log-likelihood, then step uphill, **θ ← θ + η ∂(LL/n)/∂θ**.",
       "logistic regression as maximum likelihood; the sigmoid; gradient ascent; "
       "linear separability.")
values = restore(KEY, SPECS)
with st.sidebar:
    data = data_sidebar(KEY, DATA)
    st.header("Training")
    learning_rate = widget(KEY, TRAINING["lr"])
    batch_size = MODES[widget(KEY, TRAINING["mode"])]
    if batch_size == "mini":
        batch_size = widget(KEY, TRAINING["batch"])
    l2 = widget(KEY, TRAINING["l2"])
    speed = widget(KEY, TRAINING["speed"])
write_url(KEY, SPECS)

X, *split = make_split(data)
X_train, X_test, y_train, y_test = split
grid = make_grid(X, resolution=100)


def build():
    model = LogisticRegression(learning_rate=learning_rate, batch_size=batch_size, l2=l2,
                               max_iter=10**9, tol=0, random_state=data["seed"])
    return {"ours": Trainer(model, X_train, y_train, X_test, y_test, grid=grid,
                            weights=start_weights(KEY))}


run = get_run(KEY, {"the data": tuple(data.values()), "the loaded model file": loads(KEY)},
              build, record=lambda name, trainer, snap: {"theta": snap.theta[:, 0]})
run.set_params(learning_rate=learning_rate, batch_size=batch_size, l2=l2)
baseline = fitted("logistic", X_train, y_train, X_test, y_test, l2=l2)
sk = V.sk_theta(baseline)
point_spec = VIEW["point"].bounded(hi=len(X_train) - 1)
point = current(KEY, point_spec)
controls(run, KEY)


def render(run):
    snap = run.latest["ours"]
    status(V.status_items(snap))
    left, right = st.columns([1.15, 1])
    with left:
        live_chart(V.surface_figure(snap, grid, split, sk), key=f"{KEY}_surface", height=470)
    with right:
        live_chart(run.every("curves", lambda: V.curves_figure(run.histories["ours"])),
                   key=f"{KEY}_curves", height=470)


def render_details(run):
    """The slower views, refreshed every two seconds while training."""
    snap, history = run.latest["ours"], run.histories["ours"]
    theta, thetas, steps = snap.theta[:, 0], history.get("theta"), history.get("step")
    live_chart(V.thetas_figure(steps, thetas), key=f"{KEY}_thetas", height=260)
    st.subheader("⛰️ The likelihood hill")
    st.markdown(V.HILL_TEXT)
    hill_col, dist_col = st.columns([1.15, 1])
    with hill_col:
        live_chart(V.hill_figure(theta, thetas, sk, add_intercept(X_train), y_train,
                                 current(KEY, VIEW["hill_axes"]), l2), key=f"{KEY}_hill", height=380)
    with dist_col:
        live_chart(V.distance_figure(steps, thetas, sk), key=f"{KEY}_distance", height=380)

    st.subheader("🧮 The math, with the current numbers")
    intro, lines = V.point_math(theta, X_train, y_train, point, snap.train_loss)
    st.markdown(intro)
    for line in lines:
        st.latex(line)
    st.markdown(V.PULL_TEXT)
    pull_col, table_col = st.columns([1.15, 1])
    with pull_col:
        live_chart(V.pull_figure(theta, X_train, y_train, grid), key=f"{KEY}_pull", height=380)
    with table_col:
        st.dataframe(V.pull_table(theta, X_train, y_train), hide_index=True, height=330)

    st.subheader("🆚 scikit-learn on the same split")
    st.markdown(V.baseline_call(l2, len(X_train)))
    st.dataframe(V.baseline_table(snap, baseline), hide_index=True)
    warning = V.baseline_warning(l2, baseline)
    if warning:
        st.warning(warning, icon="📚")


live_fragment(run, render, speed)
follow_fragment(run, render_details, every=2.0)

st.divider()
with st.expander("🔍 Pick the point for the live math, and the hill's axes", expanded=False):
    widget(KEY, point_spec)
    widget(KEY, VIEW["hill_axes"], horizontal=True)


def fit_file(model, meta):
    """A model file's settings and weights, if it is one of this page's models."""
    if meta["model"] != "LogisticRegression" or model.n_features_in_ != 2 \
            or len(model.classes_) != 2:
        raise ValueError(f"This page trains two-class logistic regressions of two features; the "
                         f"file holds a {meta['model']} of {model.n_features_in_} features and "
                         f"{len(model.classes_)} classes.")
    return file_settings(meta, SPECS), model.get_weights()


model_box(KEY, "logistic_regression", SPECS, run, "ours",
          {k: values[k] for k in (*DATA, *TRAINING)}, fit_file,
          caption="A model file holds θ and the page's settings (the data's too: dataset, size, "
                  "noise, split and seed), so loading it here rebuilds the same data and "
                  "starts from that θ.")

with st.expander("📚 Separable data: why θ keeps growing, and how L2 stops it",
                 expanded=data["dataset"] == "separable"):
    st.markdown(V.SEPARABLE_TEXT)
