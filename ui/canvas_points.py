"""Points clicked on a drawable canvas (``drawing_mode="point"``) <-> data coordinates.

Each click is a Fabric.js circle; its fill colour says its class. The canvas shows the current
data as a background image, so the user sees where to click.
"""
import numpy as np
import streamlit as st
from PIL import Image, ImageDraw

from ui.figures import CLASS_COLORS

ORIGIN = {"left": 0.0, "top": 0.0, "center": 0.5, "right": 1.0, "bottom": 1.0}


def _centre(obj, axis):
    """A Fabric object's centre along "x" or "y" in canvas pixels, whatever its origin."""
    pos, origin, size, scale = ("left", "originX", "width", "scaleX") if axis == "x" else \
                               ("top", "originY", "height", "scaleY")
    extent = obj.get(size, 0) * obj.get(scale, 1) + obj.get("strokeWidth", 0)
    return obj[pos] + (0.5 - ORIGIN.get(obj.get(origin, "left"), 0.0)) * extent


def points_from_canvas(objects, xs, ys, size):
    """Canvas circles -> (X (n, 2), y (n,)) in data coordinates of the box xs x ys.

    ``size`` is the canvas's (width, height) in pixels; canvas y grows downwards, data y upwards.
    Objects of another colour or type are ignored.
    """
    w, h = size
    X, y = [], []
    for obj in objects or []:
        colour = str(obj.get("fill", "")).lower()
        if obj.get("type", "").lower() != "circle" or colour not in CLASS_COLORS:
            continue
        px, py = _centre(obj, "x"), _centre(obj, "y")
        X.append([xs[0] + px / w * (xs[-1] - xs[0]), ys[-1] - py / h * (ys[-1] - ys[0])])
        y.append(CLASS_COLORS.index(colour))
    return np.array(X, dtype=float).reshape(-1, 2), np.array(y, dtype=int)


def background(X, y, xs, ys, size, radius=3):
    """An RGB image of the points over the box xs x ys, in the classes' colours."""
    w, h = size
    img = Image.new("RGB", (w, h), "#fbfbfb")
    draw = ImageDraw.Draw(img)
    for gx in np.linspace(0, w, 9)[1:-1]:
        draw.line([(gx, 0), (gx, h)], fill="#eef1f5")
    for gy in np.linspace(0, h, 9)[1:-1]:
        draw.line([(0, gy), (w, gy)], fill="#eef1f5")
    px = (np.asarray(X)[:, 0] - xs[0]) / (xs[-1] - xs[0]) * w
    py = (ys[-1] - np.asarray(X)[:, 1]) / (ys[-1] - ys[0]) * h
    for x0, y0, k in zip(px, py, y):
        draw.ellipse([x0 - radius, y0 - radius, x0 + radius, y0 + radius],
                     fill=CLASS_COLORS[int(k)])
    return img


def click_pad(key, click_class, X, y, grid, size, class_labels):
    """A pad showing the points (X, y) over the grid's box; each click adds a point of class
    ``click_class``. Returns the points added so far, (X_added, y_added), and says how many."""
    st.caption("Pick a class, then click on the plane: each point joins the training set and "
               "training restarts on the new data. The toolbar under the pad undoes the last "
               "point or clears them all.")
    try:
        from streamlit_drawable_canvas import st_canvas
        colour = CLASS_COLORS[click_class]
        pad = st_canvas(drawing_mode="point", fill_color=colour, stroke_color=colour,
                        stroke_width=2, point_display_radius=5, width=size[0], height=size[1],
                        background_image=background(X, y, grid.xs, grid.ys, size), key=key)
        objects = (pad.json_data or {}).get("objects", [])
    except Exception as err:  # the pad is optional: the page works without it
        st.warning(f"The drawing pad is unavailable here ({type(err).__name__}).")
        objects = []
    X_added, y_added = points_from_canvas(objects, grid.xs, grid.ys, size)
    if len(X_added):
        st.caption(f"{len(X_added)} point(s) added: {int((y_added == 0).sum())} of class "
                   f"{class_labels[0]}, {int((y_added == 1).sum())} of class {class_labels[1]}.")
    return X_added, y_added
