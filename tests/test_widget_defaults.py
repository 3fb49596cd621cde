"""Every setting's widget carries the page's value as its default, not Streamlit's.

On a busy server, a fragment's rerun and the page's rerun can cross so that the browser draws a
widget afresh, without its state: it then takes the widget's default and sends it back as the
learner's choice. With Streamlit's defaults (a slider's minimum, the first option) every
setting of the page came back as its minimum mid-lesson (seen in 3 of 15 tries of five Steps
beside two busy processes: 200 points became 20, η = 0.3 became 0.0001, and training restarted).
With the page's value as the default, a widget drawn afresh shows what it showed before.
"""
import pytest

from apptest_helpers import open_page

LINKS = {
    "app_pages/logistic_regression.py": {"n": "120", "noise": "0.5", "lr": "1.5", "seed": "7",
                                         "mode": "Minibatch", "speed": "500"},
    "app_pages/xor.py": {},
    "app_pages/backprop.py": {"a": "1.5", "b": "-2.0", "c": "4.0", "hidden": "5"},
    "app_pages/digits.py": {},
}


def defaults_and_values(at):
    """(key, the default the browser falls back on, the widget's value) for every keyed widget."""
    rows = []
    for w in at.slider:
        rows.append((w.key, list(w.proto.default),
                     list(w.value) if isinstance(w.value, tuple) else [w.value]))
    for w in at.number_input:
        rows.append((w.key, w.proto.default, w.value))
    for w in at.select_slider:  # the default is an index into the options, shown as text
        rows.append((w.key, [w.options[int(i)] for i in w.proto.default],
                     [str(w.format_func(w.value))]))
    for w in list(at.radio) + list(at.selectbox):
        rows.append((w.key, w.proto.default, w.index))
    for w in at.toggle:
        rows.append((w.key, w.proto.default, w.value))
    return [row for row in rows if row[0]]


@pytest.mark.parametrize("path", list(LINKS))
def test_each_widget_falls_back_on_the_pages_value(path):
    at = open_page(path, LINKS[path], timeout=120)
    rows = defaults_and_values(at)
    for key, default, value in rows:
        assert default == value, (key, default, value)
    assert len(rows) >= 5, rows
