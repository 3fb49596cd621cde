"""Once per server process: BLAS threads limited, plotly.js where the browser can fetch it."""
from streamlit import config as st_config
from threadpoolctl import threadpool_limits

from ui.static_files import ensure_plotly_js


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
