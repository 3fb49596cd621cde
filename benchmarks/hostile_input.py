#!/usr/bin/env python
"""How long each hostile input takes to be refused (goal: well under 1 s each).

The cases are the test suite's own (tests/test_hostile_input.py: model files, CSV files,
settings, drawings a user or an attacker can hand the engine). The suite checks that each is
refused with the right exception, a clear message, little memory and no change; this script
times the refusals, which a test must not do on a shared machine. Printed: the slowest cases
(median of ``--repeats`` refusals each) and whether every one is under the goal.

    python benchmarks/hostile_input.py [--repeats 5] [--top 10]
"""
import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
import test_hostile_input as cases  # noqa: E402

GOAL_SECONDS = 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    warnings.simplefilter("ignore", RuntimeWarning)  # overflow in the hostile numbers: expected
    world = cases.make_world()
    rows = []
    for case in cases.ALL:
        call = case.make()  # the input is built before anything is timed
        seconds = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            try:
                call(world)
            except case.error:
                pass
            else:
                sys.exit(f"{case.id}: not refused")
            seconds.append(time.perf_counter() - started)
        rows.append((statistics.median(seconds), case.id))
    rows.sort(reverse=True)
    print(f"{len(rows)} hostile inputs, median of {args.repeats} refusals each; the slowest:")
    for seconds, name in rows[:args.top]:
        print(f"  {seconds * 1000:8.1f} ms  {name}")
    slowest = rows[0][0]
    print(f"slowest {slowest * 1000:.1f} ms: every refusal under {GOAL_SECONDS:g} s "
          f"{'OK' if slowest < GOAL_SECONDS else 'MISSED'}")
    return 0 if slowest < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
