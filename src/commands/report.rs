//! The certificate report of a case (the default command) and `check-identity` (C1 alone):
//! the full report or, with `--summary`, one row per check.

use super::Output;
use crate::cli::{CheckIdentityArgs, GlobalArgs, ReportArgs};
use crate::{input, interrupt};
use ngd_case::InputError;
use ngd_report::render::{render_with, summary::render_summary, Format, TextOptions};
use ngd_report::report::Report;
use ngd_report::{harness, identity};

/// `ngd-verify CASE` / `ngd-verify report CASE`.
pub fn report(args: ReportArgs, global: &GlobalArgs) -> Result<Output, InputError> {
    let path = args.case.ok_or_else(|| {
        InputError::plain(
            "no case file given",
            Some("e.g. `ngd-verify cases/cubic.case`".into()),
        )
    })?;
    let mut case = input::load_case(&path)?;
    let limits = ngd_case::Limits {
        max_boxes: args.max_boxes.map_or(case.limits.max_boxes, |v| v as usize),
        cover_boxes: args
            .cover_boxes
            .map_or(case.limits.cover_boxes, |v| v as usize),
    };
    if let Some(dir) = &args.plots {
        super::harness::prepare_plot_dir(dir)?;
    }
    let overrides = harness::Overrides {
        interrupt: Some(&interrupt::STOP),
        // The figures of the runs (files, or inline in the HTML certificate) need their
        // trajectories.
        record: args.plots.is_some() || (global.format == Format::Html && !global.summary),
        ..harness::Overrides::default()
    };
    let report = ngd_report::case_report_with(&mut case, &limits, &overrides)?;
    if let Some(dir) = &args.plots {
        let data = ngd_report::figures::report_figures(&mut case, &report);
        let written = ngd_report::figures::write_figures(dir, &data)?;
        // stdout holds the report (JSON stays parseable); the files go to stderr.
        for line in harness::plot_lines(&written) {
            eprintln!("{line}");
        }
    }
    let mut out = if global.format == Format::Html && !global.summary {
        let text = ngd_report::render::case_certificate(&mut case, &report);
        Output::rendered(text, report.verdict.exit_code as u8, global.format)
    } else {
        rendered(&report, global)
    };
    out.interrupted = report.harness.as_ref().is_some_and(|h| h.interrupted);
    Ok(out)
}

/// `ngd-verify check-identity F PHI`.
pub fn check_identity(args: CheckIdentityArgs, global: &GlobalArgs) -> Result<Output, InputError> {
    let report = identity::identity_report(&identity::IdentityRequest {
        f: args.f,
        phi: args.phi,
        vars: args.vars,
        radius: args.radius,
        max_boxes: args.max_boxes.map(|v| v as usize),
    })?;
    Ok(rendered(&report, global))
}

/// The report, whole or summarised, with its exit status.
fn rendered(report: &Report, global: &GlobalArgs) -> Output {
    let text = if global.summary {
        render_summary(report, global.format)
    } else {
        let options = TextOptions {
            width: crate::style::report_width(global.width),
            explain: global.explain,
        };
        render_with(report, global.format, &options)
    };
    Output::rendered(text, report.verdict.exit_code as u8, global.format)
}
