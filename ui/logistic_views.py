"""What the logistic-regression page shows, built from numbers: figures, LaTeX, tables, text.

No Streamlit here: every number the page prints comes out of these functions, so unit tests
reach them without a browser.
"""
import numpy as np

from core.hill import hill_axis
from core.logistic import add_intercept, gradient_contributions, log_likelihood_grid
from ui import figures as F
from ui.numbers import num, percent, tex
from ui.page import data_settings
from ui.settings import Setting, settings

THETA_NAMES = ["θ₀ (intercept)", "θ₁", "θ₂"]
HILL_AXES = {"θ₁ and θ₂": (1, 2), "θ₀ and θ₁": (0, 1), "θ₀ and θ₂": (0, 2)}
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
L2_VALUES = (0.0, 1e-4, 1e-3, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
MODES = {"Full batch (the lectures' algorithm)": None, "Minibatch": "mini", "SGD (one example)": 1}
DATA = data_settings(noise=0.2)
TRAINING = settings(
    Setting("lr", "Learning rate η", 0.3, options=LEARNING_RATES, widget="select_slider",
            fmt=lambda v: f"{v:g}",
            help="Log scale. Changing it while training continues from the current θ."),
    Setting("mode", "Gradient from", next(iter(MODES)), options=tuple(MODES), widget="radio"),
    Setting("batch", "Batch size", 16, lo=2, hi=128, step=1, kind=int),
    Setting("l2", "L2 strength", 0.0, options=L2_VALUES, widget="select_slider",
            fmt=lambda v: f"{v:g}",
            help="Ascends LL/n − (l2/2)‖θ₁..ₘ‖²; the intercept is not penalised."),
    Setting("speed", "Speed (steps per tick)", 3, lo=1, hi=50, step=1, kind=int,
            help="Gradient steps between two chart updates (about 10 updates a second)."))
VIEW = settings(
    Setting("point", "Training point #", 0, lo=0, hi=999, step=1, kind=int,
            widget="number_input", in_url=False),
    Setting("hill_axes", "Hill over", next(iter(HILL_AXES)), options=tuple(HILL_AXES),
            widget="radio", in_url=False))
SPECS = {**DATA, **TRAINING, **VIEW}



def sk_theta(baseline):
    """scikit-learn's fitted (intercept, coefficients) as the lectures' theta."""
    m = baseline.model
    return np.r_[m.intercept_, m.coef_[0]]


def status_items(snap):
    theta = snap.theta[:, 0]
    return [("step", f"{snap.step:,}"), ("epoch", f"{snap.epoch:,.1f}"),
            ("train loss −LL/n", num(snap.train_loss)), ("test loss", num(snap.test_loss)),
            ("test accuracy", percent(snap.test_accuracy)),
            ("‖θ₁..ₘ‖", num(np.linalg.norm(theta[1:]), 3))]


def surface_figure(snap, grid, split, sk):
    """P(Y = 1 | x) over the plane, our line θᵀx = 0 and scikit-learn's (dashed)."""
    X_train, X_test, y_train, y_test = split
    theta = snap.theta[:, 0]
    ours = F.line_in_box(theta[1:], theta[0], grid.xs, grid.ys)
    theirs = F.line_in_box(sk[1:], sk[0], grid.xs, grid.ys)
    return F.surface_figure(
        grid.xs, grid.ys, snap.grid_proba, X_train, y_train, X_test, y_test, contour=False,
        lines=[dict(x=ours[0], y=ours[1], name="ours: θᵀx = 0 (P = 0.5)", color="#111827"),
               dict(x=theirs[0], y=theirs[1], name="scikit-learn", color="#6b7280",
                    dash="dash")],
        title="P(Y = 1 | x) over the plane")


def curves_figure(history):
    return F.curves_figure(history.arrays("step", "train_loss", "test_loss", "train_accuracy",
                                          "test_accuracy"), title="Loss and accuracy")


def thetas_figure(steps, thetas):
    return F.trajectories_figure(steps, thetas, THETA_NAMES, title="Each θ over time",
                                 y_title="θ")


def hill_figure(theta, thetas, sk, X1, y, axes, l2):
    """The objective over two weights (the third at its current value) and the path."""
    i, j = HILL_AXES[axes]
    path_a, path_b = thetas[:, i], thetas[:, j]
    a_values, b_values = hill_axis(path_a, sk[i]), hill_axis(path_b, sk[j])
    Z = log_likelihood_grid(theta, X1, y, i, j, a_values, b_values, l2)
    # the far corners of the plane are very low: clip them so the colours show the hilltop
    Z = np.maximum(Z, np.quantile(Z, 0.15))
    return F.contour_path_figure(a_values, b_values, Z, path_a, path_b, THETA_NAMES[i],
                                 THETA_NAMES[j], z_name="LL/n − penalty" if l2 else "LL/n")


def distance_figure(steps, thetas, sk):
    dist = np.linalg.norm(thetas - sk, axis=1)
    norms = np.linalg.norm(thetas[:, 1:], axis=1)
    return F.trajectories_figure(steps, np.column_stack([dist, norms]),
                                 ["‖θ − θ_sklearn‖", "‖θ₁..ₘ‖"],
                                 title="Distance to scikit-learn's θ, and the size of θ",
                                 y_title="")


def contributions(theta, X_train, y_train):
    """Each training point's term (y − σ(θᵀx))·x of the gradient, (n, 3)."""
    return gradient_contributions(theta.reshape(-1, 1), add_intercept(X_train),
                                  y_train.reshape(-1, 1).astype(float))[:, :, 0]


def point_math(theta, X_train, y_train, point, train_loss):
    """The lectures' equations for one training point, with today's numbers: a line of
    markdown and the LaTeX lines under it."""
    x, yi = X_train[point], int(y_train[point])
    x1 = np.r_[1.0, x]
    z = float(theta @ x1)
    p = 1 / (1 + np.exp(-z))
    n = len(X_train)
    contrib = contributions(theta, X_train, y_train)
    grad = contrib.mean(axis=0)
    intro = f"For training point **#{point}**, x = (1, {num(x[0])}, {num(x[1])}) with y = {yi}:"
    terms = r" ,\; ".join(rf"\frac{{\partial LL/n}}{{\partial \theta_{j}}} = {tex(grad[j])}"
                          for j in range(3))
    lines = [
        rf"z = \theta^T x = {tex(theta[0])} \cdot 1 + ({tex(theta[1])}) \cdot ({tex(x[0])}) + "
        rf"({tex(theta[2])}) \cdot ({tex(x[1])}) = {tex(z)}",
        rf"P(Y=1 \mid x) = \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}} = {tex(p)}, \qquad "
        rf"\sigma'(z) = \sigma(z)(1-\sigma(z)) = {tex(p * (1 - p))}",
        rf"LL(\theta) = \sum_{{i=1}}^{{{n}}} y_i \log \sigma(\theta^T x_i) + "
        rf"(1-y_i)\log(1-\sigma(\theta^T x_i)) = {tex(-train_loss * n)}, \qquad "
        rf"\tfrac{{1}}{{n}} LL(\theta) = {tex(-train_loss)}",
        rf"\frac{{\partial LL}}{{\partial \theta_j}} = \sum_i \left(y_i - \sigma(\theta^T x_i)"
        rf"\right) x_{{ij}}: \quad {terms}",
        rf"\text{{this point's term: }} (y - \sigma(z))\,x = ({yi} - {tex(p)}) \cdot "
        rf"(1, {tex(x[0])}, {tex(x[1])}) = ({tex(contrib[point, 0])}, {tex(contrib[point, 1])}, "
        rf"{tex(contrib[point, 2])})"]
    return intro, lines


def pull_figure(theta, X_train, y_train, grid):
    """The training points sized by their pull |y − σ(θᵀx)| on the boundary."""
    residual = np.abs(contributions(theta, X_train, y_train)[:, 0])
    lx, ly = F.line_in_box(theta[1:], theta[0], grid.xs, grid.ys)
    traces = F.points_traces(X_train, y_train, "train")
    for trace, k in zip(traces, (0, 1)):  # one points trace per class
        trace["marker"]["size"] = 4 + 22 * residual[y_train == k]
    traces.append(dict(type="scatter", x=lx, y=ly, mode="lines", name="θᵀx = 0",
                       line=dict(color="#111827", width=2)))
    return F.figure(traces, "Pull of each training point", 380,
                    xaxis=F.axis("x1", range=[float(grid.xs[0]), float(grid.xs[-1])]),
                    yaxis=F.axis("x2", range=[float(grid.ys[0]), float(grid.ys[-1])]))


def pull_table(theta, X_train, y_train, top=8):
    """The ``top`` points that pull hardest, with σ(θᵀx) and their pull on each θ."""
    contrib = contributions(theta, X_train, y_train)
    order = np.argsort(-np.abs(contrib[:, 0]))[:top]
    return {"point": order, "y": y_train[order],
            "σ(θᵀx)": [num(y_train[i] - contrib[i, 0]) for i in order],  # θ₀'s term is y − σ
            **{f"pull on θ{s}": [num(contrib[i, j]) for i in order]
               for j, s in enumerate("₀₁₂")}}


def baseline_call(l2, n):
    setting = "C = ∞ (unpenalised)" if l2 == 0 else f"C = 1/(n·l2) = {num(1 / (n * l2))}"
    return (f"`sklearn.linear_model.LogisticRegression({setting})`, fitted once on the same "
            f"training points. Its boundary is the dashed line on the surface above.")


def baseline_table(snap, baseline):
    theta, sk = snap.theta[:, 0], sk_theta(baseline)
    return {"": ["ours (now)", "scikit-learn"],
            **{f"θ{s}": [num(theta[j]), num(sk[j])] for j, s in enumerate("₀₁₂")},
            "train accuracy": [percent(snap.train_accuracy), percent(baseline.train_accuracy)],
            "test accuracy": [percent(snap.test_accuracy), percent(baseline.test_accuracy)],
            "test log-loss": [num(snap.test_loss), num(baseline.test_log_loss)],
            "fit time": [f"{snap.step:,} steps so far", f"{baseline.fit_seconds * 1000:.1f} ms"]}


def baseline_warning(l2, baseline):
    """Why scikit-learn's θ is not a maximum, when it is not (or None)."""
    if l2 == 0 and baseline.train_accuracy == 1.0:
        size = num(np.linalg.norm(sk_theta(baseline)[1:]), 3)
        return (f"The training data is linearly separable, so without L2 the likelihood has no "
                f"maximum: scikit-learn's θ (‖θ₁..ₘ‖ = {size}) is only where its optimiser "
                f"found the slope too flat to go on, and ours keeps climbing. Raise the L2 "
                f"strength and both settle on the same θ.")
    if not baseline.converged:
        return "scikit-learn stopped at its iteration limit without converging."
    return None


HILL_TEXT = ("The objective over two weights, the third held at its current value. Gradient "
             "ascent walks uphill; for logistic regression the log-likelihood is concave (the "
             "lectures say \"convex\": one hill, no false tops), so it never gets stuck.")
PULL_TEXT = ("**Which points pull the boundary?** Each point's term (y − σ(θᵀx))·x is its pull "
             "on θ. Points already classified with confidence pull almost nothing; "
             "misclassified and borderline points pull hardest (marker size ∝ |y − σ(θᵀx)|).")
SEPARABLE_TEXT = (
    "If a line separates the classes perfectly, scaling θ up by any factor c > 1 keeps the "
    "same line but pushes every σ(θᵀxᵢ) closer to its label, so **LL(θ) rises for ever**: "
    "there is no maximum likelihood estimate. Watch ‖θ₁..ₘ‖ in the chart above grow without "
    "bound (about like log of the step) and the sigmoid on the plane sharpen into a cliff.\n\n"
    "An **L2 penalty** (l2/2)‖θ₁..ₘ‖² makes large θ cost more than the tiny gain in "
    "likelihood: the objective gets a top, and ‖θ‖ stops growing. Try *Linearly separable "
    "blobs*, play for a while, then raise **L2 strength** while it trains.")
