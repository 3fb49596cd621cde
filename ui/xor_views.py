"""What the XOR page shows, built from numbers: figures, tables and text (no Streamlit here)."""
import numpy as np

from core import features as FT
from core.hidden import hidden_space, unit_values
from core.mlp import backprop, forward, xor_by_sign
from ui import figures as F
from ui.numbers import num, percent
from ui.page import data_settings, file_settings
from ui.live import speed_setting
from ui.settings import Setting, settings

LEARNING_RATES = (1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATION_NAMES = ("tanh", "sigmoid", "relu", "linear")
PRESETS = {"": "none", "or_and": "OR/AND (sigmoid), this page's shortcut",
           "sign": "the lectures' sign network"}
DATA = data_settings(keys=("xor", "circles", "moons", "spiral", "overlapping"), noise=0.1)
NETWORK = settings(
    Setting("layers", "Hidden layers", 1, lo=0, hi=3, step=1, kind=int,
            help="0: no hidden layer, the MLP is a logistic regression."),
    Setting("hidden", "Units in hidden layer 1", 4, lo=1, hi=32, step=1, kind=int),
    Setting("hidden2", "Units in hidden layer 2", 4, lo=1, hi=32, step=1, kind=int),
    Setting("hidden3", "Units in hidden layer 3", 4, lo=1, hi=32, step=1, kind=int),
    Setting("activation", "Activation g", "tanh", options=ACTIVATION_NAMES, widget="radio",
            help="linear: g(z) = z. Stacked linear layers are one linear map: a straight "
                 "boundary, however many layers."),
    Setting("lr", "Learning rate η", 0.3, options=LEARNING_RATES, widget="select_slider",
            fmt=lambda v: f"{v:g}"),
    Setting("batch", "Batch size", 16, options=(1, 4, 8, 16, 32, 64, 128, "full"),
            widget="select_slider", help="full: every training point at every step."),
    Setting("l2", "L2 strength", 0.0, options=(0.0, 1e-4, 1e-3, 0.01, 0.1),
            widget="select_slider", fmt=lambda v: f"{v:g}"),
    Setting("l1", "L1 strength", 0.0, options=(0.0, 1e-4, 1e-3, 0.01, 0.1),
            widget="select_slider", fmt=lambda v: f"{v:g}",
            help="Pulls every weight towards 0 at one speed: small ones end at exactly 0 "
                 "(their edges vanish from the diagram): a sparse network."),
    Setting("features", "Extra inputs", (), options=tuple(FT.FEATURES), widget="multiselect",
            help="Features made from x₁ and x₂, as in TF Playground."),
    speed_setting(100))
VIEW = settings(
    Setting("source", "Points from", "Generated", options=("Generated", "Uploaded CSV"),
            widget="radio", in_url=False),
    Setting("standardise", "Standardise the CSV's inputs", True, kind=bool, widget="toggle",
            in_url=False),
    Setting("point", "Training point # (for the network's hover values)", 0, lo=0, hi=5999,
            step=1, kind=int, widget="number_input", in_url=False),
    Setting("click", "A click on the MLP's plane", "adds class 0",
            options=("adds class 0", "adds class 1", "removes the nearest added point"),
            widget="radio", in_url=False),
    Setting("discretize", "Discretize the output", False, kind=bool, widget="toggle",
            in_url=False, help="Show only which class the network says (P > 0.5), not P."),
    Setting("show_test", "Show the test points", True, kind=bool, widget="toggle", in_url=False),
    Setting("sk_epochs", "Epochs for scikit-learn", 300, lo=10, hi=2000, step=10, kind=int,
            in_url=False),
    Setting("preset", "Start from", "", options=tuple(PRESETS), widget="radio", in_url=False,
            fmt=PRESETS.get),
    Setting("steepness", "Steepness k of the sign units, tanh(k z)", 5.0, lo=0.5, hi=20.0,
            step=0.5, in_url=False))
SPECS = {**DATA, **NETWORK, **VIEW}

PRESET_TEXT = {
    "or_and": "The MLP starts from hand-made sigmoid weights: h₁ = OR, h₂ = AND, and the output "
              "fires for OR and not AND, which is XOR. This is the page's own shortcut (2-2-1); "
              "the lectures build XOR with sign units: see *the lectures' sign network*.",
    "sign": "The lectures' network (2-2-2-1): two separators h₁ = sign(x₁), h₂ = sign(x₂), the "
            "perceptrons AND(h₁, h̄₂) = sign(h₁ − h₂ − 1.5) and AND(h̄₁, h₂), and OR(a, b) = "
            "sign(a + b + 1.5): f = h₁h̄₂ + h̄₁h₂. Sign units are drawn as tanh(k z): move the "
            "steepness k to see sign appear, and why training needs the smooth version."}
# what one unit of the first hidden layer is, by activation: g written around its input, and
# the shape the unit draws
UNIT_IS = {
    "sigmoid": ("σ({})", "is a logistic regression: h = σ(wᵀx + b), a soft step along its own "
                         "line"),
    "tanh": ("tanh({})", "draws its own line: h = tanh(wᵀx + b), a logistic regression "
                         "stretched to (−1, 1)"),
    "relu": ("max(0, {})", "is a ramp along its own line: h = max(0, wᵀx + b), zero on one side "
                           "(not a logistic regression: it has no top)"),
    "linear": ("{}", "is a plane: h = wᵀx + b")}


def units_text(activation, layers=1, extra=()):
    """What the unit maps below show, true for this network: the first layer's units read the
    inputs x, a later layer's read the layer before it, and the output reads the last one."""
    g, unit = UNIT_IS[activation]
    first = "Every hidden unit" if layers == 1 else "Every unit of hidden layer 1"
    text = f"{first} {unit}."
    if extra:
        text += (f" Here x includes {', '.join(extra)}: a line in those inputs is a curve in "
                 "the plane.")
    if layers > 1:
        text += (" A unit of a later layer does the same to the layer before it, "
                 f"h = {g.format('wᵀh + b')} with h that layer's outputs" +
                 (": a plane of planes is still a plane." if activation == "linear" else
                  ", so its boundary in the plane can bend."))
    last = "these maps" if layers == 1 else f"the maps of hidden layer {layers}"
    if activation == "linear":
        return text + (f" The output unit takes a weighted vote of {last}, and a vote of planes "
                       "is a plane: with linear units the boundary stays one line in the inputs"
                       f"{' (a curve in the plane)' if extra else ''}, however many layers.")
    verb = "adds the ramps of" if activation == "relu" else "takes a weighted vote of"
    return text + f" The output unit {verb} {last}."


def sizes_of(layers, widths):
    """The hidden layers' widths: the first ``layers`` of ``widths``."""
    return tuple(widths[:layers])


def architecture(n_inputs, sizes, activation):
    return f"{'-'.join(map(str, (n_inputs, *sizes, 1)))} {activation if sizes else ''}".strip()


def status_items(lr_snap, mlp_snap):
    return [("step", f"{mlp_snap.step:,}"), ("epoch", f"{mlp_snap.epoch:,.1f}"),
            ("MLP test accuracy", percent(mlp_snap.test_accuracy)),
            ("logistic regression test accuracy", percent(lr_snap.test_accuracy)),
            ("MLP train loss", num(mlp_snap.train_loss)),
            ("MLP test loss", num(mlp_snap.test_loss)),
            ("logistic test loss", num(lr_snap.test_loss))]


def _shown(proba, discretize):
    return (proba > 0.5).astype(np.float32) if discretize else proba


def _split(split, show_test):
    X_train, y_train, X_test, y_test = split
    return (X_train, y_train, X_test, y_test) if show_test else (X_train, y_train, None, None)


def lr_surface(snap, grid, split, names, discretize=False, show_test=True, hover=True,
               extra=()):
    return F.surface_figure(grid.xs, grid.ys, _shown(snap.grid_proba, discretize),
                            *_split(split, show_test), contour=True, show_scale=False,
                            class_names=names, title=line_title(extra), hover=hover)


def mlp_surface(snap, grid, split, names, title, discretize=False, show_test=True, hover=True):
    return F.surface_figure(grid.xs, grid.ys, _shown(snap.grid_proba, discretize),
                            *_split(split, show_test), class_names=names, title=title,
                            hover=hover)


def added_points_trace(points):
    """The points added by clicking, drawn as diamonds of their class."""
    if not points:
        return []
    P = np.array([(x, y) for x, y, _ in points])
    k = np.array([c for _, _, c in points])
    return [dict(type="scatter", x=F._f32(P[k == c, 0]), y=F._f32(P[k == c, 1]),
                 mode="markers", name=f"added, class {c}",
                 marker=dict(symbol="diamond", size=10, color=F.CLASS_COLORS[c],
                             line=dict(color="#111827", width=1.5))) for c in (0, 1)
            if (k == c).any()]


def curves(histories, title="Loss and accuracy, both models"):
    runs = {name: h.arrays("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
            for name, h in histories.items()}
    return F.curves_figure(runs=runs, title=title)


# ---- inside the network -----------------------------------------------------------------------
def unit_scale(activation, maps):
    """One colour scale for every unit map, with the output surface's meaning (red low, white
    in the middle, blue high): zmin, zmax and the colours, fixed by the activation's range."""
    if activation == "sigmoid":
        return 0.0, 1.0, F.PROBA_SCALE
    if activation == "tanh":
        return -1.0, 1.0, F.PROBA_SCALE
    top = max((float(np.abs(m).max()) for m in maps), default=1.0) or 1.0
    if activation == "relu":
        return 0.0, top, [[0.0, "#fbfbfb"], [1.0, "#8fb3ee"]]
    return -top, top, F.PROBA_SCALE


def unit_maps(snap, activation, dead):
    """One figure per hidden layer, every unit on the same framed scale, dead units marked."""
    figures = []
    all_maps = [m for layer in snap.grid_hidden for m in layer]
    zmin, zmax, scale = unit_scale(activation, all_maps)
    for l, maps in enumerate(snap.grid_hidden):
        units = maps.shape[0]
        titles = [f"h{l + 1}.{j + 1}" + (" (dead)" if dead[l][j] else "") for j in range(units)]
        fig = F.image_grid_figure([m[::-1] for m in maps], titles=titles, cols=min(units, 8),
                                  title=f"hidden layer {l + 1}")
        for trace in fig["data"]:
            trace.update(zmin=zmin, zmax=zmax, colorscale=scale)
        for name, axis in fig["layout"].items():
            if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
                # the frame hugs the map, under its title: with the axis range stretched to
                # the cell instead, white bands inside the frame read as h = 0 (or ½)
                axis.update(visible=True, showticklabels=False, ticks="", showgrid=False,
                            zeroline=False, showline=True, mirror=True, linecolor="#9ca3af",
                            constrain="domain", constraintoward="top" if name[0] == "y"
                            else "center")
        figures.append((fig, int(110 * -(-units // 8) + 50)))
    return figures


def dead_note(dead, activation):
    """Words for dead units: a whole layer dead stops learning."""
    for l, flags in enumerate(dead):
        if len(flags) and flags.all():
            return (f"⚠️ Every unit of hidden layer {l + 1} is dead: each puts out 0 on every "
                    f"training point, so no gradient flows back through them ({activation}′ = 0 "
                    f"there) and the network cannot learn. Reset, and use a smaller η.")
    n = int(sum(f.sum() for f in dead))
    if n:
        return (f"{n} hidden unit(s) are dead (0 on every training point): they take no part "
                f"and no longer learn.")
    return None


def network(snap, x, point, activation):
    """The diagram of the snapshot's network, hover values for training point ``point`` at x,
    each unit's output and bias written beside it."""
    zs, hs = unit_values(x, snap.coefs, snap.intercepts, activation)
    names = FT.names(()) if len(x) == 2 else tuple(f"x{i + 1}" for i in range(len(x)))
    return F.network_figure(snap.coefs, snap.intercepts, zs, hs, labels=len(snap.coefs) <= 3,
                            input_names=names,
                            title=f"The network (hover a unit: values for point #{point})")


def hidden_space_view(snap, X_train, y_train, activation, names):
    """The training points in the last hidden layer, as the output unit sees them: along its
    weight direction (its boundary is then the line u = 0 for every point) and across it.
    Returns the figure and a caption that says what the picture shows, and where it stops."""
    H = forward(X_train, snap.coefs, snap.intercepts, activation)[-2]
    w, b = snap.coefs[-1][:, 0], snap.intercepts[-1][0]
    space = hidden_space(H, w, b)
    m = H.shape[1]
    fig = F.hidden_space_figure(np.column_stack([space.u, space.v]), y_train, (1.0, 0.0), 0.0,
                                box=(0.0, 0.0),
                                names=("u = z / ‖w‖ (along w)",  # the caption says more
                                       "v (across w)" if m > 1 else "(one unit: no across)"),
                                title="Hidden space: the data as the output unit sees it",
                                class_names=names)
    caption = ("Each training point moved to its last hidden layer's outputs h, then seen from "
               "the output unit z = wᵀh + b: u = z/‖w‖ is how far h lies along w (the unit says "
               "P = 0.5 exactly at u = 0, the black line), v is where it lies across w. Where "
               "the line splits the colours, the hidden layer has made the data linearly "
               "separable: exact for every point and any width.")
    if m > 2:
        caption += (f" With {m} hidden units, v is the widest of the {m - 1} directions across "
                    f"w; it shows {space.spread:.0%} of the spread across w (the rest does not "
                    f"change the output).")
    return fig, caption


def kept_curves(kept, now):
    return F.curves_figure(runs={**kept, "now": now}, title="Loss of each kept run (MLP)")


# ---- editing one weight ------------------------------------------------------------------------
def weight_names(coefs):
    """Every weight and bias of the network by a readable name -> (array name, index)."""
    names = {}
    for l, W in enumerate(coefs):
        target = (lambda j: "output") if l == len(coefs) - 1 else (lambda j: f"h{l + 1}.{j + 1}")
        for j in range(W.shape[1]):
            names[f"bias of {target(j)}"] = (f"intercept_{l}", (j,))
            for i in range(W.shape[0]):
                source = f"x{i + 1}" if l == 0 else f"h{l}.{i + 1}"
                names[f"{source} → {target(j)}"] = (f"coef_{l}", (i, j))
    return names


# ---- the lectures' sign network: why training needs smooth units --------------------------------
def steepness_figure(X, y, steepnesses=tuple(np.geomspace(0.5, 40, 25)), height=300):
    """The size of the gradient of J for the lectures' sign network drawn as tanh(k z), against
    k: as the units sharpen into sign, the gradient vanishes almost everywhere, and gradient
    descent has nothing to follow."""
    Y = np.asarray(y, float).reshape(-1, 1)
    sizes = []
    for k in steepnesses:
        coefs, intercepts = xor_by_sign(k)
        gW, gb = backprop(np.asarray(X, float), Y, coefs, intercepts, "tanh")
        sizes.append(float(np.sqrt(sum((g ** 2).sum() for g in gW + gb))))
    data = [dict(type="scatter", x=F._f32(steepnesses), y=F._f32(sizes), mode="lines+markers",
                 name="‖∂J/∂θ‖", line=dict(color=F.PALETTE[0], width=2.5))]
    return F.figure(data, "The gradient as tanh(k z) sharpens into sign(z)", height,
                    legend=False, xaxis=F.axis("steepness k (log)", type="log"),
                    yaxis=F.axis("‖∂J/∂θ‖ (log)", type="log"))


# ---- data notes ------------------------------------------------------------------------------------
def standardise_note(mean, sd):
    return (f"The CSV's inputs were standardised (each column minus its mean "
            f"({', '.join(num(m) for m in mean)}), divided by its sd "
            f"({', '.join(num(s) for s in sd)})): with raw values in the thousands, every step "
            f"would be thousands of times too large for some weights. Untick *Standardise* in "
            f"the sidebar to train on the raw values.")


LINE_BEST = ("No line separates XOR: the best one gets three of the four corners (75 %). "
             "Logistic regression maximises the likelihood, not the accuracy: on XOR's balanced "
             "corners its likeliest line is almost flat (P ≈ 0.5), so it scores near 50 %, up "
             "to 75 % on a lopsided sample.")


def line_caption(dataset, extra):
    """What the logistic regression's chart shows: a line in the plane with x1 and x2 alone,
    a line in the expanded inputs (a curve in the plane) with extra ones."""
    if not extra:
        return LINE_BEST if dataset == "xor" else None
    inputs = ", ".join((*FT.BASE, *extra))
    text = (f"With the inputs {inputs}, the boundary θᵀx = 0 is a line (a plane) in those "
            "inputs, so a curve in this plane.")
    if "x₁x₂" in extra:
        text += (" With x₁x₂ it is θ₀ + θ₁x₁ + θ₂x₂ + θ₃x₁x₂ = 0, a hyperbola, which can "
                 "separate XOR's corners: one more input does what the hidden layer does.")
    return text


def line_title(extra):
    return "Logistic regression: one line" if not extra else \
        f"Logistic regression on {', '.join((*FT.BASE, *extra))}"


def sklearn_rows(ours, sk):
    """Ours beside scikit-learn's, one row per measure: three columns fit half a page."""
    return {"": ["train accuracy", "test accuracy", "test loss −LL/n", "training"],
            "ours (now)": [percent(ours.train_accuracy), percent(ours.test_accuracy),
                           num(ours.test_loss), f"{ours.epoch:.0f} epochs so far"],
            "scikit-learn": [percent(sk.train_accuracy), percent(sk.test_accuracy),
                             num(sk.test_log_loss),
                             f"{sk.model.n_iter_} epochs in {sk.fit_seconds * 1000:.0f} ms"]}


def sklearn_call(sizes, activation, learning_rate, batch_size, l2, converged, l1=0.0):
    sk_activation = {"sigmoid": "logistic", "linear": "identity"}.get(activation, activation)
    return (f"`MLPClassifier(hidden_layer_sizes={tuple(sizes)}, activation='{sk_activation}', "
            f"solver='sgd', learning_rate_init={learning_rate:g}, batch_size={batch_size}, "
            f"momentum=0, alpha={l2:g}·batch)`" + ("" if converged else " — stopped at max_iter.")
            + (" scikit-learn has no L1 for MLPs: it trains without it." if l1 else ""))


def sklearn_surface(sk, grid, split, names, extra=()):
    P = sk.model.predict_proba(FT.expand(grid.points, extra))[:, 1].reshape(grid.shape)
    return F.surface_figure(grid.xs, grid.ys, P.astype(np.float32), *split, class_names=names,
                            title="scikit-learn's decision surface", height=380)


def fit_file(model, meta):
    """A model file's settings and weights, if it holds an MLP this page can train; else a
    ValueError saying why."""
    sizes = meta["params"].get("hidden_layer_sizes") or []
    sizes = [sizes] if isinstance(sizes, int) else list(sizes)
    values = file_settings(meta, SPECS)
    inputs = 2 + len(SPECS["features"].parse(values.get("features", ())))
    if meta["model"] != "MLPClassifier" or model.n_features_in_ != inputs \
            or len(model.classes_) != 2:
        raise ValueError(f"This page loads two-class MLPs of {inputs} inputs; the file holds a "
                         f"{meta['model']} of {model.n_features_in_} inputs and "
                         f"{len(model.classes_)} classes.")
    if len(sizes) > 3 or any(not 1 <= s <= 32 for s in sizes):
        raise ValueError(f"This page builds 0-3 hidden layers of 1-32 units; the file's network "
                         f"has hidden layers {sizes}.")
    widths = dict(zip(("hidden", "hidden2", "hidden3"), sizes))
    values.update(layers=len(sizes), activation=model.activation, preset="", **widths)
    return values, model.get_weights()

