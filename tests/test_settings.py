"""A setting declared once: its parser (links, model files), bounds and check; and the one
number formatter every page uses."""
import math

import pytest

from ui.numbers import num, paren, percent, ptex, tex
from ui.settings import Setting, check, settings

LR = Setting("lr", "Learning rate", 0.3, options=(0.01, 0.1, 0.3, 1.0, 10.0),
             widget="select_slider")
SEED = Setting("seed", "Seed", 0, lo=0, hi=9999, kind=int, widget="number_input")
NOISE = Setting("noise", "Noise", 0.2, lo=0.0, hi=1.0)
MODE = Setting("mode", "Mode", "Full batch", options=("Full batch", "Minibatch"), widget="radio")
FLAG = Setting("flag", "Flag", False, kind=bool, widget="toggle")
SPECS = settings(LR, SEED, NOISE, MODE, FLAG)


@pytest.mark.parametrize("spec, text, value", [
    (LR, "0.3", 0.3), (LR, "10", 10.0), (LR, 10, 10.0), (LR, 0.1, 0.1),
    (SEED, "7", 7), (SEED, 7, 7), (SEED, "7.0", 7), (SEED, 9999, 9999),
    (NOISE, "0.35", 0.35), (NOISE, 1, 1.0), (MODE, "Minibatch", "Minibatch"),
    (FLAG, "true", True), (FLAG, False, False)])
def test_links_and_file_values_parse_to_the_settings_type(spec, text, value):
    parsed = spec.parse(text)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize("spec, bad", [
    (LR, "banana"), (LR, "0.2"), (LR, True), (LR, None), (SEED, 1.5), (SEED, "1.5"),
    (SEED, -1), (SEED, 10_000), (SEED, "a"), (SEED, True), (NOISE, "loud"), (NOISE, 1.01),
    (NOISE, math.nan), (NOISE, "inf"), (NOISE, [0.1]), (NOISE, {"x": 1}), (MODE, "Nope"),
    (MODE, 3), (FLAG, "maybe")])
def test_values_outside_the_declaration_are_refused_with_the_settings_name(spec, bad):
    with pytest.raises(ValueError, match=spec.name):
        spec.parse(bad)


def test_check_refuses_a_whole_set_naming_every_bad_value_and_unknown_names():
    assert check(SPECS, {"lr": "1.0", "seed": 3}) == {"lr": 1.0, "seed": 3}
    with pytest.raises(ValueError) as err:
        check(SPECS, {"lr": "1.0", "seed": 1.5, "noise": "loud", "x" * 10_000: 1})
    message = str(err.value)
    assert "seed" in message and "noise" in message and "no setting of this page" in message
    assert len(message) < 300  # an untrusted name is quoted short, not echoed whole


def test_nearest_moves_a_value_into_bounds_that_moved():
    point = Setting("point", "Point", 0, lo=0, hi=199, kind=int)
    assert point.bounded(hi=13).nearest(130) == 13
    assert point.bounded(hi=13).nearest(5) == 5
    assert LR.nearest(0.2) == 0.3  # no such option any more: the default
    subset = Setting("n", "n", 1347, options=(200, 1347, 5000))
    assert subset.bounded(options=(1000, 5000), default=5000).nearest(1347) == 5000


@pytest.mark.parametrize("x, text, latex", [
    (0, "0", "0"), (-0.0, "0", "0"), (-0.000001, "−1×10⁻⁶", r"-1 \times 10^{-6}"),
    (0.6931471, "0.6931", "0.6931"), (-0.000123, "−0.000123", "-0.000123"),
    (1e-7, "1×10⁻⁷", r"1 \times 10^{-7}"), (1_000_000, "1×10⁶", r"1 \times 10^{6}"),
    (2.0, "2", "2"), (12345.67, "12,346", "12{,}346"), (100000, "100,000", "100{,}000"),
    (math.nan, "NaN", r"\text{NaN}"), (-math.inf, "−∞", r"-\infty"), (0.1 + 0.2, "0.3", "0.3")])
def test_one_notation_for_every_number(x, text, latex):
    assert num(x) == text and tex(x) == latex


def test_factors_in_parentheses_and_percentages():
    assert ptex(-2) == "(-2)" and ptex(2) == "2" and paren(-2) == "(−2)" and paren(0) == "0"
    assert percent(0.953) == "95.3%" and percent(None) == "–" and num(None) == "–"
