//! The exact route: linear subspaces `E` (coordinate subspaces `{x_i = 0, i in S}`, and for
//! `n <= 4` the diagonals `{x_i = x_j}`, `{x_i = -x_j}`) on which every equation vanishes
//! identically, decided by exact canonical forms after exact substitution.
//!
//! Soundness: a zero canonical form proves the restricted equation zero almost everywhere on
//! its domain in `E`, hence everywhere there by continuity (the route is skipped when the
//! inner expressions contain `abs`, `sign`, `max` or `min`, whose canonical forms use
//! `sign(u)^2 = 1`, true only off `u = 0`). Existence of a critical point off the minimum set
//! is proved by an exact rational point of `E` in the box where the residual is nonzero.
//! Classification at a rational point is exact: the inertia of the rational normal Hessian
//! (`sign(g) Hess g` resp. `Hess f` on the normal space; `f` is constant along `E`, so
//! its Hessian vanishes on the tangent space). A nondegenerate normal Hessian at a point of
//! a manifold of critical points decides the type near that point (Morse-Bott lemma).
//!
//! [`subspace`] holds the subspaces and the plan, [`hessian`] the classification on them.

mod hessian;
mod subspace;

use crate::report::{Classification, ExactRoute, RouteSkip, StructureKind};
use crate::system::System;
use crate::CriticalOptions;
pub(crate) use hessian::PdCondition;
use hessian::{classify_point, symbolic_class, Sample};
use ngd_algebra::{canonicalize_with, Limits};
use ngd_certify::RationalBox;
use ngd_expr::{Arena, ExprId};
use rug::Rational;
use subspace::plan;
pub(crate) use subspace::Subspace;

/// A subspace proved to consist of critical points.
pub(crate) struct ExactSet {
    pub sub: Subspace,
    /// `f` on `E`, when a rational constant.
    pub f_value: Option<Rational>,
    /// An exact rational point of `E` in the box with a nonzero residual (for the general
    /// path: with `f` above the given `inf f`).
    pub proved: bool,
    /// The classification proved on all of `E` (constant normal Hessian inertia, or a
    /// constant negative 2x2 principal minor).
    pub uniform: Option<Classification>,
    /// The exact positive-definiteness condition on `E`, when it depends on the point.
    pub condition: Option<PdCondition>,
    pub samples: Vec<Sample>,
}

fn limits() -> Limits {
    Limits {
        max_terms: 200_000,
        max_power: 1_000,
        max_work: 20_000_000,
    }
}

/// The constant value of a canonical form, when it is one.
fn constant_of(arena: &Arena, e: ExprId) -> Result<Option<Rational>, String> {
    let c = canonicalize_with(arena, e, &limits())?;
    if c.is_zero() {
        return Ok(Some(Rational::new()));
    }
    let Some(p) = c.to_poly() else {
        return Ok(None);
    };
    let mut terms = p.terms();
    match (terms.next(), terms.next()) {
        (Some((ex, q)), None) if ex.iter().all(|&e| e == 0) => Ok(Some(q.clone())),
        _ => Ok(None),
    }
}

/// Runs the exact route. `eq_scale` is the typical size of the equations on the box (for the
/// floating-point prefilter that skips subspaces where an equation is clearly nonzero).
pub(crate) fn exact_route(
    arena: &mut Arena,
    sys: &System,
    bx: &RationalBox,
    opts: &CriticalOptions,
    eq_scale: f64,
) -> (Vec<ExactSet>, ExactRoute) {
    if !opts.exact {
        return (
            Vec::new(),
            ExactRoute::Skipped {
                reason: RouteSkip::Disabled,
            },
        );
    }
    if sys.nonsmooth {
        return (
            Vec::new(),
            ExactRoute::Skipped {
                reason: RouteSkip::AbsSignMaxMin,
            },
        );
    }
    let n = sys.n;
    let plan = plan(n, opts);
    let (mut tested, mut undecided, mut truncated) = (0, 0, false);
    let mut found: Vec<ExactSet> = Vec::new();
    for form in plan {
        let Some(sub) = Subspace::new(arena, form, bx) else {
            continue;
        };
        if found.iter().any(|s| sub.inside(&s.sub)) {
            continue;
        }
        if tested >= opts.max_exact_tests {
            truncated = true;
            break;
        }
        tested += 1;
        match test(arena, sys, sub, opts, eq_scale) {
            Ok(Some(set)) => found.push(set),
            Ok(None) => {}
            Err(()) => undecided += 1,
        }
    }
    // A coordinate set inside a diagonal found later is redundant.
    let keep: Vec<bool> = (0..found.len())
        .map(|a| {
            !(0..found.len()).any(|b| {
                b != a && found[a].sub.inside(&found[b].sub) && found[a].sub.dim < found[b].sub.dim
            })
        })
        .collect();
    let found = found
        .into_iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect();
    let route = if truncated {
        ExactRoute::Truncated { tested, undecided }
    } else {
        ExactRoute::Done { tested, undecided }
    };
    (found, route)
}

/// `Ok(Some)` a set of critical points off the minimum set, `Ok(None)` not one, `Err` undecided.
fn test(
    arena: &mut Arena,
    sys: &System,
    sub: Subspace,
    opts: &CriticalOptions,
    eq_scale: f64,
) -> Result<Option<ExactSet>, ()> {
    let n = sys.n;
    // Floating-point prefilter: an equation clearly nonzero at a point of E.
    for p in sub.samples_f64(n) {
        if let Some(pe) = sys.eval(&p) {
            if pe.eq.iter().any(|v| v.abs() > 1e-8 * eq_scale.max(1e-300)) {
                return Ok(None);
            }
        }
    }
    for &eq in &sys.eqs {
        let r = arena.substitute(eq, &sub.subst);
        match canonicalize_with(arena, r, &limits()) {
            Ok(c) if c.is_zero() => {}
            Ok(_) => return Ok(None),
            Err(_) => return Err(()),
        }
    }
    // The residual must not vanish identically on E (else E lies in the minimum set).
    let mut sign_g: Option<i64> = None;
    if sys.kind != StructureKind::General {
        let mut all_zero = true;
        for (k, &r) in sys.res.iter().enumerate() {
            let rr = arena.substitute(r, &sub.subst);
            match constant_of(arena, rr) {
                Ok(Some(c)) if c == 0 => {}
                Ok(Some(c)) => {
                    all_zero = false;
                    if k == 0 && sys.kind == StructureKind::Scalar {
                        sign_g = Some(if c > 0 { 1 } else { -1 });
                    }
                }
                _ => all_zero = false,
            }
        }
        if all_zero {
            return Ok(None);
        }
    } else {
        sign_g = Some(1);
    }
    if sys.kind == StructureKind::LeastSquares {
        sign_g = Some(1);
    }
    let fr = arena.substitute(sys.f, &sub.subst);
    let f_value = constant_of(arena, fr).ok().flatten();
    let (uniform, condition) = match sign_g {
        Some(s) => symbolic_class(arena, sys, &sub, s),
        None => (None, None),
    };
    let mut samples = Vec::new();
    let mut proved = false;
    for p in sub.samples(n, opts.exact_samples, opts.seed) {
        if let Some((s, witness)) = classify_point(sys, &sub, &p, opts) {
            proved |= witness;
            samples.push(s);
        }
    }
    if samples.is_empty() {
        return Err(());
    }
    Ok(Some(ExactSet {
        sub,
        f_value,
        proved,
        uniform,
        condition,
        samples,
    }))
}
