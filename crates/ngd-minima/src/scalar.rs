//! The scalar path `f = c h(g)`: `M = {g = 0}`, sharpness `s = |grad g|^2` (docs/math.md
//! section 2, C2, C3, C6).

use crate::closed_form::fmt_mp;
use crate::explain::*;
use crate::lagrange::{search, LagrangePoint, SearchSettings};
use crate::level_set::{box_f64, fallback_to_general, minimum_set, C2Setup};
use crate::minset::{precision_for, random_point, Branch};
use crate::model::{BoxF, Constraints, LagrangeSystem};
use crate::report::*;
use crate::strict::{check_point, summarize, C6Context, SPoint};
use crate::MinimaOptions;
use ngd_check::{Evidence, Outer, RationalBox};
use ngd_eval::{EvalErrorKind, Tape};
use ngd_expr::{Arena, ExprId, Rational};
use rand::SeedableRng;
use rand_pcg::Pcg64;
use rug::ops::Pow;
use rug::Float;

/// Newton starts from a traced curve: where the derivative of `h` along the curve changes
/// sign or has a small local minimum in absolute value.
fn branch_starts(sys: &LagrangeSystem, branches: &[Branch]) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    let mut scratch = Vec::new();
    for b in branches {
        let d: Vec<f64> = b
            .path
            .iter()
            .zip(&b.tangents)
            .map(|(p, t)| match sys.eval_f64(p, &mut scratch) {
                Some(v) => v.dh.iter().zip(t).map(|(a, c)| a * c).sum(),
                None => f64::NAN,
            })
            .collect();
        let maxabs = d
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |a, v| a.max(v.abs()));
        for i in 1..d.len().saturating_sub(1) {
            let (a, m, c) = (d[i - 1], d[i], d[i + 1]);
            if !(a.is_finite() && m.is_finite() && c.is_finite()) {
                continue;
            }
            let change = m * c < 0.0 || m == 0.0;
            let dip = m.abs() <= a.abs() && m.abs() <= c.abs() && m.abs() < 0.05 * maxabs;
            if change || dip {
                out.push(b.path[i].clone());
            }
        }
    }
    out.truncate(400);
    out
}

/// A random point of `M` in the box (up to 50 tries), for extra Newton starts.
fn more_on_m(cons: &Constraints, bx: &BoxF, rng: &mut Pcg64) -> Option<Vec<f64>> {
    let mut scratch = Vec::new();
    for _ in 0..50 {
        let x0 = random_point(bx, rng);
        if let Some(p) = cons.project(&x0, 0.5 * bx.diameter(), &mut scratch) {
            if bx.contains(&p.x) {
                return Some(p.x);
            }
        }
    }
    None
}

/// The value of `phi` at a refined point (20 digits), `None` where undefined.
///
/// `phi` counts as undefined there when its evaluation fails at the refined point, or when
/// every coordinate was recognised as a rational and the exact evaluation at that rational
/// point fails (a pole or a domain error: the refined point only approximates it), or when
/// its value exceeds `10^(digits/2)` (numerically a pole).
fn phi_at(
    phi_tape: Option<&Tape>,
    x: &[Float],
    point: &RefinedPoint,
    prec: u32,
    digits: u32,
) -> (Option<String>, bool) {
    let Some(t) = phi_tape else {
        return (None, false);
    };
    let exact: Option<Vec<Rational>> = point
        .closed_form
        .iter()
        .map(|c| c.as_deref().and_then(|s| s.parse::<Rational>().ok()))
        .collect();
    if let Some(q) = exact {
        match t.eval::<Rational>(&(), &q) {
            Ok(v) => return (Some(fmt_mp(&Float::with_val(prec, &v[0]), 20)), false),
            Err(e) if matches!(e.kind, EvalErrorKind::NotRational(_)) => {}
            Err(_) => return (None, true),
        }
    }
    match t.eval::<Float>(&prec, x) {
        Ok(v) => {
            let big = Float::with_val(prec, 10).pow(digits / 2);
            if Float::with_val(prec, v[0].abs_ref()) > big {
                (None, true)
            } else {
                (Some(fmt_mp(&v[0], 20)), false)
            }
        }
        Err(_) => (None, true),
    }
}

fn to_critical(
    p: &LagrangePoint,
    phi_tape: Option<&Tape>,
    prec: u32,
    digits: u32,
) -> CriticalPoint {
    let (phi_value, phi_undefined) = phi_at(phi_tape, &p.x, &p.point, prec, digits);
    CriticalPoint {
        point: p.point.clone(),
        multiplier: fmt_mp(&p.lambda, 20),
        value: fmt_mp(&p.value, 20),
        value_f64: p.value.to_f64(),
        classification: p.class,
        projected_eigenvalues: p.eigenvalues.clone(),
        evidence: Evidence::NumericalEvidence,
        phi_value,
        phi_undefined,
        detail: p.detail.clone(),
    }
}

/// Indices of the points of smallest value among the local minima (ties within 1e-10).
fn global_minima(pts: &[LagrangePoint]) -> Vec<usize> {
    let mins: Vec<usize> = (0..pts.len())
        .filter(|&i| pts[i].class.is_minimum())
        .collect();
    let best = mins
        .iter()
        .map(|&i| pts[i].value.to_f64())
        .fold(f64::INFINITY, f64::min);
    mins.into_iter()
        .filter(|&i| pts[i].value.to_f64() <= best + 1e-10 * (1.0 + best.abs()))
        .collect()
}

fn close(a: &[f64], b: &[f64]) -> bool {
    let s = 1.0 + a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    crate::linalg::dist_inf(a, b) <= 1e-9 * s
}

/// What every Lagrange search of this path shares: `M`, the box, the samples and traced
/// branches as starts, the random generator for more starts, and the settings.
struct Searcher<'a> {
    cons: &'a Constraints,
    bxf: &'a BoxF,
    pts: &'a [Vec<f64>],
    branches: &'a [Branch],
    rng: Pcg64,
    st: SearchSettings,
    phi_tape: Option<Tape>,
}

impl Searcher<'_> {
    /// The classified Lagrange points of `sys` on `M`, from the samples, the branch starts,
    /// then random points of `M` until the search saturates.
    fn run(&mut self, sys: &LagrangeSystem) -> (Vec<LagrangePoint>, LagrangeSearch) {
        let mut initial = self.pts.to_vec();
        initial.extend(branch_starts(sys, self.branches));
        let (cons, bxf, rng) = (self.cons, self.bxf, &mut self.rng);
        search(
            sys,
            cons,
            bxf,
            &initial,
            || more_on_m(cons, bxf, rng),
            &self.st,
        )
    }

    /// The report entry of a Lagrange point, with `phi` there.
    fn critical(&self, p: &LagrangePoint) -> CriticalPoint {
        to_critical(p, self.phi_tape.as_ref(), self.st.prec, self.st.digits)
    }
}

/// The C2 setup: `M = {g = 0}`, `f >= 0` proved from `f = c h(g)`.
fn scalar_setup<'a>(
    arena: &Arena,
    g: ExprId,
    outer: Outer,
    coeff: &Rational,
    cons: &'a Constraints,
) -> C2Setup<'a> {
    C2Setup {
        structure: ObjectiveShape::Scalar {
            outer,
            coeff: coeff.to_string(),
        },
        description: SetDescription::LevelSet {
            g: arena.display(g),
        },
        lower_bound: LowerBound {
            value: Some("0".into()),
            evidence: Evidence::Proved,
            reason: LowerBoundReason::EvenOuter {
                c: coeff.to_string(),
                outer,
            },
        },
        inf_value: Rational::new(),
        cons,
        dim_method: DimensionMethod::GradientRank,
    }
}

/// The flat points: the local minima of `s` on `M` among its Lagrange points, marked
/// `global` when of smallest value (`in_s` is filled in by the comparison with `S`).
fn flat_points(cps: &[LagrangePoint]) -> Vec<FlatPoint> {
    let global = global_minima(cps);
    cps.iter()
        .enumerate()
        .filter(|(_, p)| p.class.is_minimum())
        .map(|(i, p)| FlatPoint {
            critical_point: i,
            point: p.point.clone(),
            sharpness: fmt_mp(&p.value, 20),
            global: global.contains(&i),
            in_s: None,
        })
        .collect()
}

/// The remarks of C3 on this path.
fn flat_notes(
    cps: &[LagrangePoint],
    flat_points: &[FlatPoint],
    critical_points: &[CriticalPoint],
) -> Vec<FlatNote> {
    let mut notes = Vec::new();
    let degenerate = cps.iter().filter(|p| p.class.is_degenerate()).count();
    if degenerate > 0 {
        notes.push(FlatNote::DegenerateLagrangePoints { count: degenerate });
    }
    if flat_points.iter().any(|p| !p.global) {
        notes.push(FlatNote::LocalOnly);
    }
    notes.push(FlatNote::InteriorOnly);
    if critical_points.iter().any(|c| c.phi_undefined) {
        notes.push(FlatNote::PhiUndefinedAtLagrangePoints);
    }
    notes
}

/// Marks each flat point in or out of `S` and compares the two sets (max-norm tolerance
/// `1e-9` relative).
fn compare_with_flat(
    pp: &[LagrangePoint],
    s_points: &[usize],
    flat_points: &mut [FlatPoint],
) -> (Option<bool>, SComparison) {
    let s_x: Vec<Vec<f64>> = s_points.iter().map(|&i| pp[i].approx()).collect();
    for fp in flat_points.iter_mut() {
        fp.in_s = Some(s_x.iter().any(|y| close(&fp.point.approx, y)));
    }
    let flat_x: Vec<Vec<f64>> = flat_points.iter().map(|p| p.point.approx.clone()).collect();
    let not_flat = s_points
        .iter()
        .filter(|&&i| !flat_x.iter().any(|y| close(&pp[i].approx(), y)))
        .count();
    let flat_not_in_s = flat_points.iter().filter(|p| p.in_s == Some(false)).count();
    let equals = if pp.is_empty() || flat_points.is_empty() {
        None
    } else {
        Some(not_flat == 0 && flat_not_in_s == 0)
    };
    let comparison = match equals {
        None => SComparison::NothingToCompare,
        Some(true) => SComparison::AllFlat {
            points: s_points.len(),
        },
        Some(false) => SComparison::Mismatch {
            points: s_points.len(),
            not_flat,
            flat_not_in_s,
        },
    };
    (equals, comparison)
}

/// `S = argmin_M phi`: the Lagrange points of `phi` on `M`, the global minima among them,
/// and the comparison with the flat points. Returns the report, the system and the points.
fn regularizer_minima(
    arena: &mut Arena,
    phi: ExprId,
    g: ExprId,
    searcher: &mut Searcher<'_>,
    flat_points: &mut [FlatPoint],
) -> (RegularizerMinima, LagrangeSystem, Vec<LagrangePoint>) {
    let sys_p = LagrangeSystem::new(arena, phi, g);
    let (pp, info) = searcher.run(&sys_p);
    let s_points = global_minima(&pp);
    let min_value = s_points.first().map(|&i| pp[i].value.to_f64());
    let (equals, comparison) = compare_with_flat(&pp, &s_points, flat_points);
    let report = RegularizerMinima {
        critical_points: pp.iter().map(|p| searcher.critical(p)).collect(),
        search: Some(info),
        s_points,
        min_value,
        s_set: None,
        equals_flat_set: equals,
        comparison,
        evidence: if pp.is_empty() {
            Evidence::Inconclusive
        } else {
            Evidence::NumericalEvidence
        },
    };
    (report, sys_p, pp)
}

/// The point of `S` to check: a rational closed form when every coordinate has one.
fn s_point(k: usize, p: &LagrangePoint) -> SPoint {
    let exact: Option<Vec<Rational>> = p
        .point
        .closed_form
        .iter()
        .map(|c| c.as_deref().and_then(|s| s.parse::<Rational>().ok()))
        .collect();
    SPoint {
        index: k,
        x: p.approx(),
        coords: p.point.coords.clone(),
        lambda: Some(p.lambda.to_f64()),
        exact,
        contained: None,
        degenerate: p.class.is_degenerate(),
    }
}

/// C6 at the points of `S` (the nonsmooth rule is available for `f = c|g|`).
#[allow(clippy::too_many_arguments)]
fn scalar_strictness(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    g: ExprId,
    outer: Outer,
    coeff: &Rational,
    (sys_p, pp): &(LagrangeSystem, Vec<LagrangePoint>),
    reg: &RegularizerMinima,
    opts: &MinimaOptions,
) -> Strictness {
    let abs = (outer == Outer::Abs).then(|| (coeff.clone(), g));
    let ctx = C6Context::new(arena, f, phi, Some(sys_p), abs, opts.box_radius);
    let points: Vec<StrictnessAtPoint> = reg
        .s_points
        .iter()
        .enumerate()
        .map(|(k, &i)| check_point(&ctx, &s_point(k, &pp[i])))
        .collect();
    let (evidence, summary) = summarize(&points);
    let mut notes = vec![summary];
    if outer == Outer::Abs {
        notes.push(StrictnessNote::NonsmoothRuleUsed);
    }
    if reg.equals_flat_set == Some(false) {
        notes.push(StrictnessNote::SDiffersFromFlat);
    }
    Strictness {
        points,
        sets: Vec::new(),
        evidence,
        notes,
    }
}

/// The scalar path.
#[allow(clippy::too_many_arguments)]
pub fn analyse(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    g: ExprId,
    outer: Outer,
    coeff: &Rational,
    bx: &RationalBox,
    opts: &MinimaOptions,
) -> MinimaReport {
    let bxf = box_f64(bx);
    let cons = Constraints::new(arena, &[g]);
    let mut rng = Pcg64::seed_from_u64(opts.seed);
    let setup = scalar_setup(arena, g, outer, coeff, &cons);
    let (minimum_set, pts, branches) = minimum_set(arena, f, setup, bx, &bxf, opts, &mut rng);
    if pts.is_empty() {
        return fallback_to_general(arena, f, phi, bx, opts, minimum_set);
    }
    let prec = precision_for(opts.digits);
    let mut searcher = Searcher {
        cons: &cons,
        bxf: &bxf,
        pts: &pts,
        branches: &branches,
        rng,
        st: SearchSettings {
            digits: opts.digits,
            prec,
            patience: opts.samples,
            max_starts: opts.max_lagrange_starts,
        },
        phi_tape: phi.map(|p| Tape::compile(arena, &[p])),
    };

    // C3: Lagrange points of s = |grad g|^2 on M.
    let dg = arena.gradient(g);
    let s = arena.dot(&dg, &dg);
    let sys_s = LagrangeSystem::new(arena, s, g);
    let (cps, search_info) = searcher.run(&sys_s);
    let critical_points: Vec<CriticalPoint> = cps.iter().map(|p| searcher.critical(p)).collect();
    let mut flat_points = flat_points(&cps);
    let notes = flat_notes(&cps, &flat_points, &critical_points);

    // S = argmin_M phi.
    let reg = phi.map(|phi| regularizer_minima(arena, phi, g, &mut searcher, &mut flat_points));
    let (regularizer, phi_search) = match reg {
        Some((r, sys, pp)) => (Some(r), Some((sys, pp))),
        None => (None, None),
    };

    let flat = FlatMinima {
        sharpness: Sharpness::GradientNormOnM,
        evidence: if flat_points.is_empty() {
            Evidence::Inconclusive
        } else {
            Evidence::NumericalEvidence
        },
        critical_points,
        search: Some(search_info),
        flat_points,
        flat_sets: Vec::new(),
        morse_bott: None,
        regularizer,
        notes,
    };

    // C6 at the points of S = argmin_M phi.
    let strictness = phi.zip(phi_search.as_ref()).map(|(phi, search)| {
        let reg = flat
            .regularizer
            .as_ref()
            .expect("phi given: S was searched");
        scalar_strictness(arena, f, phi, g, outer, coeff, search, reg, opts)
    });

    MinimaReport {
        minimum_set,
        flat,
        strictness,
    }
}
