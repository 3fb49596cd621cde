"""Your own expression: text such as ``c*(a+2*b)`` turned into ``core.graph`` operations, safely.

Nothing is ever ``eval``-ed. Python's ``ast`` parses the text (mode="eval") and a walk over the
tree accepts only this grammar; anything else is refused with a short ValueError that says what
is not allowed and quotes at most a short, escaped excerpt of the text::

    expr := number | name | ( expr ) | + expr | - expr
          | expr + expr | expr - expr | expr * expr | expr / expr | expr ** expr
          | f( expr )     f: log exp sin cos tanh sigmoid sqrt relu (one argument each)
    name := ASCII letters, digits and _, not starting with a digit, at most 12 characters,
            and not one of the functions

Limits: 200 characters, 12 inputs, 40 nodes (inputs and operations), nesting 25 levels.

Every operation becomes one node, named n1, n2, ... and the output f (other names when the
expression uses these as inputs). A name used twice is one input node with two consumers, and a
repeated sub-expression, (a+b)*(a+b), is one node: the backward pass sums over the paths.
Constants fold into the operation that uses them, as the lectures' d = 2b does: 2*b is
``scale``, x+1 ``shift``, 1-x ``rsub``, 1/x ``rdiv``, x**2 ``powc`` and 2**x ``rpow``; a constant
sub-expression such as 2*3 is computed once, while parsing.

``check_expression`` compares each input's derivative by backpropagation with its central
finite difference [f(x + h) - f(x - h)] / 2h.
"""
import ast
import itertools
import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from core.errors import excerpt
from core.graph import OPS, DomainError, evaluate, gradients, tex_name, tex_number

FUNCTIONS = ("log", "exp", "sin", "cos", "tanh", "sigmoid", "sqrt", "relu")
MAX_CHARS, MAX_INPUTS, MAX_NAME, MAX_DEPTH, MAX_NODES = 200, 12, 12, 25, 40
HINT = "Use numbers, names, + - * / ** ( ) and " + ", ".join(FUNCTIONS) + "."
OUTPUT_NAMES = ("f", "F", "out", "result")  # the first that is not an input names the output
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# how the grammar's pieces are refused: (node types, what to call them)
_REFUSED = (
    (ast.Attribute, "attribute access"), (ast.Subscript, "subscripts"), (ast.Lambda, "lambda"),
    ((ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp), "comprehensions"),
    ((ast.List, ast.Tuple, ast.Set, ast.Dict), "lists, tuples, sets and dicts"),
    (ast.Compare, "comparisons"), (ast.BoolOp, "and / or"), (ast.IfExp, "if-else"),
    (ast.NamedExpr, "assignment"), ((ast.JoinedStr, ast.FormattedValue), "strings"),
    (ast.Starred, "* unpacking"), ((ast.Await, ast.Yield, ast.YieldFrom), "await / yield"))
_OPERATORS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&",
              ast.BitOr: "|", ast.BitXor: "^ (write ** for a power)", ast.LShift: "<<",
              ast.RShift: ">>", ast.Not: "not", ast.Invert: "~"}

# precedence, for parentheses in LaTeX: a sum inside a product needs them, and so on
SUM, PRODUCT, UNARY, POWER, ATOM = 1, 2, 3, 4, 5


def _refuse(what, text=None):
    shown = f" ({excerpt(text, 30)})" if text else ""
    return ValueError(f"Not allowed: {what}{shown}. {HINT}")


class _Term(NamedTuple):
    """A parsed piece: a node of the graph, or a constant; and its LaTeX as typed."""
    node: str | None     # the graph node that holds its value; None for a constant
    value: float | None  # the constant's value
    latex: str
    prec: int


def _wrap(term, prec):
    """Its LaTeX, in parentheses when it binds less tightly than ``prec``."""
    return rf"\left({term.latex}\right)" if term.prec < prec else term.latex


def _operand(term):
    """How a node's formula names one of its inputs: the node, or the constant's value."""
    if term.node is not None:
        return tex_name(term.node)
    text = tex_number(term.value)
    return f"({text})" if term.value < 0 else text


def _product(left, right):
    """2b for a number before a name (as the lectures write d = 2b), else a \\cdot b."""
    if re.fullmatch(r"[0-9.]+", left) and re.match(r"[A-Za-z\\]", right):
        return left + right
    return rf"{left} \cdot {right}"


_FUNCTION_TEX = {"log": r"\log({})", "exp": "e^{{{}}}", "sin": r"\sin({})", "cos": r"\cos({})",
                 "tanh": r"\tanh({})", "sigmoid": r"\sigma({})", "sqrt": r"\sqrt{{{}}}",
                 "relu": r"\mathrm{{relu}}({})"}


@dataclass(frozen=True)
class Expression:
    """A parsed expression.

    Attributes
    ----------
    text : the text as typed (stripped).
    inputs : the input names, in natural order (a, b, c; x2 before x10).
    ops : the operations for ``core.graph.evaluate``: (name, op, input names, constant,
        formula as LaTeX), in forward order; the last one is the output.
    output : the output's name ("f" unless an input already has that name).
    latex : the whole expression as LaTeX, with the output's name: ``f = c \\left(a + 2b\\right)``.
    """
    text: str
    inputs: tuple
    ops: tuple
    output: str
    latex: str

    def graph(self, values):
        """The forward pass at ``values`` (a dict with a number for every input)."""
        missing = [name for name in self.inputs if name not in values]
        if missing:
            raise ValueError(f"No value for {', '.join(missing)}.")
        return evaluate({name: values[name] for name in self.inputs}, self.ops)


def parse(text, max_nodes=MAX_NODES):
    """The operations for ``core.graph.evaluate`` and the input names of ``text``.

    Parameters
    ----------
    text : str, e.g. "c*(a+2*b)", "x1*(x1+x2)", "log(x1)+log(x2)", "c*x**p".
    max_nodes : the most nodes (inputs and operations) the graph may have.

    Returns
    -------
    Expression, with ``.ops`` and ``.inputs``.

    Raises
    ------
    ValueError with a short message (under 200 characters) for anything outside the grammar.
    """
    if not isinstance(text, str):
        raise ValueError("The expression must be text.")
    if len(text) > MAX_CHARS:
        raise ValueError(f"Too long: {len(text):,} characters (at most {MAX_CHARS}).")
    text = text.strip()
    if not text:
        raise ValueError("Type an expression, for example c*(a+2*b).")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        where = f" at column {err.offset}" if err.offset else ""
        raise ValueError(f"Not a valid expression{where}: {str(err.msg)[:60]}.") from None
    except (ValueError, MemoryError, RecursionError):  # null bytes; a parser that gives up
        raise ValueError("Not a valid expression.") from None
    inputs = _input_names(tree, text)
    if len(inputs) > MAX_INPUTS:
        raise ValueError(f"Too many inputs: {len(inputs)} names (at most {MAX_INPUTS}).")
    builder = _Builder(text, inputs, max_nodes)
    root = builder.walk(tree.body, 0)
    if root.node is None:
        raise ValueError(f"No input names: this is the constant {root.value:g}. Use at least "
                         "one name, e.g. 2*x.")
    ops = builder.ops
    if not ops:  # the expression is one input: its graph is that one node
        return Expression(text, inputs, (), root.node, root.latex)
    # the root is the last operation and nothing uses it: it can be renamed
    output = ops[-1][0] = next(name for name in OUTPUT_NAMES if name not in inputs)
    ops = tuple((name, op, args, k, f"{tex_name(name)} = {rhs}") for name, op, args, k, rhs in ops)
    return Expression(text, inputs, ops, output, f"{tex_name(output)} = {root.latex}")


def _natural(name):
    """x2 before x10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _input_names(tree, text):
    """Every name the expression uses as a value (not as a function), checked."""
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in called:
            name = node.id
            if not _NAME.fullmatch(name):
                raise ValueError(f"Names use the letters a-z, A-Z, digits and _: "
                                 f"{excerpt(name, 20)} is not one.")
            if len(name) > MAX_NAME:
                raise ValueError(f"The name {excerpt(name, 20)} is too long (at most {MAX_NAME} "
                                 "characters).")
            if name in FUNCTIONS:
                raise ValueError(f"{name} is a function: write {name}(x), not {name} alone.")
            names.add(name)
    return tuple(sorted(names, key=_natural))


class _Builder:
    """Walks the tree once, depth first, appending one operation per new node."""

    def __init__(self, text, inputs, max_nodes):
        self.text, self.inputs, self.max_nodes = text, inputs, max_nodes
        self.ops = []   # [name, op, args, k, formula's right-hand side]
        self.seen = {}  # (op, args, k) -> name: a repeated sub-expression is one node
        self.fresh = (f"n{i}" for i in itertools.count(1) if f"n{i}" not in inputs)

    def segment(self, node):
        return ast.get_source_segment(self.text, node) or type(node).__name__

    def node(self, op, args, k, rhs):
        key = (op, args, k)
        if key not in self.seen:
            if len(self.inputs) + len(self.ops) >= self.max_nodes:
                raise ValueError(f"Too many nodes: more than {self.max_nodes} (inputs and "
                                 "operations). Try a shorter expression.")
            name = next(self.fresh)
            self.ops.append([name, op, args, k, rhs])
            self.seen[key] = name
        return self.seen[key]

    def walk(self, node, depth):
        if depth > MAX_DEPTH:
            raise ValueError(f"Too deeply nested: more than {MAX_DEPTH} levels.")
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return _Term(node.id, None, tex_name(node.id), ATOM)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            return self.unary(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, tuple(_BINARY)):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise self.refusal(node)

    def refusal(self, node):
        for types, what in _REFUSED:
            if isinstance(node, types):
                return _refuse(what, self.segment(node))
        op = getattr(node, "op", None)
        if type(op) in _OPERATORS:
            return _refuse(f"the operator {_OPERATORS[type(op)]}", self.segment(node))
        return _refuse(type(node).__name__, self.segment(node))

    def constant(self, node):
        value = node.value
        if isinstance(value, (str, bytes)):
            raise _refuse("strings", self.segment(node))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _refuse(f"{type(value).__name__} values", self.segment(node))
        try:
            value = float(value)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            raise ValueError(f"The number {excerpt(self.segment(node), 20)} is too large.")
        return _Term(None, value, tex_number(value), ATOM)

    def folded(self, node, rule, *xs):
        """A constant sub-expression, computed now: 2*3 is 6."""
        shown = excerpt(self.segment(node), 30)
        try:
            value = float(rule(*xs))
        except ZeroDivisionError:
            raise ValueError(f"Division by zero in {shown}.") from None
        except OverflowError:
            value = math.inf
        except ValueError:  # math's domain errors: log(-1), (-8) ** 0.5, 0 ** -1
            raise ValueError(f"{shown} is undefined (not a real number).") from None
        if not math.isfinite(value):
            raise ValueError(f"{shown} is too large for a float (over 1.8e308).")
        return value

    def unary(self, node, depth):
        x = self.walk(node.operand, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return x
        latex = "-" + _wrap(x, POWER)
        if x.node is None:
            return _Term(None, -x.value, latex, UNARY)
        return _Term(self.node("neg", (x.node,), None, f"-{_operand(x)}"), None, latex, UNARY)

    def binary(self, node, depth):
        a, b = self.walk(node.left, depth + 1), self.walk(node.right, depth + 1)
        kind = _BINARY[type(node.op)]
        latex, prec = _latex(kind, a, b)
        if a.node is None and b.node is None:
            return _Term(None, self.folded(node, OPS[kind][0], a.value, b.value, None), latex,
                         prec)
        A, B = _operand(a), _operand(b)
        if a.node is not None and b.node is not None:
            rhs = {"add": f"{A} + {B}", "sub": f"{A} - {B}", "mul": rf"{A} \cdot {B}",
                   "div": f"{A} / {B}", "pow": f"{A}^{{{B}}}"}[kind]
            return _Term(self.node(kind, (a.node, b.node), None, rhs), None, latex, prec)
        x, k = (a.node, b.value) if a.node is not None else (b.node, a.value)
        constant_first = a.node is None
        if kind == "add":
            op, rhs = "shift", f"{A} + {B}" if constant_first or k >= 0 else \
                f"{A} - {tex_number(-k)}"
        elif kind == "sub":
            op, rhs = ("rsub", f"{A} - {B}") if constant_first else ("shift", f"{A} - {B}")
            k = k if constant_first else -k
        elif kind == "mul":
            op, rhs = "scale", _product(A, B) if constant_first else rf"{A} \cdot {B}"
        elif kind == "div":
            if constant_first:
                op, rhs = "rdiv", f"{A} / {B}"
            elif k == 0:
                raise ValueError(f"Division by zero in {excerpt(self.segment(node), 30)}.")
            else:
                op, rhs, k = "scale", f"{A} / {B}", 1.0 / k
        elif constant_first:  # k ** x
            if k <= 0:
                raise ValueError(f"In {excerpt(self.segment(node), 30)}: a constant base to a "
                                 "variable power must be positive.")
            op, rhs = "rpow", f"{A}^{{{B}}}"
        else:  # x ** k
            op, rhs = "powc", f"{A}^{{{B}}}"
        return _Term(self.node(op, (x,), k, rhs), None, latex, prec)

    def call(self, node, depth):
        func = node.func
        if not isinstance(func, ast.Name):  # os.system(...), f(x)(y): what is being called
            raise self.refusal(func) if not isinstance(func, ast.Call) else \
                _refuse("calling a call's result", self.segment(func))
        name = func.id
        if name not in FUNCTIONS:
            raise _refuse(f"the function {excerpt(name, 20)}")
        if node.keywords:
            raise _refuse("keyword arguments", self.segment(node))
        if len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ValueError(f"{name} takes exactly one argument: "
                             f"{excerpt(self.segment(node), 30)}.")
        x = self.walk(node.args[0], depth + 1)
        latex = _FUNCTION_TEX[name].format(x.latex)
        if x.node is None:
            return _Term(None, self.folded(node, OPS[name][0], x.value, None), latex, ATOM)
        rhs = _FUNCTION_TEX[name].format(_operand(x))
        return _Term(self.node(name, (x.node,), None, rhs), None, latex, ATOM)


_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}


def _latex(kind, a, b):
    """The LaTeX of a op b as typed, and its precedence."""
    if kind == "add":
        return f"{_wrap(a, SUM)} + {_wrap(b, POWER if b.prec == UNARY else SUM)}", SUM
    if kind == "sub":  # a - (b + c), a - (-b)
        return f"{_wrap(a, SUM)} - {_wrap(b, POWER if b.prec == UNARY else PRODUCT)}", SUM
    if kind == "mul":
        return _product(_wrap(a, PRODUCT), _wrap(b, POWER)), PRODUCT
    if kind == "div":
        return rf"\frac{{{a.latex}}}{{{b.latex}}}", PRODUCT
    return f"{_wrap(a, ATOM)}^{{{b.latex}}}", POWER


# ---- the check ------------------------------------------------------------------------------
PASS_RELATIVE = 1e-6  # |a - n| / (|a| + |n|): a right derivative gives ~1e-9 with h = 1e-6
PASS_ABSOLUTE = 1e-8  # ... or, for derivatives near 0, |a - n| under 1e-8 max(1, |f|)


@dataclass(frozen=True)
class InputCheck:
    """One input's derivative both ways.

    ``numeric`` is None when x ± h leaves an operation's domain (``note`` says which);
    ``passed`` is True or False, or None when the check cannot judge (that, or a relu's kink
    within x ± h, where the two sides' slopes differ).
    """
    name: str
    value: float
    backprop: float
    numeric: float | None
    absolute_error: float | None
    relative_error: float | None
    passed: bool | None
    note: str = ""


@dataclass(frozen=True)
class ExpressionCheck:
    expression: Expression
    graph: object  # core.graph.Graph at the given values
    rows: tuple    # InputCheck per input, in ``expression.inputs`` order
    eps: float

    @property
    def value(self):
        return self.graph[self.graph.output].value

    @property
    def passed(self):
        """True if every input agrees; False if one disagrees; None if some cannot be judged."""
        verdicts = [row.passed for row in self.rows]
        return False if False in verdicts else None if None in verdicts else True


def check_expression(text, values, eps=1e-6):
    """Each input's derivative by backpropagation beside its central finite difference.

    d f / d x_i ~ [f(x + h e_i) - f(x - h e_i)] / 2h with h = eps max(1, |x_i|), and the
    relative error |a - n| / (|a| + |n|) of ``core.gradcheck.relative_error``.

    Parameters
    ----------
    text : str or Expression.
    values : dict name -> number, one for every input.

    Returns
    -------
    ExpressionCheck

    Raises
    ------
    ValueError if the text does not parse; core.graph.DomainError (a ValueError) naming the
    operation if the expression is undefined at ``values``.
    """
    expression = text if isinstance(text, Expression) else parse(text)
    graph = expression.graph(values)
    values = {name: graph[name].value for name in expression.inputs}
    grads = gradients(graph)
    f = graph[graph.output].value
    rows = []
    for name in expression.inputs:
        x = values[name]
        try:
            h, plus, minus = _bumped(expression, values, name, eps)
        except DomainError as err:
            rows.append(InputCheck(name, x, grads[name], None, None, None, None,
                                   f"{name} ± h leaves the domain. {err}"))
            continue
        numeric = (plus[plus.output].value - minus[minus.output].value) / (2 * h)
        if not math.isfinite(numeric):
            rows.append(InputCheck(name, x, grads[name], None, None, None, None,
                                   f"f({name} ± h) is too large for a float difference."))
            continue
        absolute = abs(grads[name] - numeric)
        relative = relative_error(grads[name], numeric)
        passed = relative <= PASS_RELATIVE or absolute <= PASS_ABSOLUTE * max(1.0, abs(f))
        note = ""
        kinks = [n.name for n in graph.nodes if n.op == "relu" and not passed
                 and _crosses_zero(graph, plus, minus, n)]
        if kinks:
            passed = None
            note = (f"relu's kink at 0 lies within {name} ± h (at {', '.join(kinks)}): the "
                    "slopes left and right differ, and backprop takes relu′(0) = 0.")
        rows.append(InputCheck(name, x, grads[name], numeric, absolute, relative, passed, note))
    return ExpressionCheck(expression, graph, tuple(rows), eps)


def relative_error(a, n, floor=1e-12):
    """|a - n| / max(|a| + |n|, floor), as ``core.gradcheck.relative_error``, on two floats;
    scaled first when they are near 1e308, so that the sum cannot overflow."""
    big = max(abs(a), abs(n))
    if big < 1e300:
        return abs(a - n) / max(abs(a) + abs(n), floor)
    return abs(a / big - n / big) / (abs(a) / big + abs(n) / big)


def _bumped(expression, values, name, eps):
    """(h, graph at x + h, graph at x - h) with h = eps max(1, |x|); near the edge of a domain
    (log at x = 1e-7) a step relative to x, eps |x|, instead."""
    x = values[name]
    steps = [eps * max(1.0, abs(x))]
    if 0 < abs(x) < 1:
        steps.append(eps * abs(x))
    for h in steps:
        try:
            return (h, expression.graph({**values, name: x + h}),
                    expression.graph({**values, name: x - h}))
        except DomainError:
            if h == steps[-1]:
                raise


def _crosses_zero(graph, plus, minus, node):
    """Whether a relu's input is 0, or changes sign, between the three evaluations."""
    signs = {math.copysign(1.0, g[node.inputs[0]].value) if g[node.inputs[0]].value else 0.0
             for g in (graph, plus, minus)}
    return len(signs) > 1 or 0.0 in signs
