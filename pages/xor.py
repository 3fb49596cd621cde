"""XOR and other non-separable data: why one logistic regression fails and hidden units succeed."""
import zlib

import numpy as np
import streamlit as st

from core import (DATASETS, LogisticRegression, MLPClassifier, Trainer, make_dataset, make_grid,
                  points_from_csv, split, xor_by_hand)
from core.baselines import sklearn_mlp
from core.mlp import forward
from ui import figures as F
from ui.canvas_points import background, points_from_canvas
from ui.layout import fmt, header, status
from ui.live import controls, follow_fragment, get_run, live_fragment
from ui.live_chart import live_chart
from ui.model_io import model_io
from ui.urlstate import choice, number, sync_url, write_url

KEY = "xor"
CANVAS = (420, 420)
DATA_KEYS = ["xor", "circles", "moons", "spiral", "overlapping"]
LEARNING_RATES = [1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
L2_VALUES = [0.0, 1e-4, 1e-3, 0.01, 0.1]

header("✖️ XOR: why one logistic regression is not enough",
       "A logistic regression's boundary θᵀx = 0 is a **straight line**, and no line splits XOR. "
       "A network of logistic regressions, **hidden units** feeding an output unit, bends the "
       "boundary: each hidden unit draws its own line, and the output combines them.",
       "XOR as the limit of a linear model; OR and AND perceptrons combined into XOR; "
       "a multilayer perceptron is many logistic regressions stacked.")


def new_seed():
    st.session_state[f"{KEY}_seed"] = int(np.random.default_rng().integers(0, 10_000))


URL = {"dataset": (f"{KEY}_dataset", choice(DATA_KEYS)), "n": (f"{KEY}_n", number(int, 20, 1000)),
       "noise": (f"{KEY}_noise", number(float, 0, 1)),
       "test": (f"{KEY}_test", number(float, 0.1, 0.5)), "seed": (f"{KEY}_seed", number(int, 0, 9999)),
       "layers": (f"{KEY}_layers", number(int, 1, 3)), "hidden": (f"{KEY}_hidden", number(int, 1, 32)),
       "activation": (f"{KEY}_activation", choice(["tanh", "sigmoid", "relu"])),
       "lr": (f"{KEY}_lr", choice(LEARNING_RATES)),
       "batch": (f"{KEY}_batch", choice([1, 4, 8, 16, 32, 64, 128])),
       "l2": (f"{KEY}_l2", choice(L2_VALUES)), "speed": (f"{KEY}_speed", number(int, 1, 50))}
sync_url(KEY, URL)

pending = st.session_state.pop(f"{KEY}_pending", None)
if pending is not None:  # a model file was loaded: its settings become the widgets' values
    st.session_state.update(pending["widgets"])
    st.session_state[f"{KEY}_start_weights"] = pending["weights"]
    st.session_state[f"{KEY}_loads"] = st.session_state.get(f"{KEY}_loads", 0) + 1


def use_preset():
    """The lectures' construction: 2 sigmoid hidden units (OR, AND) on XOR."""
    st.session_state.update({f"{KEY}_source": "Generated", f"{KEY}_dataset": "xor",
                             f"{KEY}_layers": 1, f"{KEY}_hidden": 2,
                             f"{KEY}_activation": "sigmoid", f"{KEY}_preset": True})


def clear_preset():
    st.session_state[f"{KEY}_preset"] = False


with st.sidebar:
    st.header("Data")
    source = st.radio("Points from", ["Generated", "Uploaded CSV"], key=f"{KEY}_source",
                      horizontal=True, on_change=clear_preset)
    dataset = st.selectbox("Dataset", DATA_KEYS, key=f"{KEY}_dataset",
                           format_func=lambda k: DATASETS[k].title, on_change=clear_preset,
                           disabled=source != "Generated")
    n_samples = st.slider("Number of points", 20, 1000, 200, 10, key=f"{KEY}_n")
    noise = st.slider("Noise", 0.0, 1.0, 0.1, 0.05, key=f"{KEY}_noise")
    test_share = st.slider("Test share", 0.1, 0.5, 0.3, 0.05, key=f"{KEY}_test")
    seed = st.number_input("Seed", 0, 9999, 0, key=f"{KEY}_seed",
                           help="Seeds the data, the split and the initial weights.")
    st.button("🎲 New data", on_click=new_seed, width="stretch")

    st.header("Network")
    n_layers = st.slider("Hidden layers", 1, 3, 1, key=f"{KEY}_layers", on_change=clear_preset)
    hidden = st.slider("Units per hidden layer", 1, 32, 4, key=f"{KEY}_hidden",
                       on_change=clear_preset)
    activation = st.radio("Activation g", ["tanh", "sigmoid", "relu"], key=f"{KEY}_activation",
                          horizontal=True, on_change=clear_preset)
    learning_rate = st.select_slider("Learning rate η", LEARNING_RATES, value=0.3,
                                     key=f"{KEY}_lr", format_func=lambda v: f"{v:g}")
    batch_size = st.select_slider("Batch size", [1, 4, 8, 16, 32, 64, 128], value=16,
                                  key=f"{KEY}_batch")
    l2 = st.select_slider("L2 strength", L2_VALUES, value=0.0, key=f"{KEY}_l2",
                          format_func=lambda v: f"{v:g}")
    speed = st.slider("Speed (steps per tick)", 1, 50, 5, key=f"{KEY}_speed")

write_url(URL)

# ---- data ------------------------------------------------------------------------------------
if source == "Uploaded CSV":
    upload = st.sidebar.file_uploader("CSV: x1, x2, label (two classes)", type=["csv", "txt"],
                                      key=f"{KEY}_csv")
    # csv_seen: the last file read; csv_name: the file whose data trains (a bad file keeps it,
    # and so keeps the run and the points clicked on it)
    if upload is not None and st.session_state.get(f"{KEY}_csv_seen") != (upload.name, upload.size):
        st.session_state[f"{KEY}_csv_seen"] = (upload.name, upload.size)
        try:
            X_up, y_up, classes_up = points_from_csv(upload.getvalue())
            st.session_state[f"{KEY}_csv_data"] = (X_up, y_up, [str(c) for c in classes_up])
            st.session_state[f"{KEY}_csv_name"] = (upload.name, upload.size)
            st.session_state.pop(f"{KEY}_csv_error", None)
        except ValueError as err:
            st.session_state[f"{KEY}_csv_error"] = f"{upload.name}: {err}"
    if st.session_state.get(f"{KEY}_csv_error"):
        st.sidebar.error(st.session_state[f"{KEY}_csv_error"] + "  \nThe current data is kept.")
uploaded = st.session_state.get(f"{KEY}_csv_data") if source == "Uploaded CSV" else None
if source == "Uploaded CSV" and uploaded is None:
    st.info("Upload a CSV of two feature columns and a label column (a header row is optional). "
            "Until then the generated data below is used.", icon="📄")

if uploaded is not None:
    X, y, class_labels = uploaded
    data_id = ("csv", st.session_state[f"{KEY}_csv_name"])
else:
    X, y = make_dataset(dataset, n_samples, noise, random_state=seed)
    class_labels = ["0", "1"]
    data_id = (dataset, n_samples, noise, seed)
X_train, X_test, y_train, y_test = split(X, y, test_share, random_state=seed)
grid = make_grid(X, resolution=80)
names = [f"class {c}" for c in class_labels]  # in the charts' legends

with st.expander("✏️ Add your own points by clicking on the plane"):
    st.caption("Pick a class, then click on the plane: each point joins the training set and "
               "training restarts on the new data. The toolbar under the pad undoes the last "
               "point or clears them all.")
    click_class = st.radio("Class of the next point", [0, 1], horizontal=True,
                           key=f"{KEY}_click_class",
                           format_func=lambda k: f"class {class_labels[k]}")
    try:
        from streamlit_drawable_canvas import st_canvas
        pad = st_canvas(drawing_mode="point", fill_color=F.CLASS_COLORS[click_class],
                        stroke_color=F.CLASS_COLORS[click_class], stroke_width=2,
                        point_display_radius=5, width=CANVAS[0], height=CANVAS[1],
                        background_image=background(X, y, grid.xs, grid.ys, CANVAS),
                        key=f"{KEY}_pad_{zlib.crc32(repr(data_id).encode())}")
        objects = (pad.json_data or {}).get("objects", [])
    except Exception as err:  # the pad is optional: the page works without it
        st.warning(f"The drawing pad is unavailable here ({type(err).__name__}).")
        objects = st.session_state.get(f"{KEY}_pad_objects", [])
    X_added, y_added = points_from_canvas(objects, grid.xs, grid.ys, CANVAS)
    if len(X_added):
        st.caption(f"{len(X_added)} point(s) added: {int((y_added == 0).sum())} of class "
                   f"{class_labels[0]}, {int((y_added == 1).sum())} of class {class_labels[1]}.")
if len(X_added):
    X_train = np.vstack([X_train, X_added])
    y_train = np.concatenate([y_train, y_added])
    data_id = data_id + (tuple(np.round(X_added, 3).ravel()), tuple(y_added))
sizes = (hidden,) * n_layers
preset = st.session_state.get(f"{KEY}_preset", False) and sizes == (2,) and activation == "sigmoid"


def build():
    mlp = MLPClassifier(sizes, activation=activation, learning_rate=learning_rate,
                        batch_size=batch_size, l2=l2, max_iter=10**9, tol=0, random_state=seed)
    logreg = LogisticRegression(learning_rate=learning_rate, batch_size=batch_size, l2=l2,
                                max_iter=10**9, tol=0, random_state=seed)

    def hand_made(model):
        model.coefs_, model.intercepts_ = xor_by_hand()

    def from_file(model):
        coefs, intercepts = start_weights
        model.coefs_ = [np.array(W) for W in coefs]
        model.intercepts_ = [np.array(b) for b in intercepts]
    init = hand_made if preset else from_file if start_weights is not None else None
    return {"logistic regression": Trainer(logreg, X_train, y_train, X_test, y_test, grid=grid),
            "MLP": Trainer(mlp, X_train, y_train, X_test, y_test, grid=grid, init=init)}


start_weights = st.session_state.get(f"{KEY}_start_weights")
if start_weights is not None and [len(b) for b in start_weights[1][:-1]] != list(sizes):
    start_weights = None  # the network was changed since the file was loaded
run = get_run(KEY, dict(data=data_id, test_share=test_share, seed=seed, hidden_layers=sizes,
                        activation=activation, preset=preset,
                        loaded_model=st.session_state.get(f"{KEY}_loads", 0)), build)
run.set_params(learning_rate=learning_rate, batch_size=batch_size, l2=l2)

controls(run, KEY)
b1, b2, _ = st.columns([2, 2, 3])
b1.button("🧩 Lectures' OR/AND weights", on_click=use_preset, width="stretch",
          help="A 2-2-1 sigmoid network with weights set by hand: an OR unit and an AND unit, "
               "combined by the output as OR and not AND. Then press Play: training takes over "
               "from those weights.")
save = b2.button("📌 Keep this run's curves", width="stretch",
                 help="Keep the loss curve to compare with a re-run using another learning rate, "
                      "size or activation (Reset re-runs from the same data and seed).")
if save:
    label = (f"η={learning_rate:g}, {'-'.join(map(str, sizes))} {activation}, batch {batch_size}"
             f"{', OR/AND start' if preset else ''}")
    kept = st.session_state.setdefault(f"{KEY}_kept", {})
    kept[label] = run.histories["MLP"].arrays("step", "train_loss", "test_loss")
if preset:
    st.success("The MLP starts from the lectures' hand-made weights: h₁ = OR, h₂ = AND, and the "
               "output fires for OR and not AND, which is XOR. Play to let training take over.",
               icon="🧩")


def render(run):
    lr_snap, mlp_snap = run.latest["logistic regression"], run.latest["MLP"]
    status([("step", f"{mlp_snap.step:,}"), ("MLP test accuracy", f"{mlp_snap.test_accuracy:.1%}"),
            ("logistic regression test accuracy", f"{lr_snap.test_accuracy:.1%}"),
            ("MLP test loss", fmt(mlp_snap.test_loss)),
            ("logistic test loss", fmt(lr_snap.test_loss))])
    left, right = st.columns(2)
    with left:
        theta = lr_snap.params[0][:, 0]
        lx, ly = F.line_in_box(theta[1:], theta[0], grid.xs, grid.ys)
        live_chart(F.surface_figure(grid.xs, grid.ys, lr_snap.grid_proba, X_train, y_train,
                                    X_test, y_test, contour=False, show_scale=False,
                                    class_names=names,
                                    lines=[dict(x=lx, y=ly, name="θᵀx = 0")],
                                    title="Logistic regression: one line"),
                   key=f"{KEY}_lr_surface", height=420)
    with right:
        live_chart(F.surface_figure(grid.xs, grid.ys, mlp_snap.grid_proba, X_train, y_train,
                                    X_test, y_test, class_names=names,
                                    title=f"MLP {'-'.join(map(str, sizes))} {activation}: "
                                          f"a bent boundary"),
                   key=f"{KEY}_mlp_surface", height=420)

    def curves():
        runs = {name: run.histories[name].arrays("step", "train_loss", "test_loss",
                                                 "train_accuracy", "test_accuracy")
                for name in run.trainers}
        return F.curves_figure(runs=runs, title="Loss and accuracy, both models")
    live_chart(run.every("curves", curves), key=f"{KEY}_curves", height=300)


def render_inside(run):
    snap = run.latest["MLP"]
    # the snapshot's weights, not the live model's: they match the maps above, and they stay
    # finite when a step diverges (the model's own weights are then NaN)
    coefs, intercepts = snap.params[:len(snap.params) // 2], snap.params[len(snap.params) // 2:]
    st.subheader("🔬 Every hidden unit is a logistic regression")
    st.markdown("Each small map is one hidden unit's output h = g(wᵀx + b) over the plane: a "
                "soft step along its own line. The output unit then takes a weighted vote of "
                "these maps.")
    for l, maps in enumerate(snap.grid_hidden):
        units = maps.shape[0]
        live_chart(F.image_grid_figure([m[::-1] for m in maps],
                                       titles=[f"h{l + 1}.{j + 1}" for j in range(units)],
                                       cols=min(units, 8), signed=activation != "sigmoid",
                                       title=f"hidden layer {l + 1}"),
                   key=f"{KEY}_maps_{l}", height=int(110 * -(-units // 8) + 50))

    net_col, space_col = st.columns(2)
    idx = min(st.session_state.get(f"{KEY}_point", 0), len(X_train) - 1)
    acts = forward(X_train[idx:idx + 1], coefs, intercepts, activation, output="logits")
    zs, hs, a = [], [], X_train[idx:idx + 1]
    for W, b, out in zip(coefs, intercepts, acts):
        z = (a @ W + b)[0]
        zs.append(z)
        hs.append(out[0] if len(hs) < len(coefs) - 1 else 1 / (1 + np.exp(-z)))
        a = out
    with net_col:
        live_chart(F.network_figure(coefs, intercepts, zs, hs,
                                    title=f"The network (hover a unit: values for point #{idx})"),
                   key=f"{KEY}_network", height=380)
        st.caption("Edge width ∝ |weight|; blue positive, red negative.")
    with space_col:
        last = forward(X_train, coefs, intercepts, activation)[-2]
        units = last.shape[1]
        i, j = (0, 1) if units >= 2 else (0, 0)
        i = min(st.session_state.get(f"{KEY}_hi", i), units - 1)
        j = min(st.session_state.get(f"{KEY}_hj", j), units - 1)
        w_out, b_out = coefs[-1][:, 0], intercepts[-1][0]
        # the output's line in the plane of units i and j, the other units at their mean
        others = b_out + sum(w_out[k] * last[:, k].mean() for k in range(units) if k not in (i, j))
        H = last[:, [i, j]]
        box = (-1, 1) if activation == "tanh" else (0, max(1.0, float(H.max())))
        live_chart(F.hidden_space_figure(H, y_train, [w_out[i], w_out[j] if j != i else 0.0],
                                         others, names=(f"h{n_layers}.{i + 1}", f"h{n_layers}.{j + 1}"),
                                         title="Hidden space: the data as the output unit sees it",
                                         box=box, class_names=names),
                   key=f"{KEY}_hidden_space", height=380)
        st.caption("Each point moved to its last-hidden-layer outputs. Where the output unit's "
                   "line splits the colours, the hidden layer has made the data linearly "
                   "separable. " + ("(Exact for 2 units; with more, the others are held at "
                                    "their mean.)" if units > 2 else ""))

    kept = st.session_state.get(f"{KEY}_kept", {})
    if kept:
        st.subheader("📌 Kept runs")
        compare = dict(kept)
        compare["now"] = run.histories["MLP"].arrays("step", "train_loss", "test_loss")
        live_chart(F.curves_figure(runs=compare, title="Loss of each kept run (MLP)"),
                   key=f"{KEY}_kept_chart", height=300)


live_fragment(run, render, speed)
follow_fragment(run, render_inside, every=2.0)

with st.expander("🔍 Choose the point and the hidden units to look at"):
    st.number_input("Training point # (for the network's hover values)", 0, len(X_train) - 1, 0,
                    key=f"{KEY}_point")
    c1, c2 = st.columns(2)
    c1.number_input("Hidden unit on the x axis", 0, hidden - 1, 0, key=f"{KEY}_hi")
    c2.number_input("Hidden unit on the y axis", 0, hidden - 1, min(1, hidden - 1), key=f"{KEY}_hj")
    if st.session_state.get(f"{KEY}_kept") and st.button("Forget kept runs"):
        st.session_state[f"{KEY}_kept"] = {}

with st.expander("💾 Save or load the MLP",
                 expanded=st.session_state.get(f"{KEY}_io_upload") is not None):
    settings = dict(dataset=dataset, n_samples=n_samples, noise=noise, test_share=test_share,
                    seed=seed) if uploaded is None else dict(source="csv", test_share=test_share,
                                                           seed=seed)
    loaded = model_io(run, "MLP", "xor", settings, f"{KEY}_io")
    if loaded is not None:
        model, meta = loaded
        hidden_sizes = list(meta["params"]["hidden_layer_sizes"])
        data = meta.get("data") or {}
        if model.n_features_in_ != 2 or len(model.classes_) != 2:
            st.error("This page trains two-class networks on two features; the file's has "
                     f"{model.n_features_in_} features and {len(model.classes_)} classes.")
        elif len(set(hidden_sizes)) != 1 or not 1 <= len(hidden_sizes) <= 3 \
                or not 1 <= hidden_sizes[0] <= 32:
            st.error(f"This page builds 1-3 equal hidden layers of 1-32 units; the file's "
                     f"network has hidden layers {hidden_sizes}.")
        else:
            widgets = {f"{KEY}_layers": len(hidden_sizes), f"{KEY}_hidden": hidden_sizes[0],
                       f"{KEY}_activation": meta["params"]["activation"], f"{KEY}_preset": False}
            widgets.update({f"{KEY}_{k}": data[name] for k, name in (
                ("dataset", "dataset"), ("n", "n_samples"), ("noise", "noise"),
                ("test", "test_share"), ("seed", "seed")) if name in data})
            coefs, intercepts = model._weights()
            st.session_state[f"{KEY}_pending"] = {
                "widgets": widgets,
                "weights": ([W.tolist() for W in coefs], [b.tolist() for b in intercepts])}
            st.rerun()

st.subheader("🆚 scikit-learn's MLPClassifier on the same split")
epochs = st.slider("Epochs for scikit-learn", 10, 2000, 300, 10, key=f"{KEY}_sk_epochs")


@st.cache_data(max_entries=16, show_spinner="Training scikit-learn's MLP…")
def sklearn_baseline(X_train, y_train, X_test, y_test, sizes, activation, learning_rate,
                     batch_size, l2, epochs, seed):
    b = sklearn_mlp(X_train, y_train, X_test, y_test, sizes, activation, learning_rate,
                    batch_size, l2, max_iter=epochs, random_state=seed)
    P = b.model.predict_proba(grid.points)[:, 1].reshape(grid.shape).astype(np.float32)
    return dict(train=b.train_accuracy, test=b.test_accuracy, log_loss=b.test_log_loss,
                seconds=b.fit_seconds, converged=b.converged, epochs=b.model.n_iter_, P=P)


if st.button("Fit scikit-learn's MLP", key=f"{KEY}_sk_fit") or st.session_state.get(f"{KEY}_sk_shown"):
    st.session_state[f"{KEY}_sk_shown"] = True
    sk = sklearn_baseline(X_train, y_train, X_test, y_test, sizes, activation, learning_rate,
                          batch_size, l2, epochs, seed)
    ours = run.latest["MLP"]
    left, right = st.columns([1, 1])
    with left:
        st.dataframe({"": ["ours (now)", "scikit-learn"],
                      "train accuracy": [ours.train_accuracy, sk["train"]],
                      "test accuracy": [ours.test_accuracy, sk["test"]],
                      "test log-loss": [ours.test_loss, sk["log_loss"]],
                      "training": [f"{ours.epoch:.0f} epochs so far", f"{sk['epochs']} epochs in "
                                   f"{sk['seconds'] * 1000:.0f} ms"]}, hide_index=True)
        st.caption(f"`MLPClassifier(hidden_layer_sizes={sizes}, activation="
                   f"'{'logistic' if activation == 'sigmoid' else activation}', solver='sgd', "
                   f"learning_rate_init={learning_rate:g}, batch_size={batch_size}, momentum=0, "
                   f"alpha={l2:g}·batch)`" + ("" if sk["converged"] else " — stopped at max_iter."))
    with right:
        st.plotly_chart(F.surface_figure(grid.xs, grid.ys, sk["P"], X_train, y_train, X_test,
                                         y_test, class_names=names,
                                         title="scikit-learn's decision surface",
                                         height=380), key=f"{KEY}_sk_chart")
