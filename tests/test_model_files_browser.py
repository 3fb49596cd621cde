"""Download a model from a page, load it back, and see a bad file refused, in a real browser."""
import re

import pytest

from browser import wait_ready

pytestmark = pytest.mark.browser


def status(page, label):
    line = page.evaluate("[...document.querySelectorAll('p')].map(p => p.innerText)"
                         ".find(t => t.startsWith('step ')) || ''")
    return re.search(re.escape(label) + r"\s+([0-9.,%e+-]+)", line).group(1)


def test_save_reset_load_restores_theta_and_bad_files_change_nothing(page, app_url, tmp_path):
    page.goto(app_url)
    wait_ready(page)
    page.get_by_role("link", name="Logistic regression").first.click()
    wait_ready(page)
    for _ in range(5):
        page.get_by_role("button", name="⏭ Step").click()
        wait_ready(page)
    norm = status(page, "‖θ₁..ₘ‖")
    assert float(norm) > 0
    page.get_by_text("Save or load the model").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="⬇ Model as JSON").click()
    saved = tmp_path / "model.json"
    info.value.save_as(saved)
    assert b'"neural-playground-model"' in saved.read_bytes()

    page.get_by_role("button", name="↺ Reset").click()
    wait_ready(page)
    assert status(page, "step") == "0" and float(status(page, "‖θ₁..ₘ‖")) == 0

    page.locator("input[type=file]").last.set_input_files(str(saved))
    page.wait_for_function("[...document.querySelectorAll('p')].some(p => p.innerText.startsWith('step ')"
                           f" && p.innerText.includes('{norm}'))", timeout=20000)

    assert page.locator("[data-testid=stFileUploader]").last.is_visible()  # still open
    bad = tmp_path / "broken.json"
    bad.write_bytes(saved.read_bytes()[:-30])
    page.locator("input[type=file]").last.set_input_files(str(bad))
    error = page.locator("[data-testid=stAlertContentError]").filter(has_text="broken.json")
    error.wait_for(timeout=15000)
    assert "malformed or truncated" in error.inner_text() and "Nothing was changed" in error.inner_text()
    assert status(page, "‖θ₁..ₘ‖") == norm  # the loaded model is still there
    assert page.locator("[data-testid=stException]").count() == 0
