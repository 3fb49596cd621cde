"""Draw a digit: train an MLP on handwritten digits live, then draw one and watch it classify."""
import dataclasses
import hashlib
import time
from types import MappingProxyType

import numpy as np
import streamlit as st

from core import (DataUnavailable, EmptyDrawingError, LogisticRegression, MLPClassifier, Trainer,
                  drawing_to_input, load_digits8, load_mnist, split)
from core.baselines import sklearn_logistic, sklearn_mlp
from ui import digit_figures as D
from ui import figures as F
from ui.layout import fmt, header, status
from ui.live import controls, follow_fragment, get_run, live_fragment
from ui.live_chart import live_chart
from ui.model_io import model_io
from ui.urlstate import choice, number, sync_url, write_url

KEY = "digits"
DRAWING = f"{KEY}_drawing"      # the pad's latest RGBA image; classification reads it from here
PAD = (280, 280)
CLASSES = list(range(10))
SOURCES = {"digits8": "8x8 digits (bundled)", "mnist": "MNIST 28x28"}
SUBSETS = {"digits8": [200, 400, 800, 1347], "mnist": [1000, 2000, 5000, 10000, 20000, 60000]}
INPUTS = {"digits8": 8 * 8, "mnist": 28 * 28}  # one feature per pixel
TEST_SHARE = 0.25               # the 8x8 digits have no test set of their own
# A fixed random part of MNIST's 10,000 test images. Every tick evaluates both models on all of
# them (and on as many training images): at 1,000 that costs a few ms; at 2,000 and more, on a
# busy 2-core machine, the evaluation outweighs the steps and the tick's step budget collapses.
MNIST_TEST = 1000
LEARNING_RATES = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
HIDDEN_UNITS = [8, 16, 32, 64, 128, 256]
ACTIVATIONS = ["tanh", "sigmoid", "relu"]
BATCH_SIZES = [1, 4, 8, 16, 32, 64, 128, 256]
MAX_EPOCHS = 100
MAX_WEIGHT_IMAGES = 64

header("✍️ Draw a digit",
       "A picture of a digit is a feature vector: one number per pixel. Train a network on "
       "handwritten digits while you watch, then **draw a digit on the pad** and see what it "
       "thinks, from your pen stroke to the ten probabilities, beside a logistic regression "
       "trained on the same examples.",
       "digits as feature vectors; logistic regression: not so good; feed neurons into other "
       "neurons; softmax for K classes; the draw-a-digit demonstration (first and second guess).")


# ---- data ------------------------------------------------------------------------------------
@st.cache_resource(show_spinner="Loading the digits…")
def load_data(name, download=False):
    """The data set, loaded once per server process and shared read-only by every session.

    For MNIST, ``download=False`` only looks for a local copy; a DataUnavailable is not cached,
    so the next run looks again.
    """
    d = load_digits8() if name == "digits8" else load_mnist(download=download)
    for field in dataclasses.fields(d):  # shared by every session: nobody may write to it
        value = getattr(d, field.name)
        if isinstance(value, np.ndarray):
            _read_only(value)
    return d


def _read_only(a):
    a.flags.writeable = False
    return a


@st.cache_resource(max_entries=6, show_spinner="Preparing the training examples…")
def prepare(name, download, n_train, seed):
    """A training subset and a test set, as model inputs (float32 in [0, 1]) and as images."""
    d = load_data(name, download)
    rng = np.random.default_rng(seed)
    if d.test_images is None:  # 8x8: a stratified split of our own
        idx_train, idx_test = split(np.arange(len(d.y)), d.y, TEST_SHARE, random_state=seed)[:2]
        train_images, y_train = d.images[idx_train[:n_train]], d.y[idx_train[:n_train]]
        test_images, y_test = d.images[idx_test], d.y[idx_test]
        how = (f"a stratified {1 - TEST_SHARE:.0%} / {TEST_SHARE:.0%} split of its "
               f"{len(d.y):,} images")
    else:
        idx_train = np.sort(rng.choice(len(d.y), min(n_train, len(d.y)), replace=False))
        idx_test = np.sort(rng.choice(len(d.y_test), min(MNIST_TEST, len(d.y_test)), replace=False))
        train_images, y_train = d.images[idx_train], d.y[idx_train]
        test_images, y_test = d.test_images[idx_test], d.y_test[idx_test]
        how = (f"a random {len(y_train):,} of its {len(d.y):,} training images; tested on a "
               f"random {len(y_test):,} of its {len(d.y_test):,} test images")
    return MappingProxyType(dict(  # shared by every session: read-only, arrays included
        X_train=_read_only(d.features(train_images)), y_train=_read_only(y_train),
                X_test=_read_only(d.features(test_images)), y_test=_read_only(y_test),
                test_images=_read_only((test_images / d.levels).astype(np.float32)),
                shape=d.shape, name=d.name,
                source=d.source, how=how, target=name))


def try_download():
    """The MNIST button: download (or find sklearn's cached copy) once, or say why not."""
    try:
        with st.spinner("Downloading MNIST from OpenML (about 15 MB, once)…"):
            load_data("mnist", download=True)
        st.session_state[f"{KEY}_mnist_download"] = True
        st.session_state.pop(f"{KEY}_mnist_error", None)
    except DataUnavailable as err:
        st.session_state[f"{KEY}_mnist_error"] = str(err)


# ---- settings: from a link, from a model file, from the widgets ------------------------------
def link_source():
    """The source whose subset slider the link's ``n`` sets: the chosen one, else the link's."""
    source = st.session_state.get(f"{KEY}_source", st.query_params.get("source"))
    return source if source in SOURCES else "digits8"


# everything that fixes the data and the initial weights, so a copied link reproduces them
n_source = link_source()
URL = {"source": (f"{KEY}_source", choice(list(SOURCES))),
       "n": (f"{KEY}_n_{n_source}", choice(SUBSETS[n_source])),
       "seed": (f"{KEY}_seed", number(int, 0, 9999)),
       "layers": (f"{KEY}_layers", number(int, 1, 3)),
       "hidden": (f"{KEY}_hidden", choice(HIDDEN_UNITS)),
       "activation": (f"{KEY}_activation", choice(ACTIVATIONS)),
       "lr": (f"{KEY}_lr", choice(LEARNING_RATES)), "batch": (f"{KEY}_batch", choice(BATCH_SIZES)),
       "epochs": (f"{KEY}_epochs", number(int, 1, MAX_EPOCHS)),
       "speed": (f"{KEY}_speed", number(int, 1, 200))}
sync_url(KEY, URL)


def take_model_file(model, meta, source):
    """Start from a loaded model file: its settings become the widgets' values, its weights the
    MLP's initial weights. Runs before those widgets exist, on the data ``source`` in use.

    Returns why the file does not fit the page (and then changes nothing), or None.
    """
    if not hasattr(model, "coefs_"):
        return f"This page loads MLPs; the file holds a {meta.get('model')}."
    if model.classes_.tolist() != CLASSES:
        return (f"This page's networks tell apart the ten digits 0-9; the file's has classes "
                f"{model.classes_.tolist()}.")
    if model.n_features_in_ != INPUTS[source]:
        other = [s for s in SOURCES if INPUTS[s] == model.n_features_in_]
        return (f"The file's network takes {model.n_features_in_} inputs, but the page is on the "
                f"{SOURCES[source]}: {INPUTS[source]} pixels per image."
                + (f" Choose **{SOURCES[other[0]]}** under Data, then load the file again."
                   if other else ""))
    hidden_sizes = [W.shape[1] for W in model.coefs_[:-1]]
    if not (1 <= len(hidden_sizes) <= 3 and len(set(hidden_sizes)) == 1
            and hidden_sizes[0] in HIDDEN_UNITS and model.activation in ACTIVATIONS):
        return (f"This page builds 1-3 hidden layers of one size "
                f"({', '.join(map(str, HIDDEN_UNITS))} units) with {', '.join(ACTIVATIONS)}; "
                f"the file's network has hidden layers {hidden_sizes} with {model.activation}.")
    params, settings = meta["params"], meta.get("data") or {}
    widgets = {f"{KEY}_layers": len(hidden_sizes), f"{KEY}_hidden": hidden_sizes[0],
               f"{KEY}_activation": model.activation}
    for key, value, options in ((f"{KEY}_lr", params.get("learning_rate"), LEARNING_RATES),
                                (f"{KEY}_batch", params.get("batch_size"), BATCH_SIZES),
                                (f"{KEY}_epochs", params.get("max_iter"), range(1, MAX_EPOCHS + 1)),
                                (f"{KEY}_n_{source}", settings.get("n_train"), SUBSETS[source]),
                                (f"{KEY}_seed", settings.get("seed"), range(10_000))):
        if type(value) is type(options[0]) and value in options:  # else the widget keeps its own
            widgets[key] = value
    st.session_state.update(widgets)
    st.session_state[f"{KEY}_start"] = dict(
        coefs=[np.array(W) for W in model.coefs_],  # copies: training must not change them
        intercepts=[np.array(b) for b in model.intercepts_], activation=model.activation)
    st.session_state[f"{KEY}_loads"] = st.session_state.get(f"{KEY}_loads", 0) + 1
    return None


with st.sidebar:
    st.header("Data")
    wanted = st.radio("Digits", list(SOURCES), format_func=SOURCES.get, key=f"{KEY}_source",
                      horizontal=True,
                      help="MNIST is used when a local copy is found ($NEURAL_PLAYGROUND_MNIST) "
                           "or after you download it; it is never downloaded on its own.")

name, download, mnist_problem = "digits8", False, None
if wanted == "mnist":
    download = st.session_state.get(f"{KEY}_mnist_download", False)
    try:
        load_data("mnist", download)
        name = "mnist"
    except DataUnavailable as err:
        mnist_problem = st.session_state.get(f"{KEY}_mnist_error") or str(err)

# a model file loaded by the uploader further down (the model and its settings, as
# core.persistence.load returns them): checked and applied before the widgets it sets exist
model_file = st.session_state.pop(f"{KEY}_pending", None)
refused = None if model_file is None else take_model_file(*model_file, name)

with st.sidebar:
    n_train = st.select_slider("Training examples", SUBSETS[name], value=SUBSETS[name][-1 if name ==
                               "digits8" else 2], key=f"{KEY}_n_{name}",
                               format_func=lambda v: f"{v:,}",
                               help="Fewer examples train faster; the test set stays the same.")
    seed = st.number_input("Seed", 0, 9999, 0, key=f"{KEY}_seed",
                           help="Seeds the split, the subset and the initial weights.")

    st.header("Network")
    n_layers = st.slider("Hidden layers", 1, 3, 1, key=f"{KEY}_layers")
    hidden = st.select_slider("Units per hidden layer", HIDDEN_UNITS, value=64,
                              key=f"{KEY}_hidden")
    activation = st.radio("Activation g", ACTIVATIONS, key=f"{KEY}_activation", horizontal=True)
    learning_rate = st.select_slider("Learning rate η", LEARNING_RATES, value=0.1,
                                     key=f"{KEY}_lr", format_func=lambda v: f"{v:g}",
                                     help="Applies from the next step, also while training.")
    batch_size = st.select_slider("Batch size", BATCH_SIZES, value=16,
                                  key=f"{KEY}_batch",
                                  help="Applies from the next pass over the data.")
    epochs = st.slider("Epochs", 1, MAX_EPOCHS, 30, key=f"{KEY}_epochs",
                       help="Passes over the training examples; training stops after the last.")
    speed = st.slider("Speed (steps per tick)", 1, 200, 20, key=f"{KEY}_speed",
                      help="Gradient steps between two chart updates (about ten a second), as "
                           "many as fit in 40 ms.")

write_url(URL)

data = prepare(name, download, n_train, seed)
target = data["target"]
sizes = (hidden,) * n_layers

if mnist_problem:
    with st.container(border=True):
        st.warning(f"**MNIST is not available, so this page stays on the 8x8 digits.** "
                   f"{mnist_problem}", icon="📭")
        st.button("⬇️ Download MNIST from OpenML", key=f"{KEY}_download", on_click=try_download,
                  help="Needs the internet; scikit-learn keeps a copy for the next time.")
st.caption(f"**Data: {data['name']}**, {data['source']}. Training on {data['how']}"
           + (f": {len(data['y_train']):,} training and {len(data['y_test']):,} test images."
              if target == "digits8" else "."))


# ---- the two models, trained side by side ------------------------------------------------------
# A loaded model file's weights are the MLP's start until the network is changed.
start_weights = st.session_state.get(f"{KEY}_start")
layer_shapes = list(zip([data["X_train"].shape[1], *sizes], [*sizes, len(CLASSES)]))
if start_weights is not None and ([W.shape for W in start_weights["coefs"]] != layer_shapes
                                  or start_weights["activation"] != activation):
    del st.session_state[f"{KEY}_start"]
    start_weights = None


def build():
    mlp = MLPClassifier(sizes, activation=activation, learning_rate=learning_rate,
                        batch_size=batch_size, max_iter=epochs, tol=0, random_state=seed,
                        dtype=np.float32)
    logreg = LogisticRegression(learning_rate=learning_rate, batch_size=batch_size,
                                max_iter=epochs, tol=0, random_state=seed)
    split_data = (data["X_train"], data["y_train"], data["X_test"], data["y_test"])

    def from_file(model):  # copies again, so Reset starts from the file's weights once more
        model.coefs_ = [W.copy() for W in start_weights["coefs"]]
        model.intercepts_ = [b.copy() for b in start_weights["intercepts"]]
    # max_eval: every test image is evaluated at each tick (450 or 1,000), the training set on a
    # fixed sample of as many
    return {"MLP": Trainer(mlp, *split_data, classes=CLASSES, max_eval=MNIST_TEST,
                           init=None if start_weights is None else from_file),
            "logistic regression": Trainer(logreg, *split_data, classes=CLASSES,
                                           max_eval=MNIST_TEST)}


DATA_SETTINGS = dict(source=name, n_train=n_train, seed=seed)
run = get_run(KEY, dict(data=name, training_examples=n_train, seed=seed, hidden_layers=sizes,
                        activation=activation, epochs=epochs,
                        loaded_model=st.session_state.get(f"{KEY}_loads", 0)), build)
run.set_params(learning_rate=learning_rate, batch_size=batch_size)
n_test = len(data["y_test"])
architecture = f"{len(data['X_train'][0])}-{'-'.join(map(str, sizes))}-10 {activation}"


def percent(x):
    return "–" if x is None else f"{x:.1%}"


def render(run):
    mlp, logreg = run.latest["MLP"], run.latest["logistic regression"]
    epoch = epochs if run.trainers["MLP"].done else min(mlp.epoch, epochs)
    mlp_errors = round((1 - mlp.test_accuracy) * n_test)
    lr_errors = round((1 - logreg.test_accuracy) * n_test)
    status([("step", f"{mlp.step:,}"), ("epoch", f"{epoch:.1f} of {epochs}"),
            ("MLP test accuracy", percent(mlp.test_accuracy)),
            ("logistic regression", percent(logreg.test_accuracy)),
            (f"missed of {n_test:,}", f"MLP {mlp_errors}, logistic regression {lr_errors}")])
    st.progress(epoch / epochs)
    runs = {name: run.histories[name].arrays("step", "train_loss", "test_loss", "train_accuracy",
                                             "test_accuracy") for name in run.trainers}
    live_chart(F.curves_figure(runs=runs, title=f"MLP {architecture} and softmax logistic "
                                                f"regression: loss and accuracy"),
               key=f"{KEY}_chart_curves", height=310)


controls(run, KEY, step_size=10)
live_fragment(run, render, speed)
st.caption("Softmax logistic regression is this network without its hidden layer: one weighted "
           "sum of the pixels per digit, a single template each. It learns fast, then levels off "
           "lower: count the test digits each one misses. The hidden units (their weights are "
           "drawn below) give the MLP features of its own to combine.")


# ---- drawing and classification --------------------------------------------------------------
def baselines_now():
    """The fitted scikit-learn models, if they were fitted on this very data and network."""
    kept = st.session_state.get(f"{KEY}_sk")
    return kept["result"] if kept and kept["signature"] == baseline_signature() else None


def baseline_signature():
    return (name, download, n_train, seed, sizes, activation, learning_rate, batch_size, epochs)


def note_stroke():
    st.session_state[f"{KEY}_received"] = time.perf_counter()


def remember_drawing(pad):
    """Keep the pad's newest image in session state (where tests put theirs, too).

    The pad sends a PNG after each stroke, clear and undo. When it sends nothing although it
    did before, it was mounted afresh (the page was left and opened again): it is empty.
    """
    png = pad.image_bytes
    digest = None if png is None else hashlib.md5(png).hexdigest()
    if digest == st.session_state.get(f"{KEY}_pad_digest"):
        return
    st.session_state[f"{KEY}_pad_digest"] = digest
    if digest is None:
        st.session_state.pop(DRAWING, None)
    else:
        st.session_state[DRAWING] = pad.image_data


def draw_pad():
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as err:  # the page still trains and explains without the pad
        st.warning(f"The drawing pad is unavailable here ({type(err).__name__}: {err}).")
        return
    st.space(28)  # the pad's toolbar floats above it
    pad = st_canvas(stroke_width=20, stroke_color="#ffffff", background_color="#000000",
                    width=PAD[0], height=PAD[1], drawing_mode="freedraw",
                    return_image_data=True, key=f"{KEY}_pad", on_change=note_stroke)
    remember_drawing(pad)
    st.caption("Draw with the mouse, white on black. The toolbar above the pad undoes the last "
               "stroke or clears the pad.")


def other_models(features):
    """What logistic regression (and scikit-learn's models, when fitted) say about the drawing."""
    rows = [("softmax logistic regression (ours)", run.trainers["logistic regression"].model)]
    sk = baselines_now()
    if sk:
        rows += [("scikit-learn MLPClassifier", sk["mlp"]),
                 ("scikit-learn LogisticRegression", sk["logistic"])]
    lines = ["| model | first guess | second guess |", "|---|---|---|"]
    for label, model in rows:
        try:
            P = model.predict_proba(features)[0]
        except ValueError:  # weights that overflowed
            lines.append(f"| {label} | – | – |")
            continue
        k1, k2 = D.top_two(P)
        lines.append(f"| {label} | **{k1}** ({P[k1]:.0%}) | {k2} ({P[k2]:.0%}) |")
    st.markdown("\n".join(lines))
    if not sk:
        st.caption("Fit scikit-learn's models at the bottom of the page to see their guesses too.")


def answer(start):
    """The network's answer for the drawing in session state; returns it or None."""
    drawing = st.session_state.get(DRAWING)
    if drawing is None:
        st.info("✍️ **Draw a digit on the black pad**, as large as the pad. The network's first "
                "and second guess appear here as soon as you lift the mouse.", icon="👈")
        return None
    try:
        digit = drawing_to_input(drawing, target)
    except EmptyDrawingError:
        st.info("The pad is empty: **draw a digit** (0 to 9) with the mouse, and the guesses "
                "appear here.", icon="👈")
        return None
    if run.error:  # its weights are whatever the last step left: no answer to trust
        st.warning("The network cannot answer: its training diverged. Press **Reset** and pick "
                   "a smaller learning rate.", icon="⚠️")
        return None
    model = run.trainers["MLP"].model
    try:
        P = model.predict_proba(digit.features)[0]
    except ValueError as err:  # non-finite weights
        st.warning(f"The network cannot answer: {err}", icon="⚠️")
        return None
    k1, k2 = D.top_two(P)
    cards = st.columns([1, 1, 3])
    cards[0].markdown(D.guess_html("First guess", k1, P[k1], strong=True), unsafe_allow_html=True)
    cards[1].markdown(D.guess_html("Second guess", k2, P[k2]), unsafe_allow_html=True)
    with cards[2]:
        snap = run.latest["MLP"]
        if snap.step == 0:
            st.caption("⚠️ The network is untrained (random weights): press **▶ Play** and "
                       "watch its guesses change.")
        else:
            st.caption(f"The MLP after {snap.step:,} steps ({snap.epoch:.1f} epochs), "
                       f"{percent(snap.test_accuracy)} right on the test digits.")
    live_chart(D.guess_figure(P, CLASSES, title="P(digit | your drawing), softmax output"),
               key=f"{KEY}_chart_proba", height=230)
    elapsed_ms = (time.perf_counter() - start) * 1000
    st.caption(f"⏱️ classified in {elapsed_ms:.0f} ms on the server (from receiving the drawing "
               f"to this answer)")
    return digit, k1, k2


def inside_drawing(digit, k1, k2):
    """The preprocessing step by step, the hidden units and the saliency for this drawing."""
    st.markdown("**From your drawing to the model's input**, the way the data set's own digits "
                "were made:")
    st.markdown(D.steps_html(digit.steps), unsafe_allow_html=True)
    model = run.trainers["MLP"].model
    left, right = st.columns([1.3, 1])
    with left:
        hidden = [h[0] for h in model.hidden_activations(digit.features)]
        live_chart(D.activations_figure(hidden, activation,
                                        title="Hidden units' outputs h = g(Wᵀx + b) for your "
                                              "drawing"),
                   key=f"{KEY}_chart_hidden", height=90 + 120 * len(hidden))
    with right:
        grads = [model.input_gradient(digit.features, k=[k]).reshape(data["shape"])
                 for k in (k1, k2)]
        live_chart(F.image_grid_figure(grads,
                                       titles=[f"{k1}: first guess", f"{k2}: second guess"],
                                       cols=2, signed=True, title="Saliency ∂ log P(k | x) / ∂x"),
                   key=f"{KEY}_chart_saliency", height=260)
        st.caption("Blue pixels: more ink there would raise P(k); red: lower it. The gradient "
                   "of the log-probability with respect to each input pixel, by backpropagation "
                   "all the way to the input.")


st.subheader("✏️ Draw, and the network guesses")


# While training, the answer follows the network every 2 s; without a drawing there is nothing
# to follow, and the browser is spared the redraw.
@st.fragment(run_every=2.0 if run.running and DRAWING in st.session_state else None)
def draw_and_classify():
    """A stroke reruns only this fragment."""
    start = st.session_state.pop(f"{KEY}_received", None) or time.perf_counter()
    had_drawing = DRAWING in st.session_state
    with st.container(horizontal=True, gap="large"):
        with st.container(width=PAD[0] + 16):  # the pad keeps its size; the answer takes the rest
            draw_pad()
        answer_col = st.container(width="stretch")
    with answer_col:
        result = answer(start)
        if result is not None:
            other_models(result[0].features)
    if result is not None:
        inside_drawing(*result)
    if run.running and not had_drawing and DRAWING in st.session_state:
        st.rerun(scope="app")  # the first drawing during training: start following it


draw_and_classify()


# ---- looking inside: weights, confusion matrix, mistakes ----------------------------------------
st.subheader("🔬 Looking inside the network")
weight_images = min(hidden, MAX_WEIGHT_IMAGES)
h, w = data["shape"]
st.markdown(f"**The first hidden layer's weights, one image per unit** ({weight_images} of "
            f"{hidden} units): unit j computes g(Σᵢ Wᵢⱼ xᵢ + bⱼ), so its weights form a {h}x{w} "
            f"picture of the pattern it looks for. Blue pixels excite it, red ones inhibit it.")


def render_inside(run):
    """Refreshed every 2 s while training: the figures only (the text above stays put)."""
    model = run.trainers["MLP"].model
    W = np.asarray(model.coefs_[0])
    cols = min(weight_images, 16)
    fig = D.mosaic_figure([W[:, j].reshape(h, w) for j in range(weight_images)], cols=cols,
                          signed=True, width=1000 if cols == 16 else 70 * cols)
    live_chart(fig, key=f"{KEY}_chart_weights", height=fig["layout"]["height"])

    guesses = model.predict(data["X_test"])
    cm = D.confusion(data["y_test"], guesses)
    wrong = np.flatnonzero(guesses != data["y_test"])
    left, right = st.columns([1, 1.4])
    with left:
        live_chart(D.confusion_figure(cm, CLASSES, title=f"Test-set confusion matrix "
                                                         f"({len(wrong)} of {n_test:,} wrong)"),
                   key=f"{KEY}_chart_confusion", height=400)
    with right:
        shown_wrong = wrong[:24]
        if len(shown_wrong):
            fig = D.mosaic_figure(
                [data["test_images"][i] for i in shown_wrong], cols=8, width=560, height=400,
                titles=[f"{data['y_test'][i]} → {guesses[i]}" for i in shown_wrong],
                title=f"Misclassified test digits: true → guess (the first {len(shown_wrong)} "
                      f"of {len(wrong)})")
            live_chart(fig, key=f"{KEY}_chart_mistakes", height=400)
        else:
            st.success("No test digit is misclassified.")


follow_fragment(run, render_inside, every=2.0)


# ---- save and load the MLP ----------------------------------------------------------------------
# open while the uploader holds a file (or one was just refused), so the outcome is in sight
with st.expander("💾 Save or load the model",
                 expanded=st.session_state.get(f"{KEY}_io_upload") is not None or bool(refused)):
    st.caption("A model file holds the MLP's weights and settings and the data's (source, "
               "training examples, seed): loading it here sets the same widgets and starts the "
               "MLP from the file's weights.")
    if refused:
        st.error(f"{refused}  \nNothing was changed.", icon="⚠️")
    elif model_file is not None:
        st.success(f"The MLP starts from the file's weights ({model_file[1].get('steps', 0):,} "
                   f"steps of training). Press **▶ Play** to train on from there.", icon="💾")
    elif start_weights is not None:
        st.caption("The MLP starts from a loaded file's weights (Reset returns to them) until "
                   "you change the network.")
    uploaded = model_io(run, "MLP", "digits", DATA_SETTINGS, f"{KEY}_io")
    if uploaded is not None:
        st.session_state[f"{KEY}_pending"] = uploaded  # applied at the top of the next run
        st.rerun()


# ---- scikit-learn on the same split -------------------------------------------------------------
st.subheader("🆚 scikit-learn on the same split")


@st.cache_data(max_entries=8, show_spinner=False)
def fit_baselines(name, download, n_train, seed, sizes, activation, learning_rate, batch_size,
                  epochs):
    d = prepare(name, download, n_train, seed)
    split_data = (d["X_train"], d["y_train"], d["X_test"], d["y_test"])
    mlp = sklearn_mlp(*split_data, hidden_layer_sizes=sizes, activation=activation,
                      learning_rate=learning_rate, batch_size=batch_size, max_iter=epochs,
                      random_state=seed)
    logistic = sklearn_logistic(*split_data, max_iter=200)
    return dict(mlp=mlp.model, logistic=logistic.model, rows=[mlp, logistic])


st.markdown(f"`MLPClassifier({sizes}, activation='{'logistic' if activation == 'sigmoid' else activation}', "
            f"solver='sgd', learning_rate_init={learning_rate:g}, batch_size={batch_size}, "
            f"max_iter={epochs})` and `LogisticRegression(C=∞)` (L-BFGS), trained on the same "
            f"{len(data['y_train']):,} examples and tested on the same {n_test:,}.")
if st.button("Fit scikit-learn's models", key=f"{KEY}_sk_fit"):
    with st.spinner("Training scikit-learn's MLP and logistic regression…"):
        result = fit_baselines(*baseline_signature())
    st.session_state[f"{KEY}_sk"] = dict(signature=baseline_signature(), result=result)
    st.rerun()  # so the drawing's answer above lists their guesses too
sk = baselines_now()
if sk:
    ours = [run.latest["MLP"], run.latest["logistic regression"]]
    st.dataframe({
        "model": ["MLP (ours, live)", "softmax logistic regression (ours, live)",
                  *[b.name for b in sk["rows"]]],
        "train accuracy": [percent(s.train_accuracy) for s in ours]
                          + [percent(b.train_accuracy) for b in sk["rows"]],
        "test accuracy": [percent(s.test_accuracy) for s in ours]
                         + [percent(b.test_accuracy) for b in sk["rows"]],
        "test loss −LL/n": [fmt(s.test_loss) for s in ours] + [fmt(b.test_log_loss) for b in sk["rows"]],
        "training time": [f"live, {s.epoch:.1f} epochs so far" for s in ours]
                         + [f"{sk['rows'][0].fit_seconds:.2f} s for {sk['mlp'].n_iter_} epochs",
                            f"{sk['rows'][1].fit_seconds:.2f} s" + ("" if sk["rows"][1].converged
                                                                    else " (L-BFGS stopped at max_iter)")]},
        hide_index=True)
    st.caption("Our rows show the models as they are now; press the button again after "
               "changing the network to refit scikit-learn's.")
elif st.session_state.get(f"{KEY}_sk"):
    st.caption("The data or the network changed since scikit-learn's models were fitted: "
               "fit them again.")
