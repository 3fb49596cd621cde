"""Numbers and chain-rule products as text: LaTeX for st.latex, plain text for figures and tables.

Takes ``core.graph`` steps and plain numbers; no Streamlit here, so it is testable on its own.
"""
import re

from core.graph import tex_name
from ui.numbers import num, paren, ptex, tex


def partial(top, bottom, local=False):
    r"""∂top/∂bottom in LaTeX; ``local``: marked as the derivative along one edge alone (the
    other inputs held fixed), where the same symbol, unmarked, is the total over every path."""
    tex_partial = rf"\frac{{\partial {top}}}{{\partial {bottom}}}"
    return rf"\left.{tex_partial}\right|_{{\mathrm{{local}}}}" if local else tex_partial


def shared_nodes(graph):
    """The nodes that feed more than one input slot (x1 in x1 (x1 + x2)): an edge from one of
    them into the output has a local derivative ∂f/∂x1 that is not the total ∂f/∂x1."""
    return frozenset(n.name for n in graph.nodes if len(graph.consumers(n.name)) > 1)


def chain_latex(step, values, shared=frozenset()):
    """One backward step as the lectures write it:

    dL/db = dL/dL dL/de de/dd dd/db = 1 · c · 1 · 2 = 1 · (−2) · 1 · 2 = −4

    ``values`` maps node names to their values (to show formulas like "c" with numbers);
    ``shared``: the graph's ``shared_nodes``, whose edges into the output are marked local.
    """
    out = step.chains[0][0].top
    lhs = partial(tex_name(out), tex_name(step.node))
    if step.node == out:
        return rf"{lhs} = 1"
    symbols = " + ".join(" ".join(partial(tex_name(f.top), tex_name(f.bottom),
                                          local=f.top == out != f.bottom and f.bottom in shared)
                                  for f in chain)
                         for chain in step.chains)
    formulas = " + ".join(r" \cdot ".join(_factor(f.text) for f in chain) for chain in step.chains)
    numbers = " + ".join(r" \cdot ".join(ptex(f.value) for f in chain) for chain in step.chains)
    parts = [lhs, symbols, formulas]
    if numbers != formulas:
        parts.append(numbers)
    parts.append(tex(step.grad))
    return " = ".join(parts)


def _factor(text):
    """A local derivative as a factor of a product: 1 - h^2 and -1 in parentheses, h(1 - h)
    as it is (its sum is inside parentheses already)."""
    depth, top = 0, ""
    for char in text:
        depth += {"(": 1, "{": 1, ")": -1, "}": -1}.get(char, 0)
        top += char if depth == 0 else ""
    return f"({text})" if text.startswith("-") or " + " in top or " - " in top else text


def reuse_text(step):
    """The one multiplication backpropagation does at this step, reusing an earlier result."""
    if not step.upstream:
        return "The start: the output's derivative with respect to itself is 1."
    out = step.chains[0][0].top
    mark = " (local)" if len(step.upstream) > 1 else ""  # (one edge of several into the output)
    symbols = " + ".join(f"∂{out}/∂{consumer} × ∂{consumer}/∂{step.node}"
                         f"{mark if consumer == out else ''}" for consumer, _, _ in step.upstream)
    numbers = " + ".join(f"{paren(g)} × {paren(local)}" for _, g, local in step.upstream)
    return (f"Backpropagation's only work at this step: {symbols} = {numbers} = "
            f"{num(step.grad)}, reusing ∂{out}/∂{step.upstream[0][0]} from an earlier step.")


# LaTeX -> plain text with Plotly's <sup>/<sub>, for the few forms core.graph writes
_PLAIN = ((r"\left(", "("), (r"\right)", ")"), (r"\cdot", "·"), (r"\times", "×"),
          (r"\mathrm{relu}", "relu"), (r"\mathbf{1}", "1"), (r"\sigma", "σ"), (r"\log", "log"),
          (r"\exp", "exp"), (r"\sin", "sin"), (r"\cos", "cos"), (r"\tanh", "tanh"),
          (r"\_", "_"), (r"\,", " "))


def plain(latex):
    """A formula from ``core.graph`` as plain text for a figure: "n1 = x^{p}" -> "n1 =
    x<sup>p</sup>", "c \\cdot e" -> "c · e", a true minus sign."""
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", latex)
    text = re.sub(r"\\sqrt\{([^{}]*)\}",
                  lambda m: "√" + m[1] if re.fullmatch(r"\w+", m[1]) else f"√({m[1]})", text)
    text = re.sub(r"\\mathit\{([^{}]*)\}", r"\1", text)
    for tex_form, shown in _PLAIN:
        text = text.replace(tex_form, shown)
    text = re.sub(r"\^\{([^{}]*)\}", r"<sup>\1</sup>", text)
    text = re.sub(r"\^(\w)", r"<sup>\1</sup>", text)
    text = re.sub(r"_\{([^{}]*)\}", r"<sub>\1</sub>", text)
    return re.sub(" +", " ", text.replace("-", "−")).strip()


def graph_marks(graph, steps, order, k):
    """The nodes and edges of a ``core.graph`` graph for ``graph_figure`` after ``k`` of its
    backward ``steps`` (in ``order``): each node's value and, once reached, its gradient; each
    edge whose local derivative has been used, labelled with it."""
    out, done, shared = graph.output, {s.node: s for s in steps[:k]}, shared_nodes(graph)
    nodes = [dict(name=n.name,
                  value_text=f"{plain(n.formula) if n.inputs else n.name} = {num(n.value)}",
                  grad_text=f"∂{out}/∂{n.name} = {num(done[n.name].grad)}" if n.name in done
                  else None,
                  state="current" if k and n.name == order[k - 1] else
                  "done" if n.name in done else "todo") for n in graph.nodes]
    edges = []
    for src, dst in graph.edges:
        label = None
        if src in done:  # the local derivative d dst / d src has been used
            node = graph[dst]
            pos = node.inputs.index(src)
            text, value = plain(node.local_text[pos]), num(node.local[pos])
            local = " (local)" if dst == out and src in shared else ""  # (not the total)
            label = f"∂{dst}/∂{src}{local} = {text}" + (f" = {value}" if text != value else "")
        edges.append(dict(src=src, dst=dst, label=label))
    return nodes, edges
