//! The report library on its own, without the binary: every entry point on shipped cases, every
//! output format, and input errors as values.

use ngd_check::Evidence;
use ngd_report::render::{render, Format};
use ngd_report::{case_report, discovery, harness, identity};
use std::path::PathBuf;

fn case_path(name: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cases");
    root.join(name).display().to_string()
}

/// A shipped case with a short harness (the checks are what is tested here).
fn quick_case(name: &str) -> ngd_case::Case {
    let mut case = ngd_case::load_case(&case_path(name)).expect("shipped case loads");
    case.ngd.starts = 8;
    case.ngd.iterations = 5_000;
    case
}

#[test]
fn the_xy_report_proves_conservation_and_exits_zero() {
    let mut case = quick_case("xy.case");
    let limits = case.limits;
    let report = case_report(&mut case, &limits).unwrap();
    assert_eq!(
        report.conservation.as_ref().unwrap().conserved,
        Evidence::Proved
    );
    assert_eq!(report.verdict.exit_code, 0);
    assert!(report.minima.is_some() && report.decrease.is_some());
}

#[test]
fn every_format_renders_the_same_report() {
    let mut case = quick_case("xy.case");
    let limits = case.limits;
    let report = case_report(&mut case, &limits).unwrap();
    let text = render(&report, Format::Text);
    let markdown = render(&report, Format::Markdown);
    let latex = render(&report, Format::Latex);
    let html = render(&report, Format::Html);
    let json: serde_json::Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
    assert_eq!(json["verdict"]["exit_code"], 0);
    assert!(text.starts_with("ngd-verify "));
    assert!(markdown.starts_with("# ngd-verify "));
    assert!(latex.starts_with("\\documentclass{article}") && latex.ends_with("\\end{document}\n"));
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    // Every section heading of the text report appears in every other format.
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| (l.starts_with("C1 ") || l.starts_with("C4 ")) && l.contains(": "))
        .collect();
    assert!(headings.len() >= 2, "{text}");
    for h in headings {
        // The first three words carry no character that LaTeX or HTML escapes.
        let first_words: String = h.split(' ').take(3).collect::<Vec<_>>().join(" ");
        assert!(markdown.contains(&first_words), "{first_words}");
        assert!(html.contains(&first_words), "{first_words}");
        assert!(latex.contains(&first_words), "{first_words}");
    }
}

#[test]
fn a_refuted_identity_is_a_value_with_a_witness() {
    let report = identity::identity_report(&identity::IdentityRequest {
        f: "(x*y - 1)^2".into(),
        phi: "x^2 + y^2".into(),
        vars: vec![],
        radius: "3".into(),
        max_boxes: None,
    })
    .unwrap();
    let c1 = report.conservation.as_ref().unwrap();
    assert_eq!(c1.conserved, Evidence::Refuted);
    assert!(c1.nonzero_witness.is_some());
    assert_eq!(report.verdict.exit_code, 1);
}

#[test]
fn input_errors_name_their_source() {
    let err = identity::identity_report(&identity::IdentityRequest {
        f: "(x*y - 1)^".into(),
        phi: "x".into(),
        vars: vec![],
        radius: "3".into(),
        max_boxes: None,
    })
    .unwrap_err();
    assert!(err.render().contains("f"), "{}", err.render());
    let err = harness::merge_shards(&[case_path("xy.case")]).unwrap_err();
    assert!(
        err.render().contains("is not a shard file"),
        "{}",
        err.render()
    );
}

#[test]
fn discovery_proposes_a_conserved_regularizer_for_xy() {
    let mut case = quick_case("xy.case");
    let out = discovery::discover_case(&mut case, &Default::default(), false).unwrap();
    assert!(!out.discovery.quantities().is_empty());
    assert!(out.proposal.is_some(), "{:?}", out.proposal_note);
    assert!(out.check.is_none());
}

#[test]
fn shards_of_a_run_merge_to_the_whole_run() {
    let mut case = quick_case("xy.case");
    let whole = harness::run_case(&mut case, &harness::Overrides::default(), None).unwrap();
    let dir = std::env::temp_dir().join(format!("ngd-report-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for k in 0..2 {
        let overrides = harness::Overrides {
            shard: Some((k, 2)),
            ..Default::default()
        };
        let part = harness::run_case(&mut case, &overrides, None).unwrap();
        let path = dir.join(format!("shard{k}.json"));
        std::fs::write(&path, serde_json::to_string(&part.report).unwrap()).unwrap();
        paths.push(path.display().to_string());
    }
    let merged = harness::merge_shards(&paths).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        serde_json::to_value(&merged.runs).unwrap(),
        serde_json::to_value(&whole.report.runs).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&merged.ngd).unwrap(),
        serde_json::to_value(&whole.report.ngd).unwrap()
    );
}
