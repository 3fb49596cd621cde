"""Run a Streamlit script on a local port and find Chromium, for browser tests.

Plain functions (no pytest), so they also serve hand-run measurement scripts::

    with streamlit_server("tests/apps/live_chart_demo.py") as url:
        ...
"""

from __future__ import annotations

import contextlib
import os
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
                    return proc, url
        except OSError:
            pass
        time.sleep(0.2)
    stop_streamlit(proc)
    raise TimeoutError(f"streamlit not healthy after {timeout:.0f} s:\n{_log_tail(proc)}")


def stop_streamlit(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server from :func:`start_streamlit` (SIGTERM, then SIGKILL) and delete its log."""
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


def wait_ready(page, timeout: float = 30.0) -> None:
    """Wait until the page is connected to its server and no script run is under way."""
    ms = timeout * 1000
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=ms)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=ms)


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


def wait_for_step(page, condition: str, timeout: float = 20.0) -> int:
    """Wait until the status line's step satisfies ``condition`` (a JS expression in ``step``,
    e.g. ``"step === 5"``), then wait for the script run to finish; returns the step.

    A click's rerun reaches the page some time after the click returns, so ``wait_ready`` right
    after a click can see the page before the rerun began: wait for what the click should show.
    """
    page.wait_for_function(f"""() => {{ const m = ({_STATUS_LINE}).match(/^step\\s+([0-9,]+)/);
        if (!m) return false; const step = +m[1].replace(/,/g, ''); return {condition}; }}""",
                           timeout=timeout * 1000)
    wait_ready(page, timeout)
    return step_of(page)
