"""Leaving a page and coming back keeps its settings, its data and its trained model."""
import pytest

from browser import status_value, step_of, wait_for_step, wait_ready

pytestmark = pytest.mark.browser


def go(page, title):
    page.locator("[data-testid=stSidebarNav] a").filter(has_text=title).first.click()
    wait_ready(page)


def test_settings_and_the_run_survive_a_visit_to_another_page(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    go(page, "Logistic regression")
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length >= 2",
                           timeout=60_000)
    dataset = page.locator("[data-testid=stSelectbox]").filter(has_text="Dataset")
    dataset.click()
    page.get_by_role("option", name="Moons").click()
    wait_ready(page)
    page.wait_for_function("location.search.includes('dataset=moons')", timeout=60_000)
    for k in range(1, 4):
        page.get_by_role("button", name="⏭ Step").click()
        wait_for_step(page, f"step === {k}")
    loss = status_value(page, "train loss −LL/n")

    go(page, "XOR and hidden units")
    page.wait_for_function("[...document.querySelectorAll('h1')]"
                           ".some(h => h.innerText.includes('XOR and hidden units'))",
                           timeout=60_000)
    go(page, "Logistic regression")
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length >= 2",
                           timeout=60_000)
    wait_for_step(page, "step === 3")
    assert step_of(page) == 3 and status_value(page, "train loss −LL/n") == loss
    dataset = page.locator("[data-testid=stSelectbox]").filter(has_text="Dataset")
    assert dataset.locator("input").first.input_value() == "Moons"
    assert "dataset=moons" in page.url
    assert "restarted" not in page.inner_text("body")
    assert page.locator("[data-testid=stException]").count() == 0
