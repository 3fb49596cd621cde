"""Live training shared by every page: one LiveRun per page per browser session.

The pattern: the run lives in ``st.session_state``. While it plays, a worker thread trains it
at the page's speed, up to the engine's (ui/workers.py), and publishes a snapshot about ten
times a second; a fragment with ``run_every`` draws the newest snapshot, so the charts follow
the training without pacing it. Play, Pause, Step and Reset are drawn inside that fragment: a
click redraws the buttons and the charts at once, then the rest of the page follows. Should
the browser lose the fragment's timer, a watchdog asks for a new whole run (ui/live_watchdog.py).

Settings that keep the model's shape (learning rate, batch size, l2, ...) are applied to the
running models; settings that change the data or the architecture rebuild the run and say so.
Under AppTest there are no threads: each tick of the fragment trains a few steps itself.
"""
import collections
import logging
import time
from contextlib import contextmanager

import streamlit as st

from core import TrainingDiverged
from ui.history import History, snapshot_record
from ui.live_chart import live_chart
from ui.live_watchdog import watchdog
from ui.settings import Setting
from ui.workers import (CHUNK_SECONDS, MEMORY_VARIABLE, SessionLock, own_bytes, session_lock,
                        session_megabytes, start_worker, threads_allowed, training_now)

TICK_SECONDS = 0.085        # run_every: about 10 chart updates a second (a run takes some ms too)
SNAPSHOT_SECONDS = 0.05     # a playing run publishes a snapshot at most this often (twice a tick)...
SNAPSHOT_SHARE = 0.2        # ...and spends at most this share of its time on snapshots
RECENT = 6                  # snapshots kept per model for the frames between two ticks (3-4
                            # are published between two reruns; XOR with 32 units: 1.6 MB each)
STEP_BUDGET_SECONDS = 0.04  # without a worker: the steps a tick may take
NOTICE_SECONDS = 8.0        # how long a restart notice stays
FOLLOW_SECONDS = 0.1        # after a click, the charts' head start on the rest of the page
MAX = "max"                 # the speed setting's value for "as fast as the engine goes"

SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, MAX)
DONE_NOTE = "✅ Training is done: every planned pass over the data is taken. ↺ Reset starts again."

log = logging.getLogger(__name__)


def speed_setting(default):
    """A page's speed: gradient steps per second, or MAX (as fast as the engine goes; the
    charts still follow about ten times a second)."""
    return Setting("speed", "Speed (steps per second)", default, options=SPEEDS,
                   widget="select_slider", fmt=lambda v: "max ⚡" if v == MAX else f"{v:,}",
                   help="Gradient steps per second. At max the model trains as fast as the "
                        "engine goes, and the charts show it about ten times a second.")


class LiveRun:
    """Several models trained side by side, step for step, on one data split.

    Parameters
    ----------
    build : callable() -> dict name -> core.Trainer; called again by Reset.
    signature : dict of the settings that required this build (data, architecture, seed).
    record : optional callable(name, trainer, snapshot) -> dict of extra values to keep in
        that model's history (e.g. theta for a trajectory plot).
    lock : the browser session's SessionLock (a fresh one if None).

    ``latest`` (name -> Snapshot) and ``histories`` are what views read; they may be read
    while a worker trains. Anything that reads or changes the models themselves holds
    ``lock`` (page scripts do: app.py holds it while a page runs) or uses ``changing()``.
    """

    def __init__(self, build, signature, record=None, lock=None):
        self.build = build
        self.signature = dict(signature)
        self.record = record
        self.lock = lock if lock is not None else SessionLock()
        self.running = False
        self.worker = None
        self.threaded = False
        self.speed = MAX
        self.heartbeat_at = time.monotonic()
        self.touched = False
        self.fragment_keys = []
        self._notice = (None, 0.0)
        self._in_page_run = False
        self.settled = True  # see live_fragment
        self.frames = 1  # frames a tick of the live fragment draws (see live_fragment)
        self.done_note = None  # the page's words for a finished run (else DONE_NOTE; "": none)
        # a "Train to convergence" not yet finished (ui/digit_training.py)
        self.converge_asked = False
        self.reset()

    # ---- the models -------------------------------------------------------------------------
    def reset(self):
        with self.lock:
            self.trainers = self.build()
            self._figures = {}
            self.error = None
            self.histories = {name: History() for name in self.trainers}
            self.latest = {}
            self._recent = {name: collections.deque(maxlen=RECENT) for name in self.trainers}
            self._shown = {}
            self._step_seconds = 1e-3
            self._taken = 0
            self._pace = None
            self._publish_every = SNAPSHOT_SECONDS
            self._published_at = time.perf_counter()
            self._unpublished = False
            for name, trainer in self.trainers.items():
                self._remember(name, trainer.snapshot())

    def _remember(self, name, snap):
        self.latest[name] = snap
        self._recent[name].append((time.monotonic(), snap))
        extra = self.record(name, self.trainers[name], snap) if self.record else {}
        self.histories[name].add(**snapshot_record(snap), **(extra or {}))

    @property
    def done(self):
        return all(t.done for t in self.trainers.values())

    @property
    def steps(self):
        """The steps taken since the last reset (every model takes them)."""
        return self._taken

    def set_training_data(self, X_train, y_train):
        """Every model trains on these examples from the next step, from its weights as they
        are (see core.Trainer.set_training_data); the snapshots follow at once."""
        with self.changing():
            for trainer in self.trainers.values():
                trainer.set_training_data(X_train, y_train)

    @contextmanager
    def changing(self):
        """``with run.changing():`` change the models by hand (a weight typed in, one update
        applied): no worker steps meanwhile, and the snapshots are taken again after."""
        with self.lock:
            yield
            self.refresh()

    def refresh(self):
        """Snapshot every model again, after its weights were changed by hand between steps."""
        with self.lock:
            self.publish()

    def set_params(self, only=None, **params):
        """Apply shape-preserving hyperparameters to every model that has them (or to the
        models named in ``only``)."""
        with self.lock:
            for name, trainer in self.trainers.items():
                if only is not None and name not in only:
                    continue
                valid = trainer.model.get_params()
                trainer.model.set_params(**{k: v for k, v in params.items() if k in valid})

    # ---- training ---------------------------------------------------------------------------
    def _stop(self, message):
        self.error = message
        self.running = False

    def chunk(self, n_steps):
        """Take n_steps on every model (fewer where training ends) and publish a snapshot if
        one is due. A diverged model stops the run with its message. Called with the lock."""
        start = time.perf_counter()
        for name, trainer in self.trainers.items():
            if trainer.done:
                continue
            try:
                trainer.take(n_steps)
            except TrainingDiverged as err:  # its last finite snapshot stays on show
                self._stop(f"{name}: {err}")
                return
            except ValueError as err:  # a hyperparameter the page let through but the model refuses
                self._stop(f"{name}: {err}")
                return
        self._taken += n_steps
        self._unpublished = True
        elapsed = time.perf_counter() - start
        self._step_seconds = 0.7 * self._step_seconds + 0.3 * elapsed / max(n_steps, 1)
        if self.done:
            self.running = False
        if not self.running or time.perf_counter() - self._published_at >= self._publish_every:
            self.publish()

    def publish(self):
        """A snapshot of every model into ``latest`` and the histories (checked for overflow);
        they cost evaluations, so they never take more than SNAPSHOT_SHARE of the time."""
        start = time.perf_counter()
        for name, trainer in self.trainers.items():
            try:
                snap = trainer.run(0)
            except TrainingDiverged as err:  # the last finite snapshot stays on show
                self._stop(f"{name}: {err}")
                continue
            self._remember(name, snap)
        now = time.perf_counter()
        self._published_at = now
        self._publish_every = max(SNAPSHOT_SECONDS, (now - start) / SNAPSHOT_SHARE)
        self._unpublished = False

    def advance(self, n_steps):
        """Take n_steps on every model now, in the calling thread, and publish the result."""
        with self.lock:
            self.chunk(n_steps)
            if self._unpublished:
                self.publish()

    def due_steps(self):
        """The steps a worker should take now: a chunk's worth at full speed; at a set speed,
        those due since the pace started (0 means wait)."""
        chunk = max(1, int(CHUNK_SECONDS / max(self._step_seconds, 1e-7)))
        if self.speed == MAX:
            return chunk
        now = time.monotonic()
        if self._pace is None:
            self._pace = (now, self._taken)
        t0, s0 = self._pace
        due = s0 + int(self.speed * (now - t0)) + 1 - self._taken
        if due > chunk + self.speed * 0.25:  # far behind (the machine was busy): no burst
            self._pace = (now, self._taken)
            due = 1
        return max(0, min(due, chunk))

    def wait_seconds(self):
        """How long a worker waits when no step is due: until the next one, at most 50 ms."""
        if self.speed == MAX or self._pace is None:
            return 0.001
        t0, s0 = self._pace
        next_at = t0 + (self._taken - s0) / self.speed
        return min(0.05, max(0.001, next_at - time.monotonic()))

    def steps_for_tick(self):
        """Without a worker: the steps one tick takes (the speed's share of a tick, at most
        what fits in STEP_BUDGET_SECONDS)."""
        budget = int(max(1, STEP_BUDGET_SECONDS / max(self._step_seconds, 1e-6)))
        if self.speed == MAX:
            return budget
        return int(max(1, min(round(self.speed * TICK_SECONDS), budget)))

    def beat(self):
        """The page is watching: a worker keeps training (and is started if it stopped). When
        the server trains as many runs as it allows, the run stops with a message instead."""
        self.heartbeat_at = time.monotonic()
        if self.running and self.threaded and (self.worker is None or not self.worker.is_alive()):
            if start_worker(self) is None:  # (it sets self.worker itself, before the start)
                self.running = False
                self.notice = (f"⏳ The server is training for {training_now()} learners "
                               "already, as many as it allows: press ▶ Play again in a moment.")

    # ---- what pages draw between snapshots ----------------------------------------------------
    def between(self, name, frames):
        """The snapshots of model ``name`` to show before ``latest[name]`` on this tick of a
        fragment that draws ``frames`` frames a tick (``live_fragment``): ``frames - 1`` of
        those published since the previous call's latest, the nearest to even spacing in time
        (fewer where fewer were published), oldest first. Call it once per tick and model."""
        latest, now = self.latest.get(name), time.monotonic()
        recent = list(self._recent.get(name, ()))  # a copy: a worker may append meanwhile
        shown, self._shown[name] = self._shown.get(name), (latest, now)
        if frames < 2 or latest is None or shown is None or shown[0] is None:
            return []
        start = next((t for t, snap in recent if snap is shown[0]), shown[1])
        end = next((t for t, snap in recent if snap is latest), now)
        candidates = [(t, snap) for t, snap in recent if shown[0].step < snap.step < latest.step]
        chosen = []
        for k in range(1, frames):
            target = start + (end - start) * k / frames
            later = [c for c in candidates if not chosen or c[1].step > chosen[-1][1].step]
            if later:
                chosen.append(min(later, key=lambda c: abs(c[0] - target)))
        return [snap for _, snap in chosen]

    def every(self, key, build, n=2):
        """``build()`` on one call in ``n`` while playing (and on every call when paused), else
        the figure built last.

        For a secondary live chart (the loss curves beside a surface): the live chart does not
        redraw a figure it already shows, so the browser spends half as much on it.
        """
        calls = self._figures.get(("calls", key), 0)
        self._figures[("calls", key)] = calls + 1
        if key not in self._figures or not self.running or calls % n == 0:
            self._figures[key] = build()
        return self._figures[key]

    @property
    def notice(self):
        text, until = self._notice
        return text if time.monotonic() < until else None

    @notice.setter
    def notice(self, text):
        self._notice = (text, time.monotonic() + NOTICE_SECONDS)

    # ---- what the controls do (on_click callbacks run before the script's rerun) -------------
    def play(self):
        self.touched = True
        if self.error is None and not self.done:
            self.running = True
            self._pace = None
            self.beat()

    def pause(self):
        self.touched = True
        self.running = False
        with self.lock:  # a chunk under way ends first; then the snapshot shows the last step
            if self._unpublished:
                self.publish()

    def step_once(self, n=1):
        self.touched = True
        self.running = False
        self.advance(n)

    def restart(self):
        self.touched = True
        self.running = False
        self.reset()

    def redraw(self):
        """End a callback by redrawing only the run's controls and live charts, at once (the
        default would be the whole page). Call it last: it stops the callback."""
        if self.threaded and self.fragment_keys:
            st.rerun(list(self.fragment_keys))

    def touch(self):
        """End a callback whose change reaches beyond the charts (a preset, a mode): the
        controls and charts are redrawn at once, then the whole page. Call it last."""
        self.touched = True
        self.redraw()

    def _clicked(self, action, *args):
        """A control button's callback. A notice ("restarted", "the server is full") is old
        news once the learner acts on the run; a full server says so again."""
        self._notice = (None, 0.0)
        self.converge_asked = False  # Pause, Step, Reset or Play: the learner takes over
        action(*args)
        self.redraw()


def describe_changes(old, new):
    """What changed between two signatures, in words: "the data and the network"."""
    changed = [k for k in new if old.get(k) != new.get(k)]
    return " and ".join(changed) if changed else "the settings"


def get_run(key, signature, build, record=None, shared=()):
    """The page's LiveRun from session state, rebuilt when ``signature`` changed.

    ``signature`` names, in words, what fixes a run: {"the data": ..., "the network": ...}.
    A rebuilt run keeps playing if it was, and says for a while why it restarted.

    A new run whose models would hold more of the server's memory than a page may
    ($NEURAL_PLAYGROUND_SESSION_MB; arrays sharing memory with ``shared``, the server's own
    copy of the data, are not counted) is refused: the page says so and stops there, the
    previous run is kept, and the same settings are not tried again.
    """
    run = st.session_state.get(key)
    refused = st.session_state.get(f"{key}__refused")
    if refused and refused[0] == dict(signature):
        _refuse(refused[1])
    if run is None or run.signature != dict(signature):
        was_running = run is not None and run.running
        if run is not None:
            run.running = False  # its worker stops
        new = LiveRun(build, signature, record, lock=session_lock())
        need, limit = own_bytes(new.trainers.values(), shared), session_megabytes() * 2**20
        if need > limit:
            del new
            message = (f"These settings would need **{need / 2**20:,.0f} MB** of the server's "
                       f"memory for this page's models, and this server allows "
                       f"{limit / 2**20:,.0f} MB per page ({MEMORY_VARIABLE}): choose fewer "
                       "training examples, fewer copies or a smaller network.")
            st.session_state[f"{key}__refused"] = (dict(signature), message)
            _refuse(message)
        st.session_state.pop(f"{key}__refused", None)
        if run is not None:
            new.running = was_running
            new.notice = (f"🔄 Training restarted from step 0: "
                          f"{describe_changes(run.signature, dict(signature))} changed.")
        run = new
        st.session_state[key] = run
    return run


def _refuse(message):
    st.error(message, icon="🧱")
    st.stop()


def _control_row(run, key, step_size, extra):
    """Play / Pause / Step / Reset in one row that wraps instead of truncating its labels, then
    ``extra()`` (a page's own controls, in the same row), then a restart notice; a divergence
    gets an error under the row."""
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    with row:
        st.button("▶ Play", key=f"{key}_play", on_click=run._clicked, args=(run.play,),
                  type="primary", width="content",
                  disabled=run.running or run.error is not None or run.done)
        st.button("⏸ Pause", key=f"{key}_pause", on_click=run._clicked, args=(run.pause,),
                  disabled=not run.running, width="content")
        st.button("⏭ Step", key=f"{key}_step", on_click=run._clicked,
                  args=(run.step_once, step_size), width="content",
                  disabled=run.error is not None or run.done,
                  help=f"Take {step_size} gradient step{'s' if step_size > 1 else ''} and stop.")
        st.button("↺ Reset", key=f"{key}_reset", on_click=run._clicked, args=(run.restart,),
                  width="content", help="Start again from the same initial weights.")
        if extra is not None:
            extra()
        if run.notice:
            st.caption(run.notice)
        note = DONE_NOTE if run.done_note is None else run.done_note  # ("": said elsewhere)
        if run.done and run.error is None and note:  # why Play and Step are greyed out
            st.caption(note)
    if run.error:
        st.error(f"{run.error}  \nPress **Reset** to start again.", icon="⚠️")


def controls(run, key, step_size=1, extra=None):
    """The run's controls where the page calls this: a fragment of their own, so a click
    redraws them (and the live charts) at once instead of the whole page.

    ``extra()`` draws a page's own controls in the same row. One that changes more than the
    charts ends its callback with ``run.touch()``; the whole page then follows.
    """
    run.threaded = threads_allowed()
    run.fragment_keys = [f"{key}_controls"]

    @st.fragment(key=f"{key}_controls")
    def _controls():
        _control_row(run, key, step_size, extra)

    _controls()


def live_fragment(run, render, speed, frames=1):
    """``render(run)``, redrawn about ten times a second while the run plays (and at once
    after a click on its controls; call ``controls`` first).

    ``frames`` > 1: the fragment reruns only every ``frames`` ticks, and ``render`` sends its
    main chart the states between (``run.between``, ``live_chart(before=...)``), so that chart
    still moves about ten times a second. Each rerun makes the browser render the fragment's
    every element twice (stale, then fresh); on the XOR page, with two CPU cores shared with
    the browser, that is what left the training thread a smaller share of a core.

    ``speed`` is in steps per second, or MAX. ``render`` reads ``run.latest`` and
    ``run.histories``: a worker may be training meanwhile.

    ``run.settled`` tells ``render`` whether to add what only a still chart needs (hover layers):
    False while playing and in the redraw right after a click on the controls, so Pause and
    Step show their step as a cheap update of the charts; the whole page's run that follows
    the click is settled and adds them.
    """
    if speed != run.speed:
        run.speed, run._pace = speed, None
    key = run.fragment_keys[0].removesuffix("_controls") + "_live"
    run.fragment_keys = run.fragment_keys[:1] + [key]
    timer = run.running
    run._in_page_run = True
    watchdog(key, timer and run.threaded)

    run.frames = frames

    @st.fragment(run_every=TICK_SECONDS * frames if timer else None, key=key)
    def _live():
        whole_page, run._in_page_run = run._in_page_run, False
        run.beat()
        if run.running and not run.threaded:
            run.advance(run.steps_for_tick())
        run.settled = not run.running and (whole_page or not run.touched)
        render(run)
        if run.running != timer or run.touched and not whole_page:
            # training ended, or a click: the charts are drawn; the rest of the page follows,
            # a moment later: its messages would otherwise reach the browser with the charts'
            # and hold their drawing back until the whole page is rendered
            run.touched = False
            if run.threaded:  # a browser (AppTest has none, and no threads)
                time.sleep(FOLLOW_SECONDS)
            st.rerun(scope="app")
        run.touched = False

    _live()


def live_frames(run, name, build, **chart):
    """``live_chart(build(snapshot), **chart)`` for model ``name``'s newest snapshot, and while
    the run plays, ``build`` of the snapshots between two reruns drawn first, a tick apart
    (``run.between``; see ``live_fragment``'s ``frames``). Returns what ``live_chart`` returns."""
    shown = ([] if run.settled else run.between(name, run.frames)) + [run.latest[name]]
    figures = [build(snap) for snap in shown]
    return live_chart(figures[-1], before=figures[:-1], spacing=TICK_SECONDS, **chart)


def follow_fragment(run, render, every=1.0):
    """Run ``render(run)`` in a fragment refreshed every ``every`` seconds while playing.

    For the slower views (details, tables, secondary charts): they follow the training without
    costing the browser a redraw on every tick. They may read the models: the session's lock
    is held, so no step is taken meanwhile.
    """

    @st.fragment(run_every=every if run.running else None)
    def _follow():
        with run.lock:
            render(run)

    _follow()
