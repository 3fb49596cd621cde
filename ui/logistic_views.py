"""What the logistic-regression page shows, built from numbers: figures, LaTeX, tables, text.

No Streamlit calls here: every number the page prints comes out of these functions, so unit
tests reach them without a browser. The lectures' own lessons that do not move with training
(probability, worked examples, Naive Bayes, minibatches) are in ``ui.logistic_lessons``.
"""
import numpy as np

from core import features as FT
from core.hill import hill_axis
from core.logistic import add_intercept, gradient_contributions, log_likelihood_grid
from core.sgd import example_gradients
from ui import figures as F
from ui.numbers import num, percent, tex
from ui.page import data_settings
from ui.live import speed_setting
from ui.settings import Setting, settings

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
LECTURE_ETAS = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03)
L2_VALUES = (0.0, 1e-4, 1e-3, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
MODES = {"Full batch": None, "Minibatch": "mini", "SGD (one example)": 1}
DATA = data_settings(noise=0.2)
TRAINING = settings(
    Setting("lecture", "🎓 Lecture mode", False, kind=bool, widget="toggle",
            help="The lectures' algorithm verbatim: θ = 0, the gradient summed over all "
                 "examples, η in the lectures' units, full batch, no L2."),
    Setting("lr", "Learning rate η", 0.3, options=LEARNING_RATES,
            widget="select_slider", fmt=lambda v: f"{v:g}",
            help="On the mean log-likelihood LL/n (log scale). Changing it while training "
                 "continues from the current θ."),
    Setting("eta", "η, the lectures' units", 1e-3,
            options=LECTURE_ETAS, widget="select_slider", fmt=lambda v: f"{v:g}",
            help="The lectures step on the sum over examples; the slide's example uses 0.0001."),
    Setting("mode", "Gradient from", "Full batch", options=tuple(MODES), widget="radio"),
    Setting("batch", "Batch size", 16, lo=2, hi=128, step=1, kind=int),
    Setting("l2", "L2 strength", 0.0, options=L2_VALUES, widget="select_slider",
            fmt=lambda v: f"{v:g}",
            help="Ascends LL/n − (l2/2)‖θ₁..ₘ‖²; the intercept is not penalised."),
    Setting("features", "Extra inputs", (), options=tuple(FT.FEATURES), widget="multiselect",
            help="Features made from x₁ and x₂, as TF Playground offers them: with x₁² and x₂² "
                 "a circle is a straight line in the inputs' space."),
    speed_setting(20))
LESSONS = {"math": "🧮 The math", "probability": "🎲 Probability → gradient",
           "sigmoid": "〰️ The sigmoid", "hill": "⛰️ The hill", "minibatch": "🎯 Minibatch SGD",
           "examples": "✍️ Worked examples", "compare": "🆚 scikit-learn, Naive Bayes",
           "separable": "📚 Separable data"}
VIEW = settings(
    Setting("lesson", "Lesson", "math", options=tuple(LESSONS), widget="segmented",
            fmt=LESSONS.get, help="One lesson at a time, on the model that is training above."),
    Setting("point", "Training point #", 0, lo=0, hi=999, step=1, kind=int,
            widget="number_input", in_url=False,
            help="Or click a point on the plane."),
    Setting("hill_axes", "Hill over", "θ₁ and θ₂", options=None, widget="selectbox",
            in_url=False))
SPECS = {**DATA, **TRAINING, **VIEW}


# ---- names ---------------------------------------------------------------------------------
def theta_names(extra=()):
    """θ₀ (intercept), θ₁, θ₂, then one per extra input: "θ₃ (x₁²)"."""
    names = ["θ₀ (intercept)", "θ₁", "θ₂"]
    return names + [f"θ{str(3 + i).translate(SUB)} ({name})" for i, name in enumerate(extra)]


def hill_options(extra=()):
    """Pairs of weights the hill can be drawn over: label -> (i, j)."""
    names = theta_names(extra)
    pairs = [(1, 2), (0, 1), (0, 2)] + [(i, j) for i in range(1, len(names))
                                        for j in range(i + 1, len(names)) if j > 2]
    return {f"{names[i]} and {names[j]}": (i, j) for i, j in pairs}


def sk_theta(baseline):
    """scikit-learn's fitted (intercept, coefficients) as the lectures' theta."""
    m = baseline.model
    return np.r_[m.intercept_, m.coef_[0]]


# ---- the top of the page --------------------------------------------------------------------
def status_items(snap):
    theta = snap.theta[:, 0]
    return [("step", f"{snap.step:,}"), ("epoch", f"{snap.epoch:,.1f}"),
            ("train loss −LL/n", num(snap.train_loss)), ("test loss", num(snap.test_loss)),
            ("test accuracy", percent(snap.test_accuracy)),
            ("‖θ₁..ₘ‖", num(np.linalg.norm(theta[1:]), 3))]


def eta_note(lr, n, stable, lecture, full_batch=True):
    """The learning rate in both conventions, and where steps start to overshoot (the full
    batch's bound; a minibatch's or one example's steps can raise the loss at any size)."""
    if lecture:
        head = (f"η = {num(lr / n)} on the lectures' sum (n = {n}) is η = {num(lr)} on the mean "
                f"LL/n.")
    else:
        head = f"η = {num(lr)} on the mean LL/n is {num(lr / n)} on the lectures' sum (n = {n})."
    # in the slider's units: the lectures' sum in lecture mode (a learner reads it against the
    # slider), with the mean's value beside it
    tail = (f" Largest stable step: η ≈ {num(stable / n, 2)} on the lectures' sum (η ≈ "
            f"{num(stable, 2)} on the mean; 2/λ_max at θ = 0)" if lecture else
            f" Largest stable step: η ≈ {num(stable, 2)} (2/λ_max at θ = 0)")
    # "can": the bound is the curvature at θ = 0, and the hill flattens as θ grows (on data a
    # line separates, η = 100 climbs without one overshoot); a note under the curves says
    # when a step did overshoot
    if not full_batch:
        return (head + f" Largest stable step: η ≈ {num(stable, 2)} for the full batch (2/λ_max "
                f"at θ = 0). A minibatch's or one example's step follows its own examples: the "
                f"whole data's loss can rise at any η, and falls on average.")
    return head + tail + (": above it, a step can overshoot where the hill curves as much as "
                          "at θ = 0." if lr > stable else ".")


def overshoot_note(history, full_batch=True, window=30):
    """A sentence when the training loss rose in the curve's last ``window`` points (else None).

    With the full batch, gradient ascent at a stable step only ever lowers −LL/n, so a rise
    means the step jumped past the top of the hill; the note stays while the loss keeps jumping.
    A minibatch's or one example's step may raise the loss at any step size: no note then.
    """
    losses, steps = history.arrays("train_loss", "step").values()
    if not full_batch or losses is None or len(losses) < 2:
        return None
    losses, steps = losses[-window:], steps[-window:]
    rose = np.flatnonzero(np.diff(losses) > 1e-12)
    if not len(rose):
        return None
    i = rose[-1]
    where = f"from {num(losses[i])} to {num(losses[i + 1])} at step {int(steps[i + 1]):,}"
    head = (f"⚠️ The loss rose {where}" if len(rose) == 1 else
            f"⚠️ The loss rose {len(rose)} times in the curve's last {len(losses)} points, last "
            f"{where}")
    return head + ": the step is too large and jumps past the top of the hill."


OURS_LINE, ARROW = "ours: θᵀx = 0 (P = 0.5)", "θ: where P(Y = 1 | x) grows"  # legend names


def theta_arrow(theta, grid, X):
    """An arrow along (θ₁, θ₂), the direction in which P(Y = 1 | x) grows, starting on the
    boundary θᵀx = 0 where it passes nearest the data's centre (None while θ₁ = θ₂ = 0).

    A path shape (the shaft, then an open head), named in the legend: the plane is drawn 1:1,
    so a head in data units is not distorted, and a live chart moves a path shape without a
    full redraw (ui/live_chart.py)."""
    w, b = np.asarray(theta[1:3], float), float(theta[0])
    norm = float(np.linalg.norm(w))
    if norm < 1e-9:
        return None
    c = np.asarray(X, float).mean(axis=0)
    start = c - (b + w @ c) / norm ** 2 * w
    span = min(grid.xs[-1] - grid.xs[0], grid.ys[-1] - grid.ys[0])
    u = w / norm
    end = start + 0.18 * span * u
    inside = all(grid.xs[0] <= p[0] <= grid.xs[-1] and grid.ys[0] <= p[1] <= grid.ys[-1]
                 for p in (start, end))
    if not inside:
        return None
    back, side = 0.05 * span * u, 0.025 * span * np.array([-u[1], u[0]])
    x, y = np.array([start, end, end - back + side, end, end - back - side]).T  # shaft, head
    return F.line_shape(x, y, ARROW)


def plane_figure(snap, grid, split, extra, point, sk=None, sk_proba=None, height=430, hover=True):
    """P(Y = 1 | x) over the plane, drawn 1:1 so the boundary is perpendicular to θ: our
    boundary (a line θᵀx = 0, or a contour with extra inputs) and θ's arrow, scikit-learn's
    boundary dashed, and the chosen training point ringed."""
    X_train, y_train, X_test, y_test = split
    theta = snap.theta[:, 0]
    lines = []
    if not extra:
        ours = F.line_in_box(theta[1:3], theta[0], grid.xs, grid.ys)
        lines.append(dict(x=ours[0], y=ours[1], name=OURS_LINE, color="#111827"))
        if sk is not None:
            theirs = F.line_in_box(sk[1:3], sk[0], grid.xs, grid.ys)
            lines.append(dict(x=theirs[0], y=theirs[1], name="scikit-learn", color="#6b7280",
                              dash="dash"))
    fig = F.surface_figure(grid.xs, grid.ys, snap.grid_proba, X_train, y_train, X_test, y_test,
                           contour=bool(extra), lines=lines, height=height, show_scale=False,
                           title="P(Y = 1 | x): red 0, white ½, blue 1", hover=hover,
                           keep_legend=True)
    # every line keeps its legend entry, drawn or not, in one order: at θ = 0 there is no
    # boundary and no arrow, and their entries appearing at the first step grew the legend by
    # a row and shrank the plane (then swapped places with scikit-learn's)
    if extra and sk_proba is not None:
        fig["layout"]["shapes"].append(
            F.contour_shape(grid.xs, grid.ys, sk_proba, "scikit-learn", "#6b7280", "dash")
            or F.legend_only_shape("scikit-learn", "#6b7280", "dash"))
    fig["data"].append(F.highlight_point(X_train[point, 0], X_train[point, 1],
                                         f"point #{point}"))
    layout = fig["layout"]
    layout["yaxis"].update(scaleanchor="x", scaleratio=1, constrain="domain")
    layout["xaxis"].update(constrain="domain")
    if not extra:
        layout["shapes"].append(theta_arrow(theta, grid, np.vstack([X_train, X_test]))
                                or F.legend_only_shape(ARROW))
    return fig


START_HINT = "Step 0: press ▶ Play or ⏭ Step and the curves start here"
OVERSHOOT_FLAG = "⚠️ the loss rises:<br>the step is too large"


def curves_figure(history, l2=0.0, overshoot=False):
    """Loss and accuracy over the steps. With L2, the objective being climbed is drawn too:
    −LL/n alone may rise while −LL/n + (l2/2)‖θ₁..ₘ‖² still falls. ``overshoot``: the loss is
    rising at too large a step (overshoot_note), said on the loss plot itself, in sight with
    it (the note under the chart was under the screen at 1024x768). Before the first step the
    empty plots say how to start them."""
    h = history.arrays("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
    fig = F.curves_figure(h, title="Loss and accuracy")
    thetas = history.get("theta")
    if l2 and thetas is not None:
        objective = h["train_loss"] + 0.5 * l2 * (thetas[:, 1:] ** 2).sum(axis=1)
        fig["data"].append(dict(type="scatter", x=F._f32(h["step"]), y=F._f32(objective),
                                mode="lines", name="train −LL/n + (l2/2)‖θ₁..ₘ‖²",
                                line=dict(color="#17a589", width=2, dash="dash"),
                                xaxis="x", yaxis="y"))
    layout = fig["layout"]
    notes = layout.setdefault("annotations", [])
    if len(h["step"]) <= 1:  # nothing to draw yet: show where the curves will go
        for axis in ("xaxis", "xaxis2"):
            layout[axis]["range"] = [0, 10]
        layout["yaxis"]["range"] = [0, max(1.0, float(h["train_loss"][0]) * 1.2)]
        notes.append(dict(text=START_HINT, x=0.5, y=0.5, xref="paper", yref="paper",
                          showarrow=False, font=dict(size=12, color="#6b7280")))
    else:
        if overshoot:
            notes.append(dict(text=OVERSHOOT_FLAG, x=0.22, y=1.0, xref="paper", yref="paper",
                              yanchor="top", showarrow=False, bgcolor="rgba(255,255,255,0.85)",
                              font=dict(size=11, color="#b91c1c")))
        # said, not left out: a live chart updated from fixed ranges to none kept them fixed
        # after a Reset (plotly.js's uirevision), and the curves ran off the chart
        for axis in ("xaxis", "xaxis2", "yaxis"):
            layout[axis]["autorange"] = True
    return fig


def thetas_figure(steps, thetas, extra=()):
    return F.trajectories_figure(steps, thetas, theta_names(extra), title="Each θ over time",
                                 y_title="θ")


# ---- the hill ------------------------------------------------------------------------------
def hill_figure(theta, thetas, sk, X1, y, pair, l2, names):
    """The objective over two weights, the others held at their current values (a slice), on a
    log scale of the loss so the climb stays visible when the top is far (separable data);
    the path, θ now, and scikit-learn's θ (the top of the whole hill, when there is one)."""
    i, j = pair
    path_a, path_b = thetas[:, i], thetas[:, j]
    a_values, b_values = hill_axis(path_a, sk[i]), hill_axis(path_b, sk[j])
    objective = log_likelihood_grid(theta, X1, y, i, j, a_values, b_values, l2)
    height = -np.log10(np.maximum(-objective, 1e-12))  # higher is better; never flat near 0
    label = "−log₁₀(−LL/n + penalty)" if l2 else "−log₁₀(−LL/n)"
    fig = F.contour_path_figure(a_values, b_values, height, path_a, path_b, names[i], names[j],
                                z_name=label)
    if a_values[0] <= sk[i] <= a_values[-1] and b_values[0] <= sk[j] <= b_values[-1]:
        fig["data"].append(dict(type="scatter", x=[float(sk[i])], y=[float(sk[j])],
                                mode="markers", name="scikit-learn's θ (the top)",
                                marker=dict(symbol="star", size=16, color="#f1a208",
                                            line=dict(color="#111827", width=1))))
    return fig


def hill_caption(pair, names, theta, separable_without_l2, l2=0.0):
    others = [f"{names[k].split(' ')[0]} = {num(theta[k])}" for k in range(len(theta))
              if k not in pair]
    loss = "the penalised loss −LL/n + (l2/2)‖θ₁..ₘ‖²" if l2 else "the loss −LL/n"
    text = (f"A slice of the hill: the weights not on the axes are held at their current "
            f"values ({', '.join(others)}), so the picture moves as they change; the path is "
            f"drawn over it. Colour: −log₁₀ of {loss}, so that brighter is higher even where "
            f"the loss is tiny.")
    if separable_without_l2:
        text += (" The data is separable and there is no L2: the hill has no top, and the star "
                 "(if shown) is only where scikit-learn stopped.")
    return text


def distance_figure(steps, thetas, sk):
    dist = np.linalg.norm(thetas - sk, axis=1)
    norms = np.linalg.norm(thetas[:, 1:], axis=1)
    return F.trajectories_figure(steps, np.column_stack([dist, norms]),
                                 ["‖θ − θ_sklearn‖", "‖θ₁..ₘ‖"],
                                 title="Distance to scikit-learn's θ, and the size of θ",
                                 y_title="")


# ---- the math of the chosen point and of the last step --------------------------------------
def contributions(theta, X_train, y_train):
    """Each training point's term (y − σ(θᵀx))·x of the gradient, (n, m + 1)."""
    return gradient_contributions(np.reshape(theta, (-1, 1)), add_intercept(X_train),
                                  y_train.reshape(-1, 1).astype(float))[:, :, 0]


def _vector(values):
    return r"\left(" + ", ".join(tex(v) for v in values) + r"\right)"


def _sum_terms(theta, x1):
    """θ₀x₀ + θ₁x₁ + … with the numbers, three terms to a line (inside an aligned block)."""
    terms = [rf"({tex(t)})({tex(v)})" for t, v in zip(theta, x1)]
    return r" \\ &\quad + ".join(" + ".join(terms[i:i + 3]) for i in range(0, len(terms), 3))


def point_math(theta, X_f, y, point, extra=()):
    """The chosen training point: its inputs, z = θᵀx, σ(z), and its own gradient term."""
    x1 = np.r_[1.0, X_f[point]]
    yi = int(y[point])
    z = float(theta @ x1)
    p = 1 / (1 + np.exp(-z))
    intro = (f"**Training point #{point}**: x = ({', '.join(num(v) for v in x1)}) with x₀ = 1 "
             f"first, label y = {yi}. Its term of the gradient is (y − ŷ) x, the last line.")
    lines = [rf"\begin{{aligned}} z = \theta^T x &= {_sum_terms(theta, x1)} \\"
             rf" &= {tex(z)} \end{{aligned}}",
             rf"\hat y = P(Y=1 \mid x) = \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}} = {tex(p)}",
             rf"\sigma'(z) = \sigma(z)(1-\sigma(z)) = {tex(p * (1 - p))}",
             rf"\begin{{aligned}} (y - \hat y)\,x &= ({yi} - {tex(p)}) \cdot {_vector(x1)} \\"
             rf" &= {_vector((yi - p) * x1)} \end{{aligned}}"]
    return intro, lines


def describe_batch(batch, n):
    if isinstance(batch, slice) or batch is None or len(batch) >= n:
        return f"all {n} training examples (full batch)"
    if len(batch) == 1:
        return f"one example, #{int(batch[0])} (SGD)"
    shown = ", ".join(f"#{int(i)}" for i in batch[:6]) + (", …" if len(batch) > 6 else "")
    return f"a minibatch of {len(batch)} examples ({shown})"


def step_math(model, X_f, y, learning_rate, l2, n_steps):
    """The last step exactly as it was taken: which examples, their mean gradient and the
    lectures' sum, and the update θⱼ ← θⱼ + η gⱼ with numbers. Before any step: the first one
    (full batch from θ = 0)."""
    n = len(X_f)
    last = getattr(model, "last_step_", None)
    if last is None or n_steps == 0:
        theta_before = model.get_weights()["theta"][:, 0]
        batch = np.arange(n)
        grad = contributions(theta_before, X_f, y).mean(axis=0)
        head = "**No step yet.** The first full-batch step, from θ = 0, would be:"
    else:
        theta_before, grad = last[0][:, 0], last[1][:, 0]
        batch = model.last_batch_
        head = f"**The last step (step {n_steps:,})** used {describe_batch(batch, n)}:"
    size = n if isinstance(batch, slice) else len(batch)
    after = theta_before + learning_rate * grad
    data_part = grad + l2 * np.r_[0.0, theta_before[1:]]  # g without the L2 pull
    penalty = r" - \ell_2\,\theta_j" if l2 else ""
    lines = [
        rf"g_j = \frac{{1}}{{{size}}} \sum_{{i \in \text{{batch}}}} (y_i - \sigma(\theta^T x_i))"
        rf"\, x_{{ij}}{penalty}",
        rf"g = {_vector(grad)}",
        rf"\text{{the lectures' sum: }} \sum_{{i \in \text{{batch}}}} (y_i - \sigma(\theta^T x_i))"
        rf"\, x_{{ij}} = {_vector(size * data_part)}",
        rf"\begin{{aligned}} \theta &\leftarrow \theta + \eta\, g \\ &= {_vector(theta_before)}"
        rf" + {tex(learning_rate)} \cdot {_vector(grad)} \\ &= {_vector(after)} \end{{aligned}}"]
    return head, lines


def likelihood_math(train_loss, n):
    return (rf"\begin{{aligned}} LL(\theta) &= \sum_{{i=1}}^{{{n}}} y_i \log \sigma(\theta^T x_i)"
            rf" + (1-y_i)\log(1-\sigma(\theta^T x_i)) = {tex(-train_loss * n)} \\"
            rf" \tfrac{{1}}{{n}} LL(\theta) &= {tex(-train_loss)} \end{{aligned}}")


SUM_MEAN_NOTE = ("The lectures write the **sum** over examples and step with a tiny η; this page "
                 "steps on the **mean** LL/n (so one η suits any number of points). The two are "
                 "the same step when η_mean = n · η_sum: every line above shows both.")


def pull_figure(theta, X_f, X_train, y_train, grid):
    """The training points sized by their pull |y − σ(θᵀx)| on the boundary."""
    residual = np.abs(contributions(theta, X_f, y_train)[:, 0])
    traces = F.points_traces(X_train, y_train, "train")
    for trace, k in zip(traces, (0, 1)):  # one points trace per class
        trace["marker"]["size"] = 4 + 22 * residual[y_train == k]
    if len(theta) == 3:
        lx, ly = F.line_in_box(theta[1:], theta[0], grid.xs, grid.ys)
        traces.append(dict(type="scatter", x=lx, y=ly, mode="lines", name="θᵀx = 0",
                           line=dict(color="#111827", width=2)))
    # one scale on both axes: in a wide chart the plot narrows to the data's square (else the
    # x range grew to −15..15 at 1440 px, two thirds of it empty)
    return F.figure(traces, "Pull of each training point", 380,
                    xaxis=F.axis("x1", range=[float(grid.xs[0]), float(grid.xs[-1])],
                                 constrain="domain"),
                    yaxis=F.axis("x2", range=[float(grid.ys[0]), float(grid.ys[-1])],
                                 scaleanchor="x", scaleratio=1))


def pull_table(theta, X_f, y_train, extra=(), top=8):
    """The ``top`` points that pull hardest, with σ(θᵀx) and their pull on each θ."""
    contrib = contributions(theta, X_f, y_train)
    order = np.argsort(-np.abs(contrib[:, 0]))[:top]
    names = [n.split(" ")[0] for n in theta_names(extra)]
    return {"point": order, "y": y_train[order],
            "σ(θᵀx)": [num(y_train[i] - contrib[i, 0]) for i in order],  # θ₀'s term is y − σ
            **{f"pull on {names[j]}": [num(contrib[i, j]) for i in order]
               for j in range(contrib.shape[1])}}


# ---- the sigmoid -----------------------------------------------------------------------------
def sigmoid_figure(theta, X_f, y, point, height=330):
    """σ(z) with every training point at its own z = θᵀx: at y = 0 or 1 (its label) and on the
    curve (what the model says), coloured by class. A line can only sort the points along z."""
    z = add_intercept(X_f) @ theta
    span = max(6.0, float(np.abs(z).max()) * 1.1) if len(z) else 6.0
    grid = np.linspace(-span, span, 241)
    data = [dict(type="scatter", x=F._f32(grid), y=F._f32(1 / (1 + np.exp(-grid))),
                 mode="lines", name="σ(z)", line=dict(color="#111827", width=2.5))]
    rng = np.random.default_rng(0)
    for k in (0, 1):
        zk = z[y == k]
        data.append(dict(type="scatter", x=F._f32(zk),
                         y=F._f32(k + rng.uniform(-0.03, 0.03, len(zk))), mode="markers",
                         name=f"class {k} (label)", marker=dict(size=6, color=F.CLASS_COLORS[k],
                                                                opacity=0.7)))
        data.append(dict(type="scatter", x=F._f32(zk), y=F._f32(1 / (1 + np.exp(-zk))),
                         mode="markers", name=f"class {k}: σ(z)", showlegend=False,
                         marker=dict(size=5, color=F.CLASS_COLORS[k], symbol="circle-open")))
    data.append(F.highlight_point(z[point], float(y[point]), f"point #{point}"))
    return F.figure(data, "σ(z) with every training point at its z = θᵀx", height,
                    xaxis=F.axis("z = θᵀx", range=[-span, span]),
                    yaxis=F.axis("P(Y = 1 | x)", range=[-0.1, 1.1]))


# ---- minibatch SGD: the noisy gradient ---------------------------------------------------------
def gradient_cloud_figure(theta, X_f, y, batch=16, random_state=0, height=360):
    """Each example's own gradient (its θ₁, θ₂ components) around the full gradient, their
    mean, and a few minibatch means: noisy steps whose expectation is the full step."""
    G = example_gradients(theta, X_f, y)
    full = G.mean(axis=0)
    rng = np.random.default_rng(random_state)
    minis = np.array([G[rng.choice(len(G), min(batch, len(G)), replace=False)].mean(axis=0)
                      for _ in range(30)])
    data = [dict(type="scatter", x=F._f32(G[:, 1]), y=F._f32(G[:, 2]), mode="markers",
                 name="one example's gradient (SGD)",
                 marker=dict(size=5, color="#9ca3af", opacity=0.6)),
            dict(type="scatter", x=F._f32(minis[:, 1]), y=F._f32(minis[:, 2]), mode="markers",
                 name=f"a minibatch of {batch}'s mean",
                 marker=dict(size=7, color="#8fb3ee")),
            dict(type="scatter", x=[0.0, float(full[1])], y=[0.0, float(full[2])],
                 mode="lines+markers", name="the full gradient (their mean)",
                 line=dict(color="#e4572e", width=3), marker=dict(size=[1, 10]))]
    return F.figure(data, "The noisy gradients around the full one (θ₁, θ₂ parts)", height,
                    legend=F.BELOW, margin=dict(l=50, r=10, t=45, b=45),
                    xaxis=F.axis("∂/∂θ₁", constrain="domain"),
                    yaxis=F.axis("∂/∂θ₂", scaleanchor="x", scaleratio=1, constrain="domain"))


def batch_curves_figure(curves, height=360):
    data = []
    names = {None: "full batch", 1: "SGD (one example)"}
    for k, (batch, (seen, loss)) in enumerate(curves.items()):
        data.append(dict(type="scatter", x=F._f32(seen), y=F._f32(loss), mode="lines",
                         name=names.get(batch, f"minibatch of {batch}"),
                         line=dict(color=F.PALETTE[k], width=2)))
    return F.figure(data, "Training loss against<br>the examples processed", height,
                    legend=F.BELOW, margin=dict(l=50, r=10, t=45, b=45),
                    xaxis=F.axis("examples processed"), yaxis=F.axis("loss −LL/n"))


# ---- scikit-learn ------------------------------------------------------------------------------
def baseline_call(l2, n, extra=()):
    setting = "C = ∞ (unpenalised)" if l2 == 0 else f"C = 1/(n·l2) = {num(1 / (n * l2))}"
    where = ("the dashed line on the plane" if not extra else
             f"the dashed curve on the plane (a line in x₁, x₂, {', '.join(extra)})")
    return (f"`sklearn.linear_model.LogisticRegression({setting})`, fitted once on the same "
            f"training points and inputs. Its boundary is {where}.")


def baseline_table(snap, baseline, extra=()):
    """Ours and scikit-learn's, one column each, a row per number: as many θ rows as the inputs
    need, and the table stays two numbers wide (across, its last columns were cut at 1024x768)."""
    theta, sk = snap.theta[:, 0], sk_theta(baseline)
    names = [n.split(" ")[0] for n in theta_names(extra)]
    rows = [*((names[j], num(theta[j]), num(sk[j])) for j in range(len(theta))),
            ("train accuracy", percent(snap.train_accuracy), percent(baseline.train_accuracy)),
            ("test accuracy", percent(snap.test_accuracy), percent(baseline.test_accuracy)),
            ("test log-loss", num(snap.test_loss), num(baseline.test_log_loss)),
            ("training", f"{snap.step:,} steps so far", f"{baseline.fit_seconds * 1000:.1f} ms")]
    return {"": [r[0] for r in rows], "ours (now)": [r[1] for r in rows],
            "scikit-learn": [r[2] for r in rows]}


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


def line_cannot_fit(dataset, extra, history, after=50):
    """A pointer to the XOR page (or to the extra inputs) when a line cannot fit the data: its
    training accuracy now and the best in ``history`` so far, once ``after`` steps are taken."""
    accuracy, steps = history.arrays("train_accuracy", "step").values()
    if dataset not in ("xor", "circles", "spiral", "moons") or extra or accuracy is None \
            or steps[-1] < after or np.nanmax(accuracy) >= 0.9:
        return None
    hint = {"circles": "Add **x₁²** and **x₂²** under *Extra inputs*: the circle becomes a line "
                       "in that space; or see",
            "xor": "Add **x₁x₂** under *Extra inputs*, or see"}.get(dataset, "See")
    return (f"A straight line cannot separate this data (training accuracy now "
            f"{percent(accuracy[-1])}, best so far {percent(np.nanmax(accuracy))}). {hint} how "
            f"hidden units bend the boundary on the **XOR and hidden units** page.")


def l2_note(full_batch):
    """What L2 does to the curves, for full-batch steps (the objective falls at every step) or a
    minibatch's (it falls on the whole, each step following its own examples)."""
    falls = "falls" if full_batch else "falls on the whole, with each batch's noise"
    return (f"With L2, training climbs LL/n − (l2/2)‖θ₁..ₘ‖² (the green dashed curve, "
            f"−LL/n + (l2/2)‖θ₁..ₘ‖², {falls}): −LL/n alone may rise, as small weights are "
            f"bought with a little likelihood.")
HILL_TEXT = ("Gradient ascent walks uphill on the log-likelihood; for logistic regression it is "
             "concave (the lectures say \"convex\": one hill, no false tops), so it never gets "
             "stuck.")
HILL_L2_TEXT = (" With L2 on, the hill is the log-likelihood minus the penalty "
                "(l2/2)‖θ₁..ₘ‖²: still one hill, now with a top even on separable data.")
PULL_TEXT = ("**Which points pull the boundary?** Each point's term (y − σ(θᵀx))·x is its pull "
             "on θ. Points already classified with confidence pull almost nothing; "
             "misclassified and borderline points pull hardest (marker size ∝ |y − σ(θᵀx)|).")
SEPARABLE_TEXT = (
    "If a line separates the classes perfectly, scaling θ up by any factor c > 1 keeps the "
    "same line but pushes every σ(θᵀxᵢ) closer to its label, so **LL(θ) rises for ever**: "
    "there is no maximum likelihood estimate. Watch ‖θ₁..ₘ‖ grow without bound (about like log "
    "of the step) and the sigmoid on the plane sharpen into a cliff.\n\n"
    "An **L2 penalty** (l2/2)‖θ₁..ₘ‖² makes large θ cost more than the tiny gain in "
    "likelihood: the objective gets a top, and ‖θ‖ stops growing. With L2 on, the plotted "
    "−LL/n can rise while the penalised objective (the green dashed curve) still falls: training "
    "trades a little likelihood for smaller weights. Try *Linearly separable blobs*, play for a "
    "while, then raise **L2 strength** while it trains.")
SGD_TEXT = (
    "The full gradient is the **average** of the examples' own gradients (grey dots): "
    "(1/n) Σᵢ (yᵢ − σ(θᵀxᵢ)) xᵢ. Pick one example at random and its gradient is, on average, "
    "exactly the full one: its expectation is the full gradient, only noisy. A minibatch's "
    "average (blue) is less noisy. Each noisy step costs 1/n (or b/n) of a full one, so for the "
    "same number of examples processed SGD and minibatches usually get further (left); near "
    "the top their noise keeps them jiggling, which a smaller η calms.")
