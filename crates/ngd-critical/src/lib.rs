//! Critical sets of `f` outside the minimum set `M` in the search box: the hypothesis "no
//! attracting critical set of `f` outside `M`" of the global statements (Thm 2.10 / 3.32,
//! docs/math.md, "Conclusions").
//!
//! The equations come from the structure of `f` ([`ngd_check::Structure`]):
//!
//! | structure | equations | off `M` | Hessian of `f` there |
//! | --- | --- | --- | --- |
//! | `f = c h(g)` | `grad g = 0` | `g != 0` | `c h'(g) Hess g`, sign of `g` |
//! | `f = sum c_i g_i^2 + c_0` | `J_G^T C G = 0` (`grad f = 0`) | `G != 0` | `Hess f` |
//! | `f = sum c_i h_i(g_i) + c_0` (other losses) | searched as general: `grad f = J_G^T y`, `y_i = c_i h_i'(g_i)` | as general | `Hess f` |
//! | general | `grad f = 0` | `f >` the smallest value seen (or `inf f` if given) | `Hess f` |
//!
//! Two routes:
//!
//! - **Exact** ([`Method::ExactSubspace`]): coordinate subspaces `{x_i = 0, i in S}`,
//!   `|S| <= 3`, and for `n <= 4` the diagonals `{x_i = x_j}`, `{x_i = -x_j}`; the equations
//!   are substituted exactly and decided by exact canonical forms (`ngd-algebra`). A subspace
//!   on which every equation vanishes identically and where an exact rational point has a
//!   nonzero residual is *proved* to be a critical set off `M` (in the box). Its points are
//!   classified exactly at rational samples (inertia of the rational normal Hessian), and on
//!   all of the set when the normal Hessian is constant; when the type changes along the set
//!   the positive-definiteness condition is printed exactly (Sylvester), e.g. `y < 0`.
//!   Skipped when the inner expressions contain `abs`, `sign`, `max` or `min` (canonical
//!   forms take `sign(u)^2 = 1`, exact only off `u = 0`).
//! - **Numerical** ([`Method::Newton`]): seeded starts, Levenberg-Marquardt on the equations,
//!   points with a small equation residual and a clearly nonzero residual `g` (`G`), inside
//!   the box; deduplicated, grouped into components, assigned to exact sets where they lie on
//!   one; local dimension by a projected tangent test, classification by the eigenvalues of
//!   the Hessian of `f` without the tangent directions. An isolated nondegenerate point is
//!   *proved* by the Krawczyk test ([`Method::Krawczyk`]) where the tape is proved smooth,
//!   with the residual's enclosure excluding 0, and its type by interval Hessian bounds.
//!
//! "Off `M`" means a nonzero residual (`g != 0`, `G != 0`), i.e. outside `{g = 0}`
//! (`{G = 0}`), which is `M` when the residual has a zero: C2 (`ngd-minima`) proves that;
//! here `search.residual_zero_seen` reports whether one was seen, and when none was, the sets
//! at the lowest value of `f` are flagged `may_be_minimum` and not counted. On the general
//! path "off `M`" is proved only against a given `inf f` ([`CriticalOptions::inf_f`]).
//!
//! The search is never exhaustive: "none found" is numerical evidence. Budgets are counts;
//! the report depends only on the inputs and the options.
//!
//! ```
//! use ngd_certify::RationalBox;
//! use ngd_check::{Outer, Structure};
//! use ngd_critical::{find_critical_sets, Classification, CriticalOptions};
//! use ngd_expr::Arena;
//!
//! // f = (x^2 y - 1)^2: the line x = 0 is critical with f = 1, minima where y < 0.
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let (x, y, one) = (a.var(0), a.var(1), a.int(1));
//! let x2 = a.powi(x, 2);
//! let x2y = a.mul2(x2, y);
//! let g = a.sub(x2y, one);
//! let f = a.powi(g, 2);
//! let s = Structure::detect(&a, f);
//! let opts = CriticalOptions { starts: 40, ..CriticalOptions::default() };
//! let r = find_critical_sets(&mut a, f, &s, &RationalBox::cube(2, 3), &opts);
//! let c = r.components.iter().find(|c| c.exact.as_deref() == Some("x = 0")).unwrap();
//! assert_eq!(c.f_value.as_deref(), Some("1"));
//! assert!(c.attracting);
//! assert_eq!(c.attracting_where.as_deref(), Some("y < 0"));
//! assert_eq!(c.classification, Classification::Mixed);
//! ```

#![warn(missing_docs)]
// Dense numerical linear algebra reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

mod exact;
mod inertia;
mod newton;
mod numeric;
mod prove;
mod report;
mod system;

pub use ngd_certify::{Evidence, RationalBox};
pub use report::*;

use exact::{ExactSet, PdCondition};
use ngd_check::{Outer, Structure};
use ngd_expr::{Arena, ExprId};
use numeric::{Distinct, Search};
use rug::Rational;
use system::System;

/// Settings of [`find_critical_sets`]. Every budget is a count.
#[derive(Clone, Debug, PartialEq)]
pub struct CriticalOptions {
    /// Newton starts in the box (the centre, then seeded uniform points).
    pub starts: usize,
    /// Seed of the starts and of the exact samples.
    pub seed: u64,
    /// Levenberg-Marquardt steps per run.
    pub max_newton_steps: usize,
    /// A run converged when `|F| <= residual_tol * (median |F| at the starts)`.
    pub residual_tol: f64,
    /// A point is off the minimum set when `|g|` (`|G|`) exceeds `residual_floor` times its
    /// median at the starts.
    pub residual_floor: f64,
    /// Run the exact subspace route.
    pub exact: bool,
    /// Test the diagonals `x_i = x_j`, `x_i = -x_j` too (only for `n <= 4`).
    pub diagonals: bool,
    /// The largest number of coordinates set to zero (`|S| <= min(n, this)`).
    pub max_subspace_codim: usize,
    /// At most this many subspaces are tested.
    pub max_exact_tests: usize,
    /// Rational sample points per exact set (classification, ranges).
    pub exact_samples: usize,
    /// At most this many distinct Newton points are kept.
    pub max_points: usize,
    /// Points closer than this fraction of the largest box width may be linked into one
    /// component.
    pub link_radius: f64,
    /// Try the Krawczyk proof at isolated points.
    pub krawczyk: bool,
    /// At most this many components are reported (attracting ones first).
    pub max_components: usize,
    /// `inf f` when known (proved elsewhere); the general path then proves "off `M`" by
    /// `f > inf f`.
    pub inf_f: Option<Rational>,
}

impl Default for CriticalOptions {
    fn default() -> Self {
        CriticalOptions {
            starts: 200,
            seed: 1,
            max_newton_steps: 60,
            residual_tol: 1e-12,
            residual_floor: 1e-6,
            exact: true,
            diagonals: true,
            max_subspace_codim: 3,
            max_exact_tests: 300,
            exact_samples: 25,
            max_points: 150,
            link_radius: 0.15,
            krawczyk: true,
            max_components: 24,
            inf_f: None,
        }
    }
}

fn settings(opts: &CriticalOptions) -> Settings {
    Settings {
        starts: opts.starts,
        seed: opts.seed,
        max_newton_steps: opts.max_newton_steps,
        residual_tol: opts.residual_tol,
        residual_floor: opts.residual_floor,
        max_subspace_codim: if opts.exact {
            opts.max_subspace_codim
        } else {
            0
        },
        max_exact_tests: opts.max_exact_tests,
        exact_samples: opts.exact_samples,
        inf_f: opts.inf_f.as_ref().map(Rational::to_string),
    }
}

/// Whether the critical points of `f = h(g)` off `M` are those of `g` on the box: always for
/// the powers and `|t|`; for an outer function recognised from its formula only when the
/// enclosure of `g` over the box lies in the range where `h'(t) != 0` is proved for `t != 0`
/// (docs/math.md, "The shape of f"). Otherwise `grad f = 0` is searched directly.
fn scalar_rule_holds(arena: &Arena, structure: &Structure, bx: &RationalBox) -> bool {
    let Structure::Scalar {
        g,
        outer: Outer::Increasing {
            strict_range_log2, ..
        },
        ..
    } = structure
    else {
        return true;
    };
    if bx.dim() != arena.n_vars() {
        return true;
    }
    let r = 2f64.powi(*strict_range_log2 as i32);
    let tape = ngd_eval::Tape::compile(arena, &[*g]);
    let xs: Vec<_> = (0..bx.dim())
        .map(|i| ngd_eval::interval_of(&bx.lo[i], &bx.hi[i]))
        .collect();
    tape.eval::<ngd_eval::Interval>(&(), &xs)
        .is_ok_and(|v| -r <= v[0].inf() && v[0].sup() <= r)
}

fn kind_of(structure: &Structure) -> StructureKind {
    match structure {
        Structure::Scalar { .. } => StructureKind::Scalar,
        Structure::LeastSquares { .. } => StructureKind::LeastSquares,
        // `grad f = J^T y` with `y_i = c_i h_i'(g_i)`, not `J^T C G`: `grad f = 0` directly.
        Structure::Sum { .. } | Structure::General => StructureKind::General,
    }
}

fn equations_of(kind: StructureKind) -> &'static str {
    match kind {
        StructureKind::Scalar => "grad g = 0, g != 0",
        StructureKind::LeastSquares => "J_G^T C G = 0, G != 0",
        StructureKind::General => "grad f = 0, f > min seen",
    }
}

/// Finds the critical sets of `f` outside the minimum set in the box `bx`, classifies them
/// and says which attract GD and NGD (see the crate documentation for what is proved).
///
/// `structure` must be the structure of `f` (`Structure::detect(arena, f)`), `bx` must have
/// one interval per variable of `arena`; otherwise (or with no variables) the report is
/// empty with `skipped` set. Never panics on valid input; nodes are added to `arena`.
pub fn find_critical_sets(
    arena: &mut Arena,
    f: ExprId,
    structure: &Structure,
    bx: &RationalBox,
    opts: &CriticalOptions,
) -> CriticalReport {
    let general = Structure::General;
    let sum_of_losses = matches!(structure, Structure::Sum { .. });
    let structure = if !sum_of_losses && scalar_rule_holds(arena, structure, bx) {
        structure
    } else {
        &general
    };
    let kind = kind_of(structure);
    let mut report = empty_report(kind, opts);
    let n = arena.n_vars();
    if n == 0 || bx.dim() != n {
        report.skipped = Some(if n == 0 {
            SearchSkip::NoVariables
        } else {
            SearchSkip::BoxDimension
        });
        return report;
    }
    let sys = System::build(arena, f, structure);
    let lo: Vec<f64> = bx.lo.iter().map(Rational::to_f64).collect();
    let hi: Vec<f64> = bx.hi.iter().map(Rational::to_f64).collect();
    let starts = numeric::starts(&lo, &hi, opts.starts, opts.seed);
    let sc = numeric::scales(&sys, &starts, &lo, &hi);
    let (exact_sets, route) = exact::exact_route(arena, &sys, bx, opts, sc.eq);
    report.exact_route = route;
    let search = Search {
        sys: &sys,
        opts,
        sc: &sc,
        lo: &lo,
        hi: &hi,
    };
    let (converged, mut hits) = search.run(&starts);
    let f_min = lowest_f(&hits, sc.f_min, opts);
    let tol_f = 1e-6 * sc.f_spread.max(1e-300) + 1e-12 * f_min.abs();
    if kind == StructureKind::General {
        hits.retain(|h| h.f > f_min + tol_f);
    }
    report.search.starts = starts.len();
    report.search.converged = converged;
    report.search.kept = hits.len();
    report.search.min_f_seen = f_min;
    report.search.residual_zero_seen = search.residual_zero_seen(&starts);

    let exact_hits = take_exact_hits(&exact_sets, &mut hits, 1e-4 * sc.w.max(1.0));
    let mut comps: Vec<CriticalComponent> = exact_sets
        .iter()
        .zip(exact_hits)
        .map(|(set, h)| (set, exact_component(set, h)))
        .filter(|(set, c)| {
            kind != StructureKind::General || set.proved || c.f_range[0] > f_min + tol_f
        })
        .map(|(_, c)| c)
        .collect();
    let mut pts = numeric::dedupe(hits, sc.w, opts.max_points);
    report.search.distinct = pts.len();
    for p in pts.iter_mut() {
        if let Some(pe) = sys.eval(&p.x) {
            p.dim = search.local_dim(&p.x, &pe);
        }
    }
    for group in numeric::components(&search, &pts) {
        comps.push(numeric_component(&search, bx, &pts, &group));
    }
    if report.search.residual_zero_seen == Some(false) {
        flag_possible_minima(&mut comps);
    }
    report.omitted_components = order_and_truncate(&mut comps, opts.max_components);
    for c in comps.iter_mut() {
        tidy_component(c, sc.w);
    }
    report.summary = summarize(&comps);
    report.components = comps;
    report
}

/// The report before any search: no components, zero counts, the exact route not run.
fn empty_report(kind: StructureKind, opts: &CriticalOptions) -> CriticalReport {
    CriticalReport {
        structure: kind,
        equations: equations_of(kind).into(),
        exact_route: ExactRoute::Skipped {
            reason: RouteSkip::NotRun,
        },
        components: Vec::new(),
        omitted_components: 0,
        summary: summarize(&[]),
        search: SearchStats {
            starts: 0,
            converged: 0,
            kept: 0,
            distinct: 0,
            min_f_seen: f64::NAN,
            residual_zero_seen: None,
        },
        settings: settings(opts),
        skipped: None,
    }
}

/// The smallest value of `f` seen at the starts and the hits, and at the given `inf f`.
fn lowest_f(hits: &[numeric::Hit], f_min_starts: f64, opts: &CriticalOptions) -> f64 {
    let f_min = hits.iter().map(|h| h.f).fold(f_min_starts, f64::min);
    match &opts.inf_f {
        Some(q) => f_min.min(q.to_f64()),
        None => f_min,
    }
}

/// Removes the hits that lie on an exact set (within `atol`, or twice the last Newton step of
/// a slowly converging run) and returns how many landed on each set.
fn take_exact_hits(exact_sets: &[ExactSet], hits: &mut Vec<numeric::Hit>, atol: f64) -> Vec<usize> {
    let mut exact_hits = vec![0usize; exact_sets.len()];
    hits.retain(|h| {
        let tol = atol.max(2.0 * h.last_step);
        match exact_sets.iter().position(|s| s.sub.distance(&h.x) <= tol) {
            Some(k) => {
                exact_hits[k] += 1;
                false
            }
            None => true,
        }
    });
    exact_hits
}

/// Flags the components at the lowest value of `f` as `may_be_minimum` (used when no zero of
/// the residual was seen: they may be `argmin f`).
fn flag_possible_minima(comps: &mut [CriticalComponent]) {
    let low = comps
        .iter()
        .map(|c| c.f_range[0])
        .fold(f64::INFINITY, f64::min);
    let tol = 1e-6 * low.abs().max(1e-12);
    for c in comps.iter_mut() {
        c.may_be_minimum = c.f_range[0] <= low + tol;
    }
}

/// Sorts attracting first (then exact sets, then by `f`) and keeps at most `max` components;
/// returns how many were left out.
fn order_and_truncate(comps: &mut Vec<CriticalComponent>, max: usize) -> usize {
    comps.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(b.exact.is_some().cmp(&a.exact.is_some()))
            .then(a.f_range[0].total_cmp(&b.f_range[0]))
    });
    let omitted = comps.len().saturating_sub(max);
    comps.truncate(max);
    omitted
}

/// A number for the report: 12 significant digits, and `0` below `1e-12` times the scale
/// (keeps the JSON short; the exact data are the descriptions and `f_value`).
fn tidy(v: f64, scale: f64) -> f64 {
    if !v.is_finite() {
        return v;
    }
    if v.abs() <= 1e-12 * scale.max(1.0) {
        return 0.0;
    }
    format!("{v:.11e}").parse().unwrap_or(v)
}

fn tidy_component(c: &mut CriticalComponent, w: f64) {
    for s in c.samples.iter_mut() {
        for v in s.iter_mut() {
            *v = tidy(*v, w);
        }
    }
    for p in c.parts.iter_mut() {
        for r in p.range.iter_mut() {
            *r = [tidy(r[0], w), tidy(r[1], w)];
        }
    }
    let fs = c.f_range[0].abs().max(c.f_range[1].abs());
    c.f_range = [tidy(c.f_range[0], fs), tidy(c.f_range[1], fs)];
}

fn has_part(c: &CriticalComponent, k: Classification) -> bool {
    c.classification == k || c.parts.iter().any(|p| p.classification == k)
}

/// 0 attracting, 1 undecided, 2 not attracting, 3 possibly the minimum set.
fn rank(c: &CriticalComponent) -> u8 {
    if c.may_be_minimum {
        3
    } else if c.attracting {
        0
    } else if has_part(c, Classification::Degenerate) {
        1
    } else {
        2
    }
}

fn summarize(comps: &[CriticalComponent]) -> Summary {
    let count = |r: u8| comps.iter().filter(|c| rank(c) == r).count();
    let (attracting, undecided, not_attracting) = (count(0), count(1), count(2));
    let proved = comps.iter().any(|c| {
        rank(c) == 0
            && c.evidence == Evidence::Proved
            && c.parts.iter().any(|p| {
                p.classification == Classification::LocalMinimum && p.evidence == Evidence::Proved
            })
    });
    let finding = if proved {
        Finding::AttractingProved
    } else if attracting > 0 {
        Finding::AttractingNumerical
    } else if undecided > 0 {
        Finding::Undecided
    } else if not_attracting > 0 {
        Finding::NoneAttracting
    } else {
        Finding::NoneFound
    };
    Summary {
        finding,
        evidence: if proved {
            Evidence::Proved
        } else {
            Evidence::NumericalEvidence
        },
        exhaustive: false,
        attracting,
        undecided,
        not_attracting,
    }
}

fn bounding(points: &[&[f64]]) -> Vec<[f64; 2]> {
    let n = points.first().map_or(0, |p| p.len());
    (0..n)
        .map(|i| {
            points
                .iter()
                .fold([f64::INFINITY, f64::NEG_INFINITY], |r, p| {
                    [r[0].min(p[i]), r[1].max(p[i])]
                })
        })
        .collect()
}

/// Groups `(class, point, exact)` into parts, in the order of the classes.
fn parts_of(items: &[(Classification, &[f64], bool)]) -> Vec<Part> {
    let mut classes: Vec<Classification> = items.iter().map(|t| t.0).collect();
    classes.sort();
    classes.dedup();
    classes
        .into_iter()
        .map(|k| {
            let mine: Vec<&(Classification, &[f64], bool)> =
                items.iter().filter(|t| t.0 == k).collect();
            let pts: Vec<&[f64]> = mine.iter().map(|t| t.1).collect();
            Part {
                classification: k,
                points: mine.len(),
                range: bounding(&pts),
                evidence: if mine.iter().all(|t| t.2) {
                    Evidence::Proved
                } else {
                    Evidence::NumericalEvidence
                },
            }
        })
        .collect()
}

/// Up to five points: one per class first, then spread out (farthest point).
fn pick_samples(items: &[(Classification, &[f64], bool)]) -> Vec<Vec<f64>> {
    let mut chosen: Vec<usize> = Vec::new();
    let mut classes: Vec<Classification> = items.iter().map(|t| t.0).collect();
    classes.sort();
    classes.dedup();
    for k in classes {
        // The point nearest the centroid of the class.
        let idx: Vec<usize> = (0..items.len()).filter(|&i| items[i].0 == k).collect();
        let n = items[idx[0]].1.len();
        let c: Vec<f64> = (0..n)
            .map(|j| idx.iter().map(|&i| items[i].1[j]).sum::<f64>() / idx.len() as f64)
            .collect();
        let best = idx
            .iter()
            .copied()
            .min_by(|&a, &b| {
                numeric::dist(items[a].1, &c).total_cmp(&numeric::dist(items[b].1, &c))
            })
            .unwrap_or(idx[0]);
        if chosen.len() < 5 {
            chosen.push(best);
        }
    }
    while chosen.len() < 5.min(items.len()) {
        let far = (0..items.len())
            .filter(|i| !chosen.contains(i))
            .max_by(|&a, &b| {
                let da = chosen
                    .iter()
                    .map(|&c| numeric::dist(items[a].1, items[c].1))
                    .fold(f64::INFINITY, f64::min);
                let db = chosen
                    .iter()
                    .map(|&c| numeric::dist(items[b].1, items[c].1))
                    .fold(f64::INFINITY, f64::min);
                da.total_cmp(&db)
            });
        match far {
            Some(i) => chosen.push(i),
            None => break,
        }
    }
    chosen.iter().map(|&i| items[i].1.to_vec()).collect()
}

fn combine(parts: &[Part]) -> Classification {
    match parts {
        [p] => p.classification,
        [] => Classification::Degenerate,
        _ => Classification::Mixed,
    }
}

fn exact_component(set: &ExactSet, hits: usize) -> CriticalComponent {
    let items: Vec<(Classification, &[f64], bool)> = set
        .samples
        .iter()
        .map(|s| (s.class, s.x.as_slice(), s.exact))
        .collect();
    let parts = parts_of(&items);
    let all_exact = set.samples.iter().all(|s| s.exact);
    let classification = set.uniform.unwrap_or_else(|| combine(&parts));
    let classification_evidence =
        if set.uniform.is_some() || (classification == Classification::Mixed && all_exact) {
            Evidence::Proved
        } else {
            Evidence::NumericalEvidence
        };
    let attracting = has_part_list(&parts, classification, Classification::LocalMinimum);
    let f_range = set
        .samples
        .iter()
        .fold([f64::INFINITY, f64::NEG_INFINITY], |r, s| {
            [r[0].min(s.f), r[1].max(s.f)]
        });
    CriticalComponent {
        exact: Some(set.sub.desc.clone()),
        dimension: set.sub.dim,
        f_value: set.f_value.as_ref().map(Rational::to_string),
        f_range,
        classification,
        classification_evidence,
        attracting,
        attracting_where: if attracting && classification == Classification::Mixed {
            match &set.condition {
                Some(PdCondition::Where(c)) => Some(c.clone()),
                _ => None,
            }
        } else {
            None
        },
        may_be_minimum: false,
        parts,
        evidence: if set.proved {
            Evidence::Proved
        } else {
            Evidence::NumericalEvidence
        },
        method: Method::ExactSubspace,
        samples: pick_samples(&items),
        newton_hits: hits,
    }
}

fn has_part_list(parts: &[Part], c: Classification, k: Classification) -> bool {
    c == k || parts.iter().any(|p| p.classification == k)
}

fn numeric_component(
    search: &Search,
    bx: &RationalBox,
    pts: &[Distinct],
    group: &[usize],
) -> CriticalComponent {
    // The dimension: the most frequent local dimension (ties: the smaller).
    let mut counts = vec![0usize; search.sys.n + 1];
    for &i in group {
        counts[pts[i].dim.min(search.sys.n)] += 1;
    }
    let dimension = (0..counts.len())
        .max_by(|&a, &b| counts[a].cmp(&counts[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let mut items: Vec<(Classification, &[f64], bool)> = Vec::new();
    for &i in group {
        let Some(pe) = search.sys.eval(&pts[i].x) else {
            continue;
        };
        items.push((
            search.classify(&pts[i].x, &pe, dimension, pts[i].last_step),
            pts[i].x.as_slice(),
            false,
        ));
    }
    let mut parts = parts_of(&items);
    let mut classification = combine(&parts);
    let mut classification_evidence = Evidence::NumericalEvidence;
    let mut evidence = Evidence::NumericalEvidence;
    let mut method = Method::Newton;
    if dimension == 0 && search.opts.krawczyk {
        let best = group
            .iter()
            .copied()
            .max_by(|&a, &b| pts[a].hits.cmp(&pts[b].hits).then(b.cmp(&a)));
        if let Some(b) = best {
            if let Some(proof) =
                prove::prove_point(search.sys, &pts[b].x, bx, search.opts.inf_f.as_ref())
            {
                if proof.exists {
                    evidence = Evidence::Proved;
                    method = Method::Krawczyk;
                }
                if let (Some(k), true) = (proof.class, group.len() == 1) {
                    classification = k;
                    classification_evidence = Evidence::Proved;
                    parts = vec![Part {
                        classification: k,
                        points: 1,
                        range: bounding(&[pts[b].x.as_slice()]),
                        evidence: Evidence::Proved,
                    }];
                }
            }
        }
    }
    let f_range = group
        .iter()
        .fold([f64::INFINITY, f64::NEG_INFINITY], |r, &i| {
            [r[0].min(pts[i].f), r[1].max(pts[i].f)]
        });
    CriticalComponent {
        exact: None,
        dimension,
        f_value: None,
        f_range,
        classification,
        classification_evidence,
        attracting: has_part_list(&parts, classification, Classification::LocalMinimum),
        attracting_where: None,
        may_be_minimum: false,
        parts,
        evidence,
        method,
        samples: pick_samples(&items),
        newton_hits: group.iter().map(|&i| pts[i].hits).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether some component of the report has a sample within `tol` of `p`.
    fn found_near(r: &CriticalReport, p: [f64; 2], tol: f64) -> bool {
        r.components
            .iter()
            .flat_map(|c| &c.samples)
            .any(|s| (s[0] - p[0]).hypot(s[1] - p[1]) < tol)
    }

    /// `f = log(1 + g_1^2) + g_2^2` with `g_1 = x^2 + y^2 - 1`, `g_2 = y`: `J_G` is singular on
    /// `x = 0`, where `grad f = 0` needs `2 g_2 = -2y h_1'(g_1)`, i.e. `y = 0` or
    /// `2 g_1/(1 + g_1^2) = -1`, i.e. `g_1 = -1`, `y = 0`: the only critical point off `M` is
    /// the origin. The least-squares equations `J^T G = 0` would also give `g_1 = -1/2`, the
    /// points `(0, +-1/sqrt 2)`, where `grad f = (0, -sqrt 2/3) != 0`.
    #[test]
    fn a_sum_of_losses_is_searched_as_grad_f_not_as_least_squares() {
        let bx = RationalBox::cube(2, 2);
        let opts = CriticalOptions::default();
        let run = |f: &str| {
            let mut a = Arena::new(vec!["x".into(), "y".into()]);
            let f = ngd_parse::parse_expr(&mut a, f, &Default::default()).unwrap();
            let s = Structure::detect(&a, f);
            let r = find_critical_sets(&mut a, f, &s, &bx, &opts);
            (s, r)
        };
        let (s, r) = run("log(1 + (x^2 + y^2 - 1)^2) + y^2");
        assert!(matches!(s, Structure::Sum { .. }), "{s:?}");
        assert_eq!(r.structure, StructureKind::General);
        assert!(found_near(&r, [0.0, 0.0], 1e-2), "{r:?}");
        let h = std::f64::consts::FRAC_1_SQRT_2;
        for p in [[0.0, h], [0.0, -h]] {
            assert!(!found_near(&r, p, 1e-2), "{p:?} is not critical: {r:?}");
        }
        // The same residuals as least squares do have those critical points (the test can fail).
        let (s, r) = run("(x^2 + y^2 - 1)^2 + y^2");
        assert!(matches!(s, Structure::LeastSquares { .. }), "{s:?}");
        assert!(found_near(&r, [0.0, h], 1e-2) && found_near(&r, [0.0, -h], 1e-2));
    }
}
