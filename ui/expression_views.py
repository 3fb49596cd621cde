"""What "your own expression" shows, built from numbers: any computation graph after k backward
steps (figure, message, chain-rule LaTeX), the finite-difference check as a table and a
verdict, the presets and the words. No Streamlit here (``ui.expression_section`` lays it out).
"""
from core.expression import FUNCTIONS, MAX_CHARS, MAX_INPUTS, PASS_ABSOLUTE, PASS_RELATIVE
from core.graph import backward, backward_order, tex_name
from ui.backprop_figures import graph_figure
from ui.backprop_text import chain_latex, graph_marks, partial, reuse_text, shared_nodes
from ui.numbers import num, ptex, tex

DEFAULT = "c*(a+2*b)"
DEFAULT_VALUES = {"a": 3.0, "b": 1.0, "c": -2.0}  # the lectures' a, b, c; every other name 1
VALUE_LIMIT = 1e6  # an input's box stays within ±VALUE_LIMIT, as the lecture graph's a, b, c
# the lectures' examples: button label -> (expression, values that show something)
PRESETS = {
    "c(a + 2b)": ("c*(a+2*b)", {"a": 3.0, "b": 1.0, "c": -2.0}),
    "x₁(x₁ + x₂)": ("x1*(x1+x2)", {"x1": 2.0, "x2": 3.0}),
    "log x₁ + log x₂": ("log(x1)+log(x2)", {"x1": 2.0, "x2": 0.5}),
    "c·xᵖ": ("c*x**p", {"c": -2.0, "x": 2.0, "p": 3.0}),
}
MAX_PATHS = 4  # more paths than this: the chain rule is shown per consumer, not per path


def default_value(name):
    return DEFAULT_VALUES.get(name, 1.0)


def graph_height(graph):
    """Room for the graph's inputs, stacked top to bottom (the lectures' three: 400 px)."""
    leaves = sum(1 for n in graph.nodes if not n.inputs)
    return int(min(900, max(320, 150 + 85 * leaves)))


def graph_parts(graph, k):
    """Any ``core.graph`` graph after ``k`` backward steps.

    Returns
    -------
    (figure, message above it, chain-rule LaTeX of each step so far, closing text or None,
    number of steps)
    """
    steps, order = backward(graph), backward_order(graph)
    k = max(0, min(k, len(steps)))
    out = graph.output
    done = {s.node: s for s in steps[:k]}
    values = {n.name: n.value for n in graph.nodes}
    nodes, edges = graph_marks(graph, steps, order, k)
    if k == 0:
        message = (f"**Forward pass done:** {out} = {num(values[out])}, every node's value "
                   f"above it. Press **Step backward** to start from ∂{out}/∂{out} = 1.")
    else:
        s = steps[k - 1]
        message = (f"**Step {k} of {len(steps)}:** ∂{out}/∂{s.node} = {num(s.grad)}. "
                   + reuse_text(s))
    closing = None
    if k == len(steps):
        inputs = [n.name for n in graph.nodes if not n.inputs]
        closing = ("All done: " + ", ".join(f"∂{out}/∂{name} = {num(done[name].grad)}"
                                            for name in inputs)
                   + ". The table below checks each one against finite differences.")
    shared = shared_nodes(graph)
    lines = [chain_latex(s, values, shared) if len(s.chains) <= MAX_PATHS else consumer_latex(s)
             for s in steps[:k]]
    return (graph_figure(nodes, edges, height=graph_height(graph)), message, lines, closing,
            len(steps))


def consumer_latex(step):
    """dL/dn = sum over consumers m of dL/dm dm/dn, with the numbers: the backward pass's own
    arithmetic, for a node reached along too many paths to list them."""
    top = step.chains[0][0].top
    out, node = tex_name(top), tex_name(step.node)
    several = len(step.upstream) > 1  # (an edge into the output is then one path of several)
    symbols = " + ".join(partial(out, tex_name(m))
                         + partial(tex_name(m), node, local=several and m == top)
                         for m, _, _ in step.upstream)
    numbers = " + ".join(rf"{ptex(g)} \cdot {ptex(local)}" for _, g, local in step.upstream)
    return (rf"{partial(out, node)} = {symbols} = {numbers} = {tex(step.grad)}"
            rf"\quad \text{{({len(step.chains)} paths)}}")


def expression_latex(check):
    """The whole expression and its value: f = c (a + 2b) = -10."""
    return rf"{check.expression.latex} = {tex(check.value)}"


def check_table(check):
    """Each input's derivative by backpropagation, by finite differences, and how far apart."""
    out = check.expression.output
    mark = {True: "✅", False: "❌", None: "–"}
    rows = check.rows
    return {"input": [r.name for r in rows],
            "value": [num(r.value, 12) for r in rows],
            f"∂{out}/∂input by backprop": [num(r.backprop, 12) for r in rows],
            "by finite differences": [num(r.numeric, 12) for r in rows],
            "relative error": ["–" if r.relative_error is None else f"{r.relative_error:.1e}"
                               for r in rows],
            "agree": [mark[r.passed] for r in rows]}


def check_verdict(check):
    """(kind, text): "success" when every input agrees, "error" when one disagrees, "warning"
    when the check cannot judge one (x ± h leaves a domain, or straddles relu's kink)."""
    if check.passed:
        worst = max(r.relative_error for r in check.rows)
        near_zero = [r.name for r in check.rows if r.relative_error > PASS_RELATIVE]
        how = (f"the largest relative error is {worst:.1e} (we ask for under "
               f"{PASS_RELATIVE:.0e})" if not near_zero else
               f"relative errors under {PASS_RELATIVE:.0e}, except for {', '.join(near_zero)}, "
               f"whose derivative is near 0: there the absolute error is under "
               f"{PASS_ABSOLUTE:.0e}·max(1, |f|), the rounding of the differences themselves")
        return "success", (f"Backpropagation and finite differences agree for every input: "
                           f"{how}. The derivatives of the backward pass are right.")
    notes = " ".join(r.note for r in check.rows if r.note)
    if check.passed is False:
        bad = ", ".join(r.name for r in check.rows if r.passed is False)
        return "error", (f"Backpropagation and finite differences disagree for {bad}: a local "
                         f"derivative is wrong somewhere. {notes}".strip())
    return "warning", f"Not every derivative can be checked at these values. {notes}"


# ---- the section's words --------------------------------------------------------------------
# the box's label says what the section is for (a line above it pushed the step buttons under a
# 1024x768 screen once an error showed)
LABEL = "**Your own expression:** type a formula and go backward through its graph"
GRAMMAR = (f"Numbers, names (letters, digits, _), + - * / ** (power) and parentheses, and the "
           f"functions {', '.join(FUNCTIONS)} of one argument. At most {MAX_CHARS} characters "
           f"and {MAX_INPUTS} inputs. Constants join the operation that uses them, as in the "
           "lectures' d = 2b.")
CAPTION = ("Black: each node's formula and value. Red: the output's derivative with respect to "
           "each node, under it once the backward pass reaches it, and each edge's local "
           "derivative once used. A value used twice is one node with two arrows out: its "
           "derivative is the sum over both paths, and its arrow into the output says (local): "
           "that one path's part, the total under the node. The orange node is the one just "
           "computed.")
CHECK_TEXT = ("**Checked against finite differences:** nudge one input by h = 10⁻⁶·max(1, |x|) "
              "both ways (10⁻⁶·|x| if that would leave an operation's domain, as log near 0 "
              "does), [f(x + h) − f(x − h)] / 2h: no calculus needed. The relative error is "
              "|a − n| / (|a| + |n|).")
