"""XOR and other non-separable data: why one logistic regression fails and hidden units succeed."""
import numpy as np
import streamlit as st

from core import (LogisticRegression, MLPClassifier, Trainer, make_grid, points_from_csv, split,
                  xor_by_hand)
from core.datasets import CSV_LIMITS
from core.features import expand, expanded_grid, standardise
from core.hill import largest_stable_step
from core.logistic import add_intercept
from core.mlp import weights_dict, xor_by_sign
from ui import xor_sections as S
from ui import xor_views as V
from ui.live import controls, get_run, live_fragment, live_frames
from ui.live_chart import live_chart
from ui.page import (data_sidebar, forget_start, header, lesson_box, loads, make_split, model_box,
                     remembered_upload, start_weights, status, too_large_step_note)
from ui.settings import current, restore, stage, widget, write_url
from ui.xor_views import DATA, NETWORK, SPECS, VIEW

KEY = "xor"
header("✖️ XOR and hidden units",
       "A logistic regression's boundary θᵀx = 0 is a **straight line**, and no line splits XOR. "
       "**Hidden units** feeding an output unit bend the boundary: each draws its own line, "
       "and the output combines them.",
       "XOR as the limit of a linear model; OR and AND perceptrons combined into XOR; "
       "a multilayer perceptron is many logistic regressions stacked.", page=KEY)
values = restore(KEY, SPECS)


def use_preset(name):
    shape = dict(layers=1, hidden=2, activation="sigmoid") if name == "or_and" else \
        dict(layers=2, hidden=2, hidden2=2, activation="tanh")
    stage(KEY, SPECS, dict(source="Generated", dataset="xor", features=(), preset=name, **shape))
    st.session_state[KEY].touch()  # the page, not only its charts, is rebuilt with them


def clear_preset():
    values["preset"] = ""


with st.sidebar:
    st.header("Network")
    n_layers = widget(KEY, NETWORK["layers"], on_change=clear_preset)
    widths = [widget(KEY, NETWORK[name], on_change=clear_preset)
              for name in ("hidden", "hidden2", "hidden3")[:n_layers]]
    # no hidden layer, no activation: the radio stays in place, greyed out
    activation = widget(KEY, NETWORK["activation"], horizontal=True, on_change=clear_preset,
                        disabled=n_layers == 0)
    learning_rate, batch, l2, l1 = (widget(KEY, NETWORK[k]) for k in ("lr", "batch", "l2", "l1"))
    extra = widget(KEY, NETWORK["features"], on_change=clear_preset)
    speed = widget(KEY, NETWORK["speed"])
    source = widget(KEY, VIEW["source"], horizontal=True, on_change=clear_preset)
    csv = None
    if source == "Uploaded CSV":
        csv = remembered_upload(f"{KEY}_csv", "CSV: x1, x2, label (two classes)", ["csv", "txt"],
                                points_from_csv, help=CSV_LIMITS)
        if csv["error"]:
            st.error(csv["error"] + "  \nThe current data is kept.")
        widget(KEY, VIEW["standardise"])
    data = data_sidebar(KEY, DATA, generated=source == "Generated")
    st.header("View")
    discretize, show_test = widget(KEY, VIEW["discretize"]), widget(KEY, VIEW["show_test"])
write_url(KEY, SPECS)
lesson_box(KEY, SPECS)

uploaded = csv["value"] if csv else None
if source == "Uploaded CSV" and uploaded is None:
    st.info("Upload a CSV of two feature columns and a label column (a header row is optional). "
            "Until then the generated data below is used.", icon="📄")
scaling = None
if uploaded is not None:
    X, y, classes = uploaded
    if values["standardise"]:
        X, mean, sd = standardise(X)
        scaling = None if not mean.any() and (sd == 1).all() else V.standardise_note(mean, sd)
    X_train, X_test, y_train, y_test = split(X, y, data["test"], random_state=data["seed"])
    class_labels, data_id = [str(c) for c in classes], ("csv", csv["kept"], scaling is not None)
else:
    X, X_train, X_test, y_train, y_test = make_split(data)
    class_labels, data_id = ["0", "1"], tuple(data.values())
data_id += (data["test"], data["seed"], extra)
grid = make_grid(X, resolution=80)
names = [f"class {c}" for c in class_labels]  # in the charts' legends
sizes = tuple(widths)
batch_size = None if batch == "full" else batch
preset = values["preset"] if (values["preset"] == "or_and" and sizes == (2,)
                              and activation == "sigmoid" or values["preset"] == "sign"
                              and sizes == (2, 2) and activation == "tanh") and not extra else ""
steepness = widget(KEY, VIEW["steepness"]) if preset == "sign" else None

# points added by clicking on the MLP's plane: the data changes, the model does not
ADDED = f"{KEY}_added"
if st.session_state.get(f"{ADDED}_for") != data_id:
    st.session_state[ADDED], st.session_state[f"{ADDED}_for"] = [], data_id
added = st.session_state[ADDED]
X_fit = np.vstack([X_train, [(a, b) for a, b, _ in added]]) if added else X_train
y_fit = np.r_[y_train, [c for _, _, c in added]].astype(int) if added else y_train
loaded = start_weights(KEY)
if loaded is not None and [len(loaded[f"intercept_{l}"]) for l in range(n_layers)] != list(sizes):
    forget_start(KEY)  # the network was changed since the file was loaded
    loaded = None


def build():
    mlp = MLPClassifier(sizes, activation=activation, learning_rate=learning_rate,
                        batch_size=batch_size, l2=l2, l1=l1, max_iter=10**9, tol=0,
                        random_state=data["seed"])
    # the line gets its own steady settings: full batch at a step that never overshoots
    line_lr = min(1.0, largest_stable_step(add_intercept(expand(X_fit, extra))))
    logreg = LogisticRegression(learning_rate=line_lr, l2=l2, max_iter=10**9, tol=0,
                                random_state=data["seed"])
    start = (weights_dict(*xor_by_hand()) if preset == "or_and" else
             weights_dict(*xor_by_sign(steepness)) if preset == "sign" else loaded)
    fgrid, Xf, Xt = expanded_grid(grid, extra), expand(X_fit, extra), expand(X_test, extra)
    return {"logistic regression": Trainer(logreg, Xf, y_fit, Xt, y_test, grid=fgrid),
            "MLP": Trainer(mlp, Xf, y_fit, Xt, y_test, grid=fgrid, weights=start)}


run = get_run(KEY, {"the data": data_id, "the network": (sizes, activation, preset, steepness),
                    "the loaded model file": loads(KEY)}, build)
run.set_params(only=("MLP",), learning_rate=learning_rate, batch_size=batch_size, l2=l2, l1=l1)
run.set_params(only=("logistic regression",), l2=l2)
if len(run.trainers["MLP"].X) != len(X_fit):  # a point was added or removed by a click
    run.set_training_data(expand(X_fit, extra), y_fit)


def top_controls():
    st.button("🧩 OR/AND weights", on_click=use_preset, args=("or_and",), width="content",
              help="A 2-2-1 sigmoid network set by hand: an OR unit and an AND unit.")
    st.button("➗ The lectures' sign network", on_click=use_preset, args=("sign",),
              width="content", help="2-2-2-1: two separators, two ANDs, an OR.")
    st.button("📌 Keep this run's curves", width="content", on_click=keep_curves,
              help="Keep the loss curve to compare with a re-run (Reset re-runs from the "
                   "same data and seed).")


def keep_curves():
    label = (f"η={learning_rate:g}, {V.architecture(2 + len(extra), sizes, activation)}, "
             f"batch {batch}" + (f", {V.PRESETS[preset]}" if preset else ""))
    kept = st.session_state.setdefault(f"{KEY}_kept", {})
    kept[label] = run.histories["MLP"].arrays("step", "train_loss", "test_loss")
    run.touch()


controls(run, KEY, extra=top_controls)
for note in (V.PRESET_TEXT.get(preset), scaling):
    if note:
        st.caption(note)
point = current(KEY, VIEW["point"].bounded(hi=len(X_fit) - 1))
click_mode = widget(KEY, VIEW["click"], horizontal=True,
                    format_func=lambda m: m.replace("class 0", f"class {class_labels[0]}")
                    .replace("class 1", f"class {class_labels[1]}"))


def on_click(click):
    # where the mouse was: near a point, plotly's click names that point's x and y instead
    at = click.get("at") or click
    if click_mode.startswith("removes"):
        if added:
            where = np.array([at["x"], at["y"]], float)
            added.pop(int(np.argmin([np.sum((np.array(p[:2]) - where) ** 2) for p in added])))
    else:
        added.append((float(at["x"]), float(at["y"]), int(click_mode[-1])))
    st.rerun(scope="app")


def render(run):
    lr_snap, mlp_snap = run.latest["logistic regression"], run.latest["MLP"]
    status(V.status_items(lr_snap, mlp_snap))
    plane = (X_fit, y_fit, X_test, y_test)
    left, right = st.columns(2)
    with left:
        # a line moves slowly: its surface follows every third rerun (the curves below every
        # other), the MLP's surface every frame
        line = run.every("lr_surface", lambda: V.lr_surface(
            lr_snap, grid, plane, names, discretize, show_test, hover=run.settled, extra=extra),
            n=3)
        # the added points, as on the MLP's plane (both models train on them)
        line = {**line, "data": line["data"] + V.added_points_trace(added)}
        live_chart(line, key=f"{KEY}_lr_surface", height=420)
        line_note = V.line_caption(data["dataset"] if uploaded is None else None, extra)
        if line_note:
            st.caption(line_note)
    with right:
        title = f"MLP {V.architecture(2 + len(extra), sizes, activation)}"
        def surface(snap):
            fig = V.mlp_surface(snap, grid, plane, names, title, discretize, show_test,
                                hover=run.settled)
            fig["data"] += V.added_points_trace(added)
            return fig
        click = live_frames(run, "MLP", surface, key=f"{KEY}_mlp_surface", height=420,
                            clickable=True)
        if click:
            on_click(click)
        note = V.dead_note(S.dead(mlp_snap, run.trainers["MLP"].X, activation), activation) \
            if activation == "relu" else None
        st.caption(note or f"Click the plane: a click {click_mode}. Points added so far: "
                           f"{len(added)}; training goes on from the current weights.")
    live_chart(run.every("curves", lambda: V.curves(run.histories), n=2), key=f"{KEY}_curves",
               height=300)
    st.caption(too_large_step_note(run.histories["MLP"]) or " ")


# a rerun every two ticks, the MLP's surface showing both (live_speed, paired runs: XOR
# at 67, 65 % of the engine against 58, 59, 57 % rerunning every tick; 10.5-11 updates/s)
live_fragment(run, render, speed, frames=2)
page = S.Page(KEY, run, (expand(X_fit, extra), y_fit, expand(X_test, extra), y_test),
              (X_fit, y_fit, X_test, y_test), grid, names, sizes, activation, learning_rate,
              batch_size, l2, l1, extra, data["seed"])
S.inside(page, point)
with st.expander("🔍 The point to look at, and one weight to set by hand"):
    widget(KEY, VIEW["point"].bounded(hi=len(X_fit) - 1), width=260)
    if sizes:
        S.edit_weight(page)
    if st.session_state.get(f"{KEY}_kept") and st.button("Forget kept runs"):
        st.session_state[f"{KEY}_kept"] = {}
with st.expander("➗ Sign units, and why training needs smooth ones", expanded=preset == "sign"):
    S.sign_units(page)
with st.expander("📈 How many units? Capacity and over-fitting"):
    S.capacity(page)
model_box(KEY, "xor", SPECS, run, "MLP", {k: values[k] for k in (*DATA, *NETWORK)}
          if uploaded is None else {k: values[k] for k in ("test", "seed", *NETWORK)}, V.fit_file,
          caption="A model file holds the MLP's weights and the page's settings: loading it "
                  "sets the same data and network and starts from the file's weights.")
st.subheader("🆚 scikit-learn's MLPClassifier on the same split")
S.sklearn(page, widget(KEY, VIEW["sk_epochs"]))
