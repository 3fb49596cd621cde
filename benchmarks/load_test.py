"""Many students on one server: N headless browser sessions play training at once.

Starts the app on a free local port (loopback only), opens N sessions of a page in headless
Chromium (one browser, one context each, like separate students), presses Play in each, and for
``--seconds`` samples every session once a second. Then closes the sessions and watches the
server's memory settle. Reports:

- per session: chart updates per second, the longest stretch without a chart update, and
  whether it kept updating (no stall over ``--stall`` seconds) and showed no error;
- the server's resident memory: before, at the peak, and after the sessions closed.

Goal: no session stalls or dies; memory returns near its baseline after the sessions close.
Not part of the test run. Usage: python benchmarks/load_test.py [--sessions 8] [--seconds 60]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_ARGS, chromium_path, start_streamlit, stop_streamlit, wait_ready  # noqa: E402


def rss_mb(pid):
    """Resident memory of a process in MiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reacts(page):
    return page.evaluate("+((document.querySelector('.np-live-chart__plot') || {dataset: {}})"
                         ".dataset.reacts || 0)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--page", default="logistic_regression")
    parser.add_argument("--stall", type=float, default=5.0, help="seconds without an update")
    parser.add_argument("--settle", type=float, default=130.0,
                        help="seconds to wait after closing the sessions (Streamlit keeps closed "
                             "sessions 120 s for a reconnect)")
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("Chromium not found at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    proc, url = start_streamlit(ROOT / "app.py")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            # warm up: the first run of a page imports scikit-learn, scipy, plotly... once per
            # process; the baseline is the server with those loaded and no session open
            warm = browser.new_page()
            warm.goto(url)
            wait_ready(warm)
            warm.goto(f"{url}/{args.page}")
            wait_ready(warm, timeout=60)
            warm.close()
            time.sleep(2)
            base = rss_mb(proc.pid)
            print(f"server memory at start: {base:.0f} MiB; opening {args.sessions} sessions of "
                  f"/{args.page} ...", flush=True)
            sessions = []
            for i in range(args.sessions):
                ctx = browser.new_context(viewport={"width": 1300, "height": 850})
                page = ctx.new_page()
                page.goto(f"{url}/{args.page}?seed={i}")
                wait_ready(page, timeout=60)
                page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg')"
                                       ".length > 0", timeout=60000)
                sessions.append((ctx, page))
            for _, page in sessions:
                page.get_by_role("button", name="▶ Play").click()
            start = time.time()
            last_change = [start] * len(sessions)
            last_value = [reacts(pg) for _, pg in sessions]
            first_value = list(last_value)
            longest = [0.0] * len(sessions)
            peak = base
            while time.time() - start < args.seconds:
                time.sleep(1)
                now = time.time()  # sampling 8 busy pages can itself take seconds
                for i, (_, page) in enumerate(sessions):
                    value = reacts(page)
                    if value != last_value[i]:
                        last_value[i], last_change[i] = value, now
                    longest[i] = max(longest[i], now - last_change[i])
                peak = max(peak, rss_mb(proc.pid))
            elapsed = time.time() - start
            errors = [page.locator("[data-testid=stException]").count() for _, page in sessions]
            rates = [(last_value[i] - first_value[i]) / elapsed for i in range(len(sessions))]
            during = rss_mb(proc.pid)
            for ctx, page in sessions:
                page.get_by_role("button", name="⏸ Pause").click()
                ctx.close()
            # Streamlit keeps a closed tab's session for 2 minutes (for a reconnect) and evicts it
            # on the next access of its session store: wait, then touch the server once
            time.sleep(args.settle)
            probe = browser.new_page()
            probe.goto(url)
            wait_ready(probe)
            probe.close()
            time.sleep(5)
            browser.close()
        after = rss_mb(proc.pid)
    finally:
        stop_streamlit(proc)

    print(f"\n{'session':>8} {'updates/s':>10} {'longest gap (s)':>16}  status")
    for i, (rate, gap, err) in enumerate(zip(rates, longest, errors)):
        ok = gap <= args.stall and err == 0 and rate > 0
        print(f"{i + 1:>8} {rate:10.2f} {gap:16.1f}  {'kept updating' if ok else 'STALLED'}"
              f"{'' if err == 0 else f', {err} error element(s)'}")
    print(f"\nupdates/s per session: median {statistics.median(rates):.2f}, min {min(rates):.2f}, "
          f"max {max(rates):.2f} ({len(rates)} sessions, {elapsed:.0f} s)")
    print(f"server memory: start {base:.0f} MiB, peak {peak:.0f} MiB, end of play {during:.0f} MiB, "
          f"{args.settle:.0f} s after closing {after:.0f} MiB ({after - base:+.0f} MiB vs start)")
    stalled = sum(1 for r, g, e in zip(rates, longest, errors) if g > args.stall or e or r <= 0)
    print(f"goal: no session stalls or dies -> {'MET' if stalled == 0 else f'MISSED ({stalled})'}")


if __name__ == "__main__":
    main()
