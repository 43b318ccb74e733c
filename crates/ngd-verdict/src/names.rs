//! Stable machine names of every enum variant, for renderers.

use crate::input::*;
use crate::output::*;

/// A stable machine name for each enum variant, for renderers: the variant's serde name
/// (`snake_case`; for [`Conclusion`] the value of its `kind` tag).
pub trait MachineName {
    /// The name.
    fn machine_name(&self) -> &'static str;
}

/// [`MachineName::machine_name`] as a function.
pub fn machine_name<T: MachineName + ?Sized>(value: &T) -> &'static str {
    value.machine_name()
}

macro_rules! machine_names {
    ($($t:ty { $($v:ident => $n:literal),* $(,)? })*) => {$(
        impl MachineName for $t {
            fn machine_name(&self) -> &'static str {
                match self {
                    $(Self::$v { .. } => $n,)*
                }
            }
        }
    )*};
}

machine_names! {
    CheckOutcome {
        Proved => "proved",
        Refuted => "refuted",
        NumericalEvidence => "numerical_evidence",
        Inconclusive => "inconclusive",
        NotApplicable => "not_applicable",
        NotRun => "not_run",
    }
    C1 {
        Conserved => "conserved",
        Lyapunov => "lyapunov",
        Refuted => "refuted",
        Inconclusive => "inconclusive",
        NotRun => "not_run",
    }
    C5 {
        Coercive => "coercive",
        NotCoercive => "not_coercive",
        Undecided => "undecided",
        NotRun => "not_run",
    }
    C6 {
        Proved => "proved",
        NumericalEvidence => "numerical_evidence",
        NotApplicable => "not_applicable",
        Refuted => "refuted",
        Inconclusive => "inconclusive",
        NotRun => "not_run",
    }
    C6NotApplicable {
        SEmpty => "s_empty",
        SPositiveDimensional => "s_positive_dimensional",
        NotTwiceDifferentiable => "not_twice_differentiable",
        MultiplierNotInterior => "multiplier_not_interior",
    }
    SEqualsFlat {
        Proved => "proved",
        NumericalEvidence => "numerical_evidence",
        No => "no",
        Unknown => "unknown",
    }
    CriticalSearch {
        NotSearched => "not_searched",
        Numerical => "numerical",
        Proved => "proved",
    }
    CriticalKind {
        NonGlobalLocalMinimum => "non_global_local_minimum",
        Saddle => "saddle",
        LocalMaximum => "local_maximum",
        Degenerate => "degenerate",
    }
    Attracting {
        Yes => "yes",
        No => "no",
        Unknown => "unknown",
    }
    RunEnd {
        NearS => "near_s",
        AtCriticalSet => "at_critical_set",
        FloatLanding => "float_landing",
        Stalled => "stalled",
        PoleOfPhi => "pole_of_phi",
        Diverged => "diverged",
        NonFinite => "non_finite",
        NotYetNearS => "not_yet_near_s",
    }
    ClaimName {
        Conserved => "conserved",
        Coercive => "coercive",
        DLyapunov => "d_lyapunov",
        FlatMinima => "flat_minima",
    }
    ClaimStatus {
        Matched => "matched",
        Contradicted => "contradicted",
        Undecided => "undecided",
    }
    Check {
        C1 => "c1",
        C3 => "c3",
        C4NearS => "c4_near_s",
        C4OffS => "c4_off_s",
        C5 => "c5",
        C6 => "c6",
        CriticalSetsOutsideM => "critical_sets_outside_m",
    }
    Scope {
        Full => "full",
        NoRegularizer => "no_regularizer",
        IdentityOnly => "identity_only",
    }
    Gap {
        Refuted => "refuted",
        Inconclusive => "inconclusive",
        NotApplicable => "not_applicable",
        NotRun => "not_run",
    }
    Reach {
        Proved => "proved",
        NumericalEvidence => "numerical_evidence",
        NotReached => "not_reached",
    }
    Conclusion {
        Local => "local",
        Global => "global",
        GlobalRestricted => "global_restricted",
        None => "none",
    }
    Contradiction {
        Stalled => "stalled",
        PoleOfPhi => "pole_of_phi",
        Diverged => "diverged",
        NonFinite => "non_finite",
    }
    Explanation {
        CriticalSetOutsideM => "critical_set_outside_m",
        MeasureZeroLanding => "measure_zero_landing",
        DriftBudget => "drift_budget",
    }
    StartRegion {
        NeighbourhoodOfS => "neighbourhood_of_s",
        SearchBox => "search_box",
        SearchBoxOutsideExcludedBasins => "search_box_outside_excluded_basins",
    }
    CrossOutcome {
        NotRun => "not_run",
        NoConclusion => "no_conclusion",
        RegionNotMatched => "region_not_matched",
        Consistent => "consistent",
        Contradicted => "contradicted",
    }
    ExitStatus {
        Holds => "holds",
        Fails => "fails",
        Inconclusive => "inconclusive",
    }
    DecidedBy {
        Claims => "claims",
        Checks => "checks",
    }
}
