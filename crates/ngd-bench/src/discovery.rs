//! Job 2, discovery: the conserved polynomials of degree `1..=d` of the flow of
//! `f = sum_k g_k^2`, in process.
//!
//! * `ansatz` (compared with the peers, who build the linear system from the strings and
//!   compute its exact nullspace): parse `f`, extract the fields `grad g_k`, build the
//!   polynomial system and solve it exactly ([`discover`] with only the polynomial ansatz
//!   and without the re-check). `system` is the part of it spent building and solving the
//!   system, as timed inside `discover`.
//! * `verified`: the same plus the exact zero test of every basis element (the default).
//! * `full`: [`discover`] with its default options at that degree (Laurent and exponential
//!   ansätze, linear symmetries, the completeness count, verification).

use crate::cases::DiscoveryCase;
use crate::stats::{measure, peak_rss_kib, Plan};
use ngd_discover::{discover, DiscoverOptions, DiscoveryReport};
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use serde_json::{json, Value};

/// Parses `f` and runs discovery with `opts`.
pub fn run_once(case: &DiscoveryCase, opts: &DiscoverOptions) -> DiscoveryReport {
    let mut arena = Arena::new(case.vars.clone());
    let f = parse_expr(&mut arena, &case.f, &Params::new()).expect("f parses");
    discover(&mut arena, f, opts)
}

/// Only the polynomial ansatz, optionally re-checked.
pub fn polynomial_only(degree: u32, verify: bool) -> DiscoverOptions {
    DiscoverOptions {
        degree,
        laurent: false,
        exp: false,
        linear_symmetries: false,
        completeness: false,
        verify,
        ..DiscoverOptions::default()
    }
}

/// Times the case and returns its JSON record; `full_plan` is `None` to skip the full run.
pub fn run(case: &DiscoveryCase, plan: Plan, full_plan: Option<Plan>) -> Value {
    let bare = polynomial_only(case.degree, false);
    let (ansatz, report) = measure(plan, || run_once(case, &bare));
    let a = &report.ansatz[0];
    let (verified, vreport) = measure(plan, || run_once(case, &polynomial_only(case.degree, true)));
    let all_proved = vreport.ansatz[0]
        .basis
        .iter()
        .all(|q| q.verified == ngd_check::Evidence::Proved);
    let full = full_plan.map(|p| {
        let opts = DiscoverOptions {
            degree: case.degree,
            ..DiscoverOptions::default()
        };
        let (t, r) = measure(p, || run_once(case, &opts));
        json!({
            "timing": t,
            "laws_exist": r.completeness.laws_exist,
            "laws_found": r.completeness.laws_found,
        })
    });
    json!({
        "job": "discovery",
        "side": "ours",
        "impl": "ngd-verify discover",
        "case": case.name,
        "degree": case.degree,
        "vars": case.vars.len(),
        "n_g": case.g.len(),
        "unknowns": a.unknowns,
        "rows": a.equations,
        "blocks": a.blocks,
        "largest_block": a.largest_block,
        "rank": a.rank,
        "method": a.method,
        "nullspace_dim": a.nullspace_dim,
        "expected_dim": case.expected_dim,
        "timing": ansatz,
        "system_s_last_rep": a.elapsed.as_secs_f64(),
        "verified_timing": verified,
        "basis_all_proved": all_proved,
        "full": full,
        "peak_rss_kib": peak_rss_kib(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{find, Cases};

    #[test]
    fn small_cases_find_the_expected_dimension() {
        let cases = Cases::embedded();
        for name in ["xy_d4", "prod3_d4", "mat2_d2"] {
            let c = find(&cases.discovery, name, |c| &c.name).unwrap();
            let r = run_once(c, &polynomial_only(c.degree, true));
            assert_eq!(r.ansatz[0].nullspace_dim, c.expected_dim, "{name}");
        }
    }
}
