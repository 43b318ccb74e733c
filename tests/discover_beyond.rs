//! End-to-end tests of `ngd-verify discover` beyond polynomial fields: `exp` fields (the
//! function ring), `max(0, .)` networks and other piecewise fields region by region, and the
//! check that the proposed `phi` vanishes on the flat set.

mod support;

use std::path::PathBuf;
use support::{run_binary as run, stdout_text as stdout};

fn temp_case(name: &str, body: &str) -> PathBuf {
    support::temp_case("beyond", name, body)
}

fn discover(path: &str, flags: &[&str]) -> String {
    let mut args = vec!["discover", path];
    args.extend_from_slice(flags);
    let o = run(&args);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{path}: {out}");
    out
}

/// The output up to the proposed regularizer.
fn discovery_part(out: &str) -> &str {
    &out[..out.find("Proposed regularizer").unwrap_or(out.len())]
}

#[test]
fn exp_field_case() {
    let out = discover("cases/exp-field.case", &[]);
    assert!(
        out.contains("grad(exp(x)*y - 1) = (y*exp(x), exp(x))"),
        "{out}"
    );
    assert!(out.contains("function ring: Laurent polynomials in the variables and exp(x)"));
    assert!(
        out.contains("psi = y^2 - 2*x  [proved: <grad g, grad psi> == 0"),
        "{out}"
    );
    assert!(out.contains("Completeness: 1 law exists; 1 found (complete) [proved]"));
    // The proposal depends on C3's flat set (its own snapshots); the discovery part is ours.
    insta::assert_snapshot!("discover_beyond_exp-field", discovery_part(&out));
}

#[test]
fn relu_network_case() {
    let out = discover("cases/relu-net.case", &[]);
    assert!(out.contains("kink sets {w1 = 0} (max), {w2 = 0} (max); 4 regions"));
    assert!(out.contains("Region w1 > 0, w2 > 0"));
    assert!(out.contains("Laws proved on every region (conserved off the kink sets): 2"));
    assert!(out.contains("psi = w1^2 - v1^2  [proved: <grad g_i, grad psi> == 0 on the smooth formula of each of the 4 regions"));
    assert!(out.contains("psi = w2^2 - v2^2  [proved"));
    insta::assert_snapshot!("discover_beyond_relu-net", discovery_part(&out));
}

#[test]
fn the_exp_proposal_vanishes_exactly_on_a_claimed_flat_point() {
    let p = temp_case(
        "exp-flat.case",
        "variables = [\"x\", \"y\"]\nobjective = \"(exp(x)*y - 1)^2\"\n[expect]\nflat_minima = [[\"0\", \"1\"]]\n",
    );
    let out = discover(p.to_str().unwrap(), &[]);
    assert!(out.contains("regularizer = \"(y^2 - 2*x - 1)^2\""), "{out}");
    assert!(
        out.contains(
            "phi on the flat set: phi == 0 exactly at the exact coordinates of every flat point"
        ),
        "{out}"
    );
    assert!(out.contains("(0, 1): phi = 0 (exact)"), "{out}");
    let o = run(&["discover", p.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["proposal"]["vanishing"]["evidence"], "proved");
    assert_eq!(v["discovery"]["ring"]["atoms"][0]["display"], "exp(x)");
}

#[test]
fn the_relu_proposal_vanishes_exactly_at_a_claimed_irrational_flat_point() {
    // (w1, w2, v1, v2) = (sqrt(1/2), 0, sqrt(1/2), 0): 2*v1*w1 = 1, on M; the balances are 0.
    let p = temp_case(
        "relu-flat.case",
        "variables = [\"w1\", \"w2\", \"v1\", \"v2\"]\n\
         objective = \"(v1*max(0, 2*w1) + v2*max(0, 2*w2) - 1)^2\"\n\
         [expect]\nflat_minima = [[\"sqrt(1/2)\", \"0\", \"sqrt(1/2)\", \"0\"]]\n",
    );
    let out = discover(p.to_str().unwrap(), &[]);
    assert!(
        out.contains("regularizer = \"(w1^2 - v1^2)^2 + (w2^2 - v2^2)^2\""),
        "{out}"
    );
    assert!(out.contains("phi == 0 exactly at the exact coordinates of every flat point [proved]"));
}

#[test]
fn an_exp_field_without_a_law_in_the_ansatz_lists_none() {
    // grad(exp(x) + x*y) = (exp(x) + y, x): one law exists, none of the shapes tried.
    let p = temp_case(
        "exp-none.case",
        "variables = [\"x\", \"y\"]\nobjective = \"(exp(x) + x*y)^2\"\n",
    );
    let out = discover(p.to_str().unwrap(), &["--laurent", "--exp"]);
    assert!(!out.contains("psi ="), "{out}");
    assert!(out.contains("no conserved quantity of this shape"), "{out}");
    assert!(out.contains("1 law exists; 0 found: 1 missing"), "{out}");
}

#[test]
fn a_max_law_on_one_region_is_not_claimed_on_the_other() {
    let p = temp_case(
        "max-one-region.case",
        "variables = [\"x\", \"y\"]\nobjective = \"(max(x*y, x + y) - 1)^2\"\n",
    );
    let out = discover(p.to_str().unwrap(), &["--degree", "2"]);
    let pos = out.find("Region x*y - x - y > 0").expect("first region");
    let neg = out.find("Region x*y - x - y < 0").expect("second region");
    assert!(pos < neg);
    let (first, second) = (&out[pos..neg], &out[neg..]);
    assert!(first.contains("psi = x^2 - y^2  [proved"), "{out}");
    assert!(!first.contains("psi = x - y "), "{out}");
    assert!(second.contains("psi = x - y  [proved"), "{out}");
    assert!(!second.contains("x^2 - y^2"), "{out}");
    assert!(out.contains("Laws proved on every region (conserved off the kink sets): 0"));
    assert!(out.contains("none: no law holds on all regions"));
}

#[test]
fn an_abs_law_holds_off_the_kink_set() {
    let p = temp_case(
        "abs-kink.case",
        "variables = [\"x\", \"y\"]\nobjective = \"(abs(x)*y - 1)^2\"\n",
    );
    let out = discover(p.to_str().unwrap(), &["--degree", "2"]);
    assert!(out.contains("kink sets {x = 0} (abs); 2 regions"), "{out}");
    assert!(out.contains("psi = x^2 - y^2  [proved: <grad g_i, grad psi> == 0 on the smooth formula of each of the 2 regions, exact zero test of the canonical form: conserved off the kink sets]"), "{out}");
}

#[test]
fn reports_beyond_polynomials_are_deterministic() {
    for case in ["cases/exp-field.case", "cases/relu-net.case"] {
        let a = run(&["discover", case, "--format", "json"]);
        let b = run(&["discover", case, "--format", "json"]);
        assert_eq!(a.stdout, b.stdout, "{case}");
    }
}

#[test]
fn hostile_fields_give_reasons_not_panics() {
    let cases = [
        (
            "(exp(exp(x))*y - 1)^2",
            "has an argument that is not a Laurent polynomial",
        ),
        ("(exp(x + 1)*y - 1)^2", "nonzero constant term"),
        ("(exp(x) + exp(x/1009) - y)^2", "exponent above 1000"),
        (
            "(log(x + y) - 1)^2",
            "log of something other than a variable",
        ),
        ("(exp(10^30*x)*y - 1)^2", "does not fit in 64 bits"),
        (
            "(abs(x) + abs(y) + abs(x - y) + abs(x + y) + abs(x - 2*y) - 1)^2",
            "5 kink sets exceed the limit 4",
        ),
        ("(max(0, y*max(0, x)) - 1)^2", "4 regions"),
    ];
    for (i, (f, reason)) in cases.iter().enumerate() {
        let p = temp_case(
            &format!("hostile-{i}.case"),
            &format!("variables = [\"x\", \"y\"]\nobjective = \"{f}\"\n"),
        );
        let o = run(&["discover", p.to_str().unwrap(), "--laurent", "--exp"]);
        let (out, err) = (stdout(&o), String::from_utf8_lossy(&o.stderr));
        assert_eq!(o.status.code(), Some(0), "{f}: {err}");
        assert!(!err.contains("panicked"), "{f}: {err}");
        assert!(out.contains(reason), "{f}: {out}");
    }
}

/// The diagonal network's flat set is a 2-sphere that C3 describes by equations
/// (`g = 0, grad s = 2 grad g`): every term of the proposal is proved to vanish on the whole
/// set by exact ideal membership, not only at the sampled points.
#[test]
fn the_diagonal_network_proposal_vanishes_on_the_whole_flat_sphere() {
    let o = run(&["discover", "cases/diagonal-net.case", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let sets = v["proposal"]["equation_sets"]
        .as_array()
        .expect("the flat component's equations are checked");
    assert_eq!(sets.len(), 1, "{sets:?}");
    assert_eq!(sets[0]["evidence"], "proved", "{:?}", sets[0]);
    let terms = sets[0]["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 9);
    assert!(terms.iter().all(|t| t["outcome"]["kind"] == "member"));
    // The sampled points stay numerical evidence: the proof is about the set.
    assert_eq!(v["proposal"]["vanishing"]["evidence"], "numerical_evidence");
    let text = stdout(&run(&["discover", "cases/diagonal-net.case"]));
    assert!(
        text.contains("phi on flat component 1 (dimension 2): phi == 0 at every point of the set"),
        "{text}"
    );
}
