//! The language: numbers, precedence, functions, names, parameters, loops.
#![allow(clippy::needless_range_loop)] // index arithmetic mirrors the math

mod common;

use common::*;
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use ngd_parse::{parse_constant, parse_expr, parse_rational, ParamValue, Params};

#[test]
fn decimals_are_exact() {
    assert_eq!(parse_rational("0.1").unwrap(), q(1, 10));
    assert_eq!(parse_rational("1e-3").unwrap(), q(1, 1000));
    assert_eq!(parse_rational("2.5E2").unwrap(), q(250, 1));
    assert_eq!(parse_rational("0.125").unwrap(), q(1, 8));
    assert_eq!(parse_rational("-2").unwrap(), q(-2, 1));
    assert_eq!(parse_rational("1/3").unwrap(), q(1, 3));
    assert_eq!(parse_rational(" 7 ").unwrap(), q(7, 1));
    assert_eq!(parse_rational("1E+2").unwrap(), q(100, 1));
    assert_eq!(parse_rational("-.5").unwrap(), q(-1, 2));
    assert_eq!(parse_rational("2^-2").unwrap(), q(1, 4));
    // 0.1 + 0.2 is exactly 3/10 (not the float 0.30000000000000004).
    assert_eq!(parse_rational("0.1 + 0.2").unwrap(), q(3, 10));
    assert_eq!(parse_rational("1e-3 * 1000").unwrap(), q(1, 1));
    let mut a = arena(&["x"]);
    let e = parse(&mut a, "0.1*x");
    let x = a.var(0);
    let c = a.constant(q(1, 10));
    assert_eq!(e, a.mul2(c, x));
}

#[test]
fn rational_must_be_rational() {
    let e = parse_rational("sqrt(2)").unwrap_err();
    assert_eq!(e.message, "not an exact rational number");
    assert_eq!(e.span, 0..7);
    assert!(parse_rational("x").is_err());
    assert!(parse_rational("").is_err());
    assert!(parse_rational("1/0").is_err());
}

/// Each pair parses to the same expression.
#[test]
fn precedence_and_associativity() {
    let table = [
        ("-x^2", "-(x^2)"),
        ("2^-1/3", "(2^(-1))/3"),
        ("x^-1/3", "(x^(-1))/3"),
        ("x^y^z", "x^(y^z)"),
        ("x^2^3", "x^8"),
        ("x**2", "x^2"),
        ("x ** y ** z", "x^(y^z)"),
        ("x - y - z", "(x - y) - z"),
        ("x - y + z", "(x - y) + z"),
        ("x / y / z", "(x / y) / z"),
        ("x / y * z", "(x / y) * z"),
        ("x + y * z", "x + (y * z)"),
        ("x * y + z", "(x * y) + z"),
        ("-x * y", "(-x) * y"),
        ("-x / y", "(-x) / y"),
        ("x * -y", "x * (-y)"),
        ("x ^ -y", "x ^ (-y)"),
        ("x - -y", "x + y"),
        ("--x", "x"),
        ("+x", "x"),
        ("-+-x", "x"),
        ("x^-1", "1/x"),
        ("-x^-2", "-(1/x^2)"),
        ("2*x^3", "2*(x^3)"),
        ("(x + y)*z", "x*z + y*z - y*z + y*z + (x + y)*z - x*z - y*z"),
        ("x/y^2", "x/(y^2)"),
        ("((x))", "x"),
    ];
    for (lhs, rhs) in table {
        let mut a = arena(&["x", "y", "z"]);
        let l = parse(&mut a, lhs);
        let r = parse(&mut a, rhs);
        assert_eq!(l, r, "{lhs} vs {rhs}: {} vs {}", a.display(l), a.display(r));
    }
    let values = [
        ("2^-1/3", q(1, 6)),
        ("-2^2", q(-4, 1)),
        ("(-2)^2", q(4, 1)),
        ("2^3^2", q(512, 1)),
        ("(2^3)^2", q(64, 1)),
        ("2/4/2", q(1, 4)),
        ("1-2-3", q(-4, 1)),
        ("2**-1", q(1, 2)),
        ("2*3+4*5", q(26, 1)),
        ("2*(3+4)*5", q(70, 1)),
        ("-3^-1", q(-1, 3)),
        ("8^(1/3)", q(2, 1)),
        ("(-8)^(1/3)", q(-2, 1)),
        ("4^(-3/2)", q(1, 8)),
        ("0^0", q(1, 1)),
    ];
    for (src, v) in values {
        assert_eq!(parse_rational(src).unwrap(), v, "{src}");
    }
}

#[test]
fn powers_with_rational_and_symbolic_exponents() {
    let mut a = arena(&["x", "y"]);
    let x = a.var(0);
    let y = a.var(1);
    let e = parse(&mut a, "x^(1/3)");
    assert_eq!(e, a.pow(x, q(1, 3)));
    let e = parse(&mut a, "x^(2 - 1)");
    assert_eq!(e, x);
    let e = parse(&mut a, "x^(y - y + 1/2)");
    assert_eq!(e, a.pow(x, q(1, 2)));
    // A non-constant exponent: exp(y*log(x)).
    let e = parse(&mut a, "x^y");
    let l = a.func(Func::Log, x);
    let m = a.mul2(y, l);
    assert_eq!(e, a.func(Func::Exp, m));
    let e = parse(&mut a, "2^x");
    let two = a.int(2);
    let l = a.func(Func::Log, two);
    let m = a.mul2(x, l);
    assert_eq!(e, a.func(Func::Exp, m));
    // An irrational constant exponent also goes through exp/log.
    let e = parse(&mut a, "x^sqrt(2)");
    assert!(matches!(a.node(e), Node::Func(Func::Exp, _)));
}

#[test]
fn functions() {
    let mut a = arena(&["x", "y", "z"]);
    let x = a.var(0);
    let y = a.var(1);
    let z = a.var(2);
    let half = q(1, 2);
    assert_eq!(parse(&mut a, "sqrt(x)"), a.pow(x, half));
    let log = a.func(Func::Log, x);
    assert_eq!(parse(&mut a, "log(x)"), log);
    assert_eq!(parse(&mut a, "ln(x)"), log);
    assert_eq!(parse(&mut a, "exp(x)"), a.func(Func::Exp, x));
    assert_eq!(parse(&mut a, "abs(x)"), a.func(Func::Abs, x));
    assert_eq!(parse(&mut a, "sign(x)"), a.func(Func::Sign, x));
    let mxy = a.max(x, y);
    assert_eq!(parse(&mut a, "max(x, y)"), mxy);
    let m3 = a.max(mxy, z);
    assert_eq!(parse(&mut a, "max(x, y, z)"), m3);
    assert_eq!(parse(&mut a, "min(y, x)"), a.min(x, y));
    assert_eq!(parse_rational("sqrt(4)").unwrap(), q(2, 1));
    assert_eq!(parse_rational("sqrt(9/4)").unwrap(), q(3, 2));
    assert_eq!(parse_rational("abs(-3/2)").unwrap(), q(3, 2));
    assert_eq!(parse_rational("sign(-3)").unwrap(), q(-1, 1));
    assert_eq!(parse_rational("max(1, 5/2, 2)").unwrap(), q(5, 2));
    assert_eq!(parse_rational("min(1, -5/2, 2)").unwrap(), q(-5, 2));
    assert_eq!(parse_rational("exp(0) + log(1)").unwrap(), q(1, 1));
}

#[test]
fn constants() {
    let mut a = Arena::new(vec!["x".into()]);
    let p = Params::new();
    let e = parse_constant(&mut a, "2^(-1/3)", &p).unwrap();
    match a.node(e) {
        Node::Pow(b, k) => {
            assert!(a.is_const(*b, 2));
            assert_eq!(*k, q(-1, 3));
        }
        n => panic!("{n:?}"),
    }
    let e = parse_constant(&mut a, "1/sqrt(2)", &p).unwrap();
    let two = a.int(2);
    assert_eq!(e, a.pow(two, q(-1, 2)));
    let e = parse_constant(&mut a, "0.25", &p).unwrap();
    assert_eq!(a.as_const(e), Some(&q(1, 4)));
    let e = parse_constant(&mut a, "x + 1", &p).unwrap_err();
    assert_eq!(e.message, "a constant cannot depend on the variable `x`");
    assert_eq!(e.span, 0..1);
    let e = parse_constant(&mut a, "z", &p).unwrap_err();
    assert_eq!(e.message, "unknown name `z`");
    let mut p = Params::new();
    p.insert("c".into(), scalar(q(3, 1)));
    let e = parse_constant(&mut a, "sqrt(c)^2 + sum(i = 1..c, i)", &p).unwrap();
    assert_eq!(a.as_const(e), Some(&q(9, 1)));
}

#[test]
fn parameters() {
    let mut a = arena(&["x[2]"]);
    let mut p = Params::new();
    p.insert("a".into(), scalar(q(1, 2)));
    p.insert("n".into(), scalar(q(2, 1)));
    p.insert("v".into(), ParamValue::Vector(vec![q(3, 1), q(-1, 4)]));
    p.insert(
        "M".into(),
        ParamValue::Matrix(vec![vec![q(1, 1), q(2, 1)], vec![q(3, 1), q(4, 1)]]),
    );
    let e = parse_with(&mut a, "a*x[1] + v[2] + M[2,1] + M[n, n-1]", &p);
    let x1 = a.var(0);
    let h = a.constant(q(1, 2));
    let t = a.mul2(h, x1);
    let c = a.constant(q(-1, 4) + q(3, 1) + q(3, 1));
    assert_eq!(e, a.add2(t, c));
    let e = parse_with(&mut a, "sum(i = 1..n, v[i]*x[i])", &p);
    let x2 = a.var(1);
    let three = a.int(3);
    let t1 = a.mul2(three, x1);
    let c = a.constant(q(-1, 4));
    let t2 = a.mul2(c, x2);
    assert_eq!(e, a.add2(t1, t2));
}

fn pair_objective(a: &mut Arena) -> ExprId {
    // sum_{i<j} (x_i^2 - x_j^2)^2 over x[3], built by hand.
    let xs: Vec<ExprId> = (0..3).map(|i| a.var(i)).collect();
    let mut terms = Vec::new();
    for i in 0..3 {
        for j in i + 1..3 {
            let xi2 = a.powi(xs[i], 2);
            let xj2 = a.powi(xs[j], 2);
            let d = a.sub(xi2, xj2);
            terms.push(a.powi(d, 2));
        }
    }
    a.add(terms)
}

#[test]
fn index_sums() {
    let mut a = arena(&["x[3]"]);
    let e = parse(&mut a, "sum(i=1..3, sum(j=i+1..3, (x[i]^2 - x[j]^2)^2))");
    assert_eq!(e, pair_objective(&mut a));
    let e2 = parse(&mut a, "sum(i = 1..3, j = i+1..3, (x[i]^2 - x[j]^2)^2)");
    assert_eq!(e2, e);
    // Loop indices are values in the body; index arithmetic.
    assert_eq!(parse_rational("sum(i = 1..4, i)").unwrap(), q(10, 1));
    assert_eq!(parse_rational("prod(i = 1..4, i)").unwrap(), q(24, 1));
    assert_eq!(
        parse_rational("sum(i = 1..2, j = 1..3, i*j)").unwrap(),
        q(18, 1)
    );
    assert_eq!(parse_rational("sum(i = -2..2, i^2)").unwrap(), q(10, 1));
    // (x[2] - x[1]) + (x[3] - x[3])
    let e = parse(&mut a, "sum(i = 1..2, x[i+1] - x[2*i - 1])");
    let x1 = a.var(0);
    let x2 = a.var(1);
    assert_eq!(e, a.sub(x2, x1));
    let e = parse(&mut a, "sum(i = 1..3, x[4 - i] * (i - 2))");
    let x3 = a.var(2);
    assert_eq!(e, a.sub(x1, x3));
    // Empty ranges.
    for (src, v) in [
        ("sum(i = 1..0, x[i])", 0),
        ("prod(i = 3..1, x[i])", 1),
        ("sum(i = 1..3, j = i+1..i, x[j])", 0),
    ] {
        let e = parse(&mut a, src);
        assert!(a.is_const(e, v), "{src}");
    }
    // Nested loops that reuse a name in sibling scopes are fine.
    // (The arena keeps `S - S` for a sum `S` as `S + (-1)*S`; it is zero in value.)
    let e = parse(&mut a, "sum(i = 1..3, x[i]) - sum(i = 1..3, x[i])");
    let s = parse(&mut a, "x[1] + x[2] + x[3]");
    let ns = a.neg(s);
    assert_eq!(e, a.add2(s, ns));
    assert_eq!(eval(&a, e, &[q(1, 2), q(3, 1), q(-7, 5)]), Some(q(0, 1)));
    let e = parse(&mut a, "prod(i = 1..3, x[i])");
    let xs: Vec<ExprId> = (0..3).map(|i| a.var(i)).collect();
    assert_eq!(e, a.mul(xs));
}

#[test]
fn matrix_factorization_objective() {
    let mut a = arena(&["X[2,2]", "Y[2,2]"]);
    assert_eq!(
        a.var_names(),
        ["X[1,1]", "X[1,2]", "X[2,1]", "X[2,2]", "Y[1,1]", "Y[1,2]", "Y[2,1]", "Y[2,2]"]
    );
    let mut p = Params::new();
    let m = vec![vec![q(2, 1), q(0, 1)], vec![q(0, 1), q(1, 1)]];
    p.insert("M".into(), ParamValue::Matrix(m.clone()));
    let src = "sum(i=1..2, sum(j=1..2, (sum(k=1..2, X[i,k]*Y[j,k]) - M[i,j])^2))";
    let e = parse_with(&mut a, src, &p);
    // By hand: sum_{i,j} ((X Y^T)_{ij} - M_ij)^2.
    let xv = |a: &mut Arena, i: usize, k: usize| a.var(2 * i + k);
    let yv = |a: &mut Arena, j: usize, k: usize| a.var(4 + 2 * j + k);
    let mut terms = Vec::new();
    for i in 0..2 {
        for j in 0..2 {
            let mut dot = Vec::new();
            for k in 0..2 {
                let xik = xv(&mut a, i, k);
                let yjk = yv(&mut a, j, k);
                dot.push(a.mul2(xik, yjk));
            }
            let d = a.add(dot);
            let mij = a.constant(m[i][j].clone());
            let r = a.sub(d, mij);
            terms.push(a.powi(r, 2));
        }
    }
    let hand = a.add(terms);
    assert_eq!(e, hand);
    // And by value at a few rational points.
    for seed in 0..5i64 {
        let pt: Vec<Rational> = (0..8)
            .map(|k| q((k * 7 + seed * 3) % 11 - 5, 1 + seed))
            .collect();
        let mut expect = Rational::new();
        for i in 0..2 {
            for j in 0..2 {
                let mut d = Rational::new();
                for k in 0..2 {
                    d += Rational::from(&pt[2 * i + k] * &pt[4 + 2 * j + k]);
                }
                d -= &m[i][j];
                expect += Rational::from(&d * &d);
            }
        }
        assert_eq!(eval(&a, e, &pt), Some(expect));
    }
}

#[test]
fn vector_and_matrix_variables() {
    let mut a = arena(&["u", "x[2]", "X[2,3]"]);
    let e = parse(&mut a, "u + x[2] + X[2,3] + X[1, 2]");
    let names = a.var_names().to_vec();
    let pick = |a: &mut Arena, n: &str| {
        let i = names.iter().position(|v| v == n).unwrap();
        a.var(i)
    };
    let t = vec![
        pick(&mut a, "u"),
        pick(&mut a, "x[2]"),
        pick(&mut a, "X[2,3]"),
        pick(&mut a, "X[1,2]"),
    ];
    assert_eq!(e, a.add(t));
    // display of indexed variables reads back.
    let d = a.display(e);
    assert_eq!(parse(&mut a, &d), e);
}

#[test]
fn sum_of_many_terms_is_flat() {
    let mut a = arena(&["x"]);
    let src = vec!["x"; 50_000].join(" + ");
    let e = parse(&mut a, &src);
    let x = a.var(0);
    let c = a.int(50_000);
    assert_eq!(e, a.mul2(c, x));
    let src = vec!["1"; 50_000].join("-");
    assert_eq!(parse_rational(&src).unwrap(), q(1 - 49_999, 1));
}

#[test]
fn params_are_exact_in_the_arena() {
    // A parameter with a non-integer value cannot bound a loop but can be used as a value.
    let mut a = arena(&["x"]);
    let mut p = Params::new();
    p.insert("h".into(), scalar(q(1, 3)));
    let e = parse_expr(&mut a, "h*x", &p).unwrap();
    let x = a.var(0);
    let c = a.constant(q(1, 3));
    assert_eq!(e, a.mul2(c, x));
}
