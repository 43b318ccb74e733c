//! Job 1, identity: from the strings `f`, `phi` to the C1 verdict, in process.
//!
//! * `c1`: what the CLI's `check-identity` computes: parse both strings into a fresh
//!   arena, then [`check_conservation`] on the box `[-3, 3]^n` (structure detection,
//!   gradients, the exact canonical form of the tested product, and for a non-conserved
//!   `phi` the witness search and the sign check of `I`). This is the number compared with
//!   the peers.
//! * phases of the same path, timed separately: `parse`, `gradient` (structure detection,
//!   gradients and the inner product that is zero-tested), `canonical` (the exact canonical
//!   form and the zero test); `c1` minus their sum is the rest of C1 (printing the
//!   gradients and the form, and the witness search when `phi` is not conserved).

use crate::cases::IdentityCase;
use crate::stats::{measure, peak_rss_kib, Plan, Samples};
use ngd_algebra::canonicalize;
use ngd_check::conservation::ConservationOptions;
use ngd_check::{check_conservation, Evidence, RationalBox, Structure};
use ngd_expr::{Arena, ExprId};
use ngd_parse::{parse_expr, Params};
use serde_json::{json, Value};
use std::time::Instant;

/// Half-width of the search box, as in `ngd-verify check-identity` (default `--radius 3`).
const RADIUS: i64 = 3;

/// A fresh arena with `f` and `phi` parsed into it.
fn parse(case: &IdentityCase) -> (Arena, ExprId, ExprId) {
    let mut arena = Arena::new(case.vars.clone());
    let params = Params::new();
    let f = parse_expr(&mut arena, &case.f, &params).expect("f parses");
    let phi = parse_expr(&mut arena, &case.phi, &params).expect("phi parses");
    (arena, f, phi)
}

/// The whole C1 check from the strings; returns whether `phi` was proved conserved.
pub fn c1(case: &IdentityCase) -> Evidence {
    let (mut arena, f, phi) = parse(case);
    let bx = RationalBox::cube(arena.n_vars(), RADIUS);
    let report = check_conservation(&mut arena, f, phi, &bx, &ConservationOptions::default());
    report.conserved
}

/// Seconds spent in each phase of one pass, and the zero-test verdict.
struct Phases {
    parse: f64,
    gradient: f64,
    canonical: f64,
    zero: bool,
    terms: usize,
}

/// One instrumented pass: parse, gradient of the tested product, canonical form.
fn phases(case: &IdentityCase) -> Phases {
    let t0 = Instant::now();
    let (mut arena, f, phi) = parse(case);
    let t1 = Instant::now();
    let grad_phi = arena.gradient(phi);
    // For f = c h(g) the smaller product <grad g, grad phi> is tested (as C1 does).
    let tested = match Structure::detect(&arena, f) {
        Structure::Scalar { g, .. } => {
            let grad_g = arena.gradient(g);
            arena.dot(&grad_g, &grad_phi)
        }
        _ => {
            let grad_f = arena.gradient(f);
            arena.dot(&grad_f, &grad_phi)
        }
    };
    let t2 = Instant::now();
    let canon = canonicalize(&arena, tested).expect("polynomial identities canonicalize");
    let t3 = Instant::now();
    Phases {
        parse: (t1 - t0).as_secs_f64(),
        gradient: (t2 - t1).as_secs_f64(),
        canonical: (t3 - t2).as_secs_f64(),
        zero: canon.is_zero(),
        terms: canon.numerator_terms(),
    }
}

/// Times the case and returns its JSON record.
pub fn run(case: &IdentityCase, plan: Plan) -> Value {
    let (total, verdict) = measure(plan, || c1(case));
    let (zero_test, _) = measure(plan, || phases(case).zero);
    let mut parts = Vec::new();
    for _ in 0..total.n.max(1) {
        parts.push(phases(case));
    }
    let med =
        |sel: fn(&Phases) -> f64| Samples::from_times(parts.iter().map(sel).collect()).median_s;
    let last = &parts[parts.len() - 1];
    let n_vars = case.vars.len();
    let dag_nodes = {
        let (arena, _, _) = parse(case);
        arena.len()
    };
    json!({
        "job": "identity",
        "side": "ours",
        "impl": "ngd-verify C1",
        "case": case.name,
        "vars": n_vars,
        "dag_nodes_after_parse": dag_nodes,
        "verdict": format!("{verdict:?}"),
        "is_zero": verdict == Evidence::Proved,
        "expected_zero": case.conserved,
        "canonical_terms": last.terms,
        "zero_test_is_zero": last.zero,
        "timing": total,
        "zero_test_timing": zero_test,
        "phases_median_s": {
            "parse": med(|p| p.parse),
            "gradient": med(|p| p.gradient),
            "canonical": med(|p| p.canonical),
        },
        "peak_rss_kib": peak_rss_kib(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{find, Cases};

    #[test]
    fn small_cases_get_the_expected_verdicts() {
        let cases = Cases::embedded();
        for name in ["xy", "xy_neg", "prod8"] {
            let c = find(&cases.identity, name, |c| &c.name).unwrap();
            let proved = c1(c) == Evidence::Proved;
            assert_eq!(proved, c.conserved, "{name}");
            assert_eq!(phases(c).zero, c.conserved, "{name}");
        }
    }
}
