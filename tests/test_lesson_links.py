"""A teacher's lesson link: chosen settings fixed and their controls hidden, like TF Playground's
classroom links, on every page; the share box that builds one."""
import urllib.parse

import pytest

from apptest_helpers import metrics, open_page

PAGES = {  # path, a link setting to hide, its widget's key, a value other than its default
    "logistic": ("app_pages/logistic_regression.py", "lr", "logreg_lr", 0.03),
    "xor": ("app_pages/xor.py", "lr", "xor_lr", 0.03),
    "digits": ("app_pages/digits.py", "lr", "digits_lr", 0.03),
    "backprop": ("app_pages/backprop.py", "lr", "bp_lr", 0.3),
}


def keys(at):
    """The keys of every widget the page drew."""
    return {w.key for kind in ("slider", "select_slider", "radio", "selectbox", "number_input",
                               "toggle", "multiselect", "button_group")
            for w in at.get(kind) if getattr(w, "key", None)}


@pytest.mark.parametrize("name", PAGES)
def test_a_lesson_link_hides_the_controls_it_fixes_and_keeps_them_fixed(name):
    path, setting, key, value = PAGES[name]
    plain = open_page(path)
    assert key in keys(plain)
    at = open_page(path, {setting: str(value), "hide": f"{setting},no_such_setting"})
    assert key not in keys(at)  # hidden
    store = at.session_state[f"{key.split('_')[0]}__settings"]
    assert store[setting] == value  # the link's value, not the default
    assert at.query_params.get("hide") in (setting, [setting])  # kept in the URL
    assert not at.exception
    assert not any("Share as a lesson" in e.label for e in at.expander)
    assert any("lesson link set this page up" in c.value for c in at.sidebar.caption)


def test_a_hidden_setting_with_a_bad_value_falls_back_and_the_page_still_trains():
    at = open_page("app_pages/logistic_regression.py",
                   {"lr": "1e308", "mode": "nonsense", "hide": "lr,mode"})
    store = at.session_state["logreg__settings"]
    assert store["lr"] == 0.3 and store["mode"] == "Full batch"  # the defaults, with a notice
    assert any("Ignored invalid link settings" in t.value for t in at.toast)
    at.button(key="logreg_step").click().run()
    assert metrics(at)["step"] == "1" and not at.exception


def test_intro_off_keeps_only_the_title():
    header = "each step moves uphill"
    shown = open_page("app_pages/logistic_regression.py")
    assert any(header in m.value for m in shown.markdown)
    at = open_page("app_pages/logistic_regression.py", {"intro": "off"})
    assert not any(header in m.value for m in at.markdown)
    assert at.title[0].value == "📈 Logistic regression"
    at.button(key="logreg_step").click().run()  # the URL keeps asking for it, every run
    assert not any(header in m.value for m in at.markdown)
    assert at.query_params.get("intro") in ("off", ["off"])


def test_the_share_box_builds_a_link_that_opens_the_lesson():
    at = open_page("app_pages/xor.py", {"dataset": "circles"})
    at.multiselect(key="xor__lesson_hide").set_value(["dataset", "lr"]).run()
    at.toggle(key="xor__lesson_intro").set_value(True).run()
    link = next(c.value for c in at.code if "hide=" in c.value)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    assert query["hide"] == "dataset,lr" and query["intro"] == "off"
    assert query["dataset"] == "circles" and query["lr"] == "0.3"
    # the learner's view of that link
    lesson = open_page("app_pages/xor.py", query)
    assert {"xor_dataset", "xor_lr"}.isdisjoint(keys(lesson)) and "xor_hidden" in keys(lesson)
    assert lesson.session_state["xor__settings"]["dataset"] == "circles"
    assert not any("straight line" in m.value for m in lesson.markdown)
