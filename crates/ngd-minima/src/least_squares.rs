//! The least-squares path `f = sum_i c_i g_i^2 + c_0` (smooth, Morse–Bott on `M = {G = 0}`):
//! C2 on `M`, the Morse–Bott criteria of C3 ([`crate::morse_bott`]) and the sets they single
//! out, `S = argmin_M phi` as a set, and C6 (docs/math.md section 2).

use crate::explain::*;
use crate::level_set::{box_f64, fallback_to_general, minimum_set, C2Setup};
use crate::linalg::{norm, norm_inf_mp, solve_mp, sym_eigen};
use crate::minset::{is_duplicate, precision_for, refined_point};
use crate::model::{BoxF, Constraints};
use crate::morse_bott::{
    lambda_max, lambda_max_grad, minimize_criterion, mode, range, weighted_jacobian, worst_case,
    Runs, Smooth, Value, TIE,
};
use crate::report::*;
use crate::strict::{check_point, summarize, C6Context, SPoint, SecondOrder};
use crate::MinimaOptions;
use ngd_check::{Evidence, RationalBox};
use ngd_expr::{Arena, ExprId, Node, Rational};
use rand::SeedableRng;
use rand_pcg::Pcg64;
use rug::Float;

/// The constant term `c_0` of `f = sum c_i g_i^2 + c_0`.
fn constant_term(arena: &Arena, f: ExprId) -> Rational {
    match arena.node(f) {
        Node::Add(ts) => ts
            .iter()
            .filter_map(|&t| arena.as_const(t).cloned())
            .fold(Rational::new(), |a, b| a + b),
        _ => Rational::new(),
    }
}

/// The shape of `f` and its lower bound `f >= c_0`, which make `M = {G = 0}` and
/// `inf f = c_0` when `G` has a zero in the box.
pub struct ResidualBound {
    /// The recognised shape of `f`, as reported.
    pub structure: ObjectiveShape,
    /// `f >= c_0`, with its evidence and reason.
    pub lower_bound: LowerBound,
    /// `c_0`.
    pub inf_value: Rational,
}

impl ResidualBound {
    /// Least squares: `f >= c_0` proved from the positive weights.
    fn least_squares(n_residuals: usize, c0: &Rational) -> ResidualBound {
        ResidualBound {
            structure: ObjectiveShape::LeastSquares {
                residuals: n_residuals,
            },
            lower_bound: LowerBound {
                value: Some(c0.to_string()),
                evidence: Evidence::Proved,
                reason: LowerBoundReason::SumOfSquares {
                    constant: c0.to_string(),
                },
            },
            inf_value: c0.clone(),
        }
    }
}

/// The C2 setup: `M = {G = 0}` with the bound of the shape.
fn residual_setup(n_residuals: usize, bound: ResidualBound, cons: &Constraints) -> C2Setup<'_> {
    C2Setup {
        structure: bound.structure,
        description: SetDescription::ResidualZeros {
            residuals: n_residuals,
        },
        lower_bound: bound.lower_bound,
        inf_value: bound.inf_value,
        cons,
        dim_method: DimensionMethod::JacobianRank,
    }
}

/// The criteria of one least-squares `f`, compiled.
struct Criteria<'a> {
    cons: &'a Constraints,
    /// The weights `c_i`.
    w: Vec<f64>,
    /// `trace(Hess f) = 2 sum_i c_i |grad g_i|^2` on `M`.
    trace: Smooth,
    /// `f`.
    f: Smooth,
    /// `phi`, when given.
    phi: Option<Smooth>,
}

impl<'a> Criteria<'a> {
    /// Compiles the trace, `f` and `phi` (in this order).
    fn new(
        arena: &mut Arena,
        f: ExprId,
        phi: Option<ExprId>,
        residuals: &[(Rational, ExprId)],
        cons: &'a Constraints,
    ) -> Self {
        let mut trace_e = Vec::new();
        for (c, g) in residuals {
            let dg = arena.gradient(*g);
            let sq = arena.dot(&dg, &dg);
            let c = arena.constant(c.clone() * Rational::from(2));
            trace_e.push(arena.mul2(c, sq));
        }
        let trace_expr = arena.add(trace_e);
        Criteria {
            cons,
            w: residuals.iter().map(|r| r.0.to_f64()).collect(),
            trace: Smooth::new(arena, trace_expr),
            f: Smooth::new(arena, f),
            phi: phi.map(|p| Smooth::new(arena, p)),
        }
    }

    /// `trace(Hess f)` at `x`.
    fn trace_v(&self, x: &[f64]) -> Option<f64> {
        self.trace.value_grad(x).map(|v| v.0)
    }

    /// `lambda_max(Hess f)` at `x`.
    fn lam_v(&self, x: &[f64]) -> Option<f64> {
        lambda_max(self.cons, &self.w, x).map(|v| v.0)
    }

    /// `phi` at `x` (`None` without `phi`).
    fn phi_v(&self, x: &[f64]) -> Option<f64> {
        self.phi.as_ref().and_then(|p| p.value_grad(x)).map(|v| v.0)
    }

    /// The top (at most three) eigenvectors of `J^T C J` at `x`: the starts of `m_eps`.
    fn hess_dirs(&self, x: &[f64]) -> Vec<Vec<f64>> {
        let n = self.cons.n;
        let Some(j) = weighted_jacobian(self.cons, &self.w, x) else {
            return Vec::new();
        };
        let a = j.transpose() * &j;
        let (_, vecs) = sym_eigen(&a);
        (0..n.min(3))
            .map(|i| vecs.column(n - 1 - i).iter().copied().collect())
            .collect()
    }
}

/// The trace and `lambda_max` minimized on `M` from the same starts, and each evaluated on
/// the other's minimizers.
struct CriteriaRuns {
    starts: Vec<Vec<f64>>,
    tr: Runs,
    lm: Runs,
    /// `(min, max)` of `lambda_max` at the trace minimizers.
    lam_at_tr: (f64, f64),
    /// `(min, max)` of the trace at the `lambda_max` minimizers.
    tr_at_lam: (f64, f64),
}

/// Minimizes both criteria on `M` from `morse_bott_runs` samples spread over `pts`.
fn criteria_runs(
    crit: &Criteria<'_>,
    bxf: &BoxF,
    pts: &[Vec<f64>],
    opts: &MinimaOptions,
) -> CriteriaRuns {
    let trace_vg = |x: &[f64]| crit.trace.value_grad(x);
    let trace_v = |x: &[f64]| crit.trace_v(x);
    let lam_vg = |x: &[f64]| lambda_max_grad(crit.cons, &crit.w, x);
    let lam_v = |x: &[f64]| crit.lam_v(x);
    let phi_v = |x: &[f64]| crit.phi_v(x);
    let phi_opt: Option<Value<'_>> = if crit.phi.is_some() {
        Some(&phi_v)
    } else {
        None
    };
    let runs = opts.morse_bott_runs.min(pts.len());
    // Spread the starts over the samples deterministically.
    let starts: Vec<Vec<f64>> = (0..runs)
        .map(|k| pts[k * pts.len() / runs].clone())
        .collect();
    let max_at = |v: &dyn Fn(&[f64]) -> Option<f64>| {
        pts.iter()
            .filter_map(|x| v(x))
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let (trace_max, lam_max_s) = (max_at(&trace_v), max_at(&lam_v));
    let cons = crit.cons;
    let tr = minimize_criterion(
        "trace(Hess f)",
        cons,
        bxf,
        &starts,
        trace_max,
        &trace_vg,
        &trace_v,
        phi_opt,
        1e-9,
    );
    let lm = minimize_criterion(
        "lambda_max(Hess f)",
        cons,
        bxf,
        &starts,
        lam_max_s,
        &lam_vg,
        &lam_v,
        phi_opt,
        1e-9,
    );
    let lam_at_tr =
        range(tr.minimizers.iter().filter_map(|x| lam_v(x))).unwrap_or((f64::NAN, f64::NAN));
    let tr_at_lam =
        range(lm.minimizers.iter().filter_map(|x| trace_v(x))).unwrap_or((f64::NAN, f64::NAN));
    CriteriaRuns {
        starts,
        tr,
        lm,
        lam_at_tr,
        tr_at_lam,
    }
}

/// One `m_eps` value: `(eps, group, value, point)` with group 0 the trace minimizers, 1 the
/// `lambda_max` minimizers, 2 the samples.
type MepsValue = (f64, usize, f64, Vec<f64>);

/// `m_eps` for each radius at the trace minimizers, the `lambda_max` minimizers and raw
/// samples: the report entries and every value computed.
fn worst_case_increases(
    crit: &Criteria<'_>,
    runs: &CriteriaRuns,
    pts: &[Vec<f64>],
    eps: &[f64],
) -> (Vec<WorstCaseIncrease>, Vec<MepsValue>) {
    let mut worst = Vec::new();
    let groups: Vec<(&str, Vec<Vec<f64>>)> = vec![
        (
            "trace minimizers",
            runs.tr.minimizers.iter().take(8).cloned().collect(),
        ),
        (
            "lambda_max minimizers",
            runs.lm.minimizers.iter().take(12).cloned().collect(),
        ),
        ("samples of M", pts.iter().take(8).cloned().collect()),
    ];
    let mut meps_all: Vec<MepsValue> = Vec::new();
    for &eps in eps {
        for (gi, (label, xs)) in groups.iter().enumerate() {
            let mut vals = Vec::new();
            for x in xs {
                let d = crit.hess_dirs(x);
                if let Some(v) = worst_case(&crit.f, &d, x, eps) {
                    vals.push((v, x.clone()));
                    meps_all.push((eps, gi, v, x.clone()));
                }
            }
            if vals.is_empty() {
                continue;
            }
            let (mi, ma) = range(vals.iter().map(|v| v.0)).unwrap_or((f64::NAN, f64::NAN));
            let at = vals
                .iter()
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|v| v.1.clone());
            worst.push(WorstCaseIncrease {
                eps,
                at: label.to_string(),
                points: vals.len(),
                min: mi,
                max: ma,
                phi_at_min: at.and_then(|x| crit.phi_v(&x)),
            });
        }
    }
    (worst, meps_all)
}

/// True when `lambda_max` ties on a larger set than the trace minimizers (the trace varies
/// over the `lambda_max` minimizers).
fn lambda_max_ties_larger(runs: &CriteriaRuns) -> bool {
    let (lo, hi) = runs.tr_at_lam;
    hi - lo > 1e-4 * (1.0 + runs.tr.summary.min_value.abs())
}

/// `m_eps` at radius `eps`: at the trace minimizers against the `lambda_max` minimizers
/// that do not minimize the trace, when there are both.
fn worst_case_finding(
    crit: &Criteria<'_>,
    trace_min: f64,
    meps_all: &[MepsValue],
    eps: f64,
) -> Option<MorseBottFinding> {
    let tr_vals: Vec<f64> = meps_all
        .iter()
        .filter(|m| m.0 == eps && m.1 == 0)
        .map(|m| m.2)
        .collect();
    let others: Vec<(f64, f64)> = meps_all
        .iter()
        .filter(|m| m.0 == eps && m.1 == 1)
        .filter_map(|m| crit.trace_v(&m.3).map(|t| (m.2, t)))
        .filter(|(_, t)| *t > trace_min * (1.0 + 1e-4) + 1e-9)
        .collect();
    let trace_max = tr_vals.iter().copied().reduce(f64::max)?;
    if others.is_empty() {
        return Some(MorseBottFinding::WorstCaseAtTrace { eps, trace_max });
    }
    let others_min = others.iter().map(|o| o.0).fold(f64::INFINITY, f64::min);
    let verdict = if trace_max < others_min * (1.0 - 1e-9) {
        Separation::TraceSingledOut
    } else if (trace_max - others_min).abs() <= 1e-9 * trace_max.abs() {
        Separation::NotSeparated
    } else {
        Separation::NotSmaller
    };
    Some(MorseBottFinding::WorstCaseSeparation {
        eps,
        trace_max,
        others_min,
        verdict,
    })
}

/// Which set each criterion singles out.
fn findings(
    crit: &Criteria<'_>,
    runs: &CriteriaRuns,
    meps_all: &[MepsValue],
    eps: &[f64],
) -> Vec<MorseBottFinding> {
    let (tr, lm) = (&runs.tr.summary, &runs.lm.summary);
    let mut out = vec![
        MorseBottFinding::TraceMinimum {
            value: tr.min_value,
            dimension: tr.argmin_dimension,
            fraction: tr.fraction_at_min,
            runs: tr.runs,
        },
        MorseBottFinding::LambdaMaxMinimum {
            value: lm.min_value,
            dimension: lm.argmin_dimension,
            fraction: lm.fraction_at_min,
            runs: lm.runs,
            trace_range: runs.tr_at_lam,
            larger_set: lambda_max_ties_larger(runs),
        },
    ];
    let lam_star = lm.min_value;
    let minimizes = (runs.lam_at_tr.1 - lam_star).abs() <= TIE * lam_star.abs() + 1e-9;
    out.push(MorseBottFinding::LambdaMaxAtTraceMinimizers {
        range: runs.lam_at_tr,
        minimizes,
    });
    for &e in eps {
        out.extend(worst_case_finding(crit, tr.min_value, meps_all, e));
    }
    out
}

/// The flat sets: the trace minimizers, and the `lambda_max` minimizers when they form a
/// larger set.
fn flat_sets(runs: &CriteriaRuns) -> Vec<FlatSet> {
    let set = |criterion, s: &CriterionSummary| FlatSet {
        criterion,
        dimension: s.argmin_dimension,
        representatives: s.representatives.clone(),
        phi_range: s.phi_range_at_argmin,
        evidence: Evidence::NumericalEvidence,
    };
    let mut v = vec![set(SetCriterion::TraceMinimizers, &runs.tr.summary)];
    if lambda_max_ties_larger(runs) {
        v.push(set(SetCriterion::LambdaMaxMinimizers, &runs.lm.summary));
    }
    v
}

/// `S = argmin_M phi` as a set, compared with the trace minimizers. Returns the report,
/// the minimizers of `phi` and the dimension of `S`.
fn regularizer_set(
    crit: &Criteria<'_>,
    ps: &Smooth,
    bxf: &BoxF,
    pts: &[Vec<f64>],
    runs: &CriteriaRuns,
) -> (RegularizerMinima, Vec<Vec<f64>>, Option<usize>) {
    let tr = &runs.tr.summary;
    let pvg = |x: &[f64]| ps.value_grad(x);
    let pv = |x: &[f64]| ps.value_grad(x).map(|v| v.0);
    let pmax = pts
        .iter()
        .filter_map(|x| pv(x))
        .fold(f64::NEG_INFINITY, f64::max);
    let pr = minimize_criterion(
        "phi",
        crit.cons,
        bxf,
        &runs.starts,
        pmax,
        &pvg,
        &pv,
        None,
        1e-9,
    );
    let trace_at_s = range(pr.minimizers.iter().filter_map(|x| crit.trace_v(x)));
    let phi_at_tr = tr.phi_range_at_argmin;
    let pmin = pr.summary.min_value;
    let s_in_flat =
        trace_at_s.is_some_and(|(_, b)| b <= tr.min_value + TIE * tr.min_value.abs() + 1e-6);
    let flat_in_s = phi_at_tr.is_some_and(|(_, b)| b <= pmin + TIE * pmin.abs() + 1e-6);
    let same_dim = pr.summary.argmin_dimension == tr.argmin_dimension;
    let comparison = SComparison::Sets {
        phi_at_trace: phi_at_tr,
        trace_at_s,
        trace_min: tr.min_value,
        s_dimension: pr.summary.argmin_dimension,
        trace_dimension: tr.argmin_dimension,
    };
    let report = RegularizerMinima {
        critical_points: Vec::new(),
        search: None,
        s_points: Vec::new(),
        min_value: Some(pmin),
        s_set: Some(FlatSet {
            criterion: SetCriterion::PhiMinimizers,
            dimension: pr.summary.argmin_dimension,
            representatives: pr.summary.representatives.clone(),
            phi_range: range(pr.minimizers.iter().filter_map(|x| pv(x))),
            evidence: Evidence::NumericalEvidence,
        }),
        equals_flat_set: Some(s_in_flat && flat_in_s && same_dim),
        s_is_flat: Some(s_in_flat),
        s_components: Vec::new(),
        critical_sets: Vec::new(),
        comparison,
        evidence: Evidence::NumericalEvidence,
        // S is a set of decimals here: no closed-form witness to evaluate exactly.
        phi_exact_zero: None,
    };
    (report, pr.minimizers, pr.summary.argmin_dimension)
}

/// C6 on a positive-dimensional (or unknown-dimensional) `S`: the spectrum of
/// `Hess(f + phi)` at up to eight of its points (numerical evidence, never proved).
fn set_strictness(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    s_min: &[Vec<f64>],
    s_dim: Option<usize>,
) -> Strictness {
    let s = strictness_on_set(arena, f, phi, s_min, s_dim);
    Strictness {
        points: Vec::new(),
        sets: vec![s],
        evidence: Evidence::Inconclusive,
        notes: vec![match s_dim {
            Some(dimension) => StrictnessNote::PositiveDimensionalS { dimension },
            None => StrictnessNote::SDimensionUnknown,
        }],
    }
}

/// The spectrum of `Hess(f + phi)` at up to eight points `s_min` of a set `S` of dimension
/// `s_dim` (numerical evidence, never proved: `f + phi` is constant on `S`).
pub(crate) fn strictness_on_set(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    s_min: &[Vec<f64>],
    s_dim: Option<usize>,
) -> StrictnessOnSet {
    let fp = arena.add2(f, phi);
    let hess = SecondOrder::new(arena, fp);
    let mut spectra: Vec<Vec<f64>> = Vec::new();
    let mut nulls = Vec::new();
    let mut all_pos = true;
    for x in s_min.iter().take(8) {
        if let Some(h) = hess.hess_f64(x) {
            let (vals, _) = sym_eigen(&h);
            let top = vals.iter().fold(0.0f64, |a, v| a.max(v.abs())).max(1e-300);
            let nul = vals.iter().filter(|v| v.abs() <= 1e-6 * top).count();
            if vals.iter().any(|v| *v < -1e-6 * top) {
                all_pos = false;
            }
            nulls.push(nul);
            spectra.push(vals);
        }
    }
    let mut sorted = nulls.clone();
    sorted.sort_unstable();
    let nullity = mode(&sorted).unwrap_or(0);
    let smallest: Vec<f64> = spectra
        .first()
        .map(|v| v.iter().take(nullity + 2).copied().collect())
        .unwrap_or_default();
    let min_transversal = spectra
        .iter()
        .filter_map(|v| v.get(nullity).copied())
        .reduce(f64::min);
    let transversal = all_pos && Some(nullity) == s_dim;
    StrictnessOnSet {
        criterion: SetCriterion::S,
        dimension: s_dim,
        samples: nulls.len(),
        smallest_eigenvalues: smallest,
        min_transversal_eigenvalue: min_transversal,
        nullity,
        transversally_pd: transversal,
        evidence: if nulls.is_empty() {
            Evidence::Inconclusive
        } else {
            Evidence::NumericalEvidence
        },
        note: SetNote::ConstantOnS {
            dimension: s_dim,
            transversally_pd: transversal,
        },
    }
}

/// The least-squares path.
pub fn analyse(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    residuals: &[(Rational, ExprId)],
    bx: &RationalBox,
    opts: &MinimaOptions,
) -> MinimaReport {
    let c0 = constant_term(arena, f);
    let bound = ResidualBound::least_squares(residuals.len(), &c0);
    analyse_residuals(arena, f, phi, residuals, bound, bx, opts)
}

/// The path of [`analyse`] for any `f` whose Hessian on `M = {G = 0}` is `2 J^T C J` with
/// `C = diag(c_i)` (`residuals` holds `(c_i, g_i)`), such as a sum of losses `c_i h_i(g_i)`
/// with `h_i(t) = a_i t^2 + o(t^2)` (weights `c_i a_i`), and with the lower bound `bound`.
/// The criteria of C3 use the weights; values of `f` and C6 use `f` itself.
pub fn analyse_residuals(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    residuals: &[(Rational, ExprId)],
    bound: ResidualBound,
    bx: &RationalBox,
    opts: &MinimaOptions,
) -> MinimaReport {
    let bxf = box_f64(bx);
    let gs: Vec<ExprId> = residuals.iter().map(|r| r.1).collect();
    let cons = Constraints::new(arena, &gs);
    let mut rng = Pcg64::seed_from_u64(opts.seed);
    let setup = residual_setup(gs.len(), bound, &cons);
    let (minimum_set, pts, _) = minimum_set(arena, f, setup, bx, &bxf, opts, &mut rng);
    if pts.is_empty() {
        return fallback_to_general(arena, f, phi, bx, opts, minimum_set);
    }
    let dim = minimum_set.dimension.dimension.unwrap_or(0);

    // C3: the criteria along M and the sets they single out.
    let crit = Criteria::new(arena, f, phi, residuals, &cons);
    let runs = criteria_runs(&crit, &bxf, &pts, opts);
    let (worst, meps_all) = worst_case_increases(&crit, &runs, &pts, &opts.eps);
    let findings = findings(&crit, &runs, &meps_all, &opts.eps);
    let flat_sets = flat_sets(&runs);

    // S = argmin_M phi.
    let reg = crit
        .phi
        .as_ref()
        .map(|ps| regularizer_set(&crit, ps, &bxf, &pts, &runs));
    let (regularizer, s_runs) = match reg {
        Some((r, m, d)) => (Some(r), Some((m, d))),
        None => (None, None),
    };

    let mut notes = vec![FlatNote::MorseBottDescent {
        dimension: dim,
        runs: runs.starts.len(),
    }];
    if dim == 0 {
        notes.push(FlatNote::FiniteM);
    }
    let morse_bott = MorseBottCriteria {
        lambda_max_at_trace_argmin: runs.lam_at_tr,
        trace_at_lambda_max_argmin: runs.tr_at_lam,
        lambda_max: runs.lm.summary,
        trace: runs.tr.summary,
        worst_case: worst,
        findings,
    };

    // C6 at the points of S = argmin_M phi.
    let strictness = phi.zip(s_runs).map(|(p, (s_min, s_dim))| {
        if s_dim == Some(0) {
            isolated_s(arena, f, p, &s_min, opts)
        } else {
            set_strictness(arena, f, p, &s_min, s_dim)
        }
    });
    MinimaReport {
        minimum_set,
        flat: FlatMinima {
            sharpness: Sharpness::MorseBott,
            critical_points: Vec::new(),
            search: None,
            flat_points: Vec::new(),
            flat_sets,
            components: Vec::new(),
            critical_sets: Vec::new(),
            morse_bott: Some(morse_bott),
            regularizer,
            evidence: Evidence::NumericalEvidence,
            notes,
        },
        strictness,
    }
}

/// C6 at the isolated points of `S` of the least-squares path: the minimizers of `phi` on `M`
/// (Riemannian descent, `f64`) are deduplicated and polished by Newton on `grad(f + phi) = 0`
/// in MPFR (accepted only when the point moves by less than `1e-6` relative: otherwise it is
/// numerically not a critical point of `f + phi`), then checked by the smooth rule.
fn isolated_s(
    arena: &mut Arena,
    f: ExprId,
    phi: ExprId,
    s_min: &[Vec<f64>],
    opts: &MinimaOptions,
) -> Strictness {
    let ctx = C6Context::new(arena, f, phi, None, None, opts.box_radius);
    let mut reps: Vec<Vec<f64>> = Vec::new();
    for x in s_min {
        if !is_duplicate(&reps, x, 1e-5) {
            reps.push(x.clone());
        }
    }
    let prec = precision_for(opts.digits);
    let mut notes = Vec::new();
    let points: Vec<StrictnessAtPoint> = reps
        .iter()
        .take(16)
        .enumerate()
        .map(|(k, x0)| {
            let polished = polish(&ctx.fp, x0, prec, opts.digits);
            let (x, coords) = match &polished {
                Some(xm) => {
                    let xf: Vec<f64> = xm.iter().map(Float::to_f64).collect();
                    let moved = crate::linalg::dist_inf(&xf, x0);
                    if moved <= 1e-6 * (1.0 + norm(x0)) {
                        (xf, refined_point(xm, 0.0, opts.digits).coords)
                    } else {
                        notes.push(StrictnessNote::NotCritical { point: k, moved });
                        (x0.clone(), x0.iter().map(|v| format!("{v:e}")).collect())
                    }
                }
                None => (x0.clone(), x0.iter().map(|v| format!("{v:e}")).collect()),
            };
            check_point(
                &ctx,
                &SPoint {
                    index: k,
                    x,
                    coords,
                    lambda: None,
                    exact: None,
                    contained: None,
                    degenerate: false,
                },
            )
        })
        .collect();
    let (evidence, summary) = summarize(&points);
    notes.insert(0, summary);
    notes.push(StrictnessNote::LeastSquaresFiniteS);
    Strictness {
        points,
        sets: Vec::new(),
        evidence,
        notes,
    }
}

/// Newton on `grad F = 0` in MPFR from `x0`.
fn polish(fp: &SecondOrder, x0: &[f64], prec: u32, digits: u32) -> Option<Vec<Float>> {
    let mut x: Vec<Float> = x0.iter().map(|&v| Float::with_val(prec, v)).collect();
    for _ in 0..60 {
        let v = fp.eval_mp(&x, prec)?;
        let d = solve_mp(v.hess, v.grad)?;
        for (a, b) in x.iter_mut().zip(&d) {
            *a -= b;
        }
        let step = norm_inf_mp(&d) / (1.0 + norm_inf_mp(&x));
        if !step.is_finite() {
            return None;
        }
        if step < 10f64.powi(-(digits as i32)) {
            break;
        }
    }
    Some(x)
}
