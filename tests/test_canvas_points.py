"""Clicks on the canvas map back to the data coordinates of the plane it shows."""
import numpy as np

from ui.canvas_points import background, points_from_canvas
from ui.figures import CLASS_COLORS


def circle(cx, cy, colour, radius=6, stroke=20):
    # what streamlit-drawable-canvas 0.13 returns for a click at (cx, cy) in point mode
    return {"type": "Circle", "originX": "left", "originY": "center", "radius": radius,
            "left": cx - radius - stroke / 2, "top": cy, "width": 2 * radius,
            "height": 2 * radius, "strokeWidth": stroke, "scaleX": 1, "scaleY": 1, "fill": colour}


def test_clicks_become_points_in_data_coordinates():
    xs, ys = np.linspace(-2, 2, 50), np.linspace(-1, 3, 50)
    objects = [circle(100, 50, CLASS_COLORS[0]), circle(300, 350, CLASS_COLORS[1]),
               {"type": "Path", "fill": CLASS_COLORS[0]}]  # not a point: ignored
    X, y = points_from_canvas(objects, xs, ys, (400, 400))
    np.testing.assert_allclose(X, [[-1.0, 2.5], [1.0, -0.5]])
    assert list(y) == [0, 1]


def test_no_clicks_no_points_and_background_size():
    X, y = points_from_canvas(None, [0, 1], [0, 1], (10, 10))
    assert X.shape == (0, 2) and y.shape == (0,)
    img = background(np.array([[0.5, 0.5]]), np.array([1]), [0, 1], [0, 1], (40, 30))
    assert img.size == (40, 30)
    r, g, b = (int(CLASS_COLORS[1][i:i + 2], 16) for i in (1, 3, 5))
    assert img.getpixel((20, 15)) == (r, g, b)  # the point is drawn where it belongs
