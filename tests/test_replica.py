"""Behind nginx (deploy/): a page that moved from a replica that stopped says so, once."""
from streamlit.testing.v1 import AppTest

import ui.replica as R

SCRIPT = """
import ui.replica
ui.replica.moved_notice()
"""


def run(before, monkeypatch):
    """The app's first run in a session whose cookies name ``before`` as the last replica."""
    monkeypatch.setattr(R, "moved_from", lambda: before)
    at = AppTest.from_string(SCRIPT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_plain_server_shows_nothing(monkeypatch):
    monkeypatch.delenv("NEURAL_PLAYGROUND_REPLICA", raising=False)
    assert not run("app2", monkeypatch).info


def test_a_moved_page_says_why_once_and_ok_hides_it(monkeypatch):
    monkeypatch.setenv("NEURAL_PLAYGROUND_REPLICA", "app1")
    at = run("app2", monkeypatch)
    assert "This page moved to another server" in at.info[0].value
    assert "training starts again" in at.info[0].value
    at.button(key="np_moved_ok").click().run()
    assert not at.info
    at.run()
    assert not at.info  # once per session


def test_a_page_on_its_own_replica_shows_nothing(monkeypatch):
    monkeypatch.setenv("NEURAL_PLAYGROUND_REPLICA", "app1")
    assert not run("", monkeypatch).info


def test_moved_from_compares_the_cookies_with_this_replica(monkeypatch):
    class Context:
        cookies = {"np_replica": "app2"}
    monkeypatch.setenv("NEURAL_PLAYGROUND_REPLICA", "app1")
    monkeypatch.setattr(R.st, "context", Context())
    assert R.moved_from() == "app2"
    Context.cookies = {"np_replica": "app1"}
    assert R.moved_from() == ""
    Context.cookies = {"np_replica": "app1", "np_moved": "app3"}
    assert R.moved_from() == "app3"
    monkeypatch.delenv("NEURAL_PLAYGROUND_REPLICA")
    assert R.moved_from() == ""
