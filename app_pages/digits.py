"""Draw a digit: train an MLP on handwritten digits live, then draw one and watch it classify."""
import time

import numpy as np
import streamlit as st

from core import DataUnavailable, EmptyDrawingError, LogisticRegression, MLPClassifier, Trainer, drawing_to_input
from ui import digit_figures as D
from ui import digit_views as V
from ui.digit_data import PAD, draw_pad, load_data, prepare, try_download
from ui.digit_views import MNIST_TEST, SPECS, SUBSETS
from ui.live import controls, follow_fragment, get_run, live_fragment
from ui.live_chart import live_chart
from ui.page import (fitted, forget_start, header, loads, model_box, sklearn_button,
                     sklearn_requested, start_weights, status)
from ui.settings import Setting, restore, settings, widget, write_url

KEY = "digits"
DRAWING = f"{KEY}_drawing"      # the pad's latest RGBA image; classification reads it from here
header("✍️ Draw a digit",
       "A picture of a digit is a feature vector: one number per pixel. Train a network on "
       "handwritten digits while you watch, then **draw a digit on the pad** and see what it "
       "thinks, from your pen stroke to the ten probabilities, beside a logistic regression "
       "trained on the same examples.",
       "digits as feature vectors; logistic regression: not so good; feed neurons into other "
       "neurons; softmax for K classes; the draw-a-digit demonstration (first and second guess).")


values = restore(KEY, SPECS)
with st.sidebar:
    st.header("Data")
    wanted = widget(KEY, SPECS["source"], horizontal=True)
    name, download, mnist_problem = "digits8", st.session_state.get(f"{KEY}_mnist_download", False), None
    if wanted == "mnist":
        try:
            load_data("mnist", download)
            name = "mnist"
        except DataUnavailable as err:
            mnist_problem = st.session_state.pop(f"{KEY}_mnist_error", None) or str(err)
    n_train = widget(KEY, SPECS["n"].bounded(options=SUBSETS[name], default=SUBSETS[name][
        -1 if name == "digits8" else 2]))
    seed = widget(KEY, SPECS["seed"])
    st.header("Network")
    n_layers, hidden = widget(KEY, SPECS["layers"]), widget(KEY, SPECS["hidden"])
    activation = widget(KEY, SPECS["activation"], horizontal=True)
    learning_rate, batch_size, epochs, speed = (widget(KEY, SPECS[k])
                                                for k in ("lr", "batch", "epochs", "speed"))
write_url(KEY, SPECS)

data = prepare(name, download, n_train, seed)
sizes = (hidden,) * n_layers
if mnist_problem:
    with st.container(border=True):
        st.warning(f"**MNIST is not available, so this page stays on the 8x8 digits.** "
                   f"{mnist_problem}", icon="📭")
        st.button("⬇️ Download MNIST from OpenML", key=f"{KEY}_download", on_click=try_download,
                  help="Needs the internet; scikit-learn keeps a copy for the next time.")
st.caption(f"**Data: {data.name}**, {data.source}. Training on {data.how}"
           + (f": {len(data.y_train):,} training and {len(data.y_test):,} test images."
              if name == "digits8" else "."))

loaded = start_weights(KEY)  # a model file's weights are the MLP's start until the network changes
if loaded is not None and [loaded[f"coef_{l}"].shape for l in range(n_layers + 1)] != \
        list(zip([V.INPUTS[name], *sizes], [*sizes, 10])):
    forget_start(KEY)
    loaded = None


def build():
    mlp = MLPClassifier(sizes, activation=activation, learning_rate=learning_rate,
                        batch_size=batch_size, max_iter=epochs, tol=0, random_state=seed,
                        dtype=np.float32)
    logreg = LogisticRegression(learning_rate=learning_rate, batch_size=batch_size,
                                max_iter=epochs, tol=0, random_state=seed)
    split = (data.X_train, data.y_train, data.X_test, data.y_test)
    return {"MLP": Trainer(mlp, *split, classes=V.CLASSES, max_eval=MNIST_TEST, weights=loaded),
            "logistic regression": Trainer(logreg, *split, classes=V.CLASSES,
                                           max_eval=MNIST_TEST)}


run = get_run(KEY, {"the data": (name, n_train, seed), "the network": (sizes, activation, epochs),
                    "the loaded model file": loads(KEY)}, build)
run.set_params(learning_rate=learning_rate, batch_size=batch_size)
n_test = len(data.y_test)
title = (f"MLP {V.architecture(data.X_train.shape[1], sizes, activation)} and softmax logistic "
         "regression: loss and accuracy")


def render(run):
    items, done = V.status_items(run.latest["MLP"], run.latest["logistic regression"], epochs,
                                 run.trainers["MLP"].done, n_test)
    status(items)
    st.progress(done)
    live_chart(V.curves(run.histories, title), key=f"{KEY}_chart_curves", height=310)


controls(run, KEY, step_size=10)
live_fragment(run, render, speed)
st.caption(V.COMPARE_TEXT)


sk_args = dict(hidden_layer_sizes=sizes, activation=activation, learning_rate=learning_rate,
               batch_size=batch_size, max_iter=epochs, random_state=seed)


def sklearn_now():
    """scikit-learn's MLP and logistic regression, once asked for on this data and network."""
    if not sklearn_requested(KEY, (name, n_train, sk_args)):
        return None
    split = (data.X_train, data.y_train, data.X_test, data.y_test)
    with st.spinner("Training scikit-learn's MLP and logistic regression…"):
        return fitted("mlp", *split, **sk_args), fitted("logistic", *split, max_iter=200)


def answer(start):
    """The network's answer for the drawing in session state: shown, and returned (or None)."""
    drawing = st.session_state.get(DRAWING)
    try:
        digit = None if drawing is None else drawing_to_input(drawing, name)
    except EmptyDrawingError:
        st.info(V.EMPTY_PROMPT, icon="👈")
        return None
    if digit is None or run.error:
        if run.error:
            st.warning("The network cannot answer: its training diverged. Press **Reset** and "
                       "pick a smaller learning rate.", icon="⚠️")
        else:
            st.info(V.DRAW_PROMPT, icon="👈")
        return None
    try:
        P = run.trainers["MLP"].model.predict_proba(digit.features)[0]
    except ValueError as err:  # weights that are not finite
        st.warning(f"The network cannot answer: {err}", icon="⚠️")
        return None
    k1, k2 = D.top_two(P)
    cards = st.columns([1, 1, 3])
    cards[0].markdown(D.guess_html("First guess", k1, P[k1], strong=True), unsafe_allow_html=True)
    cards[1].markdown(D.guess_html("Second guess", k2, P[k2]), unsafe_allow_html=True)
    cards[2].caption(V.trained_note(run.latest["MLP"]))
    live_chart(D.guess_figure(P, V.CLASSES, title="P(digit | your drawing), softmax output"),
               key=f"{KEY}_chart_proba", height=230)
    st.caption(f"⏱️ classified in {(time.perf_counter() - start) * 1000:.0f} ms on the server "
               f"(from receiving the drawing to this answer)")
    models = [("softmax logistic regression (ours)", run.trainers["logistic regression"].model)]
    sk = sklearn_now()
    if sk:
        models += [("scikit-learn MLPClassifier", sk[0].model),
                   ("scikit-learn LogisticRegression", sk[1].model)]
    st.markdown(V.guesses_table(models, digit.features))
    if not sk:
        st.caption("Fit scikit-learn's models at the bottom of the page to see their guesses too.")
    return digit, k1, k2


st.subheader("✏️ Draw, and the network guesses")


@st.fragment(run_every=2.0 if run.running and DRAWING in st.session_state else None)
def draw_and_classify():
    """A stroke reruns only this fragment; while training, the answer follows every 2 s."""
    start = st.session_state.pop(f"{KEY}_pad_received", None) or time.perf_counter()
    had_drawing = DRAWING in st.session_state
    with st.container(horizontal=True, gap="large"):
        with st.container(width=PAD[0] + 16):  # the pad keeps its size; the answer takes the rest
            draw_pad(f"{KEY}_pad", DRAWING)
        with st.container(width="stretch"):
            result = answer(start)
    if result is not None:
        digit, k1, k2 = result
        st.markdown("**From your drawing to the model's input**, the way the data set's own "
                    "digits were made:")
        st.markdown(D.steps_html(digit.steps), unsafe_allow_html=True)
        model = run.trainers["MLP"].model
        left, right = st.columns([1.3, 1])
        hidden_h = [h[0] for h in model.hidden_activations(digit.features)]
        with left:
            live_chart(D.activations_figure(hidden_h, activation, title="Hidden units' outputs "
                                            "h = g(Wᵀx + b) for your drawing"),
                       key=f"{KEY}_chart_hidden", height=90 + 120 * len(hidden_h))
        with right:
            live_chart(V.saliency(model, digit.features, k1, k2, data.shape),
                       key=f"{KEY}_chart_saliency", height=260)
            st.caption(V.SALIENCY_TEXT)
    if run.running and not had_drawing and DRAWING in st.session_state:
        st.rerun(scope="app")  # the first drawing during training: start following it


draw_and_classify()

st.subheader("🔬 Looking inside the network")
shown = min(hidden, 64)
st.markdown(V.weights_text(shown, hidden, data.shape))


def render_inside(run):
    model = run.trainers["MLP"].model
    fig = V.weights_mosaic(np.asarray(model.coefs_[0]), shown, data.shape)
    live_chart(fig, key=f"{KEY}_chart_weights", height=fig["layout"]["height"])
    confusion, wrong = V.mistakes(model, data)
    left, right = st.columns([1, 1.4])
    with left:
        live_chart(confusion, key=f"{KEY}_chart_confusion", height=400)
    with right:
        if wrong is None:
            st.success("No test digit is misclassified.")
        else:
            live_chart(wrong, key=f"{KEY}_chart_mistakes", height=400)


follow_fragment(run, render_inside, every=2.0)


model_box(KEY, "digits", SPECS, run, "MLP", {k: values[k] for k in SPECS},
          lambda model, meta: V.fit_file(model, meta, name),
          caption="A model file holds the MLP's weights and the page's settings (the data's "
                  "too): loading it sets the same widgets and starts the MLP from the file's "
                  "weights.")

st.subheader("🆚 scikit-learn on the same split")
st.markdown(V.sklearn_call(sizes, activation, learning_rate, batch_size, epochs,
                           len(data.y_train), n_test))
sklearn_button(KEY, "Fit scikit-learn's models", (name, n_train, sk_args))
if sklearn_now():
    st.dataframe(V.sklearn_table([run.latest["MLP"], run.latest["logistic regression"]],
                                 sklearn_now()), hide_index=True)
    st.caption("Our rows show the models as they are now; press the button again after "
               "changing the network to refit scikit-learn's.")
