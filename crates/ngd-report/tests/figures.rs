//! The figures of shipped cases from their reports (`figures.rs` of ngd-report): the plane
//! of the cubic shows `M` as traced curves coloured by C4's sign classes, `S`, the poles of
//! `phi` on `M`; `Q` along `M` agrees in sign with C4's classes; every figure renders.
//!
//! `cargo test -p ngd-report --test figures -- --ignored gallery` rewrites `docs/gallery/`.

use ngd_report::figures;

use ngd_plot::{FigureData, MarkKind, QClass};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The case's report, its harness re-run with recorded trajectories, and the case.
fn reports(
    name: &str,
) -> (
    ngd_case::Case,
    ngd_report::report::Report,
    ngd_sim::HarnessReport,
) {
    let path = repo().join("cases").join(format!("{name}.case"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut case = ngd_case::parse_case(&path.to_string_lossy(), &text).unwrap();
    let limits = case.limits;
    let report = ngd_report::case_report(&mut case, &limits).unwrap();
    let overrides = ngd_report::harness::Overrides {
        record: true,
        ..Default::default()
    };
    let cfg = ngd_report::harness::config(&case, &overrides).unwrap();
    let h = ngd_sim::prepare(&mut case.arena, case.objective, case.regularizer);
    let minima = report.minima.as_ref().unwrap();
    let run = ngd_report::harness::run_against_flat_set(
        &mut case.arena,
        &h,
        &cfg,
        minima,
        &case.search_box,
        None,
    );
    (case, report, run)
}

fn data<'a>(
    case: &mut ngd_case::Case,
    report: &'a ngd_report::report::Report,
    run: &'a ngd_sim::HarnessReport,
) -> FigureData<'a> {
    let mut d = figures::report_figures(case, report);
    d.harness = Some(run);
    d
}

#[test]
fn the_cubic_plane_has_curves_of_m_s_and_poles() {
    let (mut case, report, run) = reports("cubic");
    let d = data(&mut case, &report, &run);
    let plane = d.plane.as_ref().unwrap();
    assert!(!plane.branches.is_empty(), "M is traced as curves");
    let classes: Vec<QClass> = plane.branches.iter().flat_map(|b| b.sign.clone()).collect();
    assert!(classes.contains(&QClass::Decreases));
    assert!(
        classes.contains(&QClass::NearS),
        "C4's classes were applied"
    );
    let kinds: Vec<MarkKind> = plane.marks.iter().map(|m| m.kind).collect();
    assert!(kinds.contains(&MarkKind::S));
    assert!(kinds.contains(&MarkKind::FlatMinimum));
    assert!(
        kinds.contains(&MarkKind::Pole),
        "phi = (1/x - 1/y)^2 has poles on M"
    );
    // Q computed here has C4's sign wherever C4 says decrease or increase.
    for b in &plane.branches {
        for (q, c) in b.q.iter().zip(&b.sign) {
            match (q, c) {
                (Some(q), QClass::Decreases) => assert!(*q < 0.0),
                (Some(q), QClass::Increases) => assert!(*q > 0.0),
                _ => {}
            }
        }
    }
    let svg = ngd_plot::trajectories_figure("", plane, Some(&run)).unwrap();
    assert!(svg.contains("M where phi decreases (Q &lt; 0)"));
    assert!(svg.contains("pole of phi on M"));
}

#[test]
fn every_figure_of_xy_renders_in_three_formats() {
    let (mut case, report, run) = reports("xy");
    let d = data(&mut case, &report, &run);
    let dir = std::env::temp_dir().join(format!("ngd-report-figures-{}", std::process::id()));
    let w = figures::write_figures(&dir, &d).unwrap();
    assert!(w.skipped.is_empty(), "{:?}", w.skipped);
    assert_eq!(w.files.len(), 15, "5 figures x 3 formats");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_report_without_trajectories_still_draws_the_plane() {
    let (mut case, report, _) = reports("xy");
    let d = figures::report_figures(&mut case, &report);
    let names: Vec<(&str, bool)> = ngd_plot::figures(&d)
        .iter()
        .map(|(n, r)| (*n, r.is_ok()))
        .collect();
    assert!(names.contains(&("trajectories", true)));
    assert!(names.contains(&("q_along_m", true)));
    assert!(
        names.contains(&("values", false)),
        "no trajectories recorded"
    );
}

/// A selection of the shipped cases' figures as PNG (1 pixel per SVG px) in `docs/gallery/`.
#[test]
#[ignore = "writes docs/gallery; run explicitly"]
fn gallery() {
    let out = repo().join("docs/gallery");
    std::fs::create_dir_all(&out).unwrap();
    let selection: [(&str, &[&str]); 4] = [
        ("xy", &["trajectories", "values", "ngd_vs_gd", "q_along_m"]),
        ("cubic", &["trajectories", "values", "q_along_m"]),
        ("abs-xy", &["trajectories"]),
        ("product3", &["distance", "values"]),
    ];
    for (name, stems) in selection {
        let (mut case, report, run) = reports(name);
        let d = data(&mut case, &report, &run);
        for (stem, svg) in ngd_plot::figures(&d) {
            if !stems.contains(&stem) {
                continue;
            }
            let png = ngd_plot::svg_to_png_scaled(&svg.unwrap(), 1.0).unwrap();
            std::fs::write(out.join(format!("{name}-{stem}.png")), png).unwrap();
        }
    }
}
