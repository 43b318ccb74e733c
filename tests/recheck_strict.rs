//! `recheck` of the strict C4 certificate by sums of squares (`decrease.sos`): the reports of
//! the diagonal network and of `product4` re-check, and each tampering with the certificate,
//! its constant, its power, its lower bound, its target `T` or a Gram entry fails (exit 1).

mod support;

use serde_json::{json, Value};
use support::{run_binary, stdout_text, temp_case};

/// The path of the strict certificate in the report.
const STRICT: &str = "decrease.sos.strict.certificate";

/// The JSON report of a case file.
fn report_of(case: &str) -> Value {
    let out = run_binary(&[case, "--format", "json", "--threads", "1"]);
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

/// `product4`: `f = (x1 x2 x3 x4 - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`.
fn product4() -> Value {
    let body = "title = \"product4\"\nvariables = [\"x[4]\"]\n\
                objective = \"(prod(i = 1..4, x[i]) - 1)^2\"\n\
                regularizer = \"sum(i = 1..4, sum(j = i+1..4, (x[i]^2 - x[j]^2)^2))\"\n\
                [ngd]\niterations = 2000\nstarts = 8\nseed = 1\n";
    let path = temp_case("recheck-strict", "product4.case", body);
    report_of(path.to_str().unwrap())
}

/// `recheck` of `report`: (exit status, stdout).
fn recheck(name: &str, report: &Value) -> (i32, String) {
    let path = temp_case(
        "recheck-strict",
        &format!("{name}.json"),
        &report.to_string(),
    );
    let out = run_binary(&["recheck", path.to_str().unwrap()]);
    (out.status.code().unwrap_or(-1), stdout_text(&out))
}

/// The strict certificate of a report.
fn strict(report: &mut Value) -> &mut Value {
    &mut report["decrease"]["sos"]["strict"]["certificate"]
}

/// An exact rational of the report plus one, printed.
fn plus_one(v: &Value) -> Value {
    let r = rug::Rational::from(rug::Rational::parse(v.as_str().unwrap()).unwrap());
    json!((r + 1u32).to_string())
}

/// Asserts that `report` re-checks with the strict certificate holding.
fn assert_holds(name: &str, report: &Value) {
    assert_eq!(report["decrease"]["sos"]["strict"]["kind"], "proved");
    let (code, out) = recheck(name, report);
    assert_eq!(code, 0, "{out}");
    let line = out
        .lines()
        .find(|l| l.contains(&format!("{STRICT}:")))
        .unwrap_or_else(|| panic!("no strict item: {out}"));
    assert!(line.ends_with("holds"), "{out}");
}

/// Asserts that the tampered `report` fails with exit 1, naming `located` in a failure.
fn assert_fails(name: &str, report: &Value, located: &str) {
    let (code, out) = recheck(name, report);
    assert_eq!(code, 1, "{name}: {out}");
    assert!(
        out.lines()
            .any(|l| l.contains("FAILED") && l.contains(located)),
        "{name}: no failure naming {located}: {out}"
    );
}

#[test]
fn the_strict_certificates_of_shipped_and_product_reports_recheck() {
    assert_holds("diagonal-net", &report_of("cases/diagonal-net.case"));
    assert_holds("product4", &product4());
}

#[test]
fn tampered_strict_certificates_fail() {
    let report = report_of("cases/diagonal-net.case");
    assert_holds("diagonal-net", &report);

    let mut r = report.clone();
    let b = &mut strict(&mut r)["square_multipliers"][0][0][1];
    *b = plus_one(b);
    assert_fails("multiplier", &r, "sum b_k q_k");

    let mut r = report.clone();
    strict(&mut r)["statement"]["c"] = json!("-1");
    assert_fails("constant", &r, "lower_bound.target");

    let mut r = report.clone();
    strict(&mut r)["power"] = json!(2);
    assert_fails("power", &r, "sum b_k q_k");

    // phi - c' >= 0 for c' = -1 is true and certified, but is not the bound of the statement.
    let mut r = report.clone();
    let lb = &mut strict(&mut r)["lower_bound"];
    lb["target"] = json!(format!("{} + 1", lb["target"].as_str().unwrap()));
    let constant = lb["certificate"]["basis"]
        .as_array()
        .unwrap()
        .iter()
        .position(|m| m.as_array().unwrap().iter().all(|e| e == 0));
    if let Some(k) = constant {
        let g = &mut lb["certificate"]["gram"][k][k];
        *g = plus_one(g);
    }
    assert_fails("lower-bound", &r, "lower_bound.target");
}

#[test]
fn a_certified_polynomial_that_is_not_t_fails() {
    let report = report_of("cases/diagonal-net.case");
    // 2 T with a doubled Gram matrix: a true SOS fact about the wrong polynomial.
    let mut r = report.clone();
    let claim = &mut r["decrease"]["sos"]["claim"];
    claim["target"] = json!(format!("2*({})", claim["target"].as_str().unwrap()));
    for row in claim["certificate"]["gram"].as_array_mut().unwrap() {
        for e in row.as_array_mut().unwrap() {
            let v = rug::Rational::from(rug::Rational::parse(e.as_str().unwrap()).unwrap());
            *e = json!((v * 2u32).to_string());
        }
    }
    assert_fails("twice-t", &r, "decrease.sos.claim.target");
    // The T of another phi: the case's phi doubled, the certificate left as printed.
    let mut r = report.clone();
    let phi = r["case"]["regularizer"].as_str().unwrap().to_string();
    r["case"]["regularizer"] = json!(format!("2*({phi})"));
    assert_fails("other-phi", &r, "decrease.sos.claim.target");
    // A Gram entry changed.
    let mut r = report;
    let g = &mut r["decrease"]["sos"]["claim"]["certificate"]["gram"][0][0];
    *g = plus_one(g);
    assert_fails("gram", &r, "the certificate fails");
}
