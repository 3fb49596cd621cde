"""The digit page's Streamlit parts: the data sets, loaded once per server and shared
read-only, and the drawing pad whose newest drawing is kept in session state."""
import dataclasses
import hashlib
import time

import numpy as np
import streamlit as st

from core import DataUnavailable, load_digits8, load_mnist
from core.datasets import digit_split
from ui.digit_views import MNIST_TEST

PAD = (280, 280)


@st.cache_resource(show_spinner="Loading the digits…")
def load_data(name, download=False):
    """The data set, loaded once per server process and shared read-only by every session.
    For MNIST, ``download=False`` only looks for a local copy (a failure is not cached)."""
    d = load_digits8() if name == "digits8" else load_mnist(download=download)
    for field in dataclasses.fields(d):
        if isinstance(getattr(d, field.name), np.ndarray):
            getattr(d, field.name).flags.writeable = False
    return d


@st.cache_resource(max_entries=6, show_spinner="Preparing the training examples…")
def prepare(name, download, n_train, seed):
    return digit_split(load_data(name, download), n_train, seed, max_test=MNIST_TEST)


def try_download():
    try:
        with st.spinner("Downloading MNIST from OpenML (about 15 MB, once)…"):
            load_data("mnist", download=True)
        st.session_state["digits_mnist_download"] = True
    except DataUnavailable as err:
        st.session_state["digits_mnist_error"] = str(err)


def remember_drawing(pad, key, drawing_key):
    """Keep the pad's newest image in session state (where tests put theirs, too). A pad that
    sends nothing although it did before was mounted afresh (the page was left): it is empty."""
    png = pad.image_bytes
    digest = None if png is None else hashlib.md5(png).hexdigest()
    if digest != st.session_state.get(f"{key}_digest"):
        st.session_state[f"{key}_digest"] = digest
        if digest is None:
            st.session_state.pop(drawing_key, None)
        else:
            st.session_state[drawing_key] = pad.image_data


def draw_pad(key, drawing_key):
    """The 280x280 pad (white ink on black); its newest drawing goes to session state at
    ``drawing_key``, and the moment it arrived to ``<key>_received``."""
    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as err:  # the page still trains and explains without the pad
        st.warning(f"The drawing pad is unavailable here ({type(err).__name__}: {err}).")
        return
    st.space(28)  # the pad's toolbar floats above it
    pad = st_canvas(stroke_width=20, stroke_color="#ffffff", background_color="#000000",
                    width=PAD[0], height=PAD[1], drawing_mode="freedraw",
                    return_image_data=True, key=key, on_change=lambda: st.session_state.update(
                        {f"{key}_received": time.perf_counter()}))
    remember_drawing(pad, key, drawing_key)
    st.caption("Draw with the mouse, white on black. The toolbar above the pad undoes the last "
               "stroke or clears the pad.")
