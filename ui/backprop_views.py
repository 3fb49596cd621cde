"""What the backpropagation page shows, built from numbers: the graph's figure and chain-rule
LaTeX, one example's ledger, the update's verdict, the gradient check, the cost table and the
small facts. No Streamlit here."""
import numpy as np

from core import DATASETS
from core.activations import ACTIVATIONS, DERIVATIVES
from core.graph import LECTURE_INPUTS, backward, backward_order, lecture_graph
from core.ledger import parameter_counts
from core.mlp import backprop
from ui.backprop_figures import RADIUS_PX, activation_figure, graph_figure
from ui.backprop_text import chain_latex, graph_marks, partial, reuse_text
from ui.numbers import num, percent, ptex, tex
from ui.live import speed_setting
from ui.settings import Setting, settings

RANDOM, OR_AND = "Random weights (seed)", "The lectures' OR/AND weights"
CORRECT = "core.mlp.backprop (correct)"
G_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{relu}"}
G_SLOPE_TEX = {"sigmoid": "h_j(1 - h_j)", "tanh": "(1 - h_j^2)", "relu": r"\mathbf{1}[h_j > 0]"}
ABC_LIMIT = 1e6  # the graph's inputs stay within ±ABC_LIMIT (in the boxes and in a link)
PARTS = {"graph": "① The computation graph", "slow": "② Training in slow motion",
         "example": "③ One example, every derivative", "check": "④ Gradient check and its cost",
         "expression": "⑤ Your own expression", "facts": "⑥ Small facts"}
SPECS = settings(
    *(Setting(name, name, default, lo=-ABC_LIMIT, hi=ABC_LIMIT, step=1.0, widget="number_input")
      for name, default in zip(LECTURE_INPUTS, (3.0, 1.0, -2.0))),
    Setting("start", "Start from", RANDOM, options=(RANDOM, OR_AND), widget="radio",
            help="The OR/AND weights are the lectures' XOR network set by hand: 2 sigmoid hidden "
                 "units, an OR unit and an AND unit."),
    Setting("layers", "Hidden layers", 1, lo=1, hi=3, step=1, kind=int,
            help="The lectures' network has one; with more, the same δ recursion goes on."),
    Setting("hidden", "Units per hidden layer |h|", 2, lo=1, hi=6, step=1, kind=int),
    Setting("activation", "Hidden activation g", "sigmoid", options=("sigmoid", "tanh", "relu"),
            widget="radio", help="The lectures use sigmoid units; their formulas then hold "
                                 "exactly as written, with g′(z) = h(1 − h)."),
    Setting("dataset", "Dataset", "xor", options=tuple(DATASETS), widget="selectbox",
            fmt=lambda key: DATASETS[key].title),
    Setting("n", "Number of points", 40, lo=8, hi=200, step=4, kind=int),
    Setting("noise", "Noise", 0.1, lo=0.0, hi=1.0, step=0.05),
    Setting("seed", "Seed", 2, lo=0, hi=9999, step=1, kind=int, widget="number_input",
            help="Seeds the data and the random initial weights."),
    Setting("lr", "Learning rate for training", 1.0,
            options=(0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0), widget="select_slider",
            fmt=lambda v: f"{v:g}", help="Full-batch steps on all the points."),
    speed_setting(20),
    Setting("part", "Part", "graph", options=tuple(PARTS), widget="segmented", fmt=PARTS.get),
    Setting("point", "Training point #", 0, lo=0, hi=199, step=1, kind=int,
            widget="number_input"),
    Setting("eta", "Step size η", 0.3, options=(0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0),
            widget="select_slider", fmt=lambda v: f"{v:g}"))


# ---- ① the computation graph --------------------------------------------------------------
def graph_view(inputs, k, radius_px=RADIUS_PX):
    """The lectures' graph at ``inputs`` after ``k`` backward steps: (figure, a sentence about
    the step, the chain-rule LaTeX of every step so far, the closing text or None, steps); its
    circles ``radius_px`` in radius."""
    graph = lecture_graph(**inputs)
    steps, order = backward(graph), backward_order(graph)
    values = {n.name: n.value for n in graph.nodes}
    nodes, edges = graph_marks(graph, steps, order, k)
    if k == 0:
        message = (f"**Forward pass done:** d = {num(values['d'])}, e = {num(values['e'])}, "
                   f"L = {num(values['L'])}. Press **Step backward** to start from ∂L/∂L = 1.")
    else:
        s = steps[k - 1]
        message = f"**Step {k} of {len(steps)}:** ∂L/∂{s.node} = {num(s.grad)}. " + reuse_text(s)
    closing = None
    if k == len(steps):
        a, b, c = (inputs[n] for n in LECTURE_INPUTS)
        dL = lecture_graph(a, b + 1e-3, c)["L"].value - values["L"]
        closing = (f"All done. By hand: ∂L/∂a = c = {num(c)}, ∂L/∂b = 2c = {num(2 * c)}, "
                   f"∂L/∂c = a + 2b = {num(a + 2 * b)}: the same numbers. A check by nudging: "
                   f"b → b + 0.001 changes L by {num(dL)}, which is 0.001 × ∂L/∂b = "
                   f"{num(1e-3 * 2 * c)}.")
    return (graph_figure(nodes, edges, height=400, radius_px=radius_px), message,
            [chain_latex(s, values) for s in steps[:k]], closing, len(steps))


# ---- ② one example, every derivative -------------------------------------------------------
def point_text(X, y, point, book, loss, accuracy):
    x = X[point]
    return (f"**Point #{point}:** x = ({num(x[0])}, {num(x[1])}), label **y = {book.y}**; the "
            f"network says ŷ = P(Y = 1 | x) = **{num(book.y_hat)}**, so this point's loss −LL = "
            f"**{num(book.loss)}**.  \nWhole data set: loss −LL/n = {num(loss)}, accuracy "
            f"{percent(accuracy, 0)}.")


def forward_latex(book, activation):
    """x → h → ŷ → LL with the numbers, each a short aligned block (it fits a narrow column)."""
    g, x1, m = G_TEX[activation], book.x, len(book.z_h)
    lines = [rf"x = (x_0, x_1, x_2) = (1,\ {tex(x1[1], 3)},\ {tex(x1[2], 3)}), \qquad y = {book.y}"]
    for j in range(m):
        terms = " + ".join(rf"{ptex(x1[i], 3)} \cdot {ptex(book.theta_h[i, j], 3)}"
                           for i in range(len(x1)))
        lines.append(rf"\begin{{aligned}} h_{j + 1} &= {g}\Big(\sum_i x_i \theta_{{i,{j + 1}}}^{{(h)}}"
                     rf"\Big) \\ &= {g}({terms}) \\ &= {g}({tex(book.z_h[j])}) = "
                     rf"{tex(book.h[j + 1])} \end{{aligned}}")
    terms = [rf"{ptex(book.h[j], 3)} \cdot {ptex(book.theta_y[j], 3)}" for j in range(m + 1)]
    rows = [" + ".join(terms[r:r + 3]) for r in range(0, len(terms), 3)]
    lines.append(r"\begin{aligned} \hat y &= \sigma\Big(\sum_j h_j \theta_j^{(y)}\Big) \\ &= "
                 r"\sigma(" + r" \\ &\qquad + ".join(rows) + rf") \\ &= \sigma({tex(book.z_y)}) = "
                 rf"{tex(book.y_hat)} \end{{aligned}}")
    lines.append(rf"\begin{{aligned}} LL &= y \log \hat y + (1 - y) \log(1 - \hat y) \\ &= "
                 rf"{book.y} \log {tex(book.y_hat)} + {1 - book.y} \log {tex(1 - book.y_hat)} = "
                 rf"{tex(book.LL)} \end{{aligned}}")
    return lines


def forward_rows(book):
    m = len(book.z_h)
    return {"value": ["x₀", "x₁", "x₂", "h₀", *[f"z{j} = Σᵢ xᵢ θ(h)[i,{j}]" for j in
                                                range(1, m + 1)],
                      *[f"h{j} = g(z{j})" for j in range(1, m + 1)], "z = Σⱼ hⱼ θ(y)[j]",
                      "ŷ = σ(z)", "LL", "−LL"],
            "what": ["constant 1 (the bias input)", "input", "input",
                     "constant 1 (the bias input)", *["hidden unit's weighted input"] * m,
                     *[f"hidden unit {j}'s output" for j in range(1, m + 1)],
                     "output's weighted input", "P(Y = 1 | x)", "log-likelihood of this example",
                     "its loss (cross-entropy)"],
            "number": [num(v) for v in (*book.x, 1.0, *book.z_h, *book.h[1:], book.z_y, book.y_hat, book.LL,
                                        book.loss)]}


def weight_pickers(hidden, live_unit=1):
    """The settings that pick one output weight θ_j^(y) and one hidden weight θ_ij^(h); the
    hidden one starts at ``live_unit`` (a unit that is on for the point: a dead ReLU unit's
    chain ends in 0)."""
    return (Setting("j_out", r"Output weight $\theta_j^{(y)}$, $j$ =", live_unit,
                    options=tuple(range(hidden + 1)), widget="selectbox", in_url=False,
                    fmt=lambda j: f"{j} (bias, on h₀ = 1)" if j == 0 else str(j)),
            Setting("i_in", r"Hidden weight $\theta_{i,j}^{(h)}$, $i$ =", 1, options=(0, 1, 2),
                    widget="selectbox", in_url=False,
                    fmt=lambda i: f"{i} (bias, on x₀ = 1)" if i == 0 else str(i)),
            Setting("j_hid", r"… and $j$ =", live_unit, options=tuple(range(1, hidden + 1)),
                    widget="selectbox", in_url=False))


def backward_latex(book, j_out, i_in, j_hid, activation):
    """The chain rule for one output weight and one hidden weight: symbols, then numbers (four
    aligned blocks that fit a narrow column)."""
    dyhat = r"\left[\frac{y}{\hat y} - \frac{1-y}{1-\hat y}\right]"
    out, hid = rf"\theta_{j_out}^{{(y)}}", rf"\theta_{{{i_in},{j_hid}}}^{{(h)}}"
    slope = G_SLOPE_TEX[activation].replace("j", str(j_hid))
    d_ll_yhat, d_yhat_z = partial("LL", r"\hat y"), partial(r"\hat y", "z")
    d_yhat_h, d_h_theta = partial(r"\hat y", f"h_{j_hid}"), partial(f"h_{j_hid}", hid)
    return [
        rf"\begin{{aligned}} {partial('LL', out)} &= {d_ll_yhat} \cdot {d_yhat_z} \cdot "
        rf"{partial('z', out)} \\ &= {dyhat} \cdot \hat y (1 - \hat y) \cdot h_{j_out} "
        rf"\end{{aligned}}",
        rf"\begin{{aligned}} &= {ptex(book.dLL_dyhat)} \cdot {ptex(book.dyhat_dz)} \cdot "
        rf"{ptex(book.h[j_out])} \\ &= (y - \hat y)\, h_{j_out} = ({book.y} - {tex(book.y_hat)})"
        rf" \cdot {ptex(book.h[j_out])} = \mathbf{{{tex(book.grad_theta_y[j_out])}}} "
        rf"\end{{aligned}}",
        rf"\begin{{aligned}} {partial('LL', hid)} &= {d_ll_yhat} \cdot {d_yhat_h} \cdot "
        rf"{d_h_theta} \\ &= {dyhat} \cdot \hat y (1 - \hat y)\, \theta_{j_hid}^{{(y)}} \cdot "
        rf"{slope}\, x_{i_in} \end{{aligned}}",
        rf"\begin{{aligned}} &= {ptex(book.dLL_dyhat)} \cdot {ptex(book.dyhat_dz)} \cdot "
        rf"{ptex(book.theta_y[j_hid])} \cdot {ptex(book.dh_dz[j_hid - 1])} \cdot "
        rf"{ptex(book.x[i_in], 3)} \\ &= (y - \hat y)\, \theta_{j_hid}^{{(y)}}\, {slope}\, "
        rf"x_{i_in} = \mathbf{{{tex(book.grad_theta_h[i_in, j_hid - 1])}}} \end{{aligned}}"]


def backward_caption(activation):
    return ("The first two factors are shared by every weight: backpropagation computes "
            "(y − ŷ) once and reuses it, then θⱼ⁽ʸ⁾·g′(zⱼ) once per hidden unit, and each "
            "hidden weight only multiplies by its own input xᵢ."
            + ("" if activation == "sigmoid" else f" With {activation} units, hⱼ(1 − hⱼ) "
               "becomes g′(zⱼ) = " + ("1 − hⱼ²." if activation == "tanh"
                                      else "1 where hⱼ > 0, else 0.")))


def every_weight(X, Y, coefs, intercepts, activation, point, book):
    """Each weight's ∂LL/∂θ from the ledger beside −∂J/∂θ from ``core.mlp.backprop``."""
    gW, gb = backprop(X[point:point + 1], Y[point:point + 1], coefs, intercepts, activation)
    m, slope = len(book.z_h), (lambda j: f"h{j}(1 − h{j})" if activation == "sigmoid"
                               else f"g′(z{j})")
    rows = [(f"θ(y)[{j}]", f"(y − ŷ) h{j}", book.grad_theta_y[j],
             -(gb[1][0] if j == 0 else gW[1][j - 1, 0])) for j in range(m + 1)]
    rows += [(f"θ(h)[{i},{j}]", f"(y − ŷ) θ(y)[{j}] {slope(j)} x{i}", book.grad_theta_h[i, j - 1],
              -(gb[0][j - 1] if i == 0 else gW[0][i - 1, j - 1]))
             for i in range(3) for j in range(1, m + 1)]
    return {"weight": [r[0] for r in rows], "formula": [r[1] for r in rows],
            "∂LL/∂θ (ledger)": [num(r[2], 6) for r in rows],
            "−∂J/∂θ (core.mlp.backprop)": [num(r[3], 6) for r in rows]}


# ---- ③ the gradient check and its cost ------------------------------------------------------
def agreement_text(max_relative_error):
    """How many significant digits backprop and finite differences share, as words: a relative
    error of 7.9×10⁻⁸ is 7 digits (the message said "about 8" whatever the error)."""
    if max_relative_error <= 0:
        return "to every digit shown"
    digits = int(np.floor(-np.log10(max_relative_error)))
    return f"to {digits} significant digit{'s' if digits != 1 else ''} or more"


def check_table(result):
    order = np.argsort(-result.relative_error, kind="stable")
    return {"parameter": [result.names[i] for i in order],
            **{name: [num(v) for v in values[order]] for name, values in (
                ("backprop ∂J/∂θ", result.analytic), ("numerical ∂J/∂θ", result.numeric),
                ("absolute error", result.absolute_error),
                ("relative error", result.relative_error))}}


def cost_table(rows):
    """Each network's parameters and both ways' time (the 2P forward passes are in the text: a
    column of them pushed the ratio out of sight at 1024 px)."""
    return {"hidden units |h|": [r.hidden for r in rows],
            "parameters P": [f"{r.n_params:,}" for r in rows],
            "backprop (ms)": [f"{r.backprop_seconds * 1000:.3f}" for r in rows],
            "numerical (ms)": [f"{r.numerical_seconds * 1000:.1f}" for r in rows],
            "numerical / backprop": [f"×{r.ratio:,.0f}" for r in rows]}


# ---- ④ small facts --------------------------------------------------------------------------
ACTIVATION_TEX = {"sigmoid": [r"\sigma(z) = \frac{1}{1 + e^{-z}}",
                             r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))"],
                  "tanh": [r"\tanh(z)", r"\tanh'(z) = 1 - \tanh^2(z)"],
                  "relu": [r"\mathrm{relu}(z) = \max(0, z)",
                           r"\mathrm{relu}'(z) = \mathbf{1}[z > 0]"]}
ACTIVATION_NOTES = {
    "sigmoid": "The slope is written with the output: backpropagation already has h = σ(z) "
               "from the forward pass. It is at most 1/4 (at z = 0): each sigmoid layer "
               "multiplies the signal flowing backwards by 1/4 or less (times its weights).",
    "tanh": "A stretched sigmoid, tanh(z) = 2σ(2z) − 1: slope 1 at z = 0, near 0 once |z| > 3.",
    "relu": "Slope 1 wherever the unit is on, 0 where it is off (at z = 0 we take 0)."}


def activation_view(name, z0):
    """The activation's figure and the LaTeX of its value and slope at z0."""
    z = np.linspace(-6, 6, 241)
    gz = ACTIVATIONS[name](z)
    g0 = float(ACTIVATIONS[name](np.array(z0)))
    dg0 = float(DERIVATIVES[name](np.array(g0)))
    how = {"sigmoid": rf"{tex(g0)}\,(1 - {tex(g0)})", "tanh": rf"1 - {ptex(g0)}^2",
           "relu": rf"\mathbf{{1}}[{ptex(z0, 3)} > 0]"}[name]
    return (activation_figure(z, gz, DERIVATIVES[name](gz), name, z0, g0, dg0),
            [rf"\text{{at }} z = {tex(z0, 3)}: \quad g(z) = {tex(g0)}",
             rf"g'(z) = {how} = {tex(dg0)}"])


def parameter_latex(n_x, n_h, bias):
    counts = parameter_counts(n_x, n_h, bias=bias)
    extra = 1 if bias else 0
    h_in, x_in = ("(|h| + 1)", "(|x| + 1)") if bias else ("|h|", "|x|")
    return counts, [
        rf"|\theta^{{(y)}}| = {h_in} \cdot |y| = {tex(n_h + extra)} \cdot 1 = "
        rf"{tex(counts['theta_y'])}",
        rf"|\theta^{{(h)}}| = {x_in} \cdot |h| = {tex(n_x + extra)} \cdot {tex(n_h)} = "
        rf"{tex(counts['theta_h'])}",
        rf"\text{{total}} = {tex(counts['theta_y'])} + {tex(counts['theta_h'])} = "
        rf"\mathbf{{{tex(counts['total'])}}}"]


# ---- the page's words -----------------------------------------------------------------------
LEDE = ("A network learns by following ∂LL/∂θ for every weight θ. **Backpropagation** gets all of "
        "them from one pass backwards through the computation, right to left, multiplying local "
        "derivatives (the chain rule) and reusing each result. Below: a small graph stepped by "
        "hand, every derivative of a small network for one training example, and the check that "
        "shows backpropagation is right, and why nobody uses the slow way.")
LECTURE = ("backpropagation as reverse differentiation on a computation graph, L = c(a + 2b); "
           "∂LL/∂θ for output and hidden weights; the numerical approach is correct but "
           "inefficient; counting parameters.")
GRAPH_LEAD = ("The lectures' example: **L(a, b, c) = c (a + 2b)**, computed in three small "
              "operations, **d = 2b**, **e = a + d**, **L = c · e**.")
GRAPH_TEXT = ("The forward pass goes left to right and writes each node's value. The backward "
              "pass starts at the right with ∂L/∂L = 1 and moves left one node at a time: each "
              "node's derivative is the derivative of the node it feeds times that node's *local* "
              "derivative (the chain rule).")
GRAPH_NOTE = ("(The lecture notes list the third operation as L = e · e; it is L = c · e, which "
              "is what c(a + 2b) needs.)")
GRAPH_CAPTION = ("Black: the forward values. Red: the derivatives of L, written under each node "
                 "as the backward pass reaches it, and on each edge its local derivative once it "
                 "is used. The orange node is the one just computed.")
BIAS_NOTE = (r"**Biases are weights on a constant input.** A constant $x_0 = 1$ joins the inputs "
             r"and $h_0 = 1$ the hidden units, so $\theta_{0,j}^{(h)}$ and $\theta_0^{(y)}$ are "
             r"the biases, and the same formulas cover them.")
SIGN_NOTE = ("The sign, said once: the lectures climb the log-likelihood (gradient ascent on LL); "
             "`core.mlp.backprop` returns the gradient of the loss J = −LL/n that training "
             "descends. For one example (n = 1), ∂LL/∂θ = −∂J/∂θ.")
CHECK_NOTE = ("Worst first. θ(h)[i,j] joins input i to hidden unit j, θ(y)[j] hidden unit j to "
              "the output; index 0 is the bias (the constant input 1). Relative errors under "
              "~10⁻⁷ are what float64 and ε = 10⁻⁶ allow; for tiny gradients (under ~10⁻⁶) the "
              "differences' own rounding, ~10⁻¹⁰, dominates, so an absolute error under 10⁻⁸ "
              "also passes.")
COST_TEXT = ("The numerical gradient needs **two forward passes per parameter**: 2P passes for P "
             "parameters. Backpropagation gets all P derivatives from **one forward and one "
             "backward pass**, whatever P. Time both on networks of growing size: |x| = 40 inputs "
             "(the lectures' quiz), one hidden layer of |h| units, one output, 32 examples.")
QUIZ_NOTE = ("The lectures count weights only (40 × 20 = 800 and 20, so 820). With the biases as "
             "weights on the constant inputs x₀ = 1 and h₀ = 1, each layer has one more input: "
             "41 × 20 = 820 and 21, so 841. The numerical gradient would need twice that many "
             "forward passes for one gradient.")


def check_text(n_params, n_points):
    return ("How do we know backpropagation is right? Nudge each parameter a little both ways "
            "and watch the loss: the **central difference** [J(θ + ε) − J(θ − ε)] / 2ε "
            "approximates ∂J/∂θ without any calculus. Here for every parameter of the current "
            f"network ({n_params} of them), on all {n_points} points, with J = −LL/n and "
            "ε = 10⁻⁶.")


def cost_summary(rows):
    return (f"With {rows[-1].n_params:,} parameters the numerical gradient takes "
            f"**{rows[-1].ratio:,.0f} times** as long as backpropagation. The gap grows in "
            "proportion to P: backpropagation's cost hardly moves (one pass each way, whatever "
            "P), the numerical one makes 2P passes. A network for real digits has hundreds of "
            "thousands of parameters, and training needs a fresh gradient at every step.")
