"""Your own expression: the parser, the new operations, the finite-difference check and the
section, against references: derivatives by hand, central differences of the same function
written in Python here, and the lectures' graph."""
import builtins
import json
import math
import time
import warnings
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.expression import (FUNCTIONS, MAX_CHARS, Expression, check_expression, parse,
                             relative_error)
from core.graph import (OPS, DomainError, backward, backward_order, evaluate, gradients,
                        lecture_graph)
from ui import expression_views as V
from ui.backprop_figures import layered_positions
from ui.backprop_text import chain_latex, plain, reuse_text

DEMO = str(Path(__file__).parent / "apps" / "expression_demo.py")
MAX_MESSAGE = 200
MAX_SECONDS = 1.0  # a refusal takes well under a millisecond; generous for a busy machine


def f_of(text, values):
    graph = parse(text).graph(values)
    return graph[graph.output].value


def reference_gradient(fn, values, h=1e-6):
    """Central differences of a function written in Python here (not core.graph)."""
    out = {}
    for name, x in values.items():
        step = h * max(1.0, abs(x))
        plus, minus = fn(**{**values, name: x + step}), fn(**{**values, name: x - step})
        out[name] = (plus - minus) / (2 * step)
    return out


# ---- the lectures' examples -----------------------------------------------------------------
LECTURE_EXAMPLES = [
    # text, the function, its derivatives by hand, values
    ("c*(a+2*b)", lambda a, b, c: c * (a + 2 * b),
     lambda a, b, c: {"a": c, "b": 2 * c, "c": a + 2 * b}, [(3.0, 1.0, -2.0), (0.5, -4.0, 7.0)]),
    ("x1*(x1+x2)", lambda x1, x2: x1 * (x1 + x2),
     lambda x1, x2: {"x1": 2 * x1 + x2, "x2": x1}, [(2.0, 3.0), (-1.5, 0.25)]),
    ("log(x1)+log(x2)", lambda x1, x2: math.log(x1) + math.log(x2),
     lambda x1, x2: {"x1": 1 / x1, "x2": 1 / x2}, [(2.0, 0.5), (1e-3, 40.0)]),
    ("c*x**p", lambda c, x, p: c * x ** p,
     lambda c, x, p: {"c": x ** p, "x": c * p * x ** (p - 1), "p": c * x ** p * math.log(x)},
     [(-2.0, 2.0, 3.0), (0.7, 1.3, -0.5)]),
]


@pytest.mark.parametrize("text, fn, by_hand, value_sets", LECTURE_EXAMPLES,
                         ids=[e[0] for e in LECTURE_EXAMPLES])
def test_lecture_examples_values_and_gradients(text, fn, by_hand, value_sets):
    expression = parse(text)
    names = fn.__code__.co_varnames[:fn.__code__.co_argcount]
    assert set(expression.inputs) == set(names)
    for numbers in value_sets:
        values = dict(zip(names, numbers))
        graph = expression.graph(values)
        grads = gradients(graph)
        assert graph[graph.output].value == pytest.approx(fn(**values), rel=1e-12)
        for name, expected in by_hand(**values).items():
            assert grads[name] == pytest.approx(expected, rel=1e-12)
        for name, numeric in reference_gradient(fn, values).items():
            assert grads[name] == pytest.approx(numeric, rel=1e-6, abs=1e-9)
        check = check_expression(text, values)
        assert check.passed is True
        assert all(r.relative_error < 1e-6 for r in check.rows)


def test_the_lectures_expression_gives_the_lectures_graph():
    expression = parse("c*(a+2*b)")
    assert expression.inputs == ("a", "b", "c")
    assert [op[:4] for op in expression.ops] == [("n1", "scale", ("b",), 2.0),
                                                 ("n2", "add", ("a", "n1"), None),
                                                 ("f", "mul", ("c", "n2"), None)]
    assert [op[4] for op in expression.ops] == ["n1 = 2b", "n2 = a + n1", r"f = c \cdot n2"]
    assert expression.latex == r"f = c \cdot \left(a + 2b\right)"
    ours, lectures = expression.graph({"a": 3, "b": 1, "c": -2}), lecture_graph(3.0, 1.0, -2.0)
    rename = {"n1": "d", "n2": "e", "f": "L"}
    assert [rename.get(n, n) for n in backward_order(ours)] == backward_order(lectures)
    for mine, theirs in zip(backward(ours), backward(lectures)):
        assert rename.get(mine.node, mine.node) == theirs.node and mine.grad == theirs.grad
        assert [rename.get(f.text, f.text) for f in mine.chains[0]] == \
            [f.text for f in theirs.chains[0]]


def test_a_shared_input_is_one_node_and_sums_its_paths():
    expression = parse("x1*(x1+x2)")
    graph = expression.graph({"x1": 2.0, "x2": 3.0})
    assert graph.names == ["x1", "x2", "n1", "f"]  # one x1 node ...
    assert sorted(n.name for n, _ in graph.consumers("x1")) == ["f", "n1"]  # ... used twice
    step = {s.node: s for s in backward(graph)}["x1"]
    assert len(step.chains) == 2
    products = [math.prod(f.value for f in chain) for chain in step.chains]
    assert sorted(products) == [2.0, 5.0]  # through n1: x1 = 2; directly: n1 = x1 + x2 = 5
    assert step.grad == sum(products) == 2 * 2.0 + 3.0
    assert {c for c, _, _ in step.upstream} == {"f", "n1"}
    assert "∂f/∂n1" in reuse_text(step) and "∂f/∂f" in reuse_text(step)


def test_a_repeated_sub_expression_is_one_node():
    expression = parse("(a+b)*(a+b)")
    assert [op[1] for op in expression.ops] == ["add", "mul"]
    assert expression.ops[1][2] == ("n1", "n1")  # the product uses the one sum twice
    grads = gradients(expression.graph({"a": 1.5, "b": -4.0}))
    assert grads["a"] == grads["b"] == 2 * (1.5 - 4.0)


# ---- every operation, against Python's own arithmetic ---------------------------------------
EVERY_OP = [
    ("a - b", lambda a, b: a - b), ("a / b", lambda a, b: a / b),
    ("a ** b", lambda a, b: a ** b), ("-a * b", lambda a, b: -a * b),
    ("a + 2.5 - b", lambda a, b: a + 2.5 - b), ("3 - a*b", lambda a, b: 3 - a * b),
    ("1/a + b/4", lambda a, b: 1 / a + b / 4), ("a**3 + b**-2", lambda a, b: a ** 3 + b ** -2),
    ("a**0.5 * b", lambda a, b: a ** 0.5 * b), ("2**a * b", lambda a, b: 2 ** a * b),
    ("-(a - b)", lambda a, b: -(a - b)), ("+a*b", lambda a, b: a * b),
    ("log(a*b)", lambda a, b: math.log(a * b)), ("exp(a - b)", lambda a, b: math.exp(a - b)),
    ("sin(a)*cos(b)", lambda a, b: math.sin(a) * math.cos(b)),
    ("tanh(a*b)", lambda a, b: math.tanh(a * b)),
    ("sigmoid(a - 3*b)", lambda a, b: 1 / (1 + math.exp(-(a - 3 * b)))),
    ("sqrt(a + b)", lambda a, b: math.sqrt(a + b)),
    ("relu(a - b) + relu(b - 4)", lambda a, b: max(a - b, 0) + max(b - 4, 0)),
    ("2*3*a + 2**3/b", lambda a, b: 6 * a + 8 / b),
    ("x_1*a**b", lambda a, b: a ** b),  # x_1 = 1 below
]


@pytest.mark.parametrize("text, fn", EVERY_OP, ids=[e[0] for e in EVERY_OP])
@pytest.mark.parametrize("a, b", [(1.7, 0.6), (0.3, 2.2)])
def test_every_operation_matches_python_and_finite_differences(text, fn, a, b):
    values = {"a": a, "b": b, "x_1": 1.0}
    expression = parse(text)
    used = {k: v for k, v in values.items() if k in expression.inputs}
    graph = expression.graph(used)
    assert graph[graph.output].value == pytest.approx(fn(a, b), rel=1e-12)
    grads = gradients(graph)
    reference = reference_gradient(lambda a, b, x_1=1.0: fn(a, b), {"a": a, "b": b})
    for name in ("a", "b"):
        assert grads.get(name, 0.0) == pytest.approx(reference[name], rel=1e-6, abs=1e-9)
    assert check_expression(expression, used).passed is True


def test_the_functions_and_the_ops_are_all_in_the_engine():
    assert FUNCTIONS == ("log", "exp", "sin", "cos", "tanh", "sigmoid", "sqrt", "relu")
    for op in (*FUNCTIONS, "add", "mul", "scale", "sub", "div", "pow", "neg", "shift", "rsub",
               "rdiv", "powc", "rpow"):
        rule, local, text = OPS[op]
        assert callable(rule) and callable(local) and callable(text)


def test_local_derivative_texts_read_in_latex_and_plain():
    texts = {}
    for text in ("x**y", "tanh(x)", "sigmoid(x)", "exp(x)", "sqrt(x)", "relu(x)", "x/y",
                 "x**3", "2**x", "1/x"):
        graph = parse(text).graph({"x": 0.5, "y": 2.0})
        texts[text] = graph[graph.output].local_text
    assert texts["x**y"] == (r"y \cdot x^{y - 1}", r"f \cdot \log x")  # micrograd's out.data
    assert texts["tanh(x)"] == ("1 - f^2",) and texts["sigmoid(x)"] == ("f(1 - f)",)
    assert texts["exp(x)"] == ("f",) and texts["relu(x)"] == (r"\mathbf{1}[x > 0]",)
    assert texts["x/y"] == ("1/y", "-x/y^2") and texts["x**3"] == (r"3 \cdot x^{2}",)
    assert plain(texts["x**y"][0]) == "y · x<sup>y − 1</sup>"
    assert plain(texts["sqrt(x)"][0]) == "1/(2 f)" and plain(r"n2 = \sqrt{x}") == "n2 = √x"
    assert plain(r"L = c \cdot e") == "L = c · e"
    # a sum as a factor of a chain gets parentheses; a number keeps ptex's
    step = {s.node: s for s in backward(parse("tanh(x)*y").graph({"x": 0.5, "y": 2.0}))}["x"]
    assert r"(1 - n1^2)" in chain_latex(step, {})


def test_names_become_latex_safely():
    expression = parse("x_1*my_rate_2 + f")
    assert expression.output == "F"  # f is an input here
    assert r"x_{1} \cdot \mathit{my\_rate\_2}" in expression.latex
    assert parse("f*n1 + n2").ops[0][0] == "n3"  # n1, n2 are inputs: the first node is n3


# ---- hostile text ---------------------------------------------------------------------------
HOSTILE = [
    ("__import__('os')", "function '__import__'"),
    ("__import__('os').system('touch /tmp/neural_playground_pwned')", "attribute"),
    ("a.b", "attribute access"), ("x.__class__", "attribute access"),
    ("a[0]", "subscripts"), ("lambda: 1", "lambda"), ("[x for x in y]", "comprehensions"),
    ("'str'", "strings"), ("b'x' + a", "strings"), ("f'{a}'", "strings"),
    ("f(x)", "function 'f'"), ("print(x)", "function 'print'"),
    ("os.system('ls')", "attribute"), ("log(x)(y)", "call's result"), ("(lambda: 1)()", "lambda"),
    ("log(x, y)", "one argument"), ("log(x=1)", "keyword"), ("log(*x)", "one argument"),
    ("x" * 10_000, "Too long"), ("(" * 500 + "a" + ")" * 500, "Too long"),
    ("-" * 150 + "a", "nested"), ("**".join(["a"] * 60), "nested"),
    ("**".join("abcdefghijklm"), "inputs"),
    ("2**2**2**2**2", "too large"), ("9**9**9**9*x", "too large"), ("1e999*x", "too large"),
    ("log", "function"), ("exp + 1", "function"), ("a // b", "//"), ("a ^ 2", "**"),
    ("a if b else c", "if-else"), ("a < b", "comparisons"), ("a and b", "and / or"),
    ("not a", "not"), ("~a", "~"), ("[a, b]", "lists"), ("{a: 1}", "dicts"),
    ("(a := 1)", "assignment"),
    ("1j*x", "complex"), ("True*x", "bool"), ("None", "NoneType"), ("2+3", "No input names"),
    ("", "Type an expression"), ("a +", "Not a valid expression"), ("x\x00", "Not a valid"),
    ("θ*2", "letters"), ("abcdefghijklmn*2", "too long"), ("x/0", "Division by zero"),
    ("log(-1)*x", "not a real number"), ("(-2)**x", "positive"),
    ("+".join(f"x{i}" for i in range(13)), "at most 12"),
]


@pytest.mark.parametrize("text, words", HOSTILE, ids=[repr(h[0][:30]) for h in HOSTILE])
def test_hostile_text_is_refused_quickly_with_a_short_message(text, words, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("user text must never reach eval or exec")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    start = time.perf_counter()
    with pytest.raises(ValueError) as info:
        parse(text)
    assert time.perf_counter() - start < MAX_SECONDS
    message = str(info.value)
    assert words.lower() in message.lower()
    assert len(message) < MAX_MESSAGE
    assert "x" * 40 not in message and "(" * 40 not in message  # no long stretch of the input
    assert not Path("/tmp/neural_playground_pwned").exists()


def test_limits_on_nodes_and_the_grammar_said_once():
    parse("a*b*c*d*e*f*g*h*i*j*k*l")  # 12 inputs and 11 products: within 40 nodes
    with pytest.raises(ValueError, match="Too many nodes"):
        parse("a*b*c*d*e*f", max_nodes=8)
    parse("(" * 90 + "a*b" + ")" * 90)  # parentheses alone make no node and no level
    assert len("x" * MAX_CHARS) == 200
    parse("x" * 12)
    for refused in ("a.b", "f(x)"):
        with pytest.raises(ValueError) as info:
            parse(refused)
        assert all(name in str(info.value) for name in FUNCTIONS)


# ---- domain errors --------------------------------------------------------------------------
DOMAIN = [
    ("log(x)", {"x": -1.0}, ["log", "x = -1"]), ("log(x)", {"x": 0.0}, ["log", "positive"]),
    ("x/y", {"x": 1.0, "y": 0.0}, ["div", "division by zero"]),
    ("1/x", {"x": 0.0}, ["rdiv", "division by zero"]),
    ("exp(x)", {"x": 1000.0}, ["exp", "too large"]),
    ("c*x**p", {"c": 1.0, "x": -2.0, "p": 2.0}, ["pow", "positive base"]),
    ("x**0.5", {"x": -2.0}, ["powc", "not real"]), ("x**-1", {"x": 0.0}, ["division by zero"]),
    ("sqrt(x)", {"x": -1.0}, ["sqrt", "non-negative"]), ("sqrt(x)", {"x": 0.0}, ["infinite"]),
    ("x*y", {"x": 1e200, "y": 1e200}, ["mul", "too large"]),
    ("2**x", {"x": 5000.0}, ["rpow", "too large"]),
    ("x/y", {"x": 1.0, "y": 1e-200}, ["derivative", "too large"]),
    ("x + y", {"x": math.nan, "y": 1.0}, ["finite"]), ("x + y", {"x": 1.0}, ["No value for y"]),
]


@pytest.mark.parametrize("text, values, words", DOMAIN, ids=[f"{d[0]} at {d[1]}" for d in DOMAIN])
def test_domain_errors_name_the_operation_and_never_give_nan(text, values, words):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warning either
        with pytest.raises(ValueError) as info:
            check_expression(text, values)
    message = str(info.value)
    assert len(message) < MAX_MESSAGE
    for word in words:
        assert word in message
    if "No value" not in message:
        assert isinstance(info.value, DomainError)


def test_the_check_near_a_domain_edge_and_at_relus_kink():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        near = check_expression("log(x1)+log(x2)", {"x1": 1e-7, "x2": 1e6})
        assert near.passed is True  # a step relative to x1 keeps x1 - h positive
        assert near.rows[0].backprop == pytest.approx(1e7)
        kink = check_expression("relu(x - 1)*y", {"x": 1.0, "y": 2.0})
    row = {r.name: r for r in kink.rows}
    assert row["x"].backprop == 0.0 and row["x"].numeric == pytest.approx(1.0)  # (2 - 0) / 2
    assert row["x"].passed is None and "kink" in row["x"].note
    assert row["y"].passed is True and kink.passed is None
    kind, text = V.check_verdict(kink)
    assert kind == "warning" and "kink" in text
    for r in (*near.rows, *kink.rows):
        assert all(v is None or math.isfinite(v) for v in (r.backprop, r.numeric,
                                                           r.relative_error))


def test_relative_error_is_scale_free_and_never_overflows():
    assert relative_error(1.0, 1.0) == 0.0 and relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, -1.0) == 1.0
    assert relative_error(1.6e308, 1.7e308) == pytest.approx(0.1 / 3.3)
    check = check_expression("exp(x)", {"x": 709.0})
    assert check.passed is True


# ---- the views ------------------------------------------------------------------------------
def test_graph_parts_step_by_step():
    graph = parse("x1*(x1+x2)").graph({"x1": 2.0, "x2": 3.0})
    figure, message, lines, closing, n = V.graph_parts(graph, 0)
    assert n == 4 and lines == [] and closing is None
    assert message.startswith("**Forward pass done:** f = 10")
    texts = [a["text"] for a in figure["layout"]["annotations"] if a.get("text")]
    assert "f = x1 · n1 = 10" in texts and not any(t.startswith("∂f/∂") for t in texts)
    figure, message, lines, closing, n = V.graph_parts(graph, n)
    texts = [a["text"] for a in figure["layout"]["annotations"] if a.get("text")]
    for t in ("∂f/∂x1 = 7", "∂f/∂x2 = 2", "∂f/∂n1 = 2", "∂f/∂x1 (local) = n1 = 5",
              "∂n1/∂x1 = 1"):
        assert t in texts
    # one symbol, one value: x1's edge into f is one of its two paths, its derivative (5) is
    # marked local; unmarked, it read "∂f/∂x1 = n1 = 5" beside "∂f/∂x1 = 7" (a browser review)
    assert "∂f/∂x1 = n1 = 5" not in texts
    assert r"\left.\frac{\partial f}{\partial x1}\right|_{\mathrm{local}}" in lines[2]
    assert "∂f/∂x1 (local) = 2 × 1 + 1 × 5 = 7" in V.graph_parts(graph, 3)[1]
    assert message.startswith("**Step 4 of 4:**")
    assert len(lines) == 4 and " + " in lines[-2]  # x1's two paths, summed
    assert closing.startswith("All done: ∂f/∂x1 = 7, ∂f/∂x2 = 2")
    # too many paths to list: one term per consumer instead
    many = parse("x*(x*(x*(x*(x*x))))").graph({"x": 1.1})
    step = [s for s in backward(many) if s.node == "x"][0]
    assert len(step.chains) == 6
    assert "(6 paths)" in V.graph_parts(many, 99)[2][-1]


def test_check_table_and_verdict():
    check = check_expression("c*x**p", {"c": -2.0, "x": 2.0, "p": 3.0})
    table = V.check_table(check)
    assert table["input"] == ["c", "p", "x"]
    assert table["∂f/∂input by backprop"] == ["8", "−11.090354889", "−24"]  # c x^p log x
    assert table["agree"] == ["✅"] * 3
    kind, text = V.check_verdict(check)
    assert kind == "success" and "agree for every input" in text
    assert V.expression_latex(check) == r"f = c \cdot x^{p} = -16"
    # a derivative near 0 passes on its absolute error, and the verdict says so
    tiny = check_expression("x*x - x*x + y*1e-9 + 3", {"x": 1e4, "y": 1.0})
    assert tiny.rows[1].relative_error > 1e-2 and tiny.rows[1].passed is True
    kind, text = V.check_verdict(tiny)
    assert kind == "success" and "except for y, whose derivative is near 0" in text


def test_overlapping_nodes_are_spread_and_the_lectures_layout_is_unchanged():
    lecture = lecture_graph()
    assert layered_positions(lecture.names, lecture.edges, 0.75) == {
        "a": (0.0, 1.5), "b": (0.0, 0.75), "c": (0.0, 0.0), "d": (1.0, 0.75),
        "e": (2.0, 1.125), "L": (3.0, 0.5625)}
    graph = parse("(a+b)*(a-b)").graph({"a": 1.0, "b": 2.0})
    pos = layered_positions(graph.names, graph.edges, 0.75)
    assert pos["n1"][0] == pos["n2"][0] == 1.0
    assert abs(pos["n1"][1] - pos["n2"][1]) == pytest.approx(0.75)
    assert (pos["n1"][1] + pos["n2"][1]) / 2 == pytest.approx(0.375)  # still between a and b


def test_the_engine_still_runs_plain_operation_lists():
    graph = evaluate({"a": 3.0}, ops=(("s", "mul", ("a", "a"), None, "s = a a"),
                                      ("L", "add", ("s", "a"), None, "L = s + a")))
    assert gradients(graph)["a"] == 7.0
    assert isinstance(parse("a*b"), Expression)


# ---- the section, headless ------------------------------------------------------------------
def graph_texts(at):
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [a["text"] for a in spec["layout"].get("annotations", []) if a.get("text")]


@pytest.fixture
def at():
    app = AppTest.from_file(DEMO, default_timeout=60).run()
    assert not app.exception
    return app


def test_section_starts_with_the_lectures_expression(at):
    assert at.text_input(key="ex_text").value == "c*(a+2*b)"
    assert [n.label for n in at.number_input] == ["a", "b", "c"]
    assert [n.value for n in at.number_input] == [3.0, 1.0, -2.0]
    assert any(r"f = c \cdot \left(a + 2b\right) = -10" in l.value for l in at.latex)
    assert "f = c · n2 = −10" in graph_texts(at)
    table = at.dataframe[0].value
    assert list(table["agree"]) == ["✅"] * 3
    assert any("agree for every input" in s.value for s in at.success)


def test_section_steps_backward_and_resets(at):
    at.button(key="ex_step").click().run()
    assert any(m.value.startswith("**Step 1 of 6:** ∂f/∂f = 1") for m in at.markdown)
    at.button(key="ex_all").click().run()
    assert at.button(key="ex_step").disabled
    texts = graph_texts(at)
    for t in ("∂f/∂a = −2", "∂f/∂b = −4", "∂f/∂c = 5", "∂n1/∂b = 2"):
        assert t in texts
    assert any(r"1 \cdot c \cdot 1 \cdot 2" in l.value for l in at.latex)
    at.button(key="ex_reset").click().run()
    assert not any(t.startswith("∂f/∂") for t in graph_texts(at))
    assert not at.exception


def test_section_takes_a_new_expression_and_keeps_typed_values(at):
    at.text_input(key="ex_text").set_value("x1*(x1+x2)").run()
    assert [n.label for n in at.number_input] == ["x1", "x2"]
    at.number_input(key="ex_x_v_x1").set_value(0.123456789).run()
    at.number_input(key="ex_x_v_x2").set_value(3.0).run()
    assert at.number_input(key="ex_x_v_x1").value == 0.123456789  # not rounded to 0.12
    assert at.number_input(key="ex_x_v_x1").proto.format == "%g"
    at.button(key="ex_all").click().run()
    table = at.dataframe[0].value
    assert list(table["input"]) == ["x1", "x2"]
    assert table["value"][0] == "0.123456789"
    assert table["∂f/∂input by backprop"][0] == "3.246913578"  # 2 x1 + x2
    assert list(table["agree"]) == ["✅", "✅"]
    assert not at.exception


def test_section_shows_errors_and_keeps_the_last_good_graph(at):
    at.text_input(key="ex_text").set_value("x1*(x1+x2)").run()
    good = graph_texts(at)
    at.text_input(key="ex_text").set_value("__import__('os')").run()
    assert any("Not allowed" in e.value for e in at.error)
    assert graph_texts(at) == good
    assert any("last expression and values that worked: `x1*(x1+x2)`" in c.value
               for c in at.caption)
    at.text_input(key="ex_text").set_value("x" * 10_000).run()  # the box keeps 200 of them
    assert any("too long" in e.value for e in at.error)
    assert graph_texts(at) == good
    at.text_input(key="ex_text").set_value("log(x)").run()
    at.number_input(key="ex_x_v_x").set_value(-1.0).run()
    assert any("log needs a positive input" in e.value for e in at.error)
    assert any("`log(x)` at x = 1" in c.value for c in at.caption)  # the last good values
    assert not at.exception


def test_section_presets(at):
    at.button(key="ex_preset_3").click().run()
    assert at.text_input(key="ex_text").value == "c*x**p"
    assert [(n.label, n.value) for n in at.number_input] == [("c", -2.0), ("p", 3.0),
                                                             ("x", 2.0)]
    assert any(r"f = c \cdot x^{p} = -16" in l.value for l in at.latex)
    at.button(key="ex_preset_2").click().run()
    assert at.text_input(key="ex_text").value == "log(x1)+log(x2)"
    assert list(at.dataframe[0].value["∂f/∂input by backprop"]) == ["0.5", "2"]
    assert not at.exception
