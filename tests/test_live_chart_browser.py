"""ui.live_chart in headless Chromium: updates in place while playing, stops on Pause."""

from pathlib import Path

import pytest

from browser import streamlit_server, wait_ready

pytestmark = pytest.mark.browser

DEMO = Path(__file__).parent / "apps" / "live_chart_demo.py"
PLOTS = ".np-live-chart__plot"

# Everything the test needs from the page in one round trip.
READ_STATE = """() => {
  const plots = Array.from(document.querySelectorAll('.np-live-chart__plot'));
  const tick = document.querySelector('.st-key-tick [data-testid=stMetricValue]');
  return {
    tick: tick ? Number(tick.textContent) : null,
    plots: plots.length,
    drawn: plots.filter((p) => p.querySelector('.main-svg') && p._fullData).length,
    lineLength: plots[0] && plots[0]._fullData ? plots[0]._fullData[0].x.length : null,
    reacts: plots.map((p) => Number(p.dataset.reacts || 0)),
    mounts: window.__npLiveChart ? window.__npLiveChart.mounts : 0,
    widths: plots.map((p) => p.getBoundingClientRect().width),
  };
}"""


@pytest.fixture(scope="module")
def demo_url():
    with streamlit_server(DEMO) as url:
        yield url


def open_demo(page, url):
    page.goto(url)
    wait_ready(page)
    page.wait_for_function(
        f"document.querySelectorAll('{PLOTS} .main-svg').length >= 2", timeout=20_000
    )
    return page.evaluate(READ_STATE)


def assert_no_errors(page):
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator(".np-live-chart__error:not([hidden])").count() == 0
    assert page.locator("text=BidiComponent Error").count() == 0


def test_play_updates_in_place_and_pause_stops_within_a_second(page, demo_url):
    before = open_demo(page, demo_url)
    assert before["plots"] == 2 and before["drawn"] == 2
    assert before["tick"] == 0 and before["lineLength"] == 1
    # The "streamlit" template's placeholder colours (#000001...) became theme colours.
    stroke = page.evaluate(f"getComputedStyle(document.querySelector('{PLOTS} path.js-line')).stroke")
    assert stroke not in {"rgb(0, 0, 1)", "none", ""}

    page.get_by_role("button", name="Play").click()
    page.wait_for_function(f"({READ_STATE})().tick >= 10", timeout=15_000)
    playing = page.evaluate(READ_STATE)
    # The line grows with the tick (one point per tick). While playing, the chart may trail the
    # tick counter by a frame or two (a busy browser skips frames) or lead it by one (the two
    # are read at different moments); after Pause they agree exactly (checked below).
    assert playing["lineLength"] >= 10
    assert -1 <= playing["tick"] + 1 - playing["lineLength"] <= 3
    assert all(r >= 6 for r in playing["reacts"]), playing  # a slow frame may be skipped
    # Updated in place: still the two plot divs mounted at the start.
    assert playing["mounts"] == 2 and playing["plots"] == 2

    page.get_by_role("button", name="Pause").click()
    page.wait_for_timeout(1000)
    paused = page.evaluate(READ_STATE)
    page.wait_for_timeout(1000)
    later = page.evaluate(READ_STATE)
    assert later["tick"] == paused["tick"]
    assert later["reacts"] == paused["reacts"]
    assert later["lineLength"] == later["tick"] + 1
    assert_no_errors(page)


def test_zoom_survives_updates_and_chart_follows_width(page, demo_url):
    open_demo(page, demo_url)
    # Zoom the line chart the way a user's drag would, then let it update.
    page.evaluate(
        f"window.Plotly.relayout(document.querySelector('{PLOTS}'), "
        "{'xaxis.range': [0, 5], 'xaxis.autorange': false})"
    )
    page.get_by_role("button", name="Play").click()
    start = page.evaluate(READ_STATE)
    page.wait_for_function(
        f"({READ_STATE})().reacts[0] >= {start['reacts'][0] + 5}", timeout=15_000
    )
    page.get_by_role("button", name="Pause").click()
    x_range = page.evaluate(f"document.querySelector('{PLOTS}')._fullLayout.xaxis.range")
    assert x_range == pytest.approx([0, 5])

    wide = page.evaluate(READ_STATE)["widths"]
    page.set_viewport_size({"width": 900, "height": 900})
    page.wait_for_function(
        f"({READ_STATE})().widths.every((w, i) => w < {min(wide)} - 50)", timeout=5_000
    )
    # Plotly redraws at the new width shortly after (its resize is debounced).
    page.wait_for_function(
        f"""Array.from(document.querySelectorAll('{PLOTS}')).every((p) =>
            Math.abs(p.querySelector('.main-svg').getBoundingClientRect().width
                     - p.getBoundingClientRect().width) <= 2)""",
        timeout=5_000,
    )
    assert_no_errors(page)
