//! The two C4 verdicts (on `M \ S`, near `S`) and the facts each rests on.

use crate::pattern::Pattern;
use crate::report::{
    DecreaseReport, DegenerateConclusion, DegenerateOrder, ExactCover, FirstOrder,
};
use crate::sos::StrictDecrease;
use crate::{CoverLimit, MinimizerSet, SosDecrease};
use ngd_check::Evidence;
use serde::Serialize;

/// Which excluded neighbourhoods of `S` the closing arguments closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BallsClosed {
    /// `S` is a set: its excluded sublevel region is not closed.
    SublevelOpen,
    /// No neighbourhood of `S` is excluded.
    NoneExcluded,
    /// `open` of the `total` excluded neighbourhoods are left open.
    SomeOpen {
        /// Neighbourhoods left open.
        open: usize,
        /// Excluded neighbourhoods.
        total: usize,
    },
    /// Every one of the `total` excluded neighbourhoods is closed.
    AllClosed {
        /// Excluded neighbourhoods.
        total: usize,
    },
}

impl BallsClosed {
    /// The state of the excluded neighbourhoods of `c`.
    pub fn of(c: &ExactCover) -> BallsClosed {
        let open = c.balls.iter().filter(|b| !b.closed).count();
        if c.level_exclusion.is_some() {
            BallsClosed::SublevelOpen
        } else if c.balls.is_empty() {
            BallsClosed::NoneExcluded
        } else if open > 0 {
            BallsClosed::SomeOpen {
                open,
                total: c.balls.len(),
            }
        } else {
            BallsClosed::AllClosed {
                total: c.balls.len(),
            }
        }
    }
}

/// What keeps the exact cover from proving the verdict on `M \ S`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CoverGap {
    /// No box is undecided, but not every excluded neighbourhood is closed.
    OpenNeighbourhoods {
        /// The excluded neighbourhoods.
        balls: BallsClosed,
    },
    /// Boxes are left undecided.
    Undecided {
        /// Undecided boxes.
        undecided: usize,
        /// The certified fraction of the volume near `M`.
        covered_fraction: f64,
        /// The budget that stopped the cover, if one did.
        limit: Option<CoverLimit>,
        /// The excluded neighbourhoods.
        balls: BallsClosed,
    },
}

/// What keeps the exact cover from proving the verdict near `S`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LocalGap {
    /// No box meeting the local regions is undecided, but a neighbourhood is not closed.
    OpenNeighbourhoods {
        /// The excluded neighbourhoods.
        balls: BallsClosed,
    },
    /// Boxes meeting the local regions are left undecided.
    Undecided {
        /// Undecided boxes meeting the local regions.
        undecided: usize,
        /// The certified fraction of the volume near `M` in the local regions.
        covered_fraction: f64,
        /// The excluded neighbourhoods.
        balls: BallsClosed,
    },
}

/// What the verdict on `M \ S` rests on.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DecreaseBasis {
    /// C4 was not run (see the notes).
    NotRun,
    /// No point of `M` was found in the search box.
    NoPointOfM,
    /// One NGD step from an exact point next to `near` increases `phi` (intervals).
    Refuted {
        /// The point of `M` the witness was built from.
        near: Vec<f64>,
    },
    /// Proved by the exact cover.
    CoverProved {
        /// Boxes examined.
        examined: usize,
        /// Boxes proved disjoint from `M`.
        disjoint: usize,
        /// Boxes certified.
        certified: usize,
        /// The excluded neighbourhoods (all closed).
        balls: BallsClosed,
    },
    /// The exact cover is incomplete: numerical evidence when `samples_negative` (every
    /// sampled point of `M` outside `S` has `Q < 0`), inconclusive otherwise.
    CoverIncomplete {
        /// What is missing.
        gap: CoverGap,
        /// Every sampled point outside the neighbourhood of `S` has `Q < 0`.
        samples_negative: bool,
    },
    /// `n > 3`: every sample has `Q < 0` and the boxes around them are proved, but not
    /// that they cover `M` (numerical evidence).
    SampledBoxesComplete {
        /// The number of variables.
        n: usize,
    },
    /// `n > 3`: every sample has `Q < 0`; the boxes cover `fraction` of them.
    SampledBoxesPartial {
        /// The number of variables.
        n: usize,
        /// The covered fraction of the samples.
        fraction: f64,
    },
    /// `n > 3`: some sampled point has `Q >= 0` or `phi` undefined, or none has `Q < 0`.
    SamplesNotNegative,
    /// No certificate was attempted (see the notes).
    NoCertificate,
    /// The order-2 term vanishes on `M` exactly: the verdict is the degenerate-order
    /// analysis ([`crate::DecreaseReport::degenerate`]).
    DegenerateOrder,
    /// Proved by an exact SOS certificate: `Q < 0` on `M \ S`, in any dimension
    /// ([`crate::DecreaseReport::sos`]).
    SosStrict {
        /// The number of squares of the certificate of `T >= 0`.
        squares: usize,
        /// The degree bound of the ideal membership.
        degree_bound: u32,
    },
}

/// What the verdict near `S` rests on.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LocalBasis {
    /// C4 was not run (see the notes).
    NotRun,
    /// No point of `M` was found in the search box.
    NoPointOfM,
    /// The witness of increase lies in the local region around `S`.
    Refuted,
    /// `S` was not located.
    SNotLocated,
    /// `S` is a set, whose neighbourhood is not closed by a local argument.
    SIsASet,
    /// Proved: every box of the exact cover meeting the local regions is decided.
    CoverProved {
        /// The excluded neighbourhoods (all closed).
        balls: BallsClosed,
    },
    /// The exact cover is incomplete near `S`: numerical evidence when
    /// `samples_negative`, inconclusive otherwise.
    CoverIncomplete {
        /// What is missing.
        gap: LocalGap,
        /// Every sampled point of the local region outside `S` has `Q < 0`.
        samples_negative: bool,
    },
    /// `n > 3`: every sampled point of the local region outside `S` has `Q < 0`.
    SampledBoxes {
        /// The number of variables.
        n: usize,
    },
    /// No certificate was attempted, or some sampled point near `S` has `Q >= 0`.
    NoCertificate,
    /// The order-2 term vanishes on `M` exactly: the verdict is the degenerate-order
    /// analysis ([`crate::DecreaseReport::degenerate`]).
    DegenerateOrder,
    /// Proved by the exact SOS certificate of `Q < 0` on all of `M \ S`, which contains the
    /// local region minus `S` ([`crate::DecreaseReport::sos`]).
    SosStrict,
}

/// What the samples say, outside and inside the local region.
pub(crate) struct SampleSupport {
    /// Every sample outside `S` has `Q < 0`, some has, and the first order is controlled.
    pub all: bool,
    /// Every sample of the local region outside `S` has `Q < 0` and `S` is located.
    pub local: bool,
}

impl SampleSupport {
    /// Reads the sign counts of `pat`.
    pub fn of(pat: &Pattern, first: FirstOrder, s: &MinimizerSet) -> SampleSupport {
        let bad = |c: &crate::SignCounts| c.positive + c.zero + c.undefined;
        let controlled = first != FirstOrder::Unknown;
        SampleSupport {
            all: controlled && bad(&pat.counts) == 0 && pat.counts.negative > 0,
            local: controlled && bad(&pat.local_counts) == 0 && !matches!(s, MinimizerSet::Unknown),
        }
    }
}

/// Sets both verdicts of `report` from its refutation, cover and certificate.
pub(crate) fn decide(report: &mut DecreaseReport, n: usize, s: &MinimizerSet, ok: &SampleSupport) {
    (report.evidence, report.basis) = on_m_minus_s(report, n, ok.all);
    (report.local, report.local_basis) = near_s(report, n, s, ok.local);
}

/// Sets both verdicts from the degenerate-order analysis `d` (a witness of increase, already
/// in `report.refutation`, keeps the verdicts `decide` gave it): refuted when `phi` is proved
/// invariant along the normal lines and not constant on `M` (near `S` when the point of
/// `M \ S` lies in the local region); on `M \ S` proved when the leading order is even with
/// a negative coefficient at every sample and the order certificate is complete (steps
/// starting on `M`, outside the excluded balls), numerical evidence when it is not;
/// inconclusive otherwise. Near `S` it stays numerical evidence (the balls are excluded).
pub(crate) fn decide_degenerate(report: &mut DecreaseReport, d: DegenerateOrder, s: &MinimizerSet) {
    let located = !matches!(s, MinimizerSet::Unknown);
    if report.refutation.is_none() {
        let (on_m, near) = match &d.conclusion {
            DegenerateConclusion::InvariantAlongNormals {
                non_constant: Some(w),
            } => {
                let near = if w.high_in_local_region {
                    Evidence::Refuted
                } else {
                    Evidence::Inconclusive
                };
                (Evidence::Refuted, near)
            }
            DegenerateConclusion::NegativeOnSamples { .. } if located => {
                (on_m_of(&d), Evidence::NumericalEvidence)
            }
            DegenerateConclusion::NegativeOnSamples { .. } => (on_m_of(&d), Evidence::Inconclusive),
            _ => (Evidence::Inconclusive, Evidence::Inconclusive),
        };
        (report.evidence, report.basis) = (on_m, DecreaseBasis::DegenerateOrder);
        (report.local, report.local_basis) = (near, LocalBasis::DegenerateOrder);
    } else if !report
        .refutation
        .as_ref()
        .is_some_and(|w| w.in_local_region)
    {
        (report.local, report.local_basis) = (Evidence::Inconclusive, LocalBasis::DegenerateOrder);
    }
    report.degenerate = Some(d);
}

/// Both verdicts proved when the SOS route proved `Q < 0` on `M \ S` (whatever the cover
/// said: the certificate holds at every point of `M \ S`, in any dimension). A witness of
/// increase (proved by intervals) would contradict it; then nothing is changed.
pub(crate) fn decide_sos(report: &mut DecreaseReport) {
    if report.refutation.is_some() {
        return;
    }
    let Some(SosDecrease::NonPositive {
        strict: Some(StrictDecrease::Proved { certificate }),
        ..
    }) = &report.sos
    else {
        return;
    };
    report.basis = DecreaseBasis::SosStrict {
        squares: certificate.squares,
        degree_bound: certificate.degree_bound,
    };
    report.evidence = Evidence::Proved;
    report.local = Evidence::Proved;
    report.local_basis = LocalBasis::SosStrict;
}

/// Even order, negative at every sample: proved on `M \ S` by a complete order certificate
/// (with `S` not located nothing is excluded, so every box of `M` must be certified), else
/// numerical evidence.
fn on_m_of(d: &DegenerateOrder) -> Evidence {
    if d.certificate.as_ref().is_some_and(|c| c.complete) {
        Evidence::Proved
    } else {
        Evidence::NumericalEvidence
    }
}

/// The verdict on `M \ S`: a witness refutes; the exact cover proves when complete and
/// every neighbourhood is closed; the samples give numerical evidence at most otherwise.
fn on_m_minus_s(r: &DecreaseReport, n: usize, sampled_ok: bool) -> (Evidence, DecreaseBasis) {
    if let Some(w) = &r.refutation {
        return (
            Evidence::Refuted,
            DecreaseBasis::Refuted {
                near: w.near.clone(),
            },
        );
    }
    if let Some(c) = &r.cover {
        let balls = BallsClosed::of(c);
        let all_closed = matches!(
            balls,
            BallsClosed::AllClosed { .. } | BallsClosed::NoneExcluded
        );
        if c.undecided == 0 && all_closed {
            let basis = DecreaseBasis::CoverProved {
                examined: c.examined,
                disjoint: c.disjoint,
                certified: c.certified,
                balls,
            };
            return (Evidence::Proved, basis);
        }
        let gap = if c.undecided == 0 {
            CoverGap::OpenNeighbourhoods { balls }
        } else {
            CoverGap::Undecided {
                undecided: c.undecided,
                covered_fraction: c.covered_fraction,
                limit: c.limit,
                balls,
            }
        };
        return (
            sampled_evidence(sampled_ok),
            DecreaseBasis::CoverIncomplete {
                gap,
                samples_negative: sampled_ok,
            },
        );
    }
    match &r.certificate {
        Some(c) if sampled_ok && c.eligible > 0.0 && c.fraction >= 1.0 => (
            Evidence::NumericalEvidence,
            DecreaseBasis::SampledBoxesComplete { n },
        ),
        Some(c) if sampled_ok => (
            Evidence::NumericalEvidence,
            DecreaseBasis::SampledBoxesPartial {
                n,
                fraction: c.fraction,
            },
        ),
        Some(_) => (Evidence::Inconclusive, DecreaseBasis::SamplesNotNegative),
        None => (Evidence::Inconclusive, DecreaseBasis::NoCertificate),
    }
}

/// The verdict near `S`: a witness in the local region refutes; only isolated points of
/// `S` whose every neighbourhood is closed and whose local boxes are all decided prove.
fn near_s(
    r: &DecreaseReport,
    n: usize,
    s: &MinimizerSet,
    local_ok: bool,
) -> (Evidence, LocalBasis) {
    if r.refutation.as_ref().is_some_and(|w| w.in_local_region) {
        return (Evidence::Refuted, LocalBasis::Refuted);
    }
    if !matches!(s, MinimizerSet::Points(p) if !p.is_empty()) {
        return match s {
            MinimizerSet::Unknown => (Evidence::Inconclusive, LocalBasis::SNotLocated),
            MinimizerSet::Level { .. } => (sampled_evidence(local_ok), LocalBasis::SIsASet),
            MinimizerSet::Points(_) => (Evidence::Inconclusive, LocalBasis::SIsASet),
        };
    }
    if let Some(c) = &r.cover {
        let balls = BallsClosed::of(c);
        let all_closed = matches!(balls, BallsClosed::AllClosed { .. });
        if c.local_undecided == 0 && all_closed {
            return (Evidence::Proved, LocalBasis::CoverProved { balls });
        }
        let gap = if c.local_undecided == 0 {
            LocalGap::OpenNeighbourhoods { balls }
        } else {
            LocalGap::Undecided {
                undecided: c.local_undecided,
                covered_fraction: c.local_covered_fraction.unwrap_or(0.0),
                balls,
            }
        };
        return (
            sampled_evidence(local_ok),
            LocalBasis::CoverIncomplete {
                gap,
                samples_negative: local_ok,
            },
        );
    }
    if local_ok && r.certificate.is_some() {
        (Evidence::NumericalEvidence, LocalBasis::SampledBoxes { n })
    } else {
        (Evidence::Inconclusive, LocalBasis::NoCertificate)
    }
}

/// Numerical evidence when the samples support the verdict, inconclusive otherwise.
fn sampled_evidence(samples_ok: bool) -> Evidence {
    if samples_ok {
        Evidence::NumericalEvidence
    } else {
        Evidence::Inconclusive
    }
}
