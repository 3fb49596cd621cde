"""A computation graph, evaluated forward and differentiated backward one node at a time.

The lectures' example is L(a, b, c) = c (a + 2b), split into three operations:

    d = 2b,        e = a + d,        L = c e

Each operation keeps its local derivatives right beside its forward rule (dd/db = 2;
de/da = de/dd = 1; dL/dc = e, dL/de = c). Backpropagation starts from dL/dL = 1 and walks the
graph right to left: a node's derivative is its consumer's derivative times the consumer's
local derivative with respect to it (the chain rule), summed over consumers when a value is
used more than once. Every derivative is computed once and reused by the nodes to its left;
that reuse is what makes backpropagation cheap.

Nothing here is specific to this one expression: ``evaluate`` runs any list of operations from
``OPS``, and ``backward`` differentiates it (``core.expression`` builds such lists from text).

All arithmetic is on Python floats with the ``math`` module, so a value outside an operation's
domain (log of a negative, division by zero, an overflow) raises a ``DomainError`` naming the
node and the operation, never a NaN or a numpy warning.
"""
import math
import re
from dataclasses import dataclass


class DomainError(ValueError):
    """A node's value or local derivative is undefined or too large at these inputs."""


def tex_number(k):
    """A constant as it is written in a formula: 2, 0.5, -3, 1 \\times 10^{-7}."""
    text = f"{k:g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def tex_name(name):
    """A name as LaTeX: a, x1 and n12 as they are, x_1 and x_max with a subscript, anything
    else upright-italic with its underscores escaped (so "my_rate_2" never breaks LaTeX)."""
    if re.fullmatch(r"[A-Za-z]+[0-9]*", name):
        return name
    match = re.fullmatch(r"([A-Za-z]+)_([A-Za-z0-9]+)", name)
    if match:
        return rf"{match[1]}_{{{match[2]}}}"
    return r"\mathit{" + name.replace("_", r"\_") + "}"


_n, _k = tex_name, tex_number


def _sigmoid(x):
    # the stable form: exp of a negative number only, never an overflow
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


# op name -> (forward rule, local derivatives with respect to each input, the same as text).
# ``k`` is the operation's constant (the 2 in d = 2b); unused by the others. ``out`` is the
# node's own name: some derivatives read best in the node's value (d e^x / dx = e^x), which
# the forward pass has already computed, as micrograd's ``out.data`` does.
# The texts are LaTeX that also reads as plain text (``ui.backprop_text.plain``).
OPS = {
    # the lectures' three operations
    "add": (lambda x, y, k: x + y,
            lambda x, y, k: (1.0, 1.0),
            lambda xn, yn, k, out: ("1", "1")),
    "mul": (lambda x, y, k: x * y,
            lambda x, y, k: (y, x),  # d(xy)/dx = y and d(xy)/dy = x
            lambda xn, yn, k, out: (_n(yn), _n(xn))),
    "scale": (lambda x, k: k * x,
              lambda x, k: (k,),
              lambda xn, k, out: (_k(k),)),
    # two variables
    "sub": (lambda x, y, k: x - y,
            lambda x, y, k: (1.0, -1.0),
            lambda xn, yn, k, out: ("1", "-1")),
    "div": (lambda x, y, k: x / y,
            lambda x, y, k: (1.0 / y, -x / y / y),  # d(x/y)/dy = -x/y^2
            lambda xn, yn, k, out: (rf"1/{_n(yn)}", rf"-{_n(xn)}/{_n(yn)}^2")),
    "pow": (lambda x, y, k: math.pow(x, y),
            # d x^y/dx = y x^(y-1) = y x^y / x;  d x^y/dy = x^y log x (needs x > 0)
            lambda x, y, k: (y * math.pow(x, y) / x, math.pow(x, y) * math.log(x)),
            lambda xn, yn, k, out: (rf"{_n(yn)} \cdot {_n(xn)}^{{{_n(yn)} - 1}}",
                                    rf"{_n(out)} \cdot \log {_n(xn)}")),
    # one variable and the constant k
    "shift": (lambda x, k: x + k,
              lambda x, k: (1.0,),
              lambda xn, k, out: ("1",)),
    "rsub": (lambda x, k: k - x,
             lambda x, k: (-1.0,),
             lambda xn, k, out: ("-1",)),
    "rdiv": (lambda x, k: k / x,
             lambda x, k: (-k / x / x,),  # d(k/x)/dx = -k/x^2
             lambda xn, k, out: (rf"-{_k(k)}/{_n(xn)}^2",)),
    "powc": (lambda x, k: math.pow(x, k),
             lambda x, k: (0.0 if k == 0 else k * math.pow(x, k - 1),),  # d x^k/dx = k x^(k-1)
             lambda xn, k, out: (_powc_text(xn, k),)),
    "rpow": (lambda x, k: math.pow(k, x),
             lambda x, k: (math.pow(k, x) * math.log(k),),  # d k^x/dx = k^x log k
             lambda xn, k, out: (rf"{_n(out)} \cdot \log {_k(k)}",)),
    # one variable: minus and the functions
    "neg": (lambda x, k: -x,
            lambda x, k: (-1.0,),
            lambda xn, k, out: ("-1",)),
    "log": (lambda x, k: math.log(x),
            lambda x, k: (1.0 / x,),
            lambda xn, k, out: (rf"1/{_n(xn)}",)),
    "exp": (lambda x, k: math.exp(x),
            lambda x, k: (math.exp(x),),  # e^x is its own derivative: the node's value
            lambda xn, k, out: (_n(out),)),
    "sin": (lambda x, k: math.sin(x),
            lambda x, k: (math.cos(x),),
            lambda xn, k, out: (rf"\cos {_n(xn)}",)),
    "cos": (lambda x, k: math.cos(x),
            lambda x, k: (-math.sin(x),),
            lambda xn, k, out: (rf"-\sin {_n(xn)}",)),
    "tanh": (lambda x, k: math.tanh(x),
             lambda x, k: (1.0 - math.tanh(x) ** 2,),
             lambda xn, k, out: (rf"1 - {_n(out)}^2",)),
    "sigmoid": (lambda x, k: _sigmoid(x),
                lambda x, k: (_sigmoid(x) * (1.0 - _sigmoid(x)),),
                lambda xn, k, out: (rf"{_n(out)}(1 - {_n(out)})",)),
    "sqrt": (lambda x, k: math.sqrt(x),
             lambda x, k: (0.5 / math.sqrt(x),),
             lambda xn, k, out: (rf"1/(2 {_n(out)})",)),
    "relu": (lambda x, k: max(x, 0.0),
             lambda x, k: (1.0 if x > 0 else 0.0,),  # at the kink x = 0 we take 0
             lambda xn, k, out: (rf"\mathbf{{1}}[{_n(xn)} > 0]",)),
}


def _powc_text(xn, k):
    if k == 0:
        return "0"
    if k == 1:
        return "1"
    power = _n(xn) if k == 2 else rf"{_n(xn)}^{{{_k(k - 1)}}}"
    return rf"{_k(k)} \cdot {power}"


def _integer(k):
    return float(k).is_integer()


# op name -> why its inputs are outside its domain, or None: (x[, y], k) -> str | None.
# Ops without an entry are defined everywhere (an overflow is caught after the fact).
DOMAINS = {
    "div": lambda x, y, k: "division by zero" if y == 0 else None,
    "pow": lambda x, y, k: None if x > 0 else (
        "a variable exponent needs a positive base (d x^p/dp = x^p log x); for a fixed "
        "power write a number, e.g. x**2"),
    "rdiv": lambda x, k: "division by zero" if x == 0 else None,
    "powc": lambda x, k: (
        "a negative number to a fractional power is not real" if x < 0 and not _integer(k)
        else "zero to a negative power is a division by zero" if x == 0 and k < 0
        else "the derivative of x^k is infinite at x = 0 for 0 < k < 1"
        if x == 0 and 0 < k < 1 else None),
    "rpow": lambda x, k: None if k > 0 else "a constant base to a variable power must be > 0",
    "log": lambda x, k: None if x > 0 else "log needs a positive input",
    "sqrt": lambda x, k: (None if x > 0 else "sqrt needs a non-negative input" if x < 0
                          else "the derivative of sqrt is infinite at 0"),
}

# what an overflow is called, per op
_RESULT = {"add": "the sum", "shift": "the sum", "sub": "the difference", "rsub": "the difference",
           "mul": "the product", "scale": "the product", "div": "the quotient",
           "rdiv": "the quotient", "pow": "the power", "powc": "the power", "rpow": "the power",
           "exp": "e^x"}


# The lectures' L = c (a + 2b): (name, op, inputs, constant, formula as LaTeX)
LECTURE_OPS = (
    ("d", "scale", ("b",), 2.0, r"d = 2b"),
    ("e", "add", ("a", "d"), None, r"e = a + d"),
    ("L", "mul", ("c", "e"), None, r"L = c \cdot e"),
)
LECTURE_INPUTS = ("a", "b", "c")


@dataclass(frozen=True)
class Node:
    """One value of the graph.

    ``local`` holds d(this node) / d(input) for each of ``inputs`` at the current values, and
    ``local_text`` the same derivatives as formulas ("c", "1", "2"). Inputs of the whole graph
    (a, b, c) have no inputs of their own.
    """
    name: str
    value: float
    op: str = "input"
    inputs: tuple = ()
    local: tuple = ()
    local_text: tuple = ()
    formula: str = ""


@dataclass(frozen=True)
class Graph:
    """Nodes in forward (creation) order: the graph's inputs first, the output last."""
    nodes: tuple

    def __getitem__(self, name):
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)

    @property
    def names(self):
        return [n.name for n in self.nodes]

    @property
    def output(self):
        return self.nodes[-1].name

    def consumers(self, name):
        """(node, position) for every input slot that ``name`` fills (twice for s = a a)."""
        return [(n, pos) for n in self.nodes for pos, i in enumerate(n.inputs) if i == name]

    @property
    def edges(self):
        """(input, node) pairs, the direction of the forward pass."""
        return [(i, n.name) for n in self.nodes for i in n.inputs]


def evaluate(inputs, ops=LECTURE_OPS):
    """The forward pass: every node's value and local derivatives.

    Parameters
    ----------
    inputs : dict name -> float, the graph's inputs (for the lectures' graph: a, b, c).
    ops : sequence of (name, op, input names, constant, formula); op is a key of ``OPS``.

    Returns
    -------
    Graph
    """
    values = {k: float(v) for k, v in inputs.items()}
    for name, value in values.items():
        if not math.isfinite(value):
            raise DomainError(f"The input {name} must be a finite number.")
    nodes = [Node(k, v) for k, v in values.items()]
    for name, op, args, k, formula in ops:
        rule, local, local_text = OPS[op]
        xs = [values[a] for a in args]
        value, slopes = _forward(name, op, args, xs, k, rule, local)
        values[name] = value
        nodes.append(Node(name, value, op, tuple(args), slopes,
                          tuple(local_text(*args, k, name)), formula))
    return Graph(tuple(nodes))


def _forward(name, op, args, xs, k, rule, local):
    """One node's value and local derivatives, or a DomainError that names the node."""
    shown = ", ".join(f"{a} = {x:.6g}" for a, x in zip(args, xs))
    where = f"Cannot compute {name} ({op}, with {shown})"
    reason = DOMAINS[op](*xs, k) if op in DOMAINS else None
    if reason:
        raise DomainError(f"{where}: {reason}.")
    try:
        value = float(rule(*xs, k))
        slopes = tuple(float(v) for v in local(*xs, k))
    except (OverflowError, ZeroDivisionError, ValueError):
        value, slopes = math.inf, ()
    if not math.isfinite(value):
        raise DomainError(f"{where}: {_RESULT.get(op, 'the result')} is too large for a float "
                          "(over 1.8e308).")
    if not all(math.isfinite(v) for v in slopes):
        raise DomainError(f"{where}: its derivative is too large for a float (over 1.8e308).")
    return value, slopes


def lecture_graph(a=3.0, b=1.0, c=-2.0):
    """The lectures' L = c (a + 2b) at the given inputs (defaults give L = -2 (3 + 2) = -10)."""
    return evaluate({"a": a, "b": b, "c": c})


@dataclass(frozen=True)
class Factor:
    """One factor of a chain-rule product: d top / d bottom, as a formula and a number."""
    top: str
    bottom: str
    text: str
    value: float


@dataclass(frozen=True)
class Step:
    """One step of the backward pass: the derivative of the output with respect to ``node``.

    ``chains`` holds one product of factors per path from the output to the node, starting
    with dL/dL = 1 (the lectures' graph is a tree: one path each). ``upstream`` lists, per
    consumer, (consumer, d output / d consumer, d consumer / d node): the one multiplication
    backpropagation actually does, reusing the consumer's derivative from an earlier step.
    """
    node: str
    grad: float
    chains: tuple
    upstream: tuple


def backward_order(graph):
    """Right to left: the output first; a node only once every node that uses it is done.

    Among the nodes that are ready, the earliest-ready goes first, so the walk sweeps the graph
    column by column (for L = c (a + 2b): L, c, e, a, d, b), as the lectures do.
    """
    remaining = {n.name: len(graph.consumers(n.name)) for n in graph.nodes}
    queue, order = [graph.output], []
    while queue:
        name = queue.pop(0)
        order.append(name)
        for parent in graph[name].inputs:
            remaining[parent] -= 1
            if remaining[parent] == 0:
                queue.append(parent)
    return order


def backward(graph):
    """The backward pass, one ``Step`` per node in ``backward_order``.

    dL/dL = 1; then for every node n, dL/dn = sum over consumers m of dL/dm * dm/dn.

    Returns
    -------
    list of Step
    """
    out = graph.output
    grads = {out: 1.0}
    chains = {out: ((Factor(out, out, "1", 1.0),),)}
    steps = [Step(out, 1.0, chains[out], ())]
    for name in backward_order(graph)[1:]:
        # go one consumer at a time and apply the chain rule
        grad, paths, upstream = 0.0, [], []
        for consumer, pos in graph.consumers(name):
            local = consumer.local[pos]
            grad += grads[consumer.name] * local
            factor = Factor(consumer.name, name, consumer.local_text[pos], local)
            paths += [chain + (factor,) for chain in chains[consumer.name]]
            upstream.append((consumer.name, grads[consumer.name], local))
        grads[name] = grad
        chains[name] = tuple(paths)
        steps.append(Step(name, grad, tuple(paths), tuple(upstream)))
    return steps


def gradients(graph):
    """d output / d node for every node, as a dict."""
    return {s.node: s.grad for s in backward(graph)}
