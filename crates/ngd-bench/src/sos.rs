//! Job 5, sums of squares: the product family's C4 numerator `-grad g^T Hess(phi) grad g`
//! proved a sum of squares, in process.
//!
//! * `timing`: [`prove_nonnegative`] from the expanded polynomial to the exactly verified
//!   certificate (basis, SDP, facial reduction, rounding, exact `L D L^T`), what the proof
//!   costs;
//! * `build_timing`: the reduced Gram basis and the coefficient equations alone;
//! * `sdp_timing`: Clarabel on that program alone (a numerical solution, no proof), the part
//!   comparable with the peers' solver call.
//!
//! The record also carries the expanded polynomial, so the peer script (bench/peers/
//! sos_peers.py) solves the same target and checks it against its own construction.

#[path = "../../ngd-sos/tests/support/product_family.rs"]
mod product_family;

use crate::cases::SosCase;
use crate::stats::{measure, peak_rss_kib, Plan};
use ngd_algebra::Poly;
use ngd_sos::basis::newton_basis;
use ngd_sos::program::{terms_of, GramProgram};
use ngd_sos::{prove_nonnegative, sdp, SosOptions, SosOutcome};
use serde_json::{json, Value};

/// The target of the case: `-grad g^T Hess(phi) grad g` in `case.n` variables.
pub fn target(case: &SosCase) -> Poly {
    product_family::minus_numerator(case.n)
}

/// The reduced Gram program of `p` (no multipliers), as `prove_nonnegative` builds it.
fn program(p: &Poly) -> Option<GramProgram> {
    let t = terms_of(p)?;
    let support: Vec<_> = t.iter().map(|(m, _)| m.clone()).collect();
    let (basis, _) = newton_basis(p.n_vars(), &support)?;
    Some(GramProgram::new(p.n_vars(), basis, &t, &[], &[]))
}

/// One proof attempt, for whole-process timing: "proved" or the reason there is none.
pub fn once(case: &SosCase) -> String {
    match prove_nonnegative(&target(case), &[], &SosOptions::default()) {
        SosOutcome::Proved(_) => "proved".into(),
        SosOutcome::NotFound { reason, .. } => format!("no certificate: {reason:?}"),
    }
}

/// Times the case and returns its JSON record.
pub fn run(case: &SosCase, plan: Plan) -> Result<Value, String> {
    let p = target(case);
    let opts = SosOptions::default();
    let (timing, outcome) = measure(plan, || prove_nonnegative(&p, &[], &opts));
    let (build_timing, prog) = measure(plan, || program(&p));
    let prog = prog.ok_or("the Gram basis exceeds its candidate limit")?;
    let (sdp_timing, solution) = measure(plan, || sdp::solve(&prog, opts.max_iterations));
    let (outcome, sizes) = match outcome {
        SosOutcome::Proved(c) => ("proved".to_string(), Some(c.sizes)),
        SosOutcome::NotFound { reason, .. } => (format!("no certificate: {reason:?}"), None),
    };
    let terms: Vec<Value> = p.terms().map(|(e, c)| json!([e, c.to_string()])).collect();
    Ok(json!({
        "job": "sos",
        "side": "ours",
        "impl": "ngd-sos prove_nonnegative",
        "case": case.name,
        "n": case.n,
        "terms": p.len(),
        "polynomial": { "n": case.n, "terms": terms },
        "outcome": outcome,
        "sizes": sizes,
        "sdp_basis": prog.basis.len(),
        "sdp_unknowns": prog.n_unknowns(),
        "sdp_equations": prog.equations.len(),
        "sdp_iterations": solution.as_ref().map(|s| s.iterations).ok(),
        "timing": timing,
        "build_timing": build_timing,
        "sdp_timing": sdp_timing,
        "peak_rss_kib": peak_rss_kib(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product3_is_proved_with_the_seven_monomial_basis() {
        let case = SosCase {
            name: "product3".into(),
            n: 3,
        };
        let plan = Plan {
            reps: 1,
            budget_s: 60.0,
        };
        let r = run(&case, plan).unwrap();
        assert_eq!(r["outcome"], "proved");
        assert_eq!(r["sdp_basis"], 7);
        assert_eq!(r["sizes"]["basis"]["reduced"], 7);
        assert_eq!(r["polynomial"]["terms"].as_array().unwrap().len(), 7);
        assert_eq!(once(&case), "proved");
    }
}
