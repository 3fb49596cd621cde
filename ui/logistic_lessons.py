"""The lectures' lessons around logistic regression, as text and numbers: the algorithm's
pseudocode with the line being executed, the way from a probability to the gradient, the
worked examples, and Naive Bayes beside logistic regression. No Streamlit calls here."""
import html

import numpy as np

from core.baselines import sklearn_naive_bayes
from core.naive_bayes import GaussianNaiveBayes
from ui import figures as F
from ui.numbers import num, percent, ptex, tex

# ---- the lectures' algorithm, line by line ------------------------------------------------------
PSEUDOCODE = (
    ("init", "initialize θⱼ = 0 for 0 ≤ j ≤ m"),
    ("repeat", "repeat many times:"),
    ("zero", "    gradient[j] = 0 for 0 ≤ j ≤ m"),
    ("each", "    for each training example (x, y):"),
    ("acc", "        for each 0 ≤ j ≤ m:"),
    ("acc", "            gradient[j] += [y − 1/(1 + e^(−θᵀx))] · xⱼ"),
    ("update", "    θⱼ += η · gradient[j] for all 0 ≤ j ≤ m"),
)
# What each phase of "walk through one iteration" executes.
PHASES = ("zero", "acc", "update")


def pseudocode_html(active, theta, eta=None):
    """The lectures' training loop as a code block, the lines of ``active`` (a key of
    PSEUDOCODE: "init", "zero", "acc", "update", or "loop" for the whole body while playing)
    highlighted, η beside the update, and θ as it is now on a row of its own under the code.

    A line too long for a narrow column wraps under itself, indented further (a block that
    scrolled sideways hid the ends of most lines at 1024x768)."""
    body = {"zero", "each", "acc", "update", "repeat"}
    rows = []
    for key, text in PSEUDOCODE:
        on = key == active or (active == "acc" and key == "each") or (
            active == "loop" and key in body)
        note = f"   ← η = {num(eta)}" if key == "update" and eta is not None else ""
        rows.append(_code_row(text, note, on))
    theta_now = f"θ now: ({', '.join(num(t, 3) for t in theta)})"
    return ("<div class='np-pseudocode' style='font-family:ui-monospace,monospace;"
            "font-size:0.8rem;line-height:1.45;border:1px solid #e5e7eb;border-radius:6px;"
            "padding:6px 0'>" + "".join(rows)
            + f"<div style='color:#6b7280;padding:4px 6px 0 9px;border-top:1px solid #e5e7eb;"
              f"margin-top:4px'>{html.escape(theta_now)}</div></div>")


def _code_row(text, note, on):
    indent = len(text) - len(text.lstrip(" "))
    style = ("background:#fff3c4;border-left:3px solid #f1a208;" if on else
             "border-left:3px solid transparent;")
    # the indent as padding, and a hanging indent for a wrapped line's continuation
    return (f"<div style='{style}padding:1px 6px 1px calc(6px + {indent + 2}ch);"
            f"text-indent:-2ch;white-space:pre-wrap'>{html.escape(text.lstrip(' '))}"
            + (f"<span style='color:#6b7280'>{html.escape(note)}</span>" if note else "")
            + "</div>")


def phase_text(phase, gradient, theta_before, theta_after, eta, n):
    """What one phase of the walk-through did, in words and numbers."""
    if phase == "zero":
        return "gradient[j] = 0 for every j: the sum starts empty."
    if phase == "acc":
        return (f"Every one of the {n} examples added its [y − σ(θᵀx)] · x: gradient = "
                f"({', '.join(num(g) for g in gradient)}). θ has not moved yet: the lectures "
                f"finish the gradient before updating θ.")
    return (f"θ += η · gradient with η = {num(eta)}: θ went from "
            f"({', '.join(num(t) for t in theta_before)}) to "
            f"({', '.join(num(t) for t in theta_after)}).")


# ---- from a probability to the gradient ------------------------------------------------------------
def probability_latex(theta, x1, y, point, train_loss, n):
    """The chosen point's probability, likelihood and log-likelihood, then the data's."""
    z = float(theta @ x1)
    p = 1 / (1 + np.exp(-z))
    prob = p if y == 1 else 1 - p
    return [
        r"Y \sim \text{Bernoulli}(p): \quad P(Y = y) = p^y (1 - p)^{1-y}",
        r"p = 0.2: \quad P(Y = 1) = 0.2^1 \cdot 0.8^0 = 0.2",
        r"\phantom{p = 0.2: \quad} P(Y = 0) = 0.2^0 \cdot 0.8^1 = 0.8",
        r"P(Y = y \mid x) = \hat y^{\,y} (1 - \hat y)^{1 - y}, \qquad \hat y = \sigma(\theta^T x)",
        rf"\text{{point \#{point} (y = {y}): }} {tex(p)}^{{{y}}} \cdot {tex(1 - p)}^{{{1 - y}}} = "
        rf"{tex(prob)}",
        r"L(\theta) = \prod_{i=1}^{n} P(Y = y_i \mid x_i)",
        rf"LL(\theta) = \log L(\theta) = \sum_{{i=1}}^{{{n}}} \log P(Y = y_i \mid x_i) = "
        rf"{tex(-train_loss * n)}",
    ]


DERIVATION = [  # with sigma_i = sigma(theta^T x_i), so that each line fits a narrow column
    r"\frac{\partial LL}{\partial \theta_j} = \sum_i \frac{\partial}{\partial \theta_j}"
    r"\big[y_i \log \sigma_i + (1 - y_i) \log(1 - \sigma_i)\big]",
    r"= \sum_i \Big[\frac{y_i}{\sigma_i} - \frac{1 - y_i}{1 - \sigma_i}\Big]"
    r" \frac{\partial \sigma_i}{\partial \theta_j}",
    r"= \sum_i \Big[\frac{y_i}{\sigma_i} - \frac{1 - y_i}{1 - \sigma_i}\Big]"
    r" \sigma_i (1 - \sigma_i)\, x_{ij}",
    r"= \sum_i (y_i - \sigma_i)\, x_{ij}",
]
DERIVATION_NOTE = ("Write σᵢ = σ(θᵀxᵢ). The first step is the chain rule; the second uses "
                   "σ′(z) = σ(z)(1 − σ(z)) and ∂(θᵀxᵢ)/∂θⱼ = xᵢⱼ; the last multiplies out.")
QUIZ = {"σ(θᵀx) · xⱼ": False, "σ(θᵀx)(1 − σ(θᵀx)) · xⱼ": True, "(1 − σ(θᵀx)) · xⱼ": False,
        "σ(θᵀx)(1 − σ(θᵀx))": False}
QUIZ_WHY = ("The chain rule: ∂σ(z)/∂θⱼ = σ′(z) · ∂z/∂θⱼ, with σ′(z) = σ(z)(1 − σ(z)) and "
            "∂(θᵀx)/∂θⱼ = xⱼ.")


# ---- the lectures' worked examples -----------------------------------------------------------------
EXAMPLES = {
    "movie": dict(
        title="Will this user like the target movie? x = [1, 0, 1, 1] (x₀ = 1, then three "
              "movies liked or not), y = 0: the user did not like it.",
        x=(1.0, 0.0, 1.0, 1.0), y=0,
        presets={"the lectures' first θ": (0.2, -0.4, 1.1, 2.1),
                 "better parameters": (0.9, 0.2, -0.1, -1.9)}),
    "neuron": dict(
        title="One neuron: inputs x = [1, 1, 0, 1] weighted by θ = [2, 3, −2, 1].",
        x=(1.0, 1.0, 0.0, 1.0), y=1, presets={"the lectures' θ": (2.0, 3.0, -2.0, 1.0)}),
    "hat": dict(
        title="The sorting hat: x = [1, 1, 0, 0] (x₀ = 1, brave, not clever, not ambitious).",
        x=(1.0, 1.0, 0.0, 0.0), y=1, presets={"a hat's θ": (1.5, 0.8, -1.0, 0.4)}),
}


def example_latex(x, theta, y):
    """z = θᵀx, σ(z), and the probability of the example's own label, with the numbers."""
    x, theta = np.asarray(x, float), np.asarray(theta, float)
    z = float(theta @ x)
    p = 1 / (1 + np.exp(-z))
    terms = " + ".join(rf"{ptex(t)} \cdot {tex(v)}" for t, v in zip(theta, x))
    return [rf"z = \sum_i \theta_i x_i = {terms} = {tex(z)}",
            rf"P(Y = 1 \mid x) = \sigma({tex(z)}) = {tex(p)}",
            rf"P(Y = 0 \mid x) = 1 - \sigma(z) = {tex(1 - p)}",
            rf"y = {y}: \quad P(Y = {y} \mid x) = {tex(p if y == 1 else 1 - p)}, \quad "
            rf"\log P = {tex(np.log(p if y == 1 else 1 - p))}"]


# ---- Naive Bayes beside logistic regression -------------------------------------------------------------
NB_TEXT = (
    "**Two ways to the same kind of line.** Naive Bayes is *generative*: it models how the data "
    "is made, P(x, y) = P(y) ∏ⱼ P(xⱼ | y), here each P(xⱼ | y) a normal distribution, and "
    "gets P(y | x) by Bayes' rule. Logistic regression is *discriminative*: it models only "
    "P(y | x) = σ(θᵀx) and climbs its likelihood. With one variance per input shared by both "
    "classes, Naive Bayes' P(y | x) is exactly a σ(θᵀx) too, with θ from counting (means, "
    "variances, class shares) instead of climbing: when its assumptions hold (inputs "
    "independent given the class) it needs less data; when they do not, logistic regression "
    "is usually better. Being generative, Naive Bayes can also **make new points**: the "
    "hollow diamonds on the chart below were drawn from it, which logistic regression cannot "
    "do.")


def naive_bayes_view(X_train, y_train, X_test, y_test, grid, theta_ours, random_state=0):
    """Naive Bayes (shared variances) fitted on the split: its line beside ours on the plane
    with points sampled from it, and a table comparing the two."""
    nb = GaussianNaiveBayes.fit(X_train, y_train, shared=True)
    nb_curved = GaussianNaiveBayes.fit(X_train, y_train, shared=False)
    theta_nb = nb.theta
    P = nb.predict_proba(grid.points)[:, 1].reshape(grid.shape)
    lines = []
    for theta, name, colour, dash in ((theta_nb, "Naive Bayes: P = 0.5", "#9c6ade", "dash"),
                                      (theta_ours, "logistic regression (ours now)", "#111827",
                                       "solid")):
        if theta is None:  # ours has extra inputs: its boundary is no line in this plane
            continue
        lx, ly = F.line_in_box(theta[1:3], theta[0], grid.xs, grid.ys)
        lines.append(dict(x=lx, y=ly, name=name, color=colour, dash=dash))
    fig = F.surface_figure(grid.xs, grid.ys, P, X_train, y_train, contour=False, lines=lines,
                           title="Naive Bayes' P(Y = 1 | x)",  # its points: "sampled from…"
                           height=400)
    X_new, y_new = nb.sample(60, random_state)
    fig["data"] += [dict(type="scatter", x=F._f32(X_new[y_new == k, 0]),
                         y=F._f32(X_new[y_new == k, 1]), mode="markers",
                         name=f"sampled from Naive Bayes, class {k}",
                         marker=dict(size=9, symbol="diamond-open", color=F.CLASS_COLORS[k],
                                     line=dict(width=2, color=F.CLASS_COLORS[k])))
                    for k in (0, 1)]
    fig["layout"]["yaxis"].update(scaleanchor="x", scaleratio=1, constrain="domain")
    fig["layout"]["xaxis"].update(constrain="domain")

    def accuracy(model, X, y):
        return float(np.mean(model.predict(X) == y))
    sk = sklearn_naive_bayes(X_train, y_train, X_test, y_test)
    table = {"model": ["Naive Bayes, shared variances", "Naive Bayes, per-class variances",
                       sk.name],
             "train accuracy": [percent(accuracy(m, X_train, y_train)) for m in (nb, nb_curved)]
                               + [percent(sk.train_accuracy)],
             "test accuracy": [percent(accuracy(m, X_test, y_test)) for m in (nb, nb_curved)]
                              + [percent(sk.test_accuracy)]}
    return fig, table, nb
