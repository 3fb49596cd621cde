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
``OPS``, and ``backward`` differentiates it.
"""
from dataclasses import dataclass

# op name -> (forward rule, local derivatives with respect to each input, the same as text).
# ``k`` is the operation's constant (the 2 in d = 2b); unused by the others.
OPS = {
    "add": (lambda x, y, k: x + y,
            lambda x, y, k: (1.0, 1.0),
            lambda xn, yn, k: ("1", "1")),
    "mul": (lambda x, y, k: x * y,
            lambda x, y, k: (y, x),  # d(xy)/dx = y and d(xy)/dy = x
            lambda xn, yn, k: (yn, xn)),
    "scale": (lambda x, k: k * x,
              lambda x, k: (k,),
              lambda xn, k: (f"{k:g}",)),
}

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
    nodes = [Node(k, v) for k, v in values.items()]
    for name, op, args, k, formula in ops:
        rule, local, local_text = OPS[op]
        xs = [values[a] for a in args]
        values[name] = float(rule(*xs, k))
        nodes.append(Node(name, values[name], op, tuple(args),
                          tuple(float(v) for v in local(*xs, k)),
                          tuple(local_text(*args, k)), formula))
    return Graph(tuple(nodes))


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
