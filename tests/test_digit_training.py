"""The digit page's full-speed training (ui/digit_training.py) when its script run is stopped
half-way: Streamlit stops a run at its next element whenever a rerun is asked for (a stroke on
the pad, a click, the live watchdog), and the run must not be left paused or unfinished.

On a busy CI machine a stopped "Train to convergence" left the run paused at epoch 7 of 30,
Play lit and nothing training, until the test's 300 s deadline."""
import numpy as np
import pytest

from core import MLPClassifier, Trainer
from ui.digit_training import converge_if_asked, quick_fit
from ui.live import LiveRun


class Stopped(Exception):
    """Stands for Streamlit's StopException / RerunException, raised inside the script run."""


def small_run(epochs=6):
    """A run of 80 steps an epoch (fit_fast's first chunk is 64 steps)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)

    def build():
        mlp = MLPClassifier((3,), batch_size=10, max_iter=epochs, tol=0, random_state=0)
        return {"MLP": Trainer(mlp, X[:800], y[:800], X[800:], y[800:])}
    return LiveRun(build, {})


def stop_after(run, calls):
    """Make the run's ``calls``-th advance (from now) stop the script run, as Streamlit does."""
    advance, count = run.advance, [0]

    def stopping(n):
        count[0] += 1
        if count[0] == calls:
            raise Stopped
        return advance(n)
    run.advance = stopping
    return lambda: setattr(run, "advance", advance)


def test_a_stopped_convergence_keeps_the_run_playing_and_goes_on_in_the_next_run():
    run = small_run()
    run.play()
    run.converge_asked = True
    restore = stop_after(run, 2)
    with pytest.raises(Stopped):
        converge_if_asked(run, 6)
    epoch = run.trainers["MLP"].epoch
    assert 0 < epoch < 6
    assert run.running, "a stopped convergence left the run paused"
    assert run.converge_asked  # still asked for: the next run goes on
    restore()
    converge_if_asked(run, 6)
    assert run.done and not run.converge_asked and not run.running


def test_a_click_on_the_controls_cancels_a_convergence_not_yet_finished():
    run = small_run()
    run.play()
    run.converge_asked = True
    run._clicked(run.pause)
    assert not run.converge_asked and not run.running
    converge_if_asked(run, 6)
    assert run.trainers["MLP"].epoch == 0  # Pause meant pause


def test_a_stopped_quick_fit_is_finished_by_the_next_run_and_then_plays():
    run = small_run()
    restore = stop_after(run, 2)
    with pytest.raises(Stopped):
        quick_fit(run, 3)
    assert 0 < run.trainers["MLP"].epoch < 3 and not run.running
    restore()
    quick_fit(run, 3)
    assert run.trainers["MLP"].epoch >= 3
    assert run.running, "a stopped quick fit never started live training"


def test_a_run_reset_to_step_0_stays_there():
    run = small_run()
    quick_fit(run, 3)
    run.restart()
    quick_fit(run, 3)
    assert run.trainers["MLP"].step == 0 and not run.running
