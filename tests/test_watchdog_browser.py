"""ui.live_watchdog in headless Chromium: a playing page whose charts stop moving asks for a
whole new run, but never while a run is under way. A whole run that works for longer than the
watchdog's patience (the digit page's "Train to convergence" on a busy machine) was stopped by
it half-way, and its run left paused (tests/test_digit_training.py)."""
from pathlib import Path

import pytest

from browser import streamlit_server, wait_ready

pytestmark = pytest.mark.browser

DEMO = Path(__file__).parent / "apps" / "watchdog_demo.py"

# Live charts counted as moving: the test's own counter stands for them.
MOVE = """() => { window.__npLiveChart ??= { updates: 0 };
  window.__moving = setInterval(() => { window.__npLiveChart.updates += 1; }, 100); }"""
STILL = "() => clearInterval(window.__moving)"
NUDGES = "() => (window.__npWatchdog ?? { nudges: 0 }).nudges"


@pytest.fixture(scope="module")
def demo_url():
    with streamlit_server(DEMO) as url:
        yield url


def test_the_watchdog_waits_for_a_long_run_and_then_for_the_charts(page, demo_url):
    page.goto(f"{demo_url}/?after=2&work=5")
    wait_ready(page)
    page.get_by_text("whole runs: 1").wait_for(timeout=60_000)
    page.evaluate(MOVE)
    page.wait_for_timeout(3000)  # charts moving: the watchdog keeps quiet past its 2 s
    assert page.evaluate(NUDGES) == 0
    page.evaluate(STILL)  # the charts stand still while a whole run works for 5 s
    page.get_by_role("button", name="Work").click()
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=running]",
                           timeout=30_000)
    wait_ready(page, timeout=120)
    assert page.evaluate(NUDGES) == 0, "the watchdog cut a whole run short"
    page.get_by_text("whole runs: 2").wait_for(timeout=10_000)
    # the run is over and the charts still stand still: then it asks for a new run
    page.wait_for_function(f"({NUDGES})() >= 1", timeout=60_000)
    page.get_by_text("whole runs: 3").wait_for(timeout=60_000)
