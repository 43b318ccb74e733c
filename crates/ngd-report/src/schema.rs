//! The JSON Schemas of every JSON output, generated from the Rust types (`schemars`, draft
//! 2020-12, describing what is serialized: a field skipped when empty is optional). They are checked in under `docs/schema/`; the test `tests/schema.rs` of this
//! crate fails when they are stale and validates the outputs of the shipped cases against them.

use crate::discovery::DiscoverOutput;
use crate::harness::RunOutput;
use crate::recheck::RecheckOutput;
use crate::render::summary::Summary;
use crate::report::Report;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

/// Every schema as `(file name, JSON text)`, in a fixed order: `report.json` (a case's report),
/// `identity.json` (`check-identity`: the same report, with C1 only), `discover.json`,
/// `run.json` (`run`, a shard of `run --shard K/N`, `merge`), `recheck.json` and
/// `summary.json` (`--summary`). The text is pretty-printed with a final newline.
pub fn schemas() -> Vec<(&'static str, String)> {
    vec![
        ("report.json", schema_text::<Report>()),
        ("identity.json", schema_text::<Report>()),
        ("discover.json", schema_text::<DiscoverOutput>()),
        ("run.json", schema_text::<RunOutput<'static>>()),
        ("recheck.json", schema_text::<RecheckOutput<'static>>()),
        ("summary.json", schema_text::<Summary>()),
    ]
}

/// The schema of what `T` serializes to, as text.
fn schema_text<T: JsonSchema>() -> String {
    let schema: Schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    s.push('\n');
    s
}
