"""A shared link opened on a server that has served nothing yet: the page as app.py defines it,
from the first frame on (no file names in the navigation at any moment)."""
import pytest

from browser import REPO_ROOT, streamlit_server, wait_for_step, wait_ready

pytestmark = pytest.mark.browser
TITLES = ["Home", "Logistic regression", "XOR and hidden units", "Draw a digit", "Backpropagation"]

# Record every label the sidebar's navigation shows, from the first paint on.
RECORD_NAV = """
window.__navSeen = new Set();
new MutationObserver(() => {
  for (const a of document.querySelectorAll('[data-testid=stSidebarNav] a')) {
    window.__navSeen.add(a.innerText.split('\\n').pop().trim());
  }
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


def test_a_link_as_a_fresh_servers_first_request_opens_the_page_with_its_settings(browser):
    with streamlit_server(REPO_ROOT / "app.py") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.add_init_script(RECORD_NAV)
        page = context.new_page()
        try:
            page.goto(f"{url}/xor?dataset=circles&hidden=8&lr=1.0")
            wait_ready(page)
            page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg')"
                                   ".length >= 3", timeout=60_000)
            wait_ready(page)
            nav = [t.split("\n")[-1] for t in
                   page.locator("[data-testid=stSidebarNav] a").all_inner_texts()]
            assert nav == TITLES
            seen = page.evaluate("[...window.__navSeen]")
            assert seen and set(seen) <= set(TITLES), seen  # never a file name, even briefly
            assert page.locator("h1").first.inner_text().startswith("✖️ XOR")
            dataset = page.locator("[data-testid=stSelectbox]").filter(has_text="Dataset")
            assert dataset.locator("input").first.input_value() == "Circles"
            assert "hidden=8" in page.url and "lr=1.0" in page.url
            assert page.locator("[data-testid=stException]").count() == 0
        finally:
            context.close()


def test_a_teachers_lesson_link_shows_only_the_controls_the_lesson_is_about(page, app_url):
    """Built in the share box, opened by a learner: the hidden controls are not in the
    sidebar, their values are the link's, the introduction is gone, and the page trains."""
    page.goto(f"{app_url}/logistic_regression?dataset=moons&lr=1.0&hide=dataset,n,noise,lr"
              "&intro=off")
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('.np-live-chart__plot .main-svg').length"
                           " >= 2", timeout=60_000)
    wait_ready(page)
    # the sidebar's last control drawn: the labels are all there (a busy machine once read
    # them before)
    page.locator("[data-testid=stWidgetLabel]").filter(has_text="L2 strength").first.wait_for(
        timeout=60_000)
    labels = page.locator("[data-testid=stWidgetLabel]").all_inner_texts()
    assert not {"Dataset", "Number of points", "Noise", "Learning rate η"} & set(labels)
    assert {"Gradient from", "Seed", "L2 strength"} <= set(labels)  # the rest stays
    sidebar = page.locator("[data-testid=stSidebar]").inner_text()
    assert "A lesson link set this page up" in sidebar and "Share as a lesson" not in sidebar
    assert "each step moves uphill" not in page.inner_text("body")
    page.get_by_role("button", name="⏭ Step").click()
    wait_for_step(page, "step === 1")
    assert "hide=dataset%2Cn%2Cnoise%2Clr" in page.url or "hide=dataset,n,noise,lr" in page.url
    assert "dataset=moons" in page.url and "lr=1.0" in page.url
    assert page.locator("[data-testid=stException]").count() == 0
