"""The logistic-regression page in a real browser: Play advances, Pause stops, no errors.

Waits for conditions with generous deadlines; nothing here measures speed."""

import pytest
from playwright.sync_api import expect

from browser import pause, step_of, wait_for_step, wait_ready, wait_until_still

pytestmark = pytest.mark.browser


def reacts_of(page):
    return page.evaluate("+(document.querySelector('.np-live-chart__plot').dataset.reacts || 0)")


def test_play_advances_pause_stops_no_errors(page, app_url):
    page.goto(app_url)  # the home page first: it registers the navigation
    wait_ready(page)
    page.get_by_role("link", name="Logistic regression").first.click()
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length >= 2",
                           timeout=60_000)
    assert step_of(page) == 0
    reacts_before = reacts_of(page)
    page.get_by_role("button", name="▶ Play").click()
    # training goes on and the surface is redrawn in place as it does
    page.wait_for_function(f"""() => {{
        const line = [...document.querySelectorAll('p')].map(p => p.innerText)
                     .find(t => t.startsWith('step ')) || '';
        const m = line.match(/^step\\s+([0-9,]+)/);
        const plot = document.querySelector('.np-live-chart__plot');
        return m && +m[1].replace(/,/g, '') >= 30 && +(plot.dataset.reacts || 0) >= {reacts_before + 3};
    }}""", timeout=90_000)
    assert pause(page)
    expect(page.get_by_role("button", name="▶ Play")).to_be_enabled(timeout=60_000)
    # paused: the step and the chart stop moving, and stay put
    step_paused, reacts_paused = wait_until_still(lambda: (step_of(page), reacts_of(page)),
                                                  timeout=60)
    page.wait_for_timeout(1500)
    assert (step_of(page), reacts_of(page)) == (step_paused, reacts_paused)
    assert step_paused >= 30
    # the surface shows a trained model: the heatmap is no longer flat at P = 0.5
    z_range = page.evaluate("""() => { const d = document.querySelector('.np-live-chart__plot');
        const z = d._fullData[0].z; let lo = 1, hi = 0;
        for (const row of z) for (const v of row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        return hi - lo; }""")
    assert z_range > 0.5
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stAlertContentError]").count() == 0


PLANE = ".st-key-logreg_surface .np-live-chart__plot"


RING = (f"() => (document.querySelector('{PLANE}')._fullData"
        ".find(d => d.name.startsWith('point #')) || {}).name")


def click_a_training_point(page, exact=True):
    """Click the 6th class-1 training point where the plane draws it; wait until the plane
    rings it (with ``exact=False``, any other point than before: a test point drawn over it
    takes the click, and the training point nearest to it is chosen), and return the ring's
    name ("point #k")."""
    page.wait_for_function(f"document.querySelector('{PLANE}') && "
                           f"document.querySelector('{PLANE}')._fullLayout", timeout=60_000)
    before = page.evaluate(RING)
    # where the 6th class-1 training point is drawn, in page pixels
    target = page.evaluate(f"""() => {{
        const p = document.querySelector('{PLANE}');
        const t = p._fullData.find(d => d.name === 'class 1 (train)');
        const xa = p._fullLayout.xaxis, ya = p._fullLayout.yaxis, r = p.getBoundingClientRect();
        return {{x: t.x[5], y: t.y[5], px: r.left + xa._offset + xa.d2p(t.x[5]),
                 py: r.top + ya._offset + ya.d2p(t.y[5])}}; }}""")
    page.mouse.click(target["px"], target["py"])
    if exact:
        page.wait_for_function(f"""() => {{
            const ring = document.querySelector('{PLANE}')._fullData
                .find(d => d.name.startsWith('point #'));
            return ring && ring.name !== 'point #0' && Math.abs(ring.x[0] - {target['x']}) < 1e-4
                   && Math.abs(ring.y[0] - {target['y']}) < 1e-4; }}""", timeout=60_000)
    else:
        page.wait_for_function(f"({RING})() !== {before!r}", timeout=60_000)
    wait_ready(page)
    return page.evaluate(RING)


def test_clicking_a_point_on_the_plane_chooses_it_for_the_math(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    page.goto(f"{app_url}/logistic_regression?dataset=overlapping")
    wait_ready(page)
    chosen = click_a_training_point(page)
    number = page.locator("[data-testid=stNumberInput]").filter(has_text="Training point #")
    assert number.locator("input").input_value() == chosen.split("#")[1]
    assert page.locator("[data-testid=stException]").count() == 0


# The plane's x axis and the surface image's extent along it.
COVER = f"""() => {{ const p = document.querySelector('{PLANE}');
  const L = p && p._fullLayout, im = L && L.images && L.images[0];
  if (!im) return null;
  return {{lo: +L.xaxis.range[0], hi: +L.xaxis.range[1], from: im.x, to: im.x + im.sizex}}; }}"""


def test_new_data_gets_a_fresh_plane_that_answers_clicks(page, app_url):
    """After a run on the default data, choosing Circles kept the old plane's view: x ran from
    -2.3 to 2.3 while the surface covered -1.2 to 1.2, leaving white bands where white means
    P = ½. New data is drawn afresh; a click on the new plane still chooses a point."""
    page.goto(f"{app_url}/logistic_regression")
    wait_ready(page)
    page.wait_for_function(f"({COVER})() !== null", timeout=60_000)
    before = page.evaluate(COVER)
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function(f"+(document.querySelector('{PLANE}').dataset.reacts || 0) >= 6",
                           timeout=90_000)
    assert pause(page)
    wait_until_still(lambda: step_of(page), timeout=60)
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="Circles").click()
    page.wait_for_function(f"() => {{ const c = ({COVER})(); "
                           f"return c && Math.abs(c.from - {before['from']}) > 0.5; }}",
                           timeout=60_000)
    wait_ready(page)
    c = page.evaluate(COVER)
    slack = 0.02 * (c["to"] - c["from"])
    assert c["from"] - slack <= c["lo"] and c["hi"] <= c["to"] + slack, c
    assert click_a_training_point(page, exact=False) != "point #0"
    assert page.locator("[data-testid=stException]").count() == 0


CURVES = """() => { const p = document.querySelector('.st-key-logreg_curves .np-live-chart__plot');
  const L = p && p._fullLayout;
  if (!L || !p._fullData.length) return null;
  const x = p._fullData[0].x;
  return {last: +x[x.length - 1], right: +L.xaxis.range[1]}; }"""


def test_the_curves_follow_a_run_after_reset(page, app_url):
    """After Reset the loss and accuracy curves stopped at the few steps drawn first (x from
    -1 to 6) while the run went on: the step-0 chart's fixed axes stayed fixed."""
    page.goto(f"{app_url}/logistic_regression")
    wait_ready(page)
    page.wait_for_function(f"({CURVES})() !== null", timeout=60_000)
    for round_ in range(2):  # a first run, then one after Reset
        page.get_by_role("button", name="▶ Play").click()
        page.wait_for_function(f"() => {{ const c = ({CURVES})(); return c && c.last >= 40; }}",
                               timeout=90_000)
        assert pause(page)
        wait_until_still(lambda: step_of(page), timeout=60)
        # the whole curve is in sight: the x axis reaches its last step
        page.wait_for_function(f"() => {{ const c = ({CURVES})(); return c.right >= c.last; }}",
                               timeout=30_000)
        if round_ == 0:
            page.get_by_role("button", name="↺ Reset").click()
            page.wait_for_function(f"() => {{ const c = ({CURVES})(); return c && c.last === 0; }}",
                                   timeout=60_000)


# Every setInterval of the page, so that a test can stop them: Streamlit's timers that rerun
# the live fragments (run_every) are intervals.
RECORD_INTERVALS = """(() => {
  const set = window.setInterval;
  window.__intervals = [];
  window.setInterval = (...args) => { const id = set(...args); window.__intervals.push(id);
                                      return id; };
})()"""


def test_a_playing_page_whose_timer_is_lost_asks_for_a_new_run_and_plays_on(page, app_url):
    """The browser keeps the timer that reruns the live fragment from the page's last whole
    run; should it be lost (seen once under load: no step shown for 7 s after Play), the
    page must not sit still while it says it plays."""
    page.add_init_script(RECORD_INTERVALS)
    page.goto(f"{app_url}/logistic_regression")
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length"
                           " >= 2", timeout=60_000)
    page.get_by_role("button", name="▶ Play").click()
    wait_for_step(page, "step >= 20", settle=False)
    page.evaluate("() => window.__intervals.forEach((id) => clearInterval(id))")
    # no timer: the page is still for a moment (the step shown stops), then asks for a whole
    # new run, which declares the fragment's timer again
    frozen = wait_until_still(lambda: step_of(page), timeout=60)
    wait_for_step(page, f"step >= {frozen + 20}", settle=False)
    assert page.evaluate("window.__npWatchdog.nudges") >= 1
    expect(page.get_by_role("button", name="⏸ Pause")).to_be_enabled()
    assert page.locator("[data-testid=stException]").count() == 0
