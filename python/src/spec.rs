//! Case text built from a specification given by Python (`ngd_verify.make_case` and
//! `ngd_verify.verify`): a JSON object with the fields of a case file, turned into TOML by the
//! `toml` crate (so that any string is quoted correctly) and validated by
//! `ngd_case::parse_case`, exactly as a case file is.

use ngd_case::{check_dimension, InputError, MAX_CASE_BYTES};
use ngd_expr::Arena;
use ngd_parse::{expand_variables, parse_expr, Params};

/// The case text of `spec_json`, a JSON object with the fields of a case file (`title`,
/// `variables`, `objective`, `regularizer`, `[search]`, `[ngd]`, `[limits]`, `[expect]`).
/// Without `variables`, the plain identifiers of `objective` and `regularizer` in order of
/// first appearance are declared, as `check-identity` does. The expressions are checked first
/// so that their errors point into the expression itself (`--> f:1:10`), as in
/// `check-identity`, rather than into the generated TOML.
pub fn case_source(spec_json: &str) -> Result<String, InputError> {
    if spec_json.len() > MAX_CASE_BYTES {
        return Err(InputError::plain(
            format!("the case is larger than the limit of {MAX_CASE_BYTES} bytes"),
            None,
        ));
    }
    let mut table: toml::Table = serde_json::from_str(spec_json)
        .map_err(|e| InputError::plain(format!("invalid case specification: {e}"), None))?;
    let f = string_field(&table, "objective")?
        .ok_or_else(|| InputError::plain("the case has no objective f", None))?;
    let phi = string_field(&table, "regularizer")?;
    if !table.contains_key("variables") {
        let sources: Vec<&str> = std::iter::once(f.as_str()).chain(phi.as_deref()).collect();
        let inferred = ngd_report::identity::infer_variables(&sources);
        if inferred.is_empty() {
            return Err(InputError::plain(
                "no variables: f and phi are constants",
                Some("declare them with variables=[...]".into()),
            ));
        }
        table.insert("variables".into(), inferred.into());
    }
    if !table.contains_key("parameters") {
        check_expressions(&declarations(&table)?, &f, phi.as_deref())?;
    }
    toml::to_string(&table)
        .map_err(|e| InputError::plain(format!("invalid case specification: {e}"), None))
}

/// The string value of `key`, if present.
fn string_field(table: &toml::Table, key: &str) -> Result<Option<String>, InputError> {
    match table.get(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(InputError::plain(
            format!("`{key}` must be a string, got a {}", other.type_str()),
            None,
        )),
    }
}

/// The variable declarations of the specification.
fn declarations(table: &toml::Table) -> Result<Vec<String>, InputError> {
    let not_strings = || InputError::plain("`variables` must be a list of strings", None);
    let Some(toml::Value::Array(values)) = table.get("variables") else {
        return Err(not_strings());
    };
    values
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(not_strings))
        .collect()
}

/// Parses `f` and `phi` over the declared variables, with errors located in the expression
/// (named `f`, `phi`) or in the declaration (named `variables`), as `check-identity` reports
/// them.
fn check_expressions(decls: &[String], f: &str, phi: Option<&str>) -> Result<(), InputError> {
    let names = expand_variables(decls).map_err(|(i, e)| {
        InputError::at("variables", &decls[i], e.span, e.message, "here", e.help)
    })?;
    check_dimension(names.len())?;
    let mut arena = Arena::new(names);
    let params = Params::new();
    parse_expr(&mut arena, f, &params)
        .map_err(|e| InputError::at("f", f, e.span, e.message, "here", e.help))?;
    if let Some(phi) = phi {
        parse_expr(&mut arena, phi, &params)
            .map_err(|e| InputError::at("phi", phi, e.span, e.message, "here", e.help))?;
    }
    Ok(())
}

/// The JSON of the summary of the case text `source` named `name` (validated as a case file):
/// the `case` object of a report, with the case's `[ngd]` settings and `[limits]` budgets.
pub fn summary(name: &str, source: &str) -> Result<String, InputError> {
    let case = ngd_case::parse_case(name, source)?;
    let summary = ngd_report::report::summarize(
        &case.arena,
        &case.title,
        &case.name,
        &case.declarations,
        case.objective,
        case.regularizer,
        &case.search_box,
    );
    let ngd = &case.ngd;
    let value = serde_json::json!({
        "case": summary,
        "ngd": {
            "a0": ngd.a0,
            "power": ngd.power,
            "iterations": ngd.iterations,
            "starts": ngd.starts,
            "seed": ngd.seed,
        },
        "limits": {
            "max_boxes": case.limits.max_boxes,
            "cover_boxes": case.limits.cover_boxes,
        },
    });
    Ok(value.to_string())
}
