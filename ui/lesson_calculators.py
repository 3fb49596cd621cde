"""Small calculators for the lectures' worked examples, and a quiz: widgets and their results.
The numbers come from ``ui.logistic_lessons``; the values are settings of the page (kept when
the learner leaves the page and comes back)."""
import streamlit as st

from ui import logistic_lessons as LL
from ui.numbers import num
from ui.settings import Setting, restore, settings, widget

_WEIGHT = dict(lo=-10.0, hi=10.0, step=0.1, widget="number_input", in_url=False)
SPECS = settings(
    Setting("bern_p", "p = P(Y = 1)", 0.2, lo=0.0, hi=1.0, step=0.05, in_url=False),
    *(Setting(f"{name}_t{i}", f"θ{'₀₁₂₃'[i]}", example["presets"][next(iter(example["presets"]))][i],
              **_WEIGHT) for name, example in LL.EXAMPLES.items() for i in range(4)),
    Setting("quiz", "Quiz: ∂σ(θᵀx)/∂θⱼ is …", None, options=(None, *LL.QUIZ), widget="radio",
            in_url=False, fmt=lambda v: "(choose one)" if v is None else v))


def _values(page):
    return restore(f"{page}_lessons", SPECS)


def _preset(page, name, theta):
    for i, value in enumerate(theta):
        st.session_state[f"{page}_lessons_{name}_t{i}"] = value


def bernoulli_calculator(page):
    _values(page)
    st.markdown("**Bernoulli: the probability of one label.** Y ~ Ber(p) has "
                "P(Y = y) = pʸ(1 − p)¹⁻ʸ: one formula for both outcomes.")
    p = widget(f"{page}_lessons", SPECS["bern_p"])
    st.latex(rf"P(Y = 1) = {num(p)}^1 \cdot {num(1 - p)}^0 = {num(p)}, \qquad "
             rf"P(Y = 0) = {num(p)}^0 \cdot {num(1 - p)}^1 = {num(1 - p)}")


def example_calculator(page, name):
    """One worked example: its inputs fixed, its θ editable (with the lectures' presets)."""
    _values(page)
    example = LL.EXAMPLES[name]
    st.markdown(f"**{example['title']}**")
    cols = st.columns([1, 1, 1, 1, 2.4], vertical_alignment="bottom")
    theta = []
    for i in range(4):
        with cols[i]:
            theta.append(widget(f"{page}_lessons", SPECS[f"{name}_t{i}"]))
    with cols[4]:
        with st.container(horizontal=True, gap="small"):
            for label, preset in example["presets"].items():
                st.button(label, key=f"{page}_lessons_{name}_{label}", on_click=_preset,
                          args=(page, name, preset), width="content")
    for line in LL.example_latex(example["x"], theta, example["y"]):
        st.latex(line)


def quiz(page):
    _values(page)
    answer = widget(f"{page}_lessons", SPECS["quiz"])
    if answer is None:
        return
    if LL.QUIZ[answer]:
        st.success(f"Right. {LL.QUIZ_WHY}", icon="✅")
    else:
        st.warning(f"Not quite: {LL.QUIZ_WHY}", icon="🤔")
