"""Surfaces drawn so that a live update is cheap, and still true: the probability image, its
0.5 contour and the boundary lines are where the model puts them, and while training plays
the chart's traces (the data) stay the same from one update to the next."""
import base64
import json
import zlib

import numpy as np
import pytest

from apptest_helpers import drawn, live_figure, open_page, path_points
from core import make_grid
from core.surface import contour_segments
from ui import figures as F


def png_pixels(uri):
    """Decode the PNGs ui.figures writes (8-bit RGB, filter 0 on every row)."""
    raw = base64.b64decode(uri.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
    chunks, i = b"", 8
    while i < len(raw):
        size = int.from_bytes(raw[i:i + 4], "big")
        if raw[i + 4:i + 8] == b"IDAT":
            chunks += raw[i + 8:i + 8 + size]
        i += 12 + size
    rows = np.frombuffer(zlib.decompress(chunks), np.uint8).reshape(h, 1 + 3 * w)
    assert (rows[:, 0] == 0).all()
    return rows[:, 1:].reshape(h, w, 3)


def test_a_circles_contour_lies_on_the_circle_and_a_lines_on_the_line():
    xs, ys = np.linspace(-1, 1, 61), np.linspace(-1.2, 1.2, 47)
    gx, gy = np.meshgrid(xs, ys)
    circle = 1 / (1 + np.exp(-10 * (gx ** 2 + gy ** 2 - 0.36)))
    segments = contour_segments(xs, ys, circle)
    radius = np.linalg.norm(segments, axis=2)
    assert len(segments) > 40 and np.allclose(radius, 0.6, atol=0.01)
    segments = contour_segments(xs, ys, gx + 2 * gy, level=0.3).reshape(-1, 2)
    np.testing.assert_allclose(segments @ [1, 2], 0.3, atol=1e-9)  # exact for a linear z
    sigmoid = 1 / (1 + np.exp(-(gx + 2 * gy - 0.3)))  # P = 0.5 on the same line
    np.testing.assert_allclose(contour_segments(xs, ys, sigmoid).reshape(-1, 2) @ [1, 2], 0.3,
                               atol=1e-4)


def test_the_contour_shape_draws_each_segment_as_a_move_and_a_line():
    xs, ys = np.linspace(-1, 1, 61), np.linspace(-1.2, 1.2, 47)
    gx, gy = np.meshgrid(xs, ys)
    circle = 1 / (1 + np.exp(-10 * (gx ** 2 + gy ** 2 - 0.36)))
    segments = contour_segments(xs, ys, circle)
    path = F.contour_shape(xs, ys, circle)["path"]
    assert path.count("M") == path.count("L") == len(segments)
    np.testing.assert_allclose(path_points({"path": path}), segments.reshape(-1, 2), atol=1e-4)
    assert F.contour_shape(xs, ys, np.zeros_like(circle)) is None


def test_saddles_follow_the_centre_and_flat_or_nan_images_give_no_contour():
    def cut(z):
        return {frozenset(map(tuple, s.round(3).tolist()))
                for s in contour_segments([0, 1], [0, 1], np.array(z))}
    # high corners (0, 0) and (1, 1); the centre, 0.5, is not above: each is cut off alone
    assert cut([[1.0, 0.0], [0.0, 1.0]]) == {frozenset({(0.0, 0.5), (0.5, 0.0)}),
                                             frozenset({(1.0, 0.5), (0.5, 1.0)})}
    # the centre, 0.6, is above: the high corners join through it; the low ones are cut off
    assert cut([[1.0, 0.2], [0.2, 1.0]]) == {frozenset({(0.625, 0.0), (1.0, 0.375)}),
                                             frozenset({(0.375, 1.0), (0.0, 0.625)})}
    assert contour_segments([0, 1], [0, 1], np.full((2, 2), 0.3)).shape == (0, 2, 2)
    assert contour_segments([0, 1], [0, 1], np.full((2, 2), np.nan)).shape == (0, 2, 2)
    with pytest.raises(ValueError, match="shape"):
        contour_segments([0, 1, 2], [0, 1], np.zeros((3, 3)))


def test_the_surface_image_has_a_pixel_per_grid_point_coloured_by_the_scale():
    xs, ys = np.linspace(0, 4, 5), np.linspace(10, 12, 3)
    z = np.zeros((3, 5))
    z[0, 0], z[2, 4], z[1, 2] = 1.0, 0.5, 1.0  # bottom-left, top-right, centre
    image = F.surface_image(xs, ys, z)
    pixels = png_pixels(image["source"])
    assert pixels.shape == (3, 5, 3)
    blue, white, red = ([int(c[i:i + 2], 16) for i in (1, 3, 5)] for _, c in
                        (F.PROBA_SCALE[2], F.PROBA_SCALE[1], F.PROBA_SCALE[0]))
    assert pixels[2, 0].tolist() == blue   # y = 10 is the image's bottom row
    assert pixels[0, 4].tolist() == white  # y = 12 its top row
    assert pixels[1, 2].tolist() == blue and pixels[1, 1].tolist() == red
    # each pixel is centred on its grid point: the image spans half a cell beyond the grid
    assert (image["x"], image["sizex"], image["y"], image["sizey"]) == (-0.5, 5.0, 12.5, 3.0)


def test_the_lines_shape_is_the_models_boundary():
    X = np.array([[-1.0, -1.0], [1.0, 1.0]])
    grid = make_grid(X, resolution=20)
    x, y = F.line_in_box([1.0, 1.0], -0.5, grid.xs, grid.ys)
    shape = F.line_shape(x, y, "θᵀx = 0")
    points = path_points(shape)
    np.testing.assert_allclose(points.sum(axis=1), 0.5, atol=1e-4)
    assert shape["showlegend"] and shape["name"] == "θᵀx = 0"


def test_while_playing_the_plane_keeps_its_traces_and_redraws_only_the_surface():
    at = open_page("app_pages/logistic_regression.py", {"dataset": "circles",
                                                        "features": "x₁²,x₂²"})
    at.button(key="logreg_play").click().run()
    first = live_figure(at, "logreg_surface")
    at.run()
    second = live_figure(at, "logreg_surface")
    assert at.session_state["logreg"].running
    assert not any(t["type"] == "heatmap" for t in second["data"])  # no hover layer: it changes
    assert json.dumps(first["data"]) == json.dumps(second["data"])  # the traces: unchanged
    assert first["layout"]["images"] != second["layout"]["images"]  # the surface: moved on
    assert drawn(first, "P = 0.5")["path"] != drawn(second, "P = 0.5")["path"]
    at.button(key="logreg_pause").click().run()
    paused = live_figure(at, "logreg_surface")
    assert paused["data"][0]["type"] == "heatmap"  # paused: P under the mouse again


def test_hidden_space_shows_every_point_whole():
    """Points on the data's edge (a tanh unit near ±1, spread out to ±1.4 along v) sit inside
    the axes with room for their marker, not cut in half by the range."""
    from ui.figures import hidden_space_figure
    H = np.array([[-0.9, 1.4], [0.9, -1.4], [0.5, 0.0], [-0.5, 0.2]])
    fig = hidden_space_figure(H, np.array([0, 0, 1, 1]), (1.0, 0.0), 0.0, box=(0.0, 0.0))
    for axis in ("xaxis", "yaxis"):
        lo, hi = fig["layout"][axis]["range"]
        assert lo <= H.min() - 0.05 * (hi - lo) and hi >= H.max() + 0.05 * (hi - lo)


def legend_names(fig):
    """The entries a figure's legend shows, in order: scatter traces, then shapes in the
    legend (a live chart draws their entries after the traces, in the shapes' order)."""
    traces = [t.get("name") for t in fig["data"]
              if t.get("type", "scatter") == "scatter" and t.get("showlegend", True)]
    shapes = [s.get("name") for s in fig["layout"].get("shapes", []) if s.get("showlegend")]
    return traces + shapes


@pytest.mark.parametrize("query", [{}, {"dataset": "circles", "features": "x₁²,x₂²"}])
def test_the_planes_legend_is_the_same_before_and_after_the_first_step(query):
    """At θ = 0 there is no boundary and no arrow: their legend entries appeared at the first
    step, the legend grew by a row and the plane shrank (257 to 232 px wide at 1440x900); then
    two entries swapped places at the first step."""
    at = open_page("app_pages/logistic_regression.py", query)
    before = legend_names(live_figure(at, "logreg_surface"))
    at.button(key="logreg_step").click().run()
    after = legend_names(live_figure(at, "logreg_surface"))
    assert before == after
