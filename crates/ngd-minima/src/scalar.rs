//! The scalar path `f = c h(g)`: `M = {g = 0}`, sharpness `s = |grad g|^2` (docs/math.md
//! section 2, C2, C3, C6).

use crate::closed_form::fmt_mp;
use crate::critical_sets::SetLevel;
use crate::explain::*;
use crate::lagrange::{search, LagrangePoint, SearchSettings};
use crate::least_squares::strictness_on_set;
use crate::level_set::{box_f64, fallback_to_general, minimum_set, C2Setup};
use crate::minset::{precision_for, random_point, Branch};
use crate::model::{BoxF, Constraints, LagrangeSystem};
use crate::radical_point::{PhiZeroProver, ZeroSetting};
use crate::report::*;
use crate::scalar_sets::*;
use crate::sets::{SetClass, SetComponent, SetEquations};
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

/// Indices of the points of smallest value among the local minima (ties within 1e-10),
/// compared also with `set_best`, the smallest value of the minimum sets of positive
/// dimension.
fn global_minima(pts: &[LagrangePoint], set_best: f64) -> Vec<usize> {
    let mins: Vec<usize> = (0..pts.len())
        .filter(|&i| pts[i].class.is_minimum())
        .collect();
    let best = mins
        .iter()
        .map(|&i| pts[i].value.to_f64())
        .fold(set_best, f64::min);
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
    /// Whether component samples go into the serialized report.
    set_samples: bool,
}

impl Searcher<'_> {
    /// The classified Lagrange points of `sys` on `M`, from the samples, the branch starts,
    /// then random points of `M` until the search saturates.
    fn run(&mut self, sys: &LagrangeSystem) -> (Vec<LagrangePoint>, Vec<SetLevel>, LagrangeSearch) {
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

    /// The single-linkage distance that splits sets into components: a tenth of the
    /// diagonal of the box.
    fn link(&self) -> f64 {
        0.1 * self.bxf.diameter()
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
fn flat_points(cps: &[LagrangePoint], set_best: f64) -> Vec<FlatPoint> {
    let global = global_minima(cps, set_best);
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

/// Marks each flat point in or out of `S` and compares the two sets of isolated points
/// (max-norm tolerance `1e-9` relative). Returns "S equals the flat set", "S is flat" and how.
fn compare_with_flat(
    pp: &[LagrangePoint],
    s_points: &[usize],
    flat_points: &mut [FlatPoint],
) -> (Option<bool>, Option<bool>, SComparison) {
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
    (equals, equals.map(|_| not_flat == 0), comparison)
}

/// The flat set as C3 found it, for the comparison with `S`.
struct FlatFound<'a> {
    points: &'a mut [FlatPoint],
    components: &'a [SetComponent],
    /// The Lagrange system of the sharpness; `None` when the flat set is `M` itself.
    sys: Option<&'a LagrangeSystem>,
}

impl FlatFound<'_> {
    /// The flat set as the set distances see it.
    fn view(&self) -> SetView<'_> {
        let mut points: Vec<Vec<f64>> =
            self.points.iter().map(|p| p.point.approx.clone()).collect();
        let mut levels: Vec<f64> = self
            .points
            .iter()
            .filter_map(|p| p.sharpness.parse::<f64>().ok())
            .collect();
        for c in self.components {
            points.extend(c.sample.iter().cloned());
            levels.push(c.value);
        }
        SetView {
            points,
            levels,
            sys: self.sys,
        }
    }
}

/// The set comparison of `S` with the flat set (when one of them has positive dimension):
/// marks each isolated flat point in or out of `S`; returns "S equals the flat set", "S is
/// flat" and the comparison.
fn compare_as_sets(
    s_view: &SetView<'_>,
    flat: &mut FlatFound<'_>,
    cons: &Constraints,
    bxf: &BoxF,
) -> (Option<bool>, Option<bool>, SComparison) {
    for fp in flat.points.iter_mut() {
        fp.in_s = Some(on_set(s_view, &fp.point.approx, cons, bxf));
    }
    let flat_view = flat.view();
    if s_view.points.is_empty() || flat_view.points.is_empty() {
        return (None, None, SComparison::NothingToCompare);
    }
    let c = compare_sets(s_view, &flat_view, cons, bxf);
    (
        Some(c.s_in_flat && c.flat_in_s),
        Some(c.s_in_flat),
        SComparison::SetDistance(c),
    )
}

/// Splits set components into local minima and the rest.
fn split_minima(comps: Vec<SetComponent>) -> (Vec<SetComponent>, Vec<SetComponent>) {
    comps.into_iter().partition(|c| c.class.is_minimum())
}

/// The smallest value of a list of components (`+inf` when empty).
fn best_value(comps: &[SetComponent]) -> f64 {
    comps.iter().map(|c| c.value).fold(f64::INFINITY, f64::min)
}

/// True when `v` ties with the smallest value `best` (relative `1e-10`).
fn ties(v: f64, best: f64) -> bool {
    v <= best + 1e-10 * (1.0 + best.abs())
}

/// `S` as a set for C4 (`ngd-decrease` reads `min_value` and this): its components' largest
/// dimension, representatives and the range of `phi` on their samples.
fn s_as_flat_set(s_comps: &[SetComponent]) -> Option<FlatSet> {
    let first = s_comps.first()?;
    let vals = s_comps.iter().map(|c| c.value);
    let lo = vals.clone().fold(f64::INFINITY, f64::min);
    let hi = vals.fold(f64::NEG_INFINITY, f64::max);
    Some(FlatSet {
        criterion: SetCriterion::S,
        dimension: s_comps.iter().map(|c| c.dimension).max(),
        representatives: first.representatives.clone(),
        phi_range: Some((lo, hi)),
        evidence: Evidence::NumericalEvidence,
    })
}

/// `S = argmin_M phi`: the Lagrange points and sets of `phi` on `M`, the global minima among
/// them, and the comparison with the flat set. Returns the report, the system and the points.
fn regularizer_minima(
    arena: &mut Arena,
    phi: ExprId,
    g: ExprId,
    searcher: &mut Searcher<'_>,
    mut flat: FlatFound<'_>,
) -> (RegularizerMinima, LagrangeSystem, Vec<LagrangePoint>) {
    let sys_p = LagrangeSystem::new(arena, phi, g);
    let (pp, levels, info) = searcher.run(&sys_p);
    let (g_text, phi_text) = (arena.display(g), arena.display(phi));
    let link = searcher.link();
    let comps = level_components(&levels, link, searcher.set_samples, |l| {
        Some(SetEquations::LagrangeMultiplier {
            g: g_text.clone(),
            function: "phi".into(),
            multiplier: short_number(l.multiplier),
        })
    });
    // An undecided set may still be where phi is smallest (two sheets of S cross there).
    let (minima, mut critical_sets): (Vec<_>, Vec<_>) = comps
        .into_iter()
        .partition(|c| c.class.is_minimum() || c.class == SetClass::Undecided);
    let s_points = global_minima(&pp, best_value(&minima));
    let iso_best = s_points.first().map(|&i| pp[i].value.to_f64());
    let best = iso_best.unwrap_or(f64::INFINITY).min(best_value(&minima));
    let (mut s_components, local): (Vec<_>, Vec<_>) =
        minima.into_iter().partition(|c| ties(c.value, best));
    critical_sets.extend(local);
    if !s_components.is_empty() {
        let (bxf, samples, set_samples) = (searcher.bxf, searcher.pts.len(), searcher.set_samples);
        let zero = zero_set_components(
            arena,
            g,
            phi,
            best,
            bxf,
            samples,
            2.5 * link,
            set_samples,
            &mut searcher.rng,
        );
        if let Some(z) = zero {
            s_components = z;
        }
    }
    for c in s_components
        .iter_mut()
        .filter(|c| c.equations.is_none() || c.multiplier.is_some())
    {
        c.global = true;
        c.equations = Some(SetEquations::PhiLevel {
            g: g_text.clone(),
            phi: phi_text.clone(),
            value: if c.value.abs() <= 1e-12 {
                "0".into()
            } else {
                short_number(c.value)
            },
        });
    }
    let min_value = best.is_finite().then_some(best);
    let sets_involved =
        !s_components.is_empty() || !flat.components.is_empty() || flat.sys.is_none();
    let (equals, s_is_flat, comparison) = if sets_involved {
        let mut points: Vec<Vec<f64>> = s_points.iter().map(|&i| pp[i].approx()).collect();
        s_components
            .iter()
            .for_each(|c| points.extend(c.sample.iter().cloned()));
        let s_view = SetView {
            points,
            levels: min_value.into_iter().collect(),
            sys: Some(&sys_p),
        };
        compare_as_sets(&s_view, &mut flat, searcher.cons, searcher.bxf)
    } else {
        compare_with_flat(&pp, &s_points, flat.points)
    };
    let report = RegularizerMinima {
        critical_points: pp.iter().map(|p| searcher.critical(p)).collect(),
        search: Some(info),
        s_points,
        min_value,
        s_set: s_as_flat_set(&s_components),
        s_components,
        critical_sets,
        equals_flat_set: equals,
        s_is_flat,
        comparison,
        evidence: if pp.is_empty() && levels.is_empty() {
            Evidence::Inconclusive
        } else {
            Evidence::NumericalEvidence
        },
        phi_exact_zero: None,
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

/// `min_M phi = 0` proved exactly at a closed-form point: tried at the points of `S` first,
/// then at the other Lagrange points of `phi` and at the flat points.
fn phi_zero_on_s(
    arena: &Arena,
    setting: &ZeroSetting<'_>,
    reg: &RegularizerMinima,
    flat_points: &[FlatPoint],
) -> Option<PhiExactZero> {
    let cps = &reg.critical_points;
    let in_s = reg.s_points.iter().filter_map(|&i| cps.get(i));
    let others = (0..cps.len())
        .filter(|i| !reg.s_points.contains(i))
        .map(|i| &cps[i]);
    let candidates: Vec<&RefinedPoint> = in_s
        .chain(others)
        .map(|c| &c.point)
        .chain(flat_points.iter().map(|p| &p.point))
        .collect();
    let prover = PhiZeroProver::new(arena, setting)?;
    let mut proof = prover.prove(&candidates)?;
    proof.exact_at = reg
        .s_points
        .iter()
        .copied()
        .filter(|&i| {
            cps.get(i)
                .is_some_and(|c| prover.prove(&[&c.point]).is_some())
        })
        .collect();
    Some(proof)
}

/// C6 at the points of `S` (the nonsmooth rule is available for `f = c|g|`), and on its
/// components of positive dimension (never proved: `f + phi` is constant on them).
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
    let sets: Vec<StrictnessOnSet> = reg
        .s_components
        .iter()
        .take(4)
        .map(|c| strictness_on_set(arena, f, phi, &c.sample, Some(c.dimension)))
        .collect();
    let (mut evidence, summary) = summarize(&points);
    let mut notes = Vec::new();
    if points.is_empty() && !sets.is_empty() {
        evidence = Evidence::Inconclusive;
    } else {
        notes.push(summary);
    }
    if let Some(dimension) = reg.s_components.iter().map(|c| c.dimension).max() {
        if evidence == Evidence::Proved {
            evidence = Evidence::Inconclusive;
        }
        notes.push(StrictnessNote::PositiveDimensionalS { dimension });
    }
    if outer == Outer::Abs {
        notes.push(StrictnessNote::NonsmoothRuleUsed);
    }
    if reg.equals_flat_set == Some(false) {
        notes.push(StrictnessNote::SDiffersFromFlat);
    }
    Strictness {
        points,
        sets,
        evidence,
        notes,
    }
}

/// C3's sharpness part: the Lagrange points and sets of `s = |grad g|^2` on `M`, or `M`
/// itself when `s` is constant on the samples of `M` (the search is then skipped).
struct SharpnessFound {
    cps: Vec<LagrangePoint>,
    components: Vec<SetComponent>,
    critical_sets: Vec<SetComponent>,
    search: Option<LagrangeSearch>,
    notes: Vec<FlatNote>,
}

fn sharpness_sets(
    arena: &Arena,
    g: ExprId,
    sys_s: &LagrangeSystem,
    s_tape: &Tape,
    dimension: usize,
    searcher: &mut Searcher<'_>,
) -> SharpnessFound {
    let g_text = arena.display(g);
    if let Some(note) = constant_sharpness(s_tape, searcher.pts) {
        let FlatNote::SharpnessConstantOnM { value, .. } = note else {
            unreachable!("constant_sharpness returns this note");
        };
        let m = whole_m(
            &g_text,
            value,
            dimension,
            searcher.pts,
            searcher.set_samples,
        );
        return SharpnessFound {
            cps: Vec::new(),
            components: vec![m],
            critical_sets: Vec::new(),
            search: None,
            notes: vec![note],
        };
    }
    let (cps, levels, info) = searcher.run(sys_s);
    let link = searcher.link();
    let comps = level_components(&levels, link, searcher.set_samples, |l| {
        Some(SetEquations::LagrangeMultiplier {
            g: g_text.clone(),
            function: "s".into(),
            multiplier: short_number(l.multiplier),
        })
    });
    let (components, critical_sets) = split_minima(comps);
    let notes = if levels.is_empty() {
        Vec::new()
    } else {
        vec![FlatNote::SetsBySingleLinkage { distance: link }]
    };
    SharpnessFound {
        cps,
        components,
        critical_sets,
        search: Some(info),
        notes,
    }
}

/// C3 on the scalar path: the Lagrange system of `s = |grad g|^2` on `M`, and what its
/// search found.
struct Flat {
    sys_s: LagrangeSystem,
    search: Option<LagrangeSearch>,
    critical_points: Vec<CriticalPoint>,
    flat_points: Vec<FlatPoint>,
    components: Vec<SetComponent>,
    critical_sets: Vec<SetComponent>,
    notes: Vec<FlatNote>,
}

/// The flat points and flat components of `M = {g = 0}`: the local minima of the sharpness
/// `|grad g|^2` on `M` (docs/math.md C3), each component marked global when of least value.
fn flat_of_sharpness(
    arena: &mut Arena,
    g: ExprId,
    dim_m: usize,
    searcher: &mut Searcher<'_>,
) -> Flat {
    let dg = arena.gradient(g);
    let s = arena.dot(&dg, &dg);
    let sys_s = LagrangeSystem::new(arena, s, g);
    let s_tape = Tape::compile(arena, &[s]);
    let found = sharpness_sets(arena, g, &sys_s, &s_tape, dim_m, searcher);
    let mut components = found.components;
    let cps = found.cps;
    let critical_points: Vec<CriticalPoint> = cps.iter().map(|p| searcher.critical(p)).collect();
    let flat_points = flat_points(&cps, best_value(&components));
    let iso_best = flat_points
        .iter()
        .filter_map(|p| p.sharpness.parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min);
    let best = iso_best.min(best_value(&components));
    for c in &mut components {
        c.global = ties(c.value, best);
    }
    let mut notes = found.notes;
    notes.extend(flat_notes(&cps, &flat_points, &critical_points));
    Flat {
        sys_s,
        search: found.search,
        critical_points,
        flat_points,
        components,
        critical_sets: found.critical_sets,
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
        set_samples: opts.set_samples,
    };

    // C3: Lagrange points and sets of s = |grad g|^2 on M.
    let dim_m = minimum_set
        .dimension
        .dimension
        .unwrap_or(arena.n_vars().saturating_sub(1));
    let Flat {
        sys_s,
        search,
        critical_points,
        mut flat_points,
        components,
        critical_sets,
        notes,
    } = flat_of_sharpness(arena, g, dim_m, &mut searcher);

    // S = argmin_M phi.
    let whole_m = search.is_none();
    let reg = phi.map(|phi| {
        let flat = FlatFound {
            points: &mut flat_points,
            components: &components,
            sys: (!whole_m).then_some(&sys_s),
        };
        regularizer_minima(arena, phi, g, &mut searcher, flat)
    });
    let (regularizer, phi_search) = match reg {
        Some((r, sys, pp)) => (Some(r), Some((sys, pp))),
        None => (None, None),
    };

    let mut flat = FlatMinima {
        sharpness: Sharpness::GradientNormOnM,
        evidence: if flat_points.is_empty() && components.is_empty() {
            Evidence::Inconclusive
        } else {
            Evidence::NumericalEvidence
        },
        critical_points,
        search,
        flat_points,
        flat_sets: Vec::new(),
        components,
        critical_sets,
        morse_bott: None,
        regularizer,
        notes,
    };

    if let (Some(phi), Some(reg)) = (phi, flat.regularizer.as_mut()) {
        let setting = ZeroSetting {
            f,
            phi,
            lower_bound: &minimum_set.lower_bound,
            bx,
        };
        reg.phi_exact_zero = phi_zero_on_s(arena, &setting, reg, &flat.flat_points);
    }

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
