//! The JSON output of `recheck`: the envelope and the re-checked claims of a report.

use crate::report::{SCHEMA_VERSION, TOOL_VERSION};
use ngd_recheck::Recheck;
use serde::Serialize;

/// The JSON output of `recheck`: the envelope (schema version, tool version, the title of the
/// report re-checked), the file it was read from, and the claims.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RecheckOutput<'a> {
    /// JSON schema version ([`SCHEMA_VERSION`]).
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The ngd-verify version that wrote it.
    pub tool_version: &'static str,
    /// The title of the report re-checked (its source when it has none).
    pub title: &'a str,
    /// Where the report was read from (a path, or `-` for standard input).
    pub source: &'a str,
    /// The claims re-checked and those not covered.
    #[serde(flatten)]
    pub recheck: &'a Recheck,
}

impl<'a> RecheckOutput<'a> {
    /// The output of `recheck` on the report read from `source`.
    pub fn new(recheck: &'a Recheck, source: &'a str) -> RecheckOutput<'a> {
        RecheckOutput {
            schema_version: SCHEMA_VERSION,
            tool_version: TOOL_VERSION,
            title: recheck.title.as_deref().unwrap_or(source),
            source,
            recheck,
        }
    }
}
