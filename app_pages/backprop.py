"""Backpropagation: the chain rule with real numbers, one training iteration in slow motion, and
the gradient check that proves it."""
import streamlit as st

from core import MLPClassifier, Trainer, make_dataset, make_grid, xor_by_hand
from core.mlp import weights_dict
from ui import backprop_sections as S
from ui import backprop_views as V
from ui.backprop_facts import activation_explorer, parameter_quiz
from ui.expression_section import expression_explorer
from ui.live import get_run
from ui.page import header, lesson_box, sections
from ui.settings import current, restore, widget, write_url

KEY = "bp"
SPECS = V.SPECS
header("🔗 Backpropagation: the chain rule with real numbers", V.LEDE, V.LECTURE, page=KEY)
values = restore(KEY, SPECS)

with st.sidebar:
    st.header("The network")
    start = widget(KEY, SPECS["start"])
    lectures_net = start == V.OR_AND
    if lectures_net:  # its shape is fixed: no other shape is shown
        layers, hidden, activation = 1, 2, "sigmoid"
        st.caption("The lectures' network: 2 sigmoid hidden units (an OR and an AND unit).")
    else:
        layers, hidden = widget(KEY, SPECS["layers"]), widget(KEY, SPECS["hidden"])
        activation = widget(KEY, SPECS["activation"], horizontal=True)
    # training before the data, so that η is in sight beside "Training in slow motion"
    st.header("Training")
    learning_rate = widget(KEY, SPECS["lr"])
    widget(KEY, SPECS["speed"])
    st.header("Data")
    dataset, n_samples, noise, seed = (widget(KEY, SPECS[k]) for k in ("dataset", "n", "noise",
                                                                       "seed"))
    if hidden == 2 and dataset == "xor" and not lectures_net:
        st.caption("Two hidden units can get stuck on XOR (a local optimum): then try another "
                   "seed or more units.")

X, y = make_dataset(dataset, n_samples, noise, random_state=seed)
grid = make_grid(X, resolution=60)
sizes = (hidden,) * layers


def build():
    model = MLPClassifier(sizes, activation=activation, learning_rate=learning_rate,
                          batch_size=None, max_iter=10**9, tol=0, random_state=seed)
    start_weights = weights_dict(*xor_by_hand()) if lectures_net else None
    return {"net": Trainer(model, X, y, grid=grid, weights=start_weights)}


run = get_run(KEY, {"the data": (dataset, n_samples, noise, seed),
                    "the network": (sizes, activation, start)}, build)
run.set_params(learning_rate=learning_rate)
if st.session_state.get(f"{KEY}_last_update_run") is not run:  # an update belongs to its run
    st.session_state.pop(f"{KEY}_last_update", None)
    st.session_state[f"{KEY}_last_update_run"] = run
point_spec = SPECS["point"].bounded(hi=len(X) - 1)
page = S.Page(KEY, run, X, y, grid, point_spec, current(KEY, point_spec), activation,
              learning_rate)



def facts():
    left, right = st.columns(2)
    with left:
        activation_explorer(KEY)
    with right:
        parameter_quiz(KEY)


sections(KEY, SPECS["part"], {
    "graph": lambda: S.lecture_graph(KEY), "slow": lambda: S.slow_motion(page),
    "example": lambda: S.one_example(page), "check": lambda: S.gradient_check(page),
    "expression": lambda: expression_explorer(f"{KEY}_ex"), "facts": facts})
write_url(KEY, SPECS)
lesson_box(KEY, SPECS)
