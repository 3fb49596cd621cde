"""XOR and other non-separable data: why one logistic regression fails and hidden units succeed."""
import zlib

import numpy as np
import streamlit as st

from core import (LogisticRegression, MLPClassifier, Trainer, make_grid, points_from_csv, split,
                  xor_by_hand)
from core.datasets import CSV_LIMITS
from core.mlp import weights_dict
from ui import xor_views as V
from ui.xor_views import CANVAS, DATA, NETWORK, SPECS, VIEW
from ui.canvas_points import click_pad
from ui.live import controls, follow_fragment, get_run, live_fragment
from ui.live_chart import live_chart
from ui.page import (data_sidebar, fitted, forget_start, header, loads, make_split, model_box,
                     remembered_upload, sklearn_button, sklearn_requested, start_weights, status)
from ui.settings import current, restore, stage, widget, write_url

KEY = "xor"
header("✖️ XOR: why one logistic regression is not enough",
       "A logistic regression's boundary θᵀx = 0 is a **straight line**, and no line splits XOR. "
       "A network of logistic regressions, **hidden units** feeding an output unit, bends the "
       "boundary: each hidden unit draws its own line, and the output combines them.",
       "XOR as the limit of a linear model; OR and AND perceptrons combined into XOR; "
       "a multilayer perceptron is many logistic regressions stacked.")
values = restore(KEY, SPECS)


def use_preset():
    """The lectures' construction: 2 sigmoid hidden units (OR, AND) on XOR."""
    stage(KEY, SPECS, dict(source="Generated", dataset="xor", layers=1, hidden=2,
                           activation="sigmoid", preset=True))


def clear_preset():
    values["preset"] = False


with st.sidebar:
    source = widget(KEY, VIEW["source"], horizontal=True, on_change=clear_preset)
    csv = None
    if source == "Uploaded CSV":
        csv = remembered_upload(f"{KEY}_csv", "CSV: x1, x2, label (two classes)", ["csv", "txt"],
                                points_from_csv, help=CSV_LIMITS)
        if csv["error"]:
            st.error(csv["error"] + "  \nThe current data is kept.")
    data = data_sidebar(KEY, DATA, generated=source == "Generated")
    st.header("Network")
    n_layers = widget(KEY, NETWORK["layers"], on_change=clear_preset)
    hidden = widget(KEY, NETWORK["hidden"], on_change=clear_preset)
    activation = widget(KEY, NETWORK["activation"], horizontal=True, on_change=clear_preset)
    learning_rate, batch_size, l2, speed = (widget(KEY, NETWORK[k])
                                            for k in ("lr", "batch", "l2", "speed"))
write_url(KEY, SPECS)

uploaded = csv["value"] if csv else None
if source == "Uploaded CSV" and uploaded is None:
    st.info("Upload a CSV of two feature columns and a label column (a header row is optional). "
            "Until then the generated data below is used.", icon="📄")
if uploaded is not None:
    X, y, classes = uploaded
    X_train, X_test, y_train, y_test = split(X, y, data["test"], random_state=data["seed"])
    class_labels, data_id = [str(c) for c in classes], ("csv", csv["kept"])
else:
    X, X_train, X_test, y_train, y_test = make_split(data)
    class_labels, data_id = ["0", "1"], tuple(data.values())
data_id += (data["test"], data["seed"])
grid = make_grid(X, resolution=80)
names = [f"class {c}" for c in class_labels]  # in the charts' legends

with st.expander("✏️ Add your own points by clicking on the plane"):
    click_class = widget(KEY, VIEW["click_class"], horizontal=True,
                         format_func=lambda k: f"class {class_labels[k]}")
    X_added, y_added = click_pad(f"{KEY}_pad_{zlib.crc32(repr(data_id).encode())}", click_class,
                                 np.vstack([X_train, X_test]), np.r_[y_train, y_test], grid,
                                 CANVAS, class_labels)
if len(X_added):
    X_train, y_train = np.vstack([X_train, X_added]), np.concatenate([y_train, y_added])
    data_id += (X_added.round(3).tobytes(), y_added.tobytes())
split_data = (X_train, y_train, X_test, y_test)  # as the surfaces draw them
sizes = (hidden,) * n_layers
preset = values["preset"] and sizes == (2,) and activation == "sigmoid"
loaded = start_weights(KEY)
if loaded is not None and [len(loaded[f"intercept_{l}"]) for l in range(n_layers)] != list(sizes):
    forget_start(KEY)  # the network was changed since the file was loaded
    loaded = None


def build():
    mlp = MLPClassifier(sizes, activation=activation, learning_rate=learning_rate,
                        batch_size=batch_size, l2=l2, max_iter=10**9, tol=0,
                        random_state=data["seed"])
    logreg = LogisticRegression(learning_rate=learning_rate, batch_size=batch_size, l2=l2,
                                max_iter=10**9, tol=0, random_state=data["seed"])
    start = weights_dict(*xor_by_hand()) if preset else loaded
    return {"logistic regression": Trainer(logreg, X_train, y_train, X_test, y_test, grid=grid),
            "MLP": Trainer(mlp, X_train, y_train, X_test, y_test, grid=grid, weights=start)}


run = get_run(KEY, {"the data": data_id, "the network": (sizes, activation, preset),
                    "the loaded model file": loads(KEY)}, build)
run.set_params(learning_rate=learning_rate, batch_size=batch_size, l2=l2)
controls(run, KEY)
b1, b2, _ = st.columns([2, 2, 3])
b1.button("🧩 Lectures' OR/AND weights", on_click=use_preset, width="stretch",
          help="A 2-2-1 sigmoid network with weights set by hand: an OR unit and an AND unit, "
               "combined by the output as OR and not AND. Then press Play: training takes over "
               "from those weights.")
if b2.button("📌 Keep this run's curves", width="stretch",
             help="Keep the loss curve to compare with a re-run using another learning rate, "
                  "size or activation (Reset re-runs from the same data and seed)."):
    label = (f"η={learning_rate:g}, {V.architecture(sizes, activation)}, batch {batch_size}"
             f"{', OR/AND start' if preset else ''}")
    kept = st.session_state.setdefault(f"{KEY}_kept", {})
    kept[label] = run.histories["MLP"].arrays("step", "train_loss", "test_loss")
if preset:
    st.success(V.PRESET_TEXT, icon="🧩")
point = current(KEY, VIEW["point"].bounded(hi=len(X_train) - 1))


def render(run):
    lr_snap, mlp_snap = run.latest["logistic regression"], run.latest["MLP"]
    status(V.status_items(lr_snap, mlp_snap))
    left, right = st.columns(2)
    with left:
        live_chart(V.lr_surface(lr_snap, grid, split_data, names), key=f"{KEY}_lr_surface",
                   height=420)
    with right:
        live_chart(V.mlp_surface(mlp_snap, grid, split_data, names,
                                 f"MLP {V.architecture(sizes, activation)}: a bent boundary"),
                   key=f"{KEY}_mlp_surface", height=420)
    live_chart(run.every("curves", lambda: V.curves(run.histories)), key=f"{KEY}_curves",
               height=300)


def render_inside(run):
    # the snapshot's weights, not the live model's: they match the maps above, and they stay
    # finite when a step diverges (the model's own weights are then NaN)
    snap = run.latest["MLP"]
    st.subheader("🔬 Every hidden unit is a logistic regression")
    st.markdown(V.UNITS_TEXT)
    for l, (fig, height) in enumerate(V.unit_maps(snap, activation)):
        live_chart(fig, key=f"{KEY}_maps_{l}", height=height)
    net_col, space_col = st.columns(2)
    with net_col:
        live_chart(V.network(snap, X_train[point], point, activation), key=f"{KEY}_network",
                   height=380)
        st.caption("Edge width ∝ |weight|; blue positive, red negative.")
    with space_col:
        fig, caption = V.hidden_space_view(snap, X_train, y_train, activation, names)
        live_chart(fig, key=f"{KEY}_hidden_space", height=380)
        st.caption(caption)
    kept = st.session_state.get(f"{KEY}_kept", {})
    if kept:
        st.subheader("📌 Kept runs")
        live_chart(V.kept_curves(kept, run.histories["MLP"].arrays("step", "train_loss",
                                                                   "test_loss")),
                   key=f"{KEY}_kept_chart", height=300)


live_fragment(run, render, speed)
follow_fragment(run, render_inside, every=2.0)

with st.expander("🔍 Choose the point to look at"):
    widget(KEY, VIEW["point"].bounded(hi=len(X_train) - 1))
    if st.session_state.get(f"{KEY}_kept") and st.button("Forget kept runs"):
        st.session_state[f"{KEY}_kept"] = {}


model_box(KEY, "xor", SPECS, run, "MLP", {k: values[k] for k in (*DATA, *NETWORK)}
          if uploaded is None else {k: values[k] for k in ("test", "seed", *NETWORK)}, V.fit_file,
          caption="A model file holds the MLP's weights and the page's settings: loading it "
                  "sets the same data and network and starts from the file's weights.")

st.subheader("🆚 scikit-learn's MLPClassifier on the same split")
epochs = widget(KEY, VIEW["sk_epochs"])
sk_args = dict(hidden_layer_sizes=sizes, activation=activation, learning_rate=learning_rate,
               batch_size=batch_size, l2=l2, max_iter=epochs, random_state=data["seed"])
sklearn_button(KEY, "Fit scikit-learn's MLP", sk_args, auto=True)
if sklearn_requested(KEY, sk_args, auto=True):
    with st.spinner("Training scikit-learn's MLP…"):
        sk = fitted("mlp", X_train, y_train, X_test, y_test, **sk_args)
    left, right = st.columns([1, 1])
    with left:
        st.dataframe(V.sklearn_rows(run.latest["MLP"], sk), hide_index=True)
        st.caption(V.sklearn_call(sizes, activation, learning_rate, batch_size, l2,
                                  sk.converged))
    with right:
        st.plotly_chart(V.sklearn_surface(sk, grid, split_data, names), key=f"{KEY}_sk_chart")
