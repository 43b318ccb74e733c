"""SymPy input: printed exactly, so that what ngd-verify proves is about the same expression."""

import warnings
from fractions import Fraction

import pytest
import sympy as sp
from conftest import QUICK

import ngd_verify
from ngd_verify import to_text

x, y, z = sp.symbols("x y z")

# The language's function names as SymPy reads them back.
LANGUAGE = {
    "abs": sp.Abs,
    "max": sp.Max,
    "min": sp.Min,
    "sign": sp.sign,
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
}

EXPRESSIONS = [
    (x * y - sp.Rational(1, 3)) ** 2,
    (x**3 + y**3 - 1) ** 2,
    (1 / x - 1 / y) ** 2,
    -(x**2) + 3 * y / (2 * z**3),
    x ** sp.Rational(1, 3) - y ** sp.Rational(-2, 5),
    sp.sqrt(1 + x**2) - 1,
    1 / sp.sqrt(x**2 + 1),
    sp.log(1 + (x * y - 1) ** 2),
    sp.exp(x - 2 * y) * sp.Abs(z) - sp.sign(x),
    sp.Max(x, y, z) - sp.Min(x, -y),
    sp.Rational(-7, 4) * x * y**2 + sp.Rational(5, 3),
    (-x) ** 3 + 2**x + sp.E,
    (x * y) ** 2 / (x**2 + 1) ** 3,
]


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=str)
def test_printed_text_reads_back_as_the_same_expression(expr):
    text = to_text(expr, "f")
    back = sp.sympify(text.replace("^", "**"), locals=LANGUAGE | {"x": x, "y": y, "z": z})
    assert sp.simplify(back - expr) == 0, text
    assert "." not in text  # no decimal ever appears: every number is an exact rational


def test_rational_one_third_stays_exact_through_the_report():
    case = ngd_verify.make_case(
        (x * y - sp.Rational(1, 3)) ** 2,
        (x**2 - y**2) ** 2,
        variables=[x, y],
        box={x: (-2, 2), "default": (-3, 3)},
    )
    assert 'objective = "(x*y - 1/3)^2"' in case.source
    r = case.verify(max_boxes=2000)
    assert r.case.objective == "(x*y - 1/3)^2"
    assert "(x*y - 1/3)^2" in r.to_markdown()
    assert r.c1.proved
    # The flat points of (xy - 1/3)^2 with phi = (x^2 - y^2)^2 lie at x = y = +-1/sqrt(3).
    approx = sorted(p.point.approx[0] for p in r.flat_points)
    assert approx == pytest.approx([-(3**-0.5), 3**-0.5], abs=1e-12)


def test_floats_are_exact_binary_rationals_with_a_warning():
    with pytest.warns(UserWarning, match="exact rational of its binary value"):
        text = to_text(x * y - sp.Float(0.1), "f")
    tenth = Fraction(0.1)
    assert f"{tenth.numerator}/{tenth.denominator}" in text
    with pytest.warns(UserWarning):
        assert to_text(0.5, "f") == "1/2"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert to_text(sp.Rational(1, 10) * x, "f") == "x/10"


def test_box_bounds_and_variables_accept_sympy_values():
    case = ngd_verify.make_case(
        x * y,
        x**2 - y**2,
        variables=[x, y],
        box={x: (sp.Rational(-1, 2), sp.Integer(2)), y: (-1.5, Fraction(7, 3))},
        **QUICK,
    )
    assert case.summary.case.search_box == (("x", "-1/2", "2"), ("y", "-3/2", "7/3"))


@pytest.mark.parametrize(
    "expr", [sp.sin(x), sp.pi * x, sp.I * x, sp.Piecewise((x, x > 0), (0, True)), sp.zoo, x + sp.oo]
)
def test_what_has_no_exact_form_is_refused_by_name(expr):
    with pytest.raises(ValueError, match="has no exact form"):
        to_text(expr, "phi")


def test_indexed_symbols_are_vector_entries():
    w = sp.IndexedBase("w")
    f = (w[1] * w[2] * w[3] - 1) ** 2
    assert to_text(f, "f") == "(w[1]*w[2]*w[3] - 1)^2"
    r = ngd_verify.check_identity(f, w[1] ** 2 - w[2] ** 2, variables=["w[3]"])
    assert r.c1.proved
    with pytest.raises(ValueError, match="integer >= 1"):
        to_text(w[0], "f")
