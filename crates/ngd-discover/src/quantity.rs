//! A conserved quantity built from a nullspace vector: its expression, texts, and exact
//! re-check by the zero test of `ngd-algebra` (docs/math.md, "Discovery").

use crate::ansatz::RawQuantity;
use crate::format;
use crate::report::{ConservedQuantity, Verification};
use crate::ring::FunctionRing;
use ngd_algebra::{zero_test, Poly, ZeroTest};
use ngd_check::Evidence;
use ngd_expr::{Arena, ExprId, Func};
use rug::Rational;

/// Re-checks quantities with the exact zero test on `<grad g_k, grad psi>` in the arena.
pub(crate) struct Verifier {
    grads: Vec<Vec<ExprId>>,
    enabled: bool,
}

impl Verifier {
    /// The gradients of the generators, built once (none when verification is off).
    pub(crate) fn new(arena: &mut Arena, generators: &[ExprId], enabled: bool) -> Verifier {
        let grads = if enabled {
            generators.iter().map(|&g| arena.gradient(g)).collect()
        } else {
            Vec::new()
        };
        Verifier { grads, enabled }
    }

    /// `Proved` only when every `<grad g_k, grad psi>` has the zero canonical form.
    pub(crate) fn check(&self, arena: &mut Arena, psi: ExprId) -> (Evidence, Verification) {
        if !self.enabled {
            return (Evidence::NotCheckedYet, Verification::TurnedOff);
        }
        let grad_psi = arena.gradient(psi);
        let (mut nonzero, mut reasons) = (0usize, Vec::new());
        for g in &self.grads {
            let dot = arena.dot(g, &grad_psi);
            match zero_test(arena, dot) {
                ZeroTest::Zero => {}
                ZeroTest::NonZero => nonzero += 1,
                ZeroTest::Undecided(r) => reasons.push(r),
            }
        }
        let generators = self.grads.len();
        if nonzero > 0 {
            let v = Verification::Nonzero {
                generators,
                nonzero,
            };
            (Evidence::Refuted, v)
        } else if !reasons.is_empty() {
            let v = Verification::Undecided {
                generators,
                reasons,
            };
            (Evidence::Inconclusive, v)
        } else {
            (Evidence::Proved, Verification::Zero { generators })
        }
    }
}

/// `sum_i l_i x_i` as an expression.
pub(crate) fn linear_form_expr(arena: &mut Arena, l: &[i32]) -> ExprId {
    let parts: Vec<ExprId> = l
        .iter()
        .enumerate()
        .filter(|t| *t.1 != 0)
        .map(|(i, &li)| {
            let x = arena.var(i);
            let c = arena.int(i64::from(li));
            arena.mul2(c, x)
        })
        .collect();
    arena.add(parts)
}

/// Builds the expression, texts and verification of a quantity.
pub(crate) fn make_quantity(
    arena: &mut Arena,
    ring: &FunctionRing,
    raw: RawQuantity,
    verifier: &Verifier,
) -> ConservedQuantity {
    let names = ring.names(arena.var_names());
    let names = &names[..];
    let n = ring.size();
    let terms: Vec<(Vec<i32>, Rational)> = raw
        .terms
        .into_iter()
        .map(|(e, c)| (e, Rational::from(c)))
        .collect();
    let view: Vec<format::Term<'_>> = terms.iter().map(|(e, c)| (&e[..], c.clone())).collect();
    let l = raw.exp_form.as_deref();
    let display = format::fmt_quantity(&view, l, names);
    let latex = format::latex_quantity(&view, l, names);
    let leading = format::fmt_terms(&[(&terms[0].0[..], Rational::from(1))], names);
    let poly = Poly::from_terms_n(n, terms.clone());
    let mut expr = ring.expr(arena, &poly);
    if let Some(l) = l {
        let s = linear_form_expr(arena, l);
        let e = arena.func(Func::Exp, s);
        expr = arena.mul2(expr, e);
    }
    let (verified, verification) = verifier.check(arena, expr);
    ConservedQuantity {
        expr,
        display,
        latex,
        terms: poly.len(),
        poly,
        exp_form: raw.exp_form,
        leading,
        verified,
        verification,
        ring: ring.clone(),
    }
}
