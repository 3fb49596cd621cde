"""What the digit page shows, built from numbers: status, tables, figures, text (no Streamlit)."""
import numpy as np

from ui import digit_figures as D
from ui import figures as F
from ui.numbers import num, percent
from ui.page import file_settings
from ui.settings import Setting, settings

SOURCES = {"digits8": "8x8 digits (bundled)", "mnist": "MNIST 28x28"}
INPUTS = {"digits8": 8 * 8, "mnist": 28 * 28}  # one feature per pixel
CLASSES = list(range(10))
SUBSETS = {"digits8": (200, 400, 800, 1347), "mnist": (1000, 2000, 5000, 10000, 20000, 60000)}
HIDDEN_UNITS = (8, 16, 32, 64, 128, 256)
ACTIVATIONS = ("tanh", "sigmoid", "relu")
MNIST_TEST = 1000               # test images evaluated at every tick (see core.digit_split)
SPECS = settings(
    Setting("source", "Digits", "digits8", options=tuple(SOURCES), widget="radio",
            fmt=SOURCES.get, help="MNIST is used when a local copy is found "
            "($NEURAL_PLAYGROUND_MNIST) or after you download it; it is never downloaded on its own."),
    Setting("n", "Training examples", 1347, options=tuple(sorted({*SUBSETS["digits8"],
            *SUBSETS["mnist"]})), widget="select_slider", fmt=lambda v: f"{v:,}",
            help="Fewer examples train faster; the test set stays the same."),
    Setting("seed", "Seed", 0, lo=0, hi=9999, step=1, kind=int, widget="number_input",
            help="Seeds the split, the subset and the initial weights."),
    Setting("layers", "Hidden layers", 1, lo=1, hi=3, step=1, kind=int),
    Setting("hidden", "Units per hidden layer", 64, options=HIDDEN_UNITS, widget="select_slider"),
    Setting("activation", "Activation g", "tanh", options=ACTIVATIONS, widget="radio"),
    Setting("lr", "Learning rate η", 0.1, options=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0),
            widget="select_slider", fmt=lambda v: f"{v:g}",
            help="Applies from the next step, also while training."),
    Setting("batch", "Batch size", 16, options=(1, 4, 8, 16, 32, 64, 128, 256),
            widget="select_slider", help="Applies from the next step."),
    Setting("epochs", "Epochs", 30, lo=1, hi=100, step=1, kind=int,
            help="Passes over the training examples; training stops after the last."),
    Setting("speed", "Speed (steps per tick)", 20, lo=1, hi=200, step=1, kind=int,
            help="Gradient steps between two chart updates (about ten a second), as many as "
                 "fit in 40 ms."))
COMPARE_TEXT = ("Softmax logistic regression is this network without its hidden layer: one "
                "weighted sum of the pixels per digit, a single template each. It learns fast, "
                "then levels off lower: count the test digits each one misses. The hidden units "
                "(their weights are drawn below) give the MLP features of its own to combine.")
DRAW_PROMPT = ("✍️ **Draw a digit on the black pad**, as large as the pad. The network's first "
               "and second guess appear here as soon as you lift the mouse.")
EMPTY_PROMPT = ("The pad is empty: **draw a digit** (0 to 9) with the mouse, and the guesses "
                "appear here.")
SALIENCY_TEXT = ("Blue pixels: more ink there would raise P(k); red: lower it. The gradient of "
                 "the log-probability with respect to each input pixel, by backpropagation all "
                 "the way to the input.")


def architecture(n_inputs, sizes, activation):
    return f"{n_inputs}-{'-'.join(map(str, sizes))}-10 {activation}"


def status_items(mlp, logreg, epochs, done, n_test):
    """The status line: step, epoch of the planned epochs, accuracies, mistakes."""
    epoch = epochs if done else min(mlp.epoch, epochs)
    missed = [round((1 - s.test_accuracy) * n_test) for s in (mlp, logreg)]
    return [("step", f"{mlp.step:,}"), ("epoch", f"{epoch:.1f} of {epochs}"),
            ("MLP test accuracy", percent(mlp.test_accuracy)),
            ("logistic regression", percent(logreg.test_accuracy)),
            (f"missed of {n_test:,}", f"MLP {missed[0]}, logistic regression {missed[1]}")], \
        epoch / epochs


def curves(histories, title):
    runs = {name: h.arrays("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
            for name, h in histories.items()}
    return F.curves_figure(runs=runs, title=title)


def guesses_table(models, features):
    """Markdown: each (label, model)'s first and second guess for the drawing."""
    lines = ["| model | first guess | second guess |", "|---|---|---|"]
    for label, model in models:
        try:
            P = model.predict_proba(features)[0]
        except ValueError:  # weights that overflowed
            lines.append(f"| {label} | – | – |")
            continue
        k1, k2 = D.top_two(P)
        lines.append(f"| {label} | **{k1}** ({P[k1]:.0%}) | {k2} ({P[k2]:.0%}) |")
    return "\n".join(lines)


def trained_note(snap):
    if snap.step == 0:
        return ("⚠️ The network is untrained (random weights): press **▶ Play** and watch its "
                "guesses change.")
    return (f"The MLP after {snap.step:,} steps ({snap.epoch:.1f} epochs), "
            f"{percent(snap.test_accuracy)} right on the test digits.")


def saliency(model, features, k1, k2, shape):
    grads = [model.input_gradient(features, k=[k]).reshape(shape) for k in (k1, k2)]
    return F.image_grid_figure(grads, titles=[f"{k1}: first guess", f"{k2}: second guess"],
                               cols=2, signed=True, title="Saliency ∂ log P(k | x) / ∂x")


def weights_text(shown, hidden, shape):
    h, w = shape
    return (f"**The first hidden layer's weights, one image per unit** ({shown} of {hidden} "
            f"units): unit j computes g(Σᵢ Wᵢⱼ xᵢ + bⱼ), so its weights form a {h}x{w} picture "
            f"of the pattern it looks for. Blue pixels excite it, red ones inhibit it.")


def weights_mosaic(W, shown, shape):
    cols = min(shown, 16)
    return D.mosaic_figure([W[:, j].reshape(shape) for j in range(shown)], cols=cols, signed=True,
                           width=1000 if cols == 16 else 70 * cols)


def mistakes(model, split, limit=24):
    """The confusion matrix figure and the misclassified test digits' figure (or None)."""
    guesses = model.predict(split.X_test)
    cm = D.confusion(split.y_test, guesses)
    wrong = np.flatnonzero(guesses != split.y_test)
    confusion = D.confusion_figure(cm, CLASSES, title=f"Test-set confusion matrix ({len(wrong)} "
                                                      f"of {len(split.y_test):,} wrong)")
    shown = wrong[:limit]
    if not len(shown):
        return confusion, None
    return confusion, D.mosaic_figure(
        [split.test_images[i] for i in shown], cols=8, width=560, height=400,
        titles=[f"{split.y_test[i]} → {guesses[i]}" for i in shown],
        title=f"Misclassified test digits: true → guess (the first {len(shown)} of {len(wrong)})")


def sklearn_call(sizes, activation, learning_rate, batch_size, epochs, n_train, n_test):
    sk_activation = "logistic" if activation == "sigmoid" else activation
    return (f"`MLPClassifier({tuple(sizes)}, activation='{sk_activation}', solver='sgd', "
            f"learning_rate_init={learning_rate:g}, batch_size={batch_size}, max_iter={epochs})` "
            f"and `LogisticRegression(C=∞)` (L-BFGS), trained on the same {n_train:,} examples "
            f"and tested on the same {n_test:,}.")


def sklearn_table(ours, baselines):
    """Our two live models beside scikit-learn's fitted MLP and logistic regression."""
    mlp, logistic = baselines
    return {
        "model": ["MLP (ours, live)", "softmax logistic regression (ours, live)", mlp.name,
                  logistic.name],
        "train accuracy": [percent(s.train_accuracy) for s in (*ours, mlp, logistic)],
        "test accuracy": [percent(s.test_accuracy) for s in (*ours, mlp, logistic)],
        "test loss −LL/n": [num(s.test_loss) for s in ours]
                           + [num(b.test_log_loss) for b in (mlp, logistic)],
        "training time": [f"live, {s.epoch:.1f} epochs so far" for s in ours]
                         + [f"{mlp.fit_seconds:.2f} s for {mlp.model.n_iter_} epochs",
                            f"{logistic.fit_seconds:.2f} s" + ("" if logistic.converged else
                                                               " (L-BFGS stopped at max_iter)")]}


def fit_file(model, meta, source):
    """A model file's settings and weights for the digit page on ``source``, or a ValueError
    saying why it does not fit (a file for the other data set says which to choose first)."""
    values = file_settings(meta, SPECS)
    values.pop("source", None)  # the learner chooses the data; the file must fit it
    sizes = check_file(model, meta, source, HIDDEN_UNITS, ACTIVATIONS)
    return (dict(values, layers=len(sizes), hidden=sizes[0], activation=model.activation),
            model.get_weights())


def check_file(model, meta, source, hidden_units, activations):
    """The hidden sizes and activation of a model file's MLP, if the digit page can train it
    on ``source``'s data; else a ValueError saying why (and what to choose instead)."""
    if meta["model"] != "MLPClassifier":
        raise ValueError(f"This page loads MLPs; the file holds a {meta['model']}.")
    if model.classes_.tolist() != CLASSES:
        raise ValueError(f"This page's networks tell apart the ten digits 0-9; the file's has "
                         f"classes {model.classes_.tolist()}.")
    if model.n_features_in_ != INPUTS[source]:
        other = [s for s in SOURCES if INPUTS[s] == model.n_features_in_]
        raise ValueError(f"The file's network takes {model.n_features_in_} inputs, but it is "
                         f"for the {SOURCES[source]}: {INPUTS[source]} pixels per image."
                         + (f" Choose **{SOURCES[other[0]]}** under Data, then load the file "
                            "again." if other else ""))
    weights = model.get_weights()
    n_layers = sum(name.startswith("coef_") for name in weights)
    sizes = [weights[f"coef_{l}"].shape[1] for l in range(n_layers - 1)]
    if not (1 <= len(sizes) <= 3 and len(set(sizes)) == 1 and sizes[0] in hidden_units
            and model.activation in activations):
        raise ValueError(f"This page builds 1-3 hidden layers of one size "
                         f"({', '.join(map(str, hidden_units))} units) with "
                         f"{', '.join(activations)}; the file's network has hidden layers "
                         f"{sizes} with {model.activation}.")
    return sizes
