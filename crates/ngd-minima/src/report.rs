//! The serializable results of C2, C3 and C6 (no printing here: the CLI renders).
//!
//! Numbers that were refined in MPFR are given as decimal strings (`coords`), together with
//! an `f64` rounding (`approx`) for plots and quick comparisons, and, where a short closed
//! form matches to the achieved accuracy, that form as text (`closed_form`, e.g.
//! `"2^(-1/3)"`). A closed form is a recognition (numerical evidence), never a proof.

use crate::explain::*;
use crate::sets::SetComponent;
use ngd_check::Evidence;
use serde::Serialize;

/// A point refined in MPFR.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RefinedPoint {
    /// The coordinates to the requested number of significant digits (decimal, MPFR).
    pub coords: Vec<String>,
    /// The coordinates rounded to `f64`.
    pub approx: Vec<f64>,
    /// A recognised closed form per coordinate (`None` when no short form matched).
    pub closed_form: Vec<Option<String>>,
    /// Correct digits the Newton refinement reached (estimated from the size of the last
    /// Newton step relative to the point), at most the requested number.
    pub digits: u32,
}

/// The lower bound `f >= value` on the whole space.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LowerBound {
    /// The bound as an exact rational (`"0"` for `f = c h(g)`), when one is known.
    pub value: Option<String>,
    /// `Proved` when the bound follows from the structure of `f` (a positive multiple of an
    /// even function of `g`, or a sum of squares with positive weights plus a constant).
    pub evidence: Evidence,
    /// Why the bound holds (or that none is known).
    pub reason: LowerBoundReason,
}

/// The infimum of `f`, where it was found to be attained.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Infimum {
    /// The value (`"0"`, or the constant term of a least-squares objective; for a general `f`
    /// the smallest value found, in decimal).
    pub value: String,
    /// `Proved` when the lower bound is structural *and* a zero of `g` (or of all residuals)
    /// was proved to exist in a box inside the search box (Krawczyk test on a square
    /// subsystem, outward-rounded intervals), so `inf f` is attained there. Otherwise
    /// numerical evidence from the refined points below, or inconclusive.
    pub evidence: Evidence,
    /// The refined point at which attainment was certified or observed, if any.
    pub attained_at: Option<RefinedPoint>,
    /// `|f|` (minus the infimum) at that point, evaluated in MPFR (decimal, 3 digits).
    pub residual: Option<String>,
    /// How the attainment was established.
    pub method: InfimumMethod,
}

/// The local dimension of `M` at sampled points.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LocalDimension {
    /// The dimension at most sampled points (`n - rank`), `None` without samples.
    pub dimension: Option<usize>,
    /// How many sampled points had each dimension: `(dimension, count)`, ascending.
    pub histogram: Vec<(usize, usize)>,
    /// The relative threshold on singular values (`sigma_i > threshold * sigma_max` counts
    /// towards the rank).
    pub rank_threshold: f64,
    /// What was ranked: the Jacobian of `g`/`G` (regular level set) or `Hess f` (Morse–Bott).
    pub method: DimensionMethod,
    /// Always numerical evidence (floating-point SVD).
    pub evidence: Evidence,
}

/// One connected piece of `M` met in the search box (as far as the samples show).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Component {
    /// Number of sampled points assigned to it.
    pub samples: usize,
    /// A sampled point on it (`f64`).
    pub representative: Vec<f64>,
    /// For a traced curve: `true` when it closes inside the box, `false` when both ends
    /// leave the box; `None` when it was not traced (dimension other than 1) or tracing
    /// stopped early (e.g. at a singular point).
    pub closed: Option<bool>,
}

/// The components (branches for curves) of `M` met in the box.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Components {
    /// The number of components found.
    pub count: usize,
    /// The components, in order of their first sampled point.
    pub components: Vec<Component>,
    /// How samples were grouped (curve continuation, or chains of projected segments).
    pub method: ComponentsMethod,
    /// Numerical evidence: two groups may still be joined outside the sampled paths.
    pub evidence: Evidence,
}

/// C2: the minimum set `M = argmin f` (docs/math.md section 2, C2).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MinimumSet {
    /// The recognised shape of `f` (`f = g^2`, `f = |G|^2`, ...).
    pub structure: ObjectiveShape,
    /// How `M` is described: `{g = 0}`, `{G = 0}`, or `argmin f`.
    pub description: SetDescription,
    /// `f >= bound` everywhere.
    pub lower_bound: LowerBound,
    /// `inf f` and where it is attained.
    pub infimum: Infimum,
    /// Random starts drawn in the box.
    pub samples_drawn: usize,
    /// Starts whose projection onto `M` converged inside the box (after deduplication).
    pub samples_on_m: usize,
    /// Up to a few of the sampled points (`f64`), for plots.
    pub sample_points: Vec<Vec<f64>>,
    /// Representatives (one per component, capped) refined in MPFR.
    pub refined: Vec<RefinedPoint>,
    /// The local dimension of `M`.
    pub dimension: LocalDimension,
    /// Components / branches met in the box.
    pub components: Components,
    /// The overall evidence for "M was found and sampled": numerical evidence when points
    /// were found, inconclusive when none was.
    pub evidence: Evidence,
    /// Remarks, e.g. that no point of `M` was found in the box.
    pub notes: Vec<MinimumSetNote>,
}

/// The result of the projected (bordered) second-order test at a Lagrange point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// The projected Hessian of the Lagrangian is positive definite: strict local minimum
    /// on `M`.
    LocalMinimum,
    /// Negative definite: strict local maximum on `M`.
    LocalMaximum,
    /// Eigenvalues of both signs: neither minimum nor maximum.
    Saddle,
    /// The projected Hessian is singular (to the refinement tolerance) and probes along
    /// `M` in its null directions increase the function on both sides at every scale
    /// tried: a local minimum decided at higher order (numerical evidence).
    DegenerateLocalMinimum,
    /// Singular, and the probes decrease the function on both sides: a higher-order local
    /// maximum (numerical evidence).
    DegenerateLocalMaximum,
    /// Singular, and the function increases on one side and decreases on the other along
    /// some null direction (an inflection along `M`), or the signs conflict with the
    /// definite part: neither minimum nor maximum.
    DegenerateNeither,
    /// Singular and the probes were not conclusive.
    DegenerateUndecided,
}

impl Classification {
    /// True for the two kinds of local minimum.
    pub fn is_minimum(self) -> bool {
        matches!(
            self,
            Classification::LocalMinimum | Classification::DegenerateLocalMinimum
        )
    }

    /// True when the projected Hessian was singular.
    pub fn is_degenerate(self) -> bool {
        matches!(
            self,
            Classification::DegenerateLocalMinimum
                | Classification::DegenerateLocalMaximum
                | Classification::DegenerateNeither
                | Classification::DegenerateUndecided
        )
    }
}

/// A Lagrange point of a function `h` on `M = {g = 0}`: `grad h = lambda grad g`, `g = 0`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CriticalPoint {
    /// The point, refined in MPFR.
    pub point: RefinedPoint,
    /// The Lagrange multiplier (decimal, 20 digits).
    pub multiplier: String,
    /// The value of `h` there (decimal, 20 digits).
    pub value: String,
    /// The value as `f64`.
    pub value_f64: f64,
    /// The result of the projected second-order test (and higher-order probes).
    pub classification: Classification,
    /// Eigenvalues of the Hessian of the Lagrangian projected on the tangent space of `M`
    /// (ascending, `f64`).
    pub projected_eigenvalues: Vec<f64>,
    /// Numerical evidence (the classification uses floating point).
    pub evidence: Evidence,
    /// The regularizer `phi` at this point (decimal), `None` where `phi` is undefined there
    /// (a pole) or no regularizer was given.
    pub phi_value: Option<String>,
    /// True when `phi` is undefined at this point (pole or domain error).
    pub phi_undefined: bool,
    /// How this classification was reached (e.g. which probes decided a degenerate point).
    pub detail: ClassificationDetail,
}

/// How the Lagrange points were searched.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LagrangeSearch {
    /// Newton starts tried.
    pub starts: usize,
    /// Starts that converged inside the box.
    pub converged: usize,
    /// Distinct points after deduplication.
    pub distinct: usize,
    /// True when the search stopped because many converged starts in a row (at least the
    /// number of samples, and eight times the number of points found) found no new point:
    /// the list is likely complete for the box (numerical evidence, not a proof). False when
    /// it stopped at the start budget.
    pub saturated: bool,
    /// Converged starts that landed on sets of positive dimension (reported as components,
    /// not among the distinct points).
    pub set_points: usize,
}

/// A flat point: a Lagrange point of the sharpness that is a local minimum on `M`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FlatPoint {
    /// Index into [`FlatMinima::critical_points`].
    pub critical_point: usize,
    /// The point (copied for convenience).
    pub point: RefinedPoint,
    /// The sharpness there (decimal).
    pub sharpness: String,
    /// True when its sharpness is the smallest among the flat points (ties included).
    pub global: bool,
    /// Whether the point lies in `S = argmin_M phi` (within tolerance), when `phi` is given.
    pub in_s: Option<bool>,
}

/// Summary of one sharpness criterion over sampled and optimized points of `M`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CriterionSummary {
    /// `lambda_max(Hess f)`, `trace(Hess f)`, `m_eps (eps = ...)`, `phi`.
    pub name: String,
    /// The smallest value found (after local minimization on `M` where it applies).
    pub min_value: f64,
    /// The largest value seen at the raw samples of `M`.
    pub max_sampled: f64,
    /// Minimization runs on `M` (0 when the criterion was only evaluated at samples).
    pub runs: usize,
    /// Fraction of the runs (or evaluated points) whose value is within `tie_tolerance`
    /// (relative) of `min_value`.
    pub fraction_at_min: f64,
    /// The relative tolerance for ties.
    pub tie_tolerance: f64,
    /// Estimated dimension of the set where the minimum is attained: the nullity of the
    /// Riemannian Hessian of the criterion on `M` at the minimizers (finite differences,
    /// relative threshold), the most frequent value. `None` when not estimated.
    pub argmin_dimension: Option<usize>,
    /// A few minimizers (`f64`).
    pub representatives: Vec<Vec<f64>>,
    /// For matrix-factorization-like objectives the regularizer `phi` (or, failing that,
    /// nothing) at the minimizers: `(min, max)` of `phi` over them.
    pub phi_range_at_argmin: Option<(f64, f64)>,
    /// Numerical evidence (floating point).
    pub evidence: Evidence,
}

/// The worst-case increase `m_eps(x) = max_{|d| <= eps} f(x + d) - f(x)` at one kind of point.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct WorstCaseIncrease {
    /// The radius.
    pub eps: f64,
    /// Where it was evaluated (`"trace minimizers"`, `"lambda_max minimizers"`, `"samples"`).
    pub at: String,
    /// Points evaluated.
    pub points: usize,
    /// Smallest and largest `m_eps` over them.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// `phi` at the point of smallest `m_eps`, when `phi` is given.
    pub phi_at_min: Option<f64>,
}

/// A positive-dimensional set of flat minima (Morse–Bott / least-squares case).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FlatSet {
    /// The criterion whose minimizers these are.
    pub criterion: SetCriterion,
    /// The estimated dimension of the set.
    pub dimension: Option<usize>,
    /// Representative points (`f64`).
    pub representatives: Vec<Vec<f64>>,
    /// The regularizer's range on the representatives (e.g. the imbalance
    /// `||X^T X - Y^T Y||^2` for matrix factorization), when `phi` is given.
    pub phi_range: Option<(f64, f64)>,
    /// Numerical evidence.
    pub evidence: Evidence,
}

/// The criteria of docs/math.md C3 for a smooth Morse–Bott `f` (least squares): which set each
/// one singles out.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MorseBottCriteria {
    /// `lambda_max(Hess f)` on `M`.
    pub lambda_max: CriterionSummary,
    /// `trace(Hess f)` on `M`.
    pub trace: CriterionSummary,
    /// `lambda_max` at the trace minimizers, `(min, max)`.
    pub lambda_max_at_trace_argmin: (f64, f64),
    /// `trace` over the lambda_max minimizers, `(min, max)`.
    pub trace_at_lambda_max_argmin: (f64, f64),
    /// `m_eps` for the two radii at the trace minimizers, the lambda_max minimizers and raw
    /// samples.
    pub worst_case: Vec<WorstCaseIncrease>,
    /// One finding per criterion: which set it singles out.
    pub findings: Vec<MorseBottFinding>,
}

/// `S = argmin_M phi` and its comparison with the flat set.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RegularizerMinima {
    /// Lagrange points of `phi` on `M` (isolated case), classified like those of the
    /// sharpness. Empty in the Morse–Bott case.
    pub critical_points: Vec<CriticalPoint>,
    /// How they were searched.
    pub search: Option<LagrangeSearch>,
    /// Indices into `critical_points` of the global minima of `phi` on `M` found (`S`).
    pub s_points: Vec<usize>,
    /// The minimum value of `phi` on `M` found.
    pub min_value: Option<f64>,
    /// For the Morse–Bott case: the minimizers of `phi` as a set.
    pub s_set: Option<FlatSet>,
    /// The components of positive dimension of `S` (scalar path), at most a few; their
    /// samples are bounded.
    pub s_components: Vec<SetComponent>,
    /// Other sets of positive dimension of Lagrange points of `phi` on `M` (not in `S`).
    pub critical_sets: Vec<SetComponent>,
    /// True when `S` equals the flat set (every flat point is in `S` and every point of `S`
    /// is flat, within tolerance; for sets: the minimizers of one criterion minimize the
    /// other), `None` when it could not be decided.
    pub equals_flat_set: Option<bool>,
    /// True when `S` lies on the flat set ("S is flat"; `S` may be smaller), `None` when it
    /// could not be decided.
    pub s_is_flat: Option<bool>,
    /// How the comparison was made, and the mismatches if any.
    pub comparison: SComparison,
    /// Numerical evidence.
    pub evidence: Evidence,
    /// `min_M phi = 0` proved exactly, so `phi = 0` at every point of `S` (whatever the
    /// decimals of the points found); absent when not proved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phi_exact_zero: Option<PhiExactZero>,
}

/// A proof that `min_M phi = 0` (`M` in the search box): `phi >= 0` wherever it is defined
/// by its structure alone (sums and products of nonnegative constants, even powers, even
/// roots, `abs`, `exp`), and a witness `w` in the search box with `f(w) = inf f` (the proved
/// lower bound) and `phi(w) = 0`, both exactly: the coordinates of `w` are `r k^(p/q)` with
/// one base `k`, and `f`, `phi` are evaluated in `Q[t]/(t^degree - k)`, `t = k^(1/degree)`
/// (a value that is the zero polynomial is 0; division only by elements with a certified
/// inverse). Then every point of `S = argmin_M phi` has `phi = 0` exactly.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PhiExactZero {
    /// The witness `w`, one closed form per coordinate (e.g. `2^(-1/3)`).
    pub witness: Vec<String>,
    /// `k`, the base of the ring (`1` for a rational witness).
    pub base: String,
    /// The degree of the ring (`1` for a rational witness).
    pub degree: u32,
    /// `inf f`, which `f(w)` equals exactly (the proved lower bound of C2).
    pub infimum: String,
    /// Always `Proved`.
    pub evidence: Evidence,
    /// The points of `S` (indices into the Lagrange points of `phi`) where `phi = 0` is proved
    /// at their own closed forms, each by the same four steps; the other points of `S` are in
    /// `S` numerically (their value ties with the minimum within a tolerance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exact_at: Vec<usize>,
}

/// C3: the flat minima (docs/math.md section 2, C3; flatness in the sense of the cited work on
/// the geometry of flat minima, as recalled in the paper's Definition 3.31).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FlatMinima {
    /// The sharpness used: `s = |grad g|^2 on M` (scalar `g`), or the Morse–Bott criteria.
    pub sharpness: Sharpness,
    /// Lagrange points of the sharpness on `M` (scalar case), sorted by value then
    /// coordinates.
    pub critical_points: Vec<CriticalPoint>,
    /// How they were searched.
    pub search: Option<LagrangeSearch>,
    /// The isolated flat points (local minima of the sharpness on `M`).
    pub flat_points: Vec<FlatPoint>,
    /// Positive-dimensional flat sets (Morse–Bott case).
    pub flat_sets: Vec<FlatSet>,
    /// Components of positive dimension of the flat set (scalar path): sets of local minima
    /// of the sharpness on `M`, or `M` itself when the sharpness is constant on it.
    pub components: Vec<SetComponent>,
    /// Other sets of positive dimension of Lagrange points of the sharpness (not minima).
    pub critical_sets: Vec<SetComponent>,
    /// The criteria along `M` for smooth Morse–Bott `f`.
    pub morse_bott: Option<MorseBottCriteria>,
    /// `S = argmin_M phi` and whether it equals the flat set (needs `phi`).
    pub regularizer: Option<RegularizerMinima>,
    /// Numerical evidence when flat minima were located; inconclusive otherwise.
    pub evidence: Evidence,
    /// Remarks (e.g. that flat points are local minima of `s` on `M` in the box only).
    pub notes: Vec<FlatNote>,
}

/// Which sufficient condition for a strict local minimum of `f + phi` was applied at a point
/// of `S` (the crate docs state each rule and its argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StrictnessCriterion {
    /// `f + phi` is proved `C^2` on the box `B`; a Krawczyk test proves exactly one critical
    /// point of `f + phi` in `B` and interval Cholesky proves `Hess(f + phi)` positive
    /// definite on all of `B`.
    Smooth,
    /// `f = c |g|` with `phi` and `g` proved `C^2` on `B`: the second-order sufficient
    /// condition for `f + phi = max(phi + c g, phi - c g)` (Lagrange point of `phi` on
    /// `M = {g = 0}` by a Krawczyk test, `|lambda| < c`, the Lagrangian Hessian positive
    /// definite on the tangent space of `M`).
    NonsmoothAbs,
    /// Neither rule applies at this point; `reason` says which function has a kink there
    /// (or why else).
    NotApplicable,
}

impl StrictnessCriterion {
    /// The label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            StrictnessCriterion::Smooth => "smooth",
            StrictnessCriterion::NonsmoothAbs => "nonsmooth f = c|g|",
            StrictnessCriterion::NotApplicable => "not applicable",
        }
    }
}

/// C6 at one isolated point `s` of `S = argmin_M phi`: is `s` a strict local minimum of
/// `f + phi`?
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StrictnessAtPoint {
    /// Index of the point in the list of points of `S` (for the scalar path the order of
    /// [`RegularizerMinima::s_points`]).
    pub s_point: usize,
    /// The point (`f64`), the centre of the box `B`.
    pub point: Vec<f64>,
    /// The point as refined (decimal; MPFR where it was refined in MPFR).
    pub coords: Vec<String>,
    /// Relative half-width of `B`: coordinate `i` spans `point_i -+ box_radius max(1, |point_i|)`.
    pub box_radius: f64,
    /// Lower corner of `B` (the exact `f64` ends of the intervals used by every proof).
    pub box_lo: Vec<f64>,
    /// Upper corner of `B`.
    pub box_hi: Vec<f64>,
    /// The rule applied.
    pub criterion: StrictnessCriterion,
    /// `Proved` when every function the rule differentiates is proved `C^2` on `B`
    /// (`Tape::eval_interval_smooth`: every `abs`/`sign`/`max`/`min`/root argument excludes
    /// its kink on `B`, and no pole or domain boundary meets `B`): `f + phi` for the smooth
    /// rule, `phi` and `g` for the nonsmooth one. `Inconclusive` otherwise.
    pub smooth_on_box: Evidence,
    /// What was proved smooth, or where the kink is (`None` when not checked).
    pub smoothness: Option<Smoothness>,
    /// `Proved` when a Krawczyk test proved exactly one critical point in `B`: of
    /// `f + phi` (smooth rule), or a Lagrange point `(s, lambda)` of `phi` on `M` (nonsmooth
    /// rule, with `lambda` in [`Self::multiplier`]).
    pub critical_point: Evidence,
    /// `Proved` when a Krawczyk test on the Lagrange system of `phi` on `M` proved that `B`
    /// contains exactly one Lagrange point of `phi` on `M` (the point of `S` that was found);
    /// `Inconclusive` when it failed or was not run (least-squares and general paths).
    pub s_in_box: Evidence,
    /// The interval enclosure of the Lagrange multiplier of `phi` on `M` at the point, when
    /// the Krawczyk test on the Lagrange system succeeded.
    pub multiplier: Option<[f64; 2]>,
    /// Nonsmooth rule: `|lambda| < c` proved from the enclosure (`Refuted` when
    /// `|lambda| > c` is proved); `None` for the other rules.
    pub multiplier_below_c: Option<Evidence>,
    /// `Proved` when interval Cholesky proves positive definite: `Hess(f + phi)` on all of
    /// `B` (smooth rule), or `Z^T (Hess phi - lambda Hess g) Z` for a tangent basis `Z` of
    /// `M` built from `grad g` over `B` (nonsmooth rule); `Refuted` when an eigenvector
    /// certifies a negative value at a proved critical point.
    pub hessian_pd: Evidence,
    /// A certified lower bound on the smallest Cholesky pivot when it succeeded.
    pub min_pivot_lower_bound: Option<f64>,
    /// Eigenvalues (`f64`, ascending): of `Hess(f + phi)` at the point (smooth rule), or of
    /// the Lagrangian Hessian on the tangent space of `M` (nonsmooth rule).
    pub eigenvalues: Vec<f64>,
    /// True when `(f + phi)(x) > (f + phi)(s)` is proved for every `x != s` of `B`, not only
    /// near `s` (smooth rule: strict convexity on `B`; nonsmooth rule: the quantitative
    /// bound of the crate docs).
    pub strict_on_box: bool,
    /// `Proved`: `s` is a strict local minimum of `f + phi`; `Refuted`: a certified reason
    /// why it is not (the critical point test or a second-order necessary condition fails);
    /// `Inconclusive` otherwise, including "not applicable".
    pub evidence: Evidence,
    /// The argument when proved, why the rule failed or does not apply otherwise.
    pub reason: Option<StrictnessReason>,
    /// An exact identification, when the point has a rational closed form `q` in `B`:
    /// `grad(f + phi)(q) = 0` and `g(q) = 0` exactly, so `q` itself is the critical point.
    pub exact: Option<ExactIdentification>,
}

/// C6 on a positive-dimensional `S` (numerical evidence only: `f + phi` cannot have a strict
/// local minimum at a point of a set on which it is constant).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StrictnessOnSet {
    /// The set (criterion and dimension).
    pub criterion: SetCriterion,
    /// The dimension of the set.
    pub dimension: Option<usize>,
    /// Sampled points evaluated.
    pub samples: usize,
    /// The lowest eigenvalues of `Hess(f + phi)` at the first sample (`nullity + 2` of
    /// them, ascending): the numerically zero ones and the first positive ones.
    pub smallest_eigenvalues: Vec<f64>,
    /// The smallest eigenvalue beyond the numerical null space, over all samples (how
    /// positive `Hess(f + phi)` is transversally to the set).
    pub min_transversal_eigenvalue: Option<f64>,
    /// The number of eigenvalues below the relative threshold (the numerical nullity),
    /// most frequent over the samples.
    pub nullity: usize,
    /// True when the nullity equals the dimension of the set and the other eigenvalues are
    /// positive: `Hess(f + phi)` is positive definite transversally (numerical evidence).
    pub transversally_pd: bool,
    /// Numerical evidence, or inconclusive.
    pub evidence: Evidence,
    /// What this means for Prop 3.34.
    pub note: SetNote,
}

/// C6: every point of `S = argmin_M phi` is a strict local minimum of `f + phi` (the
/// hypothesis of Thm 2.9), proved per isolated point by the rules of the crate docs.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Strictness {
    /// The isolated points of `S`.
    pub points: Vec<StrictnessAtPoint>,
    /// A positive-dimensional `S` (least-squares path): numerical eigenvalues only, never
    /// proved.
    pub sets: Vec<StrictnessOnSet>,
    /// `Proved` only when `S` has at least one point and every point of `S` is proved;
    /// `Refuted` when some point is refuted; inconclusive otherwise (a rule not applicable,
    /// a failed proof, a positive-dimensional or empty `S`).
    pub evidence: Evidence,
    /// Remarks; the first one summarises the verdict.
    pub notes: Vec<StrictnessNote>,
}

/// Everything C2, C3 and C6 found.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MinimaReport {
    /// C2.
    pub minimum_set: MinimumSet,
    /// C3.
    pub flat: FlatMinima,
    /// C6 (only with a regularizer).
    pub strictness: Option<Strictness>,
}

/// A claimed flat point against the flat points found.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClaimCheck {
    /// The claimed coordinates (decimal, 20 digits).
    pub claimed: Vec<String>,
    /// True when a found flat point lies within the tolerance.
    pub matched: bool,
    /// Index of the nearest found flat point (in [`FlatMinima::flat_points`]), if any.
    pub nearest: Option<usize>,
    /// Max-norm distance to it (decimal, 3 digits), if any.
    pub distance: Option<String>,
}

/// [`crate::compare_flat`]'s answer.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FlatComparison {
    /// One entry per claimed point.
    pub claims: Vec<ClaimCheck>,
    /// Found flat points that no claim matched (indices into `flat_points`).
    pub unclaimed: Vec<usize>,
    /// The tolerance: max-norm distance `<= tolerance * max(1, |claimed|)`.
    pub tolerance: f64,
    /// True when every claim matched and every found flat point was claimed.
    pub all_matched: bool,
    /// Remarks (e.g. positive-dimensional flat sets cannot be compared point by point).
    pub notes: Vec<ComparisonNote>,
}
