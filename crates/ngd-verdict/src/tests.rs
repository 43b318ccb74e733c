//! The crate docs' table, row by row.

use super::*;
use serde::Serialize;

/// Every hypothesis proved, no critical set outside `M` (proved), the default checks asked
/// for, no harness, no claims: row 1.
fn all_proved() -> Outcomes {
    Outcomes {
        c1: C1::Conserved,
        c3: SEqualsFlat::Proved,
        c4_near_s: CheckOutcome::Proved,
        c4_off_s: CheckOutcome::Proved,
        c5: C5::Coercive,
        c6: C6::Proved,
        critical_sets: CriticalSets {
            search: CriticalSearch::Proved,
            sets: Vec::new(),
        },
        harness: None,
        claims: Vec::new(),
        asked: asked_checks(Scope::Full, None, None),
    }
}

fn missing(v: &Assessment) -> Vec<Check> {
    v.missing.iter().map(|m| m.check).collect()
}

fn counts(f: impl Fn(&mut RunCounts)) -> RunCounts {
    let mut c = RunCounts::default();
    f(&mut c);
    c
}

fn claim(name: ClaimName, status: ClaimStatus) -> Claim {
    Claim { name, status }
}

#[test]
fn row1_everything_proved_is_global_and_exit_0() {
    let v = verdict(&all_proved());
    assert_eq!(v.conclusion, Conclusion::Global);
    assert_eq!(v.conclusion_reach(), Reach::Proved);
    assert_eq!(v.local.reach, Reach::Proved);
    assert_eq!(v.global.reach, Reach::Proved);
    assert!(v.global.missing.is_empty() && v.global.numerical.is_empty());
    assert_eq!(v.flat_minima.reach, Reach::Proved);
    assert!(v.excluded_sets.is_empty());
    assert_eq!(v.status.exit, ExitStatus::Holds);
    assert_eq!(v.exit_code(), 0);
    assert_eq!(v.status.decided_by, DecidedBy::Checks);
    assert_eq!(v.cross_validation.outcome, CrossOutcome::NotRun);
}

#[test]
fn lyapunov_c1_counts_as_c1() {
    let v = verdict(&Outcomes {
        c1: C1::Lyapunov,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::Global);
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn saddles_outside_m_do_not_restrict() {
    let mut o = all_proved();
    o.critical_sets.sets = vec![CriticalSet {
        kind: CriticalKind::Saddle,
        attracting: Attracting::No,
    }];
    let v = verdict(&o);
    assert_eq!(v.conclusion, Conclusion::Global);
    assert!(v.excluded_sets.is_empty());
}

#[test]
fn row2_numerical_global_hypotheses_give_numerical_global() {
    // A numerical critical-set search.
    let mut o = all_proved();
    o.critical_sets.search = CriticalSearch::Numerical;
    let v = verdict(&o);
    assert_eq!(v.conclusion, Conclusion::Global);
    assert_eq!(v.global.reach, Reach::NumericalEvidence);
    assert_eq!(v.global.numerical, vec![Check::CriticalSetsOutsideM]);
    assert_eq!(v.local.reach, Reach::Proved);
    assert_eq!(v.conclusion_reach(), Reach::NumericalEvidence);
    assert_eq!(v.flat_minima.reach, Reach::NumericalEvidence);
    assert_eq!(v.exit_code(), 0, "not asked for");

    // C4 on M \ S from boxes around samples.
    let v = verdict(&Outcomes {
        c4_off_s: CheckOutcome::NumericalEvidence,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::Global);
    assert_eq!(v.global.reach, Reach::NumericalEvidence);
    assert_eq!(v.global.numerical, vec![Check::C4OffS]);
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn row3_numerical_only_hypotheses_never_give_a_proved_conclusion() {
    for o in [
        Outcomes {
            c4_near_s: CheckOutcome::NumericalEvidence,
            ..all_proved()
        },
        Outcomes {
            c6: C6::NumericalEvidence,
            ..all_proved()
        },
    ] {
        let v = verdict(&o);
        assert_eq!(v.conclusion, Conclusion::Global);
        assert_eq!(v.local.reach, Reach::NumericalEvidence);
        assert_eq!(v.global.reach, Reach::NumericalEvidence);
        assert_eq!(v.flat_minima.reach, Reach::NumericalEvidence);
        assert_eq!(v.local.numerical.len(), 1);
        assert!(v.local.missing.is_empty());
        assert_eq!(
            v.status.open, v.local.numerical,
            "an asked check only numerical"
        );
        assert_eq!(v.exit_code(), 3);
    }
    // Every hypothesis numerical where it can be: still never proved.
    let o = Outcomes {
        c3: SEqualsFlat::NumericalEvidence,
        c4_near_s: CheckOutcome::NumericalEvidence,
        c4_off_s: CheckOutcome::NumericalEvidence,
        c6: C6::NumericalEvidence,
        critical_sets: CriticalSets {
            search: CriticalSearch::Numerical,
            sets: Vec::new(),
        },
        ..all_proved()
    };
    let v = verdict(&o);
    for a in [&v.local, &v.global, &v.flat_minima] {
        assert_eq!(a.reach, Reach::NumericalEvidence);
    }
    assert_eq!(
        v.flat_minima.numerical,
        vec![
            Check::C3,
            Check::C4NearS,
            Check::C4OffS,
            Check::C6,
            Check::CriticalSetsOutsideM
        ]
    );
}

#[test]
fn row4_attracting_critical_sets_restrict_the_global_conclusion() {
    let mut o = all_proved();
    o.critical_sets.sets = vec![
        CriticalSet {
            kind: CriticalKind::Saddle,
            attracting: Attracting::No,
        },
        CriticalSet {
            kind: CriticalKind::NonGlobalLocalMinimum,
            attracting: Attracting::Yes,
        },
        CriticalSet {
            kind: CriticalKind::Degenerate,
            attracting: Attracting::Unknown,
        },
    ];
    let v = verdict(&o);
    let excluded = vec![
        ExcludedSet {
            index: 1,
            kind: CriticalKind::NonGlobalLocalMinimum,
            attracting: Attracting::Yes,
        },
        ExcludedSet {
            index: 2,
            kind: CriticalKind::Degenerate,
            attracting: Attracting::Unknown,
        },
    ];
    assert_eq!(
        v.conclusion,
        Conclusion::GlobalRestricted {
            excluded_sets: excluded.clone()
        }
    );
    assert_eq!(v.excluded_sets, excluded);
    assert_eq!(v.global.reach, Reach::Proved);
    assert_eq!(v.conclusion_reach(), Reach::Proved);
    assert_eq!(v.exit_code(), 0);

    // Asked for explicitly, the critical-set check is refuted by the attracting set.
    let mut asked = o.clone();
    asked.asked.push(Check::CriticalSetsOutsideM);
    let v = verdict(&asked);
    assert_eq!(v.status.refuted, vec![Check::CriticalSetsOutsideM]);
    assert_eq!(v.exit_code(), 1);

    // Only an unknown one, asked for: open.
    asked.critical_sets.sets.remove(1);
    let v = verdict(&asked);
    assert_eq!(v.status.open, vec![Check::CriticalSetsOutsideM]);
    assert_eq!(v.exit_code(), 3);
}

#[test]
fn row5_global_hypothesis_missing_gives_local() {
    let not_searched = Outcomes {
        critical_sets: CriticalSets::default(),
        ..all_proved()
    };
    let c4_refuted = Outcomes {
        c4_off_s: CheckOutcome::Refuted,
        ..all_proved()
    };
    let c4_open = Outcomes {
        c4_off_s: CheckOutcome::Inconclusive,
        ..all_proved()
    };
    for (o, check, gap) in [
        (not_searched, Check::CriticalSetsOutsideM, Gap::NotRun),
        (c4_refuted, Check::C4OffS, Gap::Refuted),
        (c4_open, Check::C4OffS, Gap::Inconclusive),
    ] {
        let v = verdict(&o);
        assert_eq!(v.conclusion, Conclusion::Local);
        assert_eq!(v.local.reach, Reach::Proved);
        assert_eq!(v.global.reach, Reach::NotReached);
        assert_eq!(v.global.missing, vec![Missing { check, gap }]);
        assert_eq!(v.exit_code(), 0, "{check:?} is not asked for");
        // The flat-minima statement follows the local conclusion.
        assert_eq!(v.flat_minima.reach, Reach::Proved);
    }
}

#[test]
fn row6_c5_undecided_gives_local_and_exit_3() {
    let v = verdict(&Outcomes {
        c5: C5::Undecided,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::Local);
    assert_eq!(
        v.global.missing,
        vec![Missing {
            check: Check::C5,
            gap: Gap::Inconclusive
        }]
    );
    assert_eq!(v.status.open, vec![Check::C5]);
    assert_eq!(v.exit_code(), 3);
}

#[test]
fn row7_c5_refuted_gives_local_and_exit_1_unless_not_asked() {
    let o = Outcomes {
        c5: C5::NotCoercive,
        ..all_proved()
    };
    let v = verdict(&o);
    assert_eq!(v.conclusion, Conclusion::Local);
    assert_eq!(v.status.refuted, vec![Check::C5]);
    assert_eq!(v.exit_code(), 1);

    // `coercive = false` removes C5 from the checks asked for.
    let v = verdict(&Outcomes {
        asked: asked_checks(Scope::Full, Some(false), None),
        ..o
    });
    assert_eq!(v.conclusion, Conclusion::Local);
    assert!(v.status.refuted.is_empty());
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn row8_c1_refuted_gives_none_and_exit_1() {
    let v = verdict(&Outcomes {
        c1: C1::Refuted,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::None);
    assert_eq!(v.conclusion_reach(), Reach::NotReached);
    assert_eq!(
        v.local.missing,
        vec![Missing {
            check: Check::C1,
            gap: Gap::Refuted
        }]
    );
    assert_eq!(missing(&v.global), vec![Check::C1]);
    assert_eq!(v.flat_minima.reach, Reach::NotReached);
    assert_eq!(v.exit_code(), 1);
}

#[test]
fn row9_c4_near_s_refuted_gives_none_and_exit_1_unless_not_asked() {
    let o = Outcomes {
        c4_near_s: CheckOutcome::Refuted,
        c4_off_s: CheckOutcome::Refuted,
        ..all_proved()
    };
    let v = verdict(&o);
    assert_eq!(v.conclusion, Conclusion::None);
    assert_eq!(missing(&v.local), vec![Check::C4NearS]);
    assert_eq!(missing(&v.global), vec![Check::C4NearS, Check::C4OffS]);
    assert_eq!(v.status.refuted, vec![Check::C4NearS]);
    assert_eq!(v.exit_code(), 1);

    // `d_lyapunov = false`: C4 near S is not asked for, the rest holds.
    let v = verdict(&Outcomes {
        asked: asked_checks(Scope::Full, None, Some(false)),
        ..o
    });
    assert_eq!(v.conclusion, Conclusion::None);
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn row10_c6_not_applicable_or_c1_inconclusive_gives_none_and_exit_3() {
    for c6 in [
        C6::NotApplicable(C6NotApplicable::SPositiveDimensional),
        C6::NotApplicable(C6NotApplicable::SEmpty),
    ] {
        let v = verdict(&Outcomes { c6, ..all_proved() });
        assert_eq!(v.conclusion, Conclusion::None);
        assert_eq!(
            v.local.missing,
            vec![Missing {
                check: Check::C6,
                gap: Gap::NotApplicable
            }]
        );
        assert_eq!(v.status.open, vec![Check::C6]);
        assert_eq!(v.exit_code(), 3);
    }
    let v = verdict(&Outcomes {
        c6: C6::Inconclusive,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::None);
    assert_eq!(v.exit_code(), 3);
    let v = verdict(&Outcomes {
        c1: C1::Inconclusive,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::None);
    assert_eq!(v.status.open, vec![Check::C1]);
    assert_eq!(v.exit_code(), 3);
    // C6 refuted: exit 1.
    let v = verdict(&Outcomes {
        c6: C6::Refuted,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::None);
    assert_eq!(v.exit_code(), 1);
}

#[test]
fn refuted_wins_over_open() {
    let v = verdict(&Outcomes {
        c1: C1::Inconclusive,
        c5: C5::NotCoercive,
        ..all_proved()
    });
    assert_eq!(v.status.refuted, vec![Check::C5]);
    assert_eq!(v.status.open, vec![Check::C1]);
    assert_eq!(v.exit_code(), 1);
}

#[test]
fn row11_no_regularizer_asks_nothing() {
    let v = verdict(&Outcomes {
        c5: C5::Undecided,
        asked: asked_checks(Scope::NoRegularizer, None, None),
        ..Outcomes::default()
    });
    assert_eq!(v.conclusion, Conclusion::None);
    assert!(v.status.open.is_empty() && v.status.refuted.is_empty());
    assert_eq!(v.exit_code(), 0);
    assert_eq!(
        v.local.missing,
        vec![
            Missing {
                check: Check::C1,
                gap: Gap::NotRun
            },
            Missing {
                check: Check::C4NearS,
                gap: Gap::NotRun
            },
            Missing {
                check: Check::C6,
                gap: Gap::NotRun
            },
        ]
    );
}

#[test]
fn row12_check_identity_runs_only_c1() {
    let identity = |c1| Outcomes {
        c1,
        asked: asked_checks(Scope::IdentityOnly, None, None),
        ..Outcomes::default()
    };
    for (c1, code) in [
        (C1::Conserved, 0),
        (C1::Lyapunov, 0),
        (C1::Refuted, 1),
        (C1::Inconclusive, 3),
    ] {
        let v = verdict(&identity(c1));
        assert_eq!(v.conclusion, Conclusion::None);
        assert_eq!(v.exit_code(), code, "{c1:?}");
    }
}

#[test]
fn row13_flat_minima_needs_a_conclusion_and_c3() {
    // Global proved, C3 numerical.
    let v = verdict(&Outcomes {
        c3: SEqualsFlat::NumericalEvidence,
        ..all_proved()
    });
    assert_eq!(v.conclusion_reach(), Reach::Proved);
    assert_eq!(v.flat_minima.reach, Reach::NumericalEvidence);
    assert_eq!(v.flat_minima.numerical, vec![Check::C3]);
    assert_eq!(v.exit_code(), 0, "C3 is not asked for");

    // S is not the flat set.
    let v = verdict(&Outcomes {
        c3: SEqualsFlat::No,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::Global);
    assert_eq!(
        v.flat_minima.missing,
        vec![Missing {
            check: Check::C3,
            gap: Gap::Refuted
        }]
    );
    assert_eq!(v.exit_code(), 0);

    // Local conclusion only: the flat statement has the local hypotheses.
    let v = verdict(&Outcomes {
        c5: C5::Undecided,
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::Local);
    assert_eq!(v.flat_minima.reach, Reach::Proved);

    // No conclusion: the local gaps and C3.
    let v = verdict(&Outcomes {
        c6: C6::Inconclusive,
        c3: SEqualsFlat::Unknown,
        ..all_proved()
    });
    assert_eq!(missing(&v.flat_minima), vec![Check::C3, Check::C6]);
}

#[test]
fn row14_harness_contradicting_a_proved_global_conclusion_exits_1() {
    let all = counts(|c| {
        c.near_s = 90;
        c.stalled = 2;
        c.diverged = 1;
    });
    let v = verdict(&Outcomes {
        harness: Some(HarnessCounts {
            all_starts: all,
            local_starts: None,
        }),
        ..all_proved()
    });
    let cv = &v.cross_validation;
    assert_eq!(cv.outcome, CrossOutcome::Contradicted);
    assert_eq!(cv.region, Some(StartRegion::SearchBox));
    assert_eq!(cv.runs, 93);
    assert_eq!(cv.near_s, 90);
    assert_eq!(cv.contradicting_runs, 3);
    assert_eq!(
        cv.contradictions,
        vec![
            Count {
                kind: Contradiction::Stalled,
                runs: 2
            },
            Count {
                kind: Contradiction::Diverged,
                runs: 1
            }
        ]
    );
    assert!(cv.contradicts_proved);
    assert!(v.status.harness_contradiction);
    assert!(v.status.refuted.is_empty());
    assert_eq!(v.exit_code(), 1);
}

#[test]
fn harness_against_a_local_conclusion_counts_only_local_starts() {
    let o = Outcomes {
        c5: C5::Undecided,
        asked: asked_checks(Scope::Full, Some(false), None),
        ..all_proved()
    };
    // Bad runs far from S only: no contradiction of the local conclusion.
    let far_only = HarnessCounts {
        all_starts: counts(|c| {
            c.near_s = 10;
            c.pole_of_phi = 4;
            c.non_finite = 1;
        }),
        local_starts: Some(counts(|c| c.near_s = 6)),
    };
    let v = verdict(&Outcomes {
        harness: Some(far_only),
        ..o.clone()
    });
    assert_eq!(v.conclusion, Conclusion::Local);
    assert_eq!(v.cross_validation.outcome, CrossOutcome::Consistent);
    assert_eq!(
        v.cross_validation.region,
        Some(StartRegion::NeighbourhoodOfS)
    );
    assert_eq!(v.cross_validation.runs, 6);
    assert_eq!(v.exit_code(), 0);

    // A run from the neighbourhood at a pole of phi: contradiction of a proved conclusion.
    let near = HarnessCounts {
        all_starts: counts(|c| {
            c.near_s = 10;
            c.pole_of_phi = 1;
        }),
        local_starts: Some(counts(|c| {
            c.near_s = 6;
            c.pole_of_phi = 1;
        })),
    };
    let v = verdict(&Outcomes {
        harness: Some(near),
        ..o.clone()
    });
    assert_eq!(v.cross_validation.outcome, CrossOutcome::Contradicted);
    assert_eq!(
        v.cross_validation.contradictions,
        vec![Count {
            kind: Contradiction::PoleOfPhi,
            runs: 1
        }]
    );
    assert_eq!(v.exit_code(), 1);

    // S a set: starts not matched, no cross-validation.
    let v = verdict(&Outcomes {
        harness: Some(HarnessCounts {
            all_starts: counts(|c| c.stalled = 5),
            local_starts: None,
        }),
        ..o
    });
    assert_eq!(v.cross_validation.outcome, CrossOutcome::RegionNotMatched);
    assert_eq!(v.cross_validation.region, None);
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn harness_contradiction_of_proved_local_inside_numerical_global() {
    // Global only numerical (C4 off S from samples), local proved: a bad run from the
    // neighbourhood of S contradicts the proved local conclusion.
    let o = Outcomes {
        c4_off_s: CheckOutcome::NumericalEvidence,
        harness: Some(HarnessCounts {
            all_starts: counts(|c| c.stalled = 1),
            local_starts: Some(counts(|c| c.stalled = 1)),
        }),
        ..all_proved()
    };
    let v = verdict(&o);
    assert_eq!(v.conclusion, Conclusion::Global);
    assert_eq!(v.global.reach, Reach::NumericalEvidence);
    assert!(v.cross_validation.contradicts_proved);
    assert_eq!(v.exit_code(), 1);

    // The same bad run from far away contradicts only the numerical global conclusion.
    let v = verdict(&Outcomes {
        harness: Some(HarnessCounts {
            all_starts: counts(|c| c.stalled = 1),
            local_starts: Some(RunCounts::default()),
        }),
        ..o
    });
    assert_eq!(v.cross_validation.outcome, CrossOutcome::Contradicted);
    assert!(!v.cross_validation.contradicts_proved);
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn row15_harness_contradicting_a_numerical_conclusion_does_not_change_the_status() {
    let v = verdict(&Outcomes {
        c6: C6::NumericalEvidence,
        harness: Some(HarnessCounts {
            all_starts: counts(|c| c.diverged = 2),
            local_starts: Some(counts(|c| c.diverged = 1)),
        }),
        ..all_proved()
    });
    assert_eq!(v.conclusion_reach(), Reach::NumericalEvidence);
    assert_eq!(v.cross_validation.outcome, CrossOutcome::Contradicted);
    assert!(!v.cross_validation.contradicts_proved);
    assert!(!v.status.harness_contradiction);
    assert_eq!(v.exit_code(), 3, "C6 only numerical");
}

#[test]
fn row16_explained_runs_are_not_contradictions() {
    let mut o = all_proved();
    o.critical_sets.sets = vec![CriticalSet {
        kind: CriticalKind::NonGlobalLocalMinimum,
        attracting: Attracting::Yes,
    }];
    o.harness = Some(HarnessCounts {
        all_starts: counts(|c| {
            c.near_s = 50;
            c.at_critical_set = 7;
            c.float_landing = 2;
            c.not_yet_near_s = 3;
        }),
        local_starts: Some(counts(|c| c.near_s = 20)),
    });
    let v = verdict(&o);
    assert!(matches!(v.conclusion, Conclusion::GlobalRestricted { .. }));
    let cv = &v.cross_validation;
    assert_eq!(cv.outcome, CrossOutcome::Consistent);
    assert_eq!(cv.region, Some(StartRegion::SearchBoxOutsideExcludedBasins));
    assert_eq!(cv.runs, 62);
    assert_eq!(cv.contradicting_runs, 0);
    assert!(cv.contradictions.is_empty());
    assert_eq!(
        cv.explained,
        vec![
            Count {
                kind: Explanation::CriticalSetOutsideM,
                runs: 7
            },
            Count {
                kind: Explanation::MeasureZeroLanding,
                runs: 2
            },
            Count {
                kind: Explanation::DriftBudget,
                runs: 3
            },
        ]
    );
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn no_conclusion_cannot_be_contradicted() {
    let v = verdict(&Outcomes {
        c1: C1::Lyapunov,
        c6: C6::Inconclusive,
        asked: vec![Check::C1],
        harness: Some(HarnessCounts {
            all_starts: counts(|c| c.stalled = 9),
            local_starts: Some(counts(|c| c.stalled = 9)),
        }),
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::None);
    assert_eq!(v.cross_validation.outcome, CrossOutcome::NoConclusion);
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn row17_claims_all_matched_decide_alone() {
    // The checks would give 1: C5 refuted, and a run from the neighbourhood of S stalled
    // against the proved local conclusion.
    let v = verdict(&Outcomes {
        c5: C5::NotCoercive,
        harness: Some(HarnessCounts {
            all_starts: counts(|c| c.stalled = 1),
            local_starts: Some(counts(|c| c.stalled = 1)),
        }),
        claims: vec![
            claim(ClaimName::Conserved, ClaimStatus::Matched),
            claim(ClaimName::Coercive, ClaimStatus::Matched),
        ],
        ..all_proved()
    });
    assert_eq!(v.status.decided_by, DecidedBy::Claims);
    assert_eq!(v.conclusion, Conclusion::Local);
    assert_eq!(v.status.refuted, vec![Check::C5], "still reported");
    assert!(v.status.harness_contradiction, "still reported");
    assert_eq!(v.cross_validation.outcome, CrossOutcome::Contradicted);
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn row18_a_contradicted_claim_exits_1() {
    let v = verdict(&Outcomes {
        claims: vec![
            claim(ClaimName::Conserved, ClaimStatus::Matched),
            claim(ClaimName::FlatMinima, ClaimStatus::Undecided),
            claim(ClaimName::DLyapunov, ClaimStatus::Contradicted),
        ],
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::Global);
    assert_eq!(v.status.decided_by, DecidedBy::Claims);
    assert_eq!(v.status.contradicted_claims, vec![ClaimName::DLyapunov]);
    assert_eq!(v.status.undecided_claims, vec![ClaimName::FlatMinima]);
    assert_eq!(v.exit_code(), 1);
}

#[test]
fn row19_an_undecided_claim_exits_3_even_when_every_check_holds() {
    let v = verdict(&Outcomes {
        claims: vec![
            claim(ClaimName::Coercive, ClaimStatus::Matched),
            claim(ClaimName::FlatMinima, ClaimStatus::Undecided),
        ],
        ..all_proved()
    });
    assert_eq!(v.status.exit, ExitStatus::Inconclusive);
    assert_eq!(v.exit_code(), 3);
}

#[test]
fn a_check_not_asked_for_does_not_affect_the_status() {
    // Only C1 and C6 asked for: C5 refuted and C4 near S undecided are reported in the
    // conclusions but do not change the status.
    let v = verdict(&Outcomes {
        c5: C5::NotCoercive,
        c4_near_s: CheckOutcome::Inconclusive,
        asked: vec![Check::C1, Check::C6],
        ..all_proved()
    });
    assert_eq!(v.conclusion, Conclusion::None);
    assert!(v.status.refuted.is_empty() && v.status.open.is_empty());
    assert_eq!(v.exit_code(), 0);
}

#[test]
fn asked_checks_follow_the_scope_and_the_false_claims() {
    use Check::*;
    assert_eq!(
        asked_checks(Scope::Full, None, None),
        vec![C1, C4NearS, C5, C6]
    );
    assert_eq!(
        asked_checks(Scope::Full, Some(true), Some(true)),
        vec![C1, C4NearS, C5, C6]
    );
    assert_eq!(
        asked_checks(Scope::Full, Some(false), Some(false)),
        vec![C1, C6]
    );
    assert_eq!(asked_checks(Scope::IdentityOnly, None, None), vec![C1]);
    assert!(asked_checks(Scope::NoRegularizer, None, None).is_empty());
}

#[test]
fn run_counts_record_and_total() {
    let mut c = RunCounts::default();
    for e in RunEnd::ALL {
        c.record(e);
    }
    c.record(RunEnd::Stalled);
    assert_eq!(c.total(), 9);
    assert_eq!(c.get(RunEnd::Stalled), 2);
    assert_eq!(c.get(RunEnd::NearS), 1);
}

#[test]
fn verdict_serializes_without_sentences() {
    let mut o = all_proved();
    o.critical_sets.sets = vec![CriticalSet {
        kind: CriticalKind::NonGlobalLocalMinimum,
        attracting: Attracting::Yes,
    }];
    let v = verdict(&o);
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["conclusion"]["kind"], "global_restricted");
    assert_eq!(
        json["conclusion"]["excluded_sets"][0]["kind"],
        "non_global_local_minimum"
    );
    assert_eq!(json["status"]["code"], 0);
    assert_eq!(json["status"]["exit"], "holds");
    // Round trip, input and output.
    let back: Verdict = serde_json::from_value(json).unwrap();
    assert_eq!(back, v);
    let input = serde_json::to_value(&o).unwrap();
    assert_eq!(serde_json::from_value::<Outcomes>(input).unwrap(), o);
    let c6 = serde_json::to_value(C6::NotApplicable(C6NotApplicable::SEmpty)).unwrap();
    assert_eq!(c6, serde_json::json!({"not_applicable": "s_empty"}));
}

/// The serde name of a value: a string, the single key of an object, or its `kind` tag.
fn serde_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v).unwrap() {
        serde_json::Value::String(s) => s,
        serde_json::Value::Object(m) if m.contains_key("kind") => {
            m["kind"].as_str().unwrap().to_string()
        }
        serde_json::Value::Object(m) if m.len() == 1 => m.keys().next().unwrap().clone(),
        other => panic!("unexpected {other}"),
    }
}

fn same_names<T: Serialize + MachineName>(values: &[T]) {
    let mut seen = std::collections::HashSet::new();
    for v in values {
        assert_eq!(machine_name(v), serde_name(v));
        assert!(
            seen.insert(machine_name(v)),
            "duplicate {}",
            machine_name(v)
        );
    }
}

#[test]
fn machine_names_are_the_serde_names() {
    use CheckOutcome as O;
    same_names(&[
        O::Proved,
        O::Refuted,
        O::NumericalEvidence,
        O::Inconclusive,
        O::NotApplicable,
        O::NotRun,
    ]);
    same_names(&[
        C1::Conserved,
        C1::Lyapunov,
        C1::Refuted,
        C1::Inconclusive,
        C1::NotRun,
    ]);
    same_names(&[C5::Coercive, C5::NotCoercive, C5::Undecided, C5::NotRun]);
    same_names(&[
        C6::Proved,
        C6::NumericalEvidence,
        C6::NotApplicable(C6NotApplicable::SEmpty),
        C6::Refuted,
        C6::Inconclusive,
        C6::NotRun,
    ]);
    same_names(&[
        C6NotApplicable::SEmpty,
        C6NotApplicable::SPositiveDimensional,
        C6NotApplicable::NotTwiceDifferentiable,
        C6NotApplicable::MultiplierNotInterior,
    ]);
    same_names(&[
        SEqualsFlat::Proved,
        SEqualsFlat::NumericalEvidence,
        SEqualsFlat::No,
        SEqualsFlat::Unknown,
    ]);
    same_names(&[
        CriticalSearch::NotSearched,
        CriticalSearch::Numerical,
        CriticalSearch::Proved,
    ]);
    same_names(&[
        CriticalKind::NonGlobalLocalMinimum,
        CriticalKind::Saddle,
        CriticalKind::LocalMaximum,
        CriticalKind::Degenerate,
    ]);
    same_names(&[Attracting::Yes, Attracting::No, Attracting::Unknown]);
    same_names(&RunEnd::ALL);
    same_names(&[
        ClaimName::Conserved,
        ClaimName::Coercive,
        ClaimName::DLyapunov,
        ClaimName::FlatMinima,
    ]);
    same_names(&[
        ClaimStatus::Matched,
        ClaimStatus::Contradicted,
        ClaimStatus::Undecided,
    ]);
    same_names(&Check::ALL);
    same_names(&[Scope::Full, Scope::NoRegularizer, Scope::IdentityOnly]);
    same_names(&[
        Gap::Refuted,
        Gap::Inconclusive,
        Gap::NotApplicable,
        Gap::NotRun,
    ]);
    same_names(&[Reach::Proved, Reach::NumericalEvidence, Reach::NotReached]);
    same_names(&[
        Conclusion::Local,
        Conclusion::Global,
        Conclusion::GlobalRestricted {
            excluded_sets: Vec::new(),
        },
        Conclusion::None,
    ]);
    same_names(&[
        Contradiction::Stalled,
        Contradiction::PoleOfPhi,
        Contradiction::Diverged,
        Contradiction::NonFinite,
    ]);
    same_names(&[
        Explanation::CriticalSetOutsideM,
        Explanation::MeasureZeroLanding,
        Explanation::DriftBudget,
    ]);
    same_names(&[
        StartRegion::NeighbourhoodOfS,
        StartRegion::SearchBox,
        StartRegion::SearchBoxOutsideExcludedBasins,
    ]);
    same_names(&[
        CrossOutcome::NotRun,
        CrossOutcome::NoConclusion,
        CrossOutcome::RegionNotMatched,
        CrossOutcome::Consistent,
        CrossOutcome::Contradicted,
    ]);
    same_names(&[
        ExitStatus::Holds,
        ExitStatus::Fails,
        ExitStatus::Inconclusive,
    ]);
    same_names(&[DecidedBy::Claims, DecidedBy::Checks]);
    assert_eq!(
        [
            ExitStatus::Holds,
            ExitStatus::Fails,
            ExitStatus::Inconclusive
        ]
        .map(ExitStatus::code),
        [0, 1, 3]
    );
}
