"""Files that Streamlit serves from ``static/`` (``[server] enableStaticServing = true``).

Streamlit serves the folder ``static/`` that sits next to the *main* script
(``app.py`` for the app, the demo file for a test app) at ``./app/static/``.
The live charts' plotly.js is the cartesian bundle of the installed plotly's plotly.js
(``ui/plotly_js/``, see its README): it has every trace type they draw and evaluates in
less than half the time of the full bundle. It is copied to each ``static/`` folder Streamlit
serves (the app's, a test app's) at start-up; a test keeps its version that of the installed
plotly.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import plotly

REPO_ROOT = Path(__file__).resolve().parents[1]
PLOTLY_JS_SOURCE = REPO_ROOT / "ui" / "plotly_js" / "plotly-cartesian.min.js"
PLOTLY_JS_NAME = "plotly-cartesian.min.js"
# the installed plotly's full bundle: the version PLOTLY_JS_SOURCE must have
PLOTLY_FULL_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
# the trace types PLOTLY_JS_SOURCE registers (every other one needs the full bundle)
CARTESIAN_TRACES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d",
                              "histogram2dcontour", "image", "pie", "scatter", "scatterternary",
                              "violin"})
# Relative to the page, so it also works behind a server.baseUrlPath.
PLOTLY_JS_URL = f"./app/static/{PLOTLY_JS_NAME}"


def app_static_dir() -> Path:
    """The folder Streamlit serves at ``./app/static/`` for the script being run.

    Outside a Streamlit run (tests, scripts) this is ``<repo>/static``.
    """
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    main_script = getattr(ctx, "main_script_path", None) if ctx is not None else None
    if main_script:
        return Path(main_script).resolve().parent / "static"
    return REPO_ROOT / "static"


def ensure_plotly_js(static_dir: str | os.PathLike[str] | None = None) -> Path:
    """Copy the live charts' plotly.js into ``static_dir`` if it is missing or differs in size.

    Parameters
    ----------
    static_dir : path, optional
        Where to put the copy; by default :func:`app_static_dir`.

    Returns
    -------
    Path
        The path of the copy.
    """
    target_dir = Path(static_dir) if static_dir is not None else app_static_dir()
    target = target_dir / PLOTLY_JS_NAME
    wanted_size = PLOTLY_JS_SOURCE.stat().st_size
    try:
        if target.stat().st_size == wanted_size:
            return target
    except FileNotFoundError:
        pass

    target_dir.mkdir(parents=True, exist_ok=True)
    # Copy to a private name, then rename: a browser asking for the file while
    # it is being written (another session, another process) never gets half of it.
    partial = target_dir / f".{PLOTLY_JS_NAME}.{os.getpid()}.part"
    shutil.copyfile(PLOTLY_JS_SOURCE, partial)
    os.replace(partial, target)
    return target
