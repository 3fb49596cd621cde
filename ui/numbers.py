"""One way to write a number, everywhere: text for tables, status lines and figures, LaTeX for
equations.

Four significant figures; whole numbers as whole numbers; thousands separated; very large or
very small magnitudes as a × 10ⁿ; a true minus sign (−) in text; and never "−0": a value that
rounds to zero is written 0.
"""
import math

MINUS = "−"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _parts(x, digits):
    """(sign, mantissa text, exponent or None) of x to ``digits`` significant figures."""
    x = float(x)
    if x == 0:
        return "", "0", None
    sign = "-" if x < 0 else ""
    a = abs(x)
    if a >= 1e6 or a < 10.0 ** -digits:
        mantissa, exponent = f"{a:.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return sign, mantissa, int(exponent)
    if a == int(a):
        return sign, f"{int(a):,}", None
    if a >= 10 ** (digits - 1):
        return sign, f"{a:,.0f}", None
    decimals = max(digits - 1 - math.floor(math.log10(a)), 0)
    text = f"{a:.{decimals}f}".rstrip("0").rstrip(".")
    if float(text.replace(",", "")) == 0:
        return "", "0", None
    return sign, text, None


def num(x, digits=4):
    """A number as text: ``num(-0.000123) == "−0.000123"``, ``num(1e-7) == "1×10⁻⁷"``,
    ``num(1234567) == "1.235×10⁶"``, ``num(2.0) == "2"``, ``num(None) == "–"``."""
    if x is None:
        return "–"
    x = float(x)
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("∞" if x > 0 else f"{MINUS}∞")
    sign, mantissa, exponent = _parts(x, digits)
    text = mantissa if exponent is None else f"{mantissa}×10{str(exponent).translate(_SUPERSCRIPT)}"
    return (MINUS if sign else "") + text


def tex(x, digits=4):
    """The same number as LaTeX: ``tex(1e-7) == "1 \\times 10^{-7}"``; thousands as ``{,}``."""
    if x is None:
        return r"\text{–}"
    x = float(x)
    if not math.isfinite(x):
        return r"\text{NaN}" if math.isnan(x) else (r"\infty" if x > 0 else r"-\infty")
    sign, mantissa, exponent = _parts(x, digits)
    mantissa = mantissa.replace(",", "{,}")
    body = mantissa if exponent is None else rf"{mantissa} \times 10^{{{exponent}}}"
    return sign + body


def ptex(x, digits=4):
    """A LaTeX factor: a negative number in parentheses, so a product reads unambiguously."""
    s = tex(x, digits)
    return f"({s})" if s.startswith("-") else s


def paren(x, digits=4):
    """The text version of ``ptex``."""
    s = num(x, digits)
    return f"({s})" if s.startswith(MINUS) else s


def percent(x, digits=1):
    """A fraction as a percentage, "95.3%"; "–" for None."""
    return "–" if x is None else f"{100 * float(x):.{digits}f}%"


def prob(p):
    """A probability in two decimals, as a label beside a unit: "0.73", "<0.01" and ">0.99" at
    the ends (a sigmoid never gives 0 or 1; "6.7×10⁻¹²" ran off a narrow diagram)."""
    p = float(p)
    if not math.isfinite(p):
        return num(p)
    return "<0.01" if 0 < p < 0.005 else ">0.99" if 0.995 < p < 1 else f"{p:.2f}"
