"""Test digits redrawn as mouse strokes on the 280x280 pad: the "drawn" test set.

Test and benchmark code only, kept apart from the app: the model's training augmentation
(core/augment.py) and the drawing's preprocessing (core/digits.py) never import it, and it
thins with an algorithm of its own (hit-or-miss thinning, where core uses Zhang-Suen), so a
test cannot pass because both sides share a quirk.

A digit image is upsampled, thresholded and thinned to its centre line; each pair of
neighbouring centre-line pixels becomes a straight segment, and the segments are drawn as
round-capped strokes of a random pen width (8-30 px) at a random size, position and slight
rotation, anti-aliased, white on opaque black: the RGBA array the pad sends.
"""
from dataclasses import dataclass

import numpy as np

PAD = 280
UPSAMPLE = 4  # the centre line is found at 4x the digit's resolution


def _upsample(img, k):
    """Bilinear k-fold upsampling of a 2-D image in [0, 1] (pixel centres kept aligned)."""
    h, w = img.shape
    ys = (np.arange(h * k) + 0.5) / k - 0.5
    xs = (np.arange(w * k) + 0.5) / k - 0.5
    y0 = np.clip(np.floor(ys).astype(int), 0, h - 1)
    x0 = np.clip(np.floor(xs).astype(int), 0, w - 1)
    y1, x1 = np.clip(y0 + 1, 0, h - 1), np.clip(x0 + 1, 0, w - 1)
    fy = np.clip(ys - y0, 0, 1)[:, None]
    fx = np.clip(xs - x0, 0, 1)[None, :]
    top = img[y0][:, x0] * (1 - fx) + img[y0][:, x1] * fx
    bottom = img[y1][:, x0] * (1 - fx) + img[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


# The classic thinning elements (Gonzalez & Woods): 1 must be ink, 0 background, -1 either.
_B1 = np.array([[0, 0, 0], [-1, 1, -1], [1, 1, 1]])
_B2 = np.array([[-1, 0, 0], [1, 1, 0], [-1, 1, -1]])
_ELEMENTS = [np.rot90(b, r) for r in range(4) for b in (_B1, _B2)]


def _hit_or_miss(a, element):
    p = np.pad(a, 1)
    h, w = a.shape
    hit = np.ones_like(a)
    for i in range(3):
        for j in range(3):
            want = element[i, j]
            if want == 1:
                hit &= p[i:i + h, j:j + w]
            elif want == 0:
                hit &= ~p[i:i + h, j:j + w]
    return hit


def thin(bitmap, max_rounds=200):
    """Morphological thinning: remove every hit of the eight elements in turn until stable."""
    a = np.asarray(bitmap, bool).copy()
    for _ in range(max_rounds):
        before = a.sum()
        for element in _ELEMENTS:
            a &= ~_hit_or_miss(a, element)
        if a.sum() == before:
            break
    return a


def _neighbours(on, p):
    """8-neighbours of p on the centre line, without the diagonal shortcut across a corner
    that an orthogonal neighbour already turns (those would make false junctions)."""
    y, x = p
    ortho = [(y + dy, x + dx) for dy, dx in ((0, 1), (1, 0), (0, -1), (-1, 0)) if (y + dy, x + dx) in on]
    diag = [(y + dy, x + dx) for dy, dx in ((1, 1), (1, -1), (-1, 1), (-1, -1))
            if (y + dy, x + dx) in on and (y + dy, x) not in on and (y, x + dx) not in on]
    return ortho + diag


def _paths(on):
    """The centre line as paths between its ends and junctions (and closed loops)."""
    nb = {p: _neighbours(on, p) for p in on}
    nodes = [p for p in on if len(nb[p]) != 2]
    seen, paths = set(), []

    def walk(a, b):
        path = [a, b]
        seen.update({(a, b), (b, a)})
        while len(nb[path[-1]]) == 2:
            nxt = [q for q in nb[path[-1]] if q != path[-2]][0]
            if (path[-1], nxt) in seen:
                break
            seen.update({(path[-1], nxt), (nxt, path[-1])})
            path.append(nxt)
        return path
    for a in nodes:
        if not nb[a]:
            paths.append([a])
        for b in nb[a]:
            if (a, b) not in seen:
                paths.append(walk(a, b))
    for a in on:  # what is left are loops without a junction
        for b in nb[a]:
            if (a, b) not in seen:
                paths.append(walk(a, b))
    return paths, nb


def _prune(on, min_length):
    """Remove spurs: branches from an end to a junction shorter than ``min_length`` pixels."""
    for _ in range(3):
        paths, nb = _paths(on)
        spurs = [p for p in paths if len(p) < min_length and len(p) > 1
                 and min(len(nb[p[0]]), len(nb[p[-1]])) == 1 and max(len(nb[p[0]]), len(nb[p[-1]])) >= 3]
        if not spurs:
            break
        for path in spurs:
            end = 0 if len(nb[path[0]]) == 1 else -1
            keep = path[-1] if end == 0 else path[0]
            on -= set(path) - {keep}
    return on


def _simplify(path, eps):
    """Douglas-Peucker: the fewest points within ``eps`` of the path."""
    P = np.asarray(path, float)
    if len(P) < 3:
        return P
    a, b = P[0], P[-1]
    ab = b - a
    n = np.hypot(*ab)
    d = (np.abs(ab[0] * (P[:, 1] - a[1]) - ab[1] * (P[:, 0] - a[0])) / n if n > 0
         else np.hypot(*(P - a).T))
    i = int(d.argmax())
    if d[i] <= eps:
        return np.array([a, b])
    return np.concatenate([_simplify(P[:i + 1], eps)[:-1], _simplify(P[i:], eps)])


def centre_line(image, threshold=0.45):
    """A digit image (h, w) in [0, 1] -> its centre line as polylines, each (m, 2) (y, x) in
    the image's pixel units: thinned at 4x, spurs pruned, simplified to within 0.35 pixel."""
    big = _upsample(np.asarray(image, float), UPSAMPLE)
    ys, xs = np.nonzero(thin(big > threshold))
    on = _prune(set(zip(ys.tolist(), xs.tolist())), min_length=2.5 * UPSAMPLE)
    paths, _ = _paths(on)
    return [(_simplify(p, 0.35 * UPSAMPLE) + 0.5) / UPSAMPLE - 0.5 for p in paths]


@dataclass(frozen=True)
class Pen:
    """How one digit is drawn: pen width and the digit's longer side in pad pixels, its
    rotation in degrees and the centre of its box on the pad."""
    width: float
    size: float
    angle: float
    centre: tuple


def random_pen(rng, widths=(8, 30), sizes=(80, 260), angle=12.0, max_width_share=0.25):
    """A random pen and placement; the pen is at most ``max_width_share`` of the digit's size
    (a person drawing small still sees the loops they draw)."""
    size = rng.uniform(*sizes)
    width = rng.uniform(widths[0], min(widths[1], max(widths[0], max_width_share * size)))
    size = min(size, PAD - 20 - width)  # the whole stroke stays on the pad
    return Pen(width, size, rng.uniform(-angle, angle), None)


def placed_lines(image, pen, rng=None, pad=PAD):
    """The digit's centre line as polylines in pad coordinates ((m, 2) as y, x each), scaled,
    rotated and placed as ``pen`` says (at random where it fits, without a centre)."""
    lines = centre_line(image)
    if not lines:
        raise ValueError("the digit has no ink")
    points = np.concatenate(lines)
    lo, hi = points.min(0), points.max(0)
    extent = (hi - lo).max()
    scale = pen.size / extent if extent > 0 else 1.0
    t = np.deg2rad(pen.angle)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    mid = (lo + hi) / 2
    lines = [((p - mid) * scale) @ R.T for p in lines]
    allp = np.concatenate(lines)
    half = pen.width / 2 + 1
    span_lo, span_hi = allp.min(0) - half, allp.max(0) + half
    if pen.centre is None:
        rng = rng or np.random.default_rng()
        room_lo, room_hi = -span_lo, pad - span_hi
        centre = np.array([rng.uniform(min(a, b), max(a, b)) for a, b in zip(room_lo, room_hi)])
    else:
        centre = np.asarray(pen.centre, float)
    return [p + centre for p in lines]


def render(image, pen, rng=None, pad=PAD):
    """The digit ``image`` (h, w) in [0, 1] drawn with ``pen`` on a black pad: (pad, pad, 4)
    uint8 RGBA, white ink, opaque. A pen without a centre is placed at random where it fits."""
    lines = placed_lines(image, pen, rng, pad)
    segments = [np.stack([p[:-1], p[1:]], 1) if len(p) > 1 else np.stack([p, p], 1)
                for p in lines]
    return _rasterise(np.concatenate(segments), pen.width, pad)


def _rasterise(segments, width, pad):
    """Round-capped segments (m, 2, 2) of ``width`` px, anti-aliased as a canvas does
    (coverage ~ clip(width / 2 + 0.5 - distance, 0, 1))."""
    yy, xx = np.mgrid[0:pad, 0:pad]
    P = np.stack([yy.ravel() + 0.5, xx.ravel() + 0.5], 1).astype(np.float32)
    A = segments[:, 0].astype(np.float32)
    AB = (segments[:, 1] - segments[:, 0]).astype(np.float32)
    d = np.full(len(P), np.inf, np.float32)
    for k in range(len(A)):
        AP = P - A[k]
        u = np.clip(AP @ AB[k] / max(float(AB[k] @ AB[k]), 1e-9), 0, 1)
        closest = AP - u[:, None] * AB[k]
        np.minimum(d, np.sqrt((closest ** 2).sum(1)), out=d)
    ink = np.clip(width / 2 + 0.5 - d, 0, 1).reshape(pad, pad)
    rgba = np.zeros((pad, pad, 4), np.uint8)
    rgba[..., :3] = np.round(ink * 255).astype(np.uint8)[..., None]
    rgba[..., 3] = 255
    return rgba


def drawn_set(images, seed, **pen_ranges):
    """Each image (n, h, w) in [0, 1] drawn once with its own random pen: (n, 280, 280, 4)
    uint8, and the pens."""
    rng = np.random.default_rng(seed)
    pens = [random_pen(rng, **pen_ranges) for _ in images]
    return np.stack([render(im, pen, rng) for im, pen in zip(images, pens)]), pens
