"""The backpropagation page's network, any depth, as the learner sees it: the surface with each
example's pull, the network graph of one chosen point with every value and sensitivity, the
lectures' delta recursion with numbers, one training iteration in numbered phases, and the
verdict of a single-example update. Built from numbers; no Streamlit here."""
import numpy as np

from core.activations import DERIVATIVES
from core.handnet import OVERSHOOT_ETAS
from core.ledger import trace
from core.mlp import backprop, forward, input_gradient
from ui import figures as F
from ui.numbers import num, ptex, tex

G_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{relu}"}
G_TEXT = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu"}  # the same in prose
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")  # δ⁽¹⁾ in prose
G_PRIME_TEX = {"sigmoid": r"x (1 - x)", "tanh": r"(1 - x^2)", "relu": r"\mathbf{1}[x > 0]"}


def _vec(v, digits=4):
    return r"\left(" + ", ".join(tex(a, digits) for a in np.ravel(v)) + r"\right)"


# ---- the surface, with each example's pull -------------------------------------------------------
def pull_arrows(coefs, intercepts, activation, X, y, span):
    """One arrow per example: the direction in the plane in which the example's own
    log-likelihood log P(y_i | x_i) grows fastest (its input gradient, (y − ŷ) ∇ₓz), as long
    as |y − ŷ|: how hard, and which way, that example pulls on the network."""
    X = np.asarray(X, float)
    G = input_gradient(X, coefs, intercepts, activation, k=np.asarray(y, int))
    norms = np.linalg.norm(G, axis=1)
    y_hat = forward(X, coefs, intercepts, activation)[-1][:, 0]
    length = 0.12 * span * np.abs(np.asarray(y, float) - y_hat)
    direction = G / np.maximum(norms, 1e-12)[:, None]
    tips = X + direction * length[:, None]
    # each arrow a shaft and a head of two short strokes, all in one path shape: a new set of
    # arrows redraws only the shape, not the chart's traces (see figures.surface_image)
    head = 0.025 * span * np.minimum(1.0, length / (0.04 * span))[:, None]
    back = -direction * head
    side = np.column_stack([-direction[:, 1], direction[:, 0]]) * head * 0.6
    strokes = [(X, tips), (tips, tips + back + side), (tips, tips + back - side)]
    moved = length > 1e-9 * span
    path = " ".join(f"M{a[i, 0]:.5g},{a[i, 1]:.5g} L{b[i, 0]:.5g},{b[i, 1]:.5g}"
                    for i in np.flatnonzero(moved) for a, b in strokes)
    return dict(type="path", path=path or "M0,0", xref="x", yref="y", layer="above",
                name="each example's pull", showlegend=True, visible=bool(path),
                line=dict(color="#111827", width=1.4))


def surface_figure(snap, grid, X, y, point, activation, arrows=True, height=420, hover=True):
    """The network's P(Y = 1 | x) over the plane, the data, each example's pull and the chosen
    point ringed (click a point to choose it)."""
    fig = F.surface_figure(grid.xs, grid.ys, snap.grid_proba, X, y, height=height,
                           show_scale=False, title="P(Y = 1 | x); arrows: each example's pull",
                           hover=hover)
    if arrows:
        span = float(min(grid.xs[-1] - grid.xs[0], grid.ys[-1] - grid.ys[0]))
        fig["layout"]["shapes"].append(pull_arrows(snap.coefs, snap.intercepts, activation, X,
                                                   y, span))
    fig["data"].append(F.highlight_point(X[point, 0], X[point, 1], f"point #{point}"))
    fig["layout"]["yaxis"].update(scaleanchor="x", scaleratio=1, constrain="domain")
    fig["layout"]["xaxis"].update(constrain="domain")
    return fig


# ---- the network graph of one point --------------------------------------------------------------
def graph_of_point(snap, tr, highlight=None, height=380):
    """The network drawn for one example's trace: each unit's output and sensitivity written
    beside it, each weight's value and ∂e/∂w on hover, the layer ``highlight`` ringed."""
    return F.network_figure(snap.coefs, snap.intercepts, tr.signals, tr.outputs,
                            deltas=tr.deltas, grads=tr.coef_grads, labels=True,
                            highlight=highlight, height=height,
                            title="The chosen point's h, and δ = ∂e/∂z (e: its loss)")


# ---- the lectures' recursion, with numbers ----------------------------------------------------------
def sensitivity_latex(tr, coefs, activation):
    """Forward (signals and outputs), the loss, and the sensitivities right to left, each line
    with the numbers: the lectures' backpropagation algorithm for one example."""
    L = len(coefs)  # noqa: N806 (the lectures' L: the output layer)
    g = G_TEX[activation]
    lines = [("Forward", rf"x^{{(0)}} = x = {_vec(tr.x)}")]
    for l in range(1, L + 1):
        out = r"\sigma" if l == L else g
        lines.append(("Forward", rf"s^{{({l})}} = W^{{({l})T}} x^{{({l - 1})}} + b^{{({l})}} = "
                                 rf"{_vec(tr.signals[l - 1])}"))
        lines.append(("Forward", rf"x^{{({l})}} = {out}(s^{{({l})}}) = {_vec(tr.outputs[l - 1])}"
                                 + (r" = \hat y" if l == L else "")))
    lines.append(("The loss", rf"e = -[y \log \hat y + (1 - y) \log(1 - \hat y)] = "
                              rf"{tex(tr.loss)} \qquad (y = {tr.y})"))
    lines.append(("Backward", rf"\delta^{{({L})}} = \frac{{\partial e}}{{\partial s^{{({L})}}}} = "
                              rf"\hat y - y = {tex(tr.y_hat)} - {tr.y} = {_vec(tr.deltas[-1])}"))
    for l in range(L - 1, 0, -1):
        propagated = coefs[l] @ tr.deltas[l]
        slope = DERIVATIVES[activation](tr.outputs[l - 1])  # g′(s), from g(s) as core.mlp does
        lines.append(("Backward",
                      rf"\begin{{aligned}} \delta^{{({l})}} &= {g}'(s^{{({l})}}) \otimes "
                      rf"\big(W^{{({l + 1})}} \delta^{{({l + 1})}}\big) \\ &= {_vec(slope, 3)} "
                      rf"\otimes {_vec(propagated, 3)} \\ &= {_vec(tr.deltas[l - 1])}"
                      rf" \end{{aligned}}"))
    lines.append(("Gradients", r"\frac{\partial e}{\partial W^{(l)}_{ij}} = x^{(l-1)}_i\, "
                               r"\delta^{(l)}_j, \qquad \frac{\partial e}{\partial b^{(l)}_j} = "
                               r"\delta^{(l)}_j"))
    return lines


def weight_example(tr, layer, i, j):
    """One weight's gradient by the last line of the recursion, with its numbers."""
    inputs = [tr.x, *tr.outputs[:-1]]
    a, d = float(inputs[layer - 1][i]), float(tr.deltas[layer - 1][j])
    return (rf"\frac{{\partial e}}{{\partial W^{{({layer})}}_{{{i + 1}{j + 1}}}}} = "
            rf"x^{{({layer - 1})}}_{i + 1}\, \delta^{{({layer})}}_{j + 1} = {ptex(a)} \cdot "
            rf"{ptex(d)} = {tex(a * d)}")


def first_live_unit(tr):
    """The first hidden unit that is on for this example (a dead ReLU unit's chain ends in 0)."""
    alive = np.flatnonzero(np.abs(tr.outputs[0]) > 1e-12)
    return int(alive[0]) if len(alive) else 0


# ---- one iteration in slow motion ---------------------------------------------------------------------
def phases(n_layers):
    """The numbered phases of one full-batch training iteration."""
    return (["forward", "loss"] + [f"backward {l}" for l in range(n_layers, 0, -1)]
            + ["update", "boundary"])


def phase_view(phase, tr, X, Y, coefs, intercepts, activation, eta, losses=None):
    """(title, explanation, LaTeX lines, layer to highlight) for one phase, with the chosen
    point's numbers (and the batch's, where the step uses them)."""
    L = len(coefs)  # noqa: N806
    g = G_TEX[activation]
    n = len(X)
    if phase == "forward":
        outs = [r"\sigma" if l == L else g for l in range(1, L + 1)]
        lines = [rf"x^{{({l})}} = {out}(W^{{({l})T}} x^{{({l - 1})}} + b^{{({l})}}) = "
                 rf"{_vec(tr.outputs[l - 1], 3)}" for l, out in zip(range(1, L + 1), outs)]
        return ("Forward", f"Every one of the {n} examples goes through the network, layer by "
                           "layer; the chosen point's values:", lines, 1)
    if phase == "loss":
        return ("The loss", f"Each example's loss e = −log P(its label | x); training descends "
                            f"their mean, J = −LL/n over all {n}:",
                [rf"e = {tex(tr.loss)}, \qquad J = \frac{{1}}{{{n}}}\sum_i e_i = "
                 rf"{tex(losses[0]) if losses else ''}"], L)
    if phase.startswith("backward"):
        l = int(phase.split()[1])
        if l == L:
            return (f"Backward, layer {l} (the output)", "The output's sensitivity needs no "
                    "chain: the sigmoid's slope cancels the log's.",
                    [rf"\delta^{{({L})}} = \hat y - y = {tex(tr.y_hat)} - {tr.y} = "
                     rf"{tex(tr.deltas[-1][0])}"], L)
        if l == L + 1:
            return ("Backward starts", "Backpropagation walks right to left, reusing each "
                    "layer's δ for the layer before it.", [], None)
        return (f"Backward, layer {l}", f"One layer down: δ⁽{str(l).translate(SUPERSCRIPT)}⁾ "
                f"from δ⁽{str(l + 1).translate(SUPERSCRIPT)}⁾, times the "
                f"slope {G_TEXT[activation]}′ of each unit.",
                [rf"\delta^{{({l})}} = {g}'(s^{{({l})}}) \otimes (W^{{({l + 1})}} \delta^{{({l + 1})}})"
                 rf" = {_vec(tr.deltas[l - 1], 3)}"], l)
    if phase == "update":
        gW, gb = backprop(X, Y, coefs, intercepts, activation)
        sizes = [float(np.sqrt((W ** 2).sum() + (b ** 2).sum())) for W, b in zip(gW, gb)]
        return ("Update", f"Every weight is about to move against its gradient averaged over "
                          f"the {n} examples: θ ← θ − η ∂J/∂θ (the lectures' θ + η ∂LL/∂θ), "
                          f"η = {num(eta)}. The gradient's size per layer, at the weights shown:",
                [r"\|\partial J / \partial \theta^{(l)}\| = " + ", ".join(
                    rf"{tex(s, 3)}\ (l = {l + 1})" for l, s in enumerate(sizes))], None)
    return ("The new boundary", "The step is taken: the surface and the graph now show the "
            "network after it"
            + (f": J went from {num(losses[0])} to {num(losses[1])}." if losses and len(losses) > 1
               else "."), [], None)


# ---- the verdict of one single-example update --------------------------------------------------------
def update_verdict(u, overshoot=None):
    """(kind, text): judged on what the learner watches, the example's own LL and the data set's."""
    example = (f"point #{u.point}'s loss went from {num(u.loss_before)} to "
               f"{num(u.loss_after)}")
    data = f"the data set's loss from {num(u.data_loss_before)} to {num(u.data_loss_after)}"
    limit = (f" For this point, any η above ≈ {num(overshoot, 2)} overshoots."
             if overshoot is not None else "")
    if not u.example_improved:
        return "error", (f"With η = {num(u.eta)} the step overshot: {example} (up: it jumped past "
                         f"the top of its own hill), and {data}.{limit} Undo, and try a "
                         f"smaller η.")
    if u.data_improved:
        return "success", (f"With η = {num(u.eta)} the step went uphill on LL: {example}, and "
                           f"{data} too.")
    return "warning", (f"With η = {num(u.eta)} {example} (uphill on its own LL), but {data}: a "
                       f"step for one example can cost the others, which is why training "
                       f"averages over many.{limit}")


def overshoot_text(point, own, data, etas=OVERSHOOT_ETAS):
    """Where one update on the example starts to overshoot, of the steps ``etas`` tried (a grid:
    what it says holds on it, not between or beyond): for the data set, for itself."""
    tried = f"of {len(etas)} steps tried from η = {num(etas[0], 2)} to {num(etas[-1])}"
    if data is None:
        first = f"For point #{point}, none {tried} raises the data set's loss."
    elif data <= etas[0]:
        first = (f"For point #{point}, every one {tried} makes the data set's loss rise: this "
                 f"example's gradient points away from what the others need.")
    else:
        first = (f"For point #{point}, the smallest {tried} that makes the data set's loss rise "
                 f"is η ≈ {num(data, 2)}: what suits this example pulls the boundary away from "
                 f"the others.")
    second = (f" Its own loss rises from η ≈ {num(own, 2)}: the step jumps past the top of its "
              f"own hill." if own is not None else
              " None of them raises its own loss: its output only moves towards its label.")
    return first + second
