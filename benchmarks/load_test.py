"""Many students on one server: N headless browser sessions play training at once.

Starts the app on a free local port (loopback only), opens N sessions of a page in headless
Chromium (one browser, one context each, like separate students), presses Play in each, and for
``--seconds`` samples every session once a second. Then closes the sessions and watches the
server's memory settle. With ``--rounds 2`` it does all that twice on the same server: memory
that climbs again in the second round is a leak, memory that comes back to the first round's
level is the allocator keeping its high-water mark. Reports:

- per session: chart updates per second, training steps per second (the server's side), the
  longest stretch without a chart update, and whether it kept updating (no stall over
  ``--stall`` seconds) and showed no error;
- the server's CPU share while the sessions play: the N browsers run on the same machine, so
  when the server is far from a full core, the per-session update rate is the browsers' limit,
  not the server's;
- the server's resident memory: before, at the peak, and after the sessions closed.

Sessions play at ``--speed`` (default max: as fast as the server trains them), so the steps/s
per session show how fairly the server shares its training turns (ui/workers.py).

Goal: no session stalls or dies; every session's training steps/s within a factor of 2 of the
others; memory returns near its baseline after the sessions close.
Not part of the test run. Usage:
python benchmarks/load_test.py [--sessions 8] [--seconds 60] [--rounds 1]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import (CHROMIUM_ARGS, chromium_path, start_streamlit, step_of,  # noqa: E402
                     stop_streamlit, wait_ready)


def rss_mb(pid):
    """Resident memory of a process in MiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid):
    """User + system CPU seconds a process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reacts(page):
    """Redraws of the page's most redrawn live chart (as live_speed.py counts them): a page's
    first chart may stop changing while the others go on (XOR's line converges, its MLP does
    not), and a chart that does not change is not redrawn."""
    return page.evaluate("Math.max(0, ...[...document.querySelectorAll('.np-live-chart__plot')]"
                         ".map((p) => +(p.dataset.reacts || 0)))")


def play_round(browser, url, pid, args, offset):
    """One round: open the sessions, play, sample, close; returns the round's figures."""
    sessions = []
    for i in range(args.sessions):
        ctx = browser.new_context(viewport={"width": 1300, "height": 850})
        page = ctx.new_page()
        page.goto(f"{url}/{args.page}?seed={offset + i}&speed={args.speed}")
        wait_ready(page, timeout=60)
        page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg')"
                               ".length > 0", timeout=60000)
        sessions.append((ctx, page))
    for _, page in sessions:
        page.get_by_role("button", name="▶ Play").click()
    start = time.time()
    cpu0 = cpu_seconds(pid)
    last_change = [start] * len(sessions)
    last_value = [reacts(pg) for _, pg in sessions]
    first_value = list(last_value)
    first_step = [step_of(pg) for _, pg in sessions]
    longest = [0.0] * len(sessions)
    gap_at = [0.0] * len(sessions)  # when each session's longest gap began, from Play
    peak = rss_mb(pid)
    while time.time() - start < args.seconds:
        time.sleep(1)
        now = time.time()  # sampling 8 busy pages can itself take seconds
        for i, (_, page) in enumerate(sessions):
            value = reacts(page)
            if value != last_value[i]:
                last_value[i], last_change[i] = value, now
            if now - last_change[i] > longest[i]:
                longest[i], gap_at[i] = now - last_change[i], last_change[i] - start
        peak = max(peak, rss_mb(pid))
    elapsed = time.time() - start
    cpu = (cpu_seconds(pid) - cpu0) / elapsed
    errors = [page.locator("[data-testid=stException]").count() for _, page in sessions]
    steps = [(step_of(pg) - s0) / elapsed for (_, pg), s0 in zip(sessions, first_step)]
    rates = [(last_value[i] - first_value[i]) / elapsed for i in range(len(sessions))]
    during = rss_mb(pid)
    for ctx, page in sessions:
        page.get_by_role("button", name="⏸ Pause").click()
        ctx.close()
    # Streamlit keeps a closed tab's session for 2 minutes (for a reconnect) and evicts it on
    # the next access of its session store: wait, then touch the server once
    time.sleep(args.settle)
    probe = browser.new_page()
    probe.goto(url)
    wait_ready(probe)
    probe.close()
    time.sleep(5)
    return dict(rates=rates, steps=steps, longest=longest, gap_at=gap_at, errors=errors,
                elapsed=elapsed, cpu=cpu, peak=peak, during=during, after=rss_mb(pid))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--page", default="logistic_regression")
    parser.add_argument("--stall", type=float, default=5.0, help="seconds without an update")
    parser.add_argument("--speed", default="max", help="the page's speed setting (steps/s or max)")
    parser.add_argument("--settle", type=float, default=130.0,
                        help="seconds to wait after closing the sessions (Streamlit keeps closed "
                             "sessions 120 s for a reconnect)")
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("Chromium not found at /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    proc, url = start_streamlit(ROOT / "serve.py")
    rounds = []
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
            print(f"server memory at start: {base:.0f} MiB; {args.rounds} round(s) of "
                  f"{args.sessions} sessions of /{args.page} ...", flush=True)
            for r in range(args.rounds):
                rounds.append(play_round(browser, url, proc.pid, args, offset=r * args.sessions))
                print(f"round {r + 1} done: memory {rounds[-1]['after']:.0f} MiB after closing",
                      flush=True)
            browser.close()
    finally:
        stop_streamlit(proc)

    stalled = unfair = 0
    for r, res in enumerate(rounds, start=1):
        print(f"\nround {r}: {args.sessions} sessions, {res['elapsed']:.0f} s")
        print(f"{'session':>8} {'updates/s':>10} {'steps/s':>8} {'longest gap (s)':>16} "
              f"{'from (s)':>9}  status")
        for i, (rate, steps, gap, at, err) in enumerate(zip(
                res["rates"], res["steps"], res["longest"], res["gap_at"], res["errors"])):
            ok = gap <= args.stall and err == 0 and rate > 0
            stalled += not ok
            print(f"{i + 1:>8} {rate:10.2f} {steps:8.1f} {gap:16.1f} {at:9.1f}  "
                  f"{'kept updating' if ok else 'STALLED'}"
                  f"{'' if err == 0 else f', {err} error element(s)'}")
        rates = res["rates"]
        print(f"updates/s per session: median {statistics.median(rates):.2f}, min {min(rates):.2f}, "
              f"max {max(rates):.2f}; server CPU {100 * res['cpu']:.0f}% of one core while playing")
        steps = res["steps"]
        spread = max(steps) / max(min(steps), 1e-9)
        fair = spread <= 2
        unfair += not fair
        print(f"training steps/s per session: median {statistics.median(steps):,.0f}, min "
              f"{min(steps):,.0f}, max {max(steps):,.0f}: the fastest session trains "
              f"{spread:.2f}x the slowest (goal <= 2: {'MET' if fair else 'MISSED'})")
        print(f"server memory: start {base:.0f} MiB, peak {res['peak']:.0f} MiB, end of play "
              f"{res['during']:.0f} MiB, {args.settle:.0f} s after closing {res['after']:.0f} MiB "
              f"({res['after'] - base:+.0f} MiB vs start)")
    print(f"\ngoal: no session stalls or dies -> {'MET' if stalled == 0 else f'MISSED ({stalled})'}")
    print(f"goal: every session's training within a factor of 2 of the others -> "
          f"{'MET' if unfair == 0 else 'MISSED'}")
    if len(rounds) > 1:
        growth = rounds[-1]["after"] - rounds[0]["after"]
        print(f"memory after the last round vs the first: {growth:+.0f} MiB "
              f"({'flat: no leak across rounds' if abs(growth) < 20 else 'GROWING'})")


if __name__ == "__main__":
    main()
