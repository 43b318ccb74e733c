//! `phi = 0` on `S` is printed as `0` only when proved exactly (a closed-form point of `M`
//! where `phi` vanishes in exact arithmetic, and `phi >= 0` by structure), and C4 names the
//! points of `S` as C3 printed them.

use ngd_report::case_report;
use ngd_report::render::{render, Format};

/// The cubic case (Example 4.3) with another regularizer, and a short harness.
fn cubic_with(phi: &str) -> ngd_case::Case {
    let src = format!(
        "title = \"cubic\"\nvariables = [\"x\", \"y\"]\nobjective = \"(x^3 + y^3 - 1)^2\"\n\
         regularizer = \"{phi}\"\n[search]\nbox = {{ default = [-3, 3] }}\n\
         [ngd]\nstep = {{ a0 = 0.1, power = 0.25 }}\niterations = 2000\nstarts = 4\nseed = 1\n"
    );
    ngd_case::parse_case("cubic.case", &src).unwrap()
}

/// The text report and the JSON of C3's `S`.
fn report(phi: &str) -> (String, serde_json::Value) {
    let mut case = cubic_with(phi);
    let limits = case.limits;
    let r = case_report(&mut case, &limits).unwrap();
    let json = serde_json::to_value(&r).unwrap();
    let reg = json["minima"]["flat"]["regularizer"].clone();
    (render(&r, Format::Text), reg)
}

/// The C3 line of the point of `S` (first line of the item).
fn s_line(text: &str) -> String {
    text.lines()
        .find(|l| l.starts_with("  - (2^(-1/3), 2^(-1/3)): phi = "))
        .unwrap_or_else(|| panic!("no S line in\n{text}"))
        .to_string()
}

#[test]
fn cubic_prints_an_exact_zero_and_one_form_per_point() {
    let (text, reg) = report("(1/x - 1/y)^2");
    let line = s_line(&text);
    assert!(line.contains("phi = 0 (exact"), "{line}");
    let z = &reg["phi_exact_zero"];
    assert_eq!(z["witness"], serde_json::json!(["2^(-1/3)", "2^(-1/3)"]));
    assert_eq!(
        (z["base"].as_str(), z["degree"].as_u64()),
        (Some("2"), Some(3))
    );
    assert_eq!(z["evidence"], "proved");
    // C4 names the point of S as C3 did, not by its decimals.
    assert!(
        text.contains("excluded around s = (2^(-1/3), 2^(-1/3))"),
        "{text}"
    );
    assert!(!text.contains("excluded around s = (0.793701"), "{text}");
}

#[test]
fn a_tiny_positive_minimum_is_printed_as_a_number() {
    // The same S, but min_M phi = 1e-30: exactly nonzero at the closed-form point.
    let (text, reg) = report("(1/x - 1/y)^2 + 1/10^30");
    let line = s_line(&text);
    assert!(!line.contains("(exact"), "{line}");
    assert!(line.contains("e-30"), "{line}");
    assert!(reg.get("phi_exact_zero").is_none(), "{reg}");
}

#[test]
fn phi_not_nonnegative_by_structure_gives_no_claim() {
    // The expanded square is the same function, but not a sum of squares by its syntax.
    let (text, reg) = report("1/x^2 - 2/(x*y) + 1/y^2");
    let line = s_line(&text);
    assert!(!line.contains("(exact"), "{line}");
    assert!(reg.get("phi_exact_zero").is_none(), "{reg}");
}
