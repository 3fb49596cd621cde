"""The backpropagation page in a real browser: step backward through L = c(a + 2b) to dL/db."""
from pathlib import Path

import pytest

from browser import show_section, streamlit_server, wait_ready

pytestmark = pytest.mark.browser
APP = Path(__file__).resolve().parents[1] / "app.py"
GRAPH_TEXT = ".st-key-bp_graph .js-plotly-plot text"  # the chart with key="bp_graph"


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server(APP) as url:
        yield url


def svg_texts(page):
    """Every text drawn in the computation-graph figure."""
    return page.evaluate(f"[...document.querySelectorAll('{GRAPH_TEXT}')].map(t => t.textContent)")


def wait_for_text(page, text, timeout=60_000):
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=text,
                           timeout=timeout)


def test_step_backward_to_dL_db_with_the_default_inputs(page, app_url):
    page.goto(app_url)  # the home page first: it registers the navigation
    wait_ready(page)
    page.get_by_role("link", name="Backpropagation").first.click()
    wait_ready(page)
    wait_for_text(page, "Forward pass done: d = 2, e = 5, L = −10")
    page.wait_for_function(f"document.querySelectorAll('{GRAPH_TEXT}').length > 6",
                           timeout=60_000)
    texts = svg_texts(page)
    for value in ("a = 3", "b = 1", "c = −2", "d = 2b = 2", "e = a + d = 5", "L = c · e = −10"):
        assert value in texts, (value, texts)
    assert not any(t.startswith("∂L/∂") for t in texts)

    expected = ["∂L/∂L = 1", "∂L/∂c = 5", "∂L/∂e = −2", "∂L/∂a = −2", "∂L/∂d = −2",
                "∂L/∂b = −4"]
    step = page.get_by_role("button", name="⬅ Step backward")
    for k, text in enumerate(expected, start=1):
        step.click()
        wait_for_text(page, f"Step {k} of 6: {text}")
        wait_ready(page)
        page.wait_for_function(f"(t) => [...document.querySelectorAll('{GRAPH_TEXT}')]"
                               ".some(e => e.textContent === t)", arg=text, timeout=60_000)
    texts = svg_texts(page)
    for text in expected + ["∂d/∂b = 2", "∂e/∂d = 1", "∂L/∂e = c = −2"]:
        assert text in texts, (text, texts)
    # the chain rule for dL/db, rendered by KaTeX: six steps, the last one ends in -4
    katex = page.locator(".stMarkdown .katex-html, [data-testid=stMarkdownContainer] .katex-html")
    assert katex.count() >= 6
    last = page.locator("[data-testid=stMarkdownContainer] .katex-html").nth(5).inner_text()
    assert "∂b" in last and last.replace("\n", "").replace("−", "-").endswith("-4")
    wait_for_text(page, "∂L/∂b = 2c = −4")
    assert step.is_disabled()
    assert page.locator("[data-testid=stException]").count() == 0


def test_clicking_a_point_follows_it_through_the_network_and_the_ledger(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    page.goto(f"{app_url}/backprop")
    wait_ready(page)
    show_section(page, "bp_part", "part", "slow", "② Training in slow motion")
    plot = ".st-key-bp_surface .np-live-chart__plot"
    page.wait_for_function(f"document.querySelector('{plot}') && "
                           f"document.querySelector('{plot}')._fullLayout", timeout=60_000)
    target = page.evaluate(f"""() => {{
        const p = document.querySelector('{plot}');
        const t = p._fullData.find(d => d.name === 'class 1 (train)');
        const xa = p._fullLayout.xaxis, ya = p._fullLayout.yaxis, r = p.getBoundingClientRect();
        return {{x: t.x[3], y: t.y[3], px: r.left + xa._offset + xa.d2p(t.x[3]),
                 py: r.top + ya._offset + ya.d2p(t.y[3])}}; }}""")
    page.mouse.click(target["px"], target["py"])
    # the point nearest the click (arrows and neighbours may overlap the one aimed at)
    page.wait_for_function(f"""() => {{
        const ring = document.querySelector('{plot}')._fullData.find(d => d.name.startsWith('point #'));
        return ring && ring.name !== 'point #0' && Math.abs(ring.x[0] - {target['x']}) < 0.2
               && Math.abs(ring.y[0] - {target['y']}) < 0.2; }}""", timeout=60_000)
    wait_ready(page)
    chosen = page.evaluate(f"document.querySelector('{plot}')._fullData"
                           ".find(d => d.name.startsWith('point #')).name").split("#")[1]
    show_section(page, "bp_part", "part", "example", "③ One example, every derivative")
    wait_for_text(page, f"Point #{chosen}:")
    assert page.locator("[data-testid=stException]").count() == 0
