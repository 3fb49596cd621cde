"""Replicas behind nginx: sticky sessions, and one replica killed while everyone trains.

Starts ``--replicas`` (2) app replicas and nginx on free local ports with deploy/replicas.py
(plain processes, no containers), opens ``--sessions`` (6) browser sessions through nginx (one
headless Chromium, one context per session: each its own cookies, like separate learners) on
the logistic regression page, each with its own seed and learning rate in the link, presses
▶ Play in each, and lets them train. Then it SIGKILLs one replica's process group and watches
``--after`` more seconds. Checks:

- sticky: every session's WebSocket is on the replica nginx first gave its browser, and each
  session keeps its own settings (link and widgets) and its step counter never goes back;
- the other replica's sessions keep training through the kill: the longest stretch without a
  new step on their status line, from ``--before`` seconds before the kill to the end, is at
  most ``--max-gap`` (2) seconds (measured in each page, every 100 ms);
- the killed replica's sessions come back (the page reconnects by itself) and, after a reload,
  show their own settings from the link and the "moved to another server" notice, no error
  element and no traceback; ▶ Play trains them again on the live replica.

Sessions are spread evenly: a new browser context asks nginx once for /_stcore/health and
keeps the replica nginx's hash gave it, or is closed and another one opened while that replica
already has its share. It prints the figures (steps, gaps, times, memory per replica before
and after the sessions trained) and exits 1 on a failed check. Not part of the test suite:
it needs nginx (apt-get install -y nginx) and Chromium, and takes about two minutes.

    python deploy/failover_test.py [--sessions 6] [--before 8] [--after 10]
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(DEPLOY))
import replicas  # noqa: E402
from browser import CHROMIUM_ARGS, chromium_path, wait_ready  # noqa: E402

PAGE = "logistic_regression"
LEARNING_RATES = ("0.01", "0.03", "0.1", "0.3", "1.0", "3.0", "10.0", "30.0")
NOTICE = ".st-key-np_moved_notice"
PLAY = "▶ Play"

# Runs in every page from its first script: every 100 ms, note the status line's step and the
# connection state when they change, with the wall-clock time (the same clock as time.time()).
RECORDER = """
window.__np = {steps: [], conn: []};
setInterval(() => {
  const line = [...document.querySelectorAll('p')].map(p => p.textContent)
    .find(t => t.startsWith('step ')) || '';
  const m = line.match(/^step\\s+([0-9,]+)/);
  const step = m ? +m[1].replace(/,/g, '') : null;
  const app = document.querySelector('[data-testid=stApp]');
  const conn = app ? app.dataset.testConnectionState : null;
  const s = window.__np.steps, c = window.__np.conn;
  if (!s.length || s[s.length - 1][1] !== step) s.push([Date.now() / 1000, step]);
  if (!c.length || c[c.length - 1][1] !== conn) c.push([Date.now() / 1000, conn]);
}, 100);
"""


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (VmRSS in /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _ppids() -> dict[int, int]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    return found


def descendants(root: int, parents: dict[int, int]) -> set[int]:
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(cluster) -> dict:
    """CPU seconds so far: each replica, nginx, the browser (everything else this script
    started: Playwright's driver and Chromium), and the whole machine (busy, all cores)."""
    parents = _ppids()
    groups = {r.name: descendants(r.pid, parents) for r in cluster.replicas}
    groups["nginx"] = descendants(cluster.nginx_pid, parents)
    ours = descendants(os.getpid(), parents) - {os.getpid()}
    groups["browser"] = ours - set().union(*groups.values())
    snap = {name: {pid: cpu_seconds(pid) for pid in pids} for name, pids in groups.items()}
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    snap["machine"] = {0: (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")}
    snap["time"] = time.time()
    return snap


def cpu_share(a: dict, b: dict) -> dict[str, float]:
    """Per group, the share of one core used between snapshots a and b (percent)."""
    elapsed = b["time"] - a["time"]
    return {name: 100 * sum(v - a[name].get(pid, 0.0) for pid, v in b[name].items()) / elapsed
            for name in b if name != "time"}


def free_ports(count: int) -> list[int]:
    """``count`` consecutive free ports on 127.0.0.1 (replica i listens on first + i)."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + count > 65535:
            continue
        ok = True
        for port in range(first, first + count):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return list(range(first, first + count))
    raise RuntimeError("no free ports")


def cookies(ctx) -> dict[str, str]:
    return {c["name"]: c["value"] for c in ctx.cookies()}


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def widgets(page) -> dict[str, str]:
    """The seed and learning-rate widgets' values as the page shows them."""
    return page.evaluate("""() => {
        const seed = document.querySelector('.st-key-logreg_seed input');
        const lr = document.querySelector('.st-key-logreg_lr [data-testid=stSliderThumbValue]');
        return {seed: seed ? seed.value : null, lr: lr ? lr.textContent.trim() : null}; }""")


def wait_drawn(page, timeout: float = 120.0) -> None:
    """Connected, the script done, and the seed and learning-rate widgets drawn (on a busy
    machine the first run may start a moment after the page says it is connected)."""
    wait_ready(page, timeout=timeout)
    page.wait_for_function("""() => document.querySelector('.st-key-logreg_seed input') &&
        document.querySelector('.st-key-logreg_lr [data-testid=stSliderThumbValue]')""",
                           timeout=timeout * 1000)
    wait_ready(page, timeout=timeout)


def step_now(page) -> int | None:
    return page.evaluate("(() => { const s = window.__np.steps; "
                         "return s.length ? s[s.length - 1][1] : null; })()")


def max_gap(steps: list[list], start: float, end: float) -> tuple[float, float]:
    """The longest time in [start, end] without the step increasing, and when it began."""
    times = [t for (t, s), (_, prev) in zip(steps[1:], steps[:-1])
             if s is not None and prev is not None and s > prev and start <= t <= end]
    edges = [start] + times + [end]
    return max((b - a, a) for a, b in zip(edges, edges[1:]))


def went_back(steps: list[list]) -> bool:
    """Did the step counter ever decrease or vanish once training had started?"""
    values = [s for _, s in steps]
    started = next((i for i, s in enumerate(values) if s), None)
    if started is None:
        return False
    later = values[started:]
    return any(s is None or s < prev for prev, s in zip(later, later[1:]))


class Session:
    def __init__(self, index, ctx, replica):
        self.index, self.ctx, self.replica = index, ctx, replica
        self.seed, self.lr = str(101 + index), LEARNING_RATES[index % len(LEARNING_RATES)]
        self.page = None
        self.problems: list[str] = []
        self.figures: dict[str, object] = {}

    def settings_ok(self, where: str) -> bool:
        q, w = query(self.page), widgets(self.page)
        wrong = []
        if q.get("seed") != self.seed or w.get("seed") != self.seed:
            wrong.append(f"seed link {q.get('seed')} widget {w.get('seed')} (own {self.seed})")
        if (q.get("lr") is None or float(q["lr"]) != float(self.lr)
                or w.get("lr") is None or float(w["lr"]) != float(self.lr)):
            wrong.append(f"lr link {q.get('lr')} widget {w.get('lr')} (own {self.lr})")
        if wrong:
            self.problems.append(f"{where}: not its own settings: {'; '.join(wrong)}")
        return not wrong


def open_sessions(browser, url, names, count, viewport):
    """``count`` browser contexts, spread evenly over the replicas by nginx's own choice."""
    share = {name: count // len(names) + (i < count % len(names)) for i, name in enumerate(names)}
    sessions, tried = [], 0
    while len(sessions) < count:
        tried += 1
        if tried > 40 * count:
            raise RuntimeError(f"nginx keeps choosing the same replicas: {share}")
        ctx = browser.new_context(viewport=viewport)
        ctx.add_init_script(RECORDER)
        got = ctx.request.get(f"{url}/_stcore/health").headers.get("x-np-replica", "")
        if share.get(got, 0) > 0:
            share[got] -= 1
            sessions.append(Session(len(sessions), ctx, got))
        else:
            ctx.close()
    return sessions, tried


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--speed", default="20", help="the page's steps per second")
    parser.add_argument("--before", type=float, default=8.0,
                        help="seconds of training before the kill")
    parser.add_argument("--after", type=float, default=10.0,
                        help="seconds watched after the kill")
    parser.add_argument("--max-gap", type=float, default=2.0,
                        help="longest allowed stretch without a step on a surviving session")
    parser.add_argument("--viewport", default="1300x850",
                        help="each page's window size, WIDTHxHEIGHT")
    parser.add_argument("--keep-logs", action="store_true",
                        help="keep the run folder (nginx and replica logs) even on success")
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("Chromium not found at /usr/bin/chromium (apt-get install -y chromium)")
    replicas.nginx_binary()
    from playwright.sync_api import sync_playwright

    run_dir = Path(tempfile.mkdtemp(prefix="np-failover-"))
    ports = free_ports(args.replicas + 1)
    failures: list[str] = []
    t_start = time.time()
    cluster = replicas.start(args.replicas, ports[-1], ports[0], run_dir, quiet=True)
    names = [r.name for r in cluster.replicas]
    print(f"{len(names)} replicas ({', '.join(f'{r.name} :{r.port}' for r in cluster.replicas)})"
          f" behind nginx at {cluster.url}; run folder {run_dir}", flush=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            width, height = (int(v) for v in args.viewport.lower().split("x"))
            viewport = {"width": width, "height": height}
            # warm-up: a replica's first run of a page imports scikit-learn, scipy, plotly...;
            # the baseline is a replica with those loaded and no session open
            for r in cluster.replicas:
                warm = browser.new_page(viewport=viewport)
                warm.goto(f"{r.url}/{PAGE}")
                wait_ready(warm, timeout=120)
                warm.close()
            time.sleep(2)
            mem_before = {r.name: rss_mb(r.pid) for r in cluster.replicas}

            sessions, tried = open_sessions(browser, cluster.url, names, args.sessions, viewport)
            print(f"{len(sessions)} sessions ({tried} browser contexts tried for an even "
                  f"spread): " + ", ".join(f"{n} {sum(s.replica == n for s in sessions)}"
                                           for n in names), flush=True)
            for s in sessions:
                s.page = s.ctx.new_page()
                s.page.goto(f"{cluster.url}/{PAGE}?seed={s.seed}&lr={s.lr}&speed={args.speed}")
                wait_drawn(s.page)
                ws = cookies(s.ctx).get("np_replica")
                if ws != s.replica:
                    s.problems.append(f"not sticky: nginx chose {s.replica}, the page's "
                                      f"WebSocket went to {ws}")
                if s.page.locator(NOTICE).count():
                    s.problems.append("the moved notice shows on a fresh session")
                s.settings_ok("after opening")
            for s in sessions:
                s.page.get_by_role("button", name=PLAY).click()
            for s in sessions:
                s.page.wait_for_function("(window.__np.steps.at(-1) || [0, 0])[1] > 0",
                                         timeout=120_000)
            t_play = time.time()
            cpu_play = cpu_snapshot(cluster)
            print(f"all {len(sessions)} sessions training at speed {args.speed} "
                  f"({t_play - t_start:.0f} s after start)", flush=True)

            # train; look at each page's link and cookies now and then (sticky all along)
            while time.time() - t_play < args.before:
                time.sleep(1.0)
                for s in sessions:
                    changed = "its replica cookie changed before the kill"
                    if (cookies(s.ctx).get("np_replica") != s.replica
                            and changed not in s.problems):
                        s.problems.append(changed)
            for s in sessions:
                s.settings_ok("before the kill")
            mem_trained = {r.name: rss_mb(r.pid) for r in cluster.replicas}
            cpu = cpu_share(cpu_play, cpu_snapshot(cluster))

            victim = cluster.replicas[0]
            moved = [s for s in sessions if s.replica == victim.name]
            kept = [s for s in sessions if s.replica != victim.name]
            steps_at_kill = {s.index: step_now(s.page) for s in sessions}
            t_kill = time.time()
            os.killpg(victim.pid, signal.SIGKILL)
            print(f"killed {victim.name} (pid {victim.pid}) {t_kill - t_play:.1f} s after "
                  f"Play; watching {args.after:.0f} s", flush=True)

            noticed: dict[int, float] = {}
            while time.time() - t_kill < args.after:
                time.sleep(0.25)
                for s in moved:
                    if s.index not in noticed and s.page.locator(NOTICE).count():
                        noticed[s.index] = time.time() - t_kill
            t_end = time.time()
            replicas._reap(victim.pid)

            # the survivors: trained all along, on their own settings, on their own replica
            for s in kept:
                log = s.page.evaluate("window.__np")
                s.figures["steps at kill"] = steps_at_kill[s.index]
                s.figures["steps at end"] = log["steps"][-1][1]
                s.figures["max gap"], at = max_gap(log["steps"], t_kill - args.before / 2,
                                                   t_end)
                s.figures["gap at"] = at - t_kill
                s.figures["max gap before"] = max_gap(log["steps"], t_play + 1,
                                                      t_kill - args.before / 2)[0]
                s.figures["steps/s after"] = ((log["steps"][-1][1] - steps_at_kill[s.index])
                                              / (log["steps"][-1][0] - t_kill))
                if went_back(log["steps"]):
                    s.problems.append("its step counter went back or vanished (restarted)")
                if s.figures["max gap"] > args.max_gap:
                    s.problems.append(
                        f"{s.figures['max gap']:.2f} s without a step around the kill (at most "
                        f"{args.max_gap:g} s)" + (
                            f"; it also went {s.figures['max gap before']:.2f} s without one "
                            f"before, with both replicas up: the machine's load, not the kill"
                            if s.figures["max gap before"] > args.max_gap else ""))
                conn = [c for c in log["conn"]]
                first = next((i for i, c in enumerate(conn) if c[1] == "CONNECTED"), 0)
                lost = [c for c in conn[first:] if c[1] != "CONNECTED"]
                if lost:
                    s.problems.append(f"lost its connection: {lost[0][1]} "
                                      f"{lost[0][0] - t_kill:+.1f} s after the kill")
                if cookies(s.ctx).get("np_replica") != s.replica:
                    s.problems.append("moved off its replica although that one is alive")
                if s.page.locator(NOTICE).count():
                    s.problems.append("shows the moved notice although it did not move")
                s.settings_ok("after the kill")

            # the killed replica's sessions: back by themselves, then reloaded
            for s in moved:
                s.figures["steps at kill"] = steps_at_kill[s.index]
                s.figures["notice after"] = noticed.get(s.index)
                if s.index not in noticed:
                    s.problems.append(f"no moved notice within {args.after:.0f} s of the kill")
                else:  # back by itself: its own settings, no error
                    wait_drawn(s.page)
                    s.settings_ok("back without a reload")
                    if s.page.locator("[data-testid=stException]").count():
                        s.problems.append("an exception element once back")
                t0 = time.time()
                s.page.reload()
                wait_drawn(s.page)
                try:
                    s.page.wait_for_selector(NOTICE, timeout=30_000)
                except Exception:
                    s.problems.append("no moved notice after the reload")
                s.figures["reload to ready"] = time.time() - t0
                s.settings_ok("after the reload")
                if s.page.locator("[data-testid=stException]").count():
                    s.problems.append("an exception element after the reload")
                if "Traceback" in s.page.inner_text("body"):
                    s.problems.append("a traceback on the page after the reload")
                now_on = cookies(s.ctx).get("np_replica")
                s.figures["now on"] = now_on
                if now_on == victim.name or now_on not in names:
                    s.problems.append(f"after the reload its WebSocket is on {now_on}")
                http_on = s.ctx.request.get(f"{cluster.url}/_stcore/health").headers.get(
                    "x-np-replica")
                if http_on != now_on:  # its requests follow its session
                    s.problems.append(f"its requests go to {http_on}, its session is on {now_on}")
            for s in moved:  # and they train again, on the live replica
                start = step_now(s.page) or 0
                s.page.get_by_role("button", name=PLAY).click()
                t0 = time.time()
                try:
                    s.page.wait_for_function(f"(window.__np.steps.at(-1) || [0, 0])[1] > {start}",
                                             timeout=60_000)
                    s.figures["trains again after"] = time.time() - t0
                except Exception:
                    s.problems.append("does not train again after ▶ Play")
            for s in moved:  # the notice's OK hides it
                s.page.locator(NOTICE).get_by_role("button", name="OK").click()
                try:
                    s.page.wait_for_selector(NOTICE, state="detached", timeout=30_000)
                except Exception:
                    s.problems.append("the notice's OK does not hide it")
            mem_end = {r.name: rss_mb(r.pid) for r in cluster.replicas if r is not victim}
            for s in sessions:
                s.ctx.close()
            browser.close()
    finally:
        replicas.stop(run_dir, quiet=True)

    logs = {r.name: Path(r.log).read_text(errors="replace") for r in cluster.replicas}
    for name, text in logs.items():
        if "Traceback" in text:
            failures.append(f"{name}'s log holds a traceback (kept in {run_dir})")

    # ---- figures ----
    print(f"\n{'session':>7} {'replica':>7} {'seed':>5} {'lr':>5} {'steps@kill':>10} "
          f"{'steps@end':>9} {'max gap (s)':>11}  after the kill")
    for s in sessions:
        f = s.figures
        if s.replica == victim.name:
            late = (f"notice after {f['notice after']:.1f} s" if f.get("notice after") is not None
                    else "no notice")
            late += (f"; reload → {f.get('now on')} ready in {f.get('reload to ready', 0):.1f} s"
                     f", notice, own settings")
            if f.get("trains again after") is not None:
                late += f"; Play trains again in {f['trains again after']:.1f} s"
            row = (f"{s.index + 1:>7} {s.replica:>7} {s.seed:>5} {s.lr:>5} "
                   f"{f['steps at kill']!s:>10} {'-':>9} {'-':>11}  {late}")
        else:
            row = (f"{s.index + 1:>7} {s.replica:>7} {s.seed:>5} {s.lr:>5} "
                   f"{f['steps at kill']!s:>10} {f['steps at end']!s:>9} "
                   f"{f['max gap']:11.2f}  kept training, {f['steps/s after']:.0f} steps/s; "
                   f"the longest gap began {f['gap at']:+.1f} s from the kill (before: "
                   f"{f['max gap before']:.2f} s)")
        print(row + ("" if not s.problems else "  FAILED"))
        for problem in s.problems:
            print(f"{'':>9}- {problem}")
            failures.append(f"session {s.index + 1}: {problem}")
    gaps = [s.figures["max gap"] for s in kept]
    print(f"\nsurvivors' longest gap without a step: max {max(gaps):.2f} s, median "
          f"{statistics.median(gaps):.2f} s (limit {args.max_gap:g} s)")
    times = [v for v in noticed.values()]
    if times:
        print(f"moved sessions back with the notice (no reload) after {min(times):.1f}-"
              f"{max(times):.1f} s")
    print("\nmemory (RSS, MiB)      " + "".join(f"{n:>10}" for n in names))
    print("warmed up, no session  " + "".join(f"{mem_before[n]:10.0f}" for n in names))
    print("sessions trained " + " " * 7 + "".join(
        f"{mem_trained[n]:10.0f}" for n in names))
    for n in names:
        k = sum(s.replica == n for s in sessions)
        print(f"  {n}: {k} sessions, {(mem_trained[n] - mem_before[n]) / max(k, 1):+.0f} MiB "
              f"per session")
    for n, v in mem_end.items():
        print(f"  {n} at the end, with the moved sessions reloaded on it too: {v:.0f} MiB")
    print(f"\nCPU while the {len(sessions)} sessions trained before the kill (% of one core): "
          + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items() if k != "machine")
          + f"; the whole machine {cpu['machine']:.0f} of {100 * (os.cpu_count() or 1)} "
          f"(the rest is other work on it); load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"total {time.time() - t_start:.0f} s")
    if failures:
        print(f"\nFAILED ({len(failures)}); logs kept in {run_dir}")
        return 1
    print("\nPASSED: sticky sessions, the other replica's sessions trained through the kill, "
          "the moved sessions came back with their settings and the notice")
    if not args.keep_logs:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        print(f"logs kept in {run_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
