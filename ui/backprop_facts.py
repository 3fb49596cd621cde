"""Two small explorers of the backpropagation page: an activation and its slope at a chosen z,
and the lectures' parameter-counting quiz. Widgets here; the numbers come from backprop_views."""
import streamlit as st

from ui import backprop_views as V

CHART = {"displayModeBar": False}


def activation_explorer(key):
    st.subheader("An activation and its slope")
    name = st.radio("Activation", ["sigmoid", "tanh", "relu"], horizontal=True,
                    key=f"{key}_fact_act")
    figure, at_z0 = V.activation_view(name, st.slider("z", -6.0, 6.0, 0.0, 0.1, key=f"{key}_z0"))
    st.plotly_chart(figure, key=f"{key}_activation_chart", config=CHART)
    for line in V.ACTIVATION_TEX[name] + at_z0:
        st.latex(line)
    st.caption(V.ACTIVATION_NOTES[name])


def parameter_quiz(key):
    st.subheader("Counting parameters")
    st.markdown("The lectures' quiz: with |x| = 40 inputs and |h| = 20 hidden units, how many "
                "parameters does the network have?")
    c1, c2 = st.columns(2)
    n_x = c1.number_input("|x| inputs", 1, 100_000, 40, key=f"{key}_nx")
    n_h = c2.number_input("|h| hidden units", 1, 100_000, 20, key=f"{key}_nh")
    counts, lines = V.parameter_latex(n_x, n_h, st.toggle("Count the bias terms (x₀ = 1, h₀ = 1)",
                                                          key=f"{key}_bias"))
    for col, label, part in zip(st.columns(3), ("θ⁽ʸ⁾", "θ⁽ʰ⁾", "total"),
                                ("theta_y", "theta_h", "total")):
        col.metric(label, f"{counts[part]:,}")
    for line in lines:
        st.latex(line)
    st.caption(V.QUIZ_NOTE)
