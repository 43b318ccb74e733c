//! The JSON Schemas under `docs/schema/` are those generated from the types, and every JSON
//! output validates against them: the report of every shipped case, `check-identity`,
//! `discover`, `run`, its shards and their merge, and `recheck`.
//!
//! Regenerate the checked-in schemas with `UPDATE_SCHEMAS=1 cargo test -p ngd-report --test
//! schema`. The shipped cases run with a short harness (8 starts, 2000 steps): the checks,
//! not the numbers, make the shape of the output.

use ngd_report::render::{self, render, Format};
use ngd_report::{case_report, discovery, harness, identity, recheck, schema};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The generated schema called `name`, parsed.
fn schema(name: &str) -> Value {
    let (_, text) = schema::schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("a schema of that name");
    serde_json::from_str(&text).expect("a schema is JSON")
}

/// Fails with the innermost validation errors of `instance` against the schema `name` (at
/// most 20, each cut to 300 characters: an error quotes the value it is about).
fn assert_valid(name: &str, what: &str, instance: &Value) {
    let validator = jsonschema::validator_for(&schema(name)).expect("the schema compiles");
    if validator.is_valid(instance) {
        return;
    }
    let evaluation = validator.evaluate(instance);
    let errors: Vec<String> = evaluation
        .iter_errors()
        .take(20)
        .map(|e| {
            let text = e.to_string();
            let cut: String = text.chars().take(300).collect();
            format!("{cut} (schema {})", e.schema_location)
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not validate against docs/schema/{name}:\n{}",
        errors.join("\n")
    );
}

fn case_path(name: &str) -> String {
    root().join("cases").join(name).display().to_string()
}

/// A shipped case with a short harness.
fn quick_case(path: &str) -> ngd_case::Case {
    let mut case = ngd_case::load_case(path).expect("shipped case loads");
    case.ngd.starts = 8;
    case.ngd.iterations = 2_000;
    case
}

#[test]
fn checked_in_schemas_are_the_generated_ones() {
    let dir = root().join("docs/schema");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (name, text) in schema::schemas() {
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).expect("create docs/schema");
            std::fs::write(&path, &text).expect("write a schema");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/schema/{{{}}} differ from the schemas generated from the types; regenerate them \
         with `UPDATE_SCHEMAS=1 cargo test -p ngd-report --test schema` and review the diff \
         (bump SCHEMA_VERSION in crates/ngd-report/src/report.rs on incompatible changes)",
        stale.join(",")
    );
}

/// Every shipped case, and the report's JSON reads back for `recheck`, whose output validates.
#[test]
fn the_report_of_every_shipped_case_validates() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("cases"))
        .expect("cases/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 16, "{cases:?}");
    for path in cases {
        let path = path.display().to_string();
        let mut case = quick_case(&path);
        let limits = case.limits;
        let report = case_report(&mut case, &limits).expect("a shipped case reports");
        let json: Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
        assert_valid("report.json", &path, &json);
        assert_eq!(json["title"], json["case"]["title"]);
        let checked = ngd_recheck::recheck(&json).expect("a report rechecks");
        let output = serde_json::to_value(recheck::RecheckOutput::new(&checked, &path)).unwrap();
        assert_valid("recheck.json", &format!("recheck of {path}"), &output);
        assert_eq!(output["title"], json["title"]);
    }
}

#[test]
fn check_identity_outputs_validate() {
    let inputs = [
        ("(x*y - 1)^2", "(x^2 - y^2)^2", vec![]),
        ("(x*y - 1)^2", "x^2 + y^2", vec![]),
        ("abs(x - y)", "(x + y)^2", vec![]),
        ("log(1 + (x*y - 1)^2)", "x^2 - y^2", vec![]),
        ("(x^3 + y^3 - 1)^2", "(1/x - 1/y)^2", vec![]),
        (
            "sum(i = 1..2, (w[i] - 1)^2)",
            "w[1] - w[2]",
            vec!["w[2]".to_string()],
        ),
    ];
    for (f, phi, vars) in inputs {
        let report = identity::identity_report(&identity::IdentityRequest {
            f: f.into(),
            phi: phi.into(),
            vars,
            radius: "3".into(),
            max_boxes: None,
        })
        .expect("a valid input");
        let json: Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
        assert_valid("identity.json", &format!("check-identity {f} {phi}"), &json);
    }
}

#[test]
fn discover_outputs_validate() {
    for name in ["xy.case", "cubic.case", "exp-field.case", "relu-net.case"] {
        let mut case = quick_case(&case_path(name));
        let check = name == "xy.case";
        let out = discovery::discover_case(&mut case, &Default::default(), check).unwrap();
        let json: Value =
            serde_json::from_str(&render::render_discovery(&out, Format::Json)).unwrap();
        assert_valid("discover.json", name, &json);
        assert_eq!(json["title"], json["case"]["title"]);
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a shard file");
    path.display().to_string()
}

/// `run`, two shards (1-based in JSON), their merge (which keeps the title), and a merged
/// interrupted shard with no runs (non-finite medians, typed).
#[test]
fn run_shard_and_merge_outputs_validate() {
    let mut case = quick_case(&case_path("cubic.case"));
    let whole = harness::run_case(&mut case, &harness::Overrides::default(), None).unwrap();
    let run: Value =
        serde_json::from_str(&harness::RunOutput::new(&case.title, &whole.report).to_json())
            .unwrap();
    assert_valid("run.json", "run", &run);
    let dir = std::env::temp_dir().join(format!("ngd-report-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for k in 0..2 {
        let overrides = harness::Overrides {
            shard: Some((k, 2)),
            ..Default::default()
        };
        let part = harness::run_case(&mut case, &overrides, None).unwrap();
        let text = harness::RunOutput::new(&case.title, &part.report).to_json();
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_valid("run.json", "a shard", &json);
        assert_eq!(json["config"]["shard"]["index"], k + 1);
        paths.push(write(&dir, &format!("shard-{}.json", k + 1), &text));
    }
    let merged = harness::merge_shard_files(&paths).unwrap();
    assert_eq!(merged.title.as_deref(), Some(case.title.as_str()));
    let json: Value = serde_json::from_str(&render::render_harness(
        &merged.report,
        &case.title,
        &[],
        Format::Json,
    ))
    .unwrap();
    assert_valid("run.json", "merge", &json);
    assert_eq!(json["ngd"], run["ngd"]);

    let mut empty = whole.report.clone();
    empty.runs.clear();
    empty.gd_runs.clear();
    empty.interrupted = true;
    let text = harness::RunOutput::new(&case.title, &empty).to_json();
    let path = write(&dir, "interrupted.json", &text);
    let merged = harness::merge_shard_files(&[path]).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(merged.report.interrupted);
    let json = serde_json::to_value(harness::RunOutput::new(&case.title, &merged.report)).unwrap();
    assert_valid("run.json", "an interrupted run without runs", &json);
    assert_eq!(json["ngd"]["median_final_f"]["non_finite"], "nan");
    // The text does not claim completeness either.
    let text = render::render_harness(&merged.report, &case.title, &[], Format::Text);
    assert!(
        text.contains("INTERRUPTED: only 0 of the 8 runs finished"),
        "{text}"
    );
}
