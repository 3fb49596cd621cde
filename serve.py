"""The app's server: ``streamlit run serve.py`` serves ``app.py`` (``streamlit run app.py`` works
too) with its libraries loaded before the server answers, so a class's first visitor does not
wait seconds for numpy, scikit-learn, plotly and the pages' modules to import."""
import contextlib
import importlib
import pkgutil

import streamlit as st


@contextlib.asynccontextmanager
async def warm(app):
    import ui
    from ui.runtime import limit_threads
    limit_threads()  # (imports scikit-learn and scipy first, then one thread per pool)
    for module in pkgutil.iter_modules(ui.__path__):  # the pages' modules, and the core
        importlib.import_module(f"ui.{module.name}")
    import plotly.io  # noqa: F401  (the home page's thumbnails)
    yield


app = st.App("app.py", lifespan=warm)
