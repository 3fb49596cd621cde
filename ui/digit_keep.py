"""Your own test set on the digit page (Streamlit parts): label a drawing to keep it, see how
the current networks read everything you kept, download the set (.npz or CSV), load it back."""
import numpy as np
import streamlit as st

from core import EmptyDrawingError, drawing_to_input
from core.digit_sets import MAX_DRAWINGS, as_kept, from_npz, score, to_csv, to_npz
from ui import digit_figures as D
from ui.live_chart import live_chart
from ui.numbers import percent
from ui.page import remembered_upload


def kept(key):
    """The session's kept drawings: {"drawings": [...], "labels": [...], "inputs": {target:
    (n, features) array of the drawings as that data set's input}}."""
    return st.session_state.setdefault(f"{key}_kept", {"drawings": [], "labels": [],
                                                        "inputs": {}})


def _keep(key, drawing, label):
    memo = kept(key)  # (a callback shows nothing itself: personal_set says what happened)
    if len(memo["drawings"]) >= MAX_DRAWINGS:
        memo["notice"] = f"Your set is full ({MAX_DRAWINGS} drawings): download it, then clear it."
        return
    memo["drawings"].append(as_kept(drawing))
    memo["labels"].append(int(label))
    memo["inputs"] = {}
    memo["notice"] = f"Kept as a {label}: your set has {len(memo['drawings'])} drawing(s)."


def keep_buttons(key, drawing):
    """"It is a 0 ... 9" buttons that keep the drawing, labelled, in the session's set."""
    st.markdown("**Keep this drawing** in your own test set. It is a:")
    with st.container(horizontal=True, gap="small"):
        for d in range(10):
            st.button(str(d), key=f"{key}_keep_{d}", on_click=_keep, args=(key, drawing, d),
                      help=f"Keep this drawing, labelled {d}")


def _inputs(memo, target):
    """Every kept drawing as ``target``'s input (computed once per set and target)."""
    if target not in memo["inputs"]:
        rows = []
        for drawing in memo["drawings"]:
            try:
                rows.append(drawing_to_input(drawing, target).features[0])
            except EmptyDrawingError:
                rows.append(np.zeros(784 if target == "mnist" else 64, np.float32))
        memo["inputs"][target] = np.array(rows, np.float32)
    return memo["inputs"][target]


def _load(key, drawings, labels):
    memo = kept(key)
    room = MAX_DRAWINGS - len(memo["drawings"])
    memo["drawings"] += list(drawings[:room])
    memo["labels"] += [int(v) for v in labels[:room]]
    memo["inputs"] = {}


def personal_set(run, key, target, shape):
    """The set: how the MLP and logistic regression read it now, the drawings as the model
    sees them (label → guess), downloads, an upload, and a button to clear it."""
    memo = kept(key)
    if memo.get("notice"):
        st.toast(memo.pop("notice"), icon="🗂️")
    st.markdown("#### 🗂️ Your own test set")
    upload = remembered_upload(f"{key}_kept_upload", "Add a set saved from this page (.npz)",
                               ["npz"], from_npz)
    if upload["error"]:
        st.error(upload["error"] + "  \nYour set was not changed.", icon="⚠️")
    elif upload["fresh"]:
        _load(key, *upload["value"])
    n = len(memo["drawings"])
    if not n:
        st.caption("Nothing kept yet: draw a digit, then press its number under the answer. "
                   "Your drawings stay in this browser session; download them to keep them.")
        return
    X, labels = _inputs(memo, target), np.array(memo["labels"])
    models = {name: t.model for name, t in run.trainers.items()}
    try:
        results = {name: score(m, X, labels) for name, m in models.items()}
    except ValueError:  # diverged weights
        st.warning("The networks cannot answer now (training diverged): press Reset.")
        return
    counts = np.bincount(labels, minlength=10)
    st.markdown(f"**{n} drawing{'s' if n > 1 else ''}** ("
                + ", ".join(f"{c}× {d}" for d, c in enumerate(counts) if c) + "): the MLP reads "
                f"**{percent(results['MLP'][0])}** of them right, softmax logistic regression "
                f"{percent(results['logistic regression'][0])}.")
    guesses = results["MLP"][1]
    shown = np.arange(n)[-32:]
    fig = D.mosaic_figure([X[i].reshape(shape) for i in shown], cols=16, width=900, shrink=False,
                          titles=[f"{labels[i]}→{guesses[i]}" + ("" if labels[i] == guesses[i]
                                                                 else " ✗") for i in shown],
                          title="Your drawings as the MLP sees them: your label → its guess"
                                + (f" (the last 32 of {n})" if n > 32 else ""))
    live_chart(fig, key=f"{key}_chart_kept", height=fig["layout"]["height"])
    c1, c2, c3 = st.columns(3)
    c1.download_button("⬇ .npz (drawings)", lambda: to_npz(
        memo["drawings"], memo["labels"]), file_name="my-digits.npz",
        mime="application/octet-stream", key=f"{key}_kept_npz", on_click="ignore",
        width="stretch", help="Your set, whole drawings and labels: upload it here again later.")
    c2.download_button("⬇ CSV (28x28)", lambda: to_csv(
        memo["drawings"], memo["labels"]), file_name="my-digits.csv", mime="text/csv",
        key=f"{key}_kept_csv", on_click="ignore", width="stretch",
        help="Your set as MNIST's 28x28 inputs: label, p0 ... p783 (one row per drawing).")
    c3.button("🗑️ Clear", key=f"{key}_kept_clear", width="stretch", help="Empty your set.",
              on_click=lambda: memo.update(drawings=[], labels=[], inputs={},
                                           notice="Your set is empty now."))
