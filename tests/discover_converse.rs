//! End-to-end tests of the exact converse of `discover`: the proposed `phi` vanishes on `M`
//! *only* on the flat set, proved by SOS certificates that `recheck` re-verifies.

mod support;

use serde_json::Value;
use std::time::{Duration, Instant};
use support::{run_binary as run, stdout_text as stdout};

/// Shipped cases where the converse is proved: (case, `M = V(residual)`, flat equations).
const PROVED: [(&str, &str, &[&str]); 4] = [
    ("xy", "x*y - 1", &["x - y", "x^2 - 1", "y^2 - 1"]),
    ("abs-xy", "x*y - 1", &["x - y", "x^2 - 1", "y^2 - 1"]),
    ("log-loss", "x*y - 1", &["x - y", "x^2 - 1", "y^2 - 1"]),
    ("hyperbola", "x^2 - y^2 - 1", &["y", "x^2 - 1"]),
];

/// A discover run's JSON, and how long it took.
fn discover_json(case: &str) -> (Value, Duration) {
    let path = format!("cases/{case}.case");
    let start = Instant::now();
    let out = run(&["discover", &path, "--format", "json"]);
    let took = start.elapsed();
    assert!(out.status.success(), "{case}: {out:?}");
    (serde_json::from_str(&stdout(&out)).unwrap(), took)
}

#[test]
fn the_converse_is_proved_on_the_shipped_cases_with_finitely_many_flat_points() {
    for (case, residual, equations) in PROVED {
        let (json, took) = discover_json(case);
        let c = &json["zero_set"]["converse"];
        assert_eq!(c["evidence"], "proved", "{case}: {c}");
        assert_eq!(c["residuals"], serde_json::json!([residual]), "{case}");
        assert_eq!(c["flat_equations"], serde_json::json!(equations), "{case}");
        assert_eq!(c["degree"], 4, "{case}");
        let steps = c["steps"].as_array().unwrap();
        // Every flat equation has its step, each on M (the residual first among its
        // equations) and after phi's terms.
        for e in equations {
            let step = steps.iter().find(|s| s["equation"] == *e);
            let step = step.unwrap_or_else(|| panic!("{case}: no step for {e}"));
            assert_eq!(step["role"], "flat_equation");
            assert_eq!(step["claim"]["equations"][0], residual, "{case}");
        }
        assert!(took < Duration::from_secs(20), "{case}: {took:?}");
    }
}

#[test]
fn recheck_re_verifies_every_step_of_the_converse() {
    let dir = std::env::temp_dir().join(format!("ngd-discover-converse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for case in ["xy", "hyperbola"] {
        let (json, _) = discover_json(case);
        let steps = json["zero_set"]["converse"]["steps"]
            .as_array()
            .unwrap()
            .len();
        let path = dir.join(format!("{case}.json"));
        std::fs::write(&path, json.to_string()).unwrap();
        let out = run(&["recheck", path.to_str().unwrap()]);
        let text = stdout(&out);
        assert!(out.status.success(), "{case}: {text}");
        let converse_items = text
            .lines()
            .filter(|l| l.contains("zero_set.converse.steps[") && l.ends_with("holds"))
            .count();
        assert_eq!(converse_items, steps, "{case}: {text}");
        // The chain and its conclusion are re-proved too, not only the certificates.
        for claim in ["zero_set.converse.steps:", "zero_set.converse:"] {
            assert!(
                text.lines()
                    .any(|l| l.contains(claim) && l.ends_with("holds")),
                "{case} {claim}: {text}"
            );
        }
        // A flat point dropped from both lists: the conclusion fails (exit 1), naming the
        // common zero the printed flat set misses.
        let mut tampered = json.clone();
        for list in ["/proposal/vanishing/points", "/flat_set_source/points"] {
            let points = tampered.pointer_mut(list).unwrap().as_array_mut().unwrap();
            points.pop();
        }
        std::fs::write(&path, tampered.to_string()).unwrap();
        let out = run(&["recheck", path.to_str().unwrap()]);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{case}: {text}");
        assert!(text.contains("also vanish at"), "{case}: {text}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_text_output_says_what_is_proved_in_one_line() {
    let out = run(&["discover", "cases/xy.case"]);
    let text = stdout(&out);
    let line = text.lines().find(|l| l.contains("converse:")).unwrap();
    assert!(
        line.contains("phi = 0 on M only at the flat set (proved: SOS certificate, degree 4"),
        "{line}"
    );
}

#[test]
fn an_unproved_converse_names_its_bound_and_refutes_nothing() {
    for case in ["product3", "diagonal-net"] {
        let (json, took) = discover_json(case);
        let c = &json["zero_set"]["converse"];
        let evidence = c["evidence"].as_str().unwrap();
        assert!(
            ["proved", "inconclusive"].contains(&evidence),
            "{case}: {c}"
        );
        if evidence == "inconclusive" {
            assert_eq!(c["reason"]["kind"], "no_certificate", "{case}: {c}");
        }
        // The text line says why, never that phi vanishes elsewhere.
        let text = stdout(&run(&["discover", &format!("cases/{case}.case")]));
        let line = text.lines().find(|l| l.contains("converse:")).unwrap();
        assert!(
            !line.contains("refuted") || line.contains("nothing is refuted"),
            "{line}"
        );
        assert!(took < Duration::from_secs(30), "{case}: {took:?}");
    }
}
