"""The XOR page's parts below the live charts: inside the network (unit maps, the diagram,
hidden space, kept runs), editing a weight, the lectures' sign units, capacity and
over-fitting, and scikit-learn. Layout only: the numbers come from ``ui.xor_views``."""
import math
from dataclasses import dataclass

import streamlit as st

from core import MLPClassifier, Trainer
from core.hidden import dead_units
from core.mlp import forward
from ui import xor_views as V
from ui.live import follow_fragment
from ui.live_chart import live_chart
from ui.numbers import num, percent
from ui.page import fitted, sklearn_button, sklearn_requested, stacking_columns
from ui.settings import widget


@dataclass(frozen=True)
class Page:
    """What the parts need: the page's key and run, the data as trained on (with its extra
    inputs), the grid, names, the network's shape and training settings."""
    key: str
    run: object
    split: tuple          # X_train, y_train, X_test, y_test, with the extra inputs
    plane: tuple          # X_train, y_train, X_test, y_test: the plane's coordinates
    grid: object
    names: list
    sizes: tuple
    activation: str
    learning_rate: float
    batch_size: object
    l2: float
    l1: float
    extra: tuple
    seed: int

    @property
    def model(self):
        return self.run.trainers["MLP"].model


def dead(snap, X_train, activation):
    """Which hidden units put out 0 on every training point (per layer)."""
    if not snap.coefs or len(snap.coefs) < 2:
        return []
    return dead_units(forward(X_train, snap.coefs, snap.intercepts, activation)[:-1])


def inside(p, point):
    def draw(run):
        snap = run.latest["MLP"]  # the snapshot's weights: finite even after a diverged step
        X_train, y_train = p.split[0], p.split[1]
        if len(snap.coefs) < 2:
            st.info("No hidden layer: the MLP is a logistic regression here, " +
                    ("one line." if not p.extra else "a line in its inputs (with "
                     f"{', '.join(p.extra)}), a curve in the plane."))
            return
        flags = dead(snap, X_train, p.activation)
        st.subheader("🔬 Inside the network")
        st.markdown(V.units_text(p.activation, len(p.sizes), p.extra))
        for l, (fig, height) in enumerate(V.unit_maps(snap, p.activation, flags)):
            live_chart(fig, key=f"{p.key}_maps_{l}", height=height)
        net_col, space_col = st.columns(2)
        with net_col:
            live_chart(V.network(snap, X_train[point], point, p.activation),
                       key=f"{p.key}_network", height=380)
            st.caption("Edge width ∝ |weight|, blue positive, red negative; hover an edge for "
                       "its weight. Beside each hidden unit its output h for the point, beside the "
                       "output unit ŷ = P(y = 1 | x); hover a unit for its weighted input z and "
                       "its bias b.")
        with space_col:
            fig, caption = V.hidden_space_view(snap, X_train, y_train, p.activation, p.names)
            live_chart(fig, key=f"{p.key}_hidden_space", height=380)
            st.caption(caption)
        kept = st.session_state.get(f"{p.key}_kept", {})
        if kept:
            st.subheader("📌 Kept runs")
            live_chart(V.kept_curves(kept, run.histories["MLP"].arrays(
                "step", "train_loss", "test_loss")), key=f"{p.key}_kept_chart", height=300)
    follow_fragment(p.run, draw, every=2.0)


def edit_weight(p):
    """Type a weight or a bias in: training goes on from it."""
    snap = p.run.latest["MLP"]
    names = V.weight_names(snap.coefs)
    c1, c2, c3 = st.columns([2, 1.2, 1], vertical_alignment="bottom")
    which = c1.selectbox("Weight or bias", list(names), key=f"{p.key}_edit_which")
    array, index = names[which]
    now = float(snap.weights[array][index])
    bound = float(max(100, math.ceil(abs(now))))  # a large step may have taken it past ±100
    value = c2.number_input("New value", -bound, bound, now, 0.1, format="%.6g",
                            key=f"{p.key}_edit_value_{which}")

    def apply():
        with p.run.changing():
            weights = p.model.get_weights()
            weights[array][index] = value
            p.model.set_weights(weights)
    c3.button("Set it", key=f"{p.key}_edit_set", on_click=apply, width="stretch",
              help="The network takes this value now; Play goes on training from it.")


def sign_units(p):
    st.markdown("**Why training needs smooth units.** The lectures' XOR network uses sign "
                "units, which jump from −1 to +1. Drawn as tanh(k z), they become sign as k "
                "grows, and the gradient of the loss shrinks towards 0 almost everywhere: a "
                "sign unit's slope is 0 wherever it is defined, so gradient descent has nothing "
                "to follow. Smooth units (σ, tanh) are what make the network trainable.")
    X_train, y_train = p.plane[0], p.plane[1]  # the lectures' network reads x1 and x2 alone
    st.plotly_chart(V.steepness_figure(X_train, y_train), key=f"{p.key}_steepness_chart")


@st.cache_data(show_spinner="Training networks of 1 to 32 units…", max_entries=8)
def _capacity(X_train, y_train, X_test, y_test, activation, seed, epochs=400):
    rows = []
    for units in (1, 2, 4, 8, 16, 32):
        model = MLPClassifier((units,), activation=activation, learning_rate=0.3,
                              batch_size=None, max_iter=10**9, tol=0, random_state=seed)
        trainer = Trainer(model, X_train, y_train, X_test, y_test)
        snap = trainer.run(epochs)
        rows.append((units, snap.train_accuracy, snap.test_accuracy, snap.train_loss,
                     snap.test_loss))
    return rows


def capacity(p):
    st.markdown("**How many units does a boundary need?** The lectures fit a target with 8, then "
                "16 perceptrons: more units draw a more complex boundary. Here one hidden layer "
                "of 1 to 32 units, 400 full-batch steps each, on this data. With few points and "
                "much noise, the training accuracy keeps rising with the units while the test "
                "accuracy stops or falls: **over-fitting**, the boundary learning the noise.")
    if st.button("Train 1, 2, 4, 8, 16 and 32 units", key=f"{p.key}_capacity") or \
            st.session_state.get(f"{p.key}_capacity_shown"):
        st.session_state[f"{p.key}_capacity_shown"] = True
        rows = _capacity(*p.split, p.activation, p.seed)
        st.dataframe({"hidden units": [r[0] for r in rows],
                      "train accuracy": [percent(r[1]) for r in rows],
                      "test accuracy": [percent(r[2]) for r in rows],
                      "train loss": [num(r[3]) for r in rows],
                      "test loss": [num(r[4]) for r in rows]}, hide_index=True)
        gap = max(rows, key=lambda r: r[1] - r[2])
        if gap[1] - gap[2] > 0.05:
            st.caption(f"With {gap[0]} units the network gets {percent(gap[1])} of the training "
                       f"points right but only {percent(gap[2])} of the test points: it has "
                       f"learned some of the noise (over-fitting). Fewer points or more noise "
                       f"make the gap larger.")


def sklearn(p, epochs):
    batch = p.batch_size or len(p.split[0])
    args = dict(hidden_layer_sizes=p.sizes, activation=p.activation,
                learning_rate=p.learning_rate, batch_size=batch, l2=p.l2, max_iter=epochs,
                random_state=p.seed)
    sklearn_button(p.key, "Fit scikit-learn's MLP", args, auto=True)
    if not sklearn_requested(p.key, args, auto=True):
        return
    with st.spinner("Training scikit-learn's MLP…"):
        sk = fitted("mlp", *p.split, **args)

    def table(run):
        st.dataframe(V.sklearn_rows(run.latest["MLP"], sk), hide_index=True, width="stretch")
        st.caption(V.sklearn_call(p.sizes, p.activation, p.learning_rate, batch, p.l2,
                                  sk.converged, p.l1))
    # one above the other in a narrow row: at 1024x768 the table's third column was cut
    left, right = stacking_columns(f"{p.key}_sk", [1, 1])
    with left:
        follow_fragment(p.run, table, every=2.0)  # "ours (now)" follows the training
    with right:
        live_chart(V.sklearn_surface(sk, p.grid, p.plane, p.names, p.extra),
                   key=f"{p.key}_sk_chart", height=380)

