//! The typed explanations inside the results of C2, C3 and C6: how a value was found, why a
//! rule failed, which remark applies. Each carries the facts (counts, exact values as the
//! strings they already are, expressions, flags); the wording belongs to the renderer
//! (ngd-report). Serialized as objects tagged by `kind` (snake case).

// The shape of `f` is the one C1 reports (one type for the same fact).
pub use ngd_check::ObjectiveShape;
use ngd_check::Outer;
use serde::Serialize;

/// How `M` is described.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SetDescription {
    /// `M = {g = 0}` for a scalar `g`.
    LevelSet {
        /// The expression `g`.
        g: String,
    },
    /// `M = {G = 0}` for the residuals `G`.
    ResidualZeros {
        /// The number of residuals.
        residuals: usize,
    },
    /// `M = argmin f`, minimizers found numerically.
    Argmin,
}

/// Why `f >= bound` holds, or that no bound is known.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LowerBoundReason {
    /// `f = c h(g)` with `c > 0` and `h >= 0`, so `f >= 0`.
    EvenOuter {
        /// The coefficient `c` (exact rational).
        c: String,
        /// The outer function `h`.
        outer: Outer,
    },
    /// `f = sum_i c_i g_i^2 + c_0` with every `c_i > 0`, so `f >= c_0`.
    SumOfSquares {
        /// The constant term `c_0` (exact rational).
        constant: String,
    },
    /// `f = sum_i c_i h_i(g_i) + c_0` with every `c_i > 0` and every loss `h_i` proved
    /// `h_i(t) >= h_i(0) = 0` (a power `t^(2k)`, `|t|`, or a formula proved increasing in
    /// `|t|`), so `f >= c_0`.
    SumOfLosses {
        /// The constant term `c_0` (exact rational).
        constant: String,
    },
    /// No structural bound recognised.
    NoneRecognised,
}

/// How `inf f` and its attainment were established.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InfimumMethod {
    /// The structural lower bound, attained at a zero of the residuals proved by a Krawczyk
    /// test on a square subsystem (box of relative half-width `1e-9`).
    StructuralBoundAttained {
        /// The coordinates of the square subsystem (1-based), the others fixed.
        subsystem: Vec<usize>,
        /// The value of `f` there (the bound).
        value: String,
    },
    /// A zero of the residuals refined by minimum-norm Newton in MPFR, existence not
    /// certified.
    NewtonZero,
    /// No point of `M` found in the box.
    NoPointOfM,
    /// No local minimizer of a general `f` found in the box.
    NoLocalMinimizer,
    /// The smallest value over damped-Newton minimizations (no structural bound).
    SmallestOfMinimizations {
        /// The number of random starts.
        starts: usize,
    },
}

/// What was ranked to get the local dimension of `M`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DimensionMethod {
    /// `n - rank(grad g)` at the samples (`M = {g = 0}`).
    GradientRank,
    /// `n - rank(J_G)` at the samples (`M = {G = 0}`, Morse–Bott `f`).
    JacobianRank,
    /// The nullity of `Hess f` at the minimizers found.
    HessianNullity,
}

/// How samples of `M` were grouped into components.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComponentsMethod {
    /// Curve continuation from each sample not yet covered.
    CurveContinuation,
    /// Isolated points, one component each.
    IsolatedPoints,
    /// Union of samples joined by projected walks between near neighbours.
    ProjectedWalks,
    /// Single linkage of the minimizers found.
    SingleLinkage {
        /// The linkage distance.
        distance: f64,
    },
}

/// A remark on the minimum set (C2).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MinimumSetNote {
    /// No zero of the residuals found by projection.
    NoZeroOfResiduals {
        /// The random starts projected by Gauss–Newton.
        starts: usize,
    },
    /// No point of `M` found in the box (general path).
    NoPointOfM,
    /// The fallback minimization found no minimizer either.
    MinimizationFoundNothing,
    /// No zero of the residuals: `argmin f` was searched by minimization instead.
    SearchedByMinimization {
        /// The smallest value found (decimal).
        smallest: String,
    },
}

/// What the higher-order probes along `M` saw in one direction; the order is that of the
/// renderer's sentences (alphabetical), so sorted lists read the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProbeBehaviour {
    /// The function decreases on both sides.
    DecreasesOnBothSides,
    /// The function increases on both sides.
    IncreasesOnBothSides,
    /// It increases on one side and decreases on the other.
    IncreasesOnOneSide,
    /// The two smallest scales disagree or a difference is below the threshold.
    Undecided,
}

/// How the classification of a critical point was reached.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClassificationDetail {
    /// The function could not be evaluated at the refined point.
    EvaluationFailed,
    /// The projected Hessian has eigenvalues of both signs.
    Saddle {
        /// Positive eigenvalues.
        positive: usize,
        /// Negative eigenvalues.
        negative: usize,
    },
    /// The projected Hessian is positive definite.
    PositiveDefinite,
    /// The projected Hessian is negative definite.
    NegativeDefinite,
    /// The projected Hessian is singular; probes along `M` decided.
    Degenerate {
        /// The number of null directions.
        null_directions: usize,
        /// The relative threshold for a zero eigenvalue.
        threshold: f64,
        /// The number of probe directions.
        probe_directions: usize,
        /// The distinct behaviours seen, sorted.
        behaviours: Vec<ProbeBehaviour>,
    },
    /// An isolated minimizer of a general `f` (eigenvalues of `Hess f`).
    IsolatedMinimizer,
}

/// The sharpness used by C3.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Sharpness {
    /// `s = |grad g|^2` restricted to `M = {g = 0}`.
    GradientNormOnM,
    /// The Morse–Bott criteria `lambda_max`, `trace` and `m_eps` along `M`.
    MorseBott,
    /// `lambda_max(Hess f)` and `trace(Hess f)` at the minimizers of a general `f`.
    GeneralHessian,
}

/// A remark on the flat minima (C3).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FlatNote {
    /// Lagrange points of `s` with a singular projected Hessian, classified by probes.
    DegenerateLagrangePoints {
        /// How many.
        count: usize,
    },
    /// Some flat points are only local minima of `s` on `M`.
    LocalOnly,
    /// Flat points are interior local minima; boundary minima are not listed.
    InteriorOnly,
    /// `phi` is undefined at some Lagrange points of `s`.
    PhiUndefinedAtLagrangePoints,
    /// `M` is a set of isolated points, each trivially flat (general path).
    IsolatedTriviallyFlat,
    /// General `f` with a positive-dimensional `M`: criteria only evaluated at minimizers.
    GeneralHessianAtMinimizers {
        /// The dimension of `M`.
        dimension: usize,
        /// The smallest `lambda_max(Hess f)` seen.
        lambda_max: f64,
        /// The smallest `trace(Hess f)` seen.
        trace: f64,
    },
    /// The Morse–Bott criteria were minimized by Riemannian descent.
    MorseBottDescent {
        /// The dimension of `M` at the samples.
        dimension: usize,
        /// The runs from sampled points.
        runs: usize,
    },
    /// `M` is finite: each point is trivially flat (least-squares path).
    FiniteM,
    /// The sharpness takes one value on every sample of `M` (to the relative tolerance), so
    /// every point of `M` minimizes it on `M`: the flat set is `M` (numerical evidence; the
    /// Lagrange search of the sharpness is skipped).
    SharpnessConstantOnM {
        /// The common value (the mean over the samples).
        value: f64,
        /// `max - min` over the samples.
        spread: f64,
        /// The samples of `M` evaluated.
        samples: usize,
        /// The relative tolerance: `spread <= tolerance * max(1, |value|)`.
        tolerance: f64,
    },
    /// Lagrange points of the sharpness on sets of positive dimension were grouped into
    /// components by single linkage of their samples.
    SetsBySingleLinkage {
        /// The linkage distance.
        distance: f64,
    },
}

/// Which minimizers a set is made of.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SetCriterion {
    /// The minimizers of `trace(Hess f)` on `M`.
    TraceMinimizers,
    /// The minimizers of `lambda_max(Hess f)` on `M` (second-order flatness only).
    LambdaMaxMinimizers,
    /// The minimizers of `phi` on `M`.
    PhiMinimizers,
    /// The minimizers of `phi` on `M`, as the set `S` of C6.
    S,
    /// The minimizers of a general `f` found (flatness not decided).
    GeneralMinimizers,
}

/// How `m_eps` compares at the trace minimizers with the other `lambda_max` minimizers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Separation {
    /// Smaller at the trace minimizers: the higher-order terms single them out.
    TraceSingledOut,
    /// Equal within `1e-9` relative: not separated at this radius.
    NotSeparated,
    /// Not smaller at the trace minimizers.
    NotSmaller,
}

/// One finding of the Morse–Bott criteria: which set a criterion singles out.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MorseBottFinding {
    /// Where `trace(Hess f)` attains its minimum.
    TraceMinimum {
        /// The minimum.
        value: f64,
        /// The dimension of the minimizing set, if estimated.
        dimension: Option<usize>,
        /// The fraction of runs ending there.
        fraction: f64,
        /// The runs.
        runs: usize,
    },
    /// Where `lambda_max(Hess f)` attains its minimum, and the trace over those minimizers.
    LambdaMaxMinimum {
        /// The minimum.
        value: f64,
        /// The dimension of the minimizing set, if estimated.
        dimension: Option<usize>,
        /// The fraction of runs ending there.
        fraction: f64,
        /// The runs.
        runs: usize,
        /// `(min, max)` of the trace over these minimizers.
        trace_range: (f64, f64),
        /// True when `lambda_max` ties on a larger set than the trace minimizers.
        larger_set: bool,
    },
    /// `lambda_max` at the trace minimizers.
    LambdaMaxAtTraceMinimizers {
        /// `(min, max)` of `lambda_max` there.
        range: (f64, f64),
        /// True when they also minimize `lambda_max`.
        minimizes: bool,
    },
    /// `m_eps` at the trace minimizers against the other `lambda_max` minimizers.
    WorstCaseSeparation {
        /// The radius.
        eps: f64,
        /// The largest `m_eps` at the trace minimizers.
        trace_max: f64,
        /// The smallest `m_eps` at the `lambda_max` minimizers that do not minimize the trace.
        others_min: f64,
        /// The comparison.
        verdict: Separation,
    },
    /// `m_eps` at the trace minimizers (nothing to compare with).
    WorstCaseAtTrace {
        /// The radius.
        eps: f64,
        /// The largest `m_eps` there.
        trace_max: f64,
    },
}

/// How `S` was compared with the flat set.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SComparison {
    /// `S` or the flat set is empty.
    NothingToCompare,
    /// Every point of `S` is flat and every flat point is in `S`.
    AllFlat {
        /// The points of `S`.
        points: usize,
    },
    /// Some points differ.
    Mismatch {
        /// The points of `S`.
        points: usize,
        /// Points of `S` that are not flat.
        not_flat: usize,
        /// Flat points not in `S`.
        flat_not_in_s: usize,
    },
    /// `S` or the flat set has positive dimension: set distances over their samples.
    SetDistance(crate::sets::SetComparison),
    /// Sets (Morse–Bott case): the criteria evaluated on each other's minimizers.
    Sets {
        /// `(min, max)` of `phi` at the trace minimizers.
        phi_at_trace: Option<(f64, f64)>,
        /// `(min, max)` of the trace at the minimizers of `phi`.
        trace_at_s: Option<(f64, f64)>,
        /// The minimum of the trace.
        trace_min: f64,
        /// The dimension of `S`.
        s_dimension: Option<usize>,
        /// The dimension of the set of trace minimizers.
        trace_dimension: Option<usize>,
    },
}

/// A function C6 checks for smoothness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// `f`.
    F,
    /// `phi`.
    Phi,
    /// `g`.
    G,
    /// `f + phi`.
    FPlusPhi,
    /// `phi` or `g` (one tape holds both).
    PhiOrG,
}

/// A place where an expression may fail to be `C^2`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Kink {
    /// The subexpression with the kink, e.g. `"abs(x - y)"`.
    pub expression: String,
    /// Where the kink is, e.g. `"x - y = 0"`.
    pub condition: String,
}

/// Why a function is not proved `C^2` on `B`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SmoothnessFailure {
    /// The kinks of `function` that meet `B`.
    Kinks {
        /// The function.
        function: Part,
        /// The kinks meeting `B` (at least one).
        kinks: Vec<Kink>,
    },
    /// Not proved `C^2` on `B`, no kink located.
    NotProved {
        /// The function.
        function: Part,
    },
    /// The interval evaluation failed on `B`.
    NotEvaluable {
        /// The function.
        function: Part,
        /// The evaluation error.
        error: String,
    },
}

/// What was proved smooth on `B`, or why it was not.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Smoothness {
    /// `f + phi`, its gradient and its Hessian are proved `C^2` on `B`.
    SmoothRule,
    /// `f = c|g|` has its kink on `M`; `phi` and `g` are proved `C^2` on `B`.
    NonsmoothRule,
    /// What failed (at least one entry).
    Failures {
        /// The failures.
        failures: Vec<SmoothnessFailure>,
    },
}

/// Why the Krawczyk test on the Lagrange system of `phi` on `M` did not prove a point.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LagrangeFailure {
    /// `phi` or `g` is not proved `C^2` on `B`.
    NotSmooth,
    /// The Lagrange system cannot be evaluated on `B`.
    NotEvaluable {
        /// The evaluation error.
        error: String,
    },
    /// The test itself failed on `B x Lambda`.
    KrawczykFailed,
}

/// The quantitative bound of the nonsmooth rule on all of `B` (crate docs).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BoxBound {
    /// The proved tangent curvature.
    pub sigma: f64,
    /// `c - max |Lambda|`.
    pub kappa: f64,
    /// A lower bound of `beta`.
    pub beta: f64,
}

/// Why a point of `S` is (not) proved a strict local minimum of `f + phi`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StrictnessReason {
    /// Not applicable: the projected Hessian of `phi` on `M` is singular at `s`.
    DegenerateMinimum,
    /// Not applicable: `f = c|g|` but `phi` or `g` is not proved `C^2` on `B`.
    NonsmoothRuleNeedsSmooth {
        /// What failed.
        failures: Vec<SmoothnessFailure>,
    },
    /// Not applicable: a function cannot be evaluated on `B`.
    NotSmooth {
        /// What failed.
        failures: Vec<SmoothnessFailure>,
    },
    /// Not applicable: `f + phi` is not proved `C^2` on `B` and `f` is not `c|g|`.
    SmoothRuleNeedsSmooth {
        /// What failed.
        failures: Vec<SmoothnessFailure>,
    },
    /// Smooth rule: the interval evaluation of `f + phi` failed on `B`.
    IntervalEvaluationFailed {
        /// The error.
        error: String,
    },
    /// Smooth rule: a component of `grad(f + phi)` excludes 0 on all of `B`.
    GradientAwayFromZero {
        /// The component (1-based).
        component: usize,
        /// Its enclosure on `B`.
        range: [f64; 2],
        /// `grad(f + phi)(s)` in `f64`, `None` where undefined.
        gradient: Option<Vec<f64>>,
        /// True when `B` is proved to contain the point of `S` (then a refutation).
        s_in_box: bool,
    },
    /// Smooth rule: the Krawczyk test proved no critical point.
    NoCriticalPointProved {
        /// `grad(f + phi)(s)` in `f64`, `None` where undefined.
        gradient: Option<Vec<f64>>,
    },
    /// Smooth rule proved: one critical point and `Hess(f + phi)` positive definite on `B`.
    SmoothProved,
    /// Smooth rule refuted: a certified negative curvature at the critical point.
    SaddleRefuted {
        /// The smallest eigenvalue of `Hess(f + phi)` at `s`.
        eigenvalue: f64,
        /// An upper bound of `v^T Hess(f + phi) v` on `B`.
        bound: f64,
    },
    /// A negative eigenvalue, not certified.
    NegativeEigenvalue {
        /// The eigenvalue.
        eigenvalue: f64,
    },
    /// `Hess(f + phi)` is singular to working accuracy.
    SingularHessian {
        /// The smallest eigenvalue.
        eigenvalue: f64,
    },
    /// Interval Cholesky failed although the eigenvalues look positive.
    CholeskyFailed {
        /// The pivot (1-based).
        pivot: usize,
        /// Its lower bound.
        lower: f64,
    },
    /// Nonsmooth rule, step (i) failed.
    LagrangeFailed {
        /// Why.
        failure: LagrangeFailure,
    },
    /// Nonsmooth rule, step (i) not run: no multiplier at this point.
    NoMultiplier,
    /// Nonsmooth rule refuted: `|lambda| > c`.
    MultiplierAboveC {
        /// The enclosure of `lambda`.
        multiplier: [f64; 2],
        /// `c` (exact rational).
        c: String,
    },
    /// Nonsmooth rule: `|lambda| < c` not proved.
    MultiplierUndecided {
        /// The enclosure of `lambda`.
        multiplier: [f64; 2],
        /// `c` (exact rational).
        c: String,
    },
    /// Nonsmooth rule, step (iii): no tangent basis on `B`.
    NoTangentBasis,
    /// Nonsmooth rule proved.
    NonsmoothProved {
        /// The enclosure of `lambda`.
        multiplier: [f64; 2],
        /// `c` (exact rational).
        c: String,
        /// The bound on all of `B`, when it holds.
        bound: Option<BoxBound>,
    },
    /// Nonsmooth rule refuted: a tangent direction of negative curvature.
    TangentCurvatureRefuted {
        /// An upper bound of the curvature over `B x Lambda`.
        bound: f64,
    },
    /// Nonsmooth rule, step (iii): interval Cholesky failed.
    TangentCholeskyFailed {
        /// The pivot (1-based).
        pivot: usize,
        /// Its lower bound.
        lower: f64,
        /// The smallest tangent eigenvalue (numerical).
        smallest_eigenvalue: f64,
    },
}

impl StrictnessReason {
    /// True for the reasons why no rule applies.
    pub fn is_not_applicable(&self) -> bool {
        matches!(
            self,
            StrictnessReason::DegenerateMinimum
                | StrictnessReason::NonsmoothRuleNeedsSmooth { .. }
                | StrictnessReason::NotSmooth { .. }
                | StrictnessReason::SmoothRuleNeedsSmooth { .. }
        )
    }
}

/// An exact identification of the proved point with a rational point.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExactIdentification {
    /// `g(q) = 0` and `grad(f + phi)(q) = 0` exactly with `q` in `B`.
    CriticalPoint {
        /// The rational point `q`.
        point: Vec<String>,
    },
    /// `g(q) = 0` and `grad phi(q) = lambda grad g(q)` exactly with `q` in `B`.
    LagrangePoint {
        /// The rational point `q`.
        point: Vec<String>,
        /// The exact multiplier `lambda`.
        multiplier: String,
    },
}

/// What a positive-dimensional `S` means for strictness.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SetNote {
    /// `f + phi` is constant on `S`, so no point of it is a strict local minimum.
    ConstantOnS {
        /// The dimension of `S`.
        dimension: Option<usize>,
        /// `Hess(f + phi)` positive definite transversally (numerical evidence).
        transversally_pd: bool,
    },
}

/// How C6 fell short at some point of `S`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shortfall {
    /// Some points are proved not to be strict local minima.
    Refuted {
        /// Refuted points.
        refuted: usize,
        /// All points.
        total: usize,
    },
    /// No rule applies at any point.
    NoneApplicable {
        /// All points.
        total: usize,
    },
    /// Only some points are proved.
    Partial {
        /// Proved points.
        proved: usize,
        /// All points.
        total: usize,
    },
}

/// A remark on C6.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StrictnessNote {
    /// No isolated point of `S` to check.
    NoIsolatedPointOfS,
    /// Every point of `S` found is proved.
    AllProved {
        /// The points.
        count: usize,
    },
    /// Not every point is proved; the first refuted (else unproved) point and its reason.
    NotAllProved {
        /// How C6 fell short.
        shortfall: Shortfall,
        /// The point (`f64`).
        at: Vec<f64>,
        /// Its reason.
        reason: Option<StrictnessReason>,
    },
    /// `f = c|g|`: the nonsmooth rule is used where `phi` and `g` are smooth.
    NonsmoothRuleUsed,
    /// `S` differs from the flat set: C6 is checked at the points of `S`.
    SDiffersFromFlat,
    /// General path: `M` has positive dimension, `S` not located.
    GeneralPositiveDimension {
        /// The dimension of `M`.
        dimension: usize,
    },
    /// General path: no isolated point of `M`.
    NoIsolatedPointOfM,
    /// General path: `M` is finite, `S` the minimizers of `phi` among its points.
    GeneralFiniteM,
    /// `S` has positive dimension: never proved.
    PositiveDimensionalS {
        /// The dimension of `S`.
        dimension: usize,
    },
    /// The dimension of `S` could not be estimated.
    SDimensionUnknown,
    /// Newton on `grad(f + phi) = 0` moved far from a point of `S`.
    NotCritical {
        /// The index of the point of `S`.
        point: usize,
        /// How far it moved (max norm).
        moved: f64,
    },
    /// Least-squares path: `S` is finite, its points from Riemannian descent.
    LeastSquaresFiniteS,
}

/// A remark on the comparison of claimed flat points with the found ones.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComparisonNote {
    /// The flat minima are positive-dimensional sets: only isolated points are compared.
    PositiveDimensionalFlatSets,
}
