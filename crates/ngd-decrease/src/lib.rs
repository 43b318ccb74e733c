//! Check C4 of ngd-verify (MATH.md section 2, the paper's Prop 2.6): does the regularizer
//! `phi` decrease under one NGD step near the minimum set `M`, away from
//! `S = argmin_M phi`?
//!
//! With `u` a normalized direction of `f` at `x` (for `f = c h(g)`: `±grad g/|grad g|`;
//! for least squares `f = sum c_i g_i^2`: a unit vector of the row space of `J_G`, which is
//! `range(Hess f)` on `M`), Taylor's theorem gives
//! `phi(x - a u) - phi(x) = -a <grad phi(x), u> + (a^2/2) u^T Hess phi(xi) u`.
//! The first term is `<= 0` by C1 (zero when `phi` is conserved), so an upper bound
//! `u^T Hess phi u <= -2c` on a neighbourhood gives `phi(x_{k+1}) <= phi(x_k) - c a_k^2`.
//!
//! This crate returns, as data:
//! - `Q(x) = max_u u^T Hess phi(x) u` at sampled points of `M` (numerical), its sign
//!   pattern along each branch or component, and the points where it changes sign or
//!   `phi` has a pole (located by bisection along `M`);
//! - a **proved** certificate: boxes on which outward-rounded interval arithmetic bounds
//!   `u^T Hess phi(xi) u <= -2c` for all `x` in the box, all normalized directions `u` at
//!   `x` and all `xi` within `a_max` of the box ([`DecreaseCertificate`]);
//! - a **refutation** where `Q > 0`: an exact rational point and step at which one NGD step
//!   increases `phi`, with interval enclosures ([`DecreaseRefutation`]);
//! - the **decrease order** `q` of one step, fitted in MPFR, and a warning when the
//!   schedule's power exceeds `1/q` ([`DecreaseOrder`]).
//!
//! Deterministic: the samples are seeded, the search is sequential, and the only budget
//! that can cut it short is stated in the report.

#![warn(missing_docs)]
// Dense numerical linear algebra reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

mod cover;
mod model;
mod order;
mod pattern;
mod refute;
mod report;

pub use report::*;

use model::{Model, Normals};
use ngd_algebra::canonicalize;
use ngd_check::{Evidence, RationalBox, Structure};
use ngd_expr::{Arena, ExprId, Func, Node};
use ngd_minima::MinimaReport;
use rug::ops::Pow;
use rug::Rational;
use std::time::Duration;

/// Settings of [`check_decrease`].
#[derive(Clone, Debug, PartialEq)]
pub struct DecreaseOptions {
    /// Random points of the box projected onto `M`.
    pub samples: usize,
    /// Seed of the sampling.
    pub seed: u64,
    /// Radius of the excluded balls around isolated points of `S`, relative to
    /// `max(1, |s|)`; for a set `S` the excluded region is `phi - min phi <= radius^2 *
    /// (range of phi over the samples)`.
    pub exclusion_radius: f64,
    /// The local region around `S` is this many exclusion radii.
    pub local_factor: f64,
    /// Trial boxes (interval evaluations) at most.
    pub max_trials: usize,
    /// Wall-clock limit of the box search.
    pub max_time: Duration,
    /// Bisections of a stretch of `M` (or halvings of a box) before it is left uncovered.
    pub max_depth: u32,
    /// Points at which the decrease order is fitted.
    pub order_points: usize,
    /// MPFR precision (bits) of the order fits.
    pub precision: u32,
    /// The power `p` of the schedule `a_k = a0/(k+1)^p`, to compare with `1/q`.
    pub schedule_power: Option<f64>,
}

impl Default for DecreaseOptions {
    fn default() -> Self {
        DecreaseOptions {
            samples: 400,
            seed: 1,
            exclusion_radius: 0.02,
            local_factor: 10.0,
            max_trials: 200_000,
            max_time: Duration::from_secs(8),
            max_depth: 16,
            order_points: 4,
            precision: 256,
            schedule_power: None,
        }
    }
}

/// `S = argmin_M phi` as far as C3 located it.
#[derive(Clone, Debug, PartialEq)]
pub enum MinimizerSet {
    /// Isolated points.
    Points(Vec<Vec<f64>>),
    /// A positive-dimensional set, described by the minimum value of `phi` on `M`.
    Level {
        /// `min_M phi`.
        phi_min: f64,
    },
    /// Not located.
    Unknown,
}

impl MinimizerSet {
    /// `S` from the C2/C3 report (its regularizer section).
    pub fn from_minima(r: &MinimaReport) -> MinimizerSet {
        let Some(reg) = &r.flat.regularizer else {
            return MinimizerSet::Unknown;
        };
        if !reg.s_points.is_empty() {
            return MinimizerSet::Points(
                reg.s_points
                    .iter()
                    .filter_map(|&i| reg.critical_points.get(i))
                    .map(|c| c.point.approx.clone())
                    .collect(),
            );
        }
        match (&reg.s_set, reg.min_value) {
            (Some(_), Some(v)) => MinimizerSet::Level { phi_min: v },
            (Some(set), None) => match set.phi_range {
                Some((lo, _)) => MinimizerSet::Level { phi_min: lo },
                None => MinimizerSet::Unknown,
            },
            _ => MinimizerSet::Unknown,
        }
    }

    /// For isolated points: whether `x` lies within `radius * max(1, |s|)` of a point `s`
    /// of `S`; `None` for sets and unknown `S`.
    pub fn within(&self, x: &[f64], radius: f64) -> Option<bool> {
        match self {
            MinimizerSet::Points(ps) => {
                Some(ps.iter().any(|s| dist(x, s) <= radius * norm(s).max(1.0)))
            }
            _ => None,
        }
    }
}

/// True when `e` contains a function that is not twice differentiable everywhere on its
/// domain (`abs`, `sign`, `max`, `min`): Taylor's theorem with a Hessian remainder does not
/// apply across its kinks, so no certificate is attempted.
fn has_kinks(arena: &Arena, e: ExprId) -> bool {
    arena.postorder(&[e]).into_iter().any(|id| {
        matches!(
            arena.node(id),
            Node::Func(Func::Abs | Func::Sign, _) | Node::Max(..) | Node::Min(..)
        )
    })
}

/// Runs C4 for `f`, `phi` on the search box `bx`.
///
/// `first_order` is what C1 established; `s` is `S = argmin_M phi` from C3. The verdicts
/// are never "proved" without a certificate whose every box is proved by outward-rounded
/// interval arithmetic and which covers every sampled point of `M \ S` (resp. of the local
/// region) where `Q < 0`, with no sampled point where `Q >= 0` there; a refutation is an
/// exact point re-checked by intervals.
///
/// Panics if `bx.dim() != arena.n_vars()`.
pub fn check_decrease(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    bx: &RationalBox,
    first_order: FirstOrder,
    s: &MinimizerSet,
    opts: &DecreaseOptions,
) -> DecreaseReport {
    assert_eq!(bx.dim(), arena.n_vars(), "check_decrease: box dimension");
    let mut report = DecreaseReport {
        evidence: Evidence::Inconclusive,
        local: Evidence::Inconclusive,
        normals: String::new(),
        q_formula: String::new(),
        exclusion: String::new(),
        local_region: String::new(),
        samples: 0,
        dimension: None,
        counts: SignCounts::default(),
        branches: Vec::new(),
        components: Vec::new(),
        exceptional: Vec::new(),
        certificate: None,
        refutation: None,
        order: None,
        notes: Vec::new(),
    };
    let (gs, weights, normals) = match Structure::detect(arena, f) {
        Structure::Scalar { g, .. } => {
            report.normals =
                "N f(x) = {+grad g/|grad g|, -grad g/|grad g|} (f = c h(g); at points of M the \
                 normalized subdifferential)"
                    .into();
            report.q_formula = "Q = grad g^T Hess phi grad g / |grad g|^2".into();
            (vec![g], vec![1.0], Normals::Gradient)
        }
        Structure::LeastSquares { residuals } => {
            report.normals = format!(
                "N f(x) = unit sphere of the row space of J_G ({} residuals), which is \
                 range(Hess f) on M and contains grad f everywhere",
                residuals.len()
            );
            report.q_formula =
                "Q = largest eigenvalue of Hess phi compressed to the row space of J_G".into();
            (
                residuals.iter().map(|r| r.1).collect(),
                residuals.iter().map(|r| r.0.to_f64()).collect(),
                Normals::RowSpace,
            )
        }
        Structure::General => {
            report.notes.push(
                "C4 needs the shape f = c h(g) or f = sum c_i g_i^2 to know the normalized \
                 directions at the minima; f has neither, so C4 was not run."
                    .into(),
            );
            return report;
        }
    };

    // The first-order fact the certificate may use.
    let mut first = first_order;
    if normals == Normals::RowSpace && first == FirstOrder::Conserved {
        // On M every unit vector of the row space is a normalized direction, so each
        // <grad g_i, grad phi> must vanish, not only their weighted sum.
        let gphi = arena.gradient(phi);
        for &g in &gs {
            let dg = arena.gradient(g);
            let d = arena.dot(&dg, &gphi);
            match canonicalize(arena, d) {
                Ok(c) if c.is_zero() => {}
                _ => {
                    first = FirstOrder::Unknown;
                    report.notes.push(format!(
                        "<grad g_i, grad phi> is not identically 0 for the residual {}: the \
                         first-order term is not controlled for every normal direction on M, \
                         so no certificate is attempted.",
                        arena.display(g)
                    ));
                    break;
                }
            }
        }
        if first == FirstOrder::Conserved {
            report.notes.push(
                "Every <grad g_i, grad phi> is identically 0 (exact canonical forms), so the \
                 first-order term vanishes for every normal direction."
                    .into(),
            );
        }
    }
    if normals == Normals::RowSpace && first == FirstOrder::Lyapunov {
        first = FirstOrder::Unknown;
        report.notes.push(
            "C1 proved only <grad f, grad phi> >= 0; for least squares the normal directions \
             on M are not all gradient directions, so no certificate is attempted."
                .into(),
        );
    }
    let kinks = has_kinks(arena, phi);
    if kinks {
        report.notes.push(
            "phi contains abs/sign/max/min: it is not twice differentiable across their kinks, \
             so no certificate is attempted (the sign pattern and refutations still are)."
                .into(),
        );
    }

    let model = Model::new(arena, f, phi, &gs, normals, bx);
    let projector = &model.projector;
    let samples = projector.sample(opts.samples, opts.seed);
    report.dimension = samples.dimension;
    if samples.points.is_empty() {
        report
            .notes
            .push("No point of M was found in the box: nothing to check.".into());
        return report;
    }
    let scale = bx
        .lo
        .iter()
        .zip(&bx.hi)
        .map(|(a, b)| (b.clone() - a).to_f64().abs())
        .fold(0.0, f64::max)
        .max(1e-300);
    let bxf: Vec<(f64, f64)> = bx
        .lo
        .iter()
        .zip(&bx.hi)
        .map(|(a, b)| (a.to_f64(), b.to_f64()))
        .collect();

    let ctx = pattern::Classifier::new(&model, s, &samples, opts);
    report.exclusion = ctx.exclusion.clone();
    report.local_region = ctx.local_description.clone();
    if matches!(s, MinimizerSet::Unknown) {
        report.notes.push(
            "S = argmin_M phi was not located (no regularizer minima from C3): no neighbourhood \
             is excluded and the local verdict is not decided."
                .into(),
        );
    }

    // Sign pattern.
    let pat = pattern::sign_pattern(&ctx, &model, projector, &samples, &bxf);
    report.samples = pat.points.len();
    report.counts = pat.counts.clone();
    report.branches = pat.branches.clone();
    report.components = pat.components.clone();
    report.exceptional = pat.exceptional.clone();

    // Certificate.
    let allow_cert = first != FirstOrder::Unknown && !kinks;
    if !allow_cert && first == FirstOrder::Unknown && first_order == FirstOrder::Unknown {
        report.notes.push(
            "C1 established neither conservation nor <grad f, grad phi> >= 0, so the \
             first-order term is not controlled: no certificate is attempted."
                .into(),
        );
    }
    if allow_cert {
        let first_text = match first {
            FirstOrder::Conserved => {
                "phi is conserved (C1, exact): -a <grad phi(x), u> = 0 for every normal \
                 direction u"
            }
            _ => {
                "C1 proved <grad f, grad phi> >= 0 on the search box: -a <grad phi(x), u> <= 0 \
                 for the NGD direction u at every x of a box inside the search box"
            }
        };
        let inside = if first == FirstOrder::Lyapunov {
            Some(bxf.as_slice())
        } else {
            None
        };
        let cert = cover::certify(
            &model,
            projector,
            &pat,
            samples.dimension,
            inside,
            scale,
            first_text,
            opts,
        );
        report.certificate = Some(cert);
    }

    // Refutation where Q > 0.
    report.refutation = refute::find(&model, &pat, &weights);

    // Decrease order.
    report.order = order::fit(&model, &pat, &weights, opts);

    // Identity remark for the scalar conserved case.
    if normals == Normals::Gradient && first_order == FirstOrder::Conserved {
        report.notes.push(
            "For conserved phi and f = c h(g), differentiating <grad g, grad phi> = 0 along \
             grad g gives Q = -<grad phi, grad s>/(2 s) with the sharpness s = |grad g|^2: \
             phi decreases exactly where phi and the sharpness increase together along M."
                .into(),
        );
    }

    // Verdicts.
    let cert = report.certificate.as_ref();
    let local_bad = pat.local_counts.positive + pat.local_counts.zero + pat.local_counts.undefined;
    let all_bad = pat.counts.positive + pat.counts.zero + pat.counts.undefined;
    report.evidence = if report.refutation.is_some() {
        Evidence::Refuted
    } else if cert.is_some_and(|c| c.eligible > 0.0 && c.fraction >= 1.0) && all_bad == 0 {
        Evidence::Proved
    } else {
        Evidence::Inconclusive
    };
    report.local = if report
        .refutation
        .as_ref()
        .is_some_and(|r| r.in_local_region)
    {
        Evidence::Refuted
    } else if !matches!(s, MinimizerSet::Unknown)
        && cert.is_some_and(|c| c.local_eligible > 0.0 && c.local_fraction >= 1.0)
        && local_bad == 0
    {
        Evidence::Proved
    } else {
        Evidence::Inconclusive
    };
    if let Some(c) = cert {
        if c.eligible == 0.0 {
            report.notes.push(
                "No sampled point of M outside the neighbourhood of S has Q < 0: there is \
                 nothing to certify (a phi that is constant on M, or Q = 0 throughout, is \
                 never certified)."
                    .into(),
            );
        }
    }
    report
}

/// An exact rational from the decimal expansion of `v` to `sig` significant digits, with
/// that decimal printed plainly (e.g. `0.70710678118655`).
pub(crate) fn decimal_rational(v: f64, sig: usize) -> (Rational, String) {
    if v == 0.0 || !v.is_finite() {
        return (Rational::new(), "0".into());
    }
    let s = format!("{:.*e}", sig.saturating_sub(1), v);
    let (mant, exp) = s.split_once('e').expect("exponent");
    let exp: i32 = exp.parse().expect("exponent digits");
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    // value = 0.d1 d2 ... * 10^(exp + 1)
    let k = digits.len() as i32;
    let int = rug::Integer::from_str_radix(digits, 10).expect("digits");
    let shift = exp + 1 - k;
    let mut q = Rational::from(int);
    if shift >= 0 {
        q *= Rational::from(rug::Integer::from(10).pow(shift as u32));
    } else {
        q /= Rational::from(rug::Integer::from(10).pow((-shift) as u32));
    }
    if neg {
        q = -q;
    }
    let point = exp + 1;
    let mut text = String::new();
    if neg {
        text.push('-');
    }
    if point <= 0 {
        text.push_str("0.");
        text.push_str(&"0".repeat((-point) as usize));
        text.push_str(digits);
    } else if point as usize >= digits.len() {
        text.push_str(digits);
        text.push_str(&"0".repeat(point as usize - digits.len()));
    } else {
        text.push_str(&digits[..point as usize]);
        text.push('.');
        text.push_str(&digits[point as usize..]);
    }
    (q, text)
}

/// Euclidean distance.
pub(crate) fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Euclidean norm.
pub(crate) fn norm(a: &[f64]) -> f64 {
    a.iter().map(|x| x * x).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_rationals_are_exact_and_printed_plainly() {
        let (q, s) = decimal_rational(0.125, 6);
        assert_eq!(q, Rational::from((1, 8)));
        assert_eq!(s, "0.125");
        let (q, s) = decimal_rational(-1234.5, 8);
        assert_eq!(q, Rational::from((-2469, 2)));
        assert_eq!(s, "-1234.5");
        let (q, s) = decimal_rational(3e-5, 4);
        assert_eq!(q, Rational::from((3, 100000)));
        assert_eq!(s, "0.00003");
        let (q, s) = decimal_rational(2e3, 4);
        assert_eq!(q, Rational::from(2000));
        assert_eq!(s, "2000");
    }
}
