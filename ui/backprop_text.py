"""Numbers and chain-rule products as text: LaTeX for st.latex, plain text for figures and tables.

Takes ``core.graph`` steps and plain numbers; no Streamlit here, so it is testable on its own.
"""
from ui.numbers import num, paren, ptex, tex


def partial(top, bottom):
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def chain_latex(step, values):
    """One backward step as the lectures write it:

    dL/db = dL/dL dL/de de/dd dd/db = 1 · c · 1 · 2 = 1 · (−2) · 1 · 2 = −4

    ``values`` maps node names to their values (to show formulas like "c" with numbers).
    """
    out = step.chains[0][0].top
    lhs = partial(out, step.node)
    if step.node == out:
        return rf"{lhs} = 1"
    symbols = " + ".join(" ".join(partial(f.top, f.bottom) for f in chain) for chain in step.chains)
    formulas = " + ".join(r" \cdot ".join(f.text for f in chain) for chain in step.chains)
    numbers = " + ".join(r" \cdot ".join(ptex(f.value) for f in chain) for chain in step.chains)
    parts = [lhs, symbols, formulas]
    if numbers != formulas:
        parts.append(numbers)
    parts.append(tex(step.grad))
    return " = ".join(parts)


def reuse_text(step):
    """The one multiplication backpropagation does at this step, reusing an earlier result."""
    if not step.upstream:
        return "The start: the output's derivative with respect to itself is 1."
    terms = [f"∂L/∂{consumer} × ∂{consumer}/∂{step.node} = {paren(g)} × {paren(local)}"
             for consumer, g, local in step.upstream]
    return ("Backpropagation's only work at this step: " + " + ".join(terms) +
            f" = {num(step.grad)}, reusing ∂L/∂{step.upstream[0][0]} from an earlier step.")
