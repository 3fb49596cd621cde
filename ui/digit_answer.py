"""The digit page's answer to a drawing (Streamlit parts): the two guesses and the ten
probabilities, then four views of how the network got there: softmax step by step, the drawing
flowing through the network, which ink mattered, and the preprocessing from pad to input."""
import time

import numpy as np
import streamlit as st

from core import EmptyDrawingError, drawing_to_input
from ui import digit_figures as D
from ui import digit_views as V
from ui.live_chart import live_chart
from ui.page import sections

TINY = 0.1  # a drawing whose ink spans less than this share of the pad is too small to read


def read(drawing, target):
    """The drawing as the model's input (a DigitInput), or None with the prompt shown."""
    if drawing is None:
        st.info(V.DRAW_PROMPT, icon="👈")
        return None
    try:
        digit = drawing_to_input(drawing, target)
    except EmptyDrawingError:
        st.info(V.EMPTY_PROMPT, icon="👈")
        return None
    top, bottom, left, right = digit.box
    side, pad = max(bottom - top, right - left), max(np.shape(drawing)[:2])
    if side < TINY * pad:
        st.warning(f"Your drawing is very small ({side} px on a {pad} px "
                   f"pad). Every drawing is scaled to the same size before the network reads "
                   f"it, so a dot or a tiny mark becomes a blob it has never seen, and its "
                   f"answer means little. Draw the digit larger.", icon="🔍")
    return digit


def answer(run, key, digit, start, others=()):
    """The MLP's first and second guess for ``digit`` (a DigitInput), its probabilities, and
    the other ``(label, model)`` pairs' guesses; returns the MLP's probabilities, or None
    when it cannot answer (training diverged)."""
    if run.error:
        st.warning("The network cannot answer: its training diverged. Press **Reset** and "
                   "pick a smaller learning rate.", icon="⚠️")
        return None
    try:
        P = run.trainers["MLP"].model.predict_proba(digit.features)[0]
    except ValueError as err:  # weights that are not finite
        st.warning(f"The network cannot answer: {err}", icon="⚠️")
        return None
    st.markdown(D.guesses_html(P), unsafe_allow_html=True)
    st.caption(V.trained_note(run.latest["MLP"], run.done))
    live_chart(D.guess_figure(P, V.CLASSES, title="P(digit | your drawing), softmax output"),
               key=f"{key}_chart_proba", height=230)
    st.caption(f"⏱️ classified in {(time.perf_counter() - start) * 1000:.0f} ms on the server "
               f"(from receiving the drawing to this answer)")
    models = [("softmax logistic regression (ours)", run.trainers["logistic regression"].model),
              *others]
    st.markdown(V.guesses_table(models, digit.features))
    if not others:
        st.caption("Fit scikit-learn's models at the bottom of the page to see their guesses too.")
    return P


def how_it_answered(run, key, digit, P, activation, shape):
    """Four views of the way from the drawing to ``P``, one at a time (ui.page.sections)."""
    model = run.trainers["MLP"].model
    k1, k2 = D.top_two(P)
    def softmax():
        logits = model.layer_outputs(digit.features)[-1][0]
        st.latex(V.SOFTMAX_LATEX)
        fig = D.softmax_figure(logits, V.CLASSES)
        live_chart(fig, key=f"{key}_chart_softmax", height=fig["layout"]["height"])
        st.caption(V.SOFTMAX_NOTES)

    def network():
        fig = V.flow(model, digit.features, digit.image, activation)
        live_chart(fig, key=f"{key}_chart_flow", height=fig["layout"]["height"], fit=True)
        st.caption(V.FLOW_TEXT)
        hidden = [h[0] for h in model.hidden_activations(digit.features)]
        live_chart(D.activations_figure(hidden, activation, title=V.hidden_title(len(hidden))),
                   key=f"{key}_chart_hidden", height=90 + 120 * len(hidden))

    def ink():
        fig, check = V.attribution(model, digit.features, k1, k2, shape)
        live_chart(fig, key=f"{key}_chart_saliency", height=300)
        st.caption(V.SALIENCY_TEXT + f" Check: {check}.")

    def steps():
        st.markdown("**From your drawing to the model's input**, the way the data set's own "
                    "digits were made:")
        st.markdown(D.steps_html(digit.steps), unsafe_allow_html=True)
        st.caption(V.STEPS_TEXT)

    sections(key, V.VIEW["how"], dict(softmax=softmax, network=network, ink=ink, steps=steps))
