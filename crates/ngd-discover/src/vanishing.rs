//! Does the proposed `phi` vanish on the flat set? At points with exact coordinates (closed
//! forms), by the exact canonical form of `phi` at the point; elsewhere by MPFR at the
//! point's digits, which is numerical evidence only (docs/math.md, "What counts as proof").

use crate::report::{FlatPointInput, FlatSetVanishing, PointVanishing, Proposal, Vanishing};
use ngd_check::Evidence;
use ngd_expr::{Arena, ExprId};
use rug::Float;

/// Checks `phi == 0` at every flat point (see the module docs). `Proved` only when every
/// point has exact coordinates and the canonical form of `phi` there is zero; `Refuted` when
/// at some exact point it is a nonzero rational.
pub fn check_vanishing(
    arena: &mut Arena,
    proposal: &Proposal,
    points: &[FlatPointInput],
) -> FlatSetVanishing {
    let tape = ngd_eval::Tape::compile(arena, &[proposal.phi]);
    let points: Vec<PointVanishing> = points
        .iter()
        .map(|p| {
            let how = exact(arena, proposal.phi, p);
            PointVanishing {
                point: p.text.clone(),
                recognised: p.recognised && how.is_some(),
                how: how.unwrap_or_else(|| mpfr(&tape, &p.values)),
            }
        })
        .collect();
    FlatSetVanishing {
        evidence: overall(&points),
        points,
    }
}

/// The exact value of `phi` at the point's closed forms, when they exist and it decides.
fn exact(arena: &mut Arena, phi: ExprId, p: &FlatPointInput) -> Option<Vanishing> {
    let coords = p.exact.as_ref()?;
    if coords.len() != arena.n_vars() {
        return None;
    }
    let at = arena.substitute(phi, coords);
    let c = ngd_algebra::canonicalize(arena, at).ok()?;
    if c.is_zero() {
        return Some(Vanishing::ExactZero);
    }
    if !c.is_atom_free() {
        return None;
    }
    let v = c.eval_rational(&vec![rug::Rational::new(); arena.n_vars()])?;
    Some(Vanishing::ExactNonzero {
        value: v.to_string(),
    })
}

/// `|phi|` in MPFR at the point's digits, against `2^-(precision/3)`.
fn mpfr(tape: &ngd_eval::Tape, x: &[Float]) -> Vanishing {
    let prec = x.iter().map(Float::prec).min().unwrap_or(53).max(16);
    let bits = prec / 3;
    let Ok(v) = tape.eval::<Float>(&prec, x) else {
        return Vanishing::Undefined;
    };
    let Some(v) = v.first().filter(|v| v.is_finite()) else {
        return Vanishing::Undefined;
    };
    let abs = Float::with_val(prec, v.abs_ref());
    let tol = Float::with_val(prec, Float::u_exp(1, -(bits as i32)));
    Vanishing::Mpfr {
        precision: prec,
        value: abs.to_string_radix(10, Some(6)),
        tolerance: format!("2^-{bits}"),
        small: abs <= tol,
    }
}

/// The overall label (see [`FlatSetVanishing::evidence`]).
fn overall(points: &[PointVanishing]) -> Evidence {
    if points.is_empty() {
        return Evidence::NotCheckedYet;
    }
    let any = |f: fn(&Vanishing) -> bool| points.iter().any(|p| f(&p.how));
    if any(|h| matches!(h, Vanishing::ExactNonzero { .. })) {
        Evidence::Refuted
    } else if points.iter().all(|p| p.how == Vanishing::ExactZero) {
        Evidence::Proved
    } else if any(|h| {
        matches!(
            h,
            Vanishing::Undefined | Vanishing::Mpfr { small: false, .. }
        )
    }) {
        Evidence::Inconclusive
    } else {
        Evidence::NumericalEvidence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(how: Vanishing) -> PointVanishing {
        PointVanishing {
            point: vec!["0".into()],
            recognised: false,
            how,
        }
    }

    fn mpfr_point(small: bool) -> PointVanishing {
        at(Vanishing::Mpfr {
            precision: 256,
            value: "0".into(),
            tolerance: "2^-85".into(),
            small,
        })
    }

    #[test]
    fn only_exact_zeros_prove() {
        assert_eq!(overall(&[]), Evidence::NotCheckedYet);
        assert_eq!(overall(&[at(Vanishing::ExactZero)]), Evidence::Proved);
        let mixed = [at(Vanishing::ExactZero), mpfr_point(true)];
        assert_eq!(overall(&mixed), Evidence::NumericalEvidence);
        let big = [at(Vanishing::ExactZero), mpfr_point(false)];
        assert_eq!(overall(&big), Evidence::Inconclusive);
        let bad = [
            mpfr_point(true),
            at(Vanishing::ExactNonzero { value: "1".into() }),
        ];
        assert_eq!(overall(&bad), Evidence::Refuted);
        assert_eq!(overall(&[at(Vanishing::Undefined)]), Evidence::Inconclusive);
    }
}
