"""Live training in a real browser against the engine alone: throughput, smoothness, answers.

For each training page, at its fastest setting (``?speed=max``), in headless Chromium (Debian's,
through Playwright), against a server started by this script:

- **throughput**: training steps per second shown on the page, divided by the engine's steps
  per second on the same models and data (``fit`` with the page's default settings, timed in
  this process just before, with the same machine load);
- **chart updates/s** of the page's most updated live chart, and **blank** samples (a live chart
  missing, zero-sized or without its trace, sampled every 20 ms);
- **Pause → steps stopped**: from the click to the last change of the page's step counter;
- **Pause → Play enabled**: from the click to the Play button being clickable again;
- **Step → chart**: from a Step click to the chart redrawn with the step counter at the new step;
- where the throughput goes (Linux): the **core share** the server's training thread got in the
  window (its CPU seconds per second, from /proc), and its **speed per CPU second** against the
  engine's alone (page steps per training-thread CPU second ÷ engine steps/s). Throughput is
  about their product: a busy browser on the same cores takes both, the first by using the
  CPU, the second by slowing the core beside it.

Then the same with ``--hogs`` CPU-bound processes beside it (a busy classroom server), and the
cold start: a fresh server's first page (the home page, then a training page), from the
browser's request to its first chart. Medians of ``--repeats`` runs are printed with the goals.
The engine and the page are checked to train the same model: after the first Step, the page's
train loss must equal the reference's after the same steps.

Usage: python benchmarks/live_speed.py [--pages logistic_regression xor backprop digits]
       [--seconds 6] [--repeats 3] [--hogs 2] [--no-loaded] [--no-cold]
"""
import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from browser import (CHROMIUM_ARGS, chromium_path, start_streamlit, status_value,  # noqa: E402
                     step_of, stop_streamlit, wait_ready)

GOALS = dict(throughput=0.60, updates=10.0, blank=0, pause_ms=200.0, play_ms=300.0,
             step_ms=300.0, loaded_updates=6.0, loaded_pause_ms=500.0, cold_s=3.0)

SAMPLER = """
() => {
  const w = window.__bench = {blank: 0, samples: 0, reacts: [], steps: [], play: [],
                              lastReacts: -1, lastStep: -1, lastPlay: null, timer: null,
                              line: null, play_button: null};
  // cheap reads only (textContent, no layout), so that sampling does not slow the page down
  const stepNow = () => {
    if (!w.line || !w.line.isConnected)
      w.line = [...document.querySelectorAll('p')].find(p => p.textContent.startsWith('step '));
    const m = w.line ? w.line.textContent.match(/^step\\s+([0-9,]+)/) : null;
    return m ? +m[1].replace(/,/g, '') : -1;
  };
  w.timer = setInterval(() => {
    const t = performance.timeOrigin + performance.now();  // ms since the epoch, as time.time()
    w.samples++;
    const plots = [...document.querySelectorAll('.np-live-chart__plot')];
    const blank = plots.length === 0 || plots.some(p => {
      if (!p.isConnected || !p._fullLayout || !p.querySelector('.main-svg .cartesianlayer'))
        return true;
      const r = p.getBoundingClientRect();
      return r.height < 50 || r.width < 50; });
    if (blank) w.blank++;
    // the live chart that changes most (a model that has converged leaves its chart alone)
    const reacts = Math.max(0, ...plots.map(p => +(p.dataset.reacts || 0)));
    if (reacts !== w.lastReacts) { w.reacts.push([t, reacts]); w.lastReacts = reacts; }
    const step = stepNow();
    if (step !== w.lastStep) { w.steps.push([t, step]); w.lastStep = step; }
    if (!w.play_button || !w.play_button.isConnected)
      w.play_button = [...document.querySelectorAll('button')]
        .find(b => b.textContent.includes('Play'));
    const enabled = w.play_button ? !w.play_button.disabled : false;
    if (enabled !== w.lastPlay) { w.play.push([t, enabled]); w.lastPlay = enabled; }
  }, 40);
}
"""


# ---- the engine alone: the page's default models, fitted in this process ---------------------
def _defaults(specs):
    return {name: spec.default for name, spec in specs.items()}


def logistic_models():
    from core import LogisticRegression
    from core.features import expand
    from ui.logistic_views import DATA, MODES, TRAINING
    from ui.page import make_split
    data, t = _defaults(DATA), _defaults(TRAINING)
    _, X_train, _, y_train, _ = make_split(data)
    batch = MODES[t["mode"]]
    batch = t["batch"] if batch == "mini" else batch
    model = LogisticRegression(learning_rate=t["lr"], batch_size=batch, l2=t["l2"], tol=0,
                               random_state=data["seed"])
    return [(model, expand(X_train, t["features"]), y_train)]


def xor_models():
    from core import LogisticRegression, MLPClassifier
    from core.features import expand
    from core.hill import largest_stable_step
    from core.logistic import add_intercept
    from ui.page import make_split
    from ui.xor_views import DATA, NETWORK
    data, net = _defaults(DATA), _defaults(NETWORK)
    _, X_train, _, y_train, _ = make_split(data)
    sizes = tuple(net[k] for k in ("hidden", "hidden2", "hidden3")[:net["layers"]])
    Xf = expand(X_train, net["features"])
    mlp = MLPClassifier(sizes, activation=net["activation"], learning_rate=net["lr"],
                        batch_size=None if net["batch"] == "full" else net["batch"],
                        l2=net["l2"], l1=net["l1"], tol=0, random_state=data["seed"])
    line = LogisticRegression(learning_rate=min(1.0, largest_stable_step(add_intercept(Xf))),
                              l2=net["l2"], tol=0, random_state=data["seed"])
    return [(line, Xf, y_train), (mlp, Xf, y_train)]


def backprop_models():
    from core import MLPClassifier, make_dataset
    from ui.backprop_views import SPECS
    s = _defaults(SPECS)
    X, y = make_dataset(s["dataset"], s["n"], s["noise"], random_state=s["seed"])
    mlp = MLPClassifier((s["hidden"],) * s["layers"], activation=s["activation"],
                        learning_rate=s["lr"], batch_size=None, tol=0, random_state=s["seed"])
    return [(mlp, X, y)]


def digits_models():
    import numpy as np
    from core import LogisticRegression, MLPClassifier
    from ui.digit_data import mnist_found, prepare
    from ui.digit_views import SPECS, source_defaults
    s = _defaults(SPECS)
    name = "mnist" if mnist_found()[0] else "digits8"  # as the page chooses
    s.update(source_defaults(name))
    data = prepare(name, False, s["n"], s["seed"], s["copies"], s["synthetic"])
    mlp = MLPClassifier((s["hidden"],) * s["layers"], activation=s["activation"],
                        learning_rate=s["lr"], batch_size=s["batch"], tol=0,
                        random_state=s["seed"], dtype=np.float32)
    line = LogisticRegression(learning_rate=s["lr"], batch_size=s["batch"], tol=0,
                              random_state=s["seed"])
    return [(mlp, data.X_train, data.y_train), (line, data.X_train, data.y_train)]


# name: (url path, models, the link's extra query (the section holding the live run), the
# Step button's steps, loss label)
PAGES = {
    "logistic_regression": ("logistic_regression", logistic_models, None, 1, "train loss −LL/n"),
    "xor": ("xor", xor_models, None, 1, "MLP train loss"),
    "backprop": ("backprop", backprop_models, "&part=slow", 1,
                 "train loss −LL/n"),
    "digits": ("digits", digits_models, "&epochs=100", 10, None),
}


def engine_steps_per_second(models, seconds=1.5):
    """Steps per second of ``fit`` on every model in turn (a page step is a step of each):
    max_iter grows until a fit takes ``seconds / len(models)``; the best of three."""
    import warnings

    from sklearn.base import clone
    per_step = 0.0
    for model, X, y in models:
        epochs, best = 1, None
        while True:
            times = []
            for _ in range(3):
                m = clone(model).set_params(max_iter=epochs)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    start = time.perf_counter()
                    m.fit(X, y)
                    times.append((time.perf_counter() - start) / m.t_)
            best = min(times)
            if best * m.t_ >= seconds / len(models) / 3 or epochs > 10**6:
                break
            epochs *= 4
        per_step += best
    return 1.0 / per_step


def reference_loss(models, steps):
    """The train loss of the page's main model (listed last) after ``steps`` steps."""
    from core import Trainer
    from sklearn.base import clone
    model, X, y = models[-1]  # the page's main model is listed last
    trainer = Trainer(clone(model).set_params(max_iter=10**9), X, y)
    return trainer.run(steps).train_loss


# ---- the page --------------------------------------------------------------------------------
def first_after(records, t, test=lambda v: True):
    return next((r for r in records if r[0] >= t and test(r[1])), None)


def training_cpu_seconds(pid):
    """CPU seconds used so far by the server's training threads (None where /proc is not)."""
    from ui.workers import THREAD_NAME
    tasks = Path(f"/proc/{pid}/task")
    if pid is None or not tasks.is_dir():
        return None
    total, tick = 0, os.sysconf("SC_CLK_TCK")
    for task in tasks.iterdir():
        try:
            if (task / "comm").read_text().strip() != THREAD_NAME:
                continue
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        except (OSError, IndexError, ValueError):
            continue  # the thread ended meanwhile
    return total / tick


def measure(browser, url, name, seconds, pid=None):
    path, models, query, step_size, loss_label = PAGES[name]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/{path}?speed=max{query or ''}")
    wait_ready(page)
    page.wait_for_function("[...document.querySelectorAll('.np-live-chart__plot')]"
                           ".some(p => p.offsetParent !== null && p.querySelector('.main-svg'))",
                           timeout=60000)
    page.wait_for_timeout(1000)
    page.evaluate(SAMPLER)
    now = lambda: time.time() * 1000  # noqa: E731
    bench = lambda: page.evaluate("window.__bench")  # noqa: E731

    def click(name):
        """Click like a person: the mouse goes down on the button wherever the page is busy
        (Playwright's own click first waits for the page to be still); returns when it did."""
        button = page.get_by_role("button", name=name)
        button.wait_for(state="visible", timeout=60000)
        box = button.bounding_box()
        t = now()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        return t

    # Step from step 0: the chart shows the new step
    r0 = bench()["lastReacts"]
    t_step = click("⏭ Step")
    # (a page that plays by itself, as the digit page after its quick fit, shows steps and
    # redraws before the click too: only what comes after it counts)
    page.wait_for_function(f"window.__bench.steps.some(([t, s]) => t >= {t_step} && s >= "
                           f"{step_size}) && window.__bench.reacts.some(([t, r]) => t >= "
                           f"{t_step} && r > {r0})", timeout=30000)
    w = bench()
    shown = max(first_after(w["steps"], t_step, lambda s: s >= step_size)[0],
                first_after(w["reacts"], t_step, lambda r: r > r0)[0])
    step_ms = shown - t_step
    wait_ready(page)
    page_loss = status_value(page, loss_label) if loss_label else None

    # Play, warm up, then a window of ``seconds``
    page.wait_for_function("[...document.querySelectorAll('button')].some(b => "
                           "b.innerText.includes('Play') && !b.disabled)", timeout=30000)
    click("▶ Play")
    page.wait_for_timeout(1500)
    t0, s0, c0, cpu0 = now(), step_of(page), bench()["lastReacts"], training_cpu_seconds(pid)
    page.wait_for_timeout(seconds * 1000)
    t1, s1, c1, cpu1 = now(), step_of(page), bench()["lastReacts"], training_cpu_seconds(pid)

    # Pause: the steps stop, Play comes back
    t_pause = click("⏸ Pause")
    page.wait_for_timeout(2500)
    w = page.evaluate("(() => { clearInterval(window.__bench.timer); return window.__bench; })()")
    changes = [t for t, _ in w["steps"] if t >= t_pause]
    stopped_ms = (max(changes) - t_pause) if changes else 0.0
    play = first_after(w["play"], t_pause, lambda enabled: enabled)
    play_ms = play[0] - t_pause if play else float("inf")
    errors += [f"{n} error element(s)" for n in [page.locator(
        "[data-testid=stException], [data-testid=stAlertContentError]").count()] if n]
    page.close()
    dt = (t1 - t0) / 1000
    cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    return dict(page_steps=(s1 - s0) / dt, updates=(c1 - c0) / dt, blank=w["blank"],
                core_share=cpu / dt if cpu is not None else None,
                steps_per_cpu_second=(s1 - s0) / cpu if cpu else None,
                samples=w["samples"], stopped_ms=stopped_ms, play_ms=play_ms, step_ms=step_ms,
                page_loss=page_loss, errors=errors)


def cold_start(browser, path):
    """A fresh server: seconds from the browser's request to the first chart drawn."""
    proc, url = start_streamlit(ROOT / "serve.py")  # as README starts it
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        start = time.perf_counter()
        page.goto(f"{url}/{path}")
        page.wait_for_function("document.querySelector('.main-svg')", timeout=60000)
        seconds = time.perf_counter() - start
        page.close()
        return seconds
    finally:
        stop_streamlit(proc)


def hog():
    while True:
        pass


def matmul_hog():
    """A process busy with what a browser's renderer also does: floating point on every cycle."""
    import numpy as np
    a = np.random.default_rng(0).random((300, 300))
    while True:
        a = np.tanh(a @ a * 1e-3) + 0.01


def neighbour_cost(models):
    """The engine's speed beside a process doing matrix products on the other core, as a share
    of its speed alone: what a busy neighbour core costs a training thread on this machine,
    whatever its share of the CPU (a plain Python loop beside it costs about 2 %)."""
    alone = engine_steps_per_second(models)
    busy = multiprocessing.Process(target=matmul_hog, daemon=True)
    busy.start()
    try:
        time.sleep(0.5)
        beside = engine_steps_per_second(models)
    finally:
        busy.terminate()
        busy.join()
    return beside / alone


def run_condition(browser, names, args, label):
    proc, url = start_streamlit(ROOT / "serve.py")
    results = {}
    try:
        warm = browser.new_page()
        for name in names:  # the first visit of a page imports and caches; not measured
            warm.goto(f"{url}/{PAGES[name][0]}")
            wait_ready(warm, timeout=90)
        warm.close()
        for name in names:
            models = PAGES[name][1]()
            runs = []
            for i in range(args.repeats):
                engine = engine_steps_per_second(models)
                r = measure(browser, url, name, args.seconds, proc.pid)
                r["engine_steps"] = engine
                r["throughput"] = r["page_steps"] / engine
                if r["steps_per_cpu_second"]:
                    r["per_cpu_second"] = r.pop("steps_per_cpu_second") / engine
                runs.append(r)
                print(f"  {label} {name} run {i + 1}: " + json.dumps(
                    {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}),
                    flush=True)
            if PAGES[name][4]:
                ref = reference_loss(models, PAGES[name][3])
                from ui.numbers import num
                same = all(r["page_loss"] == num(ref) for r in runs)
                print(f"  {name}: the page's loss after one Step {runs[0]['page_loss']}, the "
                      f"engine's {num(ref)}: {'the same model' if same else 'DIFFERENT MODELS'}")
            if label == "quiet":
                print(f"  {name}: the engine beside a process doing matrix products runs at "
                      f"{neighbour_cost(models):.0%} of its speed alone", flush=True)
            results[name] = runs
    finally:
        stop_streamlit(proc)
    return results


def verdict(ok):
    return "OK" if ok else "MISSED"


def report(results, label, loaded):
    print(f"\n{label}: medians of {len(next(iter(results.values())))} runs")
    print(f"{'page':<22}{'page/engine':>12}{'steps/s page':>14}{'engine':>10}{'updates/s':>11}"
          f"{'blank':>7}{'Pause→stop':>12}{'Pause→Play':>12}{'Step→chart':>12}")
    for name, runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in
               ("throughput", "page_steps", "engine_steps", "updates", "stopped_ms", "play_ms",
                "step_ms")}
        blank = max(r["blank"] for r in runs)
        print(f"{name:<22}{med['throughput']:>11.0%} {med['page_steps']:>13,.0f} "
              f"{med['engine_steps']:>9,.0f} {med['updates']:>10.1f} {blank:>6} "
              f"{med['stopped_ms']:>9.0f} ms{med['play_ms']:>9.0f} ms{med['step_ms']:>9.0f} ms")
        if loaded:
            print(f"{'':<22}goals: updates >= {GOALS['loaded_updates']:.0f}/s "
                  f"{verdict(med['updates'] >= GOALS['loaded_updates'])}, Pause within "
                  f"{GOALS['loaded_pause_ms']:.0f} ms "
                  f"{verdict(med['stopped_ms'] <= GOALS['loaded_pause_ms'])}")
        else:
            print(f"{'':<22}goals: >= {GOALS['throughput']:.0%} "
                  f"{verdict(med['throughput'] >= GOALS['throughput'])}, "
                  f">= {GOALS['updates']:.0f}/s {verdict(med['updates'] >= GOALS['updates'])}, "
                  f"0 blank {verdict(blank == 0)}, Pause < {GOALS['pause_ms']:.0f} ms "
                  f"{verdict(med['stopped_ms'] < GOALS['pause_ms'])}, Play < "
                  f"{GOALS['play_ms']:.0f} ms {verdict(med['play_ms'] < GOALS['play_ms'])}, "
                  f"Step < {GOALS['step_ms']:.0f} ms {verdict(med['step_ms'] < GOALS['step_ms'])}")
        shares = [(r["core_share"], r["per_cpu_second"]) for r in runs if r.get("per_cpu_second")]
        if shares:
            print(f"{'':<22}training thread: {statistics.median(a for a, _ in shares):.2f} of a "
                  f"core, at {statistics.median(b for _, b in shares):.0%} of the engine's speed "
                  f"per CPU second (throughput is about their product)")
        errors = [r["errors"] for r in runs if r["errors"]]
        if errors:
            print(f"{'':<22}errors: {errors}")


def main():
    from local_data import MNIST_ENV, mnist_folder
    if mnist_folder() is not None:  # the digit page trains on MNIST, as a learner's would
        os.environ[MNIST_ENV] = str(mnist_folder())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hogs", type=int, default=2)
    parser.add_argument("--no-loaded", action="store_true")
    parser.add_argument("--no-cold", action="store_true")
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("Chromium not found at /usr/bin/chromium (apt-get install -y chromium)")
    from threadpoolctl import threadpool_limits

    from playwright.sync_api import sync_playwright
    from ui.runtime import limit_threads
    limit_threads()  # the engine gets what the server gives it: one BLAS thread
    threadpool_limits(1)
    print(f"pages {args.pages}, {args.repeats} runs of {args.seconds:g} s each, speed=max")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        if not args.no_cold:
            cold = {path: statistics.median(cold_start(browser, path) for _ in range(args.repeats))
                    for path in ("", "logistic_regression")}
            for path, seconds in cold.items():
                print(f"cold start, /{path}: first chart after {seconds:.2f} s (median): goal < "
                      f"{GOALS['cold_s']:.0f} s {verdict(seconds < GOALS['cold_s'])}")
        quiet = run_condition(browser, args.pages, args, "quiet")
        loaded = None
        if not args.no_loaded and args.hogs:
            hogs = [multiprocessing.Process(target=hog, daemon=True) for _ in range(args.hogs)]
            for h in hogs:
                h.start()
            try:
                loaded = run_condition(browser, args.pages, args, f"{args.hogs} hogs")
            finally:
                for h in hogs:
                    h.terminate()
        browser.close()
    report(quiet, "quiet", loaded=False)
    if loaded:
        report(loaded, f"with {args.hogs} CPU-bound processes beside it", loaded=True)


if __name__ == "__main__":
    main()
