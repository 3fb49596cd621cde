"""What the digit page shows, built from numbers: status, tables, figures, text (no Streamlit)."""
import functools

import numpy as np

from ui import digit_figures as D
from ui import figures as F
from ui.numbers import num, percent
from ui.page import file_settings
from ui.live import MAX, speed_setting
from ui.settings import Setting, settings

SOURCES = {"digits8": "8x8 digits (bundled)", "mnist": "MNIST 28x28"}
INPUTS = {"digits8": 8 * 8, "mnist": 28 * 28}  # one feature per pixel
CLASSES = list(range(10))
SUBSETS = {"digits8": (200, 400, 800, 1347), "mnist": (1000, 2000, 5000, 10000, 20000, 60000)}
# augmented copies of each training digit (core.augment); MNIST's are capped at one, so that
# 60,000 images stay under 400 MB of training data
COPIES = {"digits8": (0, 1, 2, 5, 10), "mnist": (0, 1)}
# digits of each class written by a program (core.pen_digits): made in the 8x8 digits' format
SYNTHETIC = (0, 100, 250, 500, 1000)
QUICK_EPOCHS = {"digits8": 2, "mnist": 0.5}  # the first fit at full speed when a run starts
HIDDEN_UNITS = (8, 16, 32, 64, 128, 256)
ACTIVATIONS = ("tanh", "sigmoid", "relu")
MNIST_TEST = 1000               # test images evaluated at every tick (see core.digit_split)


def source_defaults(source):
    """The settings whose default depends on the data set: its training subset, copies and
    digits written by a program."""
    return {"n": 1347 if source == "digits8" else 10000,
            "copies": 10 if source == "digits8" else 1,
            "synthetic": 500 if source == "digits8" else 0}


HOW = {"softmax": "🔢 Softmax, step by step", "network": "🕸️ Through the network",
       "ink": "🔍 Which ink mattered", "steps": "🧹 From your drawing to the input"}
SPECS = settings(
    Setting("source", "Digits", "mnist", options=tuple(SOURCES), widget="radio",
            fmt=SOURCES.get, help="MNIST whenever a copy is found (or downloaded, once); the "
            "bundled 8x8 digits otherwise."),
    Setting("n", "Training examples", 1347, options=tuple(sorted({*SUBSETS["digits8"],
            *SUBSETS["mnist"]})), widget="select_slider", fmt=lambda v: f"{v:,}",
            help="Fewer examples train faster; the test set stays the same."),
    Setting("copies", "Augmented copies per example", 10, options=COPIES["digits8"],
            widget="select_slider", help="Each training digit again, shifted, scaled, rotated, "
            "slanted and written with another pen: drawn digits are read better."),
    Setting("synthetic", "Digits written by a program, per class", 500, options=SYNTHETIC,
            widget="select_slider", fmt=lambda v: f"{v:,}",
            help="The 8x8 digits' 43 writers never wrote some of the shapes people draw (a 2 "
                 "with a loop, a closed 4, a 9 with a small head). These digits are pen strokes "
                 "from templates of such shapes, each point moved at random, read the way your "
                 "drawing is read. 0 trains on the bundled digits alone."),
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
    speed_setting(MAX))
VIEW = settings(
    Setting("how", "How it answered", "softmax", options=tuple(HOW), widget="segmented",
            fmt=HOW.get, help="One view at a time of how the network read your drawing."))
COMPARE_TEXT = ("Softmax logistic regression is this network without its hidden layer: one "
                "weighted sum of the pixels per digit, a single template each. It learns fast, "
                "then levels off lower: count the test digits each one misses. The hidden units "
                "(their weights are drawn below) give the MLP features of its own to combine.")
DRAW_PROMPT = ("✍️ **Draw a digit on the black pad**: any size, anywhere on the pad. The "
               "network's first and second guess appear here as soon as you lift the mouse.")
EMPTY_PROMPT = ("The pad is empty: **draw a digit** (0 to 9) with the mouse, and the guesses "
                "appear here.")
SALIENCY_TEXT = ("**Integrated gradients**, not the plain gradient: the plain saliency "
                 "∂ log P(k | x)/∂x says what a little more ink *anywhere* would do, and on "
                 "MNIST that is mostly noise on blank pixels. Here the gradient is averaged along "
                 "the straight path from a blank pad to your drawing and multiplied by the ink: "
                 "blue pixels of your drawing raised log P(k), red ones lowered it, blank pixels "
                 "get 0, and the map adds up to how much your drawing raised log P(k) over a "
                 "blank pad.")
SOFTMAX_LATEX = r"p(y = k \mid \mathbf{x}) = \operatorname{softmax}(f)_k = \frac{\exp(f_k(\mathbf{x}))}{\sum_{j=1}^{K} \exp(f_j(\mathbf{x}))}"
SOFTMAX_NOTES = (
    "The output layer has **no activation** of its own: its ten units are weighted sums "
    "f_k = Σⱼ Wⱼₖ hⱼ + bₖ of the last hidden layer (any real number, the *logits*), and "
    "softmax turns them into probabilities: exponentiate (everything becomes positive, larger "
    "f much larger), then divide by the total (they sum to 1). Subtracting max f first changes "
    "nothing (it cancels in the fraction) and keeps exp from overflowing. With K = 2 classes, "
    "softmax *is* the sigmoid: p₁ = e^f₁ / (e^f₀ + e^f₁) = 1 / (1 + e^−(f₁ − f₀)) = σ(f₁ − f₀), "
    "which is why a two-class network needs only one output unit.")


FLOW_TEXT = ("Your drawing goes left to right, as in Adam Harley's demonstration that the "
             "lectures link. Each hidden dot is one unit, numbered as the weight images below "
             "are, coloured by its output h for this drawing; each line is one of the largest "
             "contributions w·x into a unit (blue pushes it up, red down). Hover a unit for its "
             "weighted input z and the formula; the output units have no activation of their "
             "own: softmax turns their f into the ten probabilities.")
STEPS_TEXT = ("Your pen is taken away first: the ink's centre line is found (Zhang-Suen "
              "thinning) and drawn again with the pen the data set's digits were written with, "
              "so a small digit drawn with a thick pen or a large one drawn with a thin pen "
              "gives the same input. Then the digit is sized and placed as the data set's own "
              "were: MNIST's in a 20x20 box, its centre of mass at the centre of 28x28 (where "
              "MNIST's digits have theirs); the 8x8 digits' upright, 32 rows tall and at most "
              "20 columns wide, 30 % ink, counted in 4x4 blocks.")
PAIRS_TEXT = ("The lectures' first digit task: is the picture a **1** (y = 1) or a **0** "
              "(y = 0)? Each pixel is one feature, x = [0, 0, 1, 1, …], and logistic "
              "regression predicts P(y = 1 | x) = σ(θᵀx); the network puts a hidden layer in "
              "between, with **one sigmoid output** (two classes need only one: softmax with "
              "K = 2 is the sigmoid). Both are trained the same way (minibatches of 32, 30 "
              "epochs) on the training digits of the pair and tested on its test digits. On 1 "
              "vs 0 both are almost perfect; on digits that share strokes (9 vs 4, 5 vs 3, 7 vs "
              "9, or an 8 against the rest) one template is not enough, and the "
              "network makes fewer mistakes.")
PAIRS_WEIGHTS_TEXT = ("Logistic regression has one template, θ (blue pixels vote for the first "
                      "digit, red for the second); the network has one per hidden unit (here "
                      "the seven its output weighs most), and combines their votes.")


def pairs_table(task, results):
    """Markdown: each model's parameters, test accuracy and mistakes on a PairTask."""
    n = len(task.y_test)
    other = "every other digit" if task.negative is None else str(task.negative)
    lines = [f"**{task.positive} (y = 1) against {other} (y = 0)**, "
             f"{'binarised' if task.binarised else 'grey'} pixels: {len(task.y_train):,} "
             f"training and {n:,} test digits.", "",
             "| model | parameters | test accuracy | mistakes | training |", "|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.name} | {r.n_params:,} | {percent(r.accuracy)} | {len(r.wrong)} of "
                     f"{n:,} | {r.seconds:.1f} s |")
    return "\n".join(lines)


def data_caption(data, name, found, why):
    """Which data the page trains on, how it was split, and why this data: MNIST whenever a
    copy is found, else the bundled 8x8 digits."""
    counts = [f"{data.n_original * (data.copies + 1):,} with the copies"] if data.copies else []
    if data.synthetic:
        counts.append(f"{len(data.y_train):,} with the digits written by a program")
    rows = f" ({', '.join(counts)})" if counts else ""
    text = (f"**Data: {data.name}**, {data.source}. Training on {data.how}: "
            f"{data.n_original:,} training{rows} and {len(data.y_test):,} test images.")
    if name == "mnist":
        return text + " MNIST is used whenever a copy is found."
    if found:
        return text + " You chose it; MNIST is available too."
    return f"{text} {why}"  # where it was looked for


# benchmarks/drawn_gap.py, 2026-12-05: 1,000 MNIST test digits redrawn as pen strokes, read by
# networks trained as this page trains them (medians of 5 model seeds; 8x8: 84.8-88.3 %, and
# 79.3 % without the digits written by a program). Shown by the pad.
DRAWN_LIMIT = ("What to expect of your drawings: a network trained as this page trains it, on "
               "these 8x8 digits (43 writers) and the digits written by a program, reads about "
               "**87 %** of real handwriting redrawn on the pad (about 79 % without the written "
               "digits), against about **95 %** for one trained on MNIST (its test digits, "
               "drawn the same way; benchmarks/drawn_gap.py). The 8x8 set's own test digits it "
               "reads at 97-99 %: what it misses are shapes its few writers never wrote.")


WRITTEN_TEXT = ("One digit written after each of the {templates} templates (the training "
                "set holds {n:,} of each digit, its templates taken in turn). A template is a "
                "shape people write the digit in, given by a few control points: each point is "
                "moved at random, a smooth curve (Catmull-Rom) joins them, and the curve is "
                "read as your drawing's centre line is: half its slant taken away, NIST's box, "
                "the pen that inks 30 %, the ink counted in 4x4 blocks (core/pen_digits.py).")


@functools.lru_cache(maxsize=8)
def written_examples(seed):
    """One digit written by a program after each template (core.pen_digits): (caption, 8x8
    image in [0, 1]) pairs, the same for the same ``seed``."""
    from core.pen_digits import one_per_template
    images, labels = one_per_template(np.random.default_rng(seed))
    return [(str(digit), image / 16) for digit, image in zip(labels, images)]


def architecture(n_inputs, sizes, activation):
    return f"{n_inputs}-{'-'.join(map(str, sizes))}-10 {activation}"


def epoch_shown(snap, epochs, done):
    """The epoch to show of the ``epochs`` planned (the last one whole once the run is done)."""
    return epochs if done else min(snap.epoch, epochs)


def status_items(mlp, logreg, epochs, done, n_test):
    """The status line: step, epoch of the planned epochs, accuracies, mistakes."""
    epoch = epoch_shown(mlp, epochs, done)
    missed = [round((1 - s.test_accuracy) * n_test) for s in (mlp, logreg)]
    return [("step", f"{mlp.step:,}"), ("epoch", f"{epoch:.1f} of {epochs}"),
            ("MLP test accuracy", percent(mlp.test_accuracy)),
            ("logistic regression", percent(logreg.test_accuracy)),
            (f"missed of {n_test:,}", f"MLP {missed[0]}, logistic regression {missed[1]}")], \
        epoch / epochs


def curves(histories, title, upto=None):
    """The models' loss and accuracy curves (up to step ``upto`` only, if given: an earlier
    frame of the same run)."""
    keys = ("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
    return F.curves_figure(runs={name: h.arrays(*keys, upto=upto)
                                 for name, h in histories.items()}, title=title)


def guesses_table(models, features):
    """Markdown: each (label, model)'s first and second guess for the drawing."""
    lines = ["| model | 1st guess | 2nd guess |", "|---|---|---|"]
    for label, model in models:
        try:
            P = model.predict_proba(features)[0]
        except ValueError:  # weights that overflowed
            lines.append(f"| {label} | – | – |")
            continue
        k1, k2 = D.top_two(P)
        lines.append(f"| {label} | **{k1}** ({D.share(P[k1])}) | {k2} ({D.share(P[k2])}) |")
    return "\n".join(lines)


def training_note(snap, epochs, running, done):
    """Beside the empty pad: where the training is. Its status line and curves are far down
    the page, so Play, Pause and Step showed no change in the first screen (a browser review)."""
    epoch = epoch_shown(snap, epochs, done)
    where = (f"epoch {epoch:.1f} of {epochs}, {percent(snap.test_accuracy)} of the test digits "
             "read right")
    if done:  # (why Play and Step are greyed out)
        return (f"✅ All {epochs} epochs are trained: {where}. ↺ Reset starts again; more "
                "**Epochs** in the sidebar starts a longer run.")
    if running:
        return f"🏋️ Training live: {where} (its curves are further down the page)."
    return f"⏸ Paused at {where}: **▶ Play** trains on."


def trained_note(snap, done=False):
    """Under the guesses: how trained the network is (and, once every epoch is, why Play is
    greyed out: the note beside the empty pad says so too)."""
    if snap.step == 0:
        return ("⚠️ The network is untrained (random weights): press **▶ Play** and watch its "
                "guesses change.")
    return (f"The MLP after {snap.step:,} steps ({snap.epoch:.1f} epochs), "
            f"{percent(snap.test_accuracy)} right on the test digits."
            + (" Every epoch is trained: ↺ Reset starts again." if done else ""))


def attribution(model, features, k1, k2, shape):
    """Integrated gradients of log P(k) for the first and second guess, as two images, and a
    caption with the completeness check (the map's sum against the rise in log P(k))."""
    from core.attribution import integrated_gradients
    maps = integrated_gradients(model, features, [k1], steps=32), \
        integrated_gradients(model, features, [k2], steps=32)
    blank = np.log(np.clip(model.predict_proba(np.zeros_like(features)), 1e-300, 1))[0]
    drawn = np.log(np.clip(model.predict_proba(features), 1e-300, 1))[0]
    fig = F.image_grid_figure([m.reshape(shape) for m in maps],
                              titles=[f"{k1}: first guess", f"{k2}: second guess"], cols=2,
                              signed=True, title="Which ink mattered: integrated gradients")
    check = "; ".join(f"for {k}: the map adds up to {m.sum():+.2f}, log P({k}) "
                      f"{change(drawn[k] - blank[k])} from a blank pad"
                      for k, m in ((k1, maps[0]), (k2, maps[1])))
    return fig, check


def change(delta):
    """A change in words: 'rose by 1.20', 'fell by 4.26' (not 'rose by -4.26')."""
    return f"{'rose' if delta >= 0 else 'fell'} by {abs(delta):.2f}"


def article(word):
    """'a' or 'an' before a word or number as it is read aloud: an 8x8, an 11, a 28x28."""
    spoken = str(word).lower()
    vowel = spoken[:1] in "aeio" or spoken.startswith(("8", "11", "18"))
    return "an" if vowel else "a"


def hidden_title(layers):
    """The hidden outputs chart's title: layer 1 reads the drawing x, a later layer the one
    before it."""
    if layers == 1:
        return "Every hidden unit's output h = g(Wᵀx + b) for your drawing, by unit number"
    return ("Every hidden unit's output for your drawing, by unit number: h = g(Wᵀx + b) in "
            "layer 1, then g(Wᵀh + b) with h the layer before")


def flow(model, features, image, activation):
    """The drawing through the network (digit_figures.flow_figure), layer by layer as
    ``core.mlp.feedforward`` computes it."""
    from core.mlp import feedforward
    weights = model.get_weights()
    n = len(model.coefs_)
    coefs = [weights[f"coef_{l}"].astype(np.float64) for l in range(n)]
    intercepts = [weights[f"intercept_{l}"].astype(np.float64) for l in range(n)]
    x = np.asarray(features, dtype=np.float64)
    zs, hs = feedforward(x, coefs, intercepts, activation)
    image = np.asarray(image, dtype=np.float64)
    return D.flow_figure(image / image.max() if image.max() else image, [z[0] for z in zs],
                         [x[0]] + [h[0] for h in hs], coefs, intercepts, activation, CLASSES)


def weights_text(shown, hidden, shape):
    h, w = shape
    return (f"**The first hidden layer's weights, one image per unit** ({shown} of {hidden} "
            f"units): unit j computes g(Σᵢ Wᵢⱼ xᵢ + bⱼ), so its weights form "
            f"{article(h)} {h}x{w} picture "
            f"of the pattern it looks for. Blue pixels excite it, red ones inhibit it.")


def weights_mosaic(W, shown, shape):
    cols = min(shown, 16)
    return D.mosaic_figure([W[:, j].reshape(shape) for j in range(shown)], cols=cols, signed=True,
                           width=1000 if cols == 16 else 70 * cols,
                           titles=[str(j + 1) for j in range(shown)], hover="unit")


def mistakes(model, split, cell=None, limit=24, step=None):
    """The clickable confusion matrix figure, and the figure of the misclassified test digits
    (those of one (true, guessed) ``cell`` when given; None when there are none). ``step``:
    the model's step, named in the title (while training, the status line is of another)."""
    guesses = model.predict(split.X_test)
    cm = D.confusion(split.y_test, guesses)
    wrong = np.flatnonzero(guesses != split.y_test)
    when = "" if step is None else f", step {step:,}"
    confusion = D.confusion_figure(cm, CLASSES, clickable=True, title=(
        f"Test-set confusion matrix{when}<br>{len(wrong)} of {len(split.y_test):,} wrong: "
        "click a cell"))
    if cell is not None:
        true, guess = cell
        wrong = np.flatnonzero((split.y_test == true) & (guesses == guess))
        what = f"true {true}, guessed {guess}" + (" (right)" if true == guess else "")
    else:
        what = "misclassified test digits, true → guess"
    shown = wrong[:limit]
    if not len(shown):
        return confusion, None
    return confusion, D.mosaic_figure(
        # six to a row and "7→9" without spaces: the labels fit tiles a narrow column gives
        [split.test_images[i] for i in shown], cols=6, width=420, height=None,
        titles=[f"{split.y_test[i]}→{guesses[i]}" for i in shown],
        title=f"{what.capitalize()}: {len(shown)} of {len(wrong)}")


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
