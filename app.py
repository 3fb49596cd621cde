"""Neural Playground: the home page and the navigation between pages."""
import streamlit as st

from ui.runtime import configure_runtime

st.set_page_config(page_title="Neural Playground", page_icon="🧠", layout="wide")
configure_runtime()

PAGES = [
    ("app_pages/logistic_regression.py", "Logistic regression", "📈",
     "Gradient ascent on the log-likelihood, live: the sigmoid, the decision line, the "
     "likelihood hill, why separable data has no best theta, and scikit-learn beside it.",
     "P(Y=1|x) = σ(θᵀx); LL(θ); ∂LL/∂θⱼ = Σᵢ (yᵢ − σ(θᵀxᵢ)) xᵢⱼ; walk uphill"),
    ("app_pages/xor.py", "XOR and hidden units", "✖️",
     "Why no line splits XOR, and how hidden units bend the boundary: every hidden unit's map, "
     "the network's weights, the hidden space where XOR becomes separable, and the lectures' "
     "OR/AND network set by hand.",
     "XOR as the limit of a linear model; OR and AND perceptrons combined; stacked logistic "
     "regressions"),
    ("app_pages/digits.py", "Draw a digit", "✍️",
     "Train a network on handwritten digits while you watch, then draw a digit and see what it "
     "thinks, step by step from your pen stroke to the 10 probabilities, beside logistic "
     "regression and scikit-learn.",
     "digits as feature vectors; logistic regression is not so good; stacked neurons; softmax"),
    ("app_pages/backprop.py", "Backpropagation", "🔗",
     "The chain rule with real numbers: a computation graph stepped backwards, every derivative "
     "of a small network for one example, and the gradient check that proves backprop right.",
     "backpropagation as reverse differentiation; dLL/dθ for output and hidden weights; "
     "the numerical approach is correct but inefficient"),
]


def home():
    st.title("🧠 Neural Playground")
    st.markdown(
        "Watch **logistic regression** and **neural networks** learn, one gradient step at a "
        "time, and see *why* they work. Every model here is written by hand in numpy (its "
        "gradients and backpropagation included), trains live in your browser session, and is "
        "compared with scikit-learn on the same data.")
    st.subheader("What each page teaches")
    for path, title, icon, teaches, lecture in PAGES:
        with st.container(border=True):
            st.page_link(path, label=f"**{title}**", icon=icon)
            st.markdown(teaches)
            st.caption(f"Lecture ideas: {lecture}")
    st.subheader("How to start")
    st.markdown(
        "1. Open **Logistic regression** in the sidebar.\n"
        "2. Pick a dataset and press **▶ Play**: the probability surface, the loss and every "
        "θ update about ten times a second.\n"
        "3. Move the learning-rate slider while it trains: training continues with the new step "
        "size. Changing the data restarts from θ = 0 and says so.\n"
        "4. **⏭ Step** takes one gradient step at a time; **↺ Reset** starts again from the same "
        "initial weights.")
    st.caption("The losses shown everywhere are the negative mean log-likelihood −LL(θ)/n "
               "(cross-entropy): lower is better. The lectures maximise LL; we show its negative.")


pages = [st.Page(home, title="Home", icon="🏠", default=True)]
pages += [st.Page(path, title=title, icon=icon) for path, title, icon, _, _ in PAGES]
st.navigation(pages).run()
