"""Your own expression, stepped backward and checked: a section of the backpropagation page.

Widgets here; the graph, texts and table come from ``ui.expression_views`` and the numbers from
``core.expression``. The expression and the inputs' values are kept in the session, so they
survive leaving the page; a text that does not parse, or values outside an operation's domain,
show the error and leave the last good graph on screen.
"""
import streamlit as st

from core.expression import MAX_CHARS, check_expression, parse
from ui import expression_views as V
from ui.backprop_sections import graph_columns, step_buttons, walked_graph
from ui.numbers import num
from ui.settings import Setting, restore, widget

# number boxes per row beside the graph, and across the page: 6 across were 57 px wide at
# 1280x800 ("-0.1234" for −0.123456), 4 across grew their ± buttons at 1024x768 and cut it too;
# 5 keep −0.123456 whole at 1024, 1280 and 1440 (98, 85, 117 px)
PER_ROW = {True: 3, False: 5}
BESIDE_MAX_NODES = 8  # a larger graph needs the page's width for its labels (the lectures' has 6)


def _value_setting(name):
    # "v_" keeps a learner's name (even "_settings") clear of the settings' own keys
    return Setting(f"v_{name}", name, V.default_value(name), lo=-V.VALUE_LIMIT,
                   hi=V.VALUE_LIMIT, step=1.0, widget="number_input", in_url=False)


def _set_step(key, k):
    st.session_state[f"{key}__k"] = k


def _preset(key, text, values):
    st.session_state[f"{key}_text"] = text
    for name, value in values.items():
        st.session_state[f"{key}_x_v_{name}"] = value  # the box's key: page "<key>_x"
    st.session_state[f"{key}__k"] = 0


def _small(text, good):
    """Whether the graph shown for ``text`` (or, if it does not parse, for the last ``good``
    one) has at most ``BESIDE_MAX_NODES`` nodes."""
    for candidate in (text, good[0] if good else None):
        try:
            expression = parse(candidate)
        except ValueError:
            continue
        return len(expression.inputs) + len(expression.ops) <= BESIDE_MAX_NODES
    return True


def expression_explorer(key):
    """The whole section: the expression, its inputs, the graph stepped backward, the check.

    ``key`` prefixes every widget and state key (the text box is ``<key>_text``, an input's
    box ``<key>_x_v_<name>``, the buttons ``<key>_step``, ``<key>_all``, ``<key>_reset``).
    """
    text_key, good_key = f"{key}_text", f"{key}__good"
    if text_key not in st.session_state:  # the first run, or back on the page after leaving
        st.session_state[text_key] = st.session_state.get(f"{key}__text", V.DEFAULT)
    # everything that changes the graph beside it, if the graph is small
    beside = _small(st.session_state[text_key], st.session_state.get(good_key))
    left, right = graph_columns(key, beside)
    per_row = PER_ROW[beside]
    with left:
        text = st.text_input(V.LABEL, key=text_key, max_chars=MAX_CHARS, help=V.GRAMMAR)
        with st.container(horizontal=True, gap="small"):
            for i, (label, (preset, values)) in enumerate(V.PRESETS.items()):
                st.button(label, key=f"{key}_preset_{i}", on_click=_preset,
                          args=(key, preset, values), width="content",
                          help=f"The lectures' example {preset}")
        problems = st.container()  # what is wrong with the expression, above the buttons
        buttons = st.container(horizontal=True)  # the step buttons (drawn last)
    st.session_state[f"{key}__text"] = text

    check, problem = None, None
    try:
        expression = parse(text)
    except ValueError as err:
        expression, problem = None, str(err)
    if expression is not None:
        page = f"{key}_x"
        specs = {s.name: s for s in map(_value_setting, expression.inputs)}
        restore(page, specs)
        values = {}
        for i, name in enumerate(expression.inputs):
            if i % per_row == 0:
                with left:
                    cols = st.columns(per_row)
            with cols[i % per_row]:
                values[name] = widget(page, specs[f"v_{name}"], format="%g")
        try:
            check = check_expression(expression, values)
        except ValueError as err:  # core.graph.DomainError: log of a negative, 1/0, overflow
            problem = str(err)
    if check is not None:
        st.session_state[good_key] = (expression.text, values)
    else:
        problems.error(problem, icon="🚫")
        if good_key not in st.session_state:
            return
        good_text, good_values = st.session_state[good_key]
        check = check_expression(good_text, good_values)
        if beside and not _small(good_text, None):  # a large graph needs the whole width
            right = st.container()
        # (beside or below them, as the window's width has it)
        problems.caption(f"The buttons and the graph show the last expression and values "
                         f"that worked: `{good_text}` at "
                         + ", ".join(f"{n} = {num(v)}" for n, v in good_values.items()) + ".")
    _stepper(key, check, buttons, (left, right))


def _stepper(key, check, buttons, columns):
    """The graph with its step buttons (drawn in the container ``buttons``), beside them (in
    ``columns``), the chain rule so far, and the check's table."""
    step_key, shape_key = f"{key}__k", f"{key}__shape"
    shape = (check.expression.inputs, check.expression.ops)
    if st.session_state.get(shape_key) != shape:  # another graph: start from the forward pass
        st.session_state[shape_key] = shape
        st.session_state[step_key] = 0
    k = st.session_state.setdefault(step_key, 0)
    figure, message, lines, closing, n_steps = V.graph_parts(check.graph, k)
    with columns[0]:
        st.latex(V.expression_latex(check))
    with buttons:
        step_buttons(key, k, n_steps, lambda target: _set_step(key, target))
    walked_graph(key, columns, figure, message, V.CAPTION, lines, closing, k)
    st.markdown(V.CHECK_TEXT)
    st.dataframe(V.check_table(check), hide_index=True, width="stretch")
    kind, text = V.check_verdict(check)
    show = {"success": st.success, "error": st.error, "warning": st.warning}[kind]
    show(text, icon={"success": "✅", "error": "🐞", "warning": "⚠️"}[kind])
