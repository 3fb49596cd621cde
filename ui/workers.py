"""Training in the background, fairly: a worker thread per playing run, turns shared by all.

A page's charts should follow training, not pace it. So a playing ``LiveRun`` trains in a
thread of its own (``Worker``), in chunks of about ``CHUNK_SECONDS``, and publishes snapshots;
the page's live fragment only reads the newest one and draws it. Three rules keep a server of
many learners healthy:

- **Turns.** A chunk is taken only during a turn (``TURNS``): at most ``slots`` chunks run at
  once in the whole server, and turns are handed out first come, first served, so every playing
  session gets the same share and a class cannot starve the machine.
- **The session's lock.** While a page's script runs (or a callback changes a model), no worker
  of that session steps: scripts hold ``session_lock()``, workers take it only between chunks
  and never while a script wants it (``SessionLock``).
- **A heartbeat.** The live fragment beats on every tick. A worker whose page stopped beating
  (the tab was closed, the learner went to another page) stops after ``HEARTBEAT_SECONDS`` and
  is started again by the next beat.
"""
import collections
import logging
import os
import threading
import time
from contextlib import contextmanager

import numpy as np
from streamlit import config as st_config

CHUNK_SECONDS = 0.01      # the steps a worker takes in one turn
HEARTBEAT_SECONDS = 5.0   # a worker stops when its page has not beaten for this long
SHARED_SHARE = 0.5        # with several sessions training, at most this share of a slot's time
                          # trains: the rest is left to the pages' scripts (one GIL for all)
SLOTS_VARIABLE = "NEURAL_PLAYGROUND_TRAINING_SLOTS"
WORKERS_VARIABLE = "NEURAL_PLAYGROUND_MAX_TRAINING"
MEMORY_VARIABLE = "NEURAL_PLAYGROUND_SESSION_MB"

log = logging.getLogger(__name__)


def _positive_int(variable, default):
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{variable} must be a whole number, got {text[:20]!r}.") from None
    if value < 1:
        raise ValueError(f"{variable} must be at least 1, got {value}.")
    return value


def max_workers():
    """Runs that may train at once in the server: $NEURAL_PLAYGROUND_MAX_TRAINING, else 64.
    Play beyond that says the server is full (and trains nothing) instead of slowing everyone."""
    return _positive_int(WORKERS_VARIABLE, 64)


def session_megabytes():
    """The memory one page's models may hold in the server: $NEURAL_PLAYGROUND_SESSION_MB,
    else 1024 (every setting the pages offer fits; a classroom server may set less)."""
    return _positive_int(MEMORY_VARIABLE, 1024)


def own_bytes(trainers, shared=()):
    """Bytes the ``trainers`` hold of their own: every array they hold (``Trainer.arrays``),
    each counted once, except those that share memory with ``shared`` (data the server keeps
    once for every session)."""
    seen, total = set(), 0
    for trainer in trainers:
        for a in trainer.arrays():
            if id(a) in seen or any(np.may_share_memory(a, s) for s in shared):
                continue
            seen.add(id(a))
            total += a.nbytes
    return total


def default_slots():
    """Chunks trained at once in the server: $NEURAL_PLAYGROUND_TRAINING_SLOTS, else one core
    less than the machine has (at least one), so pages and the server keep a core to answer."""
    return _positive_int(SLOTS_VARIABLE, max(1, (os.cpu_count() or 2) - 1))


class Turns:
    """At most ``slots`` holders at once, served first come, first served.

    A worker that finishes a chunk and asks again goes to the back of the line, so playing
    sessions take turns round-robin whatever their models cost per step.
    """

    def __init__(self, slots):
        self.slots = slots
        self._cv = threading.Condition()
        self._line = collections.deque()
        self._busy = 0

    @contextmanager
    def turn(self):
        me = object()
        with self._cv:
            self._line.append(me)
            while self._line[0] is not me or self._busy >= self.slots:
                self._cv.wait()
            self._line.popleft()
            self._busy += 1
            self._cv.notify_all()  # the next in line may have a free slot too
        try:
            yield
        finally:
            with self._cv:
                self._busy -= 1
                self._cv.notify_all()

    @property
    def waiting(self):
        return len(self._line)


TURNS = Turns(default_slots())


class SessionLock:
    """One browser session's lock on its runs: scripts first, workers between chunks.

    ``with lock:`` (re-entrant) is for the script thread: a page's run, a fragment, a callback
    that changes a model. ``worker_acquire()`` never waits: it fails while a script holds or
    wants the lock, and the worker tries again a moment later (a lock released and taken back at
    once by a busy worker would otherwise starve the script).
    """

    def __init__(self):
        self._lock = threading.RLock()
        self._count = threading.Lock()
        self._wanted = 0

    def __enter__(self):
        with self._count:
            self._wanted += 1
        self._lock.acquire()
        return self

    def __exit__(self, *exc):
        self._lock.release()
        with self._count:
            self._wanted -= 1

    def worker_acquire(self):
        return not self._wanted and self._lock.acquire(blocking=False)

    def worker_release(self):
        self._lock.release()


def threads_allowed():
    """Workers run in a real server; under AppTest every tick trains in the script instead, so
    that tests step deterministically."""
    return not st_config.get_option("global.appTest")


def session_lock():
    """This browser session's SessionLock (one per session, kept in its state)."""
    import streamlit as st
    return st.session_state.setdefault("_np_session_lock", SessionLock())


_alive = set()
_alive_lock = threading.Lock()


def start_worker(run):
    """Start a Worker for ``run`` (as ``run.worker``) and return it, or None when
    max_workers() runs already train."""
    with _alive_lock:
        _alive.difference_update([w for w in _alive if not w.is_alive()])
        if len(_alive) >= max_workers():
            return None
        worker = run.worker = Worker(run)
        _alive.add(worker)
    worker.start()
    return worker


def training_now():
    """How many runs are training in this server now."""
    with _alive_lock:
        return sum(w.is_alive() for w in _alive)


THREAD_NAME = "np-training"  # the system's name of a worker thread (top -H, /proc/*/task/*/comm)


def name_system_thread(name):
    """Give the calling thread ``name`` in the operating system too (Linux, at most 15
    characters): Python 3.11 names its threads only for itself, so ``top -H``, ``ps -L`` and
    benchmarks/live_speed.py could not tell a training thread from the server's others."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(15, name.encode()[:15], 0, 0, 0)  # 15: PR_SET_NAME
    except (OSError, AttributeError):  # not Linux: the name stays Python's only
        pass


class Worker(threading.Thread):
    """Trains ``run`` while it plays, at its pace, and stops by itself (see the module's rules).

    ``run`` provides: ``running``, ``lock``, ``heartbeat_at``, ``due_steps()`` (how many steps
    are due now, 0 to wait) and ``chunk(n)`` (take them and publish what is due).
    """

    def __init__(self, run):
        super().__init__(daemon=True, name="neural-playground-training")
        self.run_ = run

    def run(self):
        run = self.run_
        name_system_thread(THREAD_NAME)
        try:
            while run.running and run.worker is self:
                if time.monotonic() - run.heartbeat_at > HEARTBEAT_SECONDS:
                    return  # nobody is watching: stop, still "playing"; the next beat restarts
                n = run.due_steps()
                if n <= 0:
                    time.sleep(run.wait_seconds())
                    continue
                with TURNS.turn():
                    if not run.lock.worker_acquire():
                        got = False
                    else:
                        got = True
                        start = time.perf_counter()
                        try:
                            if run.running and run.worker is self:
                                run.chunk(n)
                        finally:
                            run.lock.worker_release()
                        if training_now() > 1:  # a shared server: its pages must keep updating
                            time.sleep((time.perf_counter() - start) * (1 / SHARED_SHARE - 1))
                if not got:
                    time.sleep(0.002)  # the page's script has the run: let it finish
        except Exception as err:  # a bug: say so on the page (and in the log), never spin
            log.exception("training stopped")
            run.error = f"Training stopped unexpectedly ({type(err).__name__}: {err})."
            run.running = False
        finally:
            if run.worker is self:
                run.worker = None
