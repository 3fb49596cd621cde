"""A page's settings, each declared once: its widget, its URL parser and its bounds.

TF Playground's ``state.ts`` declares every setting once and derives the rest; so do we. A
``Setting`` knows its label, default and bounds (a range or a list of options). From that one
declaration come the widget, the parser for a link's text, and the check a model file's values
must pass.

Values live in state of the page's own (``st.session_state["<page>__settings"]``), not only in
the widgets: Streamlit forgets a widget's value when the widget is not drawn (the learner went
to another page, or a mode hid it), and the page restores it from there. A widget is never
given a default value of its own, so it never clashes with a value set from a link or a file.

A page calls, in this order::

    values = restore(PAGE, SETTINGS)        # the page's values: the link's on a first visit
    lr = widget(PAGE, SETTINGS["lr"])       # each widget, wherever the page wants it
    write_url(PAGE, SETTINGS)               # the link now reproduces the page

and ``stage(PAGE, SETTINGS, values)`` + ``st.rerun()`` to set several values at once (a
loaded model file, a preset), which ``restore`` applies before the widgets exist.

A teacher's lesson link (TF Playground's ``_hide`` flags) also carries ``hide=lr,batch``: the
settings named there keep the link's values and draw no widget, so the learner sees only the
controls the lesson is about; and ``intro=off`` hides the page's introduction.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st


@dataclass(frozen=True)
class Setting:
    """One setting of a page.

    Parameters
    ----------
    name : its name in the URL, in model files, and in the widget's key (``<page>_<name>``).
    label : the widget's label.
    default : the value before anyone chose one.
    options : for a choice: the values allowed (a link's text matches by value, "10" is 10.0).
    lo, hi : for a number: the bounds, inclusive; ``kind`` is int or float.
    step : the widget's step, for numbers.
    widget : "slider", "select_slider", "radio", "selectbox", "number_input", "toggle",
        "segmented" (a segmented control) or "multiselect" (its value is a tuple of options,
        in the options' order).
    fmt : how an option is shown (format_func).
    help : the widget's help text.
    in_url : False for view settings that a link does not carry (which point is inspected).
    """
    name: str
    label: str
    default: Any
    options: tuple | None = None
    lo: float | None = None
    hi: float | None = None
    kind: type = float
    step: float | None = None
    widget: str = "slider"
    fmt: Callable | None = None
    help: str | None = None
    in_url: bool = True

    def parse(self, value):
        """A link's text, or a model file's value, as a valid value; ValueError if it is not.

        Numbers must be of the right kind (a seed of 1.5 is refused, not rounded) and within
        bounds; choices must be one of the options, text matched as text or numbers by value.
        """
        if self.widget == "multiselect":
            items = value.split(",") if isinstance(value, str) else value
            if not isinstance(items, (list, tuple)):
                raise ValueError(f"{self.name} must be a list of {', '.join(self.options)}")
            chosen = {self._choose(item.strip() if isinstance(item, str) else item)
                      for item in items if not (isinstance(item, str) and not item.strip())}
            return tuple(option for option in self.options if option in chosen)
        if self.options is not None:
            return self._choose(value)
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("true", "1"):
                return True
            if str(value).lower() in ("false", "0"):
                return False
            raise ValueError(f"{self.name} must be true or false")
        number = _number(value, self.kind, self.name)
        if self.lo is not None and number < self.lo or self.hi is not None and number > self.hi:
            raise ValueError(f"{self.name} must be within {_show(self.lo)}..{_show(self.hi)}")
        if self.kind is int and self.step and self.lo is not None and (number - self.lo) % self.step:
            raise ValueError(f"{self.name} must be {_show(self.lo)} plus a multiple of "
                             f"{_show(self.step)}")
        return number

    def _choose(self, value):
        for option in self.options:
            if type(option) is type(value) and option == value or str(option) == str(value):
                return option
        for option in self.options:
            if isinstance(option, (int, float)) and not isinstance(option, bool):
                try:
                    if float(value) == option and not isinstance(value, bool):
                        return option
                except (TypeError, ValueError):
                    break
        shown = ", ".join(_show(o) for o in self.options[:12])
        raise ValueError(f"{self.name} must be one of {shown}")

    def text(self, value) -> str:
        """The value as a link writes it."""
        if self.widget == "multiselect":
            return ",".join(map(str, value))
        return str(value).lower() if isinstance(value, bool) else str(value)

    def valid(self, value) -> bool:
        try:
            self.parse(value)
            return True
        except ValueError:
            return False

    def nearest(self, value):
        """The allowed value closest to ``value`` (the bounds may have moved): clipped into
        [lo, hi], or the default when it is no option any more."""
        if self.valid(value):
            return self.parse(value)
        if self.widget == "multiselect" and isinstance(value, (list, tuple)):
            return tuple(option for option in self.options if option in value)
        if self.options is not None or self.kind is bool:
            return self.default
        try:
            number = self.kind(value)
        except (TypeError, ValueError):
            return self.default
        return self.kind(min(max(number, self.lo), self.hi))

    def bounded(self, **changes) -> "Setting":
        """The same setting with other bounds or options (for bounds that follow the data)."""
        return dataclasses.replace(self, **changes)


def _number(value, kind, name):
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{name} must be a number") from None
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        raise ValueError(f"{name} must be a number")
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number")
    if kind is int:
        if number != int(number):
            raise ValueError(f"{name} must be a whole number")
        return int(number)
    return float(number)


def _show(x):
    return f"{x:g}" if isinstance(x, float) else str(x)


def settings(*items: Setting) -> dict[str, Setting]:
    """The page's settings by name, in the order given."""
    return {s.name: s for s in items}


# ---- values in the page's own state ----------------------------------------------------------
def _store(page):
    return st.session_state.setdefault(f"{page}__settings", {})


def _key(page, setting):
    return f"{page}_{setting.name}"


def check(specs: dict[str, Setting], values: dict) -> dict:
    """Every value in ``values`` parsed by its setting; a ValueError naming every bad one.

    Names that are no setting of the page are refused too: a file or a link says exactly what
    the page can show, or it is refused whole.
    """
    good, bad = {}, []
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            bad.append(f"{_excerpt(name)} is no setting of this page")
            continue
        try:
            good[name] = spec.parse(value)
        except ValueError as err:
            bad.append(str(err))
    if bad:
        raise ValueError("; ".join(bad))
    return good


def _excerpt(text, limit=40):
    text = repr(str(text))
    return text if len(text) <= limit else text[:limit - 1] + "…'"


HIDE, INTRO = "hide", "intro"  # a lesson link's query parameters


def lesson(page: str) -> dict:
    """What the page's lesson link asked for: {"hide": names of hidden settings, "intro": shown}.
    Read from the link on the page's first run in a session (``restore``), kept after."""
    return st.session_state.get(f"{page}__lesson", {"hide": (), "intro": True})


def hidden(page: str, name: str) -> bool:
    return name in lesson(page)["hide"]


def intro_shown(page: str) -> bool:
    """Whether the page's introduction is shown: a lesson link may say ``intro=off`` (asked
    before ``restore`` has read the link, the link itself answers)."""
    if f"{page}__lesson" in st.session_state:
        return lesson(page)["intro"]
    return st.query_params.get(INTRO, "on") != "off"


def _read_lesson(page, specs):
    """The link's lesson parameters. Names that are not among ``specs``' link settings are left
    out (a page's parts keep settings of their own, each with its own ``restore``)."""
    asked = [n.strip() for n in st.query_params.get(HIDE, "").split(",") if n.strip()][:50]
    hide = tuple(n for n in asked if n in specs and specs[n].in_url)
    intro = st.query_params.get(INTRO, "on") != "off"
    st.session_state[f"{page}__lesson"] = {"hide": hide, "intro": intro}


def restore(page: str, specs: dict[str, Setting]) -> dict:
    """The page's values, before its widgets are drawn.

    On the page's first run in a browser session, the link's values are read (invalid ones are
    ignored, with a notice). Values staged by ``stage`` are applied. Widgets that Streamlit
    forgot (the page was left) get their values back. Returns the page's values (a live dict).
    """
    store = _store(page)
    for name, spec in specs.items():
        store.setdefault(name, spec.default)
    flag = f"{page}__from_url"
    if not st.session_state.get(flag):
        st.session_state[flag] = True
        ignored = []
        for name, spec in specs.items():
            if spec.in_url and name in st.query_params:
                try:
                    store[name] = spec.parse(st.query_params[name])
                except ValueError:
                    ignored.append(name)
        _read_lesson(page, specs)
        if ignored:
            st.toast(f"Ignored invalid link settings: {', '.join(ignored)}", icon="⚠️")
    staged = st.session_state.pop(f"{page}__staged", None)
    for name, value in (staged or {}).items():
        store[name] = value
        st.session_state[_key(page, specs[name])] = value
    return store


def stage(page: str, specs: dict[str, Setting], values: dict) -> None:
    """Set several values at once on the next run (call ``st.rerun()`` after). Checked here:
    a ValueError (naming every bad value) leaves everything as it was."""
    st.session_state[f"{page}__staged"] = check(specs, values)


def current(page: str, spec: Setting):
    """A setting's value before its widget is drawn further down the page: the widget's own
    state if it has one, else the page's, within ``spec``'s (possibly moved) bounds."""
    key = _key(page, spec)
    value = st.session_state[key] if key in st.session_state else _store(page).get(spec.name,
                                                                                  spec.default)
    return spec.nearest(value)


def lesson_query(page: str, hide=None, intro=None) -> dict:
    """The lesson parameters of a link: the page's own (from its link), or those given."""
    now = lesson(page)
    hide = now["hide"] if hide is None else tuple(hide)
    intro = now["intro"] if intro is None else intro
    return {**({HIDE: ",".join(hide)} if hide else {}), **({} if intro else {INTRO: "off"})}


_WIDGETS = {
    "slider": lambda s, kw: st.slider(s.label, s.lo, s.hi, step=s.step, **kw),
    "select_slider": lambda s, kw: st.select_slider(s.label, list(s.options), **_fmt(s, kw)),
    "radio": lambda s, kw: st.radio(s.label, list(s.options), **_fmt(s, kw)),
    "selectbox": lambda s, kw: st.selectbox(s.label, list(s.options), **_fmt(s, kw)),
    # "%.10g": a number shows as it was typed (1000000, -0.000123), not rounded to two decimals
    "number_input": lambda s, kw: st.number_input(
        s.label, s.lo, s.hi, step=s.step, **{"format": "%.10g" if s.kind is float else None, **kw}),
    "toggle": lambda s, kw: st.toggle(s.label, **kw),
    "multiselect": lambda s, kw: tuple(st.multiselect(s.label, list(s.options), **_fmt(s, kw))),
    "segmented": lambda s, kw: st.segmented_control(s.label, list(s.options), required=True,
                                                    **_fmt(s, kw)),
}


def _default(spec, wanted):
    """The widget's own default: the page's value, not Streamlit's (a slider's minimum, the
    first option). The page's value is in the widget's state already; the default is what the
    browser falls back on if it draws the widget afresh without its state, which happens on a
    busy server when a fragment's rerun and the page's rerun cross: every setting then came
    back as its minimum. (.streamlit/config.toml silences Streamlit's warning about a widget
    with both a default and a state: here they are the same value on purpose.)"""
    if spec.widget in ("radio", "selectbox"):
        return {"index": list(spec.options).index(wanted)}
    if spec.widget in ("multiselect", "segmented"):
        return {"default": wanted}
    return {"value": wanted}


def _fmt(spec, kw):
    if spec.fmt is not None:
        kw["format_func"] = spec.fmt
    return kw


def widget(page: str, spec: Setting, **kw):
    """Draw the setting's widget (bounds and options from ``spec``; other arguments such as
    ``disabled``, ``horizontal`` or ``on_change`` in ``kw``) and return its value.

    The widget has no default of its own: its value is the page's, put in the widget's state
    first, clipped into the bounds when they moved (fewer points, another data set).
    """
    key = _key(page, spec)
    store = _store(page)
    current = st.session_state[key] if key in st.session_state else store.get(spec.name,
                                                                                spec.default)
    wanted = spec.nearest(current)
    if hidden(page, spec.name):  # a lesson link fixed it: the link's value, and no widget
        store[spec.name] = wanted
        return wanted
    if spec.widget == "multiselect":
        wanted = list(wanted)  # the widget's own state is a list
    if key not in st.session_state or st.session_state[key] != wanted:
        st.session_state[key] = wanted
    kw = {"key": key, "help": spec.help, **_default(spec, wanted), **kw}
    result = _WIDGETS[spec.widget](spec, kw)
    store[spec.name] = result
    return result


def write_url(page: str, specs: dict[str, Setting]) -> None:
    """Put the page's link settings in the URL, so a copied link reproduces the page."""
    store = _store(page)
    values = {name: spec.text(store[name]) for name, spec in specs.items()
              if spec.in_url and name in store}
    values.update(lesson_query(page))
    if dict(st.query_params) != values:
        st.query_params.from_dict(values)
