"""Once per server process: BLAS threads limited, the GIL handed over sooner, plotly.js where
the browser can fetch it."""
import sys

from streamlit import config as st_config
from threadpoolctl import threadpool_limits

from ui.static_files import ensure_plotly_js

# How long a thread that wants the GIL waits before the holder must hand it over (Python's
# default is 5 ms). A playing page's training thread holds it nearly always, and a live tick's
# script and the event loop that sends its messages ask for it dozens of times a tick. At 1 ms
# (benchmarks/live_speed.py, three paired runs on 2 cores): XOR 58-60 % of the engine against
# 53-57 % and 10.0-11.1 chart updates/s against 8.8-10.1; backprop 11.7-11.8/s against
# 9.5-10.0 for 66-68 % of the engine against 70-74 %.
SWITCH_INTERVAL_SECONDS = 0.001


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
    """Once per process: one thread per BLAS pool (``limit_threads``), the GIL's switch interval
    (``SWITCH_INTERVAL_SECONDS``), plotly.js copied to static/."""
    if not getattr(configure_runtime, "done", False):
        limit_threads()
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        if not st_config.get_option("global.appTest"):  # AppTest serves no files
            ensure_plotly_js()
        configure_runtime.done = True
