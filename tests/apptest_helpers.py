"""Helpers for the headless page tests (Streamlit's AppTest): open a page, read what it shows."""
import base64
import json
import re
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_page(path, query=None, timeout=60):
    """Run the page at ``path`` (relative to the repository) once, from a link's ``query``
    parameters if given, and check that it raised nothing."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at):
    """The live numbers of a page's status line ("**label** value · ...") by label."""
    for md in at.markdown:
        text = re.sub(r"<[^>]*>", "", md.value)  # each item is a span (ui.page.status)
        if text.startswith("**step**"):
            return dict(re.findall(r"\*\*(.+?)\*\* ([^&]+?)(?: &nbsp;|$)", text))
    return {}


def live_figure(at, key):
    """The figure a live_chart with this key sent (custom components can't run in AppTest)."""
    for el in at.get("bidi_component"):
        data = json.loads(el.proto.json)
        if data.get("key") == key:
            return json.loads(data["figure"])
    raise KeyError(key)


def drawn(fig, name):
    """The layout shape or trace called ``name`` (surfaces draw boundaries as shapes; a shape
    named in the legend also has a legend-only line trace of its name: the shape comes first)."""
    for item in fig["layout"].get("shapes", []) + fig["data"]:
        if item.get("name") == name:
            return item
    raise KeyError(f"{name!r} not in {drawn_names(fig)}")


def drawn_names(fig):
    return [item.get("name") or "" for item in fig["data"] + fig["layout"].get("shapes", [])]


def path_points(shape):
    """A path shape's points, (k, 2) float: its "M x,y L x,y ..." read back."""
    import re
    return np.array([[float(a), float(b)] for a, b in
                     re.findall(r"[ML]\s*([-+.\deE]+),([-+.\deE]+)", shape["path"])])


def figure_array(values):
    """A figure's array as float numpy: plotly's base64 typed arrays are decoded, None is NaN."""
    if isinstance(values, dict):
        a = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
        if "shape" in values:
            a = a.reshape([int(s) for s in str(values["shape"]).split(",")])
        return a.astype(float)
    return np.array(values, dtype=float)
