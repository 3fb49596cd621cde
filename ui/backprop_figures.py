"""Figures for the backpropagation page: a computation graph, activations, gradient-check cost.

Plain dict figures in the shared style of ``ui.figures``; they take names, numbers and text,
and know nothing of the graph engine or the network.
"""
import re

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
LABEL_ROOM_PX = 46  # from a node's centre to the far edge of the label above or below it


def label_px(text, size=13.5):
    """About how many pixels wide ``text`` is at ``size`` px (sans serif: 0.55 em a character
    on average; tags left out)."""
    return 0.55 * size * len(re.sub(r"<[^>]*>", "", text))


def graph_y_range(ys, plot_px, room=LABEL_ROOM_PX):
    """The y axis's range: the nodes' rows with ``room`` pixels for a label above the top row
    and below the bottom one at a plot ``plot_px`` pixels tall (at least 0.45 of a unit: a
    small chart, as the home page's picture, needs more units for as many pixels)."""
    low, high = min(ys), max(ys)
    span = high - low
    pad = 0.45 if plot_px <= 2 * room or span == 0 else max(0.45, room * span /
                                                             (plot_px - 2 * room))
    return [low - pad, high + pad]


def graph_figure(nodes, edges, title=None, height=400):
    """A computation graph with each node's value above it and its derivative below.

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
            showarrow=True, arrowhead=3, arrowsize=1.1, standoff=23, startstandoff=23,
            arrowwidth=2.2 if used else 1.6, arrowcolor=GRAD if used else MUTED))
        if used:
            annotations.append(dict(
                x=(x0 + x1) / 2, y=(y0 + y1) / 2, xref="x", yref="y", text=e["label"],
                showarrow=False, font=dict(size=12.5, color=GRAD), bgcolor="rgba(255,255,255,0.92)",
                borderpad=2))
    colors = {"todo": MUTED, "done": GRAD, "current": CURRENT}
    xs = [pos[n][0] for n in names]
    ys = [pos[n][1] for n in names]
    data = [dict(type="scatter", x=xs, y=ys, mode="markers+text",
                 text=[f"<b>{n}</b>" for n in names],
                 textfont=dict(size=17, color=INK), hoverinfo="skip", showlegend=False,
                 marker=dict(size=44, color=["#fff7e0" if n["state"] == "current" else "white"
                                             for n in nodes],
                             line=dict(width=[4 if n["state"] == "current" else 2.5 for n in nodes],
                                       color=[colors[n["state"]] for n in nodes])))]
    # labels a fixed number of pixels above and below each circle, whatever the scale
    x_max = max(xs)
    for n, x, y in zip(nodes, xs, ys):
        annotations.append(dict(x=x, y=y, xref="x", yref="y", text=n["value_text"],
                                showarrow=False, yanchor="bottom", yshift=RADIUS_PX + 3,
                                font=dict(size=13.5, color=INK)))
        if n["grad_text"]:
            annotations.append(dict(x=x, y=y, xref="x", yref="y", text=n["grad_text"],
                                    showarrow=False, yanchor="top", yshift=-RADIUS_PX - 3,
                                    font=dict(size=13.5, color=GRAD)))
    # margins in pixels for half the widest label of the first and last layers: a long one
    # ("L = c · e = −2.5×10⁶") stays inside a narrow chart, whatever its width
    side = {edge: max([10] + [label_px(t) / 2 - RADIUS_PX for n, x in zip(nodes, xs)
                              if x == at for t in (n["value_text"], n["grad_text"] or "")])
            for edge, at in (("l", 0), ("r", x_max))}
    top = 45 if title else 10
    fig = figure(data, title, height, legend=False, margin=dict(t=top, b=10, **side),
                 xaxis=dict(visible=False, range=[-0.45, x_max + 0.45], fixedrange=True),
                 yaxis=dict(visible=False, range=graph_y_range(ys, height - top - 10),
                            fixedrange=True))
    fig["layout"]["annotations"] = annotations
    return fig


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
                 text=[f"×{r:,.0f}" for r in ratio], textposition="top center", cliponaxis=False,
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
