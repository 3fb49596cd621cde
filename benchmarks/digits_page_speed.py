#!/usr/bin/env python
"""How soon is there a model to draw on, and how fast does "Train to convergence" train?

Starts the app on a free local port, opens the digit page in headless Chromium (Debian's, via
Playwright) and measures, as a learner would see it:

- **model ready**: seconds from opening the page to the first trained model (the status line's
  step above 0 after the quick first fit), for the first session of a fresh server (MNIST
  loaded and augmented then) and for a second session (the data cached);
- **train to convergence**: seconds from the click to "epoch 30.0 of 30", against the engine
  itself in this process, in the same run: ``MLPClassifier.fit`` and ``LogisticRegression.fit``
  (the page trains both) on the same split, with the same settings. The ratio page / engine is
  what the page adds (snapshots for the curves, the progress bar, the browser).

    python benchmarks/digits_page_speed.py [--repeats 3] [--source mnist|digits8]

MNIST comes from $NEURAL_PLAYGROUND_MNIST or ../shared/data (never downloaded).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, chromium_path, streamlit_server, wait_ready  # noqa: E402
from local_data import mnist_folder  # noqa: E402

STEP_ABOVE_0 = """() => { const m = document.body.innerText.match(/step ([0-9,]+)/);
    return m && +m[1].replace(/,/g, '') > 0; }"""
LAST_EPOCH = r"/epoch (\d+)\.0 of \1(?!\d)/.test(document.body.innerText)"


def open_page(browser, url):
    """Seconds from goto to a trained model on the page; and the page."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(STEP_ABOVE_0, timeout=300_000)
    return time.perf_counter() - start, page


def converge(page):
    wait_ready(page, timeout=300)
    start = time.perf_counter()
    page.get_by_role("button", name="⏩ Train to convergence").click()
    page.wait_for_function(LAST_EPOCH, timeout=600_000)
    return time.perf_counter() - start


def engine_seconds(source):
    """The engine on the page's default split and settings: MLP fit + logistic regression fit."""
    import numpy as np

    import streamlit.logger
    streamlit.logger.set_log_level("error")  # not "no runtime found": the page's views load st

    from core import LogisticRegression, MLPClassifier, load_digits8, load_mnist
    from core.datasets import digit_split
    from ui import digit_views as V
    values = {name: spec.default for name, spec in V.SPECS.items()} | V.source_defaults(source)
    d = load_mnist(download=False) if source == "mnist" else load_digits8()
    data = digit_split(d, values["n"], values["seed"], max_test=V.MNIST_TEST,
                       copies=values["copies"], synthetic=values["synthetic"])
    start = time.perf_counter()
    MLPClassifier((values["hidden"],) * values["layers"], activation=values["activation"],
                  learning_rate=values["lr"], batch_size=values["batch"], max_iter=values["epochs"],
                  tol=0, random_state=values["seed"], dtype=np.float32).fit(data.X_train,
                                                                             data.y_train)
    LogisticRegression(learning_rate=values["lr"], batch_size=values["batch"],
                       max_iter=values["epochs"], tol=0,
                       random_state=values["seed"]).fit(data.X_train, data.y_train)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh servers")
    parser.add_argument("--source", choices=("mnist", "digits8"), default="mnist")
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("Chromium not found at /usr/bin/chromium")
    if args.source == "mnist":
        folder = os.environ.get("NEURAL_PLAYGROUND_MNIST") or mnist_folder()
        if folder is None:
            sys.exit("No local MNIST: set NEURAL_PLAYGROUND_MNIST to a folder with mnist.npz")
        os.environ["NEURAL_PLAYGROUND_MNIST"] = str(folder)
    else:
        os.environ["NEURAL_PLAYGROUND_MNIST"] = str(ROOT / "no-such-folder")
    from playwright.sync_api import sync_playwright

    cold, warm, page_conv, engine = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for r in range(args.repeats):
            with streamlit_server(ROOT / "serve.py") as url:
                seconds, page = open_page(browser, f"{url}/digits")
                cold.append(seconds)
                page.close()
                seconds, page = open_page(browser, f"{url}/digits")
                warm.append(seconds)
                page_conv.append(converge(page))
                page.close()
            engine.append(engine_seconds(args.source))
            print(f"run {r + 1}: model ready {cold[-1]:.1f} s (fresh server), {warm[-1]:.1f} s "
                  f"(second session); train to convergence {page_conv[-1]:.1f} s on the page, "
                  f"{engine[-1]:.1f} s for the engine's fit", flush=True)
        browser.close()
    med = statistics.median
    print(f"\nmedians of {args.repeats} ({args.source}): model ready {med(cold):.1f} s on a fresh "
          f"server, {med(warm):.1f} s in a later session (goal: within 5 s); train to "
          f"convergence {med(page_conv):.1f} s on the page against {med(engine):.1f} s for "
          f"MLPClassifier.fit + LogisticRegression.fit: {med(page_conv) / med(engine):.2f}x "
          f"(paired: {med([a / b for a, b in zip(page_conv, engine)]):.2f}x)")


if __name__ == "__main__":
    main()
