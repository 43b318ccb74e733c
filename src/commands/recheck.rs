//! `recheck`: re-verifies the exact claims of a JSON report without any search.

use super::Output;
use crate::cli::{GlobalArgs, RecheckArgs};
use crate::input;
use ngd_case::InputError;
use ngd_report::render;

/// Largest report read by `recheck`, in bytes (1 GiB).
const MAX_REPORT_BYTES: usize = 1 << 30;

/// `ngd-verify recheck REPORT.json` (`-`: the report on standard input).
pub fn recheck(args: RecheckArgs, global: &GlobalArgs) -> Result<Output, InputError> {
    let name = input::display_name(&args.report);
    let bytes = input::read_input(&args.report, "report", MAX_REPORT_BYTES)?;
    let not_a_report = |why: String| {
        InputError::plain(
            format!("`{name}` is not a JSON report of ngd-verify: {why}"),
            Some("write one with `ngd-verify CASE --format json > report.json`".into()),
        )
    };
    let json: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| not_a_report(e.to_string()))?;
    let checked = ngd_recheck::recheck(&json).map_err(|e| not_a_report(e.0))?;
    let status = if checked.all_hold() { 0 } else { 1 };
    Ok(Output::rendered(
        render::render_recheck(&checked, name, global.format),
        status,
        global.format,
    ))
}
