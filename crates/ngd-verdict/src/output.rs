//! The output of the verdict: conclusions, missing hypotheses, cross-validation, exit status.

use crate::input::*;
use serde::{Deserialize, Serialize};

/// Why a hypothesis is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// Refuted (C3: `S` is not the flat set; critical sets: one attracts, as a check).
    Refuted,
    /// Undecided.
    Inconclusive,
    /// Not applicable (C4, C6).
    NotApplicable,
    /// Not run (critical sets: not searched).
    NotRun,
}

/// A hypothesis a conclusion lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Missing {
    /// The check.
    pub check: Check,
    /// Why.
    pub gap: Gap,
}

/// How far a conclusion is established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Every hypothesis is proved.
    Proved,
    /// Every hypothesis holds, some only as numerical evidence.
    NumericalEvidence,
    /// A hypothesis is missing.
    NotReached,
}

/// One conclusion's standing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Assessment {
    /// Whether it is drawn, and how firmly.
    pub reach: Reach,
    /// The hypotheses that do not hold, in [`Check`] order.
    pub missing: Vec<Missing>,
    /// The hypotheses that hold only as numerical evidence, in [`Check`] order.
    pub numerical: Vec<Check>,
}

/// A critical set of `f` outside `M` whose basin the global conclusion excludes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExcludedSet {
    /// Index into [`CriticalSets::sets`].
    pub index: usize,
    /// Its kind.
    pub kind: CriticalKind,
    /// [`Attracting::Yes`] or [`Attracting::Unknown`].
    pub attracting: Attracting,
}

/// The strongest conclusion drawn about the attraction of `S`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Conclusion {
    /// Thm 2.9: `S` is locally asymptotically d-stable for NGD.
    Local,
    /// Thm 2.10 / 3.32: `S` attracts NGD from almost every start in the box.
    Global,
    /// As `Global`, for starts outside the basins of the excluded critical sets.
    GlobalRestricted {
        /// The excluded sets.
        excluded_sets: Vec<ExcludedSet>,
    },
    /// Nothing is concluded.
    None,
}

/// A run outcome that contradicts a conclusion covering its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Contradiction {
    /// [`RunEnd::Stalled`].
    Stalled,
    /// [`RunEnd::PoleOfPhi`].
    PoleOfPhi,
    /// [`RunEnd::Diverged`].
    Diverged,
    /// [`RunEnd::NonFinite`].
    NonFinite,
}

/// A run outcome other than "near `S`" that a hypothesis explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Explanation {
    /// [`RunEnd::AtCriticalSet`]: a known critical set of `f` outside `M`.
    CriticalSetOutsideM,
    /// [`RunEnd::FloatLanding`]: a measure-zero float64 landing on a critical set.
    MeasureZeroLanding,
    /// [`RunEnd::NotYetNearS`]: limited by the drift budget `sum a_k^2`.
    DriftBudget,
}

/// A number of runs of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Count<K> {
    /// The kind.
    pub kind: K,
    /// How many runs.
    pub runs: u64,
}

/// The starts a conclusion covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StartRegion {
    /// The neighbourhood of `S` of the local conclusion.
    NeighbourhoodOfS,
    /// The whole start box.
    SearchBox,
    /// The start box outside the basins of the excluded critical sets.
    SearchBoxOutsideExcludedBasins,
}

/// The result of the cross-validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrossOutcome {
    /// The harness did not run.
    NotRun,
    /// No conclusion, so nothing to contradict.
    NoConclusion,
    /// Local conclusion, but the starts are not matched to a neighbourhood of `S`.
    RegionNotMatched,
    /// No run contradicts the conclusion.
    Consistent,
    /// Some run contradicts it.
    Contradicted,
}

/// The harness against the conclusion (docs/math.md, "The NGD harness").
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CrossValidation {
    /// The result.
    pub outcome: CrossOutcome,
    /// The starts checked (`None` when nothing was checked).
    pub region: Option<StartRegion>,
    /// Runs started in the region.
    pub runs: u64,
    /// Of those, runs that ended near `S`.
    pub near_s: u64,
    /// Of those, the runs that contradict the conclusion, by kind (non-zero kinds only).
    pub contradictions: Vec<Count<Contradiction>>,
    /// Their total.
    pub contradicting_runs: u64,
    /// Of those, the runs ending elsewhere than `S` that a hypothesis explains (non-zero
    /// kinds only).
    pub explained: Vec<Count<Explanation>>,
    /// True when a run contradicts a *proved* conclusion (the local one from its
    /// neighbourhood, or the global one from the box): a soundness failure.
    pub contradicts_proved: bool,
}

/// The exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExitStatus {
    /// 0: every claim matched, or (no claims) every check asked for holds.
    Holds,
    /// 1: a claim contradicted, or (no claims) a check asked for refuted or the harness
    /// contradicting a proved conclusion.
    Fails,
    /// 3: otherwise.
    Inconclusive,
}

impl ExitStatus {
    /// The process exit code: 0, 1 or 3.
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Holds => 0,
            ExitStatus::Fails => 1,
            ExitStatus::Inconclusive => 3,
        }
    }
}

/// What decided the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecidedBy {
    /// The `[expect]` claims (alone).
    Claims,
    /// The checks asked for and the harness.
    Checks,
}

/// The exit status and what it rests on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Status {
    /// The status.
    pub exit: ExitStatus,
    /// [`ExitStatus::code`].
    pub code: i32,
    /// Claims or checks.
    pub decided_by: DecidedBy,
    /// Checks asked for that are refuted (reported even when the claims decide).
    pub refuted: Vec<Check>,
    /// Checks asked for that neither hold nor are refuted (undecided, only numerical
    /// evidence, not applicable, not run).
    pub open: Vec<Check>,
    /// Claims contradicted.
    pub contradicted_claims: Vec<ClaimName>,
    /// Claims undecided.
    pub undecided_claims: Vec<ClaimName>,
    /// The harness contradicts a proved conclusion.
    pub harness_contradiction: bool,
}

/// The verdict.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Verdict {
    /// The strongest conclusion drawn (global, restricted global, local, none), whatever its
    /// [`Reach`]; see [`Verdict::conclusion_reach`].
    pub conclusion: Conclusion,
    /// Thm 2.9: hypotheses C1, C4 near `S`, C6.
    pub local: Assessment,
    /// Thm 2.10 / 3.32: the local hypotheses, C4 on `M \ S`, C5 and the critical-set search
    /// (missing when not searched; attracting sets found restrict the conclusion instead).
    pub global: Assessment,
    /// The critical sets outside `M` the global conclusion excludes (attracting or unknown).
    pub excluded_sets: Vec<ExcludedSet>,
    /// Implicit regularization towards the flat minima: the hypotheses of
    /// [`Verdict::conclusion`] (of the local one when none is drawn) plus C3.
    pub flat_minima: Assessment,
    /// The harness against the conclusion.
    pub cross_validation: CrossValidation,
    /// The exit status.
    pub status: Status,
}

impl Verdict {
    /// The process exit code: 0, 1 or 3.
    pub fn exit_code(&self) -> i32 {
        self.status.code
    }

    /// The reach of [`Verdict::conclusion`].
    pub fn conclusion_reach(&self) -> Reach {
        match self.conclusion {
            Conclusion::Local => self.local.reach,
            Conclusion::Global | Conclusion::GlobalRestricted { .. } => self.global.reach,
            Conclusion::None => Reach::NotReached,
        }
    }
}
