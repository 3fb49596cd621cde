"""The logistic-regression page in a real browser: Play advances, Pause stops, no errors."""

import pytest

from browser import step_of, wait_ready

pytestmark = pytest.mark.browser


def reacts_of(page):
    return page.evaluate("+(document.querySelector('.np-live-chart__plot').dataset.reacts || 0)")


def test_play_advances_pause_stops_no_errors(page, app_url):
    page.goto(app_url)  # the home page first: it registers the navigation
    wait_ready(page)
    page.get_by_role("link", name="Logistic regression").first.click()
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length >= 2",
                           timeout=30000)
    assert step_of(page) == 0
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_timeout(3000)
    step_playing, reacts_playing = step_of(page), reacts_of(page)
    assert step_playing > 0 and reacts_playing > 3
    page.get_by_role("button", name="⏸ Pause").click()
    page.wait_for_timeout(1500)  # Pause takes effect in well under a second
    step_paused, reacts_paused = step_of(page), reacts_of(page)
    assert step_paused >= step_playing
    page.wait_for_timeout(1500)
    assert (step_of(page), reacts_of(page)) == (step_paused, reacts_paused)  # stopped
    # the surface shows a trained model: the heatmap is no longer flat at P = 0.5
    z_range = page.evaluate("""() => { const d = document.querySelector('.np-live-chart__plot');
        const z = d._fullData[0].z; let lo = 1, hi = 0;
        for (const row of z) for (const v of row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        return hi - lo; }""")
    assert z_range > 0.5
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
