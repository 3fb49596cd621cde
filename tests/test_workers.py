"""Training in a worker thread: it trains while playing, stops on Pause with the snapshot showing
the last step, stops by itself when nobody watches, shares turns fairly, and says why it stopped.

Every wait is for a condition with a generous deadline; nothing here measures a rate."""
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from core import LogisticRegression, MLPClassifier, Trainer, make_dataset
from ui import live, workers
from ui.live import MAX, LiveRun
from ui.workers import SessionLock, Turns

DEADLINE = 60.0


def wait_for(condition, what, deadline=DEADLINE):
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def threaded_run(learning_rate=0.5, model="logistic", speed=MAX, scale=1.0, **kw):
    X, y = make_dataset("xor" if model == "mlp" else "overlapping", 100, random_state=0)
    X = X * scale

    def build():
        m = (MLPClassifier((4,), learning_rate=learning_rate, max_iter=10**9, tol=0,
                           random_state=0, **kw) if model == "mlp" else
             LogisticRegression(learning_rate=learning_rate, max_iter=10**9, tol=0, **kw))
        return {"m": Trainer(m, X, y)}
    run = LiveRun(build, {})
    run.threaded, run.speed = True, speed
    return run


@pytest.fixture
def runs():
    made = []
    yield made
    for run in made:  # no thread outlives its test
        run.running = False
        if run.worker is not None:
            run.worker.join(10)


def test_a_playing_run_trains_in_its_worker_and_pause_shows_the_last_step(runs):
    run = threaded_run()
    runs.append(run)
    run.play()
    assert run.worker is not None and run.worker.is_alive()
    wait_for(lambda: run.latest["m"].step >= 200, "200 steps published by the worker")
    run.pause()
    stopped_at = run.trainers["m"].step
    assert run.latest["m"].step == stopped_at  # the snapshot after Pause is the last step
    run.worker.join(10) if run.worker else None
    assert run.worker is None
    assert run.trainers["m"].step == stopped_at and run.steps == stopped_at
    # the history follows the published snapshots, in order
    steps = run.histories["m"].get("step")
    assert steps[0] == 0 and steps[-1] == stopped_at and np.all(np.diff(steps) > 0)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux's /proc")
def test_a_worker_thread_carries_its_name_in_the_system(runs):
    """``top -H`` and benchmarks/live_speed.py find the training thread by this name."""
    run = threaded_run()
    runs.append(run)
    main = Path(f"/proc/self/task/{threading.get_native_id()}/comm").read_text().strip()
    run.play()
    wait_for(lambda: run.latest["m"].step >= 10, "10 steps published by the worker")
    comm = Path(f"/proc/self/task/{run.worker.native_id}/comm").read_text().strip()
    run.pause()
    assert comm == workers.THREAD_NAME != main


def test_step_while_paused_and_play_again_go_on_from_the_same_weights(runs):
    run = threaded_run()
    runs.append(run)
    run.step_once(5)
    assert run.latest["m"].step == 5 and run.worker is None  # Step trains in the caller
    run.play()
    wait_for(lambda: run.latest["m"].step > 50, "training to go on after a Step")
    run.pause()
    reference = threaded_run()
    reference.step_once(run.trainers["m"].step)  # the same steps, taken in one go
    np.testing.assert_allclose(run.latest["m"].theta, reference.latest["m"].theta, rtol=1e-12)


def test_a_worker_stops_when_the_page_stops_beating_and_a_beat_restarts_it(runs, monkeypatch):
    monkeypatch.setattr(workers, "HEARTBEAT_SECONDS", 0.3)
    run = threaded_run()
    runs.append(run)
    run.play()
    wait_for(lambda: run.worker is None, "the unwatched worker to stop")
    assert run.running  # still playing: the page resumes when the learner comes back
    step = run.trainers["m"].step
    run.beat()
    wait_for(lambda: run.trainers["m"].step > step, "a beat to start training again")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_diverging_run_stops_its_worker_with_the_step_and_the_advice(runs):
    run = threaded_run(learning_rate=10.0, scale=1e300)
    runs.append(run)
    run.play()
    wait_for(lambda: not run.running, "the diverged run to stop")
    wait_for(lambda: run.worker is None, "the worker to end")
    assert run.error.startswith("m: ") and "learning rate" in run.error.lower()


def test_a_bug_in_training_stops_the_run_with_a_message_instead_of_spinning(runs, monkeypatch):
    run = threaded_run()
    runs.append(run)

    def broken(n):
        raise RuntimeError("boom")
    monkeypatch.setattr(run.trainers["m"], "take", broken)
    monkeypatch.setattr(workers.log, "exception", lambda *a, **k: None)
    run.play()
    wait_for(lambda: run.worker is None, "the worker to end")
    assert not run.running and "RuntimeError: boom" in run.error


def test_a_rebuilt_run_stops_the_old_runs_worker(runs, monkeypatch):
    state = {}
    monkeypatch.setattr(live.st, "session_state", state)
    monkeypatch.setattr(live, "session_lock", SessionLock)
    X, y = make_dataset("overlapping", 100, random_state=0)

    def build():
        return {"m": Trainer(LogisticRegression(max_iter=10**9, tol=0), X, y)}
    old = live.get_run("k", {"the data": 1}, build)
    old.threaded = True
    runs.append(old)
    old.play()
    wait_for(lambda: old.trainers["m"].step > 10, "the first run to train")
    new = live.get_run("k", {"the data": 2}, build)
    runs.append(new)
    wait_for(lambda: old.worker is None, "the old run's worker to stop")
    assert new.running and "the data changed" in new.notice


def test_no_step_is_taken_while_a_script_holds_the_sessions_lock(runs):
    run = threaded_run()
    runs.append(run)
    run.play()
    wait_for(lambda: run.trainers["m"].step > 10, "training to start")
    with run.lock:
        step = run.trainers["m"].step
        for _ in range(20):  # the worker keeps trying all the while
            time.sleep(0.01)
            assert run.trainers["m"].step == step
    wait_for(lambda: run.trainers["m"].step > step, "training to go on after the script")


def test_a_worker_cannot_take_the_lock_a_script_holds_or_waits_for():
    lock = SessionLock()
    with lock:
        assert not lock.worker_acquire()
    assert lock.worker_acquire()
    lock.worker_release()


def test_turns_go_round_robin_with_at_most_slots_at_once():
    turns = Turns(slots=1)
    order, busy, most = [], [0], [0]
    guard = threading.Lock()
    everyone_in = threading.Barrier(3)

    def worker(name):
        everyone_in.wait()
        for _ in range(30):
            with turns.turn():
                with guard:
                    busy[0] += 1
                    most[0] = max(most[0], busy[0])
                    order.append(name)
                time.sleep(0.001)
                with guard:
                    busy[0] -= 1
    threads = [threading.Thread(target=worker, args=(n,)) for n in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert most[0] == 1 and len(order) == 90
    # once all three are in line, each gets one turn in three
    settled = order[3:-3]
    assert all(len(set(settled[i:i + 3])) == 3 for i in range(len(settled) - 2)), order


def test_a_set_speed_paces_the_steps_by_the_clock(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])
    run = threaded_run(speed=10)
    run._step_seconds = 1e-4  # a chunk could hold 100 steps
    assert run.due_steps() == 1  # the first step at once
    run._taken += 1
    assert run.due_steps() == 0 and 0 < run.wait_seconds() <= 0.05
    clock[0] += 0.55  # five more are due, not a chunk
    assert run.due_steps() == 5
    run._taken += 5
    clock[0] += 30.0  # far behind (a busy machine): one step, and the pace starts again
    assert run.due_steps() == 1
    run.speed = MAX
    assert run.due_steps() == 100


def test_a_full_server_says_so_instead_of_training(runs, monkeypatch):
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "1")
    first, second = threaded_run(), threaded_run()
    runs += [first, second]
    first.play()
    wait_for(lambda: first.trainers["m"].step > 0, "the first run to train")
    second.play()
    assert not second.running and second.worker is None
    assert "as many as it allows" in second.notice and second.trainers["m"].step == 0
    first.pause()
    first.worker.join(10) if first.worker else None
    second.play()  # a place is free again
    wait_for(lambda: second.trainers["m"].step > 0, "the second run to train")


def test_slots_come_from_the_environment_with_a_clear_error(monkeypatch):
    monkeypatch.setenv(workers.SLOTS_VARIABLE, "3")
    assert workers.default_slots() == 3
    for bad in ("two", "0"):
        monkeypatch.setenv(workers.SLOTS_VARIABLE, bad)
        with pytest.raises(ValueError, match=workers.SLOTS_VARIABLE):
            workers.default_slots()
        monkeypatch.setenv(workers.WORKERS_VARIABLE, bad)
        with pytest.raises(ValueError, match=workers.WORKERS_VARIABLE):
            workers.max_workers()
    monkeypatch.delenv(workers.WORKERS_VARIABLE)
    assert workers.max_workers() == 64
    monkeypatch.delenv(workers.SLOTS_VARIABLE)
    assert workers.default_slots() >= 1


def test_with_several_sessions_training_a_worker_rests_as_long_as_it_trained(runs, monkeypatch):
    """One GIL serves every session's training and every page's script: with more than one
    session training, each chunk is followed by a rest as long as itself (SHARED_SHARE), so
    the pages keep updating; alone, a worker never rests."""
    rests = []
    real_sleep = time.sleep

    def sleep(seconds):
        if threading.current_thread().name == "neural-playground-training":
            rests.append(seconds)
        real_sleep(seconds)
    monkeypatch.setattr(workers.time, "sleep", sleep)
    alone = threaded_run()
    runs.append(alone)
    alone.play()
    wait_for(lambda: alone.latest["m"].step >= 300, "300 steps alone")
    # only its fixed short waits (for a due step, for the page's script), never a rest that
    # follows a chunk
    assert set(rests) <= {0.001, 0.002}, sorted(set(rests))
    other = threaded_run()
    runs.append(other)
    other.play()
    wait_for(lambda: workers.training_now() == 2, "two sessions training")
    rests.clear()
    wait_for(lambda: len([r for r in rests if r > 0]) >= 20, "rests after chunks")
    assert workers.SHARED_SHARE == 0.5


def test_between_gives_the_snapshots_published_since_the_last_tick_evenly_spread(runs,
                                                                                monkeypatch):
    """A fragment that reruns every other tick shows, before the newest snapshot, the one
    published nearest the middle of the two reruns; each snapshot is shown once, in order."""
    clock = [100.0]
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])
    run = threaded_run()
    run.threaded = False  # published by hand here, at known times
    assert run.between("m", 2) == []  # the first tick: nothing was shown before
    for _ in range(5):  # five snapshots 0.03 s apart, steps 10, 20, ..., 50
        clock[0] += 0.03
        run.advance(10)
    steps = [s.step for s in run.between("m", 2)]
    # the previous tick showed step 0 at t=100.00, the latest is step 50 at t=100.15: the
    # middle is t=100.075, nearest the snapshot of step 20 (t=100.06) or 30 (t=100.09)
    assert steps in ([20], [30])
    assert run.between("m", 2) == []  # nothing new since: no frame to add
    clock[0] += 0.03
    run.advance(10)
    assert run.between("m", 2) == []  # only the latest is new: it is drawn as the figure
    for _ in range(6):
        clock[0] += 0.03
        run.advance(10)
    three = [s.step for s in run.between("m", 4)]
    assert len(three) == 3 and three == sorted(set(three)) and 60 < three[0] and three[-1] < 120
    assert run.between("m", 1) == []  # one frame a tick: the latest only
