//! `recheck` end to end on the closing arguments of balls around points of `S` placed by a
//! symmetry (`cases/cubic.case`: `s* = (2^(-1/3), 2^(-1/3))` on the fixed line of
//! `(x, y) -> (y, x)`), on Laurent regularizers (`cases/ellipse.case`, `phi = y^2/x^4`) and
//! on a regularizer that is no polynomial (`cases/parabola.case`, `phi = x^2 exp(4 y)`): they
//! re-check, and a tampered argument fails with exit 1, located at the ball.

mod support;

use serde_json::{json, Value};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ngd-verify"))
}

/// The JSON report of a shipped case.
fn case_json(case: &str) -> Value {
    let out = bin()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([case, "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs `recheck` on `report`: (exit status, stdout).
fn recheck(name: &str, report: &Value) -> (i32, String) {
    let path = std::env::temp_dir().join(format!(
        "ngd-recheck-symmetry-{}-{name}.json",
        std::process::id()
    ));
    std::fs::write(&path, report.to_string()).unwrap();
    let out = bin().arg("recheck").arg(&path).output().unwrap();
    std::fs::remove_file(&path).ok();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// The report with `edit` applied to the argument of `decrease.cover.balls[0]`.
fn with_argument(v: &Value, edit: impl Fn(&mut Value)) -> Value {
    let mut v = v.clone();
    edit(&mut v["decrease"]["cover"]["balls"][0]["argument"]);
    v
}

/// Asserts that `report` fails re-checking with the ball's closing argument failing for
/// `why`.
fn fails_at_the_ball(name: &str, report: &Value, why: &str) {
    let (code, text) = recheck(name, report);
    assert_eq!(code, 1, "{name}: {text}");
    let expected = format!("the closing argument of decrease.cover.balls[0]: {why}");
    assert!(text.contains(&expected), "{name}: {text}");
}

#[test]
fn the_balls_of_cubic_and_ellipse_recheck_with_no_argument_left_out() {
    for (case, kind) in [
        ("cases/cubic.case", "symmetry"),
        ("cases/ellipse.case", "rational_point"),
    ] {
        let v = case_json(case);
        let balls = v["decrease"]["cover"]["balls"].as_array().unwrap();
        assert!(!balls.is_empty(), "{case}");
        for b in balls {
            assert_eq!(b["closed"], json!(true), "{case}: {b}");
            assert_eq!(b["argument"]["kind"], json!(kind), "{case}: {b}");
        }
        let (code, text) = recheck("shipped", &v);
        assert_eq!(code, 0, "{case}: {text}");
        assert!(
            !text.contains(".argument: not re-checked"),
            "{case}: {text}"
        );
        assert!(
            text.contains("C4 cover decrease.cover: every leaf of the")
                && text.contains("bisection tree: holds"),
            "{case}: {text}"
        );
    }
}

#[test]
fn the_smooth_argument_of_parabola_rechecks_and_tampering_fails() {
    // phi = x^2 exp(4 y) is no polynomial: the ball around (0, 0) is re-proved by the smooth
    // evaluator (a rational point, enclosures that are single numbers there).
    let v = case_json("cases/parabola.case");
    let argument = &v["decrease"]["cover"]["balls"][0]["argument"];
    assert_eq!(argument["kind"], json!("rational_point"), "{argument}");
    let (code, text) = recheck("parabola", &v);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains(".argument: not re-checked"), "{text}");
    let moved = with_argument(&v, |a| a["point"] = json!(["0", "1/64"]));
    fails_at_the_ball(
        "parabola-moved",
        &moved,
        "g(s) in [0.015625, 0.015625] is not proved 0: the point is not on M",
    );
    let value = with_argument(&v, |a| a["q"] = json!("-1"));
    fails_at_the_ball(
        "parabola-q",
        &value,
        "Q(s) in [0, 0] is not proved equal to the printed -1",
    );
}

#[test]
fn a_tampered_symmetry_argument_of_cubic_fails() {
    let v = case_json("cases/cubic.case");
    let argument = &v["decrease"]["cover"]["balls"][0]["argument"];
    assert_eq!(
        argument["symmetry"],
        json!("(x, y) -> (y, x)"),
        "{argument}"
    );

    // phi with an extra term that is not symmetric (linear: the cover's Hessian bounds do not
    // see it, the symmetry does).
    let mut phi = v.clone();
    phi["case"]["regularizer"] = json!("(1/x - 1/y)^2 + x/10^12");
    fails_at_the_ball(
        "phi-not-symmetric",
        &phi,
        "phi is not invariant under (x, y) -> (y, x)",
    );

    // Another of the four names: g = x^3 + y^3 - 1 is not invariant under it.
    let renamed = with_argument(&v, |a| a["symmetry"] = json!("(x, y) -> (-y, -x)"));
    fails_at_the_ball(
        "renamed",
        &renamed,
        "g is not invariant under (x, y) -> (-y, -x)",
    );
    let unknown = with_argument(&v, |a| a["symmetry"] = json!("(x, y) -> (y, -x)"));
    fails_at_the_ball("unknown", &unknown, "unknown symmetry");

    // `to` moved to the side of `from` (g < 0 at both) and off the fixed line.
    let same_side = with_argument(&v, |a| a["to"] = a["from"].clone());
    fails_at_the_ball(
        "same-side",
        &same_side,
        "g does not have opposite nonzero signs at from and to",
    );
    let off_line = with_argument(&v, |a| a["to"][1] = json!(0.8));
    fails_at_the_ball("off-line", &off_line, "to is not on the fixed line");

    // The chart box shrunk below the ball's box.
    let shrunk = with_argument(&v, |a| a["chart"]["chart_box"]["hi"][0] = json!(0.8));
    fails_at_the_ball(
        "chart-shrunk",
        &shrunk,
        "the ball's box does not lie in its chart box",
    );
}
