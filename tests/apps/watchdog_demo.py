"""Demo for ui.live_watchdog (tests/test_watchdog_browser.py): a page that says it plays, with
a button whose whole run works for a few seconds before it reaches the watchdog, as the digit
page's "Train to convergence" does."""
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import streamlit as st  # noqa: E402

from ui.live_watchdog import watchdog  # noqa: E402

st.set_page_config(page_title="Watchdog", layout="wide")
runs = st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.button("Work", key="work")
if st.session_state.get("work"):
    time.sleep(float(st.query_params.get("work", 5)))
st.markdown(f"whole runs: {runs}")
watchdog("demo", playing=True, after=float(st.query_params.get("after", 2)))
