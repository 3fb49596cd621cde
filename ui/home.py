"""The home page's thumbnails: what each page looks like, drawn small from the real engine
(a trained logistic regression, the lectures' XOR network, a few digits, the lectures' graph)."""
import numpy as np

from core import LogisticRegression, Trainer, load_digits8, make_dataset, make_grid, xor_by_hand
from core.mlp import forward
from ui import digit_figures as D
from ui import figures as F
from ui.backprop_figures import graph_y_range
from ui.backprop_views import graph_view

HEIGHT = 190


def _small(fig):
    """No title, legend, axes or colour bar: a picture, not a chart."""
    layout = fig["layout"]
    layout.update(title=None, showlegend=False, height=HEIGHT, margin=dict(l=4, r=4, t=4, b=4))
    for name in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        layout[name] = dict(layout[name] or {}, visible=False)
    for trace in fig["data"]:
        if trace.get("type") in ("heatmap", "contour"):
            trace["showscale"] = False
        trace.pop("hovertemplate", None)
    return fig


def logistic_thumbnail():
    X, y = make_dataset("overlapping", 160, 0.2, random_state=1)
    grid = make_grid(X, resolution=40)
    snap = Trainer(LogisticRegression(learning_rate=1.0, max_iter=10**9, tol=0), X, y,
                   grid=grid).run(40)
    theta = snap.theta[:, 0]
    lx, ly = F.line_in_box(theta[1:], theta[0], grid.xs, grid.ys)
    return _small(F.surface_figure(grid.xs, grid.ys, snap.grid_proba, X, y, contour=False,
                                   lines=[dict(x=lx, y=ly, name="θᵀx = 0")]))


def xor_thumbnail():
    X, y = make_dataset("xor", 160, 0.1, random_state=1)
    grid = make_grid(X, resolution=40)
    coefs, intercepts = xor_by_hand()
    proba = forward(grid.points, coefs, intercepts, "sigmoid")[-1][:, 0].reshape(grid.shape)
    return _small(F.surface_figure(grid.xs, grid.ys, proba, X, y))


def digits_thumbnail():
    d = load_digits8()
    picks = [int(np.flatnonzero(d.y == k)[0]) for k in range(10)]
    return _small(D.mosaic_figure([d.images[i] / 16 for i in picks], cols=5, width=300))


def backprop_thumbnail():
    # smaller circles than the page's 44 px: rows about 50 px apart put "b = 1" and "c = −2"
    # on the circles above them
    figure = _small(graph_view({"a": 3.0, "b": 1.0, "c": -2.0}, 2,
                               radius_px=THUMB_CIRCLE_PX / 2)[0])
    for note in figure["layout"]["annotations"]:  # "L = c · e = −10": "L = −10" in a picture
        parts = (note.get("text") or "").split(" = ")
        if len(parts) > 2 and not note.get("showarrow"):
            note["text"] = f"{parts[0]} = {parts[-1]}"
    # room for the labels above the top row and below the bottom one (a = 3 and ∂L/∂c were
    # cut); a little less than the page's own graph keeps, so the rows' circles stay apart
    figure["layout"]["yaxis"]["range"] = graph_y_range(figure["data"][0]["y"], HEIGHT - 8,
                                                       room=40)
    nodes = figure["data"][0]
    nodes["textfont"] = dict(nodes["textfont"], size=14)
    return figure


THUMB_CIRCLE_PX = 30


THUMBNAILS = {"logistic": logistic_thumbnail, "xor": xor_thumbnail, "digits": digits_thumbnail,
              "backprop": backprop_thumbnail}
