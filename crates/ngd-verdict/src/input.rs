//! The input of the verdict: the outcomes of the checks, the harness counts and the claims.

use serde::{Deserialize, Serialize};

/// The outcome of a check, in the labels of docs/math.md ("What counts as proof").
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// Proved by a rule of `ngd-certify` (for C4: from a rigorous cover of the whole region).
    Proved,
    /// Refuted by a witness.
    Refuted,
    /// Supported by floating-point computation only (samples, boxes around samples, C4
    /// beyond `n = 3`).
    NumericalEvidence,
    /// Neither proved nor refuted within the budgets.
    Inconclusive,
    /// The check does not apply to this case.
    NotApplicable,
    /// The check was not run.
    #[default]
    NotRun,
}

/// C1: `phi` along the gradient flow of `f` (Props 3.23, 3.33).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum C1 {
    /// `<grad f, grad phi> == 0` exactly: `phi` is conserved.
    Conserved,
    /// `<grad f, grad phi> >= 0` proved on the search box: `phi` is a Lyapunov function.
    Lyapunov,
    /// A witness where `phi` increases along the flow.
    Refuted,
    /// Undecided within the budgets.
    Inconclusive,
    /// Not run (no regularizer).
    #[default]
    NotRun,
}

/// C5: coercivity of `f + phi` (Thm 2.10, Thm 3.32 (i)).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum C5 {
    /// Proved by a growth certificate.
    Coercive,
    /// Refuted by an exact escape ray or curve.
    NotCoercive,
    /// Neither.
    Undecided,
    /// Not run.
    #[default]
    NotRun,
}

/// C6: strict local minimum of `f + phi` at the points of `S` (Prop 3.34, Thm 2.9).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum C6 {
    /// Proved at every point of `S` (Krawczyk and interval Cholesky, or the second-order
    /// condition for a maximum of two smooth functions).
    Proved,
    /// Numerical evidence only (e.g. transversal positive definiteness on a set, sampled).
    NumericalEvidence,
    /// The test does not apply, for the reason given.
    NotApplicable(C6NotApplicable),
    /// Refuted (the Hessian is proved not positive semidefinite at a point of `S`).
    Refuted,
    /// Undecided within the budgets.
    Inconclusive,
    /// Not run (no regularizer, or only C1 asked for).
    #[default]
    NotRun,
}

/// Why C6 does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum C6NotApplicable {
    /// No point of `S` was found.
    SEmpty,
    /// `S` is not a set of isolated points (a curve, a surface): not a strict minimum.
    SPositiveDimensional,
    /// `f + phi` is not `C^2` at `S` and not a maximum of two smooth functions there.
    NotTwiceDifferentiable,
    /// For `f = c |g|`: the multiplier does not satisfy `|lambda| < c`.
    MultiplierNotInterior,
}

/// C3: does `S = argmin_M phi` equal the flat set?
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SEqualsFlat {
    /// Proved equal.
    Proved,
    /// Equal within tolerance (numerical evidence).
    NumericalEvidence,
    /// Not equal.
    No,
    /// Not decided (or not compared).
    #[default]
    Unknown,
}

/// How the search box was searched for critical sets of `f` outside `M`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CriticalSearch {
    /// Not searched.
    #[default]
    NotSearched,
    /// Searched numerically: the list may be incomplete.
    Numerical,
    /// The list is proved complete in the box (an exact argument or a rigorous cover).
    Proved,
}

/// The kind of a critical set of `f` outside `M`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CriticalKind {
    /// A local, non-global minimum of `f`.
    NonGlobalLocalMinimum,
    /// A saddle.
    Saddle,
    /// A local maximum (never attracting).
    LocalMaximum,
    /// Degenerate (the second-order test does not classify it).
    Degenerate,
}

/// Whether a critical set attracts NGD from a set of starts of positive measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attracting {
    /// It attracts (e.g. a local minimum).
    Yes,
    /// It does not (e.g. a strict saddle: its basin has measure zero).
    No,
    /// Not known; counted as attracting (its basin is excluded).
    Unknown,
}

/// A critical set of `f` outside `M` found in the search box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CriticalSet {
    /// Its kind.
    pub kind: CriticalKind,
    /// Whether it attracts.
    pub attracting: Attracting,
}

/// The critical sets of `f` outside `M` in the search box (the hypothesis of the global
/// statement; docs/math.md, C2).
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct CriticalSets {
    /// How the box was searched.
    pub search: CriticalSearch,
    /// The sets found (empty: none found). [`ExcludedSet::index`](crate::ExcludedSet::index) indexes this list.
    pub sets: Vec<CriticalSet>,
}

/// Where one harness run ended, classified against the verdict's inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunEnd {
    /// Within the tolerance of `S`.
    NearS,
    /// At a critical set of `f` outside `M` listed in [`CriticalSets::sets`] (explained).
    AtCriticalSet,
    /// Landed exactly on a critical set in float64 from a start whose exact trajectory
    /// would not (a measure-zero event: explained).
    FloatLanding,
    /// Stopped at a critical point that explains nothing (contradiction if covered).
    Stalled,
    /// At a pole of `phi` (contradiction if covered).
    PoleOfPhi,
    /// Left the divergence ball (contradiction if covered).
    Diverged,
    /// A non-finite value at a finite point (contradiction if covered).
    NonFinite,
    /// Not yet within the tolerance of `S` after the last step: limited by the drift budget.
    NotYetNearS,
}

/// Counts of harness runs by how they ended.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct RunCounts {
    /// [`RunEnd::NearS`].
    pub near_s: u64,
    /// [`RunEnd::AtCriticalSet`].
    pub at_critical_set: u64,
    /// [`RunEnd::FloatLanding`].
    pub float_landing: u64,
    /// [`RunEnd::Stalled`].
    pub stalled: u64,
    /// [`RunEnd::PoleOfPhi`].
    pub pole_of_phi: u64,
    /// [`RunEnd::Diverged`].
    pub diverged: u64,
    /// [`RunEnd::NonFinite`].
    pub non_finite: u64,
    /// [`RunEnd::NotYetNearS`].
    pub not_yet_near_s: u64,
}

impl RunCounts {
    /// Counts one more run ending as `end`.
    pub fn record(&mut self, end: RunEnd) {
        *self.slot(end) += 1;
    }

    /// The number of runs that ended as `end`.
    pub fn get(&self, end: RunEnd) -> u64 {
        match end {
            RunEnd::NearS => self.near_s,
            RunEnd::AtCriticalSet => self.at_critical_set,
            RunEnd::FloatLanding => self.float_landing,
            RunEnd::Stalled => self.stalled,
            RunEnd::PoleOfPhi => self.pole_of_phi,
            RunEnd::Diverged => self.diverged,
            RunEnd::NonFinite => self.non_finite,
            RunEnd::NotYetNearS => self.not_yet_near_s,
        }
    }

    /// All runs.
    pub fn total(&self) -> u64 {
        RunEnd::ALL.iter().map(|&e| self.get(e)).sum()
    }

    fn slot(&mut self, end: RunEnd) -> &mut u64 {
        match end {
            RunEnd::NearS => &mut self.near_s,
            RunEnd::AtCriticalSet => &mut self.at_critical_set,
            RunEnd::FloatLanding => &mut self.float_landing,
            RunEnd::Stalled => &mut self.stalled,
            RunEnd::PoleOfPhi => &mut self.pole_of_phi,
            RunEnd::Diverged => &mut self.diverged,
            RunEnd::NonFinite => &mut self.non_finite,
            RunEnd::NotYetNearS => &mut self.not_yet_near_s,
        }
    }
}

impl RunEnd {
    /// Every way a run can end, in report order.
    pub const ALL: [RunEnd; 8] = [
        RunEnd::NearS,
        RunEnd::AtCriticalSet,
        RunEnd::FloatLanding,
        RunEnd::Stalled,
        RunEnd::PoleOfPhi,
        RunEnd::Diverged,
        RunEnd::NonFinite,
        RunEnd::NotYetNearS,
    ];
}

/// The NGD harness's runs, counted by where they started and how they ended.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct HarnessCounts {
    /// Every run (the whole start box).
    pub all_starts: RunCounts,
    /// The runs that started in the neighbourhood of `S` that the local conclusion covers;
    /// `None` when starts are not matched to a neighbourhood of `S` (e.g. `S` a curve), and
    /// then a local conclusion is not cross-validated.
    pub local_starts: Option<RunCounts>,
}

/// The name of an `[expect]` claim (the case file's field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimName {
    /// `conserved` (C1).
    Conserved,
    /// `coercive` (C5).
    Coercive,
    /// `d_lyapunov` (C4 near `S`).
    DLyapunov,
    /// `flat_minima` (C3).
    FlatMinima,
}

/// What the checks found about a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// The checks established the claim.
    Matched,
    /// The checks established the opposite.
    Contradicted,
    /// The checks could not decide.
    Undecided,
}

/// One `[expect]` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Claim {
    /// The claim.
    pub name: ClaimName,
    /// What was found.
    pub status: ClaimStatus,
}

/// A check, as a hypothesis of a conclusion or as something asked for.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// C1: `phi` conserved by, or Lyapunov for, the gradient flow.
    C1,
    /// C3: `S` equals the flat set.
    C3,
    /// C4 near `S`: `phi` is d-Lyapunov near `S`.
    C4NearS,
    /// C4 on `M \ S`.
    C4OffS,
    /// C5: `f + phi` coercive.
    C5,
    /// C6: the points of `S` are strict local minima of `f + phi`.
    C6,
    /// No (other) attracting critical set of `f` outside `M` in the box.
    CriticalSetsOutsideM,
}

impl Check {
    /// Every check, in report order.
    pub const ALL: [Check; 7] = [
        Check::C1,
        Check::C3,
        Check::C4NearS,
        Check::C4OffS,
        Check::C5,
        Check::C6,
        Check::CriticalSetsOutsideM,
    ];
}

/// Which checks a run performs, for [`asked_checks`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// A case file with a regularizer.
    Full,
    /// A case file without a regularizer (C1, C4, C6 cannot run).
    NoRegularizer,
    /// `check-identity`: C1 only.
    IdentityOnly,
}

/// The checks whose failure counts against the exit status when there are no claims:
/// C1, C4 near `S`, C5, C6 for a case with a regularizer, minus C4 near `S` when the case
/// claims `d_lyapunov = false` and C5 when it claims `coercive = false`; C1 for
/// `check-identity`; none without a regularizer.
pub fn asked_checks(scope: Scope, coercive: Option<bool>, d_lyapunov: Option<bool>) -> Vec<Check> {
    match scope {
        Scope::IdentityOnly => vec![Check::C1],
        Scope::NoRegularizer => Vec::new(),
        Scope::Full => {
            let mut v = vec![Check::C1];
            if d_lyapunov != Some(false) {
                v.push(Check::C4NearS);
            }
            if coercive != Some(false) {
                v.push(Check::C5);
            }
            v.push(Check::C6);
            v
        }
    }
}

/// Everything the verdict is decided from. `Default` is "nothing run, nothing asked".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Outcomes {
    /// C1.
    pub c1: C1,
    /// C3: `S` against the flat set.
    pub c3: SEqualsFlat,
    /// C4 in the local region of `S` (proved only from a rigorous cover).
    pub c4_near_s: CheckOutcome,
    /// C4 on all of `M \ S` in the box (proved only from a rigorous cover).
    pub c4_off_s: CheckOutcome,
    /// C5.
    pub c5: C5,
    /// C6.
    pub c6: C6,
    /// Critical sets of `f` outside `M` in the search box.
    pub critical_sets: CriticalSets,
    /// The harness, when it ran.
    pub harness: Option<HarnessCounts>,
    /// The `[expect]` claims (empty: no claims; then the checks decide the status).
    pub claims: Vec<Claim>,
    /// The checks asked for (see [`asked_checks`]).
    pub asked: Vec<Check>,
}
