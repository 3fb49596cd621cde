"""Download a model from a page, load it back, and see a bad file refused, in a real browser."""
import pytest
from playwright.sync_api import expect

from browser import status_value as status
from browser import wait_for_step, wait_ready

pytestmark = pytest.mark.browser


def test_save_reset_load_restores_theta_and_bad_files_change_nothing(page, app_url, tmp_path):
    page.goto(app_url)
    wait_ready(page)
    page.get_by_role("link", name="Logistic regression").first.click()
    wait_ready(page)
    page.wait_for_url("**/logistic_regression?*", timeout=60_000)  # the page writes its settings
    settings = page.url.split("?", 1)[1]
    for k in range(1, 6):
        page.get_by_role("button", name="⏭ Step").click()
        wait_for_step(page, f"step === {k}")
        # every setting stays as it was (on a busy machine they once all fell to their minimums)
        assert page.url.split("?", 1)[1] == settings
    norm = status(page, "‖θ₁..ₘ‖")
    assert float(norm) > 0
    page.get_by_text("Save or load the model").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="⬇ Model as JSON").click()
    saved = tmp_path / "model.json"
    info.value.save_as(saved)
    assert b'"neural-playground-model"' in saved.read_bytes()

    page.get_by_role("button", name="↺ Reset").click()
    wait_for_step(page, "step === 0")
    assert status(page, "step") == "0" and float(status(page, "‖θ₁..ₘ‖")) == 0

    page.locator("input[type=file]").last.set_input_files(str(saved))
    page.wait_for_function("[...document.querySelectorAll('p')].some(p => p.innerText.startsWith('step ')"
                           f" && p.innerText.includes('{norm}'))", timeout=60_000)
    wait_ready(page)  # the load reruns the page: let that run finish before looking at the rest

    expect(page.locator("[data-testid=stFileUploader]").last).to_be_visible()  # still open
    bad = tmp_path / "broken.json"
    bad.write_bytes(saved.read_bytes()[:-30])
    page.locator("input[type=file]").last.set_input_files(str(bad))
    error = page.locator("[data-testid=stAlertContentError]").filter(has_text="broken.json")
    error.wait_for(timeout=60_000)
    assert "malformed or truncated" in error.inner_text() and "Nothing was changed" in error.inner_text()
    assert status(page, "‖θ₁..ₘ‖") == norm  # the loaded model is still there
    assert page.locator("[data-testid=stException]").count() == 0
