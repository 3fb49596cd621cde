"""Figures for the backpropagation page: a computation graph, activations, gradient-check cost.

Plain dict figures in the shared style of ``ui.figures``; they take names, numbers and text,
and know nothing of the graph engine or the network.
"""
import re
from dataclasses import dataclass

import numpy as np

from ui.figures import PALETTE, axis, figure

INK = "#1f2937"
MUTED = "#9ca3af"
GRAD = "#c0392b"      # derivatives flow backwards in red
CURRENT = "#f1a208"   # the node the backward pass has just reached


def layered_positions(names, edges, row_gap=1.0):
    """(x, y) per node for a left-to-right drawing: a node's column is one more than its
    furthest input's; inputs of the graph are stacked top to bottom in the given order,
    ``row_gap`` apart, and every other node sits at the mean height of its inputs. Nodes of
    one column that would overlap ((a + b)(a - b): both sums sit between a and b) are moved
    apart to ``row_gap``, keeping their order and their mean height."""
    inputs = {n: [u for u, v in edges if v == n] for n in names}
    column = {}
    for n in names:  # names come in forward order, so a node's inputs are placed already
        column[n] = 1 + max(column[u] for u in inputs[n]) if inputs[n] else 0
    leaves = [n for n in names if not inputs[n]]
    y = {n: row_gap * (len(leaves) - 1 - k) for k, n in enumerate(leaves)}
    for c in range(1, max(column.values(), default=0) + 1):
        nodes = [n for n in names if column[n] == c]
        for n in nodes:
            y[n] = float(np.mean([y[u] for u in inputs[n]]))
        _spread(sorted(nodes, key=lambda n: -y[n]), y, row_gap)
    return {n: (float(column[n]), y[n]) for n in names}


def _spread(nodes, y, gap):
    """Top to bottom, each node at least ``gap`` below the one above; if any moved, the whole
    column is shifted back to its former mean height."""
    before = np.mean([y[n] for n in nodes])
    moved = False
    for above, below in zip(nodes, nodes[1:]):
        if y[above] - y[below] < gap * 0.999:
            y[below], moved = y[above] - gap, True
    if moved:
        shift = before - np.mean([y[n] for n in nodes])
        for n in nodes:
            y[n] = float(y[n] + shift)


RADIUS_PX = 22      # a node's circle (its marker is 44 px across)
LABEL_GAP_PX = 3    # from a circle to the labels above and below it
LABEL_ROOM_PX = 46  # from a node's centre to the far edge of the label above or below it


def label_px(text, size=13.5):
    """About how many pixels wide ``text`` is at ``size`` px (sans serif: 0.55 em a character
    on average; tags left out; the longest line)."""
    return max(0.55 * size * len(re.sub(r"<[^>]*>", "", line)) for line in text.split("<br>"))


def graph_y_range(ys, plot_px, room=LABEL_ROOM_PX):
    """The y axis's range: the nodes' rows with ``room`` pixels for a label above the top row
    and below the bottom one at a plot ``plot_px`` pixels tall (at least 0.45 of a unit: a
    small chart, as the home page's picture, needs more units for as many pixels)."""
    low, high = min(ys), max(ys)
    span = high - low
    pad = 0.45 if plot_px <= 2 * room or span == 0 else max(0.45, room * span /
                                                             (plot_px - 2 * room))
    return [low - pad, high + pad]


def graph_figure(nodes, edges, title=None, height=400, radius_px=RADIUS_PX):
    """A computation graph with each node's value above it and its derivative below, its
    circles ``radius_px`` pixels in radius (the labels and arrows keep their distance to them).

    Parameters
    ----------
    nodes : list of dicts in forward order, each with ``name``, ``value_text`` (shown above the
        node), ``grad_text`` (below it, or None before the backward pass reaches it) and
        ``state``: "todo", "done" or "current".
    edges : list of dicts with ``src``, ``dst`` and ``label`` (the local derivative d dst / d src
        as text, or None while it is not used yet), drawn as arrows src -> dst.
    """
    names = [n["name"] for n in nodes]
    pos = layered_positions(names, [(e["src"], e["dst"]) for e in edges], row_gap=0.75)
    annotations = []
    for e in edges:
        (x0, y0), (x1, y1) = pos[e["src"]], pos[e["dst"]]
        used = e.get("label") is not None
        # from circle edge to circle edge: standoffs are in pixels, the circles' radius
        annotations.append(dict(
            x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
            showarrow=True, arrowhead=3, arrowsize=1.1, standoff=radius_px + 1,
            startstandoff=radius_px + 1,
            arrowwidth=2.2 if used else 1.6, arrowcolor=GRAD if used else MUTED))
    colors = {"todo": MUTED, "done": GRAD, "current": CURRENT}
    xs = [pos[n][0] for n in names]
    ys = [pos[n][1] for n in names]
    data = [dict(type="scatter", x=xs, y=ys, mode="markers+text",
                 text=[f"<b>{n}</b>" for n in names],
                 textfont=dict(size=17, color=INK), hoverinfo="skip", showlegend=False,
                 marker=dict(size=2 * radius_px,
                             color=["#fff7e0" if n["state"] == "current" else "white"
                                    for n in nodes],
                             line=dict(width=[4 if n["state"] == "current" else 2.5 for n in nodes],
                                       color=[colors[n["state"]] for n in nodes])))]
    # labels a fixed number of pixels above and below each circle, whatever the scale
    x_max = max(xs)
    for n, x, y in zip(nodes, xs, ys):
        annotations.append(dict(x=x, y=y, xref="x", yref="y", text=n["value_text"],
                                showarrow=False, yanchor="bottom", yshift=radius_px + LABEL_GAP_PX,
                                font=dict(size=13.5, color=INK)))
        if n["grad_text"]:
            annotations.append(dict(x=x, y=y, xref="x", yref="y", text=n["grad_text"],
                                    showarrow=False, yanchor="top",
                                    yshift=-radius_px - LABEL_GAP_PX,
                                    font=dict(size=13.5, color=GRAD)))
    # margins in pixels for half the widest label of the first and last layers: a long one
    # ("L = c · e = −2.5×10⁶") stays inside a narrow chart, whatever its width
    side = {edge: max([10] + [label_px(t) / 2 - radius_px for n, x in zip(nodes, xs)
                              if x == at for t in (n["value_text"], n["grad_text"] or "")])
            for edge, at in (("l", 0), ("r", x_max))}
    top = 45 if title else 10
    x_range, y_range = [-0.45, x_max + 0.45], graph_y_range(ys, height - top - 10)
    # each derivative on its edge where it covers no label and no circle (at the narrowest
    # chart the page shows; wider, the columns only move apart)
    plot = Plot(x_range, y_range, NARROW_PX - side["l"] - side["r"], height - top - 10,
                radius_px)
    for e, at, (dx, dy), _ in edge_labels(plot, nodes, pos, edges):
        annotations.append(dict(
            x=at[0], y=at[1], xshift=dx, yshift=dy, xref="x", yref="y", text=e["label"],
            showarrow=False, font=dict(size=EDGE_FONT, color=GRAD),
            bgcolor="rgba(255,255,255,0.92)", borderpad=2))
    fig = figure(data, title, height, legend=False, margin=dict(t=top, b=10, **side),
                 xaxis=dict(visible=False, range=x_range, fixedrange=True),
                 yaxis=dict(visible=False, range=y_range, fixedrange=True))
    fig["layout"]["annotations"] = annotations
    return fig


NARROW_PX = 560   # the graph's width in a 1024 px window with the sidebar open
EDGE_FONT = 12.5
LINE_PX = 17      # a line of label text, with its padding


@dataclass(frozen=True)
class Plot:
    """Data coordinates -> pixels (x right, y up) in a plot area ``width`` x ``height``, where
    the nodes' circles are ``radius`` pixels in radius."""
    x_range: tuple
    y_range: tuple
    width: float
    height: float
    radius: float = RADIUS_PX

    def px(self, x, y):
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return ((x - x0) / (x1 - x0) * self.width, (y - y0) / (y1 - y0) * self.height)


def _overlap(a, b):
    """The area two boxes (left, bottom, right, top) share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def node_boxes(plot, nodes, pos):
    """The pixel boxes of the circles and of the labels above and below them."""
    boxes = []
    for n in nodes:
        x, y = plot.px(*pos[n["name"]])
        r, gap = plot.radius, plot.radius + LABEL_GAP_PX
        boxes.append((x - r, y - r, x + r, y + r))
        w = label_px(n["value_text"]) / 2
        boxes.append((x - w, y + gap, x + w, y + gap + LINE_PX))
        if n["grad_text"]:
            w = label_px(n["grad_text"]) / 2
            boxes.append((x - w, y - gap - LINE_PX, x + w, y - gap))
    return boxes


def edge_points(plot, start, end, step=4.0):
    """Pixel points every ``step`` px along an edge's visible line (circle edge to circle edge)."""
    (p0, q0), (p1, q1) = plot.px(*start), plot.px(*end)
    length = np.hypot(p1 - p0, q1 - q0)
    if length <= 2 * plot.radius:
        return np.zeros((0, 2))
    t = np.arange(plot.radius, length - plot.radius, step) / length
    return np.column_stack([p0 + t * (p1 - p0), q0 + t * (q1 - q0)])


# where an edge's label may go, in order of preference: (steps beside the edge, in 0.8 of a
# line's height; the point along it, 0 at its start and 1 at its end)
PLACES = np.array([(k, t) for k in (0, 0.5, -0.5, 1, -1, 1.5, -1.5, 2, -2, 2.5, -2.5, 3, -3)
                   for t in (0.5, 0.4, 0.6, 0.45, 0.55, 0.3, 0.7, 0.35, 0.65, 0.25, 0.75)])


def edge_labels(plot, nodes, pos, edges):
    """(edge, (x, y) on it in data coordinates, (x, y) shift in pixels, the label's pixel box)
    for every edge with a label: the first place that covers nothing, trying the middle of the
    edge first, then other points along it, then points beside it, a little further each
    time; where every place covers something, the one that covers least. Another edge's line
    under a label counts too (each 4 px of it as much as a 5x5 px corner of a label). Every
    place of an edge is weighed at once (a 33-node graph took 1.1 s one place at a time)."""
    taken = node_boxes(plot, nodes, pos)
    lines = [edge_points(plot, pos[e["src"]], pos[e["dst"]]) for e in edges]
    placed = []
    for i, e in enumerate(edges):
        if e.get("label") is None:
            continue
        others = np.concatenate([pts for j, pts in enumerate(lines) if j != i] +
                                [np.zeros((0, 2))])
        (x0, y0), (x1, y1) = pos[e["src"]], pos[e["dst"]]
        (p0, q0), (p1, q1) = plot.px(x0, y0), plot.px(x1, y1)
        length = max(np.hypot(p1 - p0, q1 - q0), 1e-9)
        normal = np.array([-(q1 - q0), p1 - p0]) / length
        k, t = PLACES[:, 0], PLACES[:, 1]
        shift = (k * 0.8 * LINE_PX)[:, None] * normal               # (places, 2) pixels
        centre = np.column_stack([p0 + t * (p1 - p0), q0 + t * (q1 - q0)]) + shift
        head, _, value = e["label"].rpartition(" = ")
        T = np.array(taken)
        best = None
        # on one line if it fits somewhere, else broken before its value
        for text in [e["label"]] + ([f"{head}<br>= {value}"] if head else []):
            half = np.array([(label_px(text, EDGE_FONT) + 6) / 2,
                             LINE_PX * (text.count("<br>") + 1) / 2])
            boxes = np.hstack([centre - half, centre + half])          # (places, 4)
            w = np.minimum(boxes[:, None, 2], T[:, 2]) - np.maximum(boxes[:, None, 0], T[:, 0])
            h = np.minimum(boxes[:, None, 3], T[:, 3]) - np.maximum(boxes[:, None, 1], T[:, 1])
            cost = (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)
            cost += (np.clip(-boxes[:, 1], 0, None) + np.clip(boxes[:, 3] - plot.height, 0, None)
                     ) * 2 * half[0]                                  # outside the plot
            lo, hi = boxes[:, :2].min(axis=0), boxes[:, 2:].max(axis=0)
            near = others[np.all((others > lo) & (others < hi), axis=1)]
            crossed = np.all((near[None] > boxes[:, None, :2]) & (near[None] < boxes[:, None, 2:]),
                             axis=2).sum(axis=1)                  # (places,)
            cost = cost + 25 * crossed
            free = np.flatnonzero(cost == 0)
            at = free[0] if len(free) else int(np.argmin(cost))
            if best is None or cost[at] < best[0]:
                best = (cost[at], text, at, tuple(boxes[at]))
            if best[0] == 0:
                break
        _, text, at, box = best
        taken.append(box)
        placed.append((dict(e, label=text), (x0 + t[at] * (x1 - x0), y0 + t[at] * (y1 - y0)),
                       tuple(float(v) for v in shift[at]), box))
    return placed


def activation_figure(z, g, dg, name, z0=None, g0=None, dg0=None, height=340):
    """An activation g(z) and its derivative g'(z), with the point z0 marked on both."""
    data = [dict(type="scatter", x=z.tolist(), y=g.tolist(), mode="lines", name=f"{name}(z)",
                 line=dict(color=PALETTE[0], width=3)),
            dict(type="scatter", x=z.tolist(), y=dg.tolist(), mode="lines", name=f"{name}′(z)",
                 line=dict(color=PALETTE[1], width=3, dash="dash"))]
    if z0 is not None:
        data.append(dict(type="scatter", x=[z0, z0], y=[g0, dg0], mode="markers",
                         name=f"z = {z0:g}",
                         marker=dict(size=11, color=[PALETTE[0], PALETTE[1]],
                                     line=dict(color="white", width=2))))
    y_axis = axis(None)
    y_axis.update(zeroline=True, zerolinecolor="#9ca3af")
    return figure(data, None, height, xaxis=axis("z"), yaxis=y_axis)


def timing_figure(n_params, backprop_seconds, numerical_seconds, labels, height=380):
    """Seconds per gradient against the number of parameters, both ways, on log-log axes,
    each numerical point labelled with how many times slower it is."""
    n_params = np.asarray(n_params, float)
    b = np.asarray(backprop_seconds, float) * 1000
    n = np.asarray(numerical_seconds, float) * 1000
    ratio = n / b
    data = [dict(type="scatter", x=n_params.tolist(), y=n.tolist(), mode="lines+markers+text",
                 name="numerical: 2 forward passes per parameter",
                 text=[f"×{r:,.0f}" for r in ratio], cliponaxis=False,
                 # above and below the line in turn: two sizes close on the log axis (841 and
                 # 1,345 parameters) put their labels on top of each other
                 textposition=["top center" if i % 2 == 0 else "bottom right"
                               for i in range(len(ratio))],
                 textfont=dict(color=PALETTE[1]), line=dict(color=PALETTE[1], width=3),
                 marker=dict(size=9), customdata=list(labels),
                 hovertemplate="%{customdata}<br>%{x:,} parameters<br>%{y:.3g} ms<extra></extra>"),
            dict(type="scatter", x=n_params.tolist(), y=b.tolist(), mode="lines+markers",
                 name="backpropagation: 1 forward + 1 backward pass",
                 line=dict(color=PALETTE[0], width=3), marker=dict(size=9),
                 customdata=list(labels),
                 hovertemplate="%{customdata}<br>%{x:,} parameters<br>%{y:.3g} ms<extra></extra>")]
    return figure(data, None, height,
                  margin=dict(l=60, r=20, t=60, b=50),
                  xaxis=axis("parameters P (log scale)", type="log", tickvals=n_params.tolist(),
                             ticktext=[f"{int(p):,}" for p in n_params]),
                  yaxis=axis("ms per gradient (log scale)", type="log", dtick=1))
