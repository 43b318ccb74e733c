//! Wording of the sum-of-squares certificates (C1, C4, C5): where the inequality holds and the
//! size of the certificate; the certificate itself is in the JSON.

use ngd_decrease::StrictDecrease;
use ngd_sos::{NotFound, SosClaim, SosDomain, StrictFactor, StrictNotFound, StrictStatement};

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

/// The strict half of the C4 SOS route, appended to the `Q <= 0` text: "; strict: PROVED
/// Q < 0 on M \\ S (...)" or why not.
pub(super) fn strict_text(s: &StrictDecrease) -> String {
    let c = match s {
        StrictDecrease::Proved { certificate } => certificate,
        StrictDecrease::NotFound { reason } => {
            return format!(
                "; strict Q < 0 on M \\ S: {}",
                strict_not_found_text(reason)
            )
        }
    };
    let factor = match c.factor {
        StrictFactor::One => "",
        StrictFactor::NormalNorm => " |J^T y|^2",
    };
    let sizes = format!(
        "{} squares q_k of degree <= {} from the exact L D L^T, ideal membership of degree {} \
         ({} unknowns, {} equations) checked by exact expansion",
        c.squares, c.square_degree, c.degree_bound, c.unknowns, c.equations
    );
    match (&c.statement, &c.lower_bound) {
        (StrictStatement::AbovePhi { c: level }, Some(claim)) => {
            let power = if c.power == 1 {
                String::new()
            } else {
                format!("^{}", c.power)
            };
            format!(
                "; strict: PROVED Q < 0 on M \\ S: (phi - {level}){power}{factor} = sum a_i g_i + \
                 sum b_k q_k ({sizes}), and phi - {level} >= 0 on M {}",
                sos_claim_text(claim)
            )
        }
        _ => format!(
            "; strict: PROVED Q < 0 on all of M:{factor} = sum a_i g_i + sum b_k q_k ({sizes})"
        ),
    }
}

/// Why the strict certificate was not found, with the knob that bounds the search.
fn strict_not_found_text(r: &StrictNotFound) -> String {
    match r {
        StrictNotFound::SquaresMismatch | StrictNotFound::MembershipMismatch => {
            "not proved: an exact identity failed its check".into()
        }
        StrictNotFound::TooLarge { unknowns, limit } => format!(
            "inconclusive: the membership system has {unknowns} unknowns, over the limit of {limit}"
        ),
        StrictNotFound::TargetTooLarge => format!(
            "not attempted: building (phi - c)^power F would exceed {} term products",
            ngd_sos::MAX_PRODUCT_WORK
        ),
        StrictNotFound::EliminationTooLarge { limit } => {
            format!("inconclusive: the exact elimination exceeded {limit} entries")
        }
        StrictNotFound::NotInIdeal {
            extra_degree,
            max_power,
        } => format!(
            "inconclusive: no ideal membership with degree margin {extra_degree} (extra_degree) \
             and powers up to {max_power} (max_power)"
        ),
        StrictNotFound::SingularPointsNotExcluded { extra_degree } => format!(
            "inconclusive: no identity 1 = sum c_i g_i + sum d_ia dg_i/dx_a with degree margin \
             {extra_degree} (extra_degree), so points of M without a normal direction are not \
             excluded"
        ),
        StrictNotFound::LowerBoundNotProved { c, reason } => format!(
            "inconclusive: the membership fixes c = {c}, but phi - {c} >= 0 on M was not proved \
             ({})",
            sos_not_found_text(reason)
        ),
    }
}
