//! `recheck` re-verifies C4's refutation (`decrease.refutation`): every shipped case and every
//! case of `tests/soundness` whose report refutes C4 by a witness rechecks it as holding, and a
//! report whose witness was tampered with fails (exit 1) naming the refutation.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{parallel, run_binary, shipped_cases, stdout_text};

/// The `--format json` report of `case`.
fn report(case: &Path) -> Value {
    let out = run_binary(&[case.to_str().unwrap(), "--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{}: {e}", case.display()))
}

/// Writes `report` to a temporary file and runs `recheck --format json` on it: (exit code,
/// parsed output).
fn recheck(name: &str, report: &Value) -> (i32, Value) {
    let path = std::env::temp_dir().join(format!(
        "ngd-recheck-refutation-{}-{name}.json",
        std::process::id()
    ));
    std::fs::write(&path, report.to_string()).unwrap();
    let out = run_binary(&["recheck", path.to_str().unwrap(), "--format", "json"]);
    std::fs::remove_file(&path).ok();
    let parsed = serde_json::from_str(&stdout_text(&out)).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), parsed)
}

/// The recheck item of the refutation, if any.
fn refutation_item(recheck: &Value) -> Option<&Value> {
    recheck["items"]
        .as_array()?
        .iter()
        .find(|i| i["claim"]["kind"] == "decrease_witness")
}

fn soundness_cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/soundness");
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/soundness exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_printed_refutation_rechecks() {
    let mut cases = shipped_cases();
    cases.extend(soundness_cases());
    let results = parallel(&cases, |case| {
        let r = report(case);
        if !r["decrease"]["refutation"].is_object() {
            return None;
        }
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        let (_, out) = recheck(&name, &r);
        let item = refutation_item(&out).cloned();
        Some((name, item))
    });
    let refuted: Vec<_> = results.into_iter().flatten().collect();
    // cubic, matfact2, sum-losses, ... and the soundness cases: the test is not vacuous.
    assert!(refuted.len() >= 10, "only {} refutations", refuted.len());
    for (name, item) in refuted {
        let item = item.unwrap_or_else(|| panic!("{name}: the refutation is not re-checked"));
        assert_eq!(item["failure"], Value::Null, "{name}: {item}");
        assert_eq!(item["claim"]["path"], "decrease.refutation", "{name}");
    }
}

/// A change to the printed refutation (`decrease.refutation`).
type Tamper = fn(&mut Value);

#[test]
fn a_tampered_refutation_fails() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/cubic.case");
    let honest = report(&case);
    let (code, out) = recheck("honest", &honest);
    assert_eq!(code, 0, "{out}");
    assert_eq!(refutation_item(&out).unwrap()["failure"], Value::Null);

    let tamperings: [(&str, Tamper); 4] = [
        ("step-zero", |w| w["step"] = "0".into()),
        // A negative step is no NGD step (it moves up the gradient of f).
        ("step-back", |w| w["step"] = "-1/1000".into()),
        ("outside", |w| w["point"][0] = "3.5".into()),
        ("increase", |w| {
            let inc = w["increase_at_least"].as_f64().unwrap();
            w["increase_at_least"] = (inc * 10.0).into();
        }),
    ];
    for (name, tamper) in tamperings {
        let mut bad = honest.clone();
        tamper(&mut bad["decrease"]["refutation"]);
        let (code, out) = recheck(name, &bad);
        assert_eq!(code, 1, "{name}: {out}");
        let item = refutation_item(&out).unwrap_or_else(|| panic!("{name}: {out}"));
        assert_eq!(item["failure"]["kind"], "wrong_value", "{name}: {item}");
    }
}
