"""Figures and pictures for the digit page: plain functions from arrays to figure dicts or pixels.

The shared style and the image grid come from ``ui.figures``; what is here is particular to ten
classes of small images: the probability bars with the first and second guess, the hidden
units' activations for one drawing, the confusion matrix, and pixel images for ``st.image``.
Nothing here knows about models or Streamlit.
"""
import base64
import io

import numpy as np

from ui.figures import SIGNED_SCALE as SIGNED, axis, figure

FIRST, SECOND, OTHER = "#2e6fd8", "#8fb3ee", "#d7dde6"
INK = [[0.0, "rgb(0,0,0)"], [1.0, "rgb(255,255,255)"]]  # white ink on black, like the pad
# (not "#000000": live_chart reads "#0000xx" as a theme colour placeholder)


def top_two(proba):
    """Indices of the largest and the second-largest probability."""
    order = np.argsort(-np.asarray(proba), kind="stable")
    return int(order[0]), int(order[1])


def guess_html(label, digit, p, strong=False):
    """A card for the first (``strong``) or second guess: the label, the digit large, P in %."""
    size, colour = ("3.2rem", FIRST) if strong else ("2.2rem", "#5b7db8")
    return (f"<div class='np-guess' style='text-align:center'>"
            f"<div style='font-size:0.85rem;color:#4b5563'>{label}</div>"
            f"<div style='font-size:{size};font-weight:700;line-height:1.1;color:{colour}'>"
            f"{digit}</div><div style='font-size:0.9rem'>{p:.0%}</div></div>")


def guess_figure(proba, labels, title=None, height=240):
    """All class probabilities as bars, the first guess dark, the second light, in percent."""
    proba = np.asarray(proba, dtype=float)
    first, second = top_two(proba)
    colors = [FIRST if i == first else SECOND if i == second else OTHER for i in range(len(proba))]
    data = [dict(type="bar", x=[str(v) for v in labels], y=(100 * proba).astype(np.float32),
                 marker=dict(color=colors), text=[f"{100 * p:.0f}%" for p in proba],
                 textposition="outside", cliponaxis=False,
                 hovertemplate="P(%{x}) = %{y:.1f}%<extra></extra>")]
    return figure(data, title, height, legend=False,
                  margin=dict(l=45, r=10, t=40 if title else 22, b=35),
                  xaxis=axis(type="category", showgrid=False),
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


def confusion_figure(cm, labels, title=None, height=380):
    """A confusion matrix with the counts written in: correct answers (the diagonal) in blue,
    mistakes in red, each on its own scale so that a few mistakes still stand out."""
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
                 texttemplate="%{z:.0f}", textfont=dict(size=11, color="#1f2937"),
                 hovertemplate="true %{y}, guessed %{x}: %{z:.0f}<extra></extra>")]
    return figure(data, title, height, legend=False,
                  margin=dict(l=55, r=10, t=45 if title else 20, b=45),
                  xaxis=axis("guessed", type="category", showgrid=False, side="bottom"),
                  yaxis=axis("true digit", type="category", showgrid=False, autorange="reversed",
                             scaleanchor="x"))


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
    return f"<div style='display:flex;gap:1.2rem;flex-wrap:wrap'>{figures}</div>"


def mosaic_figure(images, cols, titles=None, signed=False, title=None, height=None, width=1000,
                  gap=1):
    """Equal-sized small images tiled into one heatmap, row 0 of each image on top.

    One trace instead of a subplot per image: the browser redraws 64 weight images in about
    40 ms this way, against 250-500 ms for 64 subplots. ``signed`` scales each image by its own
    largest |value| onto red-white-blue; otherwise pixels in [0, 1] are white ink on black.
    Tiles are separated by ``gap`` empty pixels; ``titles`` go above the tiles. ``width`` is
    the expected chart width in pixels, used to pick the height that keeps pixels square.
    """
    images = np.asarray(images, dtype=np.float32)
    n, h, w = images.shape
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    band = max(2, round(h * 0.3)) if titles else 0  # empty rows above each tile for its title
    cell_h, cell_w = band + h + gap, w + gap
    z = np.full((rows * cell_h, cols * cell_w - gap), np.nan, dtype=np.float32)
    annotations = []
    for i, im in enumerate(images):
        r, c = divmod(i, cols)
        if signed:
            im = im / (float(np.abs(im).max()) or 1.0)
        top, left = r * cell_h + band, c * cell_w
        z[top:top + h, left:left + w] = im
        if titles:
            annotations.append(dict(text=str(titles[i]), x=left + (w - 1) / 2, y=top - 0.6,
                                    xref="x", yref="y", yanchor="bottom", showarrow=False,
                                    font=dict(size=11)))
    trace = dict(type="heatmap", z=z, showscale=False, hoverinfo="skip", zmin=-1 if signed else 0,
                 zmax=1, colorscale=SIGNED if signed else INK)
    top_margin = 40 if title else 5
    if height is None:
        height = int(width * z.shape[0] / z.shape[1]) + top_margin + 5
    fig = figure([trace], title, height, legend=False,
                 margin=dict(l=5, r=5, t=top_margin, b=5),
                 xaxis=dict(visible=False, constrain="domain", range=[-0.5, z.shape[1] - 0.5]),
                 yaxis=dict(visible=False, autorange="reversed", scaleanchor="x",
                            constrain="domain"))
    fig["layout"]["annotations"] = annotations
    fig["layout"]["plot_bgcolor"] = "white"
    return fig
