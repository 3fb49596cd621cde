"""The app's process-wide set-up: BLAS threads limited, live-training history bounded."""
import subprocess
import sys
from pathlib import Path

import numpy as np

from ui.history import History

ROOT = Path(__file__).resolve().parents[1]


def test_every_blas_pool_gets_one_thread():
    """numpy's and scipy's OpenBLAS both (loaded in that order, as in the app): two pools of two
    threads on two cores fight and run several times slower."""
    code = ("import numpy; from ui.runtime import limit_threads; limit_threads();"
            "from threadpoolctl import threadpool_info;"
            "print([(p['internal_api'], p['num_threads']) for p in threadpool_info()])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "",
                                          "OPENBLAS_NUM_THREADS": ""}).stdout
    pools = eval(out)
    assert [n for api, n in pools if api == "openblas"] == [1, 1], pools
    assert all(n == 1 for _, n in pools), pools


def test_the_server_hands_the_gil_over_within_a_millisecond():
    """A training thread holds the GIL nearly always: the live tick's script and the event loop
    must not wait Python's default 5 ms each time they ask for it."""
    code = ("import sys; before = sys.getswitchinterval();"
            "from ui.runtime import configure_runtime; configure_runtime();"
            "print(before, sys.getswitchinterval())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert float(out[0]) == 0.005 and float(out[1]) == 0.001, out


def test_history_stays_bounded_and_keeps_the_whole_curve():
    h = History(capacity=100)
    for step in range(100_000):
        h.add(step=step, loss=1.0 / (step + 1))
    steps = h.get("step")
    assert len(h) < 100 and len(steps) <= 100
    assert steps[0] == 0 and steps[-1] == 99_999          # first and newest points kept
    assert np.all(np.diff(steps) > 0)
    assert np.diff(steps)[:-1].max() <= 2 * np.diff(steps)[:-1].min()  # evenly thinned
    csv = h.to_csv().splitlines()
    assert csv[0] == "step,loss" and csv[-1].startswith("99999,")


def test_a_secondary_figure_is_rebuilt_on_every_other_call_while_playing():
    from core import LogisticRegression, Trainer, make_dataset
    from ui.live import LiveRun
    X, y = make_dataset("overlapping", 60, random_state=0)
    run = LiveRun(lambda: {"m": Trainer(LogisticRegression(tol=0, max_iter=10**6), X, y)}, {})
    calls = []

    def build():
        calls.append(run.steps)
        return {"step": run.steps}

    run.play()
    shown = []
    for _ in range(6):
        shown.append(run.every("curves", build)["step"])
        run.advance(1)
    assert calls == [0, 2, 4] and shown == [0, 0, 2, 2, 4, 4]
    run.pause()
    assert run.every("curves", build)["step"] == 6  # paused: always the newest
    run.restart()
    run.play()
    assert run.every("curves", build)["step"] == 0  # a reset forgets the kept figure
