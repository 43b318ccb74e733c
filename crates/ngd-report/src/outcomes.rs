//! The adapter from the checks' reports to the verdict table's typed input
//! (`ngd_verdict::Outcomes`): which outcome each report stands for, and how each harness run
//! ended relative to the critical sets of `f` outside `M` (docs/math.md, "Conclusions").

use crate::report::{ClaimCheck, ClaimStatus};
use ngd_check::{ConservationReport, Evidence};
use ngd_coercive::{CoercivityReport, CoercivityVerdict};
use ngd_critical::{Classification, CriticalReport};
use ngd_decrease::{DecreaseReport, MinimizerSet};
use ngd_minima::MinimaReport;
use ngd_verdict as v;

/// Starts within this many `max(1, |s|)` of a point `s` of `S` count as local starts for the
/// cross-validation of a local conclusion.
pub const LOCAL_START_RADIUS: f64 = 0.2;

/// `phi` at a point, in floating point.
pub type PhiAt<'a> = dyn Fn(&[f64]) -> f64 + 'a;

/// The reports of one run of the checks, borrowed.
pub struct Reports<'a> {
    /// C1.
    pub c1: Option<&'a ConservationReport>,
    /// C2, C3, C6.
    pub minima: Option<&'a MinimaReport>,
    /// Critical sets of `f` outside `M` (C2).
    pub critical: Option<&'a CriticalReport>,
    /// C4.
    pub c4: Option<&'a DecreaseReport>,
    /// C5.
    pub c5: Option<&'a CoercivityReport>,
    /// The harness and `S`, for the cross-validation.
    pub harness: Option<(&'a ngd_sim::HarnessReport, &'a MinimizerSet)>,
    /// The `[expect]` claims as checked.
    pub claims: &'a [ClaimCheck],
    /// `phi` at a point in floating point (`None` without a regularizer), to tell a run that
    /// ended near a pole of `phi` with `phi` lower than at its start (drift-budget limited,
    /// as the theory allows) from one where `phi` grew (a contradiction).
    pub phi_at: Option<&'a PhiAt<'a>>,
}

/// The typed input of the verdict.
pub fn outcomes(
    r: &Reports,
    scope: v::Scope,
    coercive: Option<bool>,
    d_lyapunov: Option<bool>,
) -> v::Outcomes {
    v::Outcomes {
        c1: c1(r.c1),
        c3: c3(r.minima),
        c4_near_s: r.c4.map_or(v::CheckOutcome::NotRun, |d| outcome(d.local)),
        c4_off_s: r
            .c4
            .map_or(v::CheckOutcome::NotRun, |d| outcome(d.evidence)),
        c5: c5(r.c5),
        c6: c6(r.minima),
        critical_sets: critical_sets(r.critical),
        harness: r
            .harness
            .map(|(h, s)| harness_counts(h, s, r, stall_end(r.critical))),
        claims: r.claims.iter().filter_map(claim).collect(),
        asked: v::asked_checks(scope, coercive, d_lyapunov),
    }
}

fn outcome(e: Evidence) -> v::CheckOutcome {
    match e {
        Evidence::Proved => v::CheckOutcome::Proved,
        Evidence::Refuted => v::CheckOutcome::Refuted,
        Evidence::NumericalEvidence => v::CheckOutcome::NumericalEvidence,
        Evidence::Inconclusive => v::CheckOutcome::Inconclusive,
        Evidence::NotCheckedYet => v::CheckOutcome::NotRun,
    }
}

fn c1(c: Option<&ConservationReport>) -> v::C1 {
    match c.map(|c| (c.evidence, c.conserved)) {
        None => v::C1::NotRun,
        Some((Evidence::Proved, Evidence::Proved)) => v::C1::Conserved,
        Some((Evidence::Proved, _)) => v::C1::Lyapunov,
        Some((Evidence::Refuted, _)) => v::C1::Refuted,
        Some(_) => v::C1::Inconclusive,
    }
}

fn c3(m: Option<&MinimaReport>) -> v::SEqualsFlat {
    // C3 locates both sets numerically, so equality is never more than numerical evidence.
    match m
        .and_then(|m| m.flat.regularizer.as_ref())
        .and_then(|r| r.equals_flat_set)
    {
        Some(true) => v::SEqualsFlat::NumericalEvidence,
        Some(false) => v::SEqualsFlat::No,
        None => v::SEqualsFlat::Unknown,
    }
}

fn c5(c: Option<&CoercivityReport>) -> v::C5 {
    match c.map(|c| (c.verdict, c.evidence)) {
        None => v::C5::NotRun,
        Some((CoercivityVerdict::Coercive, Evidence::Proved)) => v::C5::Coercive,
        Some((CoercivityVerdict::NotCoercive, Evidence::Refuted)) => v::C5::NotCoercive,
        Some(_) => v::C5::Undecided,
    }
}

fn c6(m: Option<&MinimaReport>) -> v::C6 {
    let Some(s) = m.and_then(|m| m.strictness.as_ref()) else {
        return v::C6::NotRun;
    };
    match s.evidence {
        Evidence::Proved => v::C6::Proved,
        Evidence::Refuted => v::C6::Refuted,
        Evidence::NumericalEvidence => v::C6::NumericalEvidence,
        Evidence::NotCheckedYet => v::C6::NotRun,
        Evidence::Inconclusive if s.points.is_empty() && !s.sets.is_empty() => {
            v::C6::NotApplicable(v::C6NotApplicable::SPositiveDimensional)
        }
        Evidence::Inconclusive if s.points.is_empty() => {
            v::C6::NotApplicable(v::C6NotApplicable::SEmpty)
        }
        Evidence::Inconclusive => v::C6::Inconclusive,
    }
}

/// The kind and attraction of one critical component, as the verdict reads it.
fn critical_set(c: &ngd_critical::CriticalComponent) -> v::CriticalSet {
    let kind = match c.classification {
        Classification::LocalMinimum => v::CriticalKind::NonGlobalLocalMinimum,
        Classification::Saddle => v::CriticalKind::Saddle,
        Classification::LocalMaximum => v::CriticalKind::LocalMaximum,
        Classification::Mixed if c.attracting => v::CriticalKind::NonGlobalLocalMinimum,
        Classification::Mixed | Classification::Degenerate => v::CriticalKind::Degenerate,
    };
    let attracting = match (c.attracting, kind) {
        (true, _) => v::Attracting::Yes,
        (false, v::CriticalKind::Degenerate) => v::Attracting::Unknown,
        (false, _) => v::Attracting::No,
    };
    v::CriticalSet { kind, attracting }
}

fn critical_sets(r: Option<&CriticalReport>) -> v::CriticalSets {
    match r {
        Some(r) if r.skipped.is_none() => v::CriticalSets {
            // The search is never exhaustive: "none found" is numerical evidence.
            search: v::CriticalSearch::Numerical,
            sets: r.components_off_m().map(critical_set).collect(),
        },
        _ => v::CriticalSets::default(),
    }
}

/// What a stalled run means. A run stalls only where `grad f = 0` exactly with no
/// subdifferential direction, i.e. at a critical point of `f` off `M`: explained when the
/// critical-set search found an attracting (or undecided) set, a measure-zero float64
/// landing when it found only non-attracting ones, a contradiction when it found none.
fn stall_end(critical: Option<&CriticalReport>) -> v::RunEnd {
    let sets = critical_sets(critical).sets;
    if sets.iter().any(|s| s.attracting != v::Attracting::No) {
        v::RunEnd::AtCriticalSet
    } else if !sets.is_empty() {
        v::RunEnd::FloatLanding
    } else {
        v::RunEnd::Stalled
    }
}

/// How a run ended, for the verdict (`stalled`: what a stall means, from [`stall_end`]).
fn run_end(run: &ngd_sim::RunResult, r: &Reports, stalled: v::RunEnd) -> v::RunEnd {
    use ngd_sim::Outcome;
    match run.outcome {
        Outcome::NearFlat => v::RunEnd::NearS,
        Outcome::Elsewhere => v::RunEnd::NotYetNearS,
        Outcome::Diverged => v::RunEnd::Diverged,
        Outcome::NonFinite => v::RunEnd::NonFinite,
        Outcome::PoleOfPhi => {
            let before = r.phi_at.map(|phi| phi(&run.start));
            match (before, run.phi) {
                (Some(b), Some(a)) if a.is_finite() && b.is_finite() && a < b => {
                    v::RunEnd::NotYetNearS
                }
                _ => v::RunEnd::PoleOfPhi,
            }
        }
        Outcome::Stalled => stalled,
    }
}

fn harness_counts(
    h: &ngd_sim::HarnessReport,
    s: &MinimizerSet,
    r: &Reports,
    stalled: v::RunEnd,
) -> v::HarnessCounts {
    let mut all = v::RunCounts::default();
    let mut local = v::RunCounts::default();
    let points = matches!(s, MinimizerSet::Points(_));
    for run in &h.runs {
        let end = run_end(run, r, stalled);
        all.record(end);
        if points && s.within(&run.start, LOCAL_START_RADIUS) == Some(true) {
            local.record(end);
        }
    }
    v::HarnessCounts {
        all_starts: all,
        local_starts: points.then_some(local),
    }
}

fn claim(c: &ClaimCheck) -> Option<v::Claim> {
    let name = match c.claim {
        "conserved" => v::ClaimName::Conserved,
        "coercive" => v::ClaimName::Coercive,
        "d_lyapunov" => v::ClaimName::DLyapunov,
        "flat_minima" => v::ClaimName::FlatMinima,
        _ => return None,
    };
    let status = match c.status {
        ClaimStatus::Matched => v::ClaimStatus::Matched,
        ClaimStatus::Failed => v::ClaimStatus::Contradicted,
        ClaimStatus::Inconclusive => v::ClaimStatus::Undecided,
    };
    Some(v::Claim { name, status })
}

/// Up to three runs that contradict the verdict's conclusion: started in the region it covers
/// and ended stalled (unexplained), at a pole of `phi`, diverged or non-finite.
pub fn contradicting_runs(h: &ngd_sim::HarnessReport, table: &v::Verdict, r: &Reports) -> Vec<u64> {
    let s = r.harness.map(|(_, s)| s);
    let stalled = stall_end(r.critical);
    let Some(region) = table.cross_validation.region else {
        return Vec::new();
    };
    let in_region = |start: &[f64]| match region {
        v::StartRegion::NeighbourhoodOfS => {
            s.and_then(|s| s.within(start, LOCAL_START_RADIUS)) == Some(true)
        }
        v::StartRegion::SearchBox | v::StartRegion::SearchBoxOutsideExcludedBasins => true,
    };
    h.runs
        .iter()
        .filter(|run| in_region(&run.start))
        .filter(|run| {
            matches!(
                run_end(run, r, stalled),
                v::RunEnd::Stalled
                    | v::RunEnd::PoleOfPhi
                    | v::RunEnd::Diverged
                    | v::RunEnd::NonFinite
            )
        })
        .take(3)
        .map(|run| run.index)
        .collect()
}
