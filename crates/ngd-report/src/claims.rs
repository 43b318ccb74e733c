//! The `[expect]` claims of a case checked against the reports: each claim is matched, failed
//! (the checks established the opposite) or inconclusive.

use crate::report::{point_text, ClaimCheck, ClaimFinding, ClaimInputs, ClaimStatus, ClaimValue};
use ngd_check::{ConservationReport, Evidence};
use ngd_coercive::{CoercivityReport, CoercivityVerdict};
use ngd_decrease::DecreaseReport;
use ngd_minima::{compare_flat, MinimaReport};

/// Every claim of `claims` that has a report to be checked against, in a fixed order.
pub fn check_claims(
    claims: &ClaimInputs,
    conservation: Option<&ConservationReport>,
    coercivity: Option<&CoercivityReport>,
    decrease: Option<&DecreaseReport>,
    minima: Option<&MinimaReport>,
) -> Vec<ClaimCheck> {
    let mut out = Vec::new();
    if let Some(want) = claims.conserved {
        out.push(conserved_claim(want, conservation));
    }
    if let (Some(want), Some(c)) = (claims.coercive, coercivity) {
        out.push(coercive_claim(want, c));
    }
    if let (Some(want), Some(d)) = (claims.d_lyapunov, decrease) {
        out.push(d_lyapunov_claim(want, d));
    }
    if let (Some(points), None) = (&claims.flat_minima, &claims.flat_minima_values) {
        out.push(ClaimCheck {
            claim: "flat_minima",
            expected: ClaimValue::Points(points.clone()),
            found: ClaimFinding::ClaimUnevaluable,
            status: ClaimStatus::Failed,
        });
    }
    if let (Some(points), Some(values), Some(m)) =
        (&claims.flat_minima, &claims.flat_minima_values, minima)
    {
        out.push(flat_minima_claim(points, values, m));
    }
    out
}

/// Matched when the established fact `holds` agrees with the claim `want`.
fn status(want: bool, holds: bool) -> ClaimStatus {
    if want == holds {
        ClaimStatus::Matched
    } else {
        ClaimStatus::Failed
    }
}

fn claim(name: &'static str, want: bool, found: ClaimFinding, status: ClaimStatus) -> ClaimCheck {
    ClaimCheck {
        claim: name,
        expected: ClaimValue::Bool(want),
        found,
        status,
    }
}

/// `conserved`: against C1's exact verdict.
fn conserved_claim(want: bool, c1: Option<&ConservationReport>) -> ClaimCheck {
    let (found, st) = match c1.map(|c| c.conserved) {
        None => (ClaimFinding::NoRegularizer, ClaimStatus::Failed),
        Some(Evidence::Proved) => (ClaimFinding::ConservedProved, status(want, true)),
        Some(Evidence::Refuted) => (ClaimFinding::NotConservedWitness, status(want, false)),
        Some(evidence) => (
            ClaimFinding::ConservationOpen { evidence },
            ClaimStatus::Inconclusive,
        ),
    };
    claim("conserved", want, found, st)
}

/// `coercive`: against C5's proof or exact escape.
fn coercive_claim(want: bool, c: &CoercivityReport) -> ClaimCheck {
    let (found, st) = match (c.verdict, c.evidence) {
        (CoercivityVerdict::Coercive, Evidence::Proved) => {
            (ClaimFinding::CoerciveProved, status(want, true))
        }
        (CoercivityVerdict::NotCoercive, Evidence::Refuted) => {
            (ClaimFinding::NotCoerciveEscape, status(want, false))
        }
        (_, evidence) => (
            ClaimFinding::Undecided { evidence },
            ClaimStatus::Inconclusive,
        ),
    };
    claim("coercive", want, found, st)
}

/// `d_lyapunov`: against C4's verdict near `S`.
/// Whether C4 found `phi(x - a u) = phi(x)` exactly along the normals (degenerate orders).
fn invariant_along_normals(d: &DecreaseReport) -> bool {
    d.degenerate.as_ref().is_some_and(|g| {
        matches!(
            g.conclusion,
            ngd_decrease::DegenerateConclusion::InvariantAlongNormals { .. }
        )
    })
}

fn d_lyapunov_claim(want: bool, d: &DecreaseReport) -> ClaimCheck {
    let (found, st) = match d.local {
        Evidence::Proved => (ClaimFinding::DecreasesNearS, status(want, true)),
        Evidence::Refuted if invariant_along_normals(d) => {
            (ClaimFinding::InvariantAlongNormals, status(want, false))
        }
        Evidence::Refuted => (ClaimFinding::IncreasesNearS, status(want, false)),
        evidence => (
            ClaimFinding::Undecided { evidence },
            ClaimStatus::Inconclusive,
        ),
    };
    claim("d_lyapunov", want, found, st)
}

/// `flat_minima`: the claimed points against C3's isolated flat points.
fn flat_minima_claim(
    points: &str,
    values: &[Vec<rug::Float>],
    minima: &MinimaReport,
) -> ClaimCheck {
    let cmp = compare_flat(&minima.flat, values);
    let found: Vec<String> = minima
        .flat
        .flat_points
        .iter()
        .map(|p| point_text(&p.point))
        .collect();
    let status = if cmp.all_matched && cmp.unclaimed.is_empty() {
        ClaimStatus::Matched
    } else if !found.is_empty() {
        ClaimStatus::Failed
    } else {
        ClaimStatus::Inconclusive
    };
    ClaimCheck {
        claim: "flat_minima",
        expected: ClaimValue::Points(points.to_string()),
        found: ClaimFinding::FlatPoints {
            points: found,
            notes: cmp.notes,
        },
        status,
    }
}
