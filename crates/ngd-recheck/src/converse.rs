//! The converse of `discover` (`zero_set.converse`, evidence `proved`): `phi = 0` on `M` only
//! on the flat set, re-proved from the document alone.
//!
//! Every step `j` is a certificate `-e_j^2 = sigma + sum_i lambda_i h_i` (`sigma` SOS) whose
//! `h_i` vanish on `V(g, phi, e_1, ..., e_(j-1))`; [`crate::sos::collect`] re-verifies each on
//! its own. This module re-proves that they chain into the printed conclusion:
//! - the steps (`zero_set.converse.steps`): each step's target is exactly `-e_j^2` for its
//!   printed equation `e_j`, each of its equations is a printed residual, the proposed `phi`
//!   (`proposal.display`, also `case.regularizer`), the equation of an earlier step, or
//!   `x_i^k` times one of those (the degree padding), and its certificate verifies. At a real
//!   point of `V(g)` with `phi = 0`, induction on `j` then gives `e_j = 0` for every step;
//! - the conclusion (`zero_set.converse`): the chain holds; the printed residuals are the
//!   case's (`M = V(g) = argmin f` by recheck's rule of C4, [`crate::decrease::residuals_cut_out_argmin`])
//!   and the printed `point_of_m` is an exact common zero of them, so `V(g)` is not empty;
//!   every printed flat equation is a step's equation or a constant multiple of a residual;
//!   the printed `E` is the sum of their squares; and the real common zeros of the residuals
//!   and the flat equations are exactly the printed flat set (see `zero_set`).
//!
//! A converse that is `inconclusive` or `not_attempted` claims nothing: no item. A proved
//! converse whose flat set the small rules cannot confine is listed as not covered.

use crate::outcome::Outcome;
use crate::{Claim, Failure, Item, NotCovered, NotCoveredReason};
use ngd_algebra::Poly;
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_sos::SosCertificate;
use rug::Rational;
use serde_json::Value;

mod document;
mod zero_set;

use document::{Document, FlatSet};

/// The JSON path of the converse (its conclusion).
const CONVERSE_PATH: &str = "zero_set.converse";
/// The JSON path of its steps (the chain).
const STEPS_PATH: &str = "zero_set.converse.steps";

/// Re-checks the chain and the conclusion of a proved converse (nothing for other evidence).
pub fn recheck_converse(report: &Value, items: &mut Vec<Item>, not_covered: &mut Vec<NotCovered>) {
    let converse = &report["zero_set"]["converse"];
    if converse["evidence"].as_str() != Some("proved") {
        return;
    }
    let doc = match Document::read(report) {
        Ok(doc) => doc,
        Err(what) => {
            items.push(Item {
                claim: claim(CONVERSE_PATH, "phi = 0 on M only on the flat set".into()),
                failure: Some(Failure::Unreadable { what }),
            });
            return;
        }
    };
    let chain = check_chain(&doc);
    let chain_holds = chain.is_ok();
    items.push(Item {
        claim: claim(STEPS_PATH, doc.chain_statement()),
        failure: chain.err(),
    });
    conclusion(report, &doc, chain_holds).record(
        claim(CONVERSE_PATH, doc.conclusion_statement()),
        CONVERSE_PATH,
        items,
        not_covered,
    );
}

/// The claim of an item: the chain or its conclusion.
fn claim(path: &str, statement: String) -> Claim {
    Claim::ZeroSetConverse {
        path: path.into(),
        statement,
    }
}

/// A printed value that differs from the one recomputed.
fn wrong(printed: String, found: String) -> Failure {
    Failure::WrongValue { printed, found }
}

/// `Ok` when every step's target is `-e_j^2`, its equations are allowed (residuals, `phi`,
/// earlier equations, `x_i^k` times one of those) and its certificate verifies.
fn check_chain(doc: &Document) -> Result<(), Failure> {
    let mut earlier: Vec<Poly> = Vec::new();
    for (j, step) in doc.steps.iter().enumerate() {
        let at = format!("steps[{j}]");
        let minus_square = step.equation.mul(&step.equation).scale(&Rational::from(-1));
        if step.target != minus_square {
            return Err(wrong(
                format!("{at} target {}", doc.print(&step.target)),
                format!(
                    "-({})^2 = {}",
                    doc.print(&step.equation),
                    doc.print(&minus_square)
                ),
            ));
        }
        for (i, h) in step.equations.iter().enumerate() {
            if !allowed(h, doc, &earlier) {
                return Err(wrong(
                    format!("{at} equation {i}: {}", doc.print(h)),
                    "not a residual of M, phi, the equation of an earlier step, or x_i^k \
                     times one of those"
                        .into(),
                ));
            }
        }
        crate::sos::verify(&step.certificate, &step.target, &step.equations)
            .map_err(|error| Failure::Certificate { error })?;
        earlier.push(step.equation.clone());
    }
    Ok(())
}

/// Whether `h` vanishes on `V(g, phi, earlier)` by its form: one of them, or `x_i^k` times one.
fn allowed(h: &Poly, doc: &Document, earlier: &[Poly]) -> bool {
    let generators = || {
        doc.residuals
            .iter()
            .chain(std::iter::once(&doc.phi))
            .chain(earlier)
    };
    if generators().any(|q| q == h) {
        return true;
    }
    let n = h.n_vars();
    generators().any(|q| {
        let (Some(dh), Some(dq)) = (degree(h), degree(q)) else {
            return false;
        };
        dh > dq && (0..n).any(|i| q.mul(&Poly::var(i, n).pow(dh - dq)) == *h)
    })
}

/// The total degree (`None` for the zero polynomial or a negative exponent).
pub(crate) fn degree(p: &Poly) -> Option<u32> {
    p.terms()
        .map(|(m, _)| {
            m.iter()
                .map(|&e| u32::try_from(e).ok())
                .sum::<Option<u32>>()
        })
        .collect::<Option<Vec<u32>>>()?
        .into_iter()
        .max()
}

/// The conclusion: the chain, `M = V(g)`, the flat equations covered and `E`, the zero set.
fn conclusion(report: &Value, doc: &Document, chain_holds: bool) -> Outcome {
    if !chain_holds {
        return Outcome::Fails(wrong(
            "proved".into(),
            format!("a step of the chain fails ({STEPS_PATH})"),
        ));
    }
    if let Err(reason) = residuals_are_the_case_s(report, doc) {
        return Outcome::NotCovered(reason);
    }
    if let Err(failure) = point_of_m(doc).and(flat_equations_covered(doc)) {
        return Outcome::Fails(failure);
    }
    match &doc.flat_set {
        FlatSet::Points(points) => zero_set::points_rule(doc, points),
        FlatSet::Equations(component) => zero_set::equations_rule(doc, component),
    }
}

/// `M = V(g) = argmin f` when `V(g)` is not empty, for the printed residuals `g`: recheck's
/// rule of C4 (`f = c g^k`, `f = sum g_i^2`, or `f = K + sum c_i h_i(g)` with listed `h_i`),
/// for the case's `f` and the proposed `phi`.
fn residuals_are_the_case_s(report: &Value, doc: &Document) -> Result<(), NotCoveredReason> {
    crate::decrease::residuals_cut_out_argmin(&report["case"], &doc.phi_text, &doc.residual_texts)
}

/// The printed point of `M` is an exact common zero of the residuals (so `V(g)` is not empty).
fn point_of_m(doc: &Document) -> Result<(), Failure> {
    let point = &doc.point_of_m;
    for g in &doc.residuals {
        let value = g.eval(point);
        if value.as_ref().is_none_or(|v| *v != 0) {
            return Err(wrong(
                format!("point_of_m ({})", join(point)),
                format!(
                    "{} = {} there",
                    doc.print(g),
                    value.map_or("undefined".into(), |v| v.to_string())
                ),
            ));
        }
    }
    Ok(())
}

/// Every printed flat equation is a step's equation (exactly) or a constant multiple of a
/// residual, and the printed `E` is the sum of their squares.
fn flat_equations_covered(doc: &Document) -> Result<(), Failure> {
    for e in &doc.flat_equations {
        let by_step = doc.steps.iter().any(|s| s.equation == *e);
        let residual = doc.residuals.iter().any(|g| multiple_of(e, g));
        if !by_step && !residual {
            return Err(wrong(
                format!("flat equation {}", doc.print(e)),
                "no step proves it, and it is no multiple of a residual".into(),
            ));
        }
    }
    let n = doc.names.len();
    let sum = doc
        .flat_equations
        .iter()
        .fold(Poly::zero(n), |acc, e| acc.add(&e.mul(e)));
    if sum != doc.e {
        return Err(wrong(
            format!("E = {}", doc.print(&doc.e)),
            format!(
                "the sum of the squares of the flat equations is {}",
                doc.print(&sum)
            ),
        ));
    }
    Ok(())
}

/// Whether `a = c b` for a rational `c != 0` (so both have the same zeros).
pub(crate) fn multiple_of(a: &Poly, b: &Poly) -> bool {
    let Some((m, lead)) = b.terms().next() else {
        return false;
    };
    let c = Rational::from(&a.coeff(m) / lead);
    c != 0 && *a == b.scale(&c)
}

/// Coordinates as `a, b, c`.
pub(crate) fn join(point: &[Rational]) -> String {
    point
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses `src` in `arena` as a syntactic polynomial.
pub(crate) fn parse_poly(arena: &mut Arena, src: &str) -> Option<Poly> {
    let e = parse_expr(arena, src, &Params::new()).ok()?;
    ngd_sos::syntactic_poly(arena, e)
}

/// The certificate of a step.
pub(crate) fn certificate(v: &Value) -> Option<SosCertificate> {
    serde_json::from_value(v.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xy() -> (Poly, Poly) {
        (Poly::var(0, 2), Poly::var(1, 2))
    }

    #[test]
    fn multiples_share_zeros_and_zero_is_no_multiple() {
        let (x, y) = xy();
        let g = x.mul(&y).sub(&Poly::constant(Rational::from(1), 2));
        assert!(multiple_of(&g.scale(&Rational::from(-3)), &g));
        assert!(!multiple_of(&Poly::zero(2), &g));
        assert!(!multiple_of(&g, &Poly::zero(2)));
        assert!(!multiple_of(&g.add(&x), &g));
    }

    #[test]
    fn degrees_refuse_laurent_terms() {
        let (x, y) = xy();
        assert_eq!(degree(&x.mul(&y).add(&x)), Some(2));
        assert_eq!(degree(&Poly::zero(2)), None);
        let inverse = Poly::from_terms_n(2, vec![(vec![-1, 0], Rational::from(1))]);
        assert_eq!(degree(&inverse), None);
    }
}
