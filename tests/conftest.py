"""Shared fixtures. Browser tests are marked ``browser`` and use Debian's Chromium."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from browser import (CHROMIUM_ARGS, chromium_path, log_problems, streamlit_server,  # noqa: E402
                     wait_ready)

__all__ = ["wait_ready"]


@pytest.fixture(autouse=True)
def clean_server_log(request):
    """A browser test fails if an app server logged a stack trace or a warning during it."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    yield  # (a server's start-up lines are checked with the first test that uses it)
    problems = log_problems()
    assert not problems, "the app server logged:\n" + "\n".join(problems[:150])


@pytest.fixture
def no_mnist(monkeypatch, tmp_path):
    """The digit page on the bundled 8x8 digits, whatever the environment holds: no copy in
    $NEURAL_PLAYGROUND_MNIST (which README tells users to set) nor in the download cache, none
    remembered by the server, and no download can reach the network. A test may point the page
    to MNIST afterwards."""
    import streamlit as st

    import core.mnist_download
    monkeypatch.setenv("NEURAL_PLAYGROUND_MNIST", str(tmp_path / "none"))
    monkeypatch.setenv("NEURAL_PLAYGROUND_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(core.mnist_download, "MIRRORS", ["http://127.0.0.1:9/"])  # refused
    st.cache_resource.clear()  # forget a copy another test may have loaded


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by Playwright (never `playwright install`: we use the system one)."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "Chromium not found at /usr/bin/chromium: install Debian's chromium "
            "(apt-get install -y chromium) to run browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture can tell that its test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request, tmp_path_factory):
    """A fresh page (own context, so no shared storage) closed after the test.

    When the test fails, its teardown prints what the page was at the end (its URL, its
    WebSocket connections opened and closed, with the time) and saves a screenshot.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    start, sockets = time.monotonic(), []

    def watch(ws):
        sockets.append(f"{time.monotonic() - start:6.1f} s open {ws.url}")
        ws.on("close", lambda _: sockets.append(f"{time.monotonic() - start:6.1f} s closed"))
    page.on("websocket", watch)
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            shot = tmp_path_factory.mktemp("failed") / f"{request.node.name[:80]}.png"
            try:
                page.screenshot(path=str(shot), full_page=True)
                print(f"screenshot: {shot}\nurl: {page.url}", file=sys.stderr)
            except Exception as err:  # the page may be gone: say so, keep the test's own error
                print(f"no screenshot ({err})", file=sys.stderr)
            print("websockets:\n" + "\n".join(sockets), file=sys.stderr)
        context.close()


@pytest.fixture(scope="session")
def app_url(browser):
    """The whole app served once for every browser test of the session, as README starts it
    (serve.py, which serves app.py)."""
    with streamlit_server(REPO_ROOT / "serve.py") as url:
        yield url
