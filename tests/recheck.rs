//! `recheck` end to end: every exact claim of real reports re-checks, and a report whose
//! witness value or SOS certificate was tampered with fails (exit 1) naming the claim.

mod support;

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ngd-verify"))
}

/// Writes `json` to a temporary file and runs `recheck` on it: (exit status, stdout).
fn recheck(name: &str, json: &str) -> (i32, String) {
    let path = std::env::temp_dir().join(format!("ngd-recheck-{}-{name}.json", std::process::id()));
    std::fs::write(&path, json).unwrap();
    let out = bin().arg("recheck").arg(&path).output().unwrap();
    std::fs::remove_file(&path).ok();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn identity_json(f: &str, phi: &str) -> String {
    let out = bin()
        .args(["check-identity", f, phi, "--format", "json"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sos_and_witness_claims_recheck_and_tampering_is_caught() {
    // <grad f, grad phi> = 12 (x^6 - 2 x^3 y^3 + y^6): proved >= 0 by a sum of squares.
    let json = identity_json("x^2 + y^2", "(x^2 - y^2)^2*(x^2 + y^2) + (x*y)^2*(x - y)^2");
    let (code, out) = recheck("sos", &json);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("sum of squares conservation.lyapunov.sos.claim"),
        "{out}"
    );
    assert!(out.contains("2 of 2 exact claims re-checked"), "{out}");

    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let gram = &mut v["conservation"]["lyapunov"]["sos"]["claim"]["certificate"]["gram"];
    let first = gram[0][0].as_str().unwrap().to_string();
    gram[0][0] = serde_json::Value::String(format!("{first}1"));
    let (code, out) = recheck("sos-bad", &v.to_string());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED: the certificate fails"), "{out}");
}

#[test]
fn a_witness_with_a_wrong_value_fails() {
    let json = identity_json("(x*y - 1)^2", "x^2 + y^2");
    assert_eq!(recheck("witness", &json).0, 0);
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let value = &mut v["conservation"]["nonzero_witness"]["value"]["value"];
    let printed: i64 = value.as_str().unwrap().parse().unwrap();
    *value = serde_json::Value::String((printed + 1).to_string());
    let (code, out) = recheck("witness-bad", &v.to_string());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED: printed"), "{out}");
}

#[test]
fn a_false_conserved_claim_fails() {
    let json = identity_json("(x*y - 1)^2", "x^2 - y^2");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["case"]["regularizer"] = serde_json::Value::String("x^2 + y^2".into());
    let (code, out) = recheck("conserved-bad", &v.to_string());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("C1 conserved: <grad f, grad phi> == 0: FAILED"),
        "{out}"
    );
}

#[test]
fn every_shipped_case_report_rechecks() {
    for case in support::shipped_cases() {
        let out = bin()
            .arg(&case)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let json = String::from_utf8(out.stdout).unwrap();
        let started = std::time::Instant::now();
        let (code, text) = recheck("case", &json);
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!(code, 0, "{}: {text}", case.display());
        // issue 18: recheck of every shipped case's report under 1 s.
        assert!(
            seconds < 1.0,
            "{}: recheck took {seconds} s",
            case.display()
        );
    }
}

#[test]
fn input_that_is_not_a_report_is_refused() {
    let (code, _) = recheck("garbage", "{\"not\": \"a report\"");
    assert_eq!(code, 2);
}

#[test]
fn the_c4_sos_certificate_of_product4_rechecks() {
    let case = "title = \"product4\"\nvariables = [\"x[4]\"]\n\
                objective = \"(prod(i = 1..4, x[i]) - 1)^2\"\n\
                regularizer = \"sum(i = 1..4, sum(j = i+1..4, (x[i]^2 - x[j]^2)^2))\"\n\
                [ngd]\niterations = 2000\nstarts = 8\n";
    let path = std::env::temp_dir().join(format!("ngd-recheck-{}-p4.case", std::process::id()));
    std::fs::write(&path, case).unwrap();
    let out = bin()
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    let json = String::from_utf8(out.stdout).unwrap();
    let (code, text) = recheck("p4", &json);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("sum of squares decrease.sos.claim"), "{text}");
}

#[test]
fn the_c4_boxes_of_xy_recheck_and_a_moved_box_fails() {
    let out = bin()
        .args(["cases/xy.case", "--format", "json"])
        .output()
        .unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    let (code, text) = recheck("xy", &json);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("C4 box decrease.cover.examples[0]"), "{text}");
    assert!(
        text.contains(
            "C4 cover decrease.cover: every leaf of the 931 boxes of its bisection tree: holds"
        ),
        "{text}"
    );

    // A certified leaf relabelled "disjoint" (the first `c` of the tree): the leaf meets M,
    // so the cover no longer rechecks.
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let tree = v["decrease"]["cover"]["tree"]
        .as_str()
        .unwrap()
        .replacen('c', "d", 1);
    v["decrease"]["cover"]["tree"] = serde_json::json!(tree);
    let (code, text) = recheck("xy-relabelled", &v.to_string());
    assert_eq!(code, 1, "{text}");

    // Move the first printed box onto the point (-1, -1) of S, where Q = 0.
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let b = &mut v["decrease"]["cover"]["examples"][0];
    let half = (b["hi"][0].as_f64().unwrap() - b["lo"][0].as_f64().unwrap()) / 2.0;
    b["lo"] = serde_json::json!([-1.0 - half, -1.0 - half]);
    b["hi"] = serde_json::json!([-1.0 + half, -1.0 + half]);
    let (code, text) = recheck("xy-moved", &v.to_string());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("FAILED: not proved by the small interval path"),
        "{text}"
    );
}
