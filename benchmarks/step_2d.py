#!/usr/bin/env python
"""Milliseconds per live-training tick on 2-D data: one gradient step plus a 100x100 surface.

A 2-D page does this on every tick: ``Trainer(model, X, y, grid=make_grid(X, 100)).run(1)``,
i.e. one gradient step, then a Snapshot with the train loss and accuracy and the model's
probabilities on the 10,000 grid points (and, for an MLP, every hidden unit on the grid). This
script times that call for

- LogisticRegression (the page's setup: full batch, lr 0.3),
- MLPClassifier 2-8-8-1 with tanh (full batch: 200 points, batch_size 200),

on 200 points, as the median of many calls after a warm-up. The Trainer is built once
(untimed), as a page does; ``max_iter`` is huge so training never stops during the timing.
For context it also times the pieces: ``run(1)`` without a grid (step + train metrics) and the
surface alone (``probability_surface``), and the page's own setup (a 70/30 train/test split, so
a snapshot also scores the test points).

    python benchmarks/step_2d.py [--runs 500] [--dataset moons] [--threads 1 2]

The goal is "well under 5 ms" per tick: we call it met when the median is under half of that,
2.5 ms, and print the 90th percentile too (the machine is shared and noisy).
"""
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from threadpoolctl import threadpool_limits  # noqa: E402

from core import (DATASETS, LogisticRegression, MLPClassifier, Trainer, make_dataset,  # noqa: E402
                  make_grid, probability_surface, split)

GOAL_MS = 5.0
WELL_UNDER = 0.5  # "well under": the median within half the budget


def models():
    return {
        "LogisticRegression": lambda: LogisticRegression(learning_rate=0.3, max_iter=10**9, tol=0,
                                                         random_state=0),
        "MLP 2-8-8-1 tanh": lambda: MLPClassifier(hidden_layer_sizes=(8, 8), activation="tanh",
                                                  learning_rate=0.3, batch_size=200,
                                                  max_iter=10**9, tol=0, random_state=0),
    }


def time_calls(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    ts = np.empty(runs)
    for i in range(runs):
        t0 = time.perf_counter()
        fn()
        ts[i] = time.perf_counter() - t0
    ts *= 1e3
    return float(np.median(ts)), float(np.percentile(ts, 90)), float(ts.min())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=500, help="timed calls per case (default 500)")
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--n", type=int, default=200, help="points (default 200)")
    p.add_argument("--resolution", type=int, default=100, help="grid points per axis (100)")
    p.add_argument("--dataset", default="moons", choices=sorted(DATASETS))
    p.add_argument("--threads", type=int, nargs="+", default=None,
                   help="BLAS/OpenMP thread limits to try (default: 1 and all cores)")
    args = p.parse_args(argv)
    n_cores = os.cpu_count() or 1
    limits = args.threads or sorted({1, n_cores})

    X, y = make_dataset(args.dataset, args.n, random_state=0)
    grid = make_grid(X, args.resolution)
    X_tr, X_te, y_tr, y_te = split(X, y, 0.3, random_state=0)
    print(f"2-D live-training tick: {args.dataset}, {args.n} points, {args.resolution}x"
          f"{args.resolution} grid ({len(grid.points)} points); median of {args.runs} calls "
          f"after {args.warmup} warm-up calls; {n_cores} cores; numpy {np.__version__}")
    print(f"load   : load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    header = (f"  {'model':20s}{'what':52s}{'median ms':>10s}{'p90 ms':>9s}{'min ms':>9s}")

    verdicts = []
    for limit in limits:
        print(f"\nthread limit {limit} (all BLAS/OpenMP pools):")
        print(header)
        with threadpool_limits(limits=limit):
            for name, make in models().items():
                cases = [
                    ("Trainer(m, X, y, grid).run(1)   <- the goal", lambda: Trainer(
                        make(), X, y, grid=grid), "run"),
                    ("  run(1) without grid (step + train metrics)", lambda: Trainer(
                        make(), X, y), "run"),
                    ("  probability_surface(model, grid) alone", lambda: Trainer(
                        make(), X, y), "surface"),
                    ("  page setup: 70/30 split + test metrics + grid", lambda: Trainer(
                        make(), X_tr, y_tr, X_te, y_te, grid=grid), "run"),
                ]
                for label, build, kind in cases:
                    trainer = build()
                    if kind == "run":
                        fn = lambda tr=trainer: tr.run(1)  # noqa: E731
                    else:
                        trainer.run(1)
                        fn = lambda tr=trainer: probability_surface(tr.model, grid)  # noqa: E731
                    med, p90, lo = time_calls(fn, args.runs, args.warmup)
                    print(f"  {name:20s}{label:52s}{med:10.3f}{p90:9.3f}{lo:9.3f}")
                    if "goal" in label:
                        ok = med < WELL_UNDER * GOAL_MS
                        verdicts.append((limit, name, med, p90, ok))
    print(f"\ngoal: one tick (step + {args.resolution}x{args.resolution} surface) well under "
          f"{GOAL_MS:g} ms (median < {WELL_UNDER * GOAL_MS:g} ms)")
    for limit, name, med, p90, ok in verdicts:
        print(f"  {limit} thread(s)  {name:20s} median {med:6.3f} ms, p90 {p90:6.3f} ms  "
              f"{'MET' if ok else 'MISSED'}  ({med / GOAL_MS:.0%} of the 5 ms budget)")
    print(f"load   : load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
