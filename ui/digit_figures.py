"""Figures and pictures for the digit page: plain functions from arrays to figure dicts or pixels.

The shared style and the image grid come from ``ui.figures``; what is here is particular to ten
classes of small images: the probability bars with the first and second guess, the hidden
units' activations for one drawing, the confusion matrix, and pixel images for ``st.image``.
Nothing here knows about models or Streamlit.
"""
import base64
import io
import math

import numpy as np

from ui.figures import SIGNED_SCALE as SIGNED, axis, figure

FIRST, SECOND, OTHER = "#2e6fd8", "#8fb3ee", "#d7dde6"
INK = [[0.0, "rgb(0,0,0)"], [1.0, "rgb(255,255,255)"]]  # white ink on black, like the pad
TOOLBAR_PX = 34  # the band at a chart's top that its toolbar covers, shown on hover
# (not "#000000": live_chart reads "#0000xx" as a theme colour placeholder)


def top_two(proba):
    """Indices of the largest and the second-largest probability."""
    order = np.argsort(-np.asarray(proba), kind="stable")
    return int(order[0]), int(order[1])


def share(p):
    """A probability in whole percent, "<1%" for a small one (a softmax never gives 0)."""
    return f"{p:.0%}" if p >= 0.005 or p <= 0 else "<1%"


def guess_html(label, digit, p, strong=False):
    """A card for the first (``strong``) or second guess: the label, the digit large, P in %."""
    size, colour = ("3.2rem", FIRST) if strong else ("2.2rem", "#5b7db8")
    return (f"<div class='np-guess' style='text-align:center;min-width:6.5rem'>"
            f"<div style='font-size:0.85rem;color:#4b5563;white-space:nowrap'>{label}</div>"
            f"<div style='font-size:{size};font-weight:700;line-height:1.1;color:{colour}'>"
            f"{digit}</div><div style='font-size:0.9rem'>{share(p)}</div></div>")


def guesses_html(P):
    """The first and second guess side by side; they wrap under each other, never mid-word."""
    k1, k2 = top_two(P)
    return ("<div style='display:flex;flex-wrap:wrap;gap:0.5rem 1.5rem;align-items:flex-end'>"
            + guess_html("First guess", k1, P[k1], strong=True)
            + guess_html("Second guess", k2, P[k2]) + "</div>")


def guess_figure(proba, labels, title=None, height=240):
    """All class probabilities as bars, the first guess dark, the second light, in percent."""
    proba = np.asarray(proba, dtype=float)
    first, second = top_two(proba)
    colors = [FIRST if i == first else SECOND if i == second else OTHER for i in range(len(proba))]
    # each share over its bar, but "<1%" only over the two guesses: in the answer's column at
    # 1024 px, eight "<1%" side by side ran into each other (a bar at 0 says as much)
    text = [share(p) if i in (first, second) or p >= 0.005 else "" for i, p in enumerate(proba)]
    data = [dict(type="bar", x=[str(v) for v in labels], y=(100 * proba).astype(np.float32),
                 marker=dict(color=colors), text=text,
                 # full size: fitted to a narrow bar, "<1%" was 7 px tall at 1024x768
                 textposition="outside", cliponaxis=False, constraintext="none",
                 hovertemplate="P(%{x}) = %{y:.1f}%<extra></extra>")]
    return figure(data, title, height, legend=False,
                  margin=dict(l=45, r=10, t=40 if title else 22, b=35),
                  xaxis=axis(type="category", showgrid=False, dtick=1),  # every digit named
                  yaxis=axis("P (%)", range=[0, 112], dtick=25))


def activations_figure(hidden, activation, title=None, height=None):
    """Each hidden layer's outputs h for one example, as bars, one row of bars per layer.

    ``hidden`` is a list of (units,) arrays; bars are blue when positive, red when negative.
    """
    layers = [np.asarray(h, dtype=np.float32).ravel() for h in hidden]
    n = len(layers)
    gap = 0.12 if n > 1 else 0.0
    span = (1 - gap * (n - 1)) / n
    data, layout = [], {}
    lo = -1.0 if activation == "tanh" else 0.0
    for l, h in enumerate(layers):
        suffix = "" if l == 0 else str(l + 1)
        top = 1 - l * (span + gap)
        data.append(dict(type="bar", x=np.arange(1, len(h) + 1), y=h, xaxis=f"x{suffix}",
                         yaxis=f"y{suffix}", name=f"layer {l + 1}",
                         marker=dict(color=np.where(h >= 0, FIRST, "#e4572e").tolist()),
                         hovertemplate=f"layer {l + 1}, unit %{{x}}<br>h = %{{y:.3f}}<extra></extra>"))
        hi = 1.0 if activation in ("tanh", "sigmoid") else max(1.0, float(h.max()) if len(h) else 1.0)
        layout[f"xaxis{suffix}"] = axis(f"hidden layer {l + 1}: unit" if l == n - 1 else None,
                                        domain=[0, 1], anchor=f"y{suffix}", showgrid=False,
                                        title_standoff=2)
        layout[f"yaxis{suffix}"] = axis(f"h, layer {l + 1}", domain=[top - span, top],
                                        anchor=f"x{suffix}", range=[lo, hi * 1.05])
    return figure(data, title, height or 70 + 120 * n, legend=False,
                  margin=dict(l=60, r=10, t=40 if title else 15, b=40), bargap=0.15, **layout)


def confusion(y_true, y_pred, n_classes=10):
    """Counts (n_classes, n_classes): row = the true digit, column = the model's guess."""
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true, int), np.asarray(y_pred, int)), 1)
    return cm


def confusion_figure(cm, labels, title=None, height=380, clickable=False):
    """A confusion matrix with the counts written in: correct answers (the diagonal) in blue,
    mistakes in red, each on its own scale so that a few mistakes still stand out.

    ``clickable`` lays an invisible marker on every cell (a scatter trace, which Streamlit's
    point selection can pick), so that clicking a cell selects it: (true, guessed) in the
    point's ``customdata``."""
    cm = np.asarray(cm).astype(np.float32)
    diagonal = np.eye(len(cm), dtype=bool)
    right = np.where(diagonal, cm, np.nan)
    wrong = np.where(diagonal, np.nan, cm)
    names = [str(v) for v in labels]

    def cells(z, colors):
        top = float(np.nanmax(z)) if np.isfinite(z).any() else 1.0
        return dict(type="heatmap", z=z, x=names, y=names, showscale=False, zmin=0,
                    zmax=max(1.0, top), colorscale=[[0, colors[0]], [1, colors[1]]],
                    hoverinfo="skip")
    data = [cells(right, ("#f3f7fd", "#8fb3ee")), cells(wrong, ("#ffffff", "#f08a6c")),
            dict(type="heatmap", z=cm, x=names, y=names, showscale=False,
                 colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                 texttemplate="%{z:.0f}", textfont=dict(size=10, color="#1f2937"),
                 hovertemplate="true %{y}, guessed %{x}: %{z:.0f}<extra></extra>")]
    if clickable:
        tt, gg = np.meshgrid(np.arange(len(cm)), np.arange(len(cm)), indexing="ij")
        data[2]["hoverinfo"] = "skip"
        data[2].pop("hovertemplate")
        data.append(dict(type="scatter", mode="markers", x=[names[g] for g in gg.ravel()],
                         y=[names[t] for t in tt.ravel()],
                         customdata=np.column_stack([tt.ravel(), gg.ravel(), cm.ravel()]).tolist(),
                         marker=dict(size=26, symbol="square", color="rgba(0,0,0,0)"),
                         hovertemplate="true %{y}, guessed %{x}: %{customdata[2]:.0f}<br>"
                                       "click to see them<extra></extra>", showlegend=False))
    return figure(data, title, height, legend=False,
                  margin=dict(l=55, r=10, t=45 if title else 20, b=45),
                  # every digit labelled, however narrow (plotly would skip every other one)
                  # the square cells take the width they need, to the left, by their labels
                  # (a wide column stretched the range: a gap between labels and cells)
                  xaxis=axis("guessed", type="category", showgrid=False, side="bottom", dtick=1,
                             constrain="domain", constraintoward="left"),
                  yaxis=axis("true digit", type="category", showgrid=False, autorange="reversed",
                             scaleanchor="x", dtick=1, constrain="domain",
                             constraintoward="top"))


def pixels(image, size=112):
    """A grey image in [0, 1] -> uint8 pixels, shrunk by averaging blocks if it is larger
    than ``size``; smaller images are kept as they are (the browser enlarges them)."""
    img = np.clip(np.nan_to_num(np.asarray(image, dtype=np.float32)), 0, 1)
    h, w = img.shape
    if max(h, w) > size:
        f = -(-max(h, w) // size)  # ceil: shrink by an integer factor
        img = np.pad(img, ((0, -h % f), (0, -w % f)))
        img = img.reshape(img.shape[0] // f, f, img.shape[1] // f, f).mean(axis=(1, 3))
    return (img * 255).round().astype(np.uint8)


def image_tag(image, size=112):
    """An <img> of a grey image in [0, 1] fitted in a ``size`` px square, as a PNG data URI.

    Small images are sent at their own resolution and enlarged by the browser without
    smoothing (``image-rendering: pixelated``), so each model pixel is a sharp square.
    """
    from PIL import Image
    img = pixels(image, size=size)
    h, w = img.shape
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    scale = size / max(h, w)
    width, height = max(1, round(w * scale)), max(1, round(h * scale))
    # sizes in the style: Streamlit's markdown styles would otherwise show the image at its own size
    return (f"<img src='data:image/png;base64,{data}' alt='' "
            f"style='width:{width}px;height:{height}px;max-width:none;object-fit:fill;"
            f"image-rendering:pixelated;border:1px solid #cbd2dc;background:#000'>")


def steps_html(steps, size=112):
    """A row of captioned images, e.g. ``DigitInput.steps``: (title, image in [0, 1]) pairs.

    Inline images, so a fragment that reruns has no media files to fetch again (or to lose).
    """
    figures = "".join(
        f"<figure style='margin:0;text-align:center'>{image_tag(image, size)}"
        f"<figcaption style='font-size:0.8rem;color:#4b5563;max-width:{size + 8}px'>{title}"
        f"</figcaption></figure>" for title, image in steps)
    # (a margin under the row: a caption under it ran into the last figure's caption)
    return (f"<div style='display:flex;gap:1.2rem;flex-wrap:wrap;margin-bottom:0.8rem'>"
            f"{figures}</div>")


def mosaic_figure(images, cols, titles=None, signed=False, title=None, height=None, width=1000,
                  gap=1, hover=None, shrink=True):
    """Equal-sized small images tiled into one heatmap, row 0 of each image on top.

    One trace instead of a subplot per image: the browser redraws 64 weight images in about
    40 ms this way, against 250-500 ms for 64 subplots. ``signed`` scales each image by its own
    largest |value| onto red-white-blue; otherwise pixels in [0, 1] are white ink on black.
    Tiles are separated by ``gap`` empty pixels; ``titles`` go above the tiles. ``width`` is
    the expected chart width in pixels, used to pick the height that keeps pixels square.
    ``hover`` names the tiles when hovering ("unit": "unit 12: ..."), numbered from 1.
    ``shrink``: fewer images than ``cols`` take fewer, wider columns; without it the tiles keep
    their size (a set that grows one image at a time).
    """
    images = np.asarray(images, dtype=np.float32)
    n, h, w = images.shape
    cols = max(1, min(cols, n) if shrink else cols)
    rows = -(-n // cols)
    band = max(2, round(h * 0.3)) if titles else 0  # empty rows above each tile for its title
    cell_h, cell_w = band + h + gap, w + gap
    z = np.full((rows * cell_h, cols * cell_w - gap), np.nan, dtype=np.float32)
    number = np.zeros(z.shape, dtype=np.float32)
    annotations = []
    for i, im in enumerate(images):
        r, c = divmod(i, cols)
        if signed:
            im = im / (float(np.abs(im).max()) or 1.0)
        top, left = r * cell_h + band, c * cell_w
        z[top:top + h, left:left + w] = im
        number[top:top + h, left:left + w] = i + 1
        if titles:
            annotations.append(dict(text=str(titles[i]), x=left + (w - 1) / 2, y=top - 0.6,
                                    xref="x", yref="y", yanchor="bottom", showarrow=False,
                                    font=dict(size=11)))
    trace = dict(type="heatmap", z=z, showscale=False, hoverinfo="skip", zmin=-1 if signed else 0,
                 zmax=1, colorscale=SIGNED if signed else INK)
    if hover:
        value = "w / max |w| of the unit" if signed else "value"
        trace.update(hoverinfo=None, customdata=number, hoverongaps=False,
                     hovertemplate=f"{hover} %{{customdata}}<br>{value} = %{{z:.2f}}"
                                   "<extra></extra>")
    # a band over the first row's titles for the chart's toolbar, which shows on hover at the
    # top right: over the titles, it covered the last numbers of the row (13-16 of 16)
    top_margin = 40 if title else TOOLBAR_PX if titles else 5
    if height is None:
        height = int(width * z.shape[0] / z.shape[1]) + top_margin + 5
    fig = figure([trace], title, height, legend=False,
                 margin=dict(l=5, r=5, t=top_margin, b=5),
                 xaxis=dict(visible=False, constrain="domain", range=[-0.5, z.shape[1] - 0.5]),
                 # row 0 on top: a reversed range (a fixed one, so that a live chart can fit
                 # its height to the column's width)
                 yaxis=dict(visible=False, range=[z.shape[0] - 0.5, -0.5], scaleanchor="x",
                            constrain="domain"))
    fig["layout"]["annotations"] = annotations
    fig["layout"]["plot_bgcolor"] = "white"
    return fig


def softmax_figure(logits, labels, height=272):
    """Softmax in three steps for one drawing: the output layer's f_k, exp(f_k - max f) (the
    same ratios as exp(f_k), without overflow), and p_k = exp(f_k) / sum_j exp(f_j)."""
    f = np.asarray(logits, dtype=np.float64)
    e = np.exp(f - f.max())
    p = e / e.sum()
    first, second = top_two(p)
    names = [str(v) for v in labels]
    colors = [FIRST if i == first else SECOND if i == second else OTHER for i in range(len(f))]
    panels = [("1. the logits f_k", f, "%{y:.2f}"),
              ("2. exp(f_k − max f)", e, "%{y:.3g}"),
              (f"3. ÷ their sum: p_k<br>(Σ = {p.sum():.3f})", p, "%{y:.1%}")]  # above the bars
    data, layout, annotations = [], {}, []
    for i, (title, values, fmt) in enumerate(panels):
        n = "" if i == 0 else str(i + 1)
        x0, x1 = i / 3 + 0.03, (i + 1) / 3 - 0.03
        data.append(dict(type="bar", x=names, y=values.astype(np.float32), xaxis=f"x{n}",
                         yaxis=f"y{n}", marker=dict(color=colors), showlegend=False,
                         hovertemplate=f"k = %{{x}}: {fmt}<extra>{title}</extra>"))
        layout[f"xaxis{n}"] = axis(None, domain=[x0, x1], anchor=f"y{n}", type="category",
                                   showgrid=False, dtick=1, tickangle=0,  # every digit named
                                   tickfont=dict(size=10))
        layout[f"yaxis{n}"] = axis(None, anchor=f"x{n}",
                                   **({"range": [0, 1.05]} if i else {}))
        annotations.append(dict(text=title, x=(x0 + x1) / 2, y=1.02, xref="paper",
                                yref="paper", yanchor="bottom", showarrow=False,
                                font=dict(size=12)))
    # the titles (the third on two lines) under a 34 px band for the chart's toolbar, which
    # shows on hover at the top right: it covered the third title's "p_k" at 1024x768
    fig = figure(data, None, height, legend=False,
                 margin=dict(l=40, r=10, t=TOOLBAR_PX + 36, b=30),  # 2 lines of title under it
                 **layout)
    fig["layout"]["annotations"] = annotations
    return fig


ACTIVATION_SCALES = {"tanh": (SIGNED, -1.0, 1.0),
                     "sigmoid": ([[0.0, "#ffffff"], [1.0, "#1f5fbf"]], 0.0, 1.0),
                     "relu": ([[0.0, "#ffffff"], [1.0, "#1f5fbf"]], 0.0, None)}
FORMULA = {"tanh": "tanh(z)", "sigmoid": "σ(z) = 1 / (1 + e⁻ᶻ)", "relu": "max(0, z)"}


def _edges(bins, x0, y0, x1, y1, value, scale):
    level = min(3, int(4 * abs(value) / scale)) if scale > 0 else 0
    xs, ys = bins.setdefault((value >= 0, level), ([], []))
    xs += [x0, x1, None]
    ys += [y0, y1, None]


# The flow figure's smallest scale: at 1024x768 it is 299 px tall, about 115 px per unit of y
# (see live_chart's ``fit``). Hidden units stand in as many staggered columns as that scale
# needs for their dots not to overlap, UNIT_COLUMN_GAP apart.
FLOW_MIN_PX_PER_UNIT = 115
UNIT_COLUMN_GAP = 0.08


def _unit_columns(n):
    """(marker size in px, columns) for a layer of n hidden units spread over 1.9 units of y:
    one column while its dots fit one above the other at the smallest scale, else staggered
    columns (unit j in column j mod c), so that dots of one column are c steps apart."""
    size = 12 if n <= 16 else 9
    step_px = 1.9 / max(n - 1, 1) * FLOW_MIN_PX_PER_UNIT
    return size, max(1, math.ceil((size + 1) / step_px))


def flow_figure(image, zs, hs, coefs, intercepts, activation, labels, shown=64, fan_in=3,
                height=560, title=None):
    """The drawing going through the network, as in Adam Harley's demo: the input image on the
    left, every hidden unit a dot coloured by its output h for this drawing, the ten outputs
    coloured by P(k); lines are the strongest contributions w x (into each hidden unit, its
    ``fan_in`` largest |w_ij x_i|; into each output, its 4 largest |W_jk h_j|), blue when they
    push up, red when they push down. Hovering a unit shows its weighted input and formula.

    ``zs`` and ``hs`` are one drawing's pre-activations and outputs, layer by layer, with the
    input first in ``hs`` ([x, h_1, ..., p]; ``core.mlp.feedforward`` gives the rest); hidden
    units are numbered as the weight images are (1, 2, ...), at most ``shown`` per layer.
    """
    img = np.asarray(image, dtype=np.float32)
    h_img, w_img = img.shape
    coefs = [np.asarray(W, dtype=np.float64) for W in coefs]
    intercepts = [np.asarray(b, dtype=np.float64) for b in intercepts]
    hs = [np.asarray(h, dtype=np.float64).ravel() for h in hs]
    zs = [np.asarray(z, dtype=np.float64).ravel() for z in zs]
    logits, proba = zs[-1], hs[-1]
    n_layers = len(coefs)
    # where things are: the image a square in [-2, -0.2] x [-0.9, 0.9], layer l at x = 0.9 l
    # (one unit of x is one of y on screen: yaxis.scaleanchor)
    side = 1.8 / max(h_img, w_img)
    px = -2.0 + side * (np.arange(w_img) + 0.5)
    py = 0.9 - side * (np.arange(h_img) + 0.5)
    lx = lambda l: 0.9 * l
    pos, xpos, sizes = [None], [None], [None]
    for l in range(1, n_layers + 1):
        n = len(hs[l]) if l == n_layers else min(shown, len(hs[l]))
        pos.append(np.linspace(0.95, -0.95, n) if n > 1 else np.zeros(1))
        size, columns = (20, 1) if l == n_layers else _unit_columns(n)
        offsets = (np.arange(n) % columns - (columns - 1) / 2) * UNIT_COLUMN_GAP
        xpos.append(lx(l) + offsets)
        sizes.append(size)
    data = []
    bins = {}
    for l in range(n_layers):
        W, prev, nxt = coefs[l], hs[l], pos[l + 1]
        contrib = prev[:, None] * W[:, :len(nxt)]              # (fan_in, units shown)
        scale = float(np.abs(contrib).max()) or 1.0
        k = fan_in if l < n_layers - 1 else 4
        for j in range(len(nxt)):
            top = np.argsort(-np.abs(contrib[:, j]))[:k]
            for i in top:
                if contrib[i, j] == 0:
                    continue
                if l == 0:  # from the image's right edge, at the pixel's height: lines from
                    # the pixels themselves covered the drawing (Plotly draws a heatmap under
                    # every line, whatever the traces' order)
                    r = int(i) // w_img
                    start = (px[-1] + side / 2, py[r])
                elif i < len(pos[l]):
                    start = (xpos[l][i], pos[l][i])
                else:
                    continue  # a unit not drawn
                _edges(bins, *start, xpos[l + 1][j], nxt[j], contrib[i, j], scale)
    for (positive, level), (xs, ys) in sorted(bins.items()):
        data.append(dict(type="scatter", x=xs, y=ys, mode="lines", hoverinfo="skip",
                         showlegend=False, line=dict(width=0.5 + 1.2 * level, color=(
                             "rgba(31,95,191,%.2f)" if positive else "rgba(192,57,43,%.2f)")
                             % (0.25 + 0.2 * level))))
    data.append(dict(type="heatmap", x=px, y=py, z=img, showscale=False, zmin=0, zmax=1,
                     colorscale=INK, hovertemplate="pixel value %{z:.2f}<extra>input x</extra>"))
    scale, lo, hi = ACTIVATION_SCALES[activation]
    for l in range(1, n_layers):
        n = len(pos[l])
        h, z = hs[l][:n], zs[l - 1][:n]
        wx = z - intercepts[l - 1][:n]
        inputs = "Σᵢ wᵢⱼ xᵢ" if l == 1 else f"Σᵢ wᵢⱼ h⁽{l - 1}⁾ᵢ"
        text = [f"hidden layer {l}, unit {j + 1}<br>z = {inputs} + bⱼ = {wx[j]:.2f} + "
                f"({intercepts[l - 1][j]:.2f}) = {z[j]:.2f}<br>h = {FORMULA[activation]} = "
                f"{h[j]:.3f}" for j in range(n)]
        data.append(dict(type="scatter", x=xpos[l], y=pos[l], mode="markers",
                         text=text, hovertemplate="%{text}<extra></extra>", showlegend=False,
                         marker=dict(size=sizes[l], color=h.astype(np.float32),
                                     colorscale=scale, cmin=lo,
                                     cmax=hi if hi is not None else max(1.0, float(h.max())),
                                     line=dict(color="#6b7280", width=0.6))))
    first = int(np.argmax(proba))
    wx = logits - intercepts[-1]
    text = [f"output {labels[k]}<br>f = Σⱼ Wⱼₖ hⱼ + bₖ = {wx[k]:.2f} + ({intercepts[-1][k]:.2f})"
            f" = {logits[k]:.2f} (no activation)<br>P({labels[k]}) = exp(f) / Σ exp(f) = "
            f"{proba[k]:.1%}" for k in range(len(logits))]
    data.append(dict(type="scatter", x=np.full(len(logits), lx(n_layers)), y=pos[-1],
                     mode="markers+text", text=[str(v) for v in labels], hovertext=text,
                     hovertemplate="%{hovertext}<extra></extra>", textposition="middle right",
                     textfont=dict(size=13), showlegend=False,
                     marker=dict(size=20, color=proba.astype(np.float32), cmin=0, cmax=1,
                                 colorscale=[[0.0, "#ffffff"], [1.0, FIRST]],
                                 line=dict(color=["#f1a208" if k == first else "#6b7280"
                                                  for k in range(len(logits))],
                                           width=[3 if k == first else 1
                                                  for k in range(len(logits))]))))
    ticks = ["your drawing, x"] + [f"hidden layer {l}" for l in range(1, n_layers)] + \
        ["output → softmax"]
    return figure(data, title, height, legend=False,
                  margin=dict(l=10, r=30, t=40 if title else 28, b=30),  # (the toolbar)
                  xaxis=dict(visible=True, showgrid=False, zeroline=False, tickmode="array",
                             tickvals=[-1.1] + [lx(l) for l in range(1, n_layers + 1)],
                             ticktext=ticks, range=[-2.1, lx(n_layers) + 0.35],
                             constrain="domain"),
                  yaxis=dict(visible=False, range=[-1.05, 1.05], scaleanchor="x",
                             constrain="domain"))
