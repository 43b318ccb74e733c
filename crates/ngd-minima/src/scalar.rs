//! The scalar path `f = c h(g)`: `M = {g = 0}`, sharpness `s = |grad g|^2`.

use crate::closed_form::fmt_mp;
use crate::lagrange::{search, LagrangePoint, SearchSettings};
use crate::minset::{
    components, dimension_report, local_dimensions, precision_for, prove_zero_near, random_point,
    refined_point, sample_on_m, Branch, RANK_THRESHOLD,
};
use crate::model::{BoxF, Constraints, LagrangeSystem};
use crate::report::*;
use crate::strict::{check_point, summarize, C6Context, SPoint};
use crate::MinimaOptions;
use ngd_check::{Evidence, Outer, RationalBox, Structure};
use ngd_eval::{EvalErrorKind, Tape};
use ngd_expr::{Arena, ExprId, Rational};
use rand::SeedableRng;
use rand_pcg::Pcg64;
use rug::ops::Pow;
use rug::Float;

/// The search box in `f64`.
pub fn box_f64(bx: &RationalBox) -> BoxF {
    BoxF {
        lo: bx.lo.iter().map(Rational::to_f64).collect(),
        hi: bx.hi.iter().map(Rational::to_f64).collect(),
    }
}

/// What C2 needs to know about how `M` is described.
pub struct C2Setup<'a> {
    pub structure: String,
    pub description: String,
    pub lower_bound: LowerBound,
    /// `inf f` as an exact rational when the structure gives it (`0`, or `c_0`).
    pub inf_value: Rational,
    pub cons: &'a Constraints,
    pub dim_method: &'a str,
}

/// Samples `M`, its dimension and components, refined representatives and `inf f` (C2).
/// Returns the report, the samples, and the traced branches (curves only).
pub fn minimum_set(
    arena: &mut Arena,
    f: ExprId,
    setup: C2Setup<'_>,
    bx: &RationalBox,
    bxf: &BoxF,
    opts: &MinimaOptions,
    rng: &mut Pcg64,
) -> (MinimumSet, Vec<Vec<f64>>, Vec<Branch>) {
    let cons = setup.cons;
    let n = cons.n;
    let prec = precision_for(opts.digits);
    let mut pts = Vec::new();
    sample_on_m(cons, bxf, opts.samples, rng, &mut pts);
    let dims = local_dimensions(cons, &pts);
    let dimension = dimension_report(&dims, setup.dim_method, RANK_THRESHOLD);
    let dim = dimension.dimension.unwrap_or(n.saturating_sub(cons.m));
    let (_, comps, branches) = components(cons, &pts, dim, bxf);
    let f_tape = Tape::compile(arena, &[f]);
    let mut refined = Vec::new();
    let mut attained: Option<(RefinedPoint, String, String)> = None;
    let mut observed: Option<(RefinedPoint, String)> = None;
    let inf_mp = Float::with_val(prec, &setup.inf_value);
    for c in comps.components.iter().take(opts.max_refined) {
        let x0: Vec<Float> = c
            .representative
            .iter()
            .map(|&v| Float::with_val(prec, v))
            .collect();
        let Some((x, last)) = cons.project_mp(&x0, prec, opts.digits + 5, 60) else {
            continue;
        };
        let xf: Vec<f64> = x.iter().map(Float::to_f64).collect();
        if !bxf.contains(&xf) {
            continue;
        }
        let rp = refined_point(&x, last, opts.digits);
        let resid = f_tape
            .eval::<Float>(&prec, &x)
            .ok()
            .map(|v| fmt_mp(&Float::with_val(prec, &v[0] - &inf_mp).abs(), 3));
        if attained.is_none() {
            if let Some(how) = prove_zero_near(cons, &xf, bx) {
                attained = Some((rp.clone(), resid.clone().unwrap_or_default(), how));
            }
        }
        if observed.is_none() {
            observed = Some((rp.clone(), resid.unwrap_or_default()));
        }
        refined.push(rp);
    }
    let inf_text = setup.inf_value.to_string();
    let infimum = match (&attained, &observed) {
        (Some((p, r, how)), _) => Infimum {
            value: inf_text.clone(),
            evidence: if setup.lower_bound.evidence == Evidence::Proved {
                Evidence::Proved
            } else {
                Evidence::NumericalEvidence
            },
            attained_at: Some(p.clone()),
            residual: Some(r.clone()),
            method: format!(
                "lower bound from the structure of f; attained: {how}, so f = {inf_text} there"
            ),
        },
        (None, Some((p, r))) => Infimum {
            value: inf_text.clone(),
            evidence: Evidence::NumericalEvidence,
            attained_at: Some(p.clone()),
            residual: Some(r.clone()),
            method: "a zero of the residuals refined by minimum-norm Newton in MPFR (existence \
                     not certified by intervals)"
                .into(),
        },
        _ => Infimum {
            value: inf_text.clone(),
            evidence: Evidence::Inconclusive,
            attained_at: None,
            residual: None,
            method: "no point of M found in the box".into(),
        },
    };
    let mut notes = Vec::new();
    if pts.is_empty() {
        notes.push(format!(
            "no point of M = {{G = 0}} found in the box: no zero of the residuals ({} random \
             starts projected by Gauss-Newton)",
            opts.samples
        ));
    }
    let evidence = if pts.is_empty() {
        Evidence::Inconclusive
    } else {
        Evidence::NumericalEvidence
    };
    let report = MinimumSet {
        structure: setup.structure,
        description: setup.description,
        lower_bound: setup.lower_bound,
        infimum,
        samples_drawn: opts.samples,
        samples_on_m: pts.len(),
        sample_points: pts.iter().take(64).cloned().collect(),
        refined,
        dimension,
        components: comps,
        evidence,
        notes,
    };
    (report, pts, branches)
}

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

/// When no zero of `g` (or `G`) was found in the box, `M` may still be `argmin f` with a
/// positive minimum: search it by minimization (the general path), keeping the structural
/// lower bound and saying what happened.
pub fn fallback_to_general(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    bx: &RationalBox,
    opts: &MinimaOptions,
    structural: MinimumSet,
) -> MinimaReport {
    let mut r = crate::general::analyse(arena, f, phi, bx, opts);
    let ms = &mut r.minimum_set;
    ms.structure = structural.structure;
    ms.lower_bound = structural.lower_bound;
    let mut notes = structural.notes;
    notes.push(if ms.samples_on_m == 0 {
        "minimization of f from random starts found no minimizer inside the box either".into()
    } else {
        format!(
            "the residuals have no zero in the box that projection found, so inf f may exceed \
             the structural bound; argmin f was searched by minimization instead (smallest \
             value {})",
            ms.infimum.value
        )
    });
    notes.append(&mut ms.notes);
    ms.notes = notes;
    r
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
    let structure = Structure::Scalar {
        g,
        outer,
        coeff: coeff.clone(),
    }
    .describe();
    let g_text = arena.display(g);
    let setup = C2Setup {
        structure,
        description: format!("M = {{g = 0}} with g = {g_text}"),
        lower_bound: LowerBound {
            value: Some("0".into()),
            evidence: Evidence::Proved,
            reason: format!(
                "f = c h(g) with c = {coeff} > 0 and h(t) = {} >= 0",
                match outer {
                    Outer::Square => "t^2".to_string(),
                    Outer::EvenPower(k) => format!("t^{k}"),
                    Outer::Abs => "|t|".to_string(),
                }
            ),
        },
        inf_value: Rational::new(),
        cons: &cons,
        dim_method: "n - rank(grad g) at the sampled points (M = {g = 0} is a regular level set \
                     where grad g != 0)",
    };
    let (minimum_set, pts, branches) = minimum_set(arena, f, setup, bx, &bxf, opts, &mut rng);
    if pts.is_empty() {
        return fallback_to_general(arena, f, phi, bx, opts, minimum_set);
    }
    let prec = precision_for(opts.digits);
    let st = SearchSettings {
        digits: opts.digits,
        prec,
        patience: opts.samples,
        max_starts: opts.max_lagrange_starts,
    };

    // C3: Lagrange points of s = |grad g|^2 on M.
    let dg = arena.gradient(g);
    let s = arena.dot(&dg, &dg);
    let sys_s = LagrangeSystem::new(arena, s, g);
    let phi_tape = phi.map(|p| Tape::compile(arena, &[p]));
    let mut notes = Vec::new();
    let (cps, search_info) = if pts.is_empty() {
        (Vec::new(), None)
    } else {
        let mut initial = pts.clone();
        initial.extend(branch_starts(&sys_s, &branches));
        let (c, info) = search(
            &sys_s,
            &cons,
            &bxf,
            &initial,
            || more_on_m(&cons, &bxf, &mut rng),
            &st,
        );
        (c, Some(info))
    };
    let critical_points: Vec<CriticalPoint> = cps
        .iter()
        .map(|p| to_critical(p, phi_tape.as_ref(), prec, opts.digits))
        .collect();
    let global = global_minima(&cps);
    let mut flat_points: Vec<FlatPoint> = cps
        .iter()
        .enumerate()
        .filter(|(_, p)| p.class.is_minimum())
        .map(|(i, p)| FlatPoint {
            critical_point: i,
            point: p.point.clone(),
            sharpness: fmt_mp(&p.value, 20),
            global: global.contains(&i),
            in_s: None,
        })
        .collect();
    let degenerate: Vec<usize> = (0..cps.len())
        .filter(|&i| cps[i].class.is_degenerate())
        .collect();
    if !degenerate.is_empty() {
        notes.push(format!(
            "{} Lagrange point(s) of s with a singular projected Hessian; their class comes from \
             probes of s along M (numerical evidence)",
            degenerate.len()
        ));
    }
    if !flat_points.is_empty() && flat_points.iter().any(|p| !p.global) {
        notes.push(
            "some flat points are only local minima of s on M (flatness is a local property)"
                .into(),
        );
    }
    notes.push(
        "flat points are the local minima of s on M inside the box; minima of s on M at the \
         boundary of the box are not flat points and are not listed"
            .into(),
    );
    if critical_points.iter().any(|c| c.phi_undefined) {
        notes.push("phi is undefined (a pole) at some Lagrange points of s".into());
    }

    // S = argmin_M phi.
    let reg_search = phi.map(|phi| {
        let sys_p = LagrangeSystem::new(arena, phi, g);
        let (pp, info) = if pts.is_empty() {
            (Vec::new(), None)
        } else {
            let mut initial = pts.clone();
            initial.extend(branch_starts(&sys_p, &branches));
            let (c, info) = search(
                &sys_p,
                &cons,
                &bxf,
                &initial,
                || more_on_m(&cons, &bxf, &mut rng),
                &st,
            );
            (c, Some(info))
        };
        let s_points = global_minima(&pp);
        let min_value = s_points.first().map(|&i| pp[i].value.to_f64());
        let s_x: Vec<Vec<f64>> = s_points.iter().map(|&i| pp[i].approx()).collect();
        for fp in flat_points.iter_mut() {
            fp.in_s = Some(s_x.iter().any(|y| close(&fp.point.approx, y)));
        }
        let flat_x: Vec<Vec<f64>> = flat_points.iter().map(|p| p.point.approx.clone()).collect();
        let s_not_flat: Vec<usize> = s_points
            .iter()
            .copied()
            .filter(|&i| !flat_x.iter().any(|y| close(&pp[i].approx(), y)))
            .collect();
        let flat_not_s = flat_points.iter().filter(|p| p.in_s == Some(false)).count();
        let equals = if pp.is_empty() || flat_points.is_empty() {
            None
        } else {
            Some(s_not_flat.is_empty() && flat_not_s == 0)
        };
        let comparison = match equals {
            None => "S or the flat set is empty: nothing to compare".to_string(),
            Some(true) => format!(
                "S has {} point(s), each a flat point, and every flat point is in S (max-norm \
                 tolerance 1e-9 relative)",
                s_points.len()
            ),
            Some(false) => format!(
                "S has {} point(s) of which {} are not flat; {} flat point(s) are not in S",
                s_points.len(),
                s_not_flat.len(),
                flat_not_s
            ),
        };
        let report = RegularizerMinima {
            critical_points: pp
                .iter()
                .map(|p| to_critical(p, phi_tape.as_ref(), prec, opts.digits))
                .collect(),
            search: info,
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
    });
    let (regularizer, phi_search) = match reg_search {
        Some((r, sys, pp)) => (Some(r), Some((sys, pp))),
        None => (None, None),
    };

    let flat = FlatMinima {
        sharpness:
            "s = |grad g|^2 restricted to M = {g = 0}: the worst-case increase of f = c h(g) \
                    over a ball of radius eps is c h(|grad g| eps) to leading order"
                .into(),
        evidence: if flat_points.is_empty() {
            Evidence::Inconclusive
        } else {
            Evidence::NumericalEvidence
        },
        critical_points,
        search: search_info,
        flat_points,
        flat_sets: Vec::new(),
        morse_bott: None,
        regularizer,
        notes,
    };

    // C6 at the points of S = argmin_M phi.
    let strictness = phi.zip(phi_search.as_ref()).map(|(phi, (sys_p, pp))| {
        let s_points = &flat
            .regularizer
            .as_ref()
            .expect("phi given: S was searched")
            .s_points;
        let abs = (outer == Outer::Abs).then(|| (coeff.clone(), g));
        let ctx = C6Context::new(arena, f, phi, Some(sys_p), abs, opts.box_radius);
        let points: Vec<StrictnessAtPoint> = s_points
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let p = &pp[i];
                let exact: Option<Vec<Rational>> = p
                    .point
                    .closed_form
                    .iter()
                    .map(|c| c.as_deref().and_then(|s| s.parse::<Rational>().ok()))
                    .collect();
                check_point(
                    &ctx,
                    &SPoint {
                        index: k,
                        x: p.approx(),
                        coords: p.point.coords.clone(),
                        lambda: Some(p.lambda.to_f64()),
                        exact,
                        contained: None,
                        degenerate: p.class.is_degenerate(),
                    },
                )
            })
            .collect();
        let (evidence, summary) = summarize(&points);
        let mut notes = vec![summary];
        if outer == Outer::Abs {
            notes.push(
                "f = c|g| is not differentiable on M: where phi and g are C^2 near s, the \
                 nonsmooth rule (second-order sufficient condition for max(phi + c g, phi - c g)) \
                 is used instead of Hess(f + phi)"
                    .into(),
            );
        }
        if flat.regularizer.as_ref().and_then(|r| r.equals_flat_set) == Some(false) {
            notes.push(
                "S differs from the flat set (C3): C6 is checked at the points of S, not at the \
                 flat points"
                    .into(),
            );
        }
        Strictness {
            points,
            sets: Vec::new(),
            evidence,
            notes,
        }
    });

    MinimaReport {
        minimum_set,
        flat,
        strictness,
    }
}
