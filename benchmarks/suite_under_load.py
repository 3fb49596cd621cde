"""Run the whole test suite several times while CPU-bound processes compete for the cores.

A classroom server or a shared CI runner is rarely idle. This script starts ``--hogs`` processes
that each spin a core (``while True: pass``), runs ``python -m pytest`` ``--runs`` times beside
them, and prints for each run: passed / failed / skipped, the wall time and the load average.
It exits 1 if any run failed, so it can serve as a CI job.

Usage (from the repository root, in the project's venv):

    python benchmarks/suite_under_load.py                 # 3 runs, 2 hogs
    python benchmarks/suite_under_load.py --runs 1 --hogs 2 -- -m browser -x

Arguments after ``--`` go to pytest.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# pytest's last line: "326 passed, 2 skipped in 152.17s (0:02:32)", with or without "=" rules
SUMMARY = re.compile(r"^=* ?(\d+ \w+.*?) in ([0-9.]+)s", re.MULTILINE)


def start_hogs(n):
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def stop(procs):
    for p in procs:
        p.kill()
    for p in procs:
        p.wait()


def counts(summary):
    """{'passed': 326, 'failed': 1, ...} from pytest's last line."""
    return {kind: int(n) for n, kind in re.findall(r"(\d+) (\w+)", summary)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hogs", type=int, default=2, help="CPU-bound processes beside the suite")
    parser.add_argument("--log-dir", default=None,
                        help="keep each run's full pytest output here (default: a temp folder)")
    args, pytest_args = parser.parse_known_args(argv)
    pytest_args = [a for a in pytest_args if a != "--"]
    log_dir = Path(args.log_dir or f"/tmp/suite-under-load-{os.getpid()}")
    log_dir.mkdir(parents=True, exist_ok=True)

    print(f"{os.cpu_count()} cores, {args.hogs} CPU hog(s), {args.runs} run(s) of "
          f"python -m pytest {' '.join(pytest_args)}; logs in {log_dir}", flush=True)
    hogs = start_hogs(args.hogs)
    results = []
    try:
        for k in range(1, args.runs + 1):
            start = time.monotonic()
            log = log_dir / f"run{k}.log"
            with open(log, "w") as out:
                code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-rfEs",
                                        *pytest_args], cwd=ROOT, stdout=out,
                                       stderr=subprocess.STDOUT)
            seconds = time.monotonic() - start
            text = log.read_text(errors="replace")
            lines = [m.group(1) for m in SUMMARY.finditer(text)]
            summary = lines[-1] if lines else f"no pytest summary (exit {code})"
            failed = [line.split(" - ")[0] for line in text.splitlines()
                      if line.startswith(("FAILED ", "ERROR "))]
            load = os.getloadavg()[0]
            results.append(code)
            print(f"run {k}: exit {code} · {summary} · {seconds:.0f} s · load average "
                  f"{load:.1f}", flush=True)
            for line in failed:
                print(f"    {line}", flush=True)
    finally:
        stop(hogs)
    ok = sum(code == 0 for code in results)
    print(f"{ok} of {len(results)} runs passed with {args.hogs} CPU hog(s) beside them")
    return 0 if ok == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
