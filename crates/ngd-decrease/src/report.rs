//! The data C4 returns (no formatting: the CLI renders it).

use crate::verdict::{DecreaseBasis, LocalBasis};
use ngd_check::Evidence;
use serde::Serialize;

/// The sign class of `Q` at a point of `M` (numerical, `f64`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QSign {
    /// `Q < 0`: `phi` decreases at second order under one NGD step.
    Negative,
    /// `Q > 0`: one NGD step increases `phi` near this point.
    Positive,
    /// `|Q|` below the relative zero tolerance.
    Zero,
    /// `phi` or its Hessian is undefined (a pole or a domain error) or not finite.
    Undefined,
    /// Inside the excluded neighbourhood of `S = argmin_M phi`, where `Q` must vanish.
    NearS,
}

impl QSign {
    /// Short label for reports.
    pub fn label(self) -> &'static str {
        match self {
            QSign::Negative => "Q < 0",
            QSign::Positive => "Q > 0",
            QSign::Zero => "Q = 0",
            QSign::Undefined => "phi undefined",
            QSign::NearS => "near S",
        }
    }
}

/// Sample counts per sign class.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SignCounts {
    /// Points with `Q < 0`.
    pub negative: usize,
    /// Points with `Q > 0`.
    pub positive: usize,
    /// Points with `Q = 0` (to tolerance).
    pub zero: usize,
    /// Points where `phi` is undefined.
    pub undefined: usize,
    /// Points in the excluded neighbourhood of `S`.
    pub near_s: usize,
}

/// A maximal stretch of a traced branch of `M` on which the sign class of `Q` is constant.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SignSegment {
    /// The sign class.
    pub sign: QSign,
    /// First sampled point of the stretch.
    pub from: Vec<f64>,
    /// Last sampled point of the stretch.
    pub to: Vec<f64>,
    /// Sampled points in it.
    pub points: usize,
    /// Smallest and largest finite `Q` in it (`None` when undefined throughout).
    pub q_range: Option<(f64, f64)>,
}

/// The sign pattern of `Q` along one traced branch of a curve `M`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BranchPattern {
    /// Branch index (0-based, in order of discovery).
    pub index: usize,
    /// Points of the traced polyline.
    pub points: usize,
    /// Closed inside the box (true), leaves it at both ends (false), unknown (`None`).
    pub closed: Option<bool>,
    /// True when a point of `S` lies on this branch.
    pub contains_s: bool,
    /// The stretches in order along the branch.
    pub segments: Vec<SignSegment>,
}

/// Sign counts on one component of a minimum set of dimension other than 1.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ComponentPattern {
    /// Component index.
    pub index: usize,
    /// A sampled point of it.
    pub representative: Vec<f64>,
    /// True when `S` meets it.
    pub contains_s: bool,
    /// Counts of its samples by sign class.
    pub counts: SignCounts,
    /// Smallest and largest finite `Q` over its samples outside the neighbourhood of `S`.
    pub q_range: Option<(f64, f64)>,
}

/// What happens at an exceptional point of a branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionalKind {
    /// `Q` changes sign.
    SignChange,
    /// `phi` stops (or starts) being defined, or `Q` changes sign through a pole of `phi`.
    Pole,
}

/// A point of `M` where the sign pattern of `Q` changes, located by bisection along the
/// branch (each trial point projected back onto `M`); numerical evidence.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ExceptionalPoint {
    /// Branch index.
    pub branch: usize,
    /// The located point.
    pub point: Vec<f64>,
    /// What changes there.
    pub kind: ExceptionalKind,
    /// The sign classes on the two sides, in order along the branch.
    pub between: (QSign, QSign),
    /// Distance between the last two bracketing points (the accuracy of `point`).
    pub bracket: f64,
}

/// One certified box.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CertifiedBox {
    /// Lower corner (`f64`, exact binary rationals).
    pub lo: Vec<f64>,
    /// Upper corner.
    pub hi: Vec<f64>,
    /// Largest step covered: the statement holds for `0 < a <= a_max`.
    pub a_max: f64,
    /// The certified constant: `phi(x - a u) - phi(x) <= -c a^2`.
    pub c: f64,
}

/// How `a_max` relates to a certified box (`xi` ranges over the box enlarged by `a_max`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AMaxRule {
    /// `a_max` is half the largest side of the box (exact cover).
    HalfLargestSide,
    /// `a_max` is the half-width of the box (sampled cover).
    HalfWidth,
}

/// What the sampled cover (`n > 3`) measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CoverMeasure {
    /// Arc length of the traced branches of a curve `M`.
    ArcLength,
    /// Number of sampled points, `M` being a set of isolated points.
    IsolatedPoints,
    /// Number of sampled points of `M`.
    SampledPoints,
}

/// Why the sampled cover stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CertificateStop {
    /// The budget of trial boxes ([`crate::DecreaseOptions::max_trials`]) was used up.
    TrialBudget {
        /// The budget.
        max_trials: usize,
    },
}

/// The budget that stopped the exact cover early.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CoverLimit {
    /// The box budget ([`crate::DecreaseOptions::max_boxes`]) was reached.
    BoxBudget {
        /// The budget.
        max_boxes: usize,
    },
    /// Boxes reached the minimum width and were left undecided.
    MinimumWidth {
        /// The minimum width (largest side).
        min_width: f64,
        /// Bisections per side ([`crate::DecreaseOptions::max_depth`]).
        max_depth: u32,
    },
}

/// The sampled cover used for `n > 3` (docs/math.md C4, the paper's Prop 2.6): boxes `B` around
/// sampled points of `M` with `phi(x - a u) - phi(x) <= -c a^2` for every `x` in `B`, every
/// `u` in the normalized directions `N f(x)` and every `0 < a <= a_max`, each proved by
/// outward-rounded interval bounds. That they cover `M` between the samples is not proved.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DecreaseCertificate {
    /// Numerical evidence when every sampled point of `M \ S` with `Q < 0` is covered;
    /// inconclusive when part is left (budget, boxes that would not certify).
    pub evidence: Evidence,
    /// Number of certified boxes.
    pub boxes: usize,
    /// Interval evaluations (trial boxes) spent, certified or not.
    pub trials: usize,
    /// The smallest certified `c` over the boxes.
    pub min_c: Option<f64>,
    /// The smallest and largest box half-width.
    pub radius_range: Option<(f64, f64)>,
    /// How `a_max` relates to the box.
    pub a_max_rule: AMaxRule,
    /// What was to be covered.
    pub measure: CoverMeasure,
    /// The amount to cover (arc length, or number of points) where `Q < 0` outside the
    /// neighbourhood of `S`.
    pub eligible: f64,
    /// The part of it covered by certified boxes.
    pub covered: f64,
    /// `covered / eligible` (1 when nothing was eligible).
    pub fraction: f64,
    /// The same three numbers restricted to the local region around `S` (see
    /// [`DecreaseReport::local_region`]).
    pub local_eligible: f64,
    /// Covered part of the local region.
    pub local_covered: f64,
    /// `local_covered / local_eligible`.
    pub local_fraction: f64,
    /// A few points of `M` with `Q < 0` that no certified box covers.
    pub uncovered: Vec<Vec<f64>>,
    /// The first-order fact the certificate uses (`Conserved` or `Lyapunov`).
    pub first_order: FirstOrder,
    /// Why the search stopped early, if it did.
    pub stopped: Option<CertificateStop>,
    /// The box with the smallest `c`, and a few others (all boxes are not listed).
    pub examples: Vec<CertifiedBox>,
}

/// Why a box of the exact cover was left undecided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UndecidedReason {
    /// A point of `M` in the box (located numerically) has `Q >= 0` there, so no
    /// certificate can hold on the box; it is not refined below the coarse width.
    QNotNegative,
    /// The box reached the minimum width (`max_depth` bisections per coordinate).
    MinimumWidth,
    /// The box budget (`max_boxes`) was reached before the box could be split.
    BoxBudget,
}

impl UndecidedReason {
    /// Short label for reports.
    pub fn label(self) -> &'static str {
        match self {
            UndecidedReason::QNotNegative => "Q >= 0 at a point of M in it",
            UndecidedReason::MinimumWidth => "minimum width reached",
            UndecidedReason::BoxBudget => "box budget reached",
        }
    }
}

/// A box of the exact cover that was neither excluded, proved disjoint from `M`, nor
/// certified.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UndecidedBox {
    /// Lower corner (`f64` rounding of the exact rational corner).
    pub lo: Vec<f64>,
    /// Upper corner.
    pub hi: Vec<f64>,
    /// Why it is undecided.
    pub reason: UndecidedReason,
    /// A point of `M` in it (numerical projection of the centre), with `Q` there.
    pub point_of_m: Option<(Vec<f64>, f64)>,
}

/// The exact point of `S` a closing argument uses.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExactCentre {
    /// A rational point (exact rationals as strings, e.g. `"1/2"`).
    Rational {
        /// Its coordinates.
        coordinates: Vec<String>,
    },
    /// The point of `M` on the fixed line of a plane symmetry.
    FixedLine {
        /// The symmetry, e.g. `"(x, y) -> (y, x)"`.
        symmetry: String,
    },
}

/// The box `K` of a closing argument (`f64` corners).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChartBox {
    /// The names of the variables.
    pub variables: Vec<String>,
    /// Lower corner.
    pub lo: Vec<f64>,
    /// Upper corner.
    pub hi: Vec<f64>,
}

/// A proved chart of `M` on `K`: `M ∩ K` is the graph of `coordinate` over the others, and
/// the second derivative of `Q` along every straight chart path is proved negative there.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Chart {
    /// The graph coordinate `x_k`.
    pub coordinate: String,
    /// The box `K` (contains the excluded box).
    pub chart_box: ChartBox,
    /// Sub-boxes on which interval Cholesky proved the concavity.
    pub proved_boxes: usize,
}

/// The closing argument of an excluded neighbourhood of a point of `S` (docs/math.md C4),
/// or why it failed.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClosureArgument {
    /// Not attempted: the argument is implemented for `f = c h(g)` only.
    NotImplemented,
    /// `grad g` is not finite at the point of `S`.
    GradientNotFinite,
    /// `grad g` vanishes at the point of `S`.
    GradientVanishes,
    /// `M` is not proved to be a graph over the coordinates other than `coordinate`.
    NoChart {
        /// The chart coordinate tried.
        coordinate: String,
    },
    /// The second derivative of `Q` along `M` is not proved negative on the chart box.
    NotConcave {
        /// The chart box.
        chart_box: ChartBox,
        /// Centre of the first sub-box where the test failed.
        failed_near: Option<Vec<f64>>,
    },
    /// Closed: `s` is rational and exact evaluation gives `g(s) = 0`, `Q(s) = q <= 0` and
    /// `grad Q(s)` parallel to `grad g(s)`.
    RationalPoint {
        /// `s` (exact rationals).
        point: Vec<String>,
        /// `Q(s)` (exact rational).
        q: String,
        /// The chart.
        chart: Chart,
    },
    /// Closed: a plane symmetry leaving `g` and `phi` invariant places a point `s*` of `M`
    /// with `Q(s*) = 0` on its fixed line, between two rational points where `g` has
    /// opposite exact signs.
    Symmetry {
        /// The symmetry, e.g. `"(x, y) -> (y, x)"`.
        symmetry: String,
        /// One end of the segment of the fixed line (`f64` of the exact point).
        from: Vec<f64>,
        /// The other end.
        to: Vec<f64>,
        /// The chart.
        chart: Chart,
    },
    /// Open: the chart holds but the point of `S` is neither rational nor placed by a
    /// symmetry.
    PointNotExact {
        /// The chart.
        chart: Chart,
    },
}

/// The sublevel region excluded around a positive-dimensional `S`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LevelExclusion {
    /// Boxes on which a proved enclosure of `phi` lies below this are excluded.
    pub phi_below: f64,
}

/// A neighbourhood of a point of `S` that the exact cover leaves out, and whether it was
/// closed by a rigorous local argument.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ExcludedBall {
    /// The point of `S` (from C3, `f64`).
    pub centre: Vec<f64>,
    /// The exact point used by the closing argument, when there is one (rationals, or the
    /// point of `M` on a symmetry axis described in `argument`).
    pub exact_centre: Option<ExactCentre>,
    /// The excluded box: the box of the cover's bisection grid that contains the max-norm
    /// ball of radius `requested_radius` around `centre`.
    pub lo: Vec<f64>,
    /// Upper corner of the excluded box.
    pub hi: Vec<f64>,
    /// The radius asked for (`exclusion_radius * max(1, |s|)`).
    pub requested_radius: f64,
    /// The max-norm radius of the excluded box around `centre` (the smallest max-norm
    /// ball around `centre` that contains it).
    pub radius: f64,
    /// True when `Q < 0` is proved on `M` inside the box except at one point where `Q = 0`.
    pub closed: bool,
    /// The closing argument, or why the ball is left open.
    pub argument: ClosureArgument,
    /// Boxes examined by the closing argument (faces and volume).
    pub boxes: usize,
    /// The local region around this point: a box of the grid containing the max-norm ball
    /// of radius `local_factor * requested_radius`.
    pub local_lo: Vec<f64>,
    /// Upper corner of the local region.
    pub local_hi: Vec<f64>,
}

/// The exact cover of the search box behind "C4 on M \ S: proved" (`n <= 3` variables).
///
/// The search box is bisected at exact rational midpoints; every box of the resulting exact
/// cover is (a) inside an excluded neighbourhood of `S`, (b) proved disjoint from `M` (an
/// interval enclosure of `g`, or of some residual `g_i`, excludes 0), (c) certified
/// (`phi(x - a u) - phi(x) <= -c a^2` for every `x` in it, every normal direction `u` at `x`
/// and `0 < a <= a_max`, by interval Cholesky), or (d) undecided.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ExactCover {
    /// Proved when no box is undecided; numerical evidence otherwise (the fractions say how
    /// much was certified).
    pub evidence: Evidence,
    /// Boxes examined (every box of the bisection tree).
    pub examined: usize,
    /// Leaves proved disjoint from `M`.
    pub disjoint: usize,
    /// Leaves certified.
    pub certified: usize,
    /// Leaves inside an excluded neighbourhood of `S`.
    pub excluded: usize,
    /// Leaves left undecided.
    pub undecided: usize,
    /// Undecided leaves per reason: `Q >= 0` at a point of `M`, minimum width, box budget.
    pub undecided_by_reason: (usize, usize, usize),
    /// The smallest certified `c`.
    pub min_c: Option<f64>,
    /// The smallest and largest `a_max` of the certified boxes; the smallest is a step
    /// bound valid on every certified box.
    pub a_max_range: Option<(f64, f64)>,
    /// How `a_max` relates to a box.
    pub a_max_rule: AMaxRule,
    /// Volume of the certified leaves over the volume of the certified and undecided
    /// leaves (the part of the box near `M` outside the excluded neighbourhoods); 1 when
    /// nothing is near `M`.
    pub covered_fraction: f64,
    /// The same restricted to the local regions around `S` (`None` without points of `S`).
    pub local_covered_fraction: Option<f64>,
    /// Undecided leaves that meet a local region.
    pub local_undecided: usize,
    /// The budgets: at most this many boxes, and boxes narrower than `min_width` (largest
    /// side) are not split.
    pub max_boxes: usize,
    /// The minimum width.
    pub min_width: f64,
    /// The budget that stopped the search early, if one did.
    pub limit: Option<CoverLimit>,
    /// The first-order fact the certificate uses (`Conserved` or `Lyapunov`).
    pub first_order: FirstOrder,
    /// The excluded neighbourhoods of the points of `S`.
    pub balls: Vec<ExcludedBall>,
    /// For a positive-dimensional `S`: the excluded sublevel region.
    pub level_exclusion: Option<LevelExclusion>,
    /// The certified box with the smallest `c`, and a few others.
    pub examples: Vec<CertifiedBox>,
    /// A few undecided boxes.
    pub undecided_examples: Vec<UndecidedBox>,
    /// Every box examined, one letter each in the order examined (breadth first: `b`
    /// bisected at the midpoint of its widest side, its halves queued lower first; leaves `x`
    /// excluded, `d` disjoint from `M`, `c` certified with `c = min_c`, `u` undecided):
    /// `recheck` rebuilds the leaves from the search box and re-proves each.
    pub tree: String,
}

/// A point and a step at which one NGD step increases `phi`, re-checked by outward-rounded
/// interval arithmetic at the exact rational point.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DecreaseRefutation {
    /// The start point `x0` (exact rationals, printed as decimals or fractions).
    pub point: Vec<String>,
    /// The step size `a` (exact).
    pub step: String,
    /// The point of `M` it was built from (`f64`).
    pub near: Vec<f64>,
    /// `Q` there (`f64`).
    pub q_near: f64,
    /// Enclosure of `phi(x0)`.
    pub phi_before: (f64, f64),
    /// Enclosure of `phi(x0 - a grad f(x0)/|grad f(x0)|)` (the direction enclosed too).
    pub phi_after: (f64, f64),
    /// A certified lower bound of the increase.
    pub increase_at_least: f64,
    /// True when the point of `M` lies in the local region around `S`.
    pub in_local_region: bool,
}

/// The decrease order `q` fitted at one point near `M`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OrderFit {
    /// The point of `M` (`f64`).
    pub point: Vec<f64>,
    /// `Q` there.
    pub q_value: f64,
    /// `(a, phi(x - a u) - phi(x))` for the step sizes tried (MPFR, rounded to `f64`).
    pub steps: Vec<(f64, f64)>,
    /// The least-squares slope of `log(-delta phi)` against `log a`, when every step
    /// decreased `phi`.
    pub order: Option<f64>,
}

/// A warning about the step-size schedule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrderWarning {
    /// The schedule's power `p` exceeds `1/q`: `sum_k a_k^q` converges, so the accumulated
    /// decrease of `phi` is bounded and NGD can stall before reaching `S`.
    ScheduleStalls {
        /// The schedule's power `p`.
        power: f64,
        /// The decrease order `q`.
        order: f64,
    },
}

/// The decrease order of one NGD step near `M` (numerical, MPFR).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DecreaseOrder {
    /// The fits.
    pub fits: Vec<OrderFit>,
    /// The largest fitted order, rounded to the nearest integer when within 0.1 of it.
    pub order: Option<f64>,
    /// The schedule's power `p` (`a_k = a0/(k+1)^p`), when known.
    pub schedule_power: Option<f64>,
    /// A warning when `p > 1/q`: `sum_k a_k^q` converges and the decrease can stall.
    pub warning: Option<OrderWarning>,
    /// Numerical evidence.
    pub evidence: Evidence,
}

/// How the first-order term of the Taylor expansion is controlled (from C1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FirstOrder {
    /// `phi` is conserved (C1 proved the identity exactly): the first-order term is 0.
    Conserved,
    /// C1 proved `<grad f, grad phi> >= 0` on the search box: the first-order term is
    /// `<= 0` for NGD directions in the box.
    Lyapunov,
    /// C1 did not establish either: no certificate.
    Unknown,
}

/// The normalized directions of `f` at the minima.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NormalDirections {
    /// `f = c h(g)`: `N f(x) = {±grad g/|grad g|}`.
    Gradient,
    /// `f = sum c_i g_i^2`: the unit sphere of the row space of `J_G`.
    RowSpace {
        /// The number of residuals `g_i`.
        residuals: usize,
    },
}

/// A neighbourhood of `S`: the excluded one, or the local region around it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SNeighbourhood {
    /// Points within `radius max(1, |s|)` (Euclidean) of the `points` points `s` of `S`.
    Balls {
        /// The relative radius.
        radius: f64,
        /// The number of points of `S`.
        points: usize,
    },
    /// Boxes of the exact cover's bisection grid containing the max-norm balls of radius
    /// `radius max(1, |s|)` around the `points` points `s` of `S`.
    GridBoxes {
        /// The relative radius.
        radius: f64,
        /// The number of points of `S`.
        points: usize,
    },
    /// For a set `S`: `phi - min_M phi <= threshold`, with
    /// `threshold = radius^2 * (range of phi over the samples)`.
    Sublevel {
        /// The threshold.
        threshold: f64,
        /// The relative radius.
        radius: f64,
        /// `min_M phi`.
        phi_min: f64,
    },
    /// None: `S` was not located.
    NotLocated,
}

/// A remark of C4: an identity used, or why something was skipped.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DecreaseNote {
    /// `f` is neither `c h(g)` nor `sum c_i g_i^2`: C4 was not run.
    ShapeUnknown,
    /// `<grad g_i, grad phi>` is not identically 0 for this residual: no certificate.
    ResidualNotConserved {
        /// The residual `g_i` (expression).
        residual: String,
    },
    /// Every `<grad g_i, grad phi>` is identically 0 (exact canonical forms).
    ResidualsConserved,
    /// C1 proved only `<grad f, grad phi> >= 0`, which does not control every normal
    /// direction of least squares: no certificate.
    LyapunovNotEnough,
    /// `phi` contains `abs`, `sign`, `max` or `min`: no certificate.
    Kinks,
    /// No point of `M` was found in the box.
    NoPointOfM,
    /// `S` was not located: nothing excluded, the local verdict not decided.
    SNotLocated,
    /// `n` variables exceed [`crate::MAX_EXACT_DIM`]: no exact cover.
    NoExactCover {
        /// The number of variables.
        n: usize,
    },
    /// C1 established neither conservation nor `<grad f, grad phi> >= 0`: no certificate.
    FirstOrderUncontrolled,
    /// The identity `Q = -<grad phi, grad s>/(2 s)` for conserved `phi` and `f = c h(g)`.
    ConservedIdentity,
    /// No sampled point of `M` outside the neighbourhood of `S` has `Q < 0`.
    NothingToCertify,
    /// Least squares with `Q == 0` on `M`, proved: every entry `<grad g_i, Hess(phi) grad g_j>`
    /// vanishes on `M` (exact). No order-2 certificate can hold on a box meeting `M`, and the
    /// degenerate-order analysis is not run for least squares (the NGD direction near `M`
    /// depends on the direction of the residual vector), so C4 stays undecided for this reason.
    LeastSquaresOrderTwoVanishes,
}

/// C4: where `phi` decreases under one NGD step along the sampled minimum set.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DecreaseReport {
    /// On `M \ S` in the search box: refuted when a witness of increase exists; proved
    /// (`n <= 3` only) when the exact cover leaves no box undecided and every excluded
    /// neighbourhood of `S` is closed, or (any `n`, polynomial `phi` and residuals) by the
    /// exact SOS certificate of `Q < 0` on `M \ S` ([`DecreaseReport::sos`]); numerical
    /// evidence when the samples of `M` support it (every sampled `Q < 0` outside `S`) but
    /// the proof is incomplete; otherwise inconclusive.
    pub evidence: Evidence,
    /// The same on the local region around `S` (what the local attraction of `S`, Thm 2.9,
    /// needs): proved when every box of the cover meeting the local regions is decided and
    /// every excluded neighbourhood is closed, or by the SOS certificate of `Q < 0` on
    /// `M \ S`.
    pub local: Evidence,
    /// The normalized directions at minima (`None` when C4 was not run).
    pub normals: Option<NormalDirections>,
    /// The formula used for `Q` (empty when C4 was not run).
    pub q_formula: String,
    /// How the neighbourhood of `S` was excluded (`None` before `M` was sampled).
    pub exclusion: Option<SNeighbourhood>,
    /// The region around `S` on which the local verdict is decided.
    pub local_region: Option<SNeighbourhood>,
    /// Points of `M` sampled (after densifying traced branches).
    pub samples: usize,
    /// Local dimension of `M`.
    pub dimension: Option<usize>,
    /// Counts by sign class over all samples.
    pub counts: SignCounts,
    /// For curves: the sign pattern per branch.
    pub branches: Vec<BranchPattern>,
    /// Otherwise: counts per component.
    pub components: Vec<ComponentPattern>,
    /// Sign changes and domain edges along branches.
    pub exceptional: Vec<ExceptionalPoint>,
    /// The exact cover of the search box (`n <= 3`; absent when no certificate is
    /// attempted or `n > 3`; the reason is in `notes`).
    pub cover: Option<ExactCover>,
    /// For `n > 3`: boxes around the sampled points of `M` (numerical evidence: they are
    /// proved per box, but covering `M` between the samples is not).
    pub certificate: Option<DecreaseCertificate>,
    /// What the verdict on `M \ S` rests on.
    pub basis: DecreaseBasis,
    /// What the verdict near `S` rests on.
    pub local_basis: LocalBasis,
    /// A witness of increase where `Q > 0`.
    pub refutation: Option<DecreaseRefutation>,
    /// The decrease order.
    pub order: Option<DecreaseOrder>,
    /// Remarks (identities used, why something was skipped), in order.
    pub notes: Vec<DecreaseNote>,
    /// The sum-of-squares route (polynomial `phi` and residuals): `Q <= 0` on all of `M`, and
    /// on it the strict `Q < 0` on `M \ S`; tried when the cover did not prove the verdict on
    /// `M \ S` and nothing refuted it.
    pub sos: Option<crate::sos::SosDecrease>,
    /// When the order-2 term vanishes on `M` exactly: the degenerate-order analysis.
    pub degenerate: Option<DegenerateOrder>,
}

/// Why a Taylor coefficient of one NGD step is known to vanish on `M` (exact).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Vanishing {
    /// Its canonical form is 0: it vanishes everywhere (almost everywhere on its domain).
    Identically,
    /// With `variable` solved from `factor = 0` (a factor of `g`, of degree 1 in it with a
    /// constant coefficient), its canonical form is 0.
    OnFactor {
        /// The factor of `g`.
        factor: String,
        /// The variable solved for.
        variable: String,
    },
    /// It is a polynomial whose remainder on division by `factor` (a factor of `g` with
    /// constant leading coefficient in `variable`) is 0.
    Remainder {
        /// The factor of `g`.
        factor: String,
        /// The main variable of the division.
        variable: String,
    },
}

/// An expression restricted to `M` in a chart `variable = solved` (exact canonical form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ChartTerm {
    /// The variable eliminated.
    pub variable: String,
    /// Its value on (a part of) `M`.
    pub solved: String,
    /// The expression there.
    pub term: String,
}

/// One order of the step's Taylor expansion proved to vanish on `M`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct VanishingOrder {
    /// The order `k` (the coefficient of `a^k`).
    pub order: usize,
    /// The exact argument.
    pub proof: Vanishing,
}

/// Two points of `M` (each bracketed on a segment whose ends have exact values of `g` of
/// opposite signs) with disjoint enclosures of `phi` on the segments: `phi` is not constant
/// on `M`, so `M \ S` is not empty.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NonConstantOnM {
    /// The segment holding the point with the larger `phi` (exact decimal ends).
    pub high: (Vec<String>, Vec<String>),
    /// The enclosure of `phi` on it.
    pub high_phi: (f64, f64),
    /// The segment holding the point with the smaller `phi`.
    pub low: (Vec<String>, Vec<String>),
    /// The enclosure of `phi` on it.
    pub low_phi: (f64, f64),
    /// True when the high point lies in the local region around `S`.
    pub high_in_local_region: bool,
}

/// What the leading order of a degenerate step says (docs/math.md C4, degenerate orders).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DegenerateConclusion {
    /// `phi` is conserved and the normal lines are integral curves of `grad g` (straight):
    /// `phi(x - a u) = phi(x)` for every `x` near `M` and every step `a` below the distance
    /// to the critical set of `g` (exact). `phi` is d-Lyapunov of no order wherever `M \ S`
    /// is not empty; `non_constant` proves it is not.
    InvariantAlongNormals {
        /// The proof that `M \ S` is not empty, when found.
        non_constant: Option<NonConstantOnM>,
    },
    /// The leading order `order` is odd: one of the two normal directions increases `phi`
    /// at order `order` (the witness is the report's refutation when certified).
    OddOrder {
        /// The leading order.
        order: usize,
        /// A witness was certified.
        witnessed: bool,
    },
    /// The leading coefficient (even order) is positive at a sampled point of `M \ S`.
    PositiveCoefficient {
        /// The leading order.
        order: usize,
        /// The point of `M`.
        near: Vec<f64>,
        /// The coefficient there.
        value: f64,
        /// A witness was certified.
        witnessed: bool,
    },
    /// The leading coefficient (even order) is negative at every sampled point of `M`
    /// outside `S`: `phi(x - a u) - phi(x) = coefficient a^order + O(a^(order + 1))` there
    /// (numerical evidence; the proof for steps starting on `M` is
    /// [`DegenerateOrder::certificate`]; none over a neighbourhood of `M`).
    NegativeOnSamples {
        /// The leading order.
        order: usize,
        /// The sampled points used.
        samples: usize,
    },
    /// No order up to `max_order` is proved non-vanishing, or the samples do not decide
    /// the sign.
    Undecided {
        /// The highest order examined.
        max_order: usize,
    },
}

/// C4 when the order-2 term vanishes on `M` exactly (`Q == 0` on `M`): the orders proved to
/// vanish, the leading order `q` of `phi(x - a u) - phi(x)` along `M` and its consequence.
///
/// With `v = grad g` and `u = ±v/|v|`, `phi(x - a u) - phi(x) = sum_k (∓a)^k E_k /
/// (k! |v|^k)`, `E_k = D^k phi[v^k]`; `coefficient(x) = E_q(x)/(q! |v(x)|^q)`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DegenerateOrder {
    /// Orders proved to vanish on `M` (2 first; exact).
    pub vanishing: Vec<VanishingOrder>,
    /// The integral curves of `grad g` are straight lines (exact).
    pub straight_normals: bool,
    /// The leading order `q`: the first order not proved to vanish on `M` whose coefficient
    /// is clearly non-zero at a sampled point (numerical).
    pub order: Option<usize>,
    /// `E_q` as an expression (its canonical form, truncated to a few hundred characters).
    pub leading_term: Option<String>,
    /// `E_q` on `M` in a chart, when a factor of `g` is linear in a variable.
    pub leading_on_m: Option<ChartTerm>,
    /// Smallest and largest `coefficient` over the sampled points of `M` outside `S`.
    pub coefficient_range: Option<(f64, f64)>,
    /// What the leading order says.
    pub conclusion: DegenerateConclusion,
    /// For an even order with a negative coefficient: the largest schedule power `p`
    /// (`a_k = a0/(k+1)^p`) for which the decreases `c a_k^q` add up, `1/q`.
    pub max_schedule_power: Option<f64>,
    /// For an even order with a negative coefficient at every sample: the interval
    /// certificate of decrease of that order for steps starting on `M` (`None` when not
    /// attempted: no linear chart of `M`).
    pub certificate: Option<OrderCertificate>,
}

/// A certificate of decrease of even order `q` for steps that start on `M` (outward-rounded
/// intervals; docs/math.md C4, degenerate orders): for every `x` of `M` in the search box
/// outside the excluded balls around the located points of `S`, both normal directions
/// `u = -+grad g/|grad g|` and every step `0 < a <= a0`,
/// `phi(x - a u) - phi(x) <= -c a^q` — when `complete`. Proved by Taylor's theorem with the
/// Lagrange remainder: the orders below `q` vanish on `M` (exact) and
/// `D^q phi(x - b w)[w^q] <= -c q!` is enclosed over each box of a chart of `M` times
/// `b in [-a0, a0]`. Nothing is claimed for `x` off `M` (there the lower orders do not
/// vanish), nor inside the excluded balls.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OrderCertificate {
    /// The order `q`.
    pub order: usize,
    /// The largest step covered: a power of 2, an eighth of the box's largest side rounded
    /// down to one, divided by 4 or 16 when the larger bound gives no complete cover.
    pub a0: f64,
    /// The constant `c` (rounded down; 0 when no box was certified).
    pub c: f64,
    /// One cover per factor of `g` that can vanish.
    pub charts: Vec<ChartCover>,
    /// Every box of every chart is certified, outside the box, or inside an excluded ball,
    /// and `c > 0`: the statement holds on all of `M \ balls(S)` in the box.
    pub complete: bool,
}

/// The bisection cover of one factor's zero set `{factor = 0}`, parametrized by the chart
/// `variable = solved` over the other variables' ranges in the search box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ChartCover {
    /// The factor of `g`.
    pub factor: String,
    /// The variable solved for.
    pub variable: String,
    /// Its value on the factor's zero set.
    pub solved: String,
    /// Boxes with a proved decrease of order `q`.
    pub certified: usize,
    /// Boxes whose points of `M` lie outside the search box (proved).
    pub outside: usize,
    /// Boxes inside an excluded ball around a point of `S`.
    pub near_s: usize,
    /// Boxes left undecided (the certificate is then incomplete).
    pub left: usize,
}
