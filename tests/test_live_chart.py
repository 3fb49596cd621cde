"""ui.live_chart without a browser: the plotly.js copy, the payload, and AppTest."""

import filecmp
import json
import os
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from ui.live_chart import COMPONENT_NAME, figure_to_json
from ui.static_files import (CARTESIAN_TRACES, PLOTLY_FULL_JS, PLOTLY_JS_SOURCE,
                               ensure_plotly_js)

DEMO = Path(__file__).parent / "apps" / "live_chart_demo.py"


def test_ensure_plotly_js_copies_the_cartesian_bundle(tmp_path):
    copy = ensure_plotly_js(tmp_path / "static")
    assert copy == tmp_path / "static" / "plotly-cartesian.min.js"
    assert filecmp.cmp(copy, PLOTLY_JS_SOURCE, shallow=False)
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]  # no temp file left


def test_the_cartesian_bundle_is_the_installed_plotlys_plotly_js():
    """The same plotly.js release as the one inside the installed plotly package (after an
    upgrade of plotly: fetch the matching bundle, ui/plotly_js/README.md), and it registers
    every trace type live_chart lets through."""
    def version(path):
        head = path.read_text(encoding="utf-8", errors="replace")[:300]
        return re.search(r"plotly\.js .*?v(\d+\.\d+\.\d+)", head).group(1)
    assert version(PLOTLY_JS_SOURCE) == version(PLOTLY_FULL_JS)
    assert "(cartesian - minified)" in PLOTLY_JS_SOURCE.read_text(encoding="utf-8")[:300]
    bundle = PLOTLY_JS_SOURCE.read_text(encoding="utf-8")
    registered = set(re.findall(r'name:"([a-z0-9]+)",basePlotModule', bundle))
    assert registered == CARTESIAN_TRACES


def test_a_trace_the_cartesian_bundle_lacks_is_refused_in_words():
    with pytest.raises(ValueError, match="no scatter3d trace"):
        figure_to_json({"data": [{"type": "scatter3d", "x": [1], "y": [1], "z": [1]}]})
    with pytest.raises(ValueError, match="no choropleth trace"):
        figure_to_json(go.Figure(go.Choropleth()))
    assert json.loads(figure_to_json({"data": [{"x": [1], "y": [2]}]}))["data"][0]["x"] == [1]


def test_ensure_plotly_js_replaces_a_copy_of_another_size_only(tmp_path):
    stale = tmp_path / "plotly-cartesian.min.js"
    stale.write_text("/* plotly.js v0 */")
    ensure_plotly_js(tmp_path)
    assert filecmp.cmp(stale, PLOTLY_JS_SOURCE, shallow=False)

    os.utime(stale, (1, 1))  # an up-to-date copy is left alone
    ensure_plotly_js(tmp_path)
    assert stale.stat().st_mtime == 1


def test_figure_json_sends_float32_grids_as_typed_arrays():
    z = np.arange(6, dtype=np.float32).reshape(2, 3)
    fig = json.loads(figure_to_json(go.Figure(go.Heatmap(z=z))))
    assert fig["data"][0]["z"]["dtype"] == "f4"
    assert json.loads(figure_to_json(fig.copy())) == fig  # a figure dict works too


def test_figure_json_encodes_arrays_as_plotly_does_and_leaves_the_figure_alone():
    """Our typed-array encoder (plotly's goes through narwhals' dataframe checks on every
    array, a fifth of a live tick's server time) gives plotly's own JSON for every kind of
    array a figure may hold, and never changes the caller's figure."""
    import copy

    from _plotly_utils.utils import convert_to_base64
    rng = np.random.default_rng(0)
    marker = dict(color=np.arange(5), size=np.array([3.0, 4.0, 5.0, 6.0, 7.0]),
                  line=dict(width=np.array([1, 2, 3, 4, 5], np.uint64)))
    fig = {"data": [
        dict(type="heatmap", z=rng.random((3, 4)), x=np.linspace(0, 1, 4, dtype=np.float32),
             y=np.array([1, 2, 3], np.int64) * 10**6, customdata=np.array([[1, 2], [3, 4]]).T),
        dict(type="scatter", x=np.array([2**40, 1]), y=np.array([1.5, np.nan]),
             text=np.array(["a", "b"]), selectedpoints=np.array([True, False]),
             marker=marker, ids=np.array([], np.float64), range=np.array([0.0, 1.0]),
             meta=[np.array([1.0])], visible=True),
        dict(type="image", z=rng.integers(0, 255, (2, 2, 3), dtype=np.uint8),
             dx=np.float32(0.5), zmax=np.int64(3))],
        "layout": {"images": [dict(source="data:image/png;base64,AAA", x=0.0)]}}
    before = copy.deepcopy(fig)
    ours = json.loads(figure_to_json(fig))

    theirs = copy.deepcopy(fig)
    for trace in theirs["data"]:
        convert_to_base64(trace)
    assert ours == json.loads(pio.to_json(theirs, validate=False))
    assert ours["data"][0]["z"]["dtype"] == "f8" and ours["data"][0]["z"]["shape"] == "3, 4"
    assert ours["data"][1]["marker"]["line"]["width"]["dtype"] == "u1"  # uint64 made small
    assert isinstance(ours["data"][1]["x"], list)  # too big for 32 bits: left as numbers
    # the caller's figure is untouched (plotly's encoder replaces nested arrays in place)
    assert isinstance(fig["data"][1]["marker"]["color"], np.ndarray)
    assert json.loads(pio.to_json(fig, validate=False)) == json.loads(pio.to_json(before,
                                                                                   validate=False))


def live_chart_payloads(at):
    """{key: the data sent to each live chart} from an AppTest run."""
    payloads = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name == COMPONENT_NAME:
            data = json.loads(element.proto.json)
            payloads[data["key"]] = data
    return payloads


def test_legend_shapes_get_line_entries_in_the_legend():
    """plotly.js draws every path shape's legend entry as one hexagon: each shape named in the
    legend goes there as a line of its own colour and dash instead (the caller's dict kept)."""
    from ui.figures import contour_shape, figure, line_shape
    xs = ys = np.linspace(-1, 1, 5)
    z = np.tile((xs > 0).astype(float), (len(ys), 1))
    fig = figure([dict(type="scatter", x=[0], y=[0], name="points")])
    fig["layout"]["shapes"] = [contour_shape(xs, ys, z), dict(type="rect", x0=0, x1=1, y0=0, y1=1),
                               line_shape([0, 1], [0, 1], "sklearn", "#999999", "dash")]
    before = json.dumps(fig)
    sent = json.loads(figure_to_json(fig))
    assert json.dumps(fig) == before
    assert [s.get("showlegend") for s in sent["layout"]["shapes"]] == [False, None, False]
    assert sent["layout"]["shapes"][0]["path"] == fig["layout"]["shapes"][0]["path"]
    entries = sent["data"][1:]
    assert [(t["name"], t["mode"], t["line"].get("dash")) for t in entries] == [
        ("P = 0.5", "lines", "solid"), ("sklearn", "lines", "dash")]
    assert entries[1]["line"]["color"] == "#999999" and entries[0]["x"] == [None]
    # a figure without legend shapes is sent as it is
    plain = figure([dict(type="scatter", x=[0], y=[0])])
    assert json.loads(figure_to_json(plain))["data"] == json.loads(json.dumps(plain["data"]))


def test_demo_runs_headless_and_sends_both_charts():
    at = AppTest.from_file(str(DEMO), default_timeout=30).run()
    assert not at.exception
    assert at.metric[0].value == "0"
    assert set(live_chart_payloads(at)) == {"demo_line", "demo_heat"}

    at.button(key="play").click().run()  # a run_every fragment runs once per at.run()
    at.run()
    assert at.metric[0].value == "2"
    line = json.loads(live_chart_payloads(at)["demo_line"]["figure"])
    assert line["data"][0]["x"]["dtype"] in {"i1", "i2", "i4", "i8"}
    assert live_chart_payloads(at)["demo_heat"]["height"] == 320
