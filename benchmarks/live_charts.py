"""How smooth is live training in a real browser? Updates/s, blank frames, Pause latency.

Starts the app on a free local port, opens a page in headless Chromium (Debian's, via
Playwright), presses Play, samples the page every 30 ms, presses Pause, and reports:

- chart updates per second of the page's first live chart (the probability surface);
- server ticks per second (the step counter advances ``speed`` steps per tick);
- samples in which any live chart was blank (missing, zero-sized or without its trace);
- milliseconds from the Pause click to the last chart update.

Goal on this machine: >= 8 updates/s, 0 blank samples, Pause effective in under 1 s.
Usage: python benchmarks/live_charts.py [--page logistic_regression] [--seconds 6] [--repeats 3]
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_ARGS, chromium_path, streamlit_server, wait_ready  # noqa: E402

SAMPLER = """
() => {
  const w = window.__bench = { samples: 0, blank: 0, updates: [], lastReacts: -1, timer: null };
  w.timer = setInterval(() => {
    w.samples++;
    const plots = [...document.querySelectorAll('.np-live-chart__plot')];
    const blank = plots.length === 0 || plots.some(p => {
      const r = p.getBoundingClientRect();
      return !p.isConnected || r.height < 50 || r.width < 50 ||
             !(p._fullData && p._fullData.length) || !p.querySelector('.main-svg .cartesianlayer');
    });
    if (blank) w.blank++;
    const first = plots[0] ? +(plots[0].dataset.reacts || 0) : 0;
    if (first !== w.lastReacts) { w.updates.push([performance.now(), first]); w.lastReacts = first; }
  }, 30);
}
"""


def step_of(page):
    """The step counter: the first metric, or the text after "step" in the status line."""
    metric = page.locator("[data-testid=stMetricValue]")
    if metric.count():
        text = metric.first.inner_text()
    else:
        text = page.evaluate("(document.body.innerText.match(/step\\s+([0-9,]+)/) || [0, '0'])[1]")
    return int("".join(ch for ch in text if ch.isdigit()) or 0)


def measure(browser, url, page_path, seconds, speed):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/{page_path}")
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length > 0",
                           timeout=30000)
    page.wait_for_timeout(1500)
    page.evaluate(SAMPLER)
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_timeout(1500)  # warm-up
    t0 = page.evaluate("performance.now()")
    r0 = page.evaluate("+document.querySelector('.np-live-chart__plot').dataset.reacts")
    s0 = step_of(page)
    page.wait_for_timeout(seconds * 1000)
    t1 = page.evaluate("performance.now()")
    r1 = page.evaluate("+document.querySelector('.np-live-chart__plot').dataset.reacts")
    s1 = step_of(page)
    pause_at = page.evaluate("performance.now()")
    page.get_by_role("button", name="⏸ Pause").click()
    page.wait_for_timeout(2500)
    w = page.evaluate("(() => { clearInterval(window.__bench.timer); return window.__bench; })()")
    last_update = max(t for t, _ in w["updates"]) if w["updates"] else pause_at
    errors += [f"{n} error element(s)" for n in
               [page.locator("[data-testid=stException], [data-testid=stAlertContentError]").count()] if n]
    page.close()
    dt = (t1 - t0) / 1000
    return {"updates_per_s": (r1 - r0) / dt, "ticks_per_s": (s1 - s0) / speed / dt,
            "blank_samples": w["blank"], "samples": w["samples"],
            "pause_ms": max(0.0, last_update - pause_at), "errors": errors}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="logistic_regression")
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--speed", type=int, default=3, help="the page's default steps per tick")
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("Chromium not found at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright
    runs = []
    with streamlit_server(ROOT / "app.py") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for i in range(args.repeats):
            r = measure(browser, url, args.page, args.seconds, args.speed)
            runs.append(r)
            print(f"run {i + 1}: {json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in r.items()})}")
        browser.close()
    med = {k: statistics.median(r[k] for r in runs)
           for k in ("updates_per_s", "ticks_per_s", "blank_samples", "pause_ms")}
    print(f"\nmedian of {len(runs)} runs on /{args.page}:")
    print(f"  chart updates/s    {med['updates_per_s']:6.1f}   goal >= 8   "
          f"{'OK' if med['updates_per_s'] >= 8 else 'MISSED'}")
    print(f"  server ticks/s     {med['ticks_per_s']:6.1f}")
    print(f"  blank samples      {med['blank_samples']:6.0f}   goal 0      "
          f"{'OK' if max(r['blank_samples'] for r in runs) == 0 else 'MISSED'} "
          f"(max {max(r['blank_samples'] for r in runs)} of ~{runs[0]['samples']})")
    print(f"  Pause -> last draw {med['pause_ms']:6.0f} ms  goal < 1000  "
          f"{'OK' if max(r['pause_ms'] for r in runs) < 1000 else 'MISSED'} "
          f"(max {max(r['pause_ms'] for r in runs):.0f} ms)")
    if any(r["errors"] for r in runs):
        print("  errors:", [r["errors"] for r in runs if r["errors"]])


if __name__ == "__main__":
    main()
