"""Training the digit page's models at the engine's full speed, with a progress bar.

Live training (ui/live.py) takes a few steps per tenth of a second so that the charts can
follow: pleasant to watch, but MNIST at that pace needs minutes. Two things here run the same
``Trainer`` steps back to back instead, in chunks of about a quarter of a second, each chunk
recorded in the run's history (so the curves show it) and followed by the progress bar:

- the **quick first fit**: a new run (fresh settings, a new network) first trains a few
  epochs, so there is a model to draw on within seconds of opening the page; live training
  then goes on from there;
- **train to convergence**: the rest of the planned epochs at once.

Streamlit stops a script run at its next element whenever a rerun is asked for (a stroke on
the pad, a click, the live watchdog). Either fit then goes on in the next run from where it
stopped, the run playing as before; a click on the run's controls (Pause, Step, Reset, Play)
cancels a convergence not yet finished.
"""
import time

import streamlit as st

CHUNK_SECONDS = 0.25


def _steps_per_epoch(run):
    trainer = run.trainers["MLP"]
    batch = trainer.model.batch_size or len(trainer.X)
    return -(-len(trainer.X) // min(batch, len(trainer.X)))


def fit_fast(run, until_epoch, text, slot):
    """Advance every model of ``run`` until the MLP has seen ``until_epoch`` epochs (or is
    done), in chunks of about CHUNK_SECONDS, under a progress bar saying ``text``, drawn in
    ``slot`` (an ``st.empty()``)."""
    trainer = run.trainers["MLP"]
    start_epoch = trainer.epoch
    goal = until_epoch - start_epoch
    if goal <= 0 or run.done or run.error:
        return
    bar = slot.progress(0.0, text=text)
    steps, started = 64, time.perf_counter()
    last = until_epoch >= trainer.model.max_iter  # then on until the trainers say they are done
    while (trainer.epoch < until_epoch or last) and not run.done and run.error is None:
        remaining = int((until_epoch - trainer.epoch) * _steps_per_epoch(run)) + 1
        tick = time.perf_counter()
        run.advance(min(steps, remaining))
        took = time.perf_counter() - tick
        steps = max(16, int(steps * CHUNK_SECONDS / max(took, 1e-3)))  # aim at CHUNK_SECONDS
        done = min(1.0, (trainer.epoch - start_epoch) / goal)
        bar.progress(done, text=f"{text} {done:.0%} · {time.perf_counter() - started:.1f} s")
    bar.empty()


def quick_fit(run, epochs):
    """Once per new run: ``epochs`` epochs at full speed, then live training. A run reset to
    step 0 by the user is left there (they asked to watch it from the start).

    The progress bar's slot is there on every run, used or not: were it only on the first,
    every element below would sit one place higher on the next run, and Streamlit would mount
    the live charts afresh (blank until drawn again)."""
    slot = st.empty()
    if getattr(run, "quick_fit_done", False):
        return
    if run.trainers["MLP"].step > 0 and not getattr(run, "quick_fit_started", False):
        run.quick_fit_done = True  # stepped before any first fit: left as it is
        return
    run.quick_fit_started = True  # a stopped run goes on with it in the next
    fit_fast(run, epochs, f"A first model at full speed ({epochs:g} "
                          f"epoch{'' if epochs == 1 else 's'}), then it trains on live:", slot)
    run.quick_fit_done = True
    run.play()


def converge_if_asked(run, epochs):
    """While "Train to convergence" is asked for (``run.converge_asked``): the rest of the
    planned epochs at full speed, under a progress bar (call it before the buttons, so they
    show the result). Its slot is there on every run (see quick_fit)."""
    slot = st.empty()
    if not run.converge_asked:
        return
    was_running, run.running = run.running, False  # no live steps meanwhile
    try:
        fit_fast(run, epochs, f"Training to the end of epoch {epochs} at full speed:", slot)
        run.converge_asked = False
    finally:  # also when Streamlit stops this run: the next one goes on (see the top)
        run.running = was_running and not run.done


def _ask_to_converge(run):
    run.converge_asked = True
    run.touch()  # in the controls' row: the whole page follows


def converge_button(run, key, epochs):
    """The button that asks for the rest of the planned epochs at full speed."""
    st.button("⏩ Train to convergence", key=f"{key}_converge",
              disabled=run.done or run.error is not None,
              on_click=_ask_to_converge, args=(run,),
              help=f"All {epochs} planned epochs now, at the engine's full speed (no charts "
                   "drawn meanwhile); the loss has levelled off by then.")
