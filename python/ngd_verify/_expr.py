"""Expressions given from Python as text of the ngd-verify expression language.

``f`` and ``phi`` may be strings (passed through unchanged), Python integers and
fractions, or SymPy expressions. SymPy expressions are printed exactly: integers and
``Rational(p, q)`` stay exact (``1/3``), ``Pow`` becomes ``^`` (``sqrt`` for the exponent
1/2), ``Abs`` becomes ``abs``, ``Max``/``Min`` become ``max``/``min``, and ``exp``, ``log``,
``sign`` keep their names. A SymPy ``Float`` (and a Python ``float``) is converted to the
exact rational of its binary value, with a warning, because ``0.1`` as a float is not one
tenth; write ``Rational(1, 10)`` or the string ``"0.1"`` for one tenth. Anything else (``pi``,
``sin``, ``Piecewise``, matrix elements) has no exact counterpart in the language and raises
``ValueError`` naming it.
"""

from __future__ import annotations

import math
import sys
import warnings
from fractions import Fraction
from typing import Any

# Binding strength of the printed forms: a sum, a product or quotient, a power, an atom.
# A negated term binds like a sum (so it is parenthesized as a factor or a base).
_SUM, _PRODUCT, _POWER, _ATOM = 1, 2, 3, 4

# SymPy function class names and their names in the expression language.
_FUNCTIONS = {
    "exp": "exp",
    "log": "log",
    "Abs": "abs",
    "sign": "sign",
    "Max": "max",
    "Min": "min",
}


def to_text(expr: Any, what: str) -> str:
    """The text of ``expr`` in the expression language; ``what`` names it in errors."""
    if isinstance(expr, str):
        # A lone surrogate cannot cross into Rust: UnicodeEncodeError (a ValueError) here.
        expr.encode("utf-8")
        return expr
    if isinstance(expr, bool):
        raise TypeError(f"{what} must be a string or a SymPy expression, got a bool")
    if isinstance(expr, int):
        return str(expr)
    if isinstance(expr, Fraction):
        return _fraction_text(expr)[0]
    if isinstance(expr, float):
        return _fraction_text(_exact_float(expr, what))[0]
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(expr, sympy.Basic):
        return str(_Printer(sympy, what).text(expr)[0])
    raise TypeError(f"{what} must be a string or a SymPy expression, got {type(expr).__name__}")


def name_of(variable: Any, what: str = "a variable") -> str:
    """The declaration text of a variable given as a string or a SymPy symbol."""
    if isinstance(variable, str):
        return variable
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(variable, sympy.Symbol):
        return str(variable.name)
    if sympy is not None and isinstance(variable, sympy.Indexed):
        return to_text(variable, what)
    raise TypeError(f"{what} must be a string or a SymPy Symbol, got {type(variable).__name__}")


def _exact_float(value: float, what: str) -> Fraction:
    if not math.isfinite(value):
        raise ValueError(f"{what}: {value} is not a finite number")
    warnings.warn(
        f"{what}: the float {value!r} is taken as the exact rational of its binary value "
        f'({Fraction(value)}); write a Rational or a string such as "0.1" for a decimal',
        stacklevel=4,
    )
    return Fraction(value)


def _fraction_text(q: Fraction) -> tuple[str, int]:
    if q.denominator == 1:
        return str(q.numerator), (_ATOM if q.numerator >= 0 else _SUM)
    return f"{q.numerator}/{q.denominator}", (_PRODUCT if q.numerator >= 0 else _SUM)


def _wrap(printed: tuple[str, int], at_least: int) -> str:
    text, strength = printed
    return text if strength >= at_least else f"({text})"


class _Printer:
    """Prints a SymPy expression tree; each method returns (text, binding strength)."""

    def __init__(self, sympy: Any, what: str) -> None:
        self.sympy = sympy
        self.what = what

    def text(self, e: Any) -> tuple[str, int]:
        s = self.sympy
        if isinstance(e, s.Rational):  # Integer included
            return _fraction_text(Fraction(int(e.p), int(e.q)))
        if isinstance(e, s.Float):
            return _fraction_text(_exact_float_of_sympy(s, e, self.what))
        if e is s.E:
            return "exp(1)", _ATOM
        if isinstance(e, s.Symbol):
            return e.name, _ATOM
        if isinstance(e, s.Indexed):
            return self._indexed(e)
        if isinstance(e, s.Add):
            return self._sum(e)
        if isinstance(e, s.Mul):
            return self._product(e)
        if isinstance(e, s.Pow):
            return self._power(e)
        name = _FUNCTIONS.get(type(e).__name__)
        if name is not None and isinstance(e, s.core.function.Application):
            args = ", ".join(self.text(a)[0] for a in e.args)
            return f"{name}({args})", _ATOM
        raise ValueError(
            f"{self.what}: {type(e).__name__} ({e}) has no exact form in the ngd-verify "
            "expression language (+ - * / ^, rationals, abs exp log sqrt sign max min)"
        )

    def _indexed(self, e: Any) -> tuple[str, int]:
        indices = []
        for i in e.indices:
            if not (isinstance(i, self.sympy.Integer) and i >= 1):
                raise ValueError(
                    f"{self.what}: the index {i} of {e} must be an integer >= 1 "
                    "(variables are indexed from 1, as x[1]..x[n])"
                )
            indices.append(str(int(i)))
        return f"{e.base.label}[{','.join(indices)}]", _ATOM

    def _sum(self, e: Any) -> tuple[str, int]:
        parts: list[str] = []
        for term in e.as_ordered_terms():
            negative = term.could_extract_minus_sign()
            body = -term if negative else term
            text = _wrap(self.text(body), _PRODUCT)
            if not parts:
                parts.append(f"-{text}" if negative else text)
            else:
                parts.append(f"- {text}" if negative else f"+ {text}")
        return " ".join(parts), _SUM

    def _product(self, e: Any) -> tuple[str, int]:
        s = self.sympy
        coeff, factors = e.as_coeff_mul()
        sign = ""
        if coeff < 0:
            sign, coeff = "-", -coeff
        numerator: list[str] = []
        denominator: list[str] = []
        if isinstance(coeff, s.Float):
            coeff = s.Rational(_exact_float_of_sympy(s, coeff, self.what))
        if coeff.p != 1:
            numerator.append(str(int(coeff.p)))
        if coeff.q != 1:
            denominator.append(str(int(coeff.q)))
        for factor in factors:
            base, exponent = factor.as_base_exp()
            if exponent.is_Rational and exponent < 0:
                denominator.append(_wrap(self.text(base**-exponent), _POWER))
            else:
                numerator.append(_wrap(self.text(factor), _POWER))
        text = "*".join(numerator) or "1"
        if denominator:
            below = denominator[0] if len(denominator) == 1 else "(" + "*".join(denominator) + ")"
            text = f"{text}/{below}"
        if sign:
            return f"-{text}", _SUM
        return text, _PRODUCT

    def _power(self, e: Any) -> tuple[str, int]:
        s = self.sympy
        base, exponent = e.args
        if base is s.E:
            return f"exp({self.text(exponent)[0]})", _ATOM
        if exponent == s.Rational(1, 2):
            return f"sqrt({self.text(base)[0]})", _ATOM
        base_text = _wrap(self.text(base), _ATOM)
        exponent_text = self.text(exponent)
        if exponent_text[1] == _ATOM and not exponent_text[0].startswith("-"):
            return f"{base_text}^{exponent_text[0]}", _POWER
        return f"{base_text}^({exponent_text[0]})", _POWER


def _exact_float_of_sympy(sympy: Any, value: Any, what: str) -> Fraction:
    """The exact rational of a SymPy Float's binary value (any precision), with a warning."""
    exact = sympy.Rational(value)
    if not exact.is_finite:
        raise ValueError(f"{what}: {value} is not a finite number")
    warnings.warn(
        f"{what}: the SymPy Float {value} is taken as the exact rational of its binary value "
        f"({exact}); use Rational(p, q) or nsimplify for an exact decimal",
        stacklevel=5,
    )
    return Fraction(int(exact.p), int(exact.q))
