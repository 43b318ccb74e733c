//! Wording of the sum-of-squares certificates (C1, C4, C5): where the inequality holds and the
//! size of the certificate; the certificate itself is in the JSON.

use ngd_sos::{NotFound, SosClaim, SosDomain};

/// "PROVED everywhere by an exact sum-of-squares certificate (...)".
pub(super) fn sos_claim_text(c: &SosClaim) -> String {
    let s = &c.certificate.sizes;
    let where_ = match c.domain {
        SosDomain::Everywhere => "everywhere".to_string(),
        SosDomain::OnEquations => format!("where {} = 0", c.equations.join(" = ")),
    };
    let kernel = if s.kernel > 0 {
        format!(", {} kernel vectors imposed exactly", s.kernel)
    } else {
        String::new()
    };
    format!(
        "PROVED {where_} by an exact sum-of-squares certificate (Gram basis of {} monomials, {} before the Newton polytope reduction; rank {}{kernel}; rounded to multiples of 1/{}, checked by exact L D L^T)",
        s.basis.reduced, s.basis.full, c.certificate.rank, s.denominator
    )
}

/// Why no certificate was found (never a refutation).
pub(super) fn sos_not_found_text(r: &NotFound) -> String {
    match r {
        NotFound::NotPolynomial => "not attempted: not a polynomial".into(),
        NotFound::TargetTooLarge => format!(
            "not attempted: building the polynomial would exceed {} term products",
            ngd_sos::MAX_PRODUCT_WORK
        ),
        NotFound::OddDegree => "no certificate: odd degree".into(),
        NotFound::TooLarge { basis, limit } => {
            format!("not attempted: a Gram basis of {basis} monomials exceeds the limit of {limit}")
        }
        NotFound::Inconsistent => {
            "no certificate: no Gram matrix over the basis matches the coefficients".into()
        }
        NotFound::EliminationTooLarge { limit } => {
            format!("inconclusive: the exact elimination exceeded {limit} entries")
        }
        NotFound::Infeasible => {
            "no certificate: the semidefinite program is infeasible (numerically)".into()
        }
        NotFound::NegativeMargin { margin } => format!(
            "no certificate: the best Gram matrix the SDP solver found has a negative eigenvalue (relative margin {margin:.1e})"
        ),
        NotFound::SolverStopped { status } => format!("inconclusive: the SDP solver stopped ({status})"),
        NotFound::RoundingFailed { margin, max_bits } => format!(
            "inconclusive: no rounding up to 2^-{max_bits} is exactly positive semidefinite (numerical margin {margin:.1e})"
        ),
    }
}
