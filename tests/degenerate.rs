//! End to end: C4 when `Q == 0` on `M` exactly (degenerate orders, docs/math.md C4) on the
//! shipped cases `sphere-conserved` (invariant along the normals: refuted at every order) and
//! `degenerate-order4` (leading order 4, negative), the adversarial degenerate cases, and C5
//! reports that never print `inf` or `NaN` where float64 overflows (`c5-overflow-*`).

mod support;

use serde_json::Value;
use support::run_binary as run;

fn json(case: &str) -> (Option<i32>, Value) {
    let o = run(&[case, "--format", "json"]);
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{case}: {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

/// The lines of one section of the text report: from the heading starting with `start` to
/// the next section heading (a line that does not start with a space).
fn section(case: &str, start: &str) -> String {
    let o = run(&[case]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        // A section heading (`C4 ...: VERDICT`), not a row of the summary table above.
        if line.starts_with(start) && line.contains(": ") {
            inside = true;
        } else if inside && !line.is_empty() && !line.starts_with(' ') {
            break;
        }
        if inside {
            out.push(line);
        }
    }
    assert!(!out.is_empty(), "{case}: no section {start}: {text}");
    out.join("\n")
}

#[test]
fn sphere_conserved_is_refuted_at_every_order() {
    let (code, v) = json("cases/sphere-conserved.case");
    assert_eq!(code, Some(0), "{}", v["expectations"]);
    let d = &v["decrease"];
    assert_eq!(d["evidence"], "refuted");
    assert_eq!(d["local"], "refuted");
    assert_eq!(d["basis"]["kind"], "degenerate_order");
    let g = &d["degenerate"];
    assert_eq!(g["vanishing"][0]["order"], 2);
    assert_eq!(g["vanishing"][0]["proof"]["kind"], "identically");
    assert_eq!(g["straight_normals"], true);
    assert_eq!(g["conclusion"]["kind"], "invariant_along_normals");
    let w = &g["conclusion"]["non_constant"];
    assert_eq!(w["high_in_local_region"], true, "{w}");
    assert!(w["high_phi"][0].as_f64().unwrap() > w["low_phi"][1].as_f64().unwrap());
    insta::assert_snapshot!(
        "sphere_conserved_c4",
        section("cases/sphere-conserved.case", "C4 ")
    );
}

#[test]
fn degenerate_order4_has_leading_order_four() {
    let (code, v) = json("cases/degenerate-order4.case");
    assert_eq!(code, Some(0), "{}", v["expectations"]);
    let d = &v["decrease"];
    // Proved on M \ S by the order-4 certificate (steps starting on M); near S evidence.
    assert_eq!(d["evidence"], "proved");
    assert_eq!(d["local"], "numerical_evidence");
    let g = &d["degenerate"];
    let c = &g["certificate"];
    assert_eq!(c["complete"], true, "{c}");
    assert_eq!(
        (c["order"].as_u64(), c["a0"].as_f64()),
        (Some(4), Some(0.125))
    );
    // c <= 2 x0^2 (2 - a0^4)/2 at the edge |x0| ~ 0.02 of the excluded ball (exact change
    // x0^2 ((1 - a^4)^2 - 1)); well above 0.
    let cc = c["c"].as_f64().unwrap();
    assert!(cc > 1e-4 && cc < 2.0 * 0.02 * 0.02, "{cc}");
    assert_eq!(c["charts"][0]["left"], 0);
    let orders: Vec<u64> = g["vanishing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order"].as_u64().unwrap())
        .collect();
    assert_eq!(orders, vec![2, 3]);
    assert_eq!(g["order"], 4);
    assert_eq!(g["leading_on_m"]["term"], "-48*x^2");
    assert_eq!(g["conclusion"]["kind"], "negative_on_samples");
    assert_eq!(g["max_schedule_power"], 0.25);
    // The fitted order agrees (MPFR, numerical).
    assert_eq!(d["order"]["order"], 4.0);
    insta::assert_snapshot!(
        "degenerate_order4_c4",
        section("cases/degenerate-order4.case", "C4 ")
    );
}

#[test]
fn odd_and_positive_leading_orders_are_refuted_by_witnesses() {
    for (case, kind, order) in [
        ("tests/adversarial/c4-degenerate-odd.case", "odd_order", 3),
        (
            "tests/adversarial/c4-degenerate-order4-positive.case",
            "positive_coefficient",
            4,
        ),
    ] {
        let (_, v) = json(case);
        let d = &v["decrease"];
        assert_eq!(d["evidence"], "refuted", "{case}");
        assert_eq!(d["degenerate"]["order"], order, "{case}");
        assert_eq!(d["degenerate"]["conclusion"]["kind"], kind, "{case}");
        assert_eq!(d["degenerate"]["conclusion"]["witnessed"], true, "{case}");
        assert!(d["refutation"]["increase_at_least"].as_f64().unwrap() > 0.0);
    }
    // A tiny Q that is not 0 on M is not degenerate.
    let (_, v) = json("tests/adversarial/c4-degenerate-tiny-q.case");
    assert!(v["decrease"]["degenerate"].is_null());
    assert_eq!(v["decrease"]["evidence"], "refuted");
}

#[test]
fn c5_never_prints_inf_or_nan_where_float64_overflows() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("adversarial dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("c5-overflow-") && n.ends_with(".case"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 2, "{cases:?}");
    for name in &cases {
        let case = format!("tests/adversarial/{name}");
        let c5 = section(&case, "C5 ");
        // The numbers computed on the spheres (an exact escape limit "-> -inf" is a theorem,
        // not an overflow).
        let numbers = c5
            .lines()
            .filter(|l| l.starts_with("  - min of") || l.starts_with("  numerical:"));
        for line in numbers {
            for word in line.split(|c: char| !c.is_ascii_alphanumeric()) {
                let w = word.to_ascii_lowercase();
                assert!(w != "inf" && w != "nan", "{name}: {line}");
            }
        }
    }
    // The minimum beyond float64 is the MPFR value, about 1 - exp(10^4).
    let (_, v) = json("tests/adversarial/c5-overflow-negative.case");
    let s = &v["coercivity"]["spheres"][1];
    assert_eq!(s["value"]["kind"], "beyond_f64", "{s}");
    assert_eq!(s["value"]["decimal"], "-8.806818e4342");
    // The minimum -6 in the exponentially thin valley at radius 100 is found.
    let (_, v) = json("tests/adversarial/c5-overflow-valley.case");
    let m = v["coercivity"]["spheres"][1]["min_value"].as_f64().unwrap();
    assert!((m + 6.0).abs() < 1e-6, "{m}");
}

/// Least squares with `Q == 0` on `M` proved: C4 names the reason (a typed note) and stays
/// undecided; a least-squares case with `Q != 0` gets no such note.
#[test]
fn least_squares_with_q_zero_on_m_says_why_c4_is_undecided() {
    let (_, v) = json("tests/adversarial/c4-least-squares-q-zero.case");
    let d = &v["decrease"];
    let notes = d["notes"].as_array().expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n["kind"] == "least_squares_order_two_vanishes"),
        "{notes:?}"
    );
    assert_ne!(d["evidence"], "proved");
    assert_ne!(d["local"], "proved");
    let text = section("tests/adversarial/c4-least-squares-q-zero.case", "C4");
    assert!(text.contains("Q == 0 on M, proved"), "{text}");
    let (_, z) = json("cases/zero-target.case");
    let notes = z["decrease"]["notes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !notes
            .iter()
            .any(|n| n["kind"] == "least_squares_order_two_vanishes"),
        "{notes:?}"
    );
}
