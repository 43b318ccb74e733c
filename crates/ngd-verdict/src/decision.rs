//! The decision table itself (the crate docs list it row by row).

use crate::input::*;
use crate::output::*;

/// How one hypothesis stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    Proved,
    Numerical,
    Missing(Gap),
}

fn from_outcome(o: CheckOutcome) -> Standing {
    match o {
        CheckOutcome::Proved => Standing::Proved,
        CheckOutcome::NumericalEvidence => Standing::Numerical,
        CheckOutcome::Refuted => Standing::Missing(Gap::Refuted),
        CheckOutcome::Inconclusive => Standing::Missing(Gap::Inconclusive),
        CheckOutcome::NotApplicable => Standing::Missing(Gap::NotApplicable),
        CheckOutcome::NotRun => Standing::Missing(Gap::NotRun),
    }
}

/// The completeness of the critical-set search, as the hypothesis of the (possibly
/// restricted) global conclusion: the sets found are excluded, not held against it.
fn search_standing(s: CriticalSearch) -> Standing {
    match s {
        CriticalSearch::NotSearched => Standing::Missing(Gap::NotRun),
        CriticalSearch::Numerical => Standing::Numerical,
        CriticalSearch::Proved => Standing::Proved,
    }
}

/// How a check stands on its own (for the exit status and the flat-minima assessment).
fn standing(check: Check, o: &Outcomes) -> Standing {
    match check {
        Check::C1 => match o.c1 {
            C1::Conserved | C1::Lyapunov => Standing::Proved,
            C1::Refuted => Standing::Missing(Gap::Refuted),
            C1::Inconclusive => Standing::Missing(Gap::Inconclusive),
            C1::NotRun => Standing::Missing(Gap::NotRun),
        },
        Check::C3 => match o.c3 {
            SEqualsFlat::Proved => Standing::Proved,
            SEqualsFlat::NumericalEvidence => Standing::Numerical,
            SEqualsFlat::No => Standing::Missing(Gap::Refuted),
            SEqualsFlat::Unknown => Standing::Missing(Gap::Inconclusive),
        },
        Check::C4NearS => from_outcome(o.c4_near_s),
        Check::C4OffS => from_outcome(o.c4_off_s),
        Check::C5 => match o.c5 {
            C5::Coercive => Standing::Proved,
            C5::NotCoercive => Standing::Missing(Gap::Refuted),
            C5::Undecided => Standing::Missing(Gap::Inconclusive),
            C5::NotRun => Standing::Missing(Gap::NotRun),
        },
        Check::C6 => match o.c6 {
            C6::Proved => Standing::Proved,
            C6::NumericalEvidence => Standing::Numerical,
            C6::NotApplicable(_) => Standing::Missing(Gap::NotApplicable),
            C6::Refuted => Standing::Missing(Gap::Refuted),
            C6::Inconclusive => Standing::Missing(Gap::Inconclusive),
            C6::NotRun => Standing::Missing(Gap::NotRun),
        },
        Check::CriticalSetsOutsideM => {
            let cs = &o.critical_sets;
            if cs.search == CriticalSearch::NotSearched {
                Standing::Missing(Gap::NotRun)
            } else if cs.sets.iter().any(|s| s.attracting == Attracting::Yes) {
                Standing::Missing(Gap::Refuted)
            } else if cs.sets.iter().any(|s| s.attracting == Attracting::Unknown) {
                Standing::Missing(Gap::Inconclusive)
            } else {
                search_standing(cs.search)
            }
        }
    }
}

const LOCAL: [Check; 3] = [Check::C1, Check::C4NearS, Check::C6];
const GLOBAL: [Check; 6] = [
    Check::C1,
    Check::C4NearS,
    Check::C6,
    Check::C4OffS,
    Check::C5,
    Check::CriticalSetsOutsideM,
];

/// The standing of a hypothesis of a conclusion.
fn hypothesis(check: Check, o: &Outcomes) -> Standing {
    match check {
        Check::CriticalSetsOutsideM => search_standing(o.critical_sets.search),
        c => standing(c, o),
    }
}

fn assess(hypotheses: &[Check], o: &Outcomes) -> Assessment {
    let mut checks = hypotheses.to_vec();
    checks.sort();
    checks.dedup();
    let mut missing = Vec::new();
    let mut numerical = Vec::new();
    for c in checks {
        match hypothesis(c, o) {
            Standing::Proved => {}
            Standing::Numerical => numerical.push(c),
            Standing::Missing(gap) => missing.push(Missing { check: c, gap }),
        }
    }
    let reach = if !missing.is_empty() {
        Reach::NotReached
    } else if !numerical.is_empty() {
        Reach::NumericalEvidence
    } else {
        Reach::Proved
    };
    Assessment {
        reach,
        missing,
        numerical,
    }
}

/// The contradictions and explanations among `c`.
fn tally(c: &RunCounts) -> (Vec<Count<Contradiction>>, Vec<Count<Explanation>>) {
    let contra = [
        (Contradiction::Stalled, c.stalled),
        (Contradiction::PoleOfPhi, c.pole_of_phi),
        (Contradiction::Diverged, c.diverged),
        (Contradiction::NonFinite, c.non_finite),
    ];
    let expl = [
        (Explanation::CriticalSetOutsideM, c.at_critical_set),
        (Explanation::MeasureZeroLanding, c.float_landing),
        (Explanation::DriftBudget, c.not_yet_near_s),
    ];
    (
        contra
            .into_iter()
            .filter(|&(_, n)| n > 0)
            .map(|(kind, runs)| Count { kind, runs })
            .collect(),
        expl.into_iter()
            .filter(|&(_, n)| n > 0)
            .map(|(kind, runs)| Count { kind, runs })
            .collect(),
    )
}

fn contradicting(c: &RunCounts) -> u64 {
    c.stalled + c.pole_of_phi + c.diverged + c.non_finite
}

fn cross_validate(
    h: Option<&HarnessCounts>,
    conclusion: &Conclusion,
    local: Reach,
    global: Reach,
) -> CrossValidation {
    let empty = |outcome| CrossValidation {
        outcome,
        region: None,
        runs: 0,
        near_s: 0,
        contradictions: Vec::new(),
        contradicting_runs: 0,
        explained: Vec::new(),
        contradicts_proved: false,
    };
    let Some(h) = h else {
        return empty(CrossOutcome::NotRun);
    };
    let (region, counts) = match conclusion {
        Conclusion::None => return empty(CrossOutcome::NoConclusion),
        Conclusion::Local => match &h.local_starts {
            None => return empty(CrossOutcome::RegionNotMatched),
            Some(c) => (StartRegion::NeighbourhoodOfS, c),
        },
        Conclusion::Global => (StartRegion::SearchBox, &h.all_starts),
        Conclusion::GlobalRestricted { .. } => {
            (StartRegion::SearchBoxOutsideExcludedBasins, &h.all_starts)
        }
    };
    let (contradictions, explained) = tally(counts);
    let contradicting_runs = contradicting(counts);
    let global_drawn = matches!(
        conclusion,
        Conclusion::Global | Conclusion::GlobalRestricted { .. }
    );
    let against_global = global_drawn && global == Reach::Proved && contradicting_runs > 0;
    let against_local = local == Reach::Proved
        && h.local_starts
            .as_ref()
            .is_some_and(|c| contradicting(c) > 0);
    CrossValidation {
        outcome: if contradicting_runs > 0 {
            CrossOutcome::Contradicted
        } else {
            CrossOutcome::Consistent
        },
        region: Some(region),
        runs: counts.total(),
        near_s: counts.near_s,
        contradictions,
        contradicting_runs,
        explained,
        contradicts_proved: against_global || against_local,
    }
}

fn status(o: &Outcomes, harness_contradiction: bool) -> Status {
    let mut asked = o.asked.clone();
    asked.sort();
    asked.dedup();
    let mut refuted = Vec::new();
    let mut open = Vec::new();
    for c in asked {
        match standing(c, o) {
            Standing::Proved => {}
            Standing::Missing(Gap::Refuted) => refuted.push(c),
            Standing::Numerical | Standing::Missing(_) => open.push(c),
        }
    }
    let with = |s: ClaimStatus| -> Vec<ClaimName> {
        o.claims
            .iter()
            .filter(|c| c.status == s)
            .map(|c| c.name)
            .collect()
    };
    let contradicted_claims = with(ClaimStatus::Contradicted);
    let undecided_claims = with(ClaimStatus::Undecided);
    let (decided_by, exit) = if !o.claims.is_empty() {
        let exit = if !contradicted_claims.is_empty() {
            ExitStatus::Fails
        } else if !undecided_claims.is_empty() {
            ExitStatus::Inconclusive
        } else {
            ExitStatus::Holds
        };
        (DecidedBy::Claims, exit)
    } else {
        let exit = if !refuted.is_empty() || harness_contradiction {
            ExitStatus::Fails
        } else if !open.is_empty() {
            ExitStatus::Inconclusive
        } else {
            ExitStatus::Holds
        };
        (DecidedBy::Checks, exit)
    };
    Status {
        exit,
        code: exit.code(),
        decided_by,
        refuted,
        open,
        contradicted_claims,
        undecided_claims,
        harness_contradiction,
    }
}

/// Decides the conclusions, the cross-validation and the exit status (see the crate docs
/// for the table).
pub fn verdict(o: &Outcomes) -> Verdict {
    let local = assess(&LOCAL, o);
    let global = assess(&GLOBAL, o);
    let excluded_sets: Vec<ExcludedSet> = o
        .critical_sets
        .sets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.attracting != Attracting::No)
        .map(|(index, s)| ExcludedSet {
            index,
            kind: s.kind,
            attracting: s.attracting,
        })
        .collect();
    let conclusion = if global.reach != Reach::NotReached {
        if excluded_sets.is_empty() {
            Conclusion::Global
        } else {
            Conclusion::GlobalRestricted {
                excluded_sets: excluded_sets.clone(),
            }
        }
    } else if local.reach != Reach::NotReached {
        Conclusion::Local
    } else {
        Conclusion::None
    };
    let mut flat: Vec<Check> = match conclusion {
        Conclusion::Global | Conclusion::GlobalRestricted { .. } => GLOBAL.to_vec(),
        Conclusion::Local | Conclusion::None => LOCAL.to_vec(),
    };
    flat.push(Check::C3);
    let flat_minima = assess(&flat, o);
    let cross_validation =
        cross_validate(o.harness.as_ref(), &conclusion, local.reach, global.reach);
    let status = status(o, cross_validation.contradicts_proved);
    Verdict {
        conclusion,
        local,
        global,
        excluded_sets,
        flat_minima,
        cross_validation,
        status,
    }
}
