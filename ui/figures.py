"""Plotly figure builders: plain functions from arrays to figures, one shared style.

Figures are plain Plotly JSON dicts ({"data": [...], "layout": {...}}), not ``go.Figure``s:
building a validated ``go.Figure`` costs 10-25 ms, too much for charts redrawn ten times a
second. ``st.plotly_chart``, ``plotly.io`` and ``go.Figure(fig)`` all accept these dicts.
Nothing here knows about models or Streamlit.
"""
import base64
import struct
import zlib

import numpy as np

from core.surface import contour_segments

# One palette everywhere: class 0 warm, class 1 cool; train solid, test hollow.
CLASS_COLORS = ("#e4572e", "#2e6fd8")
CLASS_NAMES = ("class 0", "class 1")
SERIES = {"train": "#2e6fd8", "test": "#e4572e"}
PALETTE = ["#2e6fd8", "#e4572e", "#17a589", "#9c6ade", "#f1a208", "#5c6b73", "#d6336c",
           "#20c997", "#845ef7", "#fd7e14"]
# P(class 1) from 0 to 1: warm, through white at 0.5, to cool.
PROBA_SCALE = [[0.0, "#f4a48c"], [0.5, "#fbfbfb"], [1.0, "#8fb3ee"]]
# Signed values (weights, gradients): red negative, white zero, blue positive.
SIGNED_SCALE = [[0.0, "#c0392b"], [0.5, "#ffffff"], [1.0, "#1f5fbf"]]
FONT = dict(family="Inter, Source Sans Pro, sans-serif", size=13, color="#1f2937")
GRID = "#e8ecf2"


def _f32(a):
    """Arrays go to the browser as float32 (half the bytes of float64)."""
    return None if a is None else np.asarray(a, dtype=np.float32)


# a horizontal legend under the plot: above it, a narrow chart's legend covers its title
BELOW = dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0, font=dict(size=11))


def axis(title=None, **kw):
    # automargin: wide tick labels (a diverged loss's "4×10²⁸") push the margin instead of
    # running under the axis title or off the chart's edge; labels that fit change nothing
    return dict(title=dict(text=title) if title else None, gridcolor=GRID, zeroline=False,
                linecolor="#cbd2dc", ticks="outside", tickcolor="#cbd2dc",
                **{"automargin": True, **kw})


def figure(data, title=None, height=380, legend=True, **layout):
    """A figure dict in the shared style: white, small margins, horizontal legend on top.

    ``legend`` is True, False, or a dict of legend settings replacing the default.
    """
    base = dict(
        height=height, font=FONT, uirevision="keep", paper_bgcolor="white",
        plot_bgcolor="white", hovermode="closest", colorway=PALETTE,
        margin=dict(l=55, r=20, t=55 if title else 30, b=45),
        title=dict(text=title, x=0.01, font=dict(size=15)) if title else None,
        showlegend=bool(legend),
        legend=legend if isinstance(legend, dict) else dict(
            orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0,
            bgcolor="rgba(255,255,255,0.7)"),
        xaxis=axis(), yaxis=axis())
    base.update(layout)
    if title and "<br>" in title:  # a title of several lines: room for each one below the first
        base["margin"] = dict(base["margin"], t=base["margin"]["t"] + 20 * title.count("<br>"))
    return {"data": list(data), "layout": base}


def points_traces(X, y, split="train", class_names=CLASS_NAMES, size=8):
    """Scatter traces, one per class; train points filled, test points hollow."""
    traces = []
    X, y = np.asarray(X), np.asarray(y)
    for k, name in enumerate(class_names):
        mask = y == k
        if not mask.any():
            continue
        color = CLASS_COLORS[k] if len(class_names) == 2 else PALETTE[k % len(PALETTE)]
        filled = split == "train"
        traces.append(dict(
            type="scatter", x=_f32(X[mask, 0]), y=_f32(X[mask, 1]), mode="markers",
            name=f"{name} ({split})", legendgroup=f"{name}{split}",
            # open symbols are drawn in marker.color; a white halo would hide them in the legend
            marker=dict(size=size, color=color, symbol="circle" if filled else "circle-open",
                        line=dict(width=0.8 if filled else 2, color="white" if filled else color)),
            hovertemplate=f"{name} ({split})<br>x1=%{{x:.2f}}<br>x2=%{{y:.2f}}<extra></extra>"))
    return traces


def line_in_box(w, b, xs, ys):
    """The line w . x + b = 0 clipped to the box xs x ys, as (x, y) arrays (empty if outside)."""
    x0, x1, y0, y1 = float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1])
    w1, w2, b = float(w[0]), float(w[1]), float(b)
    pts = []
    if abs(w2) > 1e-12:
        pts += [(x, -(b + w1 * x) / w2) for x in (x0, x1)]
    if abs(w1) > 1e-12:
        pts += [(-(b + w2 * v) / w1, v) for v in (y0, y1)]
    eps = 1e-9 * (1 + abs(x1 - x0) + abs(y1 - y0))
    pts = sorted({p for p in pts if x0 - eps <= p[0] <= x1 + eps and y0 - eps <= p[1] <= y1 + eps})
    if len(pts) < 2:
        return np.array([]), np.array([])
    return np.array([pts[0][0], pts[-1][0]]), np.array([pts[0][1], pts[-1][1]])


def proba_bar(name="P(y=1|x)"):
    """A probability's colour bar, narrow: beside a plane drawn 1:1 in a narrow column, a bar
    with its title turned sideways took 70 px of the plot's width (the XOR page's MLP plane was
    138 px wide at 1024x768)."""
    # each tick's label just under its tick: level with it, the "1" touched the title above
    return dict(title=dict(text=name, side="top", font=dict(size=10)), thickness=10, len=0.75,
                xpad=4, tickvals=[0, 0.5, 1], ticktext=["0", "½", "1"],
                ticklabelposition="outside bottom")


def heatmap_trace(xs, ys, z, colorscale=PROBA_SCALE, zmin=0.0, zmax=1.0, show_scale=True,
                  name="P(y=1|x)", **kw):
    # zsmooth="fast": plotly.js paints the image at the data's resolution and lets the browser
    # scale it, instead of painting and PNG-encoding every screen pixel on every update.
    kw.setdefault("zsmooth", "fast")
    return dict(type="heatmap", x=_f32(xs), y=_f32(ys), z=_f32(z), zmin=zmin, zmax=zmax,
                colorscale=colorscale, showscale=show_scale, name=name,
                colorbar=proba_bar(name),
                hovertemplate=f"x1=%{{x:.2f}}<br>x2=%{{y:.2f}}<br>{name}=%{{z:.3f}}<extra></extra>",
                **kw)


# ---- a surface that redraws cheaply -------------------------------------------------------------
# A live surface changes ten times a second. Drawn as a heatmap trace, every change makes
# plotly.js recompute and redraw every trace of the chart (the data points too), which on a
# small machine is most of the browser's work. Drawn as a layout image (a PNG), with its
# contour and lines as layout shapes, a change redraws only those, and the traces (the data,
# which does not change) are left alone.

def _rgb_lut(colorscale, n=256):
    stops = np.array([p for p, _ in colorscale])
    colors = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for _, c in colorscale], float)
    t = np.linspace(0, 1, n)
    return np.stack([np.interp(t, stops, colors[:, k]) for k in range(3)], axis=1).round() \
        .astype(np.uint8)


def _png(rgb):
    """An (h, w, 3) uint8 image as PNG bytes (zlib at speed 1: about a millisecond)."""
    h, w, _ = rgb.shape
    rows = np.concatenate([np.zeros((h, 1), np.uint8), rgb.reshape(h, 3 * w)], axis=1)

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def surface_image(xs, ys, z, colorscale=PROBA_SCALE, zmin=0.0, zmax=1.0):
    """A layout image painting z (ny, nx; row i at y = ys[i]) over the plot's axes, each value
    a pixel centred on its grid point, coloured as a heatmap with ``colorscale`` would be."""
    z = np.nan_to_num(np.asarray(z, dtype=np.float64), nan=zmin)
    index = np.clip((z - zmin) / (zmax - zmin) * 255, 0, 255).round().astype(np.intp)
    pixels = _rgb_lut(colorscale)[index[::-1]]  # the image's first row is the top: y = ys[-1]
    dx, dy = (xs[-1] - xs[0]) / max(len(xs) - 1, 1), (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
    return dict(source="data:image/png;base64," + base64.b64encode(_png(pixels)).decode(),
                xref="x", yref="y", x=float(xs[0] - dx / 2), y=float(ys[-1] + dy / 2),
                sizex=float(xs[-1] - xs[0] + dx), sizey=float(ys[-1] - ys[0] + dy),
                sizing="stretch", layer="below")


def _path(points):
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.5g},{y:.5g}" for i, (x, y) in enumerate(points))


def contour_shape(xs, ys, z, name="P = 0.5", color="#111827", dash="solid", level=0.5):
    """The contour {z = level} as one path shape in the legend (None if z never crosses it)."""
    segments = contour_segments(xs, ys, z, level)
    if not len(segments):
        return None
    # one format over every number at once: a live surface redraws its contour on every tick
    path = " ".join(["M%.5g,%.5g L%.5g,%.5g"] * len(segments)) % tuple(segments.ravel().tolist())
    return dict(type="path", path=path, xref="x", yref="y",
                line=dict(color=color, width=2, dash=dash), name=name, showlegend=True,
                layer="above")


def line_shape(x, y, name, color="#111827", dash="solid", width=2.5):
    """A polyline (x, y) as a path shape in the legend (None when it has no points)."""
    if len(x) < 2:
        return None
    return dict(type="path", path=_path(zip(x, y)), xref="x", yref="y", name=name,
                showlegend=True, line=dict(color=color, width=width, dash=dash), layer="above")


def legend_only_shape(name, color="#111827", dash="solid", width=2.5):
    """A legend entry, greyed, for a line that is not drawn now (a boundary before there is
    one): the legend keeps its rows, so the plot does not shrink when the line appears. A
    shape like the line it stands for, so the entries keep their order."""
    return dict(type="path", path="M0,0", xref="x", yref="y", name=name, showlegend=True,
                visible="legendonly", line=dict(color=color, width=width, dash=dash))


def colorbar_trace(xs, ys, colorscale=PROBA_SCALE, name="P(y=1|x)"):
    """An invisible, unchanging heatmap that shows the colour bar of a surface image."""
    return dict(type="heatmap", x=[float(xs[0]), float(xs[-1])], y=[float(ys[0]), float(ys[-1])],
                z=[[0.0, 1.0], [1.0, 0.0]], zmin=0.0, zmax=1.0, colorscale=colorscale,
                opacity=0, hoverinfo="skip", showscale=True, name=name,
                colorbar=proba_bar(name))


def surface_figure(xs, ys, proba, X_train, y_train, X_test=None, y_test=None, lines=(),
                   title=None, height=430, show_scale=True, contour=True,
                   class_names=CLASS_NAMES, hover=True, keep_legend=False):
    """P(class 1 | x) over the plane, its 0.5 contour, and the data.

    The surface is a layout image and the contour and ``lines`` are layout shapes, so a new
    surface redraws only them (see surface_image).

    Parameters
    ----------
    xs, ys : grid axes; proba : (len(ys), len(xs)) with row i at y = ys[i].
    lines : extra boundaries, each a dict(x=, y=, name=, color=, dash=).
    contour : draw the P = 0.5 contour (leave it off when a line already shows the boundary).
    hover : add an invisible heatmap that shows P under the mouse. It changes with the
        surface, so a live chart leaves it out while training plays (each update would redraw
        every trace again).
    keep_legend : a contour or line that is not there (P never crosses 0.5, a line outside
        the plane) keeps a greyed legend entry in its place (``legend_only_shape``), so a live
        chart's legend keeps its rows and order when it appears.
    """
    data = []
    if hover:
        data.append(heatmap_trace(xs, ys, proba, show_scale=show_scale, opacity=0))
    elif show_scale:
        data.append(colorbar_trace(xs, ys))
    missing = legend_only_shape if keep_legend else lambda *_: None
    shapes = [contour_shape(xs, ys, proba) or missing("P = 0.5")] if contour else []
    for line in lines:
        color, dash = line.get("color", "#111827"), line.get("dash", "solid")
        shapes.append(line_shape(line["x"], line["y"], line["name"], color, dash)
                      or missing(line["name"], color, dash))
    data += points_traces(X_train, y_train, "train", class_names)
    if X_test is not None and len(X_test):
        data += points_traces(X_test, y_test, "test", class_names)
    # the legend goes under the plot: above it, a narrow chart's legend would cover the title
    return figure(data, title, height,
                  # the view follows the grid: zoom is kept while a model trains on it, and new
                  # data starts a fresh view (with the old one kept, plotly.js stretched the
                  # new, smaller plane's x axis to the old plot's width, past the surface)
                  uirevision=f"plane {xs[0]:.6g} {xs[-1]:.6g} {ys[0]:.6g} {ys[-1]:.6g}",
                  legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0,
                              font=dict(size=11)),
                  margin=dict(l=50, r=10, t=45 if title else 20, b=45),
                  xaxis=axis("x1", range=[float(xs[0]), float(xs[-1])], showgrid=False),
                  yaxis=axis("x2", range=[float(ys[0]), float(ys[-1])], showgrid=False),
                  images=[surface_image(xs, ys, proba)],
                  shapes=[shape for shape in shapes if shape is not None])


def curves_figure(history=None, title=None, height=330, runs=None):
    """Loss (negative mean log-likelihood) and accuracy against the step, train and test.

    history : dict with "step", "train_loss", "test_loss", "train_accuracy", "test_accuracy"
        arrays (test ones may be None); or ``runs``: {name: history} to overlay several models.
    """
    runs = runs or {"": history}
    data = []
    for i, (name, h) in enumerate(runs.items()):
        color = PALETTE[i % len(PALETTE)] if len(runs) > 1 else None
        for split, dash in (("train", "solid"), ("test", "dot")):
            label = f"{name} {split}".strip()
            for ax, metric in (("", "loss"), ("2", "accuracy")):
                values = h.get(f"{split}_{metric}")
                if values is None or len(values) == 0:
                    continue
                data.append(dict(
                    type="scatter", x=_f32(h["step"]), y=_f32(values), mode="lines", name=label,
                    legendgroup=label, showlegend=ax == "", xaxis=f"x{ax}", yaxis=f"y{ax}",
                    line=dict(color=color or SERIES[split], width=2, dash=dash),
                    hovertemplate=f"{label}<br>step %{{x}}<br>{metric} %{{y:.4f}}<extra></extra>"))
    return figure(
        data, title, height,
        # the accuracy axis on the right edge, in a margin of its own: in the gap between the
        # plots, its tick labels and title ran over the loss plot in a narrow column (the
        # logistic page at 1024x768). Three step ticks at most, level and small: five ("0 20k
        # 40k 60k 80k") tilted into the axis titles there, and "100k" met "200k"
        margin=dict(l=55, r=50, t=55 if title else 30, b=45),
        xaxis=axis("step", domain=[0, 0.44], nticks=3, tickangle=0, tickfont=dict(size=10)),
        yaxis=axis("loss −LL/n", rangemode="tozero"),
        xaxis2=axis("step", domain=[0.56, 1], anchor="y2", nticks=3, tickangle=0,
                    tickfont=dict(size=10)),
        yaxis2=axis("accuracy", range=[0, 1.02], anchor="x2", side="right"))


def trajectories_figure(steps, values, names, title=None, height=300, y_title=None,
                        x_title="step"):
    """One line per column of values (len(steps), len(names)): parameters over the steps."""
    values = np.asarray(values, dtype=float).reshape(len(steps), -1)
    data = [dict(type="scatter", x=_f32(steps), y=_f32(values[:, j]), mode="lines", name=name,
                 line=dict(color=PALETTE[j % len(PALETTE)], width=2))
            for j, name in enumerate(names)]
    return figure(data, title, height, xaxis=axis(x_title), yaxis=axis(y_title))


def contour_path_figure(a_values, b_values, Z, path_a, path_b, a_name, b_name, title=None,
                        height=380, z_name="LL(θ)/n"):
    """A contour of Z over two parameters with the path the training took across it."""
    data = [dict(type="contour", x=_f32(a_values), y=_f32(b_values), z=_f32(Z),
                 colorscale="Viridis", ncontours=25, name=z_name,
                 colorbar=dict(title=dict(text=z_name, side="right"), thickness=12),
                 line=dict(width=0.5, color="rgba(255,255,255,0.35)"),
                 hovertemplate=f"{a_name}=%{{x:.2f}}<br>{b_name}=%{{y:.2f}}<br>"
                               f"{z_name}=%{{z:.4f}}<extra></extra>"),
            dict(type="scatter", x=_f32(path_a), y=_f32(path_b), mode="lines",
                 name="gradient ascent path", line=dict(color="#e4572e", width=3))]
    if len(path_a):
        data.append(dict(type="scatter", x=_f32(path_a[-1:]), y=_f32(path_b[-1:]),
                         mode="markers", name="θ now",
                         marker=dict(color="white", size=12, line=dict(color="#e4572e", width=3))))
    return figure(data, title, height,
                  xaxis=axis(a_name, range=[float(a_values[0]), float(a_values[-1])]),
                  yaxis=axis(b_name, range=[float(b_values[0]), float(b_values[-1])]))


def image_grid_figure(images, titles=None, cols=8, height=None, signed=False, title=None,
                      cell=90):
    """Small images in a grid (weights, activations, digits), row 0 of each image on top.

    ``signed`` uses a red-white-blue scale centred on zero, each image scaled to its own range.
    """
    images = [np.asarray(im, dtype=np.float32) for im in images]
    cols = max(1, min(cols, len(images)))
    rows = -(-len(images) // cols)
    gap = 0.02
    data, layout, annotations = [], {}, []
    for i, im in enumerate(images):
        r, c = divmod(i, cols)
        n = "" if i == 0 else str(i + 1)
        x0 = c / cols + gap / 2
        x1 = (c + 1) / cols - gap / 2
        y1 = 1 - r / rows - (0.12 / rows if titles else gap / 2)
        y0 = 1 - (r + 1) / rows + gap / 2
        lim = float(np.abs(im).max()) or 1.0
        data.append(dict(type="heatmap", z=im, xaxis=f"x{n}", yaxis=f"y{n}", showscale=False,
                         colorscale=SIGNED_SCALE if signed else "Greys",
                         zmin=-lim if signed else float(im.min()),
                         zmax=lim if signed else (float(im.max()) if im.max() > im.min() else 1.0),
                         hovertemplate="%{z:.3f}<extra></extra>"))
        layout[f"xaxis{n}"] = dict(domain=[x0, x1], visible=False, anchor=f"y{n}")
        layout[f"yaxis{n}"] = dict(domain=[y0, y1], visible=False, anchor=f"x{n}",
                                   autorange="reversed", scaleanchor=f"x{n}")
        if titles:
            # centred over its image (plotly's "auto" anchors a title in the left third of the
            # figure by its left end, in the right third by its right end)
            annotations.append(dict(text=str(titles[i]), x=(x0 + x1) / 2, y=y1, xref="paper",
                                    yref="paper", xanchor="center", yanchor="bottom",
                                    showarrow=False, font=dict(size=11)))
    fig = figure(data, title, height or int(cell * rows + (50 if title else 20)), legend=False,
                 **layout)
    fig["layout"]["annotations"] = annotations
    fig["layout"]["margin"] = dict(l=5, r=5, t=45 if title else 10, b=5)
    return fig


def network_figure(coefs, intercepts, z=None, h=None, input_names=("x1", "x2"), title=None,
                   height=360, max_units=32, deltas=None, grads=None, labels=False,
                   highlight=None):
    """The network as a diagram: edge width ~ |weight|, colour its sign (blue +, red -); units
    numbered from the top, as the unit maps are numbered from the left.

    ``z`` and ``h`` are optional lists (one per layer, hidden and output) of each unit's weighted
    input and output for one example, shown when hovering a unit; ``deltas`` (the same shape)
    adds each unit's sensitivity δ = ∂e/∂z, and ``grads`` (shaped like ``coefs``) each weight's
    ∂e/∂w in the edge's hover. Every edge hovers its weight. ``labels`` writes h (and δ) beside
    each unit and its bias under it, while they have room (12 units a layer at most: at 32 they
    piled into one block); ``highlight`` (a layer index, 1 = the
    first hidden layer) rings the units of one layer. Edges are grouped into a few traces by
    width and sign, so a large network is still cheap to redraw.
    """
    from ui.numbers import num, prob
    sizes = [coefs[0].shape[0]] + [W.shape[1] for W in coefs]
    pos = []
    for l, n in enumerate(sizes):
        ys = np.linspace(1, -1, n) if n > 1 else np.zeros(1)
        pos.append(np.column_stack([np.full(n, float(l)), ys * min(1.0, n / 6)]))
    # weights that overflowed are drawn as the largest finite ones, never a crash
    coefs = [np.nan_to_num(np.asarray(W, float), nan=0.0, posinf=1e300, neginf=-1e300)
             for W in coefs]
    w_max = max(float(np.abs(W).max()) for W in coefs) or 1.0
    bins, mid_x, mid_y, mid_text = {}, [], [], []
    for l, W in enumerate(coefs):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                w = float(W[i, j])
                level = min(3, int(4 * abs(w) / w_max))
                xs, ys = bins.setdefault((w >= 0, level), ([], []))
                (x0, y0), (x1, y1) = pos[l][i], pos[l + 1][j]
                xs += [x0, x1, None]
                ys += [y0, y1, None]
                # hover point a third of the way along, so edges into one unit stay apart
                mid_x.append(x0 + (x1 - x0) / 3)
                mid_y.append(y0 + (y1 - y0) / 3)
                source = input_names[i] if l == 0 and i < len(input_names) else \
                    f"h{l}.{i + 1}" if l else f"x{i + 1}"
                target = "output" if l == len(coefs) - 1 else f"h{l + 1}.{j + 1}"
                text = f"weight {source} → {target}: w = {num(w)}"
                if grads is not None:
                    text += f"<br>∂e/∂w = {num(float(grads[l][i, j]))}"
                mid_text.append(text)
    data = []
    for (positive, level), (xs, ys) in sorted(bins.items()):
        data.append(dict(type="scatter", x=xs, y=ys, mode="lines", hoverinfo="skip",
                         showlegend=False,
                         line=dict(width=0.6 + 1.8 * level,
                                   color=("rgba(31,95,191,%.2f)" if positive else
                                          "rgba(192,57,43,%.2f)") % (0.35 + 0.2 * level))))
    data.append(dict(type="scatter", x=mid_x, y=mid_y, mode="markers", text=mid_text,
                     hovertemplate="%{text}<extra></extra>", showlegend=False, name="weights",
                     marker=dict(size=9, color="rgba(0,0,0,0)")))
    texts, xs, ys, colors, notes, places = [], [], [], [], [], []
    for l, n in enumerate(sizes):
        for j in range(n):
            xs.append(pos[l][j, 0])
            ys.append(pos[l][j, 1])
            # each label beside its unit: inputs on their left, hidden units above them, the
            # output on its right
            places.append(dict(xanchor="right", xshift=-12) if l == 0 else
                          dict(xanchor="left", xshift=12) if l == len(sizes) - 1 else
                          dict(yanchor="bottom", yshift=11))
            if l == 0:
                name = input_names[j] if j < len(input_names) else f"x{j + 1}"
                texts.append(f"input {name}")
                colors.append("#9ca3af")
                notes.append(name)
                continue
            out = l == len(sizes) - 1
            kind = "output" if out else f"hidden layer {l}, unit {j + 1}"
            bias = float(intercepts[l - 1][j])
            text = f"{kind}<br>bias b = {num(bias)}"
            note = f"b {num(bias, 2)}"  # the bias, unless the unit's values take its place
            if z is not None:
                # the output unit is no hidden unit: its value is ŷ, the sigmoid of z (softmax
                # with several outputs), not g(z)
                value = num(float(h[l - 1][j]))
                text += (f"<br>weighted input z = {num(float(z[l - 1][j]))}<br>" + (
                    f"ŷ = P(y = 1 | x) = σ(z) = {value}" if out and n == 1 else
                    f"ŷ = softmax(z)<sub>{j + 1}</sub> = {value}" if out else
                    f"output h = g(z) = {value}"))
                note = (f"ŷ {prob(h[l - 1][j])}" if out else f"h {num(float(h[l - 1][j]), 2)}")
            if deltas is not None:
                text += f"<br>δ = ∂e/∂z = {num(float(deltas[l - 1][j]))}"
                note += f"<br>δ {num(float(deltas[l - 1][j]), 2)}"
            texts.append(text)
            notes.append(note)
            colors.append("#111827" if l == len(sizes) - 1 else "#2e6fd8")
    big = max(sizes) <= 12
    labels = labels and big
    rings = [3 if highlight is not None and x == highlight else 2 for x in xs]
    ring_colours = ["#f1a208" if highlight is not None and x == highlight else "white"
                    for x in xs]
    data.append(dict(type="scatter", x=xs, y=ys, mode="markers",
                     text=notes if labels else texts, hovertext=texts,
                     hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
                     marker=dict(size=18 if big else 11, color=colors,
                                 line=dict(color=ring_colours, width=rings))))
    # the labels as annotations on a white ground: drawn over the edges, so an edge that comes
    # up to a hidden unit from above no longer runs through its "h −0.98"
    notes_shown = [dict(x=x, y=y, xref="x", yref="y", text=note, showarrow=False,
                        font=dict(size=10, color="#374151"), bgcolor="rgba(255,255,255,0.85)",
                        borderpad=1, **place)
                   for x, y, note, place in zip(xs, ys, notes, places)] if labels else []
    ticks = ["inputs"] + [f"hidden {l}" for l in range(1, len(sizes) - 1)] + ["output"]
    return figure(data, title, height, legend=False, annotations=notes_shown,
                  xaxis=dict(visible=True, showgrid=False, zeroline=False, tickmode="array",
                             tickvals=list(range(len(sizes))), ticktext=ticks,
                             # room on the left for the inputs' names (cut at -0.3)
                             range=[-0.5 if labels else -0.3,
                                    len(sizes) - (0.2 if labels else 0.7)]),
                  yaxis=dict(visible=False, range=[-1.2, 1.2]))


def hidden_space_figure(H, y, w, b, names=("h1", "h2"), title=None, height=380, box=(0, 1),
                        class_names=CLASS_NAMES):
    """The data seen by the output unit: each example at (h_i, h_j), and the output unit's line
    w . h + b = 0 there. Where that line splits the classes, the hidden layer has made the data
    linearly separable."""
    H = np.asarray(H)
    lo, hi = min(box[0], float(H.min())), max(box[1], float(H.max()))
    pad = max(0.05, 0.07 * (hi - lo))  # a point on the edge shows whole, not cut in half
    lo, hi = lo - pad, hi + pad
    grid = np.array([lo, hi])
    lx, ly = line_in_box(w, b, grid, grid)
    data = points_traces(H, y, "train", class_names=class_names, size=7)
    data.append(dict(type="scatter", x=lx, y=ly, mode="lines", name="output unit: P = 0.5",
                     line=dict(color="#111827", width=2.5)))
    # the legend under the plot, as on the surfaces: above it, it wraps onto the title
    return figure(data, title, height,
                  legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0,
                              font=dict(size=11)),
                  margin=dict(l=50, r=10, t=45 if title else 20, b=45),
                  xaxis=axis(names[0], range=[lo, hi]), yaxis=axis(names[1], range=[lo, hi]))



def highlight_point(x, y, name="chosen point"):
    """A ring around one point, to lay over a scatter of the data."""
    return dict(type="scatter", x=[float(x)], y=[float(y)], mode="markers", name=name,
                hoverinfo="skip",
                marker=dict(size=22, color="rgba(0,0,0,0)", line=dict(color="#111827", width=3)))
