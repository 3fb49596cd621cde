"""Neural Playground: the home page and the navigation between pages."""
import streamlit as st

from ui.home import THUMBNAILS
from ui.replica import moved_notice
from ui.runtime import configure_runtime
from ui.workers import session_lock

st.set_page_config(page_title="Neural Playground", page_icon="🧠", layout="wide")
configure_runtime()

PAGES = [
    ("app_pages/logistic_regression.py", "Logistic regression", "📈", "logistic",
     "Watch a straight line find its place: gradient ascent on the likelihood, live, with the "
     "lectures' own algorithm, the math with today's numbers, and Naive Bayes beside it."),
    ("app_pages/xor.py", "XOR and hidden units", "✖️", "xor",
     "Why no line splits XOR, and how a few hidden units bend the boundary until it does."),
    ("app_pages/digits.py", "Draw a digit", "✍️", "digits",
     "Train a network on handwritten digits, then draw one and see what it thinks, from your "
     "pen stroke to the ten probabilities."),
    ("app_pages/backprop.py", "Backpropagation", "🔗", "backprop",
     "The chain rule with real numbers: step backwards through a graph, then through a small "
     "network, and check every derivative."),
]


@st.cache_resource(show_spinner=False)
def thumbnail(name):
    return THUMBNAILS[name]()


def home():
    st.title("🧠 Neural Playground")
    st.markdown("Watch **logistic regression** and **neural networks** learn, one gradient step "
                "at a time, and see *why* they work. Everything is written by hand in numpy, "
                "trains live in your browser, and is compared with scikit-learn.")
    if st.button("👉 Start here: logistic regression", type="primary", key="home_start",
                 help="Then press ▶ Play and watch the line move."):
        st.switch_page(PAGES[0][0])
    for row in (PAGES[:2], PAGES[2:]):
        for col, (path, title, icon, name, teaches) in zip(st.columns(2), row):
            with col.container(border=True):
                st.plotly_chart(thumbnail(name), key=f"home_{name}",
                                config={"staticPlot": True, "displayModeBar": False})
                st.page_link(path, label=f"**{title}**", icon=icon)
                st.markdown(teaches)
    st.caption("Every loss shown is the negative mean log-likelihood −LL/n (cross-entropy): "
               "lower is better. Three of the lectures climb the log-likelihood LL by gradient "
               "ascent, two descend a mean loss: the same steps, the sign said once on each page.")


pages = [st.Page(home, title="Home", icon="🏠", default=True)]
pages += [st.Page(path, title=title, icon=icon) for path, title, icon, _, _ in PAGES]
page = st.navigation(pages)
moved_notice()  # behind nginx (deploy/): this page moved from a replica that stopped
with session_lock():  # no training step of this session while its page's script runs
    page.run()
