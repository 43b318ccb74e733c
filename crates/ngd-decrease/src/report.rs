//! The data C4 returns (no formatting: the CLI renders it).

use ngd_check::Evidence;
use serde::Serialize;

/// The sign class of `Q` at a point of `M` (numerical, `f64`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionalKind {
    /// `Q` changes sign.
    SignChange,
    /// `phi` stops (or starts) being defined, or `Q` changes sign through a pole of `phi`.
    Pole,
}

/// A point of `M` where the sign pattern of `Q` changes, located by bisection along the
/// branch (each trial point projected back onto `M`); numerical evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
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

/// One box of the decrease certificate.
#[derive(Clone, Debug, PartialEq, Serialize)]
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

/// The proved local decrease certificate (MATH.md C4, the paper's Prop 2.6): boxes `B` with
/// `phi(x - a u) - phi(x) <= -c a^2` for every `x` in `B`, every `u` in the normalized
/// directions `N f(x)` and every `0 < a <= a_max`, from outward-rounded interval bounds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecreaseCertificate {
    /// Proved when every box is proved and every sampled point of `M \ S` with `Q < 0` is
    /// covered; inconclusive when part is left (budget, boxes that would not certify).
    pub evidence: Evidence,
    /// Number of certified boxes.
    pub boxes: usize,
    /// Interval evaluations (trial boxes) spent, certified or not.
    pub trials: usize,
    /// The smallest certified `c` over the boxes.
    pub min_c: Option<f64>,
    /// The smallest and largest box half-width.
    pub radius_range: Option<(f64, f64)>,
    /// How `a_max` relates to the box (e.g. `a_max = box half-width`).
    pub a_max_rule: String,
    /// What was to be covered: `"arc length"` of the traced branches or `"sample points"`.
    pub measure: String,
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
    /// The first-order fact the certificate uses.
    pub first_order: String,
    /// Why the search stopped early, if it did.
    pub stopped: Option<String>,
    /// The box with the smallest `c`, and a few others (all boxes are not listed).
    pub examples: Vec<CertifiedBox>,
}

/// A point and a step at which one NGD step increases `phi`, re-checked by outward-rounded
/// interval arithmetic at the exact rational point.
#[derive(Clone, Debug, PartialEq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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

/// The decrease order of one NGD step near `M` (numerical, MPFR).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecreaseOrder {
    /// The fits.
    pub fits: Vec<OrderFit>,
    /// The largest fitted order, rounded to the nearest integer when within 0.1 of it.
    pub order: Option<f64>,
    /// The schedule's power `p` (`a_k = a0/(k+1)^p`), when known.
    pub schedule_power: Option<f64>,
    /// A warning when `p > 1/q`: `sum_k a_k^q` converges and the decrease can stall.
    pub warning: Option<String>,
    /// Numerical evidence.
    pub evidence: Evidence,
}

/// How the first-order term of the Taylor expansion is controlled (from C1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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

/// C4: where `phi` decreases under one NGD step along the sampled minimum set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecreaseReport {
    /// Overall: proved when the certificate covers every sampled point of `M \ S` with no
    /// point where `Q > 0`; refuted when a witness of increase exists; otherwise
    /// inconclusive.
    pub evidence: Evidence,
    /// The same restricted to the components (branches) of `M` that contain `S`: what the
    /// local attraction of `S` (Thm 2.9) needs.
    pub local: Evidence,
    /// The normalized directions at minima, in words.
    pub normals: String,
    /// The formula used for `Q`.
    pub q_formula: String,
    /// How the neighbourhood of `S` was excluded.
    pub exclusion: String,
    /// The region around `S` on which the local verdict is decided.
    pub local_region: String,
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
    /// The proved certificate (absent when not attempted; the reason is in `notes`).
    pub certificate: Option<DecreaseCertificate>,
    /// A witness of increase where `Q > 0`.
    pub refutation: Option<DecreaseRefutation>,
    /// The decrease order.
    pub order: Option<DecreaseOrder>,
    /// Remarks (identities used, why something was skipped).
    pub notes: Vec<String>,
}
