"""The digit page's Streamlit parts: the data sets, loaded once per server and shared
read-only, a look at the digits written by a program, and the drawing pad whose newest
drawing is kept in session state."""
import dataclasses
import hashlib
import time

import numpy as np
import streamlit as st

from core import DataUnavailable, load_digits8, load_mnist
from core.datasets import digit_split
from core.mnist_download import TOTAL_BYTES, cache_dir, download_mnist
from ui.digit_figures import steps_html
from ui.digit_views import MNIST_TEST, WRITTEN_TEXT, written_examples

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
def prepare(name, download, n_train, seed, copies=0, synthetic=0):
    """The page's split, with ``copies`` augmented copies of each training image and
    ``synthetic`` digits of each class written by a program; shared read-only by every session
    that asks for the same."""
    return digit_split(load_data(name, download), n_train, seed, max_test=MNIST_TEST,
                       copies=copies, synthetic=synthetic)


def mnist_found(download=False):
    """(True, where it was found) when MNIST can be loaded without downloading, else
    (False, why not, in one sentence)."""
    try:
        return True, load_data("mnist", download).source
    except DataUnavailable as err:
        return False, err.summary


def download_offer(key):
    """The box that offers to download MNIST (saying how big it is), and downloads it with a
    progress bar once asked. Returns True when MNIST has just arrived (rerun the page)."""
    asked = st.session_state.pop(f"{key}_download_now", False)
    size = f"{TOTAL_BYTES / 1e6:.1f} MB"
    with st.container(border=True):
        st.markdown(f"📭 **MNIST is not on this computer**, so the page uses the bundled 8x8 "
                    f"digits. MNIST's 70,000 digits teach a network to read real handwriting "
                    f"better (about 95 % of drawn digits against about 87 %): download "
                    f"them once ({size}), and the page uses them from then on.")
        st.button(f"⬇️ Download MNIST ({size})", key=f"{key}_download",
                  on_click=lambda: st.session_state.update({f"{key}_download_now": True}),
                  help=f"From public mirrors of the original files (each checked against its "
                       f"checksum), kept in {cache_dir()}. Offline, set NEURAL_PLAYGROUND_MNIST "
                       f"to a folder holding mnist.npz instead.")
        if not asked:
            problem = st.session_state.get(f"{key}_mnist_error")
            if problem:
                st.warning(problem, icon="⚠️")
            return False
        bar = st.progress(0.0, text="Connecting…")
        progress = lambda done, total: bar.progress(
            done / total, text=f"Downloading MNIST: {done / 1e6:.1f} of {total / 1e6:.1f} MB")
        try:
            download_mnist(progress=progress)
        except DataUnavailable as err:
            try:  # the mirrors failed: OpenML, through scikit-learn (no progress to show)
                bar.progress(0.0, text="The mirrors failed; trying OpenML…")
                load_data("mnist", download=True)
                st.session_state[f"{key}_mnist_download"] = True
            except DataUnavailable as err2:
                bar.empty()
                st.session_state[f"{key}_mnist_error"] = f"{err}  \n{err2}"
                st.warning(st.session_state[f"{key}_mnist_error"], icon="⚠️")
                return False
        st.session_state.pop(f"{key}_mnist_error", None)
        return True


def written_digits(seed, n):
    """A look at the digits written by a program that the network learns from (``n`` of each
    digit in its training set)."""
    with st.expander("✏️ Digits written by a program"):
        examples = written_examples(seed)
        st.markdown(steps_html(examples, size=44), unsafe_allow_html=True)
        st.caption(WRITTEN_TEXT.format(templates=len(examples), n=n))


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
    st.space(28)  # the pad's toolbar floats above it, while the mouse is over the pad
    pad = st_canvas(stroke_width=20, stroke_color="#ffffff", background_color="#000000",
                    width=PAD[0], height=PAD[1], drawing_mode="freedraw",
                    return_image_data=True, key=key, on_change=lambda: st.session_state.update(
                        {f"{key}_received": time.perf_counter()}))
    remember_drawing(pad, key, drawing_key)
    st.caption("Draw with the mouse, white on black. Point at the pad and its toolbar shows "
               "above it: undo the last stroke (the arrow that turns back) or clear the pad (the "
               "bin).")
