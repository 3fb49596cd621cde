"""The lectures' binary digit task on the digit page (Streamlit parts): is it a 1 or a 0?
Logistic regression against a network with one hidden layer, on binarised pixels, for the
lectures' pair and for harder ones."""
import numpy as np
import streamlit as st

from core.digit_tasks import PAIRS, compare_on_pair, pair_task
from ui import digit_figures as D
from ui import digit_views as V
from ui.digit_data import load_data, prepare
from ui.live_chart import live_chart


@st.cache_data(max_entries=16, show_spinner=False)
def pair_results(name, download, n_train, seed, pair, binarise):
    """The task and both models' results, shared by every session (nothing here is trained
    further: it is a fixed experiment)."""
    split = prepare(name, download, n_train, seed, 0)
    if name == "mnist":  # every test digit of the pair, so that mistakes can be counted
        d = load_data(name, download)
        X_test, y_test = d.X_test, d.y_test
    else:
        X_test, y_test = split.X_test, split.y_test
    task = pair_task(split.X_train, split.y_train, X_test, y_test, split.shape, *PAIRS[pair],
                     binarise=binarise)
    return task, compare_on_pair(task, hidden=32, epochs=30, random_state=seed)


def pairs_section(key, name, download, n_train, seed):
    st.subheader("➗ Logistic regression: not so good?")
    st.markdown(V.PAIRS_TEXT)
    left, right = st.columns([3, 1])
    pair = left.segmented_control("The question", list(PAIRS), default="1 vs 0",
                                  key=f"{key}_pair") or "1 vs 0"
    binarise = right.toggle("Binarised", value=True, key=f"{key}_pair_binary",
                            help="Pixels 0 or 1, as in the lectures: x = [0, 0, 1, 1, ...]. "
                                 "Off: grey levels.")
    asked = st.session_state.setdefault(f"{key}_pairs_asked", set())
    wanted = (name, n_train, seed, pair, binarise)
    if wanted not in asked:
        st.button(f"Train both on “{pair}”", key=f"{key}_pair_fit", on_click=asked.add,
                  args=(wanted,), help="Logistic regression and a 32-unit network, 30 epochs "
                                       "each, at full speed: a few seconds.")
        return
    with st.spinner(f"Training logistic regression and the network on {pair}…"):
        task, results = pair_results(name, download, n_train, seed, pair, binarise)
    st.markdown(V.pairs_table(task, results))
    logistic, mlp = results
    shape = task.test_images.shape[1:]
    theta = logistic.weights["theta"][1:, 0].reshape(shape)
    # the network's units that weigh most in its output
    units = np.argsort(-np.abs(mlp.weights["coef_1"][:, 0]))[:7]
    first = mlp.weights["coef_0"][:, units].T.reshape(-1, *shape)
    c1, c2 = st.columns([1, 1.6])
    with c1:
        st.plotly_chart(D.mosaic_figure([theta, *first], cols=4, signed=True, width=420,
                                        titles=["θ (logistic)"] + [f"unit {j + 1}" for j in units],
                                        hover="template"),
                        key=f"{key}_pair_weights", config={"displayModeBar": False})
        st.caption(V.PAIRS_WEIGHTS_TEXT)
    with c2:
        only = np.setdiff1d(logistic.wrong, mlp.wrong)[:16]
        if len(only):
            fig = D.mosaic_figure(
                [task.test_images[i] for i in only], cols=8, width=560,
                titles=[str(task.test_digits[i]) for i in only],
                title=f"What logistic regression gets wrong and the network right "
                      f"({len(only)} of {len(np.setdiff1d(logistic.wrong, mlp.wrong))})")
            # a live chart wraps a title too wide for a narrow column (st.plotly_chart cuts it)
            live_chart(fig, key=f"{key}_pair_wrong", height=fig["layout"]["height"])
        else:
            st.info("The network gets right nothing that logistic regression gets wrong here: "
                    "try a harder pair.")
