//! The general path (no recognised structure): `M = argmin f` found by damped Newton from
//! random starts. Everything here is numerical evidence, except C6 at the isolated minima of
//! `f` with the smallest `phi` (`S`), which uses the rules of the crate docs (the minimizer of
//! `f` in the box is proved by a Krawczyk test on `grad f = 0`).

use crate::closed_form::fmt_mp;
use crate::explain::*;
use crate::level_set::box_f64;
use crate::linalg::{dist, norm, solve, sym_eigen};
use crate::minset::{dimension_report, is_duplicate, precision_for, random_point, refined_point};
use crate::model::BoxF;
use crate::report::*;
use crate::strict::{box_around, check_point, radii, summarize, C6Context, SPoint};
use crate::MinimaOptions;
use inari::Interval;
use nalgebra::{DMatrix, DVector};
use ngd_certify::krawczyk;
use ngd_check::{Evidence, RationalBox};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId};
use rand::SeedableRng;
use rand_pcg::Pcg64;
use rug::Float;

/// Relative threshold on Hessian eigenvalues for the rank (Morse–Bott dimension).
const HESS_RANK: f64 = 1e-6;

/// `f`, its gradient and its Hessian (upper triangle), compiled.
struct Second {
    tape: Tape,
    n: usize,
}

impl Second {
    fn new(arena: &mut Arena, f: ExprId) -> Self {
        let n = arena.n_vars();
        let g = arena.gradient(f);
        let h = arena.hessian(f);
        let mut outs = vec![f];
        outs.extend(&g);
        for i in 0..n {
            for j in i..n {
                outs.push(h[i][j]);
            }
        }
        Second {
            tape: Tape::compile(arena, &outs),
            n,
        }
    }

    fn unpack<S: Clone>(&self, out: &[S]) -> (S, Vec<S>, Vec<Vec<S>>) {
        let n = self.n;
        let mut h = vec![vec![out[0].clone(); n]; n];
        let mut k = 1 + n;
        for i in 0..n {
            for j in i..n {
                h[i][j] = out[k].clone();
                h[j][i] = out[k].clone();
                k += 1;
            }
        }
        (out[0].clone(), out[1..1 + n].to_vec(), h)
    }

    fn eval(&self, x: &[f64]) -> Option<(f64, DVector<f64>, DMatrix<f64>)> {
        let mut out = vec![0.0; self.tape.n_outputs()];
        let mut scratch = Vec::new();
        self.tape.eval_f64(x, &mut scratch, &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        let (v, g, h) = self.unpack(&out);
        Some((
            v,
            DVector::from_vec(g),
            DMatrix::from_fn(self.n, self.n, |i, j| h[i][j]),
        ))
    }

    fn smooth_on(&self, x: &[Interval]) -> Result<bool, String> {
        self.tape.smooth_on(x).map_err(|e| e.kind.to_string())
    }

    fn eval_iv(&self, x: &[Interval]) -> Option<(Vec<Interval>, Vec<Vec<Interval>>)> {
        let out = self.tape.eval::<Interval>(&(), x).ok()?;
        let (_, g, h) = self.unpack(&out);
        Some((g, h))
    }

    /// Levenberg–Marquardt-damped Newton descent on `f`.
    fn minimize(&self, x0: &[f64], bx: &BoxF) -> Option<(Vec<f64>, f64)> {
        let mut x = x0.to_vec();
        let (mut v, mut g, mut h) = self.eval(&x)?;
        let mut mu = 1e-3 * (1.0 + h.norm());
        for _ in 0..200 {
            if g.norm() <= 1e-12 * (1.0 + v.abs()) {
                break;
            }
            let mut acc = None;
            for _ in 0..30 {
                let mut a = h.clone();
                for i in 0..self.n {
                    a[(i, i)] += mu;
                }
                if let Some(d) = solve(&a, &(-&g)) {
                    let y: Vec<f64> = x.iter().zip(d.iter()).map(|(p, q)| p + q).collect();
                    if let Some((vy, gy, hy)) = self.eval(&y) {
                        if vy < v {
                            acc = Some((y, vy, gy, hy));
                            break;
                        }
                    }
                }
                mu *= 4.0;
            }
            let Some((y, vy, gy, hy)) = acc else { break };
            let dec = v - vy;
            x = y;
            v = vy;
            g = gy;
            h = hy;
            mu = (mu / 8.0).max(1e-16);
            if dec <= 1e-16 * (1.0 + v.abs()) {
                break;
            }
        }
        bx.contains(&x).then_some((x, v))
    }
}

/// Damped-Newton minimizations of `f` from `opts.samples` random starts: the end points
/// inside the box with their values.
fn minimize_from_random_starts(
    sec: &Second,
    bxf: &BoxF,
    opts: &MinimaOptions,
    rng: &mut Pcg64,
) -> Vec<(Vec<f64>, f64)> {
    let mut found = Vec::new();
    for _ in 0..opts.samples {
        let x0 = random_point(bxf, rng);
        if let Some(r) = sec.minimize(&x0, bxf) {
            found.push(r);
        }
    }
    found
}

/// The smallest value found and the distinct minimizers within `1e-8` (relative) of it.
fn lowest_minimizers(found: &[(Vec<f64>, f64)]) -> (f64, Vec<Vec<f64>>) {
    let fmin = found.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
    let tol = 1e-8 * (1.0 + fmin.abs());
    let mut pts: Vec<Vec<f64>> = Vec::new();
    for (x, v) in found {
        if *v <= fmin + tol && !is_duplicate(&pts, x, 1e-6) {
            pts.push(x.clone());
        }
    }
    (fmin, pts)
}

/// The nullity of `Hess f` (relative threshold [`HESS_RANK`]) at each point where it is
/// finite.
fn hessian_nullities(sec: &Second, pts: &[Vec<f64>]) -> Vec<usize> {
    pts.iter()
        .filter_map(|x| sec.eval(x))
        .map(|(_, _, h)| {
            let (vals, _) = sym_eigen(&h);
            let top = vals.iter().fold(0.0f64, |a, v| a.max(v.abs()));
            vals.iter().filter(|v| v.abs() <= HESS_RANK * top).count()
        })
        .collect()
}

/// Components by single linkage at distance `link`, in order of their first point.
fn linkage_components(pts: &[Vec<f64>], link: f64) -> Vec<Component> {
    let mut comp: Vec<usize> = (0..pts.len()).collect();
    for i in 0..pts.len() {
        for k in 0..i {
            if dist(&pts[i], &pts[k]) < link {
                let (a, b) = (comp[i], comp[k]);
                for c in comp.iter_mut() {
                    if *c == a {
                        *c = b;
                    }
                }
            }
        }
    }
    let mut ids: Vec<usize> = Vec::new();
    let mut list: Vec<Component> = Vec::new();
    for (i, &c) in comp.iter().enumerate() {
        match ids.iter().position(|&d| d == c) {
            Some(k) => list[k].samples += 1,
            None => {
                ids.push(c);
                list.push(Component {
                    samples: 1,
                    representative: pts[i].clone(),
                    closed: None,
                });
            }
        }
    }
    list
}

/// Newton on `grad f = 0` in MPFR from `x`: the point and the last relative step.
fn refine_critical(sec: &Second, x: &[f64], prec: u32, digits: u32) -> Option<(Vec<Float>, f64)> {
    let mut xm: Vec<Float> = x.iter().map(|&v| Float::with_val(prec, v)).collect();
    let mut last = f64::INFINITY;
    for _ in 0..40 {
        let out = sec.tape.eval::<Float>(&prec, &xm).ok()?;
        let (_, g, h) = sec.unpack(&out);
        let d = crate::linalg::solve_mp(h, g)?;
        for (a, b) in xm.iter_mut().zip(&d) {
            *a -= b;
        }
        last = crate::linalg::norm_inf_mp(&d) / (1.0 + crate::linalg::norm_inf_mp(&xm));
        if last < 10f64.powi(-(digits as i32)) {
            break;
        }
    }
    Some((xm, last))
}

/// The isolated minimizers refined in MPFR (kept when they stay in the box and close to
/// the `f64` point), with their `f64` coordinates.
fn refined_minimizers(
    sec: &Second,
    pts: &[Vec<f64>],
    bxf: &BoxF,
    opts: &MinimaOptions,
) -> Vec<(RefinedPoint, Vec<f64>)> {
    let prec = precision_for(opts.digits);
    let mut out = Vec::new();
    for x in pts.iter().take(opts.max_refined.max(64)) {
        if let Some((xm, last)) = refine_critical(sec, x, prec, opts.digits) {
            let xf: Vec<f64> = xm.iter().map(Float::to_f64).collect();
            if bxf.contains(&xf) && dist(&xf, x) < 1e-4 * (1.0 + norm(x)) {
                out.push((refined_point(&xm, last, opts.digits), xf));
            }
        }
    }
    out
}

/// `inf f` as the smallest value found (numerical evidence), or unknown.
fn general_infimum(
    found_any: bool,
    fmin: f64,
    refined: &[(RefinedPoint, Vec<f64>)],
    opts: &MinimaOptions,
) -> Infimum {
    if !found_any {
        return Infimum {
            value: "unknown".into(),
            evidence: Evidence::Inconclusive,
            attained_at: None,
            residual: None,
            method: InfimumMethod::NoLocalMinimizer,
        };
    }
    Infimum {
        value: fmt_mp(&Float::with_val(64, fmin), 15),
        evidence: Evidence::NumericalEvidence,
        attained_at: refined.first().map(|r| r.0.clone()),
        residual: None,
        method: InfimumMethod::SmallestOfMinimizations {
            starts: opts.samples,
        },
    }
}

/// What C2 found on the general path.
struct Minimizers {
    pts: Vec<Vec<f64>>,
    dim: usize,
    refined: Vec<(RefinedPoint, Vec<f64>)>,
    report: MinimumSet,
}

/// C2 on the general path: `argmin f` by minimization, its dimension (Hessian nullity),
/// components (single linkage) and, when isolated, the minimizers refined in MPFR.
fn general_minimum_set(
    sec: &Second,
    bxf: &BoxF,
    opts: &MinimaOptions,
    rng: &mut Pcg64,
) -> Minimizers {
    let found = minimize_from_random_starts(sec, bxf, opts, rng);
    let (fmin, pts) = lowest_minimizers(&found);
    let dims = hessian_nullities(sec, &pts);
    let dimension = dimension_report(&dims, DimensionMethod::HessianNullity, HESS_RANK);
    let dim = dimension.dimension.unwrap_or(0);
    let link = bxf.diameter() / 20.0;
    let list = linkage_components(&pts, link);
    let refined = if dim == 0 {
        refined_minimizers(sec, &pts, bxf, opts)
    } else {
        Vec::new()
    };
    let mut notes = Vec::new();
    if pts.is_empty() {
        notes.push(MinimumSetNote::NoPointOfM);
    }
    let report = MinimumSet {
        structure: ObjectiveShape::General,
        description: SetDescription::Argmin,
        lower_bound: LowerBound {
            value: None,
            evidence: Evidence::Inconclusive,
            reason: LowerBoundReason::NoneRecognised,
        },
        infimum: general_infimum(!pts.is_empty(), fmin, &refined, opts),
        samples_drawn: opts.samples,
        samples_on_m: pts.len(),
        sample_points: pts.iter().take(64).cloned().collect(),
        refined: refined.iter().map(|r| r.0.clone()).collect(),
        dimension,
        components: Components {
            count: list.len(),
            components: list,
            method: ComponentsMethod::SingleLinkage { distance: link },
            evidence: Evidence::NumericalEvidence,
        },
        evidence: if pts.is_empty() {
            Evidence::Inconclusive
        } else {
            Evidence::NumericalEvidence
        },
        notes,
    };
    Minimizers {
        pts,
        dim,
        refined,
        report,
    }
}

/// An isolated minimizer as a critical point (eigenvalues of `Hess f`) and a flat point.
fn isolated_flat_point(
    sec: &Second,
    k: usize,
    rp: &RefinedPoint,
    xf: &[f64],
) -> (CriticalPoint, FlatPoint) {
    let n = sec.n;
    let (fv, _, h) = sec
        .eval(xf)
        .unwrap_or((f64::NAN, DVector::zeros(n), DMatrix::zeros(n, n)));
    let (vals, _) = sym_eigen(&h);
    let cp = CriticalPoint {
        point: rp.clone(),
        multiplier: "0".into(),
        value: format!("{fv:e}"),
        value_f64: fv,
        classification: if vals.first().is_some_and(|v| *v > 0.0) {
            Classification::LocalMinimum
        } else {
            Classification::DegenerateUndecided
        },
        projected_eigenvalues: vals,
        evidence: Evidence::NumericalEvidence,
        phi_value: None,
        phi_undefined: false,
        detail: ClassificationDetail::IsolatedMinimizer,
    };
    let fp = FlatPoint {
        critical_point: k,
        point: rp.clone(),
        sharpness: format!("{fv:e}"),
        global: true,
        in_s: None,
    };
    (cp, fp)
}

/// C3 on the general path: isolated minima are trivially flat; otherwise the Hessian
/// criteria are only evaluated at the minimizers found.
fn general_flat(sec: &Second, m: &Minimizers) -> FlatMinima {
    let mut critical_points = Vec::new();
    let mut flat_points = Vec::new();
    let mut flat_sets = Vec::new();
    let mut notes = Vec::new();
    if m.dim == 0 {
        notes.push(FlatNote::IsolatedTriviallyFlat);
        for (k, (rp, xf)) in m.refined.iter().enumerate() {
            let (cp, fp) = isolated_flat_point(sec, k, rp, xf);
            critical_points.push(cp);
            flat_points.push(fp);
        }
    } else if !m.pts.is_empty() {
        let hstats: Vec<(f64, f64)> = m
            .pts
            .iter()
            .filter_map(|x| sec.eval(x))
            .map(|(_, _, h)| {
                let (vals, _) = sym_eigen(&h);
                (vals.last().copied().unwrap_or(0.0), vals.iter().sum())
            })
            .collect();
        notes.push(FlatNote::GeneralHessianAtMinimizers {
            dimension: m.dim,
            lambda_max: hstats.iter().map(|s| s.0).fold(f64::INFINITY, f64::min),
            trace: hstats.iter().map(|s| s.1).fold(f64::INFINITY, f64::min),
        });
        flat_sets.push(FlatSet {
            criterion: SetCriterion::GeneralMinimizers,
            dimension: Some(m.dim),
            representatives: m.pts.iter().take(6).cloned().collect(),
            phi_range: None,
            evidence: Evidence::Inconclusive,
        });
    }
    FlatMinima {
        sharpness: Sharpness::GeneralHessian,
        critical_points,
        search: None,
        evidence: if flat_points.is_empty() {
            Evidence::Inconclusive
        } else {
            Evidence::NumericalEvidence
        },
        flat_points,
        flat_sets,
        components: Vec::new(),
        critical_sets: Vec::new(),
        morse_bott: None,
        regularizer: None,
        notes,
    }
}

/// Indices of the refined minimizers with the smallest finite `phi` (ties within `1e-10`
/// relative): `S` when `M` is this finite set.
fn smallest_phi(arena: &Arena, phi: ExprId, refined: &[(RefinedPoint, Vec<f64>)]) -> Vec<usize> {
    let phi_tape = Tape::compile(arena, &[phi]);
    let phi_at = |x: &[f64]| -> f64 {
        let mut out = [0.0];
        let mut scratch = Vec::new();
        phi_tape.eval_f64(x, &mut scratch, &mut out);
        out[0]
    };
    let vals: Vec<f64> = refined.iter().map(|(_, x)| phi_at(x)).collect();
    let best = vals
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    (0..vals.len())
        .filter(|&i| vals[i].is_finite() && vals[i] <= best + 1e-10 * (1.0 + best.abs()))
        .collect()
}

/// C6 at one point of `S`: the point of `M` in `B` is proved by a Krawczyk test on
/// `grad f = 0`, after proving `f` `C^2` on `B`.
fn check_minimizer(
    ctx: &C6Context<'_>,
    sec: &Second,
    k: usize,
    (rp, x): &(RefinedPoint, Vec<f64>),
    radius: f64,
) -> StrictnessAtPoint {
    let rad = radii(x, radius);
    let b = box_around(x, radius);
    let smooth_f = sec.smooth_on(&b) == Ok(true);
    let contained = smooth_f
        && krawczyk(
            x,
            &rad,
            |z| sec.eval_iv(z).map(|r| r.0),
            |z| sec.eval_iv(z).map(|r| r.1),
        );
    check_point(
        ctx,
        &SPoint {
            index: k,
            x: x.clone(),
            coords: rp.coords.clone(),
            lambda: None,
            exact: None,
            contained: Some(contained),
            degenerate: false,
        },
    )
}

/// C6 on the general path: `M` is the finite set of isolated minimizers found, so `S` is
/// the set of those with the smallest `phi`; nothing to check otherwise.
fn general_strictness(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    sec: &Second,
    m: &Minimizers,
    flat: &FlatMinima,
    opts: &MinimaOptions,
) -> Strictness {
    if flat.flat_points.is_empty() {
        let why = if m.dim > 0 {
            StrictnessNote::GeneralPositiveDimension { dimension: m.dim }
        } else {
            StrictnessNote::NoIsolatedPointOfM
        };
        return Strictness {
            points: Vec::new(),
            sets: Vec::new(),
            evidence: Evidence::Inconclusive,
            notes: vec![why],
        };
    }
    let in_s = smallest_phi(arena, phi, &m.refined);
    let ctx = C6Context::new(arena, f, phi, None, None, opts.box_radius);
    let points: Vec<StrictnessAtPoint> = in_s
        .iter()
        .enumerate()
        .map(|(k, &i)| check_minimizer(&ctx, sec, k, &m.refined[i], opts.box_radius))
        .collect();
    let (evidence, summary) = summarize(&points);
    Strictness {
        points,
        sets: Vec::new(),
        evidence,
        notes: vec![summary, StrictnessNote::GeneralFiniteM],
    }
}

/// The general path.
pub fn analyse(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    bx: &RationalBox,
    opts: &MinimaOptions,
) -> MinimaReport {
    let bxf = box_f64(bx);
    let sec = Second::new(arena, f);
    let mut rng = Pcg64::seed_from_u64(opts.seed);
    let m = general_minimum_set(&sec, &bxf, opts, &mut rng);
    let flat = general_flat(&sec, &m);
    let strictness = phi.map(|p| general_strictness(arena, f, p, &sec, &m, &flat, opts));
    MinimaReport {
        minimum_set: m.report,
        flat,
        strictness,
    }
}
