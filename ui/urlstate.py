"""A page's settings in the URL: a copied link reproduces the same data and initial weights.

``sync_url(page, spec)`` is called before the page creates its widgets. On the page's first run
in a browser session it copies valid values from ``st.query_params`` into the widgets' session
state (invalid ones are ignored, with a notice); on every run it writes the current values back.
"""
import streamlit as st


def choice(options):
    """A parser accepting one of ``options``: as text, or numbers by value ("10" is 10.0)."""
    def parse(text):
        for option in options:
            if str(option) == text:
                return option
        for option in options:
            if isinstance(option, (int, float)) and not isinstance(option, bool):
                try:
                    if float(text) == option:
                        return option
                except ValueError:
                    break
        raise ValueError(f"not one of {', '.join(map(str, options))}")
    return parse


def number(kind, lo, hi):
    """A parser for an int or float within [lo, hi]."""
    def parse(text):
        value = kind(text)
        if not lo <= value <= hi:
            raise ValueError(f"outside {lo}..{hi}")
        return value
    return parse


def sync_url(page, spec):
    """spec: URL name -> (widget key, parser). Returns the names that were ignored."""
    ignored = []
    flag = f"_url_restored_{page}"
    if not st.session_state.get(flag):
        st.session_state[flag] = True
        for name, (key, parse) in spec.items():
            if name in st.query_params:
                try:
                    st.session_state[key] = parse(st.query_params[name])
                except (ValueError, TypeError):
                    ignored.append(name)
        if ignored:
            st.toast(f"Ignored invalid link settings: {', '.join(ignored)}", icon="⚠️")
    return ignored


def write_url(spec):
    """Put the widgets' current values in the URL (after the widgets exist)."""
    values = {name: str(st.session_state[key]) for name, (key, _) in spec.items()
              if key in st.session_state}
    if dict(st.query_params) != values:
        st.query_params.from_dict(values)
