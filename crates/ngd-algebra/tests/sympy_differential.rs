//! Differential test against SymPy: the expansions in `fixtures/sympy_expansions.json` were
//! computed by SymPy (see `fixtures/gen_sympy_fixture.py`); the same expressions are rebuilt
//! with the arena constructors, canonicalized, and compared term by term.

use ngd_algebra::{canonicalize, Poly};
use ngd_expr::{Arena, ExprId, Rational};
use serde::Deserialize;

type Terms = Vec<(Vec<i32>, String)>;

#[derive(Deserialize)]
struct Case {
    nvars: usize,
    a: Terms,
    b: Terms,
    a_times_b: Terms,
    a_plus_b_cubed: Terms,
    a2_minus_b2: Terms,
}

#[derive(Deserialize)]
struct Fixture {
    seed: u64,
    cases: Vec<Case>,
}

fn rational(s: &str) -> Rational {
    Rational::parse(s)
        .map(Rational::from)
        .expect("rational literal")
}

fn build(a: &mut Arena, terms: &Terms) -> ExprId {
    let mut parts = Vec::new();
    for (exps, c) in terms {
        let mut factors = vec![a.constant(rational(c))];
        for (i, &e) in exps.iter().enumerate() {
            let x = a.var(i);
            factors.push(a.powi(x, i64::from(e)));
        }
        parts.push(a.mul(factors));
    }
    a.add(parts)
}

fn reference(n: usize, terms: &Terms) -> Poly {
    Poly::from_terms_n(
        n,
        terms
            .iter()
            .map(|(e, c)| (e.clone(), rational(c)))
            .collect(),
    )
}

fn ours(a: &Arena, e: ExprId) -> Poly {
    let c = canonicalize(a, e).expect("canonical form");
    assert!(!c.has_denominator());
    c.to_poly().expect("a Laurent polynomial")
}

#[test]
fn expansions_match_sympy() {
    let text = include_str!("fixtures/sympy_expansions.json");
    let fx: Fixture = serde_json::from_str(text).expect("fixture parses");
    assert_eq!(fx.seed, 20240611);
    assert_eq!(fx.cases.len(), 40);
    let mut compared_terms = 0;
    for (k, case) in fx.cases.iter().enumerate() {
        let n = case.nvars;
        let mut a = Arena::new((0..n).map(|i| format!("x{i}")).collect());
        let ea = build(&mut a, &case.a);
        let eb = build(&mut a, &case.b);
        let prod = a.mul2(ea, eb);
        let sum = a.add2(ea, eb);
        let cube = a.powi(sum, 3);
        let a2 = a.powi(ea, 2);
        let b2 = a.powi(eb, 2);
        let diff = a.sub(a2, b2);
        for (name, e, want) in [
            ("a*b", prod, &case.a_times_b),
            ("(a+b)^3", cube, &case.a_plus_b_cubed),
            ("a^2-b^2", diff, &case.a2_minus_b2),
        ] {
            let got = ours(&a, e);
            let want = reference(n, want);
            assert_eq!(got, want, "case {k}: {name} of {}", a.display(e));
            compared_terms += want.len();
            // And the term lists agree one by one, in the same (graded lex) order.
            for ((ge, gc), (we, wc)) in got.terms().zip(want.terms()) {
                assert_eq!(ge, we);
                assert_eq!(gc, wc);
            }
        }
    }
    assert!(
        compared_terms > 1000,
        "only {compared_terms} terms compared"
    );
}
