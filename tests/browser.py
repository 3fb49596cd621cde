"""Run a Streamlit script on a local port and find Chromium, for browser tests.

Plain functions (no pytest), so they also serve hand-run measurement scripts::

    with streamlit_server("tests/apps/live_chart_demo.py") as url:
        ...
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Localhost only: never through a proxy from the environment.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# What a server's log must never hold while the app is used: a stack trace, or a warning from
# Streamlit (a widget given a default and a Session State value, a deprecated argument, a
# missing static folder, ...). Streamlit logs warnings without a level name, so they are
# matched by their wording.
LOG_PROBLEMS = re.compile(
    r"Traceback|Exception|Error:|WARNING|Warning|warning|Session State API|deprecat|"
    r"will be removed|Uncaught|Failed to|Cached ForwardMsg MISS")
# Every server started by start_streamlit and not yet stopped: its process, by URL.
RUNNING: dict[str, subprocess.Popen] = {}
# Problems found in the logs of servers stopped since the last look (see log_problems).
_STOPPED_PROBLEMS: list[str] = []


def chromium_path() -> str | None:
    """Debian's Chromium, or whatever ``chromium`` is on PATH; None if there is none."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(proc: subprocess.Popen, limit: int = 3000) -> str:
    log = getattr(proc, "log_path", None)
    if log is None or not Path(log).exists():
        return ""
    return Path(log).read_text(errors="replace")[-limit:]


def start_streamlit(
    script_path: str | os.PathLike[str], port: int | None = None, timeout: float = 60.0
) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run script_path`` from the repo root; wait until it is healthy.

    Returns the process and the app's URL. Server output goes to a temp file
    (``proc.log_path``), quoted in the error if the server does not come up.
    """
    port = port or free_port()
    script = Path(script_path)
    if not script.is_absolute():
        script = REPO_ROOT / script
    log_path = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = log_path  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{port}"

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{_log_tail(proc)}")
        try:
            with _LOCAL.open(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    proc.log_checked = 0  # type: ignore[attr-defined]
                    RUNNING[url] = proc
                    return proc, url
        except OSError:
            pass
        time.sleep(0.2)
    stop_streamlit(proc)
    raise TimeoutError(f"streamlit not healthy after {timeout:.0f} s:\n{_log_tail(proc)}")


def _new_problems(proc: subprocess.Popen) -> list[str]:
    """Lines of the server's log written since the last call that match LOG_PROBLEMS."""
    log = getattr(proc, "log_path", None)
    if log is None or not Path(log).exists():
        return []
    text = Path(log).read_bytes()
    new = text[getattr(proc, "log_checked", 0):]
    proc.log_checked = len(text)  # type: ignore[attr-defined]
    lines = new.decode(errors="replace").splitlines()
    blocks, k = [], 0  # a problem line, or a whole traceback to its exception's line
    while k < len(lines):
        if not LOG_PROBLEMS.search(lines[k]):
            k += 1
            continue
        end = k
        if lines[k].startswith("Traceback"):
            end = k + 1
            while end < len(lines) and end - k < 60 and lines[end][:1] in (" ", "\t"):
                end += 1
        blocks.append(lines[k:end + 1])
        k = end + 1
    kept = []
    for i, block in enumerate(blocks):
        if _client_gone(block) or (block == [ASGI_ERROR] and i + 1 < len(blocks)
                                   and _client_gone(blocks[i + 1])):
            continue
        kept += block
    return kept


ASGI_ERROR = "Exception in ASGI application"


def _client_gone(block: list[str]) -> bool:
    """A traceback of Streamlit 1.67's websocket endpoint letting Starlette's
    WebSocketDisconnected out when a browser closes its connection mid-way (a test's page or
    context closed on a busy machine): about a client already gone, not about the app."""
    return (len(block) > 1 and block[0].startswith("Traceback")
            and block[-1].startswith("starlette.websockets.WebSocketDisconnected")
            and any("streamlit/web/server/starlette/starlette_websocket.py" in line
                    for line in block))


def log_problems() -> list[str]:
    """Problem lines (tracebacks, warnings) that the app servers logged since the last call,
    including servers stopped meanwhile. Browser tests fail on any (tests/conftest.py)."""
    found = list(_STOPPED_PROBLEMS)
    _STOPPED_PROBLEMS.clear()
    for url, proc in list(RUNNING.items()):
        found += [f"{url}: {line}" for line in _new_problems(proc)]
    return found


def stop_streamlit(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server from :func:`start_streamlit` (SIGTERM, then SIGKILL) and delete its log,
    keeping the problem lines it logged for :func:`log_problems`."""
    for url, running in list(RUNNING.items()):
        if running is proc:
            _STOPPED_PROBLEMS.extend(f"{url}: {line}" for line in _new_problems(proc))
            del RUNNING[url]
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    log = getattr(proc, "log_path", None)
    if log is not None:
        Path(log).unlink(missing_ok=True)


@contextlib.contextmanager
def streamlit_server(script_path: str | os.PathLike[str], port: int | None = None) -> Iterator[str]:
    """``with streamlit_server(path) as url:`` runs the app for the block's duration."""
    proc, url = start_streamlit(script_path, port)
    try:
        yield url
    finally:
        stop_streamlit(proc)


def wait_ready(page, timeout: float = 60.0) -> None:
    """Wait until the page is connected to its server and no script run is under way."""
    ms = timeout * 1000
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=ms)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=ms)


def wait_settled(page, quiet: float = 0.5, timeout: float = 60.0) -> None:
    """Wait until the page has been connected with no script run under way for ``quiet``
    seconds in a row.

    A click on a live page reruns its fragments first and then the whole page; on a busy
    machine ``wait_ready`` can fall in the moment between the two, and an element found then
    is replaced a moment later. Before looking at a still page, wait for it to stay still.
    """
    page.evaluate("() => { window.__npIdleSince = null; }")
    page.wait_for_function("""(quiet) => {
        const idle = !!document.querySelector('[data-testid=stApp]'
            + '[data-test-connection-state=CONNECTED][data-test-script-state=notRunning]');
        const now = performance.now();
        if (!idle) { window.__npIdleSince = null; return false; }
        window.__npIdleSince ??= now;
        return now - window.__npIdleSince >= quiet * 1000; }""",
                           arg=quiet, polling=50, timeout=timeout * 1000)


def click_if_enabled(page, name: str, timeout: float = 15.0) -> bool:
    """Click the button ``name`` if it becomes clickable within ``timeout`` s; False if it stays
    disabled (e.g. Pause or "Train to convergence" after a run at full speed has finished)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    try:
        page.get_by_role("button", name=name).click(timeout=timeout * 1000)
        return True
    except PlaywrightTimeoutError:
        return False


def pause(page, tries: int = 3) -> bool:
    """Pause a playing page: click Pause until it greys out (a click on a page that reruns ten
    times a second is now and then dropped by Streamlit; then wait_settled could never see a
    still page). False if Pause was never clickable (the run had ended)."""
    from playwright.sync_api import expect
    button = page.get_by_role("button", name="⏸ Pause").first
    for _ in range(tries):
        if not click_if_enabled(page, "⏸ Pause"):
            return False
        try:
            expect(button).to_be_disabled(timeout=30_000)
            return True
        except AssertionError:
            continue
    raise AssertionError(f"{tries} clicks on Pause did not pause the page")


# An option of a segmented control (a radio button; its help icon is a button too).
SECTION_OPTION = "[data-testid=stButtonGroup] button[role=radio]"


def show_section(page, key: str, param: str, value: str, label: str,
                 timeout: float = 60.0) -> None:
    """Choose the section ``label`` of a page's segmented control (the widget with key ``key``,
    whose choice a link carries as ``param``) and wait until the page shows it: the URL says
    ``param=value`` (written at the end of the run that drew it) and no run is under way.

    ``label`` is matched without a leading emoji: Streamlit draws that apart, as an icon.
    """
    text = label.split(" ", 1)[-1] if not label[:1].isalnum() else label
    page.locator(f".st-key-{key} {SECTION_OPTION}").filter(has_text=text).first.click()
    page.wait_for_function("([p, v]) => new URLSearchParams(location.search).get(p) === v",
                           arg=[param, value], timeout=timeout * 1000)
    wait_ready(page, timeout)


# Every training page shows one status line of live numbers: "step 1,200 · epoch 3.1 · ...".
_STATUS_LINE = ("[...document.querySelectorAll('p')].map(p => p.innerText)"
                ".find(t => t.startsWith('step ')) || ''")


def status_value(page, label: str) -> str:
    """The text after ``label`` in the page's status line ("" if it is not shown)."""
    return page.evaluate("""([line, label]) => {
        const esc = label.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');
        const m = line.match(new RegExp(esc + '[ ]+([0-9.,%e+-]+)'));
        return m ? m[1] : ''; }""", [page.evaluate(_STATUS_LINE), label])


def step_of(page) -> int:
    """The step counter of the status line (0 before the line is drawn)."""
    return int(status_value(page, "step").replace(",", "") or 0)


def wait_for_step(page, condition: str, timeout: float = 60.0, settle: bool = True) -> int:
    """Wait until the status line's step satisfies ``condition`` (a JS expression in ``step``,
    e.g. ``"step === 5"``), then (``settle``) wait for the script run to finish; returns the step.
    A page that plays reruns its live fragment all the time: ``settle=False`` there.

    A click's rerun reaches the page some time after the click returns, so ``wait_ready`` right
    after a click can see the page before the rerun began: wait for what the click should show.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    try:
        page.wait_for_function(f"""() => {{ const m = ({_STATUS_LINE}).match(/^step\\s+([0-9,]+)/);
            if (!m) return false; const step = +m[1].replace(/,/g, ''); return {condition}; }}""",
                               timeout=timeout * 1000)
    except PlaywrightTimeoutError:  # say what the page shows instead
        shown = page.evaluate(f"() => ({_STATUS_LINE})")[:120]
        raise AssertionError(f"no step with {condition} within {timeout:g} s; the status line "
                             f"says {shown!r}") from None
    if settle:
        wait_settled(page, timeout=timeout)
    return step_of(page)


_BOXES = """(selectors) => {
  const box = (e) => { const r = e.getBoundingClientRect();
                       return {x: r.left, y: r.top, width: r.width, height: r.height}; };
  const out = {};
  for (const [name, selector] of Object.entries(selectors)) {
    const found = [...document.querySelectorAll(selector)]
      .filter((e) => e.getBoundingClientRect().width > 0);
    if (!found.length) return null;
    out[name] = name.endsWith('[]') ? found.map(box) : box(found[0]);
  }
  return out; }"""


def boxes(page, selectors: dict, timeout: float = 60.0) -> dict:
    """The boxes ({x, y, width, height}) of the first shown element of each CSS selector, all
    read at one moment, once each is shown; a name ending in "[]" gets every shown element's.

    A chart redrawn between two reads (a live page reruns often, more so on a busy machine) is
    gone for a moment: ``bounding_box()`` on the element found a moment before gives None.
    """
    return page.wait_for_function(_BOXES, arg=selectors, timeout=timeout * 1000).json_value()


def wait_until_still(read, quiet: float = 1.5, timeout: float = 30.0, poll: float = 0.25):
    """Call ``read()`` until it returns the same value for ``quiet`` seconds; return that value.

    For "it stopped" checks (Pause stops the steps, a chart stops redrawing): a busy machine may
    finish a tick or two after the click, so wait for stillness rather than sleep a fixed time.
    Raises TimeoutError if the value still changes after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    value, since = read(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(poll)
        now = read()
        if now != value:
            value, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return value
    raise TimeoutError(f"still changing after {timeout:.0f} s (last value {value!r})")
