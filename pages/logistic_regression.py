"""Logistic regression, live: gradient ascent on the log-likelihood of 2-D data."""
import numpy as np
import streamlit as st

from core import DATASETS, LogisticRegression, Trainer, make_dataset, make_grid, split
from core.baselines import sklearn_logistic
from core.logistic import add_intercept, gradient_contributions, log_likelihood_grid
from ui import figures as F
from ui.layout import fmt, header, status
from ui.live import controls, follow_fragment, get_run, live_fragment
from ui.live_chart import live_chart
from ui.model_io import model_io
from ui.urlstate import choice, number, sync_url, write_url

KEY = "logreg"
LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
L2_VALUES = [0.0, 1e-4, 1e-3, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
MODES = {"Full batch (the lectures' algorithm)": None, "Minibatch": "mini", "SGD (one example)": 1}
THETA_NAMES = ["θ₀ (intercept)", "θ₁", "θ₂"]

header("📈 Logistic regression: walking up the likelihood hill",
       "The model says **P(Y = 1 | x) = σ(θᵀx)**, with x₀ = 1 prepended so θ₀ is the intercept. "
       "Training starts at θ = 0 and repeats one move: compute the whole gradient of the "
       "log-likelihood, then step uphill, **θ ← θ + η ∂(LL/n)/∂θ**.",
       "logistic regression as maximum likelihood; the sigmoid; gradient ascent; "
       "linear separability.")


def new_seed():
    st.session_state[f"{KEY}_seed"] = int(np.random.default_rng().integers(0, 10_000))


URL = {"dataset": (f"{KEY}_dataset", choice(list(DATASETS))),
       "n": (f"{KEY}_n", number(int, 20, 1000)), "noise": (f"{KEY}_noise", number(float, 0, 1)),
       "test": (f"{KEY}_test", number(float, 0.1, 0.5)), "seed": (f"{KEY}_seed", number(int, 0, 9999)),
       "lr": (f"{KEY}_lr", choice(LEARNING_RATES)), "mode": (f"{KEY}_mode", choice(list(MODES))),
       "batch": (f"{KEY}_batch", number(int, 2, 128)), "l2": (f"{KEY}_l2", choice(L2_VALUES)),
       "speed": (f"{KEY}_speed", number(int, 1, 50))}
sync_url(KEY, URL)

pending = st.session_state.pop(f"{KEY}_pending", None)
if pending is not None:  # a model file was loaded: its settings become the widgets' values
    st.session_state.update(pending["widgets"])
    st.session_state[f"{KEY}_start_theta"] = pending["theta"]
    st.session_state[f"{KEY}_loads"] = st.session_state.get(f"{KEY}_loads", 0) + 1


with st.sidebar:
    st.header("Data")
    dataset = st.selectbox("Dataset", list(DATASETS), key=f"{KEY}_dataset",
                           format_func=lambda k: DATASETS[k].title)
    st.caption(DATASETS[dataset].description)
    n_samples = st.slider("Number of points", 20, 1000, 200, 10, key=f"{KEY}_n")
    noise = st.slider("Noise", 0.0, 1.0, 0.2, 0.05, key=f"{KEY}_noise")
    test_share = st.slider("Test share", 0.1, 0.5, 0.3, 0.05, key=f"{KEY}_test")
    seed = st.number_input("Seed", 0, 9999, 0, key=f"{KEY}_seed")
    st.button("🎲 New data", on_click=new_seed, width="stretch")

    st.header("Training")
    learning_rate = st.select_slider("Learning rate η", LEARNING_RATES, value=0.3,
                                     key=f"{KEY}_lr", format_func=lambda v: f"{v:g}",
                                     help="Log scale. Changing it while training continues "
                                          "from the current θ.")
    mode = st.radio("Gradient from", list(MODES), key=f"{KEY}_mode")
    batch_size = MODES[mode]
    if batch_size == "mini":
        batch_size = st.slider("Batch size", 2, 128, 16, key=f"{KEY}_batch")
    l2 = st.select_slider("L2 strength", L2_VALUES, value=0.0, key=f"{KEY}_l2",
                          format_func=lambda v: f"{v:g}",
                          help="Ascends LL/n − (l2/2)‖θ₁..ₘ‖²; the intercept is not penalised.")
    speed = st.slider("Speed (steps per tick)", 1, 50, 3, key=f"{KEY}_speed",
                      help="Gradient steps between two chart updates (about 10 updates a second).")

write_url(URL)

# ---- data and the run ------------------------------------------------------------------------
X, y = make_dataset(dataset, n_samples, noise, random_state=seed)
X_train, X_test, y_train, y_test = split(X, y, test_share, random_state=seed)
grid = make_grid(X, resolution=100)


start_theta = st.session_state.get(f"{KEY}_start_theta")


def build():
    model = LogisticRegression(learning_rate=learning_rate, batch_size=batch_size, l2=l2,
                               max_iter=10**9, tol=0, random_state=seed)

    def loaded_theta(m):
        m.theta_ = np.array(start_theta, dtype=float)
    return {"ours": Trainer(model, X_train, y_train, X_test, y_test, grid=grid,
                            init=loaded_theta if start_theta is not None else None)}


def record(name, trainer, snap):
    return {"theta": snap.params[0][:, 0]}


DATA_SETTINGS = dict(dataset=dataset, n_samples=n_samples, noise=noise, test_share=test_share,
                     seed=seed)
run = get_run(KEY, dict(DATA_SETTINGS, loaded_model=st.session_state.get(f"{KEY}_loads", 0)),
              build, record)
run.set_params(learning_rate=learning_rate, batch_size=batch_size, l2=l2)


@st.cache_data(max_entries=32, show_spinner=False)
def baseline(X_train, y_train, X_test, y_test, l2):
    b = sklearn_logistic(X_train, y_train, X_test, y_test, l2=l2)
    m = b.model
    return dict(theta=np.r_[m.intercept_, m.coef_[0]], train_accuracy=b.train_accuracy,
                test_accuracy=b.test_accuracy, log_loss=b.test_log_loss,
                seconds=b.fit_seconds, converged=b.converged)


sk = baseline(X_train, y_train, X_test, y_test, l2)
X1_train = add_intercept(X_train)

controls(run, KEY)
# the picked point's number outlives a smaller data set: keep it in range (it is a widget's key)
point = min(st.session_state.get(f"{KEY}_point", 0), len(X_train) - 1)
st.session_state[f"{KEY}_point"] = point


def current(run):
    """The latest snapshot, the history, theta now, and theta and the step over time."""
    snap, hist = run.latest["ours"], run.histories["ours"]
    return snap, hist, snap.params[0][:, 0], hist.get("theta"), hist.get("step")


def render(run):
    snap, hist, theta, _, _ = current(run)

    status([("step", f"{snap.step:,}"), ("epoch", f"{snap.epoch:,.1f}"),
            ("train loss −LL/n", fmt(snap.train_loss)), ("test loss", fmt(snap.test_loss)),
            ("test accuracy", f"{snap.test_accuracy:.1%}"),
            ("‖θ₁..ₘ‖", fmt(np.linalg.norm(theta[1:]), 3))])
    left, right = st.columns([1.15, 1])
    with left:
        ours_x, ours_y = F.line_in_box(theta[1:], theta[0], grid.xs, grid.ys)
        sk_x, sk_y = F.line_in_box(sk["theta"][1:], sk["theta"][0], grid.xs, grid.ys)
        fig = F.surface_figure(
            grid.xs, grid.ys, snap.grid_proba, X_train, y_train, X_test, y_test, contour=False,
            lines=[dict(x=ours_x, y=ours_y, name="ours: θᵀx = 0 (P = 0.5)", color="#111827"),
                   dict(x=sk_x, y=sk_y, name="scikit-learn", color="#6b7280", dash="dash")],
            title="P(Y = 1 | x) over the plane")
        live_chart(fig, key=f"{KEY}_surface", height=470)
    with right:
        curves = run.every("curves", lambda: F.curves_figure(hist.arrays(
            "step", "train_loss", "test_loss", "train_accuracy", "test_accuracy"),
            title="Loss and accuracy"))
        live_chart(curves, key=f"{KEY}_curves", height=470)


def render_details(run):
    """The slower views, refreshed every two seconds while training."""
    snap, hist, theta, thetas, steps = current(run)
    live_chart(F.trajectories_figure(steps, thetas, THETA_NAMES, title="Each θ over time",
                                     y_title="θ"), key=f"{KEY}_thetas", height=260)
    st.subheader("⛰️ The likelihood hill")
    st.markdown("The objective over two weights, the third held at its current value. "
                "Gradient ascent walks uphill; for logistic regression the log-likelihood is "
                "concave (the lectures say \"convex\": one hill, no false tops), so it never gets "
                "stuck.")
    hill_col, dist_col = st.columns([1.15, 1])
    with hill_col:
        i, j = HILL_AXES[hill_axes]
        path_a, path_b = thetas[:, i], thetas[:, j]
        a_vals, b_vals = _axis(path_a, sk["theta"][i]), _axis(path_b, sk["theta"][j])
        Z = log_likelihood_grid(theta, X1_train, y_train, i, j, a_vals, b_vals, l2)
        # the far corners of the plane are very low: clip them so the colours show the hilltop
        Z = np.maximum(Z, np.quantile(Z, 0.15))
        live_chart(F.contour_path_figure(a_vals, b_vals, Z, path_a, path_b, THETA_NAMES[i],
                                         THETA_NAMES[j], z_name="LL/n" if not l2 else "LL/n − penalty"),
                   key=f"{KEY}_hill", height=380)
    with dist_col:
        dist = np.linalg.norm(thetas - sk["theta"], axis=1)
        norms = np.linalg.norm(thetas[:, 1:], axis=1)
        fig = F.trajectories_figure(steps, np.column_stack([dist, norms]),
                                    ["‖θ − θ_sklearn‖", "‖θ₁..ₘ‖"],
                                    title="Distance to scikit-learn's θ, and the size of θ",
                                    y_title="")
        live_chart(fig, key=f"{KEY}_distance", height=380)

    render_math(snap, theta)
    render_baseline(snap, theta)


def _axis(path, sk_value, n=45):
    """Grid values around the path; scikit-learn's theta joins the view when it is near."""
    lo, hi = float(path.min()), float(path.max())
    span = max(hi - lo, 1.0)
    if np.isfinite(sk_value) and lo - 2 * span <= sk_value <= hi + 2 * span:
        lo, hi = min(lo, sk_value), max(hi, sk_value)
    pad = max(1.0, 0.35 * (hi - lo))
    return np.linspace(lo - pad, hi + pad, n)


HILL_AXES = {"θ₁ and θ₂": (1, 2), "θ₀ and θ₁": (0, 1), "θ₀ and θ₂": (0, 2)}
hill_axes = st.session_state.get(f"{KEY}_hill_axes", "θ₁ and θ₂")


def render_math(snap, theta):
    st.subheader("🧮 The math, with the current numbers")
    x = X_train[point]
    x1 = np.r_[1.0, x]
    z = float(theta @ x1)
    p = 1 / (1 + np.exp(-z))
    yi = int(y_train[point])
    st.markdown(f"For training point **#{point}**, x = (1, {x[0]:.3f}, {x[1]:.3f}) with "
                f"y = {yi}:")
    st.latex(rf"z = \theta^T x = {theta[0]:.3f} \cdot 1 + ({theta[1]:.3f}) \cdot ({x[0]:.3f}) + "
             rf"({theta[2]:.3f}) \cdot ({x[1]:.3f}) = {z:.4f}")
    st.latex(rf"P(Y=1 \mid x) = \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}} = {p:.4f}, \qquad "
             rf"\sigma'(z) = \sigma(z)(1-\sigma(z)) = {p * (1 - p):.4f}")
    ll_sum = -snap.train_loss * len(X_train)
    st.latex(rf"LL(\theta) = \sum_{{i=1}}^{{{len(X_train)}}} y_i \log \sigma(\theta^T x_i) + "
             rf"(1-y_i)\log(1-\sigma(\theta^T x_i)) = {ll_sum:.3f}, \qquad "
             rf"\tfrac{{1}}{{n}} LL(\theta) = {-snap.train_loss:.4f}")
    contrib = gradient_contributions(theta.reshape(-1, 1), X1_train,
                                     y_train.reshape(-1, 1).astype(float))[:, :, 0]
    grad = contrib.mean(axis=0)
    terms = " ,\\; ".join(rf"\frac{{\partial LL/n}}{{\partial \theta_{j}}} = {grad[j]:.4f}"
                          for j in range(3))
    st.latex(rf"\frac{{\partial LL}}{{\partial \theta_j}} = \sum_i \left(y_i - \sigma(\theta^T x_i)"
             rf"\right) x_{{ij}}: \quad {terms}")
    st.latex(rf"\text{{this point's term: }} (y - \sigma(z))\,x = ({yi} - {p:.4f}) \cdot "
             rf"(1, {x[0]:.2f}, {x[1]:.2f}) = ({contrib[point, 0]:.4f}, {contrib[point, 1]:.4f}, "
             rf"{contrib[point, 2]:.4f})")

    st.markdown("**Which points pull the boundary?** Each point's term (y − σ(θᵀx))·x is its "
                "pull on θ. Points already classified with confidence pull almost nothing; "
                "misclassified and borderline points pull hardest (marker size ∝ |y − σ(θᵀx)|).")
    residual = np.abs(contrib[:, 0])
    pull_col, table_col = st.columns([1.15, 1])
    with pull_col:
        # points only, with the boundary as a line: a second heatmap would cost the live
        # charts above a frame each time this view refreshes
        lx, ly = F.line_in_box(theta[1:], theta[0], grid.xs, grid.ys)
        traces = F.points_traces(X_train, y_train, "train")
        for trace, k in zip(traces, (0, 1)):  # one points trace per class
            trace["marker"]["size"] = 4 + 22 * residual[y_train == k]
        traces.append(dict(type="scatter", x=lx, y=ly, mode="lines", name="θᵀx = 0",
                           line=dict(color="#111827", width=2)))
        fig = F.figure(traces, "Pull of each training point", 380,
                       xaxis=F.axis("x1", range=[float(grid.xs[0]), float(grid.xs[-1])]),
                       yaxis=F.axis("x2", range=[float(grid.ys[0]), float(grid.ys[-1])]))
        live_chart(fig, key=f"{KEY}_pull", height=380)
    with table_col:
        top = np.argsort(-residual)[:8]
        st.dataframe({"point": top, "y": y_train[top],
                      "σ(θᵀx)": (y_train[top] - contrib[top, 0]).round(4),  # term for θ₀ is y − σ
                      "pull on θ₀": contrib[top, 0].round(4), "pull on θ₁": contrib[top, 1].round(4),
                      "pull on θ₂": contrib[top, 2].round(4)}, hide_index=True, height=330)


def render_baseline(snap, theta):
    st.subheader("🆚 scikit-learn on the same split")
    setting = "C = ∞ (unpenalised)" if l2 == 0 else f"C = 1/(n·l2) = {1 / (len(X_train) * l2):.4g}"
    st.markdown(f"`sklearn.linear_model.LogisticRegression({setting})`, fitted once on the same "
                f"training points. Its boundary is the dashed line on the surface above.")
    rows = {"": ["ours (now)", "scikit-learn"],
            "θ₀": [fmt(theta[0]), fmt(sk["theta"][0])], "θ₁": [fmt(theta[1]), fmt(sk["theta"][1])],
            "θ₂": [fmt(theta[2]), fmt(sk["theta"][2])],
            "train accuracy": [f"{snap.train_accuracy:.1%}", f"{sk['train_accuracy']:.1%}"],
            "test accuracy": [f"{snap.test_accuracy:.1%}", f"{sk['test_accuracy']:.1%}"],
            "test log-loss": [fmt(snap.test_loss), fmt(sk["log_loss"])],
            "fit time": [f"{snap.step:,} steps so far", f"{sk['seconds'] * 1000:.1f} ms"]}
    st.dataframe(rows, hide_index=True)
    if l2 == 0 and sk["train_accuracy"] == 1.0:
        st.warning(f"The training data is linearly separable, so without L2 the likelihood has no "
                   f"maximum: scikit-learn's θ (‖θ₁..ₘ‖ = {np.linalg.norm(sk['theta'][1:]):.1f}) is "
                   f"only where its optimiser found the slope too flat to go on, and ours keeps "
                   f"climbing. Raise the L2 strength and both settle on the same θ.", icon="📚")
    elif not sk["converged"]:
        st.warning("scikit-learn stopped at its iteration limit without converging.")


live_fragment(run, render, speed)
follow_fragment(run, render_details, every=2.0)

st.divider()
with st.expander("🔍 Pick the point for the live math, and the hill's axes", expanded=False):
    # no default value: the widget's value is the one kept in session state above
    st.number_input("Training point #", 0, len(X_train) - 1, key=f"{KEY}_point")
    st.radio("Hill over", list(HILL_AXES), key=f"{KEY}_hill_axes", horizontal=True)

# open while the uploader holds a file, so its result (or its error) is in sight
with st.expander("💾 Save or load the model",
                 expanded=st.session_state.get(f"{KEY}_io_upload") is not None):
    st.caption("A model file holds θ, the settings and the data's settings (dataset, size, noise, "
               "split and seed), so loading it here rebuilds the same data and starts from that θ.")
    loaded = model_io(run, "ours", "logistic_regression", DATA_SETTINGS, f"{KEY}_io")
    if loaded is not None:
        model, meta = loaded
        data, params = meta.get("data") or {}, meta["params"]
        if model.n_features_in_ != 2 or len(model.classes_) != 2:
            st.error("This page trains two-class models of two features; the file's model has "
                     f"{model.n_features_in_} features and {len(model.classes_)} classes.")
        else:
            widgets = {f"{KEY}_{k}": data[name] for k, name in (
                ("dataset", "dataset"), ("n", "n_samples"), ("noise", "noise"),
                ("test", "test_share"), ("seed", "seed")) if name in data}
            if params.get("learning_rate") in LEARNING_RATES:
                widgets[f"{KEY}_lr"] = params["learning_rate"]
            if params.get("l2") in L2_VALUES:
                widgets[f"{KEY}_l2"] = params["l2"]
            st.session_state[f"{KEY}_pending"] = {"widgets": widgets,
                                                  "theta": model.theta_.tolist()}
            st.rerun()

with st.expander("📚 Separable data: why θ keeps growing, and how L2 stops it",
                 expanded=dataset == "separable"):
    st.markdown(
        "If a line separates the classes perfectly, scaling θ up by any factor c > 1 keeps the "
        "same line but pushes every σ(θᵀxᵢ) closer to its label, so **LL(θ) rises for ever**: "
        "there is no maximum likelihood estimate. Watch ‖θ₁..ₘ‖ in the chart above grow without "
        "bound (about like log of the step) and the sigmoid on the plane sharpen into a cliff.\n\n"
        "An **L2 penalty** (l2/2)‖θ₁..ₘ‖² makes large θ cost more than the tiny gain in "
        "likelihood: the objective gets a top, and ‖θ‖ stops growing. Try *Linearly separable "
        "blobs*, play for a while, then raise **L2 strength** while it trains.")
