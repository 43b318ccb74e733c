//! The serializable report of [`crate::find_critical_sets`]: typed fields, no sentences (the
//! CLI renders them).

use ngd_certify::Evidence;
use serde::Serialize;

/// The shape of `f` the equations were built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StructureKind {
    /// `f = c h(g)`: equations `grad g = 0`, `g != 0`.
    Scalar,
    /// `f = sum c_i g_i^2 + c_0`: equations `J_G^T C G = 0`, `G != 0`.
    LeastSquares,
    /// No structure: `grad f = 0` with `f` above the smallest value found (best effort).
    General,
}

/// The local type of a critical point of `f`, from the Hessian of `f` reduced to the normal
/// space of the critical set (along the set `f` is constant).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// Normal Hessian positive definite: a (non-strict along the set) local minimum of `f`
    /// (Morse-Bott). Attracts GD and NGD from a neighbourhood.
    LocalMinimum,
    /// Normal Hessian negative definite: a local maximum of `f`. Not attracting.
    LocalMaximum,
    /// A direction of negative curvature, not a local maximum: not a local minimum, a strict
    /// saddle (its stable set has measure zero). Not attracting.
    Saddle,
    /// Normal Hessian singular without a negative direction: undecided, may attract.
    Degenerate,
    /// The classification changes along the set (see the parts).
    Mixed,
}

/// How a component was found and its existence established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A linear subspace on which every equation vanishes identically (exact canonical forms)
    /// with an exact rational point where the residual is nonzero.
    ExactSubspace,
    /// Newton hits; an isolated point proved by the Krawczyk test on the equations, with the
    /// residual's enclosure excluding 0.
    Krawczyk,
    /// Newton / Levenberg-Marquardt hits only.
    Newton,
}

/// The points of a component with one classification.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Part {
    /// The classification of these points.
    pub classification: Classification,
    /// How many sample points (exact sets) or distinct Newton points (numerical) have it.
    pub points: usize,
    /// The bounding box `[lo, hi]` per coordinate of those points (not a proof of extent).
    pub range: Vec<[f64; 2]>,
    /// `proved` when the classification of every one of these points is exact (rational
    /// inertia, or interval Hessian bounds at a proved critical point).
    pub evidence: Evidence,
}

/// One critical set of `f` outside the minimum set.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CriticalComponent {
    /// The exact set when known, e.g. `x = 0` (intersected with the search box).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// The dimension: exact for exact sets, `n - rank` of the projected tangent test otherwise.
    pub dimension: usize,
    /// The exact value of `f` on the set when it is a rational constant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f_value: Option<String>,
    /// The smallest and largest value of `f` seen on the set.
    pub f_range: [f64; 2],
    /// The classification (`mixed` when the parts differ).
    pub classification: Classification,
    /// The evidence class of `classification`.
    pub classification_evidence: Evidence,
    /// True when some part is a local minimum of `f` (attracting for GD and NGD).
    pub attracting: bool,
    /// For an exact set whose classification changes: the exact condition on the set under
    /// which the normal Hessian is positive definite (Sylvester), e.g. `y < 0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attracting_where: Option<String>,
    /// True when no point of the residual's zero set was seen and this set has the smallest
    /// value of `f` found: it may belong to `argmin f` rather than lie outside it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub may_be_minimum: bool,
    /// The points by classification.
    pub parts: Vec<Part>,
    /// `proved` when the existence of a critical point off the minimum set is proved.
    pub evidence: Evidence,
    /// How the set was found.
    pub method: Method,
    /// At most five points of the set.
    pub samples: Vec<Vec<f64>>,
    /// Newton runs that converged onto the set.
    pub newton_hits: usize,
}

/// What the exact route did.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ExactRoute {
    /// Every planned subspace was tested.
    Done {
        /// Subspaces tested.
        tested: usize,
        /// Subspaces whose canonical forms could not be computed (limits, poles).
        undecided: usize,
    },
    /// The budget `max_exact_tests` stopped the tests.
    Truncated {
        /// Subspaces tested.
        tested: usize,
        /// Subspaces whose canonical forms could not be computed.
        undecided: usize,
    },
    /// Not run.
    Skipped {
        /// Why.
        reason: RouteSkip,
    },
}

/// Why the exact route did not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RouteSkip {
    /// The search itself did not run (see [`CriticalReport::skipped`]).
    NotRun,
    /// Turned off by [`crate::CriticalOptions::exact`].
    Disabled,
    /// The inner expressions contain `abs`, `sign`, `max` or `min`: canonical forms take
    /// `sign(u)^2 = 1`, exact only off `u = 0`.
    AbsSignMaxMin,
}

/// Why the search did not run at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchSkip {
    /// The arena has no variables.
    NoVariables,
    /// The box does not have one interval per variable.
    BoxDimension,
}

/// The overall finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// No critical set outside the minimum set was found (numerical evidence only: the
    /// search is not exhaustive).
    NoneFound,
    /// Critical sets were found, none attracting and none undecided.
    NoneAttracting,
    /// No attracting set found, but a degenerate one whose attraction is undecided.
    Undecided,
    /// An attracting set (local minimum of `f` off `M`), numerical evidence.
    AttractingNumerical,
    /// An attracting set proved present: existence off `M` and a local minimum proved.
    AttractingProved,
}

/// The summary used by the global conclusion (Thm 2.10 / 3.32).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// The finding.
    pub finding: Finding,
    /// Its evidence class: `proved` only for [`Finding::AttractingProved`].
    pub evidence: Evidence,
    /// Always false: neither the subspace tests nor the multistart cover every critical set.
    pub exhaustive: bool,
    /// Components with a local-minimum part.
    pub attracting: usize,
    /// Components without a local-minimum part but with a degenerate one.
    pub undecided: usize,
    /// Components of saddles and maxima only.
    pub not_attracting: usize,
}

/// Counts of the numerical search.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SearchStats {
    /// Newton starts.
    pub starts: usize,
    /// Runs that converged to a zero of the equations.
    pub converged: usize,
    /// Converged runs kept (inside the box, residual clearly nonzero).
    pub kept: usize,
    /// Distinct points after deduplication.
    pub distinct: usize,
    /// The smallest value of `f` seen (starts and critical points).
    pub min_f_seen: f64,
    /// Whether a zero of `g` (of `G`) was seen in the box (scalar and least squares).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residual_zero_seen: Option<bool>,
}

/// The settings, as reported.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Settings {
    /// Newton starts.
    pub starts: usize,
    /// Seed.
    pub seed: u64,
    /// Newton steps per run.
    pub max_newton_steps: usize,
    /// Relative tolerance on the equations.
    pub residual_tol: f64,
    /// Relative floor on the residual `g` (`G`).
    pub residual_floor: f64,
    /// Largest number of coordinates set to zero in the exact route.
    pub max_subspace_codim: usize,
    /// Budget of subspace tests.
    pub max_exact_tests: usize,
    /// Rational sample points per exact set.
    pub exact_samples: usize,
    /// The known `inf f`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inf_f: Option<String>,
}

/// The critical sets of `f` outside the minimum set found in the search box.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CriticalReport {
    /// The structure used.
    pub structure: StructureKind,
    /// The equations solved, e.g. `grad g = 0, g != 0`.
    pub equations: String,
    /// The exact subspace route.
    pub exact_route: ExactRoute,
    /// The components found, attracting first.
    pub components: Vec<CriticalComponent>,
    /// Components left out by `max_components` (never attracting ones before others).
    #[serde(skip_serializing_if = "is_zero")]
    pub omitted_components: usize,
    /// The summary.
    pub summary: Summary,
    /// The numerical search.
    pub search: SearchStats,
    /// The settings.
    pub settings: Settings,
    /// Why nothing was run, when so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SearchSkip>,
}

impl CriticalReport {
    /// The components that are certainly off `M` (those flagged `may_be_minimum` left out,
    /// as the summary's counts do), in report order: the list the verdict's indices refer to.
    pub fn components_off_m(&self) -> impl Iterator<Item = &CriticalComponent> {
        self.components.iter().filter(|c| !c.may_be_minimum)
    }
}

impl CriticalComponent {
    /// A short name: the exact description in braces, or `near (point)` for a numerical
    /// component (`None` without samples).
    pub fn name(&self) -> Option<String> {
        match (&self.exact, self.samples.first()) {
            (Some(e), _) => Some(format!("{{{e}}}")),
            (None, Some(p)) => {
                let cs: Vec<String> = p.iter().map(|x| format!("{x:.6}")).collect();
                Some(format!("near ({})", cs.join(", ")))
            }
            (None, None) => None,
        }
    }
}

fn is_zero(v: &usize) -> bool {
    *v == 0
}
