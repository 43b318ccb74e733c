//! Check C4 of ngd-verify (docs/math.md section 2, the paper's Prop 2.6): does the regularizer
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
//! - for `n <= 3` variables, the **exact cover** behind a proved verdict
//!   ([`ExactCover`]): the search box is bisected at exact rational midpoints until every
//!   box is inside an excluded neighbourhood of a point of `S`, proved disjoint from `M`
//!   (an interval enclosure of `g`, or of some residual, excludes 0), or certified:
//!   outward-rounded interval arithmetic and interval Cholesky bound
//!   `u^T Hess phi(xi) u <= -2c` for all `x` in the box, all normalized directions `u` at
//!   `x` and all `xi` within `a_max` of the box, so `phi(x - a u) - phi(x) <= -c a^2` for
//!   `0 < a <= a_max`. Each excluded neighbourhood ([`ExcludedBall`]) is *closed* when a
//!   local argument proves `Q < 0` on `M` inside it except at the point of `S`
//!   (`closure` module docs: a graph chart of `M`, the exact vanishing of `Q` and of its
//!   tangential derivative at `s`, and a negative tangential second derivative of `Q`
//!   proved by intervals), or left open and reported so;
//! - for `n > 3` variables, boxes around sampled points of `M` ([`DecreaseCertificate`]):
//!   each box is proved, but that they cover `M` is not, so **no C4 verdict is "proved"
//!   for `n > 3`**: the label is at best "numerical evidence";
//! - a **refutation** where `Q > 0`: an exact rational point and step at which one NGD step
//!   increases `phi`, with interval enclosures ([`DecreaseRefutation`]), built from the
//!   samples, from undecided boxes of the cover or from the failed closing of a
//!   neighbourhood of `S`;
//! - the **decrease order** `q` of one step, fitted in MPFR, and a warning when the
//!   schedule's power exceeds `1/q` ([`DecreaseOrder`]).
//!
//! The verdicts: *on `M \ S`* is proved only when the exact cover leaves no box undecided
//! and every excluded neighbourhood is closed; *near `S`* only when that holds for every box
//! meeting the local regions. Otherwise they are "numerical evidence" (the sampled `Q < 0`
//! everywhere outside `S`, with the covered fraction of the cover), refuted by a witness,
//! or inconclusive.
//!
//! Deterministic: the samples are seeded, the search is sequential, and the budgets are
//! counts (boxes, bisection depth), never time; the one that stopped a search is named in
//! the report.
//!
//! ```
//! use ngd_check::{Evidence, RationalBox};
//! use ngd_decrease::{check_decrease, DecreaseOptions, FirstOrder, MinimizerSet};
//! use ngd_expr::Arena;
//! use ngd_minima::{analyse_minima, MinimaOptions};
//! use ngd_parse::{parse_expr, Params};
//!
//! // Example 1.1: phi = (x^2 - y^2)^2 decreases under NGD near M \ S for f = (xy - 1)^2.
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let f = parse_expr(&mut a, "(x*y - 1)^2", &Params::new()).unwrap();
//! let phi = parse_expr(&mut a, "(x^2 - y^2)^2", &Params::new()).unwrap();
//! let bx = RationalBox::cube(2, 3);
//! let minima = analyse_minima(&mut a, f, Some(phi), &bx, &MinimaOptions::default());
//! let s = MinimizerSet::from_minima(&minima);
//! let opts = DecreaseOptions::default();
//! let r = check_decrease(&mut a, f, phi, &bx, FirstOrder::Conserved, &s, &opts);
//! assert_eq!(r.local, Evidence::Proved);
//! assert_eq!(r.evidence, Evidence::Proved);
//! ```

#![warn(missing_docs)]
// Dense numerical linear algebra reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

mod closure;
mod cover;
mod exact;
mod model;
mod order;
mod pattern;
mod refute;
mod report;

pub use report::*;

use model::{Model, Normals};
use ngd_algebra::canonicalize;
use ngd_check::{Evidence, RationalBox, Structure};
pub(crate) use ngd_eval::vector::{dist, norm};
use ngd_expr::{Arena, ExprId, Func, Node};
use ngd_minima::MinimaReport;
use rug::ops::Pow;
use rug::Rational;

/// The largest number of variables for which the exact cover is attempted; above it no
/// C4 verdict is "proved" (numerical evidence at best).
pub const MAX_EXACT_DIM: usize = 3;

/// Settings of [`check_decrease`].
#[derive(Clone, Debug, PartialEq)]
pub struct DecreaseOptions {
    /// Random points of the box projected onto `M`.
    pub samples: usize,
    /// Seed of the sampling.
    pub seed: u64,
    /// Radius of the excluded neighbourhoods of isolated points of `S`, relative to
    /// `max(1, |s|)` (max norm; the exact cover excludes the box of its bisection grid that
    /// contains this ball); for a set `S` the excluded region is
    /// `phi - min phi <= radius^2 * (range of phi over the samples)`.
    pub exclusion_radius: f64,
    /// The local region around `S` is this many exclusion radii.
    pub local_factor: f64,
    /// Boxes the exact cover examines at most (`n <= 3`).
    pub max_boxes: usize,
    /// Boxes the closing argument of one excluded neighbourhood examines at most.
    pub closure_boxes: usize,
    /// Bisections per side of the search box before a box of the exact cover is left
    /// undecided; for `n > 3`, halvings of a stretch of `M` (or of a box) in the sampled
    /// cover.
    pub max_depth: u32,
    /// Trial boxes (interval evaluations) of the sampled cover (`n > 3`) at most.
    pub max_trials: usize,
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
            max_boxes: 400_000,
            closure_boxes: 20_000,
            max_depth: 20,
            max_trials: 200_000,
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
        cover: None,
        certificate: None,
        basis: String::new(),
        local_basis: String::new(),
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
        report.basis = "no point of M was found in the search box".into();
        report.local_basis = report.basis.clone();
        return report;
    }
    let n = bx.dim();
    let exact_dim = n <= MAX_EXACT_DIM;
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
    if !exact_dim {
        report.notes.push(format!(
            "n = {n} variables: the exact cover of the search box is implemented for n <= \
             {MAX_EXACT_DIM} only, so C4 is at best numerical evidence here (boxes around \
             sampled points of M, each proved, but not proved to cover M)."
        ));
    }

    // Sign pattern.
    let pat = pattern::sign_pattern(&ctx, &model, projector, &samples, &bxf);
    report.samples = pat.points.len();
    report.counts = pat.counts.clone();
    report.branches = pat.branches.clone();
    report.components = pat.components.clone();
    report.exceptional = pat.exceptional.clone();

    // The excluded neighbourhoods and local regions of the exact cover.
    let mut balls: Vec<(Vec<f64>, f64, RationalBox, RationalBox)> = Vec::new();
    let mut regions = exact::Regions {
        excluded: Vec::new(),
        level: None,
        local: Vec::new(),
    };
    if exact_dim {
        match s {
            MinimizerSet::Points(ps) => {
                for p in ps {
                    let r = opts.exclusion_radius * norm(p).max(1.0);
                    let (Some(e), Some(l)) = (
                        exact::grid_box(bx, p, r),
                        exact::grid_box(bx, p, r * opts.local_factor),
                    ) else {
                        continue;
                    };
                    regions.excluded.push(e.clone());
                    regions.local.push(l.clone());
                    balls.push((p.clone(), r, e, l));
                }
                report.exclusion = format!(
                    "boxes of the bisection grid containing the max-norm balls of radius {} \
                     max(1, |s|) around the {} point(s) s of S (listed below)",
                    opts.exclusion_radius,
                    ps.len()
                );
                report.local_region = format!(
                    "boxes of the bisection grid containing the max-norm balls of radius {} \
                     max(1, |s|) around the points of S (samples: within that Euclidean \
                     distance)",
                    opts.exclusion_radius * opts.local_factor
                );
            }
            MinimizerSet::Level { phi_min } => {
                let level = phi_min + ctx.level_threshold();
                regions.level = Some(level);
            }
            MinimizerSet::Unknown => {}
        }
    }

    // Certificate.
    let allow_cert = first != FirstOrder::Unknown && !kinks;
    if !allow_cert && first == FirstOrder::Unknown && first_order == FirstOrder::Unknown {
        report.notes.push(
            "C1 established neither conservation nor <grad f, grad phi> >= 0, so the \
             first-order term is not controlled: no certificate is attempted."
                .into(),
        );
    }
    let first_text = match first {
        FirstOrder::Conserved => {
            "phi is conserved (C1, exact): -a <grad phi(x), u> = 0 for every normal direction u"
        }
        _ => {
            "C1 proved <grad f, grad phi> >= 0 on the search box: -a <grad phi(x), u> <= 0 for \
             the NGD direction u at every x of a box inside the search box"
        }
    };
    let mut cover_candidates: Vec<(Vec<f64>, bool)> = Vec::new();
    if allow_cert && exact_dim {
        let run = exact::run(&model, bx, &regions, opts);
        cover_candidates.extend(run.candidates.iter().map(|c| (c.x.clone(), c.local)));
        let closure_tapes = match (normals, gs.as_slice()) {
            (Normals::Gradient, [g]) if !balls.is_empty() => Some(closure::ClosureTapes::new(
                arena,
                *g,
                phi,
                first == FirstOrder::Conserved,
            )),
            _ => None,
        };
        let mut out_balls = Vec::new();
        for (p, r, e, l) in &balls {
            let (lo, hi) = exact::corners(e);
            let (llo, lhi) = exact::corners(l);
            let radius = (0..n)
                .map(|i| (p[i] - lo[i]).abs().max((hi[i] - p[i]).abs()))
                .fold(0.0, f64::max);
            let cl = match &closure_tapes {
                Some(t) => closure::close(t, &model, p, e, opts.closure_boxes),
                None => closure::Closure {
                    closed: false,
                    argument: "the closing argument is implemented for f = c h(g) \
                               only"
                        .into(),
                    exact_centre: None,
                    boxes: 0,
                    candidates: Vec::new(),
                },
            };
            cover_candidates.extend(cl.candidates.iter().map(|x| (x.clone(), true)));
            out_balls.push(ExcludedBall {
                centre: p.clone(),
                exact_centre: cl.exact_centre,
                lo,
                hi,
                requested_radius: *r,
                radius,
                closed: cl.closed,
                argument: cl.argument,
                boxes: cl.boxes,
                local_lo: llo,
                local_hi: lhi,
            });
        }
        let near_m = run.certified_volume + run.undecided_volume;
        let local_near = run.local_certified_volume + run.local_undecided_volume;
        report.cover = Some(ExactCover {
            evidence: if run.undecided == 0 {
                Evidence::Proved
            } else {
                Evidence::NumericalEvidence
            },
            examined: run.examined,
            disjoint: run.disjoint,
            certified: run.certified,
            excluded: run.excluded,
            undecided: run.undecided,
            undecided_by_reason: run.by_reason,
            min_c: run.min_c,
            a_max_range: run.a_max_range,
            a_max_rule: "a_max = half the largest side of the box (xi ranges over the box \
                         enlarged by a_max in every coordinate)"
                .into(),
            covered_fraction: if near_m > 0.0 {
                run.certified_volume / near_m
            } else {
                1.0
            },
            local_covered_fraction: (!regions.local.is_empty()).then(|| {
                if local_near > 0.0 {
                    run.local_certified_volume / local_near
                } else {
                    1.0
                }
            }),
            local_undecided: run.local_undecided,
            max_boxes: opts.max_boxes,
            min_width: run.min_width,
            limit: run.limit,
            first_order: first_text.to_string(),
            balls: out_balls,
            level_exclusion: regions.level.map(|v| {
                format!(
                    "boxes on which a proved enclosure of phi lies below {v:.6e} (S is a set; \
                     not closed by a local argument)"
                )
            }),
            examples: run.examples,
            undecided_examples: run.undecided_examples,
        });
    } else if allow_cert {
        let inside = if first == FirstOrder::Lyapunov {
            Some(bxf.as_slice())
        } else {
            None
        };
        let mut cert = cover::certify(
            &model,
            projector,
            &pat,
            samples.dimension,
            inside,
            scale,
            first_text,
            opts,
        );
        if cert.evidence == Evidence::Proved {
            cert.evidence = Evidence::NumericalEvidence;
        }
        report.certificate = Some(cert);
    }

    // Refutation where Q > 0: at the samples, else at points of M found by the cover or by
    // a failed closing argument.
    let in_local = |x: &[f64], sampled_local: bool| -> bool {
        if exact_dim && !balls.is_empty() {
            balls.iter().any(|(_, _, _, l)| {
                let (a, b) = exact::corners(l);
                x.iter()
                    .zip(a.iter().zip(&b))
                    .all(|(v, (lo, hi))| v >= lo && v <= hi)
            })
        } else {
            sampled_local
        }
    };
    // A witness in the local region decides "near S" too, so the candidates of the local
    // region are tried when the samples gave none there.
    report.refutation = refute::find(&model, &pat, &weights);
    let need_local = report
        .refutation
        .as_ref()
        .is_none_or(|w| !in_local(&w.near, w.in_local_region));
    if need_local && !cover_candidates.is_empty() {
        let cands: Vec<refute::Candidate> = cover_candidates
            .iter()
            .filter_map(|(x, local)| {
                let q = model.q(x)?;
                Some(refute::Candidate {
                    x: x.clone(),
                    q,
                    local: *local,
                })
            })
            .collect();
        let (local, other): (Vec<_>, Vec<_>) = cands.into_iter().partition(|c| c.local);
        if let Some(w) = refute::find_among(&model, &local, &weights, 8) {
            report.refutation = Some(w);
        } else if report.refutation.is_none() {
            report.refutation = refute::find_among(&model, &other, &weights, 8);
        }
    }
    if let Some(w) = report.refutation.as_mut() {
        w.in_local_region = in_local(&w.near, w.in_local_region);
    }

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
    let local_bad = pat.local_counts.positive + pat.local_counts.zero + pat.local_counts.undefined;
    let all_bad = pat.counts.positive + pat.counts.zero + pat.counts.undefined;
    let sampled_ok = first != FirstOrder::Unknown && all_bad == 0 && pat.counts.negative > 0;
    let local_sampled_ok =
        first != FirstOrder::Unknown && local_bad == 0 && !matches!(s, MinimizerSet::Unknown);
    let points_s = matches!(s, MinimizerSet::Points(p) if !p.is_empty());
    let cover = report.cover.as_ref();
    let open_balls = cover.map_or(0, |c| c.balls.iter().filter(|b| !b.closed).count());
    let all_closed = open_balls == 0 && cover.is_some_and(|c| c.level_exclusion.is_none());
    let samples_text = "every sampled point of M outside the neighbourhood of S has Q < 0 \
                        (numerical)";
    let ball_text = |c: &ExactCover| -> String {
        if c.level_exclusion.is_some() {
            "the excluded sublevel region around the set S is not closed".to_string()
        } else if c.balls.is_empty() {
            "no neighbourhood of S is excluded".to_string()
        } else if open_balls > 0 {
            format!(
                "{open_balls} of the {} excluded neighbourhoods of S left open",
                c.balls.len()
            )
        } else {
            format!("all {} excluded neighbourhoods of S closed", c.balls.len())
        }
    };
    (report.evidence, report.basis) = if let Some(w) = &report.refutation {
        (
            Evidence::Refuted,
            format!(
                "refuted: one NGD step from an exact point next to {} increases phi (interval \
                 arithmetic)",
                fmt_point(&w.near)
            ),
        )
    } else if let Some(c) = cover {
        let complete = c.undecided == 0;
        if complete && all_closed {
            (
                Evidence::Proved,
                format!(
                    "proved by the exact cover: {} boxes, every one outside the excluded \
                     neighbourhoods of S proved disjoint from M ({}) or certified ({}), and {}",
                    c.examined,
                    c.disjoint,
                    c.certified,
                    ball_text(c)
                ),
            )
        } else {
            let why = if complete {
                format!(
                    "the exact cover leaves no box undecided, but {}",
                    ball_text(c)
                )
            } else {
                format!(
                    "the exact cover leaves {} boxes undecided ({} of the volume near M \
                     certified{}); {}",
                    c.undecided,
                    percent(c.covered_fraction),
                    c.limit.as_ref().map_or(String::new(), |l| format!("; {l}")),
                    ball_text(c)
                )
            };
            if sampled_ok {
                (
                    Evidence::NumericalEvidence,
                    format!("numerical evidence only: {why}; {samples_text}"),
                )
            } else {
                (
                    Evidence::Inconclusive,
                    format!("inconclusive: {why}; some sampled point has Q >= 0 or phi undefined"),
                )
            }
        }
    } else if let Some(c) = &report.certificate {
        let complete = c.eligible > 0.0 && c.fraction >= 1.0;
        if sampled_ok && complete {
            (
                Evidence::NumericalEvidence,
                format!(
                    "numerical evidence only (n = {n} > {MAX_EXACT_DIM}): boxes around the \
                     samples are proved, but not that they cover M; {samples_text}"
                ),
            )
        } else if sampled_ok {
            (
                Evidence::NumericalEvidence,
                format!(
                    "numerical evidence only (n = {n} > {MAX_EXACT_DIM}): {samples_text}; the \
                     boxes around the samples cover {:.1}% of them",
                    100.0 * c.fraction
                ),
            )
        } else {
            (
                Evidence::Inconclusive,
                "inconclusive: some sampled point of M outside S has Q >= 0 or phi undefined, \
                 or none has Q < 0"
                    .to_string(),
            )
        }
    } else {
        (
            Evidence::Inconclusive,
            "inconclusive: no certificate was attempted (see the notes)".to_string(),
        )
    };
    (report.local, report.local_basis) = if report
        .refutation
        .as_ref()
        .is_some_and(|r| r.in_local_region)
    {
        (
            Evidence::Refuted,
            "refuted: the witness of increase lies in the local region around S".to_string(),
        )
    } else if !points_s {
        (
            if local_sampled_ok && matches!(s, MinimizerSet::Level { .. }) {
                Evidence::NumericalEvidence
            } else {
                Evidence::Inconclusive
            },
            match s {
                MinimizerSet::Unknown => "not decided: S was not located".to_string(),
                _ => "numerical evidence at most: S is a set, whose neighbourhood is not closed \
                      by a local argument"
                    .to_string(),
            },
        )
    } else if let Some(c) = cover {
        if c.local_undecided == 0 && all_closed && !c.balls.is_empty() {
            (
                Evidence::Proved,
                format!(
                    "proved: every box of the exact cover meeting the local regions is excluded, \
                     proved disjoint from M or certified, and {}",
                    ball_text(c)
                ),
            )
        } else {
            let why = if c.local_undecided == 0 {
                ball_text(c)
            } else {
                format!(
                    "{} boxes meeting the local regions are undecided ({} of the volume near \
                     M there certified); {}",
                    c.local_undecided,
                    percent(c.local_covered_fraction.unwrap_or(0.0)),
                    ball_text(c)
                )
            };
            if local_sampled_ok {
                (
                    Evidence::NumericalEvidence,
                    format!(
                        "numerical evidence only: {why}; every sampled point of M in the local \
                         region outside S has Q < 0 (numerical)"
                    ),
                )
            } else {
                (
                    Evidence::Inconclusive,
                    format!(
                        "inconclusive: {why}; some sampled point there has Q >= 0 or phi undefined"
                    ),
                )
            }
        }
    } else if local_sampled_ok && report.certificate.is_some() {
        (
            Evidence::NumericalEvidence,
            format!(
                "numerical evidence only (n = {n} > {MAX_EXACT_DIM}): every sampled point of M \
                 in the local region outside S has Q < 0"
            ),
        )
    } else {
        (
            Evidence::Inconclusive,
            "inconclusive: no certificate was attempted or some sampled point near S has Q >= 0"
                .to_string(),
        )
    };
    if let Some(c) = &report.certificate {
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

/// A fraction as a percentage with enough digits that a fraction below 1 never prints as
/// 100% (e.g. `99.9993%`).
pub fn percent(f: f64) -> String {
    if !(0.0..1.0).contains(&f) {
        return format!("{:.2}%", 100.0 * f.clamp(0.0, 1.0));
    }
    let gap = 1.0 - f;
    let digits = ((-gap.log10()).ceil() as i32 - 1).clamp(2, 12) as usize;
    let s = format!("{:.*}%", digits, 100.0 * f);
    if s.starts_with("100") {
        format!("{:.*}%", 12, 100.0 * f)
    } else {
        s
    }
}

/// `(x, y, ...)` with six decimals.
pub(crate) fn fmt_point(x: &[f64]) -> String {
    let parts: Vec<String> = x.iter().map(|v| format!("{v:.6}")).collect();
    format!("({})", parts.join(", "))
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
