"""One session plays for a long time: memory must stay flat and the drawn history bounded.

Starts the app on a free local port, opens one session of a page in headless Chromium, presses
Play and samples every ``--every`` seconds: the server's resident memory, the browser's JS heap,
the step, and the number of points in the loss curve the page draws (the history is downsampled,
so this must stay bounded however long training runs). Usage:
python benchmarks/soak.py [--minutes 20] [--every 30] [--page logistic_regression]
"""
import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from browser import CHROMIUM_ARGS, chromium_path, start_streamlit, stop_streamlit, wait_ready  # noqa: E402
from load_test import rss_mb  # noqa: E402

CURVE_POINTS = """() => { const plots = [...document.querySelectorAll('.np-live-chart__plot')];
  const curves = plots.find(p => (p._fullData || []).some(t => (t.name || '').includes('train')
                                                        && t.type === 'scatter' && t.mode === 'lines'));
  return curves ? Math.max(...curves._fullData.map(t => (t.x || []).length)) : -1; }"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--every", type=float, default=30)
    parser.add_argument("--page", default="logistic_regression")
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("Chromium not found at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    proc, url = start_streamlit(ROOT / "serve.py")
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            wait_ready(page)
            page.goto(f"{url}/{args.page}")
            wait_ready(page)
            page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg')"
                                   ".length > 0", timeout=60000)
            page.get_by_role("button", name="▶ Play").click()
            start = time.time()
            print(f"{'min':>6} {'server MiB':>11} {'JS heap MiB':>12} {'step':>9} {'curve points':>13}")
            while True:
                elapsed = time.time() - start
                step = page.evaluate("(([...document.querySelectorAll('p')].map(p => p.innerText)"
                                     ".find(t => t.startsWith('step ')) || 'step 0')"
                                     ".match(/step\\s+([0-9,]+)/) || [0, '0'])[1]")
                heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
                row = (elapsed / 60, rss_mb(proc.pid), heap / 2**20,
                       int(step.replace(",", "")), page.evaluate(CURVE_POINTS))
                rows.append(row)
                print(f"{row[0]:6.1f} {row[1]:11.0f} {row[2]:12.1f} {row[3]:9,d} {row[4]:13d}",
                      flush=True)
                if elapsed >= args.minutes * 60:
                    break
                time.sleep(args.every)
            errors = page.locator("[data-testid=stException]").count()
            page.get_by_role("button", name="⏸ Pause").click()
            browser.close()
    finally:
        stop_streamlit(proc)
    warm = [r for r in rows if r[0] >= 2] or rows  # after the first two minutes of warm-up
    growth = warm[-1][1] - warm[0][1]
    print(f"\nserver memory after warm-up: {warm[0][1]:.0f} -> {warm[-1][1]:.0f} MiB "
          f"({growth:+.0f} MiB over {warm[-1][0] - warm[0][0]:.1f} min)")
    print(f"curve points: max {max(r[4] for r in rows)} while the step went to {rows[-1][3]:,}")
    print(f"errors on the page: {errors}")


if __name__ == "__main__":
    main()
