"""Live training shared by every page: one LiveRun per page per browser session.

The pattern (see shared/STREAMLIT.md): the run lives in ``st.session_state``; Play and Pause are
``on_click`` callbacks that flip a flag; a fragment with ``run_every`` takes a few gradient steps
per tick and redraws, so the browser paces the updates and the message queue never fills.
Settings that keep the model's shape (learning rate, batch size, l2, ...) are applied to the
running models; settings that change the data or the architecture rebuild the run and say so.
"""
import time

import numpy as np
import streamlit as st

from core import TrainingDiverged

TICK_SECONDS = 0.1          # run_every: about 10 chart updates per second
STEP_BUDGET_SECONDS = 0.04  # gradient steps per tick are capped to fit in this much time


class History:
    """A bounded record of scalars (or small arrays) per snapshot.

    It keeps at most ``capacity`` points: when full, every other point is dropped and from then
    on only every ``stride``-th record is kept, so a run of any length draws the whole curve at a
    bounded cost (the newest point is always shown).
    """

    def __init__(self, capacity=600):
        self.capacity = capacity
        self.stride = 1
        self._count = 0
        self.rows = []
        self.last = None

    def add(self, **values):
        self.last = values
        if self._count % self.stride == 0:
            self.rows.append(values)
            if len(self.rows) >= self.capacity:
                self.rows = self.rows[::2]
                self.stride *= 2
        self._count += 1

    def __len__(self):
        return len(self.rows)

    def get(self, key):
        """The recorded values of ``key`` (plus the newest), stacked; None if never recorded."""
        rows = self.rows if not self.rows or self.rows[-1] is self.last else self.rows + [self.last]
        values = [r.get(key) for r in rows]
        if not values or all(v is None for v in values):
            return None
        return np.array([np.nan if v is None else v for v in values], dtype=float) \
            if np.ndim(values[0]) == 0 else np.array(values, dtype=float)

    def arrays(self, *keys):
        return {k: self.get(k) for k in keys}

    def to_csv(self):
        """The recorded scalars as CSV text (one row per kept point, vector values skipped)."""
        rows = self.rows if not self.rows or self.rows[-1] is self.last else self.rows + [self.last]
        keys = [k for k in (rows[0] if rows else {}) if np.ndim(rows[0][k]) == 0]
        lines = [",".join(keys)]
        for r in rows:
            lines.append(",".join("" if r.get(k) is None else repr(float(r[k])) if isinstance(
                r.get(k), (float, np.floating)) else str(r[k]) for k in keys))
        return "\n".join(lines) + "\n"


def snapshot_record(snap):
    """The scalars of a Snapshot that curves_figure draws."""
    return dict(step=snap.step, epoch=snap.epoch, train_loss=snap.train_loss,
                test_loss=snap.test_loss, train_accuracy=snap.train_accuracy,
                test_accuracy=snap.test_accuracy)


class LiveRun:
    """Several models trained side by side, step for step, on one data split.

    Parameters
    ----------
    build : callable() -> dict name -> core.Trainer; called again by Reset.
    signature : dict of the settings that required this build (data, architecture, seed).
    record : optional callable(name, trainer, snapshot) -> dict of extra values to keep in
        that model's history (e.g. theta for a trajectory plot).
    """

    def __init__(self, build, signature, record=None):
        self.build = build
        self.signature = dict(signature)
        self.record = record
        self.running = False
        self.notice = None
        self.reset()

    def reset(self):
        self.trainers = self.build()
        self._figures = {}
        self.error = None
        self.histories = {name: History() for name in self.trainers}
        self.latest = {}
        self._step_seconds = 1e-3
        self.ticks = 0
        for name, trainer in self.trainers.items():
            self._remember(name, trainer.snapshot())

    def _remember(self, name, snap):
        self.latest[name] = snap
        extra = self.record(name, self.trainers[name], snap) if self.record else {}
        self.histories[name].add(**snapshot_record(snap), **(extra or {}))

    @property
    def done(self):
        return all(t.done for t in self.trainers.values())

    def set_training_data(self, X_train, y_train):
        """Every model trains on these examples from the next step, from its weights as they
        are (see core.Trainer.set_training_data); the snapshots follow at once."""
        for trainer in self.trainers.values():
            trainer.set_training_data(X_train, y_train)
        self.refresh()

    def refresh(self):
        """Snapshot every model again, after its weights were changed by hand between steps."""
        for name, trainer in self.trainers.items():
            self._remember(name, trainer.snapshot())

    def set_params(self, only=None, **params):
        """Apply shape-preserving hyperparameters to every model that has them (or to the
        models named in ``only``)."""
        for name, trainer in self.trainers.items():
            if only is not None and name not in only:
                continue
            valid = trainer.model.get_params()
            trainer.model.set_params(**{k: v for k, v in params.items() if k in valid})

    def advance(self, n_steps):
        """Take n_steps on every model; a diverged model stops the run with its message."""
        start = time.perf_counter()
        for name, trainer in self.trainers.items():
            if trainer.done:
                continue
            try:
                snap = trainer.run(n_steps)
            except TrainingDiverged as err:
                self.error = f"{name}: {err}"
                self.running = False
                return
            self._remember(name, snap)
        elapsed = time.perf_counter() - start
        self._step_seconds = 0.7 * self._step_seconds + 0.3 * elapsed / max(n_steps, 1)
        self.ticks += 1
        if self.done:
            self.running = False

    def every(self, key, build, n=2):
        """``build()`` on one tick in ``n`` while playing (and on every run when paused), else
        the figure built last.

        For a secondary live chart (the loss curves beside a surface): the live chart does not
        redraw a figure it already shows, so the browser spends half as much on it, and keeps
        up with the ticks on a slow machine.
        """
        if key not in self._figures or not self.running or self.ticks % n == 0:
            self._figures[key] = build()
        return self._figures[key]

    def steps_for_tick(self, wanted):
        """At most ``wanted`` steps, fewer if they would not fit in the tick's time budget."""
        return int(max(1, min(wanted, STEP_BUDGET_SECONDS / max(self._step_seconds, 1e-6))))

    # on_click callbacks: they run before the script, so the rerun sees the new state
    def play(self):
        if self.error is None:
            self.running = True

    def pause(self):
        self.running = False

    def step_once(self, n=1):
        self.running = False
        self.advance(n)

    def restart(self):
        self.running = False
        self.reset()


def describe_changes(old, new):
    """What changed between two signatures, in words: "the data and the network"."""
    changed = [k for k in new if old.get(k) != new.get(k)]
    return " and ".join(changed) if changed else "the settings"


def get_run(key, signature, build, record=None):
    """The page's LiveRun from session state, rebuilt when ``signature`` changed.

    ``signature`` names, in words, what fixes a run: {"the data": ..., "the network": ...}.
    A rebuilt run keeps playing if it was, and says once why it restarted.
    """
    run = st.session_state.get(key)
    if run is None:
        run = LiveRun(build, signature, record)
        st.session_state[key] = run
    elif run.signature != dict(signature):
        changes = describe_changes(run.signature, dict(signature))
        was_running = run.running
        run = LiveRun(build, signature, record)
        run.running = was_running
        run.notice = f"🔄 Training restarted from step 0: {changes} changed."
        st.session_state[key] = run
    return run


def controls(run, key, step_size=1, extra=None):
    """Play / Pause / Step / Reset for a run, in one row that wraps instead of truncating its
    labels, then ``extra()`` (a page's own controls, drawn in the same row). A restart notice
    goes at the row's end (the charts below do not move); a divergence gets an error under it.
    The buttons rerun the page (not just the fragment)."""
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    with row:
        st.button("▶ Play", key=f"{key}_play", on_click=run.play, type="primary",
                  disabled=run.running or run.error is not None or run.done, width="content")
        st.button("⏸ Pause", key=f"{key}_pause", on_click=run.pause,
                  disabled=not run.running, width="content")
        st.button("⏭ Step", key=f"{key}_step", on_click=run.step_once, args=(step_size,),
                  disabled=run.error is not None or run.done, width="content",
                  help=f"Take {step_size} gradient step{'s' if step_size > 1 else ''} and stop.")
        st.button("↺ Reset", key=f"{key}_reset", on_click=run.restart, width="content",
                  help="Start again from the same initial weights.")
        if extra is not None:
            extra()
        if run.notice:
            st.caption(run.notice)
            run.notice = None
    if run.error:
        st.error(f"{run.error}  \nPress **Reset** to start again.", icon="⚠️")


def live_fragment(run, render, steps_per_tick):
    """Run ``render(run)`` in a fragment that trains ``steps_per_tick`` steps per tick while playing."""

    @st.fragment(run_every=TICK_SECONDS if run.running else None)
    def _live():
        start = time.perf_counter()
        if run.running:
            run.advance(run.steps_for_tick(steps_per_tick))
            if not run.running:  # finished or diverged: rerun the page so the buttons update
                st.rerun(scope="app")
        render(run)
        run.render_seconds = 0.8 * getattr(run, "render_seconds", 0.0) + 0.2 * (time.perf_counter() - start)

    _live()


def follow_fragment(run, render, every=1.0):
    """Run ``render(run)`` in a fragment refreshed every ``every`` seconds while playing.

    For the slower views (details, tables, secondary charts): they follow the training without
    costing the browser a redraw on every tick.
    """

    @st.fragment(run_every=every if run.running else None)
    def _follow():
        start = time.perf_counter()
        render(run)
        run.follow_seconds = time.perf_counter() - start

    _follow()
