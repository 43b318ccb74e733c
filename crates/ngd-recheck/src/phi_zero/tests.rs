use super::*;
use ngd_algebra::{zero_test, ZeroTest};

fn arena() -> Arena {
    Arena::new(vec!["x".into(), "y".into()])
}

fn expr(a: &mut Arena, s: &str) -> ExprId {
    parse_expr(a, s, &Params::new()).unwrap()
}

fn q(s: &str) -> Rational {
    Rational::from(Rational::parse(s).unwrap())
}

/// The canonical form decides rational powers of integers: the relation `t^3 = 2` of
/// `t = 2^(1/3)` is applied whichever way the power is built, and a false identity is not
/// reported zero.
#[test]
fn the_canonical_form_decides_rational_powers_of_integers() {
    let mut a = arena();
    for zero in [
        "(2^(1/3))^3 - 2",
        "(2^(1/3))^2 * 2^(1/3) - 2",
        "2^(1/3) * 2^(1/3) * 2^(1/3) - 2",
        "2^(-1/3) * 2^(1/3) - 1",
        "(2 * (2^(-1/3))^3 - 1)^2",
        "(1/2^(-1/3) - 1/2^(-1/3))^2",
    ] {
        let e = expr(&mut a, zero);
        assert_eq!(zero_test(&a, e), ZeroTest::Zero, "{zero}");
    }
    // Built node by node too, so that no folding by the parser hides the reduction.
    let two = a.int(2);
    let t = a.pow(two, q("1/3"));
    let t3 = a.mul(vec![t, t, t]);
    let d = a.sub(t3, two);
    assert_eq!(zero_test(&a, d), ZeroTest::Zero);
    for nonzero in [
        "(2^(1/3))^2 - 2",
        "2^(1/3) - 5/4",
        "(2 * (2^(-1/2))^3 - 1)^2",
        "2^(1/3) - 2^(1/2)",
    ] {
        let e = expr(&mut a, nonzero);
        assert_eq!(zero_test(&a, e), ZeroTest::NonZero, "{nonzero}");
    }
}

#[test]
fn nonnegative_by_syntax_is_strict() {
    let mut a = arena();
    for yes in [
        "(1/x - 1/y)^2",
        "(x^2 - y^2)^2",
        "y^2/x^4",
        "(1/x - 1/y)^2 + 1/1000",
        "sqrt(x) + abs(y) * exp(x)",
        "x^(2/3)",
        "max(x, y^2)",
        "min(x^2, abs(y))",
    ] {
        let e = expr(&mut a, yes);
        assert!(nonnegative(&a, e), "{yes}");
    }
    for no in [
        "x^2 - y^2",
        "1/x^2 - 2/(x*y) + 1/y^2",
        "x^3",
        "-1/1000",
        "log(x^2 + 1)",
        "min(x, y^2)",
        "max(x, -y^2)",
        "sign(x^2)",
    ] {
        let e = expr(&mut a, no);
        assert!(!nonnegative(&a, e), "{no}");
    }
}

#[test]
fn the_syntactic_lower_bound_is_a_constant_plus_nonnegative_terms() {
    let mut a = arena();
    for (f, bound) in [
        ("(x*y - 1)^2", Some("0")),
        ("(x - 1)^2 + 2*(y - 2)^2 + 3", Some("3")),
        ("(x*y - 1)^2 - 1", Some("-1")),
        ("2*((x - 1)^2 + 3)", Some("6")),
        ("log(1 + (x*y - 1)^2)", Some("0")),
        ("log(2 + x^2) - 1", Some("-1")),
        ("log(1/2 + x^2)", None),
        ("log(x^2)", None),
        ("x^2 - y^2", None),
        ("-2*(x^2 + 1)", None),
        ("x^3 + 1", None),
    ] {
        let e = expr(&mut a, f);
        assert_eq!(syntactic_lower_bound(&a, e), bound.map(q), "{f}");
    }
}

#[test]
fn closed_forms_are_compared_exactly_with_rational_bounds() {
    let mut a = arena();
    let mut at = |s: &str| {
        let e = expr(&mut a, s);
        radical(&a, e).unwrap_or_else(|| panic!("{s} is r k^(p/q)"))
    };
    // 2^(-1/3) = 0.79370052..., -2^(1/3) = -1.25992104..., 3 sqrt(5) = 6.70820393...
    let cases = [
        ("2^(-1/3)", "7937/10000", Ordering::Greater),
        ("2^(-1/3)", "7938/10000", Ordering::Less),
        ("-2^(1/3)", "-5/4", Ordering::Less),
        ("-2^(1/3)", "-126/100", Ordering::Greater),
        ("3*sqrt(5)", "67/10", Ordering::Greater),
        ("-1/sqrt(2)", "0", Ordering::Less),
        ("1/sqrt(2)", "-3", Ordering::Greater),
        ("sqrt(4)", "2", Ordering::Equal),
        ("3/7", "3/7", Ordering::Equal),
        ("0", "-1", Ordering::Greater),
    ];
    for (w, b, expected) in cases {
        assert_eq!(compare(&at(w), &q(b)), expected, "{w} vs {b}");
    }
    let e = expr(&mut a, "2^(1/3) + 1");
    assert!(radical(&a, e).is_none());
}
