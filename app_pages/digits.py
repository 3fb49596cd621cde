"""Draw a digit: train an MLP on handwritten digits live, then draw one and watch it classify."""
import time

import numpy as np
import streamlit as st

from core import LogisticRegression, MLPClassifier, Trainer
from ui import digit_views as V
from ui.digit_answer import answer, how_it_answered, read
from ui.digit_data import (PAD, download_offer, draw_pad, mnist_found, prepare,
                           written_digits)
from ui.digit_inside import inside
from ui.digit_keep import keep_buttons, personal_set
from ui.digit_pairs import pairs_section
from ui.digit_training import converge_button, converge_if_asked, quick_fit
from ui.digit_views import COPIES, MNIST_TEST, QUICK_EPOCHS, SPECS, SUBSETS
from ui.live import controls, follow_fragment, get_run, live_fragment, live_frames
from ui.page import (fitted, forget_start, header, lesson_box, loads, model_box,
                     sklearn_button, sklearn_requested, start_weights, status)
from ui.settings import restore, stage, widget, write_url

KEY = "digits"
DRAWING = f"{KEY}_drawing"      # the pad's latest RGBA image; classification reads it from here
header("✍️ Draw a digit",
       "A picture of a digit is a feature vector: one number per pixel. A network learns to "
       "read handwritten digits (a first model in seconds, then it trains on while you "
       "watch): **draw a digit on the pad** and see what it thinks, from your pen stroke "
       "through softmax to the ten probabilities, beside a logistic regression trained on the "
       "same examples.",
       "digits as feature vectors; logistic regression: not so good; feed neurons into other "
       "neurons; softmax for K classes; the draw-a-digit demonstration (first and second guess).", page=KEY)

download = st.session_state.get(f"{KEY}_mnist_download", False)
found, why = mnist_found(download)  # MNIST is the default whenever a copy is found
specs = dict(SPECS, **V.VIEW, source=SPECS["source"].bounded(default="mnist" if found else "digits8"))
values = restore(KEY, specs)
with st.sidebar:
    st.header("Data")
    wanted = widget(KEY, specs["source"], horizontal=True)
    name = "mnist" if wanted == "mnist" and found else "digits8"
    defaults = V.source_defaults(name)
    if st.session_state.get(f"{KEY}__source", name) != name:  # another data set: its defaults
        st.session_state.update({f"{KEY}_{k}": v for k, v in defaults.items()})
    st.session_state[f"{KEY}__source"] = name
    n_train = widget(KEY, SPECS["n"].bounded(options=SUBSETS[name], default=defaults["n"]))
    copies = widget(KEY, SPECS["copies"].bounded(options=COPIES[name],
                                                 default=defaults["copies"]))
    # made in the 8x8 digits' format: MNIST's 70,000 digits from 500 writers need none
    synthetic = widget(KEY, SPECS["synthetic"]) if name == "digits8" else 0
    seed = widget(KEY, SPECS["seed"])
    st.header("Network")
    n_layers, hidden = widget(KEY, SPECS["layers"]), widget(KEY, SPECS["hidden"])
    activation = widget(KEY, SPECS["activation"], horizontal=True)
    learning_rate, batch_size, epochs, speed = (widget(KEY, SPECS[k])
                                                for k in ("lr", "batch", "epochs", "speed"))
write_url(KEY, specs)
lesson_box(KEY, specs)

data = prepare(name, download, n_train, seed, copies, synthetic)
sizes = (hidden,) * n_layers

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


run = get_run(KEY, {"the data": (name, n_train, copies, synthetic, seed),
                    "the network": (sizes, activation, epochs),
                    "the loaded model file": loads(KEY)}, build,
              shared=(data.X_train, data.X_test))  # the server's one copy of the data
run.set_params(learning_rate=learning_rate, batch_size=batch_size)
if loaded is None:
    quick_fit(run, QUICK_EPOCHS[name])  # a model to draw on within seconds; then live training
elif not getattr(run, "quick_fit_done", False):
    run.quick_fit_done = True  # a model file: shown as it was saved, until Play
    run.pause()
n_test = len(data.y_test)
title = (f"MLP {V.architecture(data.X_train.shape[1], sizes, activation)} and softmax logistic "
         "regression: loss and accuracy")


def render(run):
    items, done = V.status_items(run.latest["MLP"], run.latest["logistic regression"], epochs,
                                 run.trainers["MLP"].done, n_test)
    status(items)
    st.progress(done)
    # while playing, the curves as they were between two reruns too (live_fragment's frames)
    live_frames(run, "MLP", lambda snap: V.curves(run.histories, title, upto=snap.step),
                key=f"{KEY}_chart_curves", height=310)


sk_args = dict(hidden_layer_sizes=sizes, activation=activation, learning_rate=learning_rate,
               batch_size=batch_size, max_iter=epochs, random_state=seed)


def sklearn_now():
    """scikit-learn's MLP and logistic regression, once asked for on this data and network."""
    if not sklearn_requested(KEY, (name, n_train, copies, synthetic, sk_args)):
        return None
    split = (data.X_train, data.y_train, data.X_test, data.y_test)
    with st.spinner("Training scikit-learn's MLP and logistic regression…"):
        return fitted("mlp", *split, **sk_args), fitted("logistic", *split, max_iter=200)


@st.fragment(run_every=2.0 if run.running else None)
def draw_and_classify():
    """A stroke reruns only this fragment; while training, the answer follows every 2 s (the
    run's lock held: no step is taken while the models are read)."""
    start = st.session_state.pop(f"{KEY}_pad_received", None) or time.perf_counter()
    with run.lock, st.container(horizontal=True, gap="small"):  # the answer gets the room
        with st.container(width=PAD[0] + 16):  # the pad keeps its size; the answer takes the rest
            draw_pad(f"{KEY}_pad", DRAWING)
        with st.container(width="stretch"):
            digit = read(st.session_state.get(DRAWING), name)
            sk = sklearn_now()
            others = [("scikit-learn MLPClassifier", sk[0].model),
                      ("scikit-learn LogisticRegression", sk[1].model)] if sk else []
            P = None if digit is None else answer(run, KEY, digit, start, others)
            if digit is None:  # (this fragment follows the training every 2 s)
                st.caption(V.training_note(run.latest["MLP"], epochs, run.running,
                                           run.trainers["MLP"].done))
            # which data, and why, in sight by the pad (and what to expect of 8x8 digits)
            st.caption(V.data_caption(data, name, found, why))
            if name != "mnist":
                st.caption(V.DRAWN_LIMIT)
    with run.lock:
        if P is not None:
            keep_buttons(KEY, st.session_state[DRAWING])
            how_it_answered(run, KEY, digit, P, activation, data.shape)
        personal_set(run, KEY, name, data.shape)


# the page is about drawing: the pad comes first, in sight with the controls; the curves follow
converge_if_asked(run, epochs)
# said beside the pad (V.training_note): a line under the controls moved the pad 38 px down as
# the training ended, under a stroke being drawn
run.done_note = ""
controls(run, KEY, step_size=10, extra=lambda: converge_button(run, KEY, epochs))
draw_and_classify()
if synthetic:  # beside the offer of more data, the full width: not in the answer's column
    written_digits(seed, synthetic)
if not found and download_offer(KEY):
    stage(KEY, specs, {"source": "mnist"})
    st.rerun()
live_fragment(run, render, speed, frames=2)
st.caption(V.COMPARE_TEXT)

st.subheader("🔬 Looking inside the network")
st.markdown(V.weights_text(min(hidden, 64), hidden, data.shape))
follow_fragment(run, lambda run: inside(run, KEY, data, hidden), every=2.0)

pairs_section(KEY, name, download, n_train, seed)

model_box(KEY, "digits", SPECS, run, "MLP", {k: values[k] for k in SPECS},
          lambda model, meta: V.fit_file(model, meta, name),
          caption="A model file holds the MLP's weights and the page's settings (the data's "
                  "too): loading it sets the same widgets and starts the MLP from the file's "
                  "weights.")

st.subheader("🆚 scikit-learn on the same split")
st.markdown(V.sklearn_call(sizes, activation, learning_rate, batch_size, epochs,
                           len(data.y_train), n_test))
sklearn_button(KEY, "Fit scikit-learn's models",
               (name, n_train, copies, synthetic, sk_args))
if sklearn_now():
    st.dataframe(V.sklearn_table([run.latest["MLP"], run.latest["logistic regression"]],
                                 sklearn_now()), hide_index=True)
    st.caption("Our rows show the models as they are now; press the button again after "
               "changing the network to refit scikit-learn's.")
