#!/usr/bin/env python
"""Drawn vs original: how well the digit page's networks read digits drawn on the pad.

MNIST test digits are redrawn as mouse strokes on the 280x280 pad (tests/pen_strokes.py:
centre line, round-capped strokes of a random pen 8-30 px wide, random size 80-260 px,
position and a slight rotation, white on black RGBA as the pad sends), then read through
``drawing_to_input`` by networks trained exactly as the page trains them (its default
settings, its split and augmentation, every planned epoch, as "Train to convergence" does).
The drawn digits are held out: they were never used to choose any setting (those were tuned
on MNIST *training* digits 55,000-56,199 drawn the same way).

Printed per path:

- MNIST 28x28: the network's accuracy on the original test images and on the same digits
  drawn, and the gap (goal: within 2 points);
- 8x8 digits (the bundled data): accuracy on its own test split and on the drawn MNIST digits
  (goal: at least 85 %), and on the MNIST originals put through the same preprocessing (what
  the difference between the two data sets' writers costs, pen strokes aside).

``--ablation`` also prints what each piece bought: the preprocessing before this work (the
writer's pen kept, MNIST centred at 13.5, 8x8 thickened to 30 % ink), each step added in
turn, with and without augmented copies in training, and on the 8x8 path with the digits
written by a program (core/pen_digits.py) added.

    python benchmarks/drawn_gap.py [--n 1000] [--seed 2026] [--model-seeds 0] [--ablation]

Needs a local MNIST copy ($NEURAL_PLAYGROUND_MNIST or ../shared/data); never downloads.
About 2 minutes for --n 1000 on 2 cores (--ablation: 5).
"""
import argparse
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import core.digits as digits  # noqa: E402
from core import (DataUnavailable, MLPClassifier, Trainer,  # noqa: E402
                  drawing_to_input, load_digits8, load_mnist)
from core.datasets import digit_split  # noqa: E402
from local_data import mnist_folder  # noqa: E402
from pen_strokes import Pen, drawn_set, placed_lines, render  # noqa: E402
import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")  # not "no runtime found": the page's views load st
from ui import digit_views as V  # noqa: E402  (the page's settings: its defaults)


def page_defaults(source):
    """The page's default settings for ``source`` (as a first visit with that data sees)."""
    values = {name: spec.default for name, spec in V.SPECS.items()}
    values.update(V.source_defaults(source))
    return values


def page_model(source, data, values, seed):
    """The page's MLP on ``data`` (a DigitSplit), trained through every planned epoch."""
    mlp = MLPClassifier((values["hidden"],) * values["layers"], activation=values["activation"],
                        learning_rate=values["lr"], batch_size=values["batch"],
                        max_iter=values["epochs"], tol=0, random_state=seed, dtype=np.float32)
    trainer = Trainer(mlp, data.X_train, data.y_train, classes=V.CLASSES, max_eval=V.MNIST_TEST)
    start = time.perf_counter()
    while not trainer.done:
        trainer.run(10_000)
    return mlp, time.perf_counter() - start


def accuracy(model, X, y):
    return float(np.mean(model.predict(X) == y))


def inputs(drawings, target):
    return np.concatenate([drawing_to_input(d, target).features for d in drawings])


# ---- the preprocessing before this work, for --ablation ------------------------------------
def keep_pen_mnist(drawing, centre=13.5):
    """The writer's pen kept: crop, fit 20x20, centre of mass at ``centre`` (integer shift)."""
    grey = digits.to_grey(drawing)
    t, b, l, r = digits.ink_box(grey)
    patch = digits.fit_into(grey[t:b, l:r], 20)
    cy, cx = digits.centre_of_mass(patch)
    top = int(np.clip(round(centre - cy), 0, 28 - patch.shape[0]))
    left = int(np.clip(round(centre - cx), 0, 28 - patch.shape[1]))
    field = np.zeros((28, 28))
    field[top:top + patch.shape[0], left:left + patch.shape[1]] = patch
    return (np.round(np.clip(field, 0, 1) * 255) / 255).reshape(1, -1).astype(np.float32)


def keep_pen_digits8(drawing):
    """The writer's pen kept: crop, fit 32x32, threshold, thicken towards 30 % ink, count."""
    grey = digits.to_grey(drawing)
    t, b, l, r = digits.ink_box(grey)
    patch = digits.fit_into(grey[t:b, l:r], 32)
    h, w = patch.shape
    bitmap = np.zeros((32, 32), bool)
    bitmap[(32 - h) // 2:(32 - h) // 2 + h, (32 - w) // 2:(32 - w) // 2 + w] = patch > 0.3
    for _ in range(4):
        p = np.pad(bitmap, 1)
        thicker = np.logical_or.reduce([p[i:i + 32, j:j + 32] for i in range(3) for j in range(3)])
        if bitmap.mean() >= 0.3 or abs(thicker.mean() - 0.3) > abs(bitmap.mean() - 0.3):
            break
        bitmap = thicker
    return (bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3)) / 16).reshape(1, -1).astype(np.float32)


@contextmanager
def patched(**values):
    """core.digits' module constants and functions replaced for the block."""
    old = {k: getattr(digits, k) for k in values}
    for k, v in values.items():
        setattr(digits, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(digits, k, v)


def ablation_inputs(drawings):
    """(label, target, features) for each preprocessing variant, in the order they were added."""
    rows = [("writer's pen kept, centre of mass at 13.5 (before)", "mnist",
             np.concatenate([keep_pen_mnist(d) for d in drawings])),
            ("writer's pen kept, centre of mass at 14.0 as MNIST's", "mnist",
             np.concatenate([keep_pen_mnist(d, 14.0) for d in drawings]))]
    with patched(MNIST_CENTRE=np.array([13.5, 13.5])):
        rows.append(("centre line + MNIST's 2.4 px pen, centre at 13.5", "mnist",
                     inputs(drawings, "mnist")))
    rows.append(("centre line + MNIST's 2.4 px pen, centre at 14.0 (now)", "mnist",
                 inputs(drawings, "mnist")))
    rows.append(("writer's pen kept, thickened to 30 % ink (before)", "digits8",
                 np.concatenate([keep_pen_digits8(d) for d in drawings])))
    with patched(DIGITS8_DESLANT=0.0, DIGITS8_WIDEST=np.inf):
        rows.append(("centre line + the pen that inks 30 %", "digits8",
                     inputs(drawings, "digits8")))
    with patched(DIGITS8_DESLANT=1.0, DIGITS8_WIDEST=np.inf):
        rows.append(("  + deslanted (all the slant)", "digits8", inputs(drawings, "digits8")))
    with patched(DIGITS8_WIDEST=np.inf):
        rows.append(("  + deslanted (half the slant)", "digits8", inputs(drawings, "digits8")))
    rows.append(("  + NIST's 20x32 box (now)", "digits8", inputs(drawings, "digits8")))
    return rows


def on_the_pad(n, originals, y, source, mnist_dir):
    """The first ``n`` digits drawn with the mouse on the page's real pad in Chromium (the
    pad's 20 px pen, 200 px tall, centred, upright), after "Train to convergence"; returns the
    page's first guesses and the offline guesses for the same strokes, rendered by
    tests/pen_strokes.py and read by the same network trained in this process."""
    import os
    from browser import CHROMIUM_ARGS, chromium_path, streamlit_server, wait_ready
    from playwright.sync_api import sync_playwright
    os.environ["NEURAL_PLAYGROUND_MNIST"] = str(mnist_dir if source == "mnist" else ROOT / "none")
    pen = Pen(20.0, 200.0, 0.0, (140.0, 140.0))
    on_pad = []
    with sync_playwright() as p, streamlit_server(ROOT / "serve.py") as url:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/digits?source={source}")
        page.wait_for_function("""() => { const m = document.body.innerText.match(
            /step ([0-9,]+)/); return m && +m[1].replace(/,/g, '') > 0; }""", timeout=300_000)
        wait_ready(page, timeout=300)
        page.get_by_role("button", name="⏩ Train to convergence").click()
        page.wait_for_function(r"/epoch (\d+)\.0 of \1(?!\d)/.test(document.body.innerText)",
                               timeout=600_000)
        wait_ready(page, timeout=300)
        canvas = page.locator("canvas.upper-canvas").first
        for image in originals[:n]:
            canvas.scroll_into_view_if_needed()
            box = canvas.bounding_box()
            for line in placed_lines(image / 255.0, pen):
                page.mouse.move(box["x"] + line[0, 1], box["y"] + line[0, 0])
                page.mouse.down()
                for yy, xx in line[1:]:
                    page.mouse.move(box["x"] + xx, box["y"] + yy, steps=4)
                page.mouse.up()
            page.wait_for_timeout(900)  # the pad sends its image ~0.45 s after the mouse is up
            wait_ready(page, timeout=120)
            card = page.locator(".np-guess").first
            card.wait_for(timeout=60_000)
            on_pad.append(int([t for t in card.inner_text().split("\n") if t.strip()][1]))
            page.get_by_role("button", name="Reset canvas & history").click()
            page.get_by_text("The pad is empty").wait_for(timeout=60_000)
        browser.close()
    values = page_defaults(source)
    d = load_mnist(folder=mnist_dir, download=False) if source == "mnist" else load_digits8()
    model, _ = page_model(source, digit_split(d, values["n"], values["seed"],
                                              max_test=V.MNIST_TEST, copies=values["copies"],
                                              synthetic=values["synthetic"]),
                          values, values["seed"])
    offline = model.predict(np.concatenate([drawing_to_input(render(im / 255.0, pen), source)
                                            .features for im in originals[:n]]))
    return np.array(on_pad), offline


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="MNIST test digits drawn")
    parser.add_argument("--seed", type=int, default=2026, help="which digits, and their pens")
    parser.add_argument("--model-seeds", type=int, nargs="+", default=[0],
                        help="the page's seed setting(s): data subset, augmentation, weights")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--mnist-dir", default=None)
    parser.add_argument("--pad", type=int, default=0, metavar="N",
                        help="also draw the first N digits with the mouse on the real pad in "
                             "Chromium and compare with the offline rendering of the same strokes")
    args = parser.parse_args()

    try:
        mnist = load_mnist(folder=args.mnist_dir or mnist_folder(), download=False)
    except DataUnavailable as err:
        sys.exit(f"The drawn test digits are MNIST's: {err}")
    pick = np.sort(np.random.default_rng(args.seed).choice(len(mnist.y_test), args.n,
                                                           replace=False))
    originals, y = mnist.test_images[pick], mnist.y_test[pick]
    start = time.perf_counter()
    drawings, pens = drawn_set(originals / 255.0, args.seed)
    widths = [p.width for p in pens]
    sizes = [p.size for p in pens]
    print(f"drawn test set: {args.n} MNIST test digits (seed {args.seed}), pens "
          f"{min(widths):.0f}-{max(widths):.0f} px wide (median {np.median(widths):.0f}), digits "
          f"{min(sizes):.0f}-{max(sizes):.0f} px (median {np.median(sizes):.0f}); rendered in "
          f"{time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    drawn = {t: inputs(drawings, t) for t in ("mnist", "digits8")}
    per_digit = (time.perf_counter() - start) / args.n / 2 * 1000
    print(f"preprocessing: {per_digit:.0f} ms per drawing and target (mean)\n")
    X_orig = mnist.features(originals)
    X_orig8 = np.concatenate([drawing_to_input(np.pad(im, 8), "digits8").features
                              for im in originals])
    sources = {"mnist": mnist, "digits8": load_digits8()}

    results = {}
    for source, d in sources.items():
        values = page_defaults(source)
        page = (values["copies"], values["synthetic"])
        for seed in args.model_seeds:
            for copies, synthetic in sorted({page} | ({(0, 0), (page[0], 0)} if args.ablation
                                                      else set())):
                data = digit_split(d, values["n"], seed, max_test=V.MNIST_TEST, copies=copies,
                                   synthetic=synthetic)
                model, seconds = page_model(source, data, values, seed)
                results[source, seed, copies, synthetic] = model
                if (copies, synthetic) != page:
                    continue
                row = dict(test=accuracy(model, data.X_test, data.y_test),
                           drawn=accuracy(model, drawn[source], y))
                if source == "mnist":
                    row["orig"] = accuracy(model, X_orig, y)
                    print(f"MNIST path, seed {seed}, {values['n']:,} training images + {copies} "
                          f"augmented copies ({seconds:.1f} s): test set {row['test']:.1%}; "
                          f"the {args.n} drawn digits: originals {row['orig']:.1%}, drawn "
                          f"{row['drawn']:.1%}, gap {100 * (row['orig'] - row['drawn']):.1f} "
                          f"points (goal <= 2)")
                else:
                    row["orig"] = accuracy(model, X_orig8, y)
                    print(f"8x8 path, seed {seed}, {data.n_original:,} training images + "
                          f"{copies} augmented copies + {synthetic:,} per class written by a "
                          f"program ({seconds:.1f} s): its "
                          f"own test split {row['test']:.1%}; MNIST digits drawn "
                          f"{row['drawn']:.1%} (goal >= 85 %), MNIST originals through the "
                          f"same preprocessing {row['orig']:.1%}")
                results[source, seed, "row"] = row
    for source in sources:
        rows = [results[source, s, "row"] for s in args.model_seeds]
        if len(rows) > 1:
            med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
            print(f"median over seeds {args.model_seeds}, {source}: test {med['test']:.1%}, "
                  f"drawn {med['drawn']:.1%}, originals {med['orig']:.1%}")

    if args.pad:
        for source in sources:
            start = time.perf_counter()
            page_guess, offline = on_the_pad(args.pad, originals, y, source,
                                             args.mnist_dir or mnist_folder())
            truth = y[:args.pad]
            print(f"on the real pad ({source}, {args.pad} digits, 20 px pen, "
                  f"{time.perf_counter() - start:.0f} s): the page read {np.mean(page_guess == truth):.1%}; "
                  f"the same strokes rendered offline {np.mean(offline == truth):.1%}; the two "
                  f"agree on {np.mean(page_guess == offline):.1%}")

    if args.ablation:
        print("\nwhat each piece bought (accuracy on the drawn digits; model seed "
              f"{args.model_seeds[0]}):")
        seed = args.model_seeds[0]
        print(f"{'preprocessing':58s} {'no augmentation':>16s} {'augmented':>10s} "
              f"{'+ written by a program':>23s}")
        for label, target, X in ablation_inputs(drawings):
            copies, synthetic = (page_defaults(target)[k] for k in ("copies", "synthetic"))
            plain, augmented = (accuracy(results[target, seed, c, 0], X, y) for c in (0, copies))
            written = (f"{accuracy(results[target, seed, copies, synthetic], X, y):23.1%}"
                       if synthetic else f"{'-':>23s}")
            print(f"{('MNIST: ' if target == 'mnist' else '8x8:   ') + label:58s} "
                  f"{plain:16.1%} {augmented:10.1%} {written}")


if __name__ == "__main__":
    main()
