"""What the XOR page shows, built from numbers: figures, tables and text (no Streamlit here)."""
import numpy as np

from core.hidden import hidden_space, unit_values
from core.mlp import forward
from ui import figures as F
from ui.numbers import num, percent
from ui.page import data_settings, file_settings
from ui.settings import Setting, settings

CANVAS = (420, 420)
LEARNING_RATES = (1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
DATA = data_settings(keys=("xor", "circles", "moons", "spiral", "overlapping"), noise=0.1)
NETWORK = settings(
    Setting("layers", "Hidden layers", 1, lo=1, hi=3, step=1, kind=int),
    Setting("hidden", "Units per hidden layer", 4, lo=1, hi=32, step=1, kind=int),
    Setting("activation", "Activation g", "tanh", options=("tanh", "sigmoid", "relu"),
            widget="radio"),
    Setting("lr", "Learning rate η", 0.3, options=LEARNING_RATES, widget="select_slider",
            fmt=lambda v: f"{v:g}"),
    Setting("batch", "Batch size", 16, options=(1, 4, 8, 16, 32, 64, 128), widget="select_slider"),
    Setting("l2", "L2 strength", 0.0, options=(0.0, 1e-4, 1e-3, 0.01, 0.1),
            widget="select_slider", fmt=lambda v: f"{v:g}"),
    Setting("speed", "Speed (steps per tick)", 5, lo=1, hi=50, step=1, kind=int))
VIEW = settings(
    Setting("source", "Points from", "Generated", options=("Generated", "Uploaded CSV"),
            widget="radio", in_url=False),
    Setting("point", "Training point # (for the network's hover values)", 0, lo=0, hi=999,
            step=1, kind=int, widget="number_input", in_url=False),
    Setting("click_class", "Class of the next point", 0, options=(0, 1), widget="radio",
            in_url=False),
    Setting("sk_epochs", "Epochs for scikit-learn", 300, lo=10, hi=2000, step=10, kind=int,
            in_url=False),
    Setting("preset", "Start from the lectures' OR/AND weights", False, kind=bool,
            widget="toggle", in_url=False))
SPECS = {**DATA, **NETWORK, **VIEW}

PRESET_TEXT = ("The MLP starts from the lectures' hand-made weights: h₁ = OR, h₂ = AND, and the "
               "output fires for OR and not AND, which is XOR. Play to let training take over.")
UNITS_TEXT = ("Each small map is one hidden unit's output h = g(wᵀx + b) over the plane: a soft "
              "step along its own line. The output unit then takes a weighted vote of these maps.")


def status_items(lr_snap, mlp_snap):
    return [("step", f"{mlp_snap.step:,}"), ("epoch", f"{mlp_snap.epoch:,.1f}"),
            ("MLP test accuracy", percent(mlp_snap.test_accuracy)),
            ("logistic regression test accuracy", percent(lr_snap.test_accuracy)),
            ("MLP train loss", num(mlp_snap.train_loss)),
            ("MLP test loss", num(mlp_snap.test_loss)),
            ("logistic test loss", num(lr_snap.test_loss))]


def architecture(sizes, activation):
    return f"{'-'.join(map(str, sizes))} {activation}"


def lr_surface(snap, grid, split, names):
    theta = snap.theta[:, 0]
    lx, ly = F.line_in_box(theta[1:], theta[0], grid.xs, grid.ys)
    return F.surface_figure(grid.xs, grid.ys, snap.grid_proba, *split, contour=False,
                            show_scale=False, class_names=names,
                            lines=[dict(x=lx, y=ly, name="θᵀx = 0")],
                            title="Logistic regression: one line")


def mlp_surface(snap, grid, split, names, title):
    return F.surface_figure(grid.xs, grid.ys, snap.grid_proba, *split, class_names=names,
                            title=title)


def curves(histories, title="Loss and accuracy, both models"):
    runs = {name: h.arrays("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
            for name, h in histories.items()}
    return F.curves_figure(runs=runs, title=title)


def unit_maps(snap, activation):
    """One image-grid figure per hidden layer: each unit's output over the plane."""
    figures = []
    for l, maps in enumerate(snap.grid_hidden):
        units = maps.shape[0]
        figures.append((F.image_grid_figure([m[::-1] for m in maps],
                                            titles=[f"h{l + 1}.{j + 1}" for j in range(units)],
                                            cols=min(units, 8), signed=activation != "sigmoid",
                                            title=f"hidden layer {l + 1}"),
                        int(110 * -(-units // 8) + 50)))
    return figures


def network(snap, x, point, activation):
    """The diagram of the snapshot's network, hover values for training point ``point`` at x."""
    zs, hs = unit_values(x, snap.coefs, snap.intercepts, activation)
    return F.network_figure(snap.coefs, snap.intercepts, zs, hs,
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
                                box=(0.0, 0.0), names=("u = z / ‖w‖ (along the output unit's weights)",
                                       "v (across them)" if m > 1 else "(one unit: no across)"),
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


def sklearn_rows(ours, sk):
    return {"": ["ours (now)", "scikit-learn"],
            "train accuracy": [percent(ours.train_accuracy), percent(sk.train_accuracy)],
            "test accuracy": [percent(ours.test_accuracy), percent(sk.test_accuracy)],
            "test loss −LL/n": [num(ours.test_loss), num(sk.test_log_loss)],
            "training": [f"{ours.epoch:.0f} epochs so far",
                         f"{sk.model.n_iter_} epochs in {sk.fit_seconds * 1000:.0f} ms"]}


def sklearn_call(sizes, activation, learning_rate, batch_size, l2, converged):
    sk_activation = "logistic" if activation == "sigmoid" else activation
    return (f"`MLPClassifier(hidden_layer_sizes={tuple(sizes)}, activation='{sk_activation}', "
            f"solver='sgd', learning_rate_init={learning_rate:g}, batch_size={batch_size}, "
            f"momentum=0, alpha={l2:g}·batch)`" + ("" if converged else " — stopped at max_iter."))


def sklearn_surface(sk, grid, split, names):
    P = sk.model.predict_proba(grid.points)[:, 1].reshape(grid.shape).astype(np.float32)
    return F.surface_figure(grid.xs, grid.ys, P, *split, class_names=names,
                            title="scikit-learn's decision surface", height=380)


def fit_file(model, meta):
    """A model file's settings and weights, if it holds an MLP this page can train; else a
    ValueError saying why."""
    sizes = meta["params"].get("hidden_layer_sizes") or []
    sizes = [sizes] if isinstance(sizes, int) else list(sizes)
    if meta["model"] != "MLPClassifier" or model.n_features_in_ != 2 or len(model.classes_) != 2:
        raise ValueError("This page loads two-class MLPs of two features; the file holds a "
                         f"{meta['model']} of {model.n_features_in_} features and "
                         f"{len(model.classes_)} classes.")
    if len(set(sizes)) != 1 or not 1 <= len(sizes) <= 3:
        raise ValueError(f"This page builds 1-3 equal hidden layers; the file's network has "
                         f"hidden layers {sizes}.")
    values = dict(file_settings(meta, SPECS), layers=len(sizes), hidden=sizes[0],
                  activation=model.activation, preset=False)
    return values, model.get_weights()
