//! The adapter from the checks' reports to the figures of `ngd-plot` ([`FigureData`]):
//! for a two-variable case the plane (level sets of `f`, the traced branches of `M` with `Q`
//! along them, `S`, the flat minima, poles, degenerate points, critical points of `f`, the
//! C4 boxes), and the harness report for the figures along the runs.
//!
//! Where the reports hold only part of what a figure shows, the rest is recomputed here
//! from the case, deterministically and by the same public routines the checks use: the
//! branches of `M` are traced again by `ngd-minima`'s projector with C4's sample count and
//! seed (so they are the branches C4 classified), `Q` along them is evaluated in `f64`
//! (C4 reports only its sign pattern per stretch), and the level sets of `f` are sampled on a
//! grid. The sign class of each point is C4's when the decrease report is given and its
//! stretches match the traced points one to one; otherwise it is classified here by C4's
//! rule (`|Q| <= 1e-9 |Hess phi|_F` counts as zero).

use crate::report::Report;
use ngd_case::{Case, InputError};
use ngd_check::{RationalBox, Structure};
use ngd_critical::CriticalReport;
use ngd_decrease::{DecreaseOptions, DecreaseReport, ExceptionalKind, QSign};
use ngd_eval::Tape;
use ngd_expr::Node;
use ngd_expr::{Arena, ExprId};
use ngd_minima::{MinimaReport, MinimumSetProjector};
use ngd_plot::{
    BoxKind, CoverBox, CurveKind, FigureData, LevelGrid, MBranch, Mark, MarkKind, Plane,
    PlaneCurve, QClass, Written,
};
use ngd_sim::HarnessReport;
use std::cell::RefCell;
use std::path::Path;

/// Grid points per axis of the level sets of `f`.
const GRID: usize = 161;
/// `Q` counts as zero when `|Q| <= ZERO_REL |Hess phi|_F` (C4's rule).
const ZERO_REL: f64 = 1e-9;
/// A point counts as on `M` when every residual `g_i` is at most this in absolute value
/// (the projector's points of `M` have residuals near the float64 rounding level).
const ON_M: f64 = 1e-8;
/// A traced critical curve is drawn when it passes within this fraction of the window's
/// diagonal of a sample point of a positive-dimensional critical set reported by C2.
const NEAR_SAMPLE: f64 = 1e-2;

/// What the figures of one case are drawn from; every report is optional.
#[derive(Clone, Copy, Debug, Default)]
pub struct FigureSources<'a> {
    /// The case title (printed on the figures; empty for none).
    pub title: &'a str,
    /// C2/C3: `S`, the flat minima, degenerate Lagrange points, samples of `M`.
    pub minima: Option<&'a MinimaReport>,
    /// C4: the sign classes of `Q` along `M`, poles and sign changes, the cover's boxes.
    pub decrease: Option<&'a DecreaseReport>,
    /// The critical points of `f` outside `M`.
    pub critical: Option<&'a CriticalReport>,
}

/// The figure data of the certificate report of `case` (the `report` command): every
/// section of `report` that a figure uses. The harness section of a report records no
/// trajectories unless the harness configuration asked for them, so without them only the
/// start and final points of the runs are drawn and the figures along the runs are skipped.
pub fn report_figures<'a>(case: &mut Case, report: &'a Report) -> FigureData<'a> {
    let sources = FigureSources {
        title: "",
        minima: report.minima.as_ref(),
        decrease: report.decrease.as_ref(),
        critical: report.critical_sets.as_ref(),
    };
    case_figure_data(case, sources, report.harness.as_ref())
}

/// The figure data of `run CASE --plots DIR`: the harness report and C2/C3 (`run` does
/// not run C4, so the sign of `Q` along `M` is classified here).
pub fn run_figures<'a>(
    case: &mut Case,
    minima: &MinimaReport,
    harness: &'a HarnessReport,
) -> FigureData<'a> {
    let sources = FigureSources {
        title: "",
        minima: Some(minima),
        decrease: None,
        critical: None,
    };
    case_figure_data(case, sources, Some(harness))
}

/// [`figure_data`] of a case's problem and title, from `sources` (whose title is replaced).
fn case_figure_data<'a>(
    case: &mut Case,
    sources: FigureSources<'_>,
    harness: Option<&'a HarnessReport>,
) -> FigureData<'a> {
    let title = case.title.clone();
    let sources = FigureSources {
        title: &title,
        ..sources
    };
    figure_data(
        &mut case.arena,
        Problem {
            f: case.objective,
            phi: case.regularizer,
            bx: &case.search_box,
        },
        &sources,
        harness,
    )
}

/// The figure data of `merge` (no case file): the figures along the runs only.
pub fn merged_figures(harness: &HarnessReport) -> FigureData<'_> {
    FigureData {
        title: String::new(),
        harness: Some(harness),
        plane: None,
    }
}

/// `f`, `phi` and the search box of a case.
#[derive(Clone, Copy, Debug)]
pub struct Problem<'a> {
    /// The objective.
    pub f: ExprId,
    /// The regularizer.
    pub phi: Option<ExprId>,
    /// The search box (the plane's window for two variables).
    pub bx: &'a RationalBox,
}

/// The figure data from the given reports and harness run; the plane only for two
/// variables.
pub fn figure_data<'a>(
    arena: &mut Arena,
    problem: Problem<'_>,
    sources: &FigureSources<'_>,
    harness: Option<&'a HarnessReport>,
) -> FigureData<'a> {
    let plane = (arena.n_vars() == 2).then(|| plane(arena, problem, sources));
    FigureData {
        title: sources.title.to_string(),
        harness,
        plane,
    }
}

/// Writes the figures of `data` into `dir` (`.svg`, `.png`, `.pdf` each); returns the paths
/// written and the figures skipped with the reason.
pub fn write_figures(dir: &Path, data: &FigureData) -> Result<Written, InputError> {
    ngd_plot::write_figures(data, dir)
        .map_err(|e| InputError::plain(format!("plotting failed: {e}"), None))
}

/// The plane of a two-variable case.
fn plane(arena: &mut Arena, problem: Problem<'_>, sources: &FigureSources<'_>) -> Plane {
    let names = arena.var_names().to_vec();
    let window = [
        (problem.bx.lo[0].to_f64(), problem.bx.hi[0].to_f64()),
        (problem.bx.lo[1].to_f64(), problem.bx.hi[1].to_f64()),
    ];
    let f_levels = level_grid(arena, problem.f, window);
    let (branches, mut m_points) = minimum_set(arena, problem, sources.decrease);
    if branches.is_empty() && m_points.is_empty() {
        if let Some(m) = sources.minima {
            m_points = m
                .minimum_set
                .sample_points
                .iter()
                .filter_map(|p| two(p))
                .collect();
        }
    }
    let mut marks = Vec::new();
    if let Some(m) = sources.minima {
        minima_marks(m, &mut marks);
    }
    if let Some(d) = sources.decrease {
        decrease_marks(d, &mut marks);
    }
    if let Some(c) = sources.critical {
        critical_marks(c, &mut marks);
    }
    let on_m = OnM::new(arena, problem.f);
    let mut curves = pole_curves(arena, problem, &on_m, &mut marks);
    if let Some(c) = sources.critical {
        curves.extend(critical_curves(arena, problem, c, &on_m, &mut marks));
    }
    let (boxes, cover_complete) = sources.decrease.map_or((Vec::new(), false), cover_boxes);
    Plane {
        var_names: [names[0].clone(), names[1].clone()],
        window,
        f_levels,
        branches,
        m_points,
        marks,
        curves,
        boxes,
        cover_complete,
    }
}

/// The first two coordinates.
fn two(p: &[f64]) -> Option<[f64; 2]> {
    (p.len() >= 2).then(|| [p[0], p[1]])
}

/// `f` on a `GRID x GRID` grid of the window (`None` when no value is finite).
fn level_grid(arena: &Arena, f: ExprId, window: [(f64, f64); 2]) -> Option<LevelGrid> {
    let tape = Tape::compile(arena, &[f]);
    let scratch = RefCell::new(Vec::new());
    let grid = LevelGrid::from_fn(window[0], window[1], GRID, GRID, |x, y| {
        let mut out = [0.0];
        tape.eval_f64(&[x, y], &mut scratch.borrow_mut(), &mut out);
        out[0]
    });
    grid.values.iter().any(|v| v.is_finite()).then_some(grid)
}

/// The traced branches of `M` (a curve) with `Q` along them, or the sampled points of `M`
/// (isolated points or a set that is not a curve). Empty for an `f` of no recognised shape.
fn minimum_set(
    arena: &mut Arena,
    problem: Problem<'_>,
    decrease: Option<&DecreaseReport>,
) -> (Vec<MBranch>, Vec<[f64; 2]>) {
    let gs: Vec<ExprId> = match Structure::detect(arena, problem.f) {
        Structure::Scalar { g, .. } => vec![g],
        Structure::LeastSquares { residuals } => residuals.iter().map(|r| r.1).collect(),
        Structure::Sum { terms, .. } => terms.iter().map(|t| t.g).collect(),
        Structure::General => return (Vec::new(), Vec::new()),
    };
    let opts = DecreaseOptions::default();
    let projector = MinimumSetProjector::new(arena, &gs, problem.bx);
    let samples = projector.sample(opts.samples, opts.seed);
    if samples.dimension != Some(1) || samples.branches.is_empty() {
        let pts = samples.points.iter().filter_map(|p| two(p)).collect();
        return (Vec::new(), pts);
    }
    let q = QEvaluator::new(arena, problem.phi, &gs);
    let inside = |p: &[f64]| {
        (0..2).all(|i| p[i] >= problem.bx.lo[i].to_f64() && p[i] <= problem.bx.hi[i].to_f64())
    };
    let mut branches: Vec<MBranch> = samples
        .branches
        .iter()
        .map(|path| {
            let points: Vec<[f64; 2]> = path
                .iter()
                .filter(|p| inside(p))
                .filter_map(|p| two(p))
                .collect();
            let values: Vec<Option<(f64, f64)>> = points
                .iter()
                .map(|p| q.as_ref().and_then(|q| q.at(p)))
                .collect();
            let sign = values.iter().map(|v| classify(q.is_some(), *v)).collect();
            MBranch {
                points,
                q: values.iter().map(|v| v.map(|(q, _)| q)).collect(),
                sign,
            }
        })
        .collect();
    if let Some(d) = decrease {
        apply_reported_signs(&mut branches, d);
    }
    branches.retain(|b| b.points.len() >= 2);
    (branches, Vec::new())
}

/// The sign class of `(Q, |Hess phi|_F)` by C4's rule; `Unknown` without a regularizer.
fn classify(has_phi: bool, v: Option<(f64, f64)>) -> QClass {
    match v {
        _ if !has_phi => QClass::Unknown,
        None => QClass::Undefined,
        Some((q, _)) if !q.is_finite() => QClass::Undefined,
        Some((q, scale)) if q < -ZERO_REL * scale => QClass::Decreases,
        Some((q, scale)) if q > ZERO_REL * scale => QClass::Increases,
        Some(_) => QClass::Zero,
    }
}

/// Replaces the sign classes by C4's when its stretches cover the traced points exactly
/// (same branches, same point counts); otherwise the classes computed here stay.
fn apply_reported_signs(branches: &mut [MBranch], d: &DecreaseReport) {
    let counts_match = d.branches.len() == branches.len()
        && d.branches
            .iter()
            .zip(branches.iter())
            .all(|(p, b)| p.segments.iter().map(|s| s.points).sum::<usize>() == b.points.len());
    if !counts_match {
        return;
    }
    for (p, b) in d.branches.iter().zip(branches.iter_mut()) {
        b.sign = p
            .segments
            .iter()
            .flat_map(|s| std::iter::repeat_n(q_class(s.sign), s.points))
            .collect();
    }
}

/// C4's sign class as the figure's.
fn q_class(s: QSign) -> QClass {
    match s {
        QSign::Negative => QClass::Decreases,
        QSign::Positive => QClass::Increases,
        QSign::Zero => QClass::Zero,
        QSign::Undefined => QClass::Undefined,
        QSign::NearS => QClass::NearS,
    }
}

/// `Q(x) = max u^T Hess phi(x) u` over the unit vectors `u` of the row space of `J_G(x)` in
/// two variables: `u` spans it when `J_G` has rank 1 (a curve `M`), and `Q` is the largest
/// eigenvalue of `Hess phi` when the rank is 2.
struct QEvaluator {
    /// Outputs `Hess phi` (row major, 4), then `J_G` (row major, `2 m`).
    tape: Tape,
}

impl QEvaluator {
    /// `None` without a regularizer.
    fn new(arena: &mut Arena, phi: Option<ExprId>, gs: &[ExprId]) -> Option<QEvaluator> {
        let phi = phi?;
        let mut outs: Vec<ExprId> = arena.hessian(phi).into_iter().flatten().collect();
        for &g in gs {
            outs.extend(arena.gradient(g));
        }
        Some(QEvaluator {
            tape: Tape::compile(arena, &outs),
        })
    }

    /// `(Q, |Hess phi|_F)` at `x`, `None` where anything is not finite or `J_G = 0`.
    fn at(&self, x: &[f64; 2]) -> Option<(f64, f64)> {
        let mut scratch = Vec::new();
        let mut out = vec![0.0; self.tape.n_outputs()];
        self.tape.eval_f64(x, &mut scratch, &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        let (a, b, c) = (out[0], 0.5 * (out[1] + out[2]), out[3]);
        // J^T J, whose top eigenvector spans the row space of J when the rank is 1.
        let (mut p, mut r, mut s) = (0.0, 0.0, 0.0);
        for row in out[4..].chunks(2) {
            p += row[0] * row[0];
            r += row[0] * row[1];
            s += row[1] * row[1];
        }
        let (lo, hi, u) = sym_eigen(p, r, s);
        if hi <= 0.0 {
            return None;
        }
        let scale = (a * a + 2.0 * b * b + c * c).sqrt();
        let q = if lo > 1e-8 * hi {
            sym_eigen(a, b, c).1
        } else {
            a * u[0] * u[0] + 2.0 * b * u[0] * u[1] + c * u[1] * u[1]
        };
        Some((q, scale))
    }
}

/// Eigenvalues `lo <= hi` of `[[a, b], [b, c]]` and a unit eigenvector of `hi`.
fn sym_eigen(a: f64, b: f64, c: f64) -> (f64, f64, [f64; 2]) {
    let mean = 0.5 * (a + c);
    let rad = (0.25 * (a - c) * (a - c) + b * b).sqrt();
    let hi = mean + rad;
    let v = if b.abs() > 1e-300 {
        [b, hi - a]
    } else if a >= c {
        [1.0, 0.0]
    } else {
        [0.0, 1.0]
    };
    let n = (v[0] * v[0] + v[1] * v[1]).sqrt();
    (mean - rad, hi, [v[0] / n, v[1] / n])
}

/// `S`, the flat minima and the degenerate Lagrange points of C3.
fn minima_marks(m: &MinimaReport, marks: &mut Vec<Mark>) {
    let mut push = |kind, p: &[f64]| {
        if let Some(at) = two(p) {
            marks.push(Mark { kind, at });
        }
    };
    if let Some(reg) = &m.flat.regularizer {
        for &i in &reg.s_points {
            if let Some(c) = reg.critical_points.get(i) {
                push(MarkKind::S, &c.point.approx);
            }
        }
        for c in reg
            .critical_points
            .iter()
            .filter(|c| c.classification.is_degenerate())
        {
            push(MarkKind::Degenerate, &c.point.approx);
        }
    }
    for p in &m.flat.flat_points {
        push(MarkKind::FlatMinimum, &p.point.approx);
    }
    for c in m
        .flat
        .critical_points
        .iter()
        .filter(|c| c.classification.is_degenerate())
    {
        push(MarkKind::Degenerate, &c.point.approx);
    }
}

/// Poles of `phi` on `M` and the points where `Q` changes sign (C4's exceptional points).
fn decrease_marks(d: &DecreaseReport, marks: &mut Vec<Mark>) {
    for e in &d.exceptional {
        let kind = match e.kind {
            ExceptionalKind::Pole => MarkKind::Pole,
            ExceptionalKind::SignChange => MarkKind::SignChange,
        };
        if let Some(at) = two(&e.point) {
            marks.push(Mark { kind, at });
        }
    }
}

/// The isolated critical points of `f` outside `M` (components of dimension 0).
fn critical_marks(c: &CriticalReport, marks: &mut Vec<Mark>) {
    for comp in c.components.iter().filter(|c| c.dimension == 0) {
        if let Some(at) = comp.samples.first().and_then(|p| two(p)) {
            marks.push(Mark {
                kind: MarkKind::CriticalOfF,
                at,
            });
        }
    }
}

/// The residuals `g_i` of `f` (its minimum set is `{g_i = 0}`), to tell points of `M` from
/// points off it; `None` for an `f` of no recognised shape.
struct OnM {
    tape: Option<Tape>,
}

impl OnM {
    fn new(arena: &Arena, f: ExprId) -> OnM {
        let gs = residuals(arena, f);
        OnM {
            tape: (!gs.is_empty()).then(|| Tape::compile(arena, &gs)),
        }
    }

    /// True when every residual is at most [`ON_M`] at `p` (false without residuals or where
    /// one is not finite).
    fn contains(&self, p: &[f64; 2]) -> bool {
        let Some(tape) = &self.tape else {
            return false;
        };
        let mut out = vec![0.0; tape.n_outputs()];
        tape.eval_f64(p, &mut Vec::new(), &mut out);
        out.iter().all(|g| g.abs() <= ON_M)
    }
}

/// The residuals whose common zero set is `M` (empty for an `f` of no recognised shape).
fn residuals(arena: &Arena, f: ExprId) -> Vec<ExprId> {
    match Structure::detect(arena, f) {
        Structure::Scalar { g, .. } => vec![g],
        Structure::LeastSquares { residuals } => residuals.iter().map(|r| r.1).collect(),
        Structure::Sum { terms, .. } => terms.iter().map(|t| t.g).collect(),
        Structure::General => Vec::new(),
    }
}

/// The bases of the negative powers in `phi`: `phi` has a pole where one of them vanishes.
fn pole_bases(arena: &Arena, phi: ExprId) -> Vec<ExprId> {
    let mut bases: Vec<ExprId> = arena
        .postorder(&[phi])
        .into_iter()
        .filter_map(|id| match arena.node(id) {
            Node::Pow(base, e) if *e < 0 => Some(*base),
            _ => None,
        })
        .collect();
    bases.sort();
    bases.dedup();
    bases
}

/// The poles of `phi` in the window, sampled by the minimum-set projector on the zero set
/// of each base of a negative power: a zero set traced as a curve as
/// [`CurveKind::PoleOfPhi`], otherwise its points off `M` as [`MarkKind::PoleOffM`] marks
/// (poles on `M` are C4's exceptional points). Sampled in float64 (a figure, not a statement: no certificate is derived from it).
fn pole_curves(
    arena: &mut Arena,
    problem: Problem<'_>,
    on_m: &OnM,
    marks: &mut Vec<Mark>,
) -> Vec<PlaneCurve> {
    let Some(phi) = problem.phi else {
        return Vec::new();
    };
    let opts = DecreaseOptions::default();
    let mut curves = Vec::new();
    for base in pole_bases(arena, phi) {
        let samples =
            MinimumSetProjector::new(arena, &[base], problem.bx).sample(opts.samples, opts.seed);
        let traced: Vec<PlaneCurve> = samples
            .branches
            .iter()
            .map(|b| PlaneCurve {
                kind: CurveKind::PoleOfPhi,
                points: b.iter().filter_map(|p| two(p)).collect(),
            })
            .filter(|c| c.points.len() >= 2)
            .collect();
        if traced.is_empty() {
            // An isolated zero of one equation in the plane is singular (`J = 0` there), so
            // the rank test does not call it a curve and nothing is traced: every point
            // found is an isolated pole.
            marks.extend(isolated_poles(&samples.points, on_m));
        }
        curves.extend(traced);
    }
    curves
}

/// One mark per isolated pole off `M` among `points`: slow (linear) convergence at a
/// singular zero may leave several nearby points.
fn isolated_poles(points: &[Vec<f64>], on_m: &OnM) -> Vec<Mark> {
    let mut poles: Vec<[f64; 2]> = Vec::new();
    for p in points.iter().filter_map(|p| two(p)) {
        let new = poles
            .iter()
            .all(|q| (p[0] - q[0]).hypot(p[1] - q[1]) > 1e-3);
        if new && !on_m.contains(&p) {
            poles.push(p);
        }
    }
    poles
        .into_iter()
        .map(|at| Mark {
            kind: MarkKind::PoleOffM,
            at,
        })
        .collect()
}

/// The critical sets of `f` outside `M` of dimension 1 that C2 reported, traced again:
/// the zero set of `grad g` (or of `grad f` when `f` is not `c h(g)`) sampled by the
/// minimum-set projector, its branches cut where they meet `M`, and the pieces that pass
/// near a sample point of a reported component kept. When the zero set is not traced as
/// a curve, the reported sample points are marked instead.
fn critical_curves(
    arena: &mut Arena,
    problem: Problem<'_>,
    critical: &CriticalReport,
    on_m: &OnM,
    marks: &mut Vec<Mark>,
) -> Vec<PlaneCurve> {
    let reported: Vec<[f64; 2]> = critical
        .components
        .iter()
        .filter(|c| c.dimension >= 1)
        .flat_map(|c| c.samples.iter().filter_map(|p| two(p)))
        .collect();
    if reported.is_empty() {
        return Vec::new();
    }
    let equations = match Structure::detect(arena, problem.f) {
        Structure::Scalar { g, .. } => arena.gradient(g),
        _ => arena.gradient(problem.f),
    };
    let opts = DecreaseOptions::default();
    let samples =
        MinimumSetProjector::new(arena, &equations, problem.bx).sample(opts.samples, opts.seed);
    let [(x0, x1), (y0, y1)] = [
        (problem.bx.lo[0].to_f64(), problem.bx.hi[0].to_f64()),
        (problem.bx.lo[1].to_f64(), problem.bx.hi[1].to_f64()),
    ];
    let tol = NEAR_SAMPLE * (x1 - x0).hypot(y1 - y0);
    let pieces: Vec<Vec<[f64; 2]>> = samples
        .branches
        .iter()
        .flat_map(|b| off_m_pieces(b, on_m))
        .filter(|piece| reported.iter().any(|s| distance_to(piece, s) <= tol))
        .collect();
    if pieces.is_empty() {
        marks.extend(reported.into_iter().map(|at| Mark {
            kind: MarkKind::CriticalOfF,
            at,
        }));
        return Vec::new();
    }
    pieces
        .into_iter()
        .map(|points| PlaneCurve {
            kind: CurveKind::CriticalOfF,
            points,
        })
        .collect()
}

/// The maximal stretches (at least two points) of a traced branch that stay off `M`.
fn off_m_pieces(branch: &[Vec<f64>], on_m: &OnM) -> Vec<Vec<[f64; 2]>> {
    let points: Vec<[f64; 2]> = branch.iter().filter_map(|p| two(p)).collect();
    points
        .split(|p| on_m.contains(p))
        .filter(|s| s.len() >= 2)
        .map(<[[f64; 2]]>::to_vec)
        .collect()
}

/// The Euclidean distance from `p` to the polyline through `points` (at least one point).
fn distance_to(points: &[[f64; 2]], p: &[f64; 2]) -> f64 {
    let segment = |a: &[f64; 2], b: &[f64; 2]| {
        let d = [b[0] - a[0], b[1] - a[1]];
        let len2 = d[0] * d[0] + d[1] * d[1];
        let t = if len2 > 0.0 {
            (((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (p[0] - a[0] - t * d[0]).hypot(p[1] - a[1] - t * d[1])
    };
    match points {
        [only] => segment(only, only),
        _ => points
            .windows(2)
            .map(|w| segment(&w[0], &w[1]))
            .fold(f64::INFINITY, f64::min),
    }
}

/// The boxes of C4's exact cover worth drawing and whether the cover left nothing
/// undecided. The report lists a few example boxes, not the whole cover: with a complete
/// cover the certified examples are left out (every stretch of `M` outside the excluded
/// neighbourhoods is certified, which the figures show without them).
fn cover_boxes(d: &DecreaseReport) -> (Vec<CoverBox>, bool) {
    let Some(cover) = &d.cover else {
        return (Vec::new(), false);
    };
    let complete = cover.undecided == 0;
    let corner = |v: &[f64]| two(v);
    let mut boxes = Vec::new();
    let mut push = |lo: &[f64], hi: &[f64], kind| {
        if let (Some(lo), Some(hi)) = (corner(lo), corner(hi)) {
            boxes.push(CoverBox { lo, hi, kind });
        }
    };
    for b in &cover.balls {
        let kind = if b.closed {
            BoxKind::ExcludedClosed
        } else {
            BoxKind::ExcludedOpen
        };
        push(&b.lo, &b.hi, kind);
    }
    if !complete {
        for b in &cover.examples {
            push(&b.lo, &b.hi, BoxKind::Certified);
        }
        for b in &cover.undecided_examples {
            push(&b.lo, &b.hi, BoxKind::Undecided);
        }
    }
    (boxes, complete)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_critical::{find_critical_sets, CriticalOptions};
    use ngd_parse::{parse_expr, Params};
    use rug::Rational;

    /// `f`, `phi` over `[-3, 3]^2` in `x, y`, with C2's critical sets of `f`.
    fn plane_of(f: &str, phi: &str) -> Plane {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let f = parse_expr(&mut a, f, &Params::new()).unwrap();
        let phi = parse_expr(&mut a, phi, &Params::new()).unwrap();
        let bx = RationalBox::new(vec![Rational::from(-3); 2], vec![Rational::from(3); 2]).unwrap();
        let structure = Structure::detect(&a, f);
        let critical = find_critical_sets(&mut a, f, &structure, &bx, &CriticalOptions::default());
        let sources = FigureSources {
            critical: Some(&critical),
            ..FigureSources::default()
        };
        let problem = Problem {
            f,
            phi: Some(phi),
            bx: &bx,
        };
        plane(&mut a, problem, &sources)
    }

    fn curves(p: &Plane, kind: CurveKind) -> Vec<&PlaneCurve> {
        p.curves.iter().filter(|c| c.kind == kind).collect()
    }

    /// `f = (y^2 - 1)^2`: `grad g = (0, 2y)` vanishes on the line `y = 0`, where `g = -1`
    /// (off `M = {y = +-1}`); `phi = x^2 + 1/(x - 2)` has a pole on the line `x = 2` and none
    /// elsewhere. Both lines are drawn as curves, across the window, and `M` is not drawn as
    /// a critical curve although `grad f` vanishes on it too.
    #[test]
    fn a_critical_line_and_a_pole_line_are_traced() {
        let p = plane_of("(y^2 - 1)^2", "x^2 + 1/(x - 2)");
        let crit = curves(&p, CurveKind::CriticalOfF);
        assert!(!crit.is_empty(), "{:?}", p.curves);
        let crit_points = crit.iter().flat_map(|c| c.points.iter());
        assert!(crit_points.clone().all(|q| q[1].abs() < 1e-6), "on y = 0");
        let xs: Vec<f64> = crit_points.map(|q| q[0]).collect();
        let span = xs.iter().fold(f64::INFINITY, |m, &x| m.min(x))
            ..xs.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x));
        assert!(
            span.start < -2.5 && span.end > 2.5,
            "across the window: {span:?}"
        );
        let poles = curves(&p, CurveKind::PoleOfPhi);
        assert!(!poles.is_empty());
        assert!(poles
            .iter()
            .flat_map(|c| c.points.iter())
            .all(|q| (q[0] - 2.0).abs() < 1e-6));
        assert!(!p.marks.iter().any(|m| m.kind == MarkKind::PoleOffM));
    }

    /// No positive-dimensional critical set and a `phi` without negative powers: no curves.
    /// `phi = 1/(x^2 + y^2 + 1)` has a negative power whose base never vanishes: no pole.
    #[test]
    fn nothing_is_drawn_where_there_is_nothing() {
        assert!(plane_of("(x*y - 1)^2", "(x^2 - y^2)^2").curves.is_empty());
        let p = plane_of("(x*y - 1)^2", "1/(x^2 + y^2 + 1)");
        assert!(p.curves.is_empty(), "{:?}", p.curves);
        assert!(!p.marks.iter().any(|m| m.kind == MarkKind::PoleOffM));
    }

    /// An isolated pole off `M` is a labelled mark, not a curve.
    #[test]
    fn an_isolated_pole_is_marked() {
        let p = plane_of("(x*y - 1)^2", "1/(x^2 + (y - 2)^2)");
        let poles: Vec<&Mark> = p
            .marks
            .iter()
            .filter(|m| m.kind == MarkKind::PoleOffM)
            .collect();
        assert!(!poles.is_empty());
        assert!(poles
            .iter()
            .all(|m| m.at[0].abs() < 1e-3 && (m.at[1] - 2.0).abs() < 1e-3));
    }

    #[test]
    fn branches_are_cut_where_they_meet_m_and_distances_are_to_segments() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let f = parse_expr(&mut a, "(y - 1)^2", &Params::new()).unwrap();
        let on_m = OnM::new(&a, f);
        let branch: Vec<Vec<f64>> = (0..=4).map(|i| vec![0.0, f64::from(i) * 0.5]).collect();
        // (0, 1) lies on M = {y = 1}: two pieces, (0, 0)-(0, 0.5) and (0, 1.5)-(0, 2).
        let pieces = off_m_pieces(&branch, &on_m);
        assert_eq!(
            pieces,
            [vec![[0.0, 0.0], [0.0, 0.5]], vec![[0.0, 1.5], [0.0, 2.0]]]
        );
        assert_eq!(distance_to(&[[0.0, 0.0], [2.0, 0.0]], &[1.0, 1.0]), 1.0);
        assert_eq!(distance_to(&[[0.0, 0.0], [2.0, 0.0]], &[3.0, 0.0]), 1.0);
        assert_eq!(distance_to(&[[0.0, 0.0]], &[3.0, 4.0]), 5.0);
    }

    #[test]
    fn eigen_of_two_by_two() {
        let (lo, hi, u) = sym_eigen(2.0, 1.0, 2.0);
        assert!((lo - 1.0).abs() < 1e-12 && (hi - 3.0).abs() < 1e-12);
        assert!((u[0] - u[1]).abs() < 1e-12, "(1, 1)/sqrt 2");
        let (lo, hi, u) = sym_eigen(1.0, 0.0, 5.0);
        assert_eq!((lo, hi, u), (1.0, 5.0, [0.0, 1.0]));
    }

    #[test]
    fn q_classes_follow_c4s_rule() {
        assert_eq!(classify(true, Some((-1.0, 1.0))), QClass::Decreases);
        assert_eq!(classify(true, Some((1e-12, 1.0))), QClass::Zero);
        assert_eq!(classify(true, None), QClass::Undefined);
        assert_eq!(classify(false, Some((1.0, 1.0))), QClass::Unknown);
    }
}
