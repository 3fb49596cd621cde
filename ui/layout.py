"""The page frame every page shares: set-up, a header, and small formatting helpers."""
import streamlit as st
from streamlit import config as st_config
from threadpoolctl import threadpool_limits

from ui.static_files import ensure_plotly_js

_CSS = """
<style>
/* calmer metrics and tighter blocks */
[data-testid="stMetricValue"] { font-size: 1.35rem; }
[data-testid="stMetricLabel"] p { font-size: 0.85rem; color: #4b5563; }
.block-container { padding-top: 2.2rem; }
</style>
"""


def limit_threads():
    """One thread in every BLAS and OpenMP pool of the process.

    numpy's OpenBLAS and scipy's (loaded with scikit-learn) would otherwise each start a thread
    per core and fight over the cores; with many sessions on one server, one thread each is
    also the fair share. A limit only reaches the libraries already loaded, so scipy and
    scikit-learn (and with it its OpenMP runtime) are loaded first.
    """
    import scipy.linalg  # noqa: F401  (scipy's own OpenBLAS)
    import sklearn.utils  # noqa: F401  (scikit-learn's OpenMP runtime)
    threadpool_limits(limits=1)


def configure_runtime():
    """Once per process: one thread per BLAS pool (``limit_threads``), plotly.js copied to static/."""
    if not getattr(configure_runtime, "done", False):
        limit_threads()
        if not st_config.get_option("global.appTest"):  # AppTest serves no files
            ensure_plotly_js()
        configure_runtime.done = True


def leave_legacy_navigation():
    """Open a page the way app.py's ``st.navigation`` defines it, even from a link.

    Streamlit decides per server process whether a ``pages/`` folder means its legacy multipage
    mode, and only learns otherwise once app.py calls ``st.navigation``. So a link to a page that
    is a fresh server's first request runs the page file alone: file names in the sidebar, no
    page config, and every rerun of that session stays so. Switch the process over and rerun:
    the rerun runs app.py, which opens the linked page.
    """
    from streamlit.runtime.pages_manager import PagesManager  # no public API for this
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def header(title, lede, lecture=None):
    leave_legacy_navigation()
    configure_runtime()
    st.markdown(_CSS, unsafe_allow_html=True)
    st.title(title)
    st.markdown(lede)
    if lecture:
        st.caption(f"From the lectures: {lecture}")


def fmt(x, digits=4):
    """A number for the UI: fixed for ordinary sizes, scientific for huge or tiny ones."""
    if x is None:
        return "–"
    x = float(x)
    if x != 0 and (abs(x) >= 1e5 or abs(x) < 10 ** -digits):
        return f"{x:.{max(digits - 2, 1)}e}"
    return f"{x:.{digits}f}"


def status(items):
    """One line of live numbers, e.g. status([("step", "1,200"), ("test accuracy", "97.0%")]).

    A single markdown line instead of a row of st.metric: the browser redraws it ten times a
    second during training, and metrics cost it a chart update's worth of work each time.
    """
    st.markdown(" &nbsp;·&nbsp; ".join(f"**{label}** {value}" for label, value in items))
