"""Behind nginx with several replicas (deploy/): say so when a page moved to another replica.

A trained model lives in the process that trained it. When that replica stops, the browser
reconnects (or is reloaded) through nginx to a live replica: the settings come back from the
link, the model starts again from the beginning. ``moved_notice`` tells the learner that, once.

The signal: nginx sets the cookie ``np_replica`` on each WebSocket handshake to the name of the
replica that took it (deploy/nginx.conf.template), and Streamlit reads a session's cookies from
its own handshake. So a new session's cookie still names the replica that held the browser's
previous live session; when that is not this process ($NEURAL_PLAYGROUND_REPLICA), the page
moved. The browser reconnects by itself within seconds, so that first new session is the one
that sees the old name; nginx then also sets ``np_moved`` (the old name, for two minutes), so a
reload soon after still explains. Without nginx's cookies or the variable (one plain process)
nothing is shown.
"""
import os

import streamlit as st

REPLICA_VARIABLE = "NEURAL_PLAYGROUND_REPLICA"
COOKIES = ("np_replica", "np_moved")  # the last live session's replica; a recent move's
_STATE = "_np_moved_from"  # checked once per session: the old replica's name, or ""
_SEEN = "_np_moved_seen"

MESSAGE = ("**This page moved to another server** of the playground, usually because the one "
           "it was on stopped. Your settings came back from the page's link; the trained model "
           "stayed behind, so training starts again from the beginning: press ▶ Play.")


def moved_from() -> str:
    """The replica that held this browser's previous live session, if it was another one."""
    here = os.environ.get(REPLICA_VARIABLE, "").strip()
    if not here:
        return ""
    try:
        cookies = st.context.cookies
        before = [cookies.get(name) for name in COOKIES]
    except Exception:  # no browser connection (bare mode): nothing to compare
        return ""
    # (AppTest's context holds mocks, not strings)
    before = [value.strip() if isinstance(value, str) else "" for value in before]
    return next((name for name in before if name and name != here), "")


def _dismiss():
    st.session_state[_SEEN] = True


def moved_notice():
    """Call once at the top of every run, before the page: on a session's first run, find out
    whether the page moved from another replica; if so, show one notice until dismissed.
    Without $NEURAL_PLAYGROUND_REPLICA (one plain process) it does nothing at all."""
    if not os.environ.get(REPLICA_VARIABLE, "").strip():
        return
    if _STATE not in st.session_state:
        st.session_state[_STATE] = moved_from()
    if st.session_state[_STATE] and not st.session_state.get(_SEEN):
        with st.container(key="np_moved_notice"):
            st.info(MESSAGE, icon="🔁")
            st.button("OK", key="np_moved_ok", on_click=_dismiss,
                      help="Hide this message.")
