"""A page that should be playing and has stopped moving asks the server for a whole new run.

A live fragment moves because the browser asks for its rerun on a timer, and the browser
keeps that timer from the last whole run of the page that declared it (``run_every``). Every
whole run of the page clears the browser's timers first and sets them again when the script
reaches the fragment. Should a run never get there, or the browser's timer be lost another
way, the page would sit still while it says it plays, and its training would stop a few seconds
later (ui/workers.py: no heartbeat). That was seen once on the digit page under load
(benchmarks/live_speed.py: no step and no redraw for 7 s after Play).

:func:`watchdog` is a tiny component drawn by every whole run, outside the fragments. While the
run plays it watches the live charts' updates (``window.__npLiveChart.updates``, counted by
ui/live_chart.py); after ``after`` seconds without one, and without a script run under way,
it triggers an event, and an event of an element outside any fragment reruns the whole page,
which declares the fragment's timer again. (A nudge during a run would stop that run at its
next element: the digit page's "Train to convergence" on a busy machine was cut short so.)
Its element is in the sidebar, where its empty box moves nothing on the page.
"""
import streamlit as st

AFTER_SECONDS = 6.0  # the slowest speed (1 step/s) updates its charts every second

_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  const all = (window.__npWatchdog ??= { nudges: 0, watches: new Map() });
  clearTimeout(all.watches.get(data.key));
  all.watches.delete(data.key);
  if (!data.after_ms) return;
  const live = () => (window.__npLiveChart ?? {}).updates ?? 0;
  // a script run under way (a whole run that trains at full speed first, say) is no stall:
  // a nudge would stop it half-way
  const busy = () => !!document.querySelector(
    '[data-testid=stApp][data-test-script-state=running]');
  let seen = live(), since = performance.now();
  const check = () => {
    const now = performance.now();
    if (live() !== seen || document.hidden || busy()) {  // (a hidden tab's timers are slowed)
      seen = live();
      since = now;
    } else if (now - since > data.after_ms) {
      all.nudges += 1;
      all.watches.delete(data.key);
      setTriggerValue("stalled", all.nudges);
      return;
    }
    all.watches.set(data.key, setTimeout(check, 500));  // timeouts: not the pages' intervals
  };
  all.watches.set(data.key, setTimeout(check, 500));
}
"""

_component = st.components.v2.component("neural_playground_watchdog", html="<div></div>",
                                        js=_JS)


def watchdog(key, playing, after=AFTER_SECONDS):
    """Draw the watchdog of the live run ``key`` (on every whole run of the page, playing or
    not, so that the elements around it keep their places). ``playing``: whether the page's
    live fragment should be moving now."""
    runs = st.session_state[f"{key}_watchdog_runs"] = st.session_state.get(
        f"{key}_watchdog_runs", 0) + 1  # new data on every whole run: the watch starts afresh
    with st.sidebar:
        _component(key=f"{key}_watchdog",
                   data={"key": key, "run": runs, "after_ms": round(1000 * after) if playing else 0},
                   width="stretch", height="content", on_stalled_change=lambda: None)
