"""Two browser sessions on one server train different models without touching each other."""
import pytest

from browser import step_of, wait_for_step, wait_ready

pytestmark = pytest.mark.browser


def open_page(browser, app_url, query):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(app_url)
    wait_ready(page)
    page.goto(f"{app_url}/logistic_regression?{query}")
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length >= 2",
                           timeout=60_000)
    return context, page


def test_two_sessions_are_isolated(browser, app_url):
    ctx_a, a = open_page(browser, app_url, "dataset=overlapping&seed=1&lr=1.0")
    ctx_b, b = open_page(browser, app_url, "dataset=moons&seed=2&lr=0.01")
    try:
        a.get_by_role("button", name="▶ Play").click()
        wait_for_step(a, "step > 5", timeout=90)
        assert step_of(b) == 0  # b never pressed Play
        b.get_by_role("button", name="⏭ Step").click()
        assert wait_for_step(b, "step >= 1") == 1
        a_steps = step_of(a)
        wait_for_step(a, f"step > {a_steps}", timeout=90)  # a kept training while b stepped
        assert step_of(b) == 1  # and b did not move with it
        assert "lr=1.0" in a.url and "lr=0.01" in b.url
        # each session has its own data: the dataset selectors differ
        values = [p.locator("[data-testid=stSelectbox]").first.locator("input").first.input_value()
                  for p in (a, b)]
        assert values[0] != values[1]
        for p in (a, b):
            assert p.locator("[data-testid=stException]").count() == 0
    finally:
        a.get_by_role("button", name="⏸ Pause").click()
        ctx_a.close()
        ctx_b.close()
