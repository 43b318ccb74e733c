//! `ngd_verify._native`: the report library of ngd-verify (`crates/ngd-report`) as a Python
//! extension module.
//!
//! Every function takes plain strings and numbers, does its work with the GIL released (other
//! Python threads run meanwhile) and returns the JSON of its result together with the Markdown
//! and HTML renderings of the same result and the exit status the CLI would give. The typed
//! Python objects are built from that JSON by the pure-Python package `ngd_verify`, so Python
//! sees exactly the data of `--format json`.
//!
//! Bad input raises `ValueError` whose message is the CLI's located error message; a panic
//! (a bug) raises `RuntimeError` instead of aborting the interpreter.

mod spec;

use ngd_case::{InputError, Limits, MAX_BOX_BUDGET};
use ngd_report::render::{render, render_discovery, render_harness, Format};
use ngd_report::{discovery, harness};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

/// A result as (JSON, Markdown, HTML, exit status of the CLI).
type Rendered = (String, String, String, i32);

/// Runs `work` with the GIL released and turns its failures into Python exceptions: an input
/// error into `ValueError` with the CLI's message, a panic into `RuntimeError`.
fn detached<T, W>(py: Python<'_>, work: W) -> PyResult<T>
where
    T: Send,
    W: FnOnce() -> Result<T, InputError> + Send,
{
    let outcome = py.detach(move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(PyValueError::new_err(e.render().trim_end().to_string())),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            Err(PyRuntimeError::new_err(format!(
                "internal error in ngd-verify (a bug; please report it with the input): {what}"
            )))
        }
    }
}

/// A count budget given from Python, checked against the same range as the CLI flag.
fn budget(name: &str, value: Option<u64>, default: usize) -> Result<usize, InputError> {
    match value {
        None => Ok(default),
        Some(v) if v >= 1 && v <= MAX_BOX_BUDGET as u64 => Ok(v as usize),
        Some(v) => Err(InputError::plain(
            format!("{name} must be a count from 1 to {MAX_BOX_BUDGET}, got {v}"),
            Some(format!(
                "{name} is a count of boxes (see docs/case-format.md, [limits])"
            )),
        )),
    }
}

/// The certificate report of the case text `source` (named `name` in messages), with the
/// `[limits]` budgets overridden where given: `ngd-verify CASE [--max-boxes N] [--cover-boxes N]`.
#[pyfunction]
#[pyo3(signature = (name, source, max_boxes=None, cover_boxes=None))]
fn report(
    py: Python<'_>,
    name: String,
    source: String,
    max_boxes: Option<u64>,
    cover_boxes: Option<u64>,
) -> PyResult<Rendered> {
    detached(py, move || {
        let mut case = ngd_case::parse_case(&name, &source)?;
        let limits = Limits {
            max_boxes: budget("max_boxes", max_boxes, case.limits.max_boxes)?,
            cover_boxes: budget("cover_boxes", cover_boxes, case.limits.cover_boxes)?,
        };
        let report = ngd_report::case_report(&mut case, &limits)?;
        Ok(rendered_report(&report))
    })
}

fn rendered_report(report: &ngd_report::report::Report) -> Rendered {
    (
        render(report, Format::Json),
        render(report, Format::Markdown),
        render(report, Format::Html),
        report.verdict.exit_code,
    )
}

/// C1 alone for `f` and `phi` given as strings: `ngd-verify check-identity F PHI`.
#[pyfunction]
#[pyo3(signature = (f, phi, variables, radius, max_boxes=None))]
fn check_identity(
    py: Python<'_>,
    f: String,
    phi: String,
    variables: Vec<String>,
    radius: String,
    max_boxes: Option<u64>,
) -> PyResult<Rendered> {
    detached(py, move || {
        let max_boxes = match max_boxes {
            Some(v) => Some(budget("max_boxes", Some(v), 0)?),
            None => None,
        };
        let report =
            ngd_report::identity::identity_report(&ngd_report::identity::IdentityRequest {
                f,
                phi,
                vars: variables,
                radius,
                max_boxes,
            })?;
        Ok(rendered_report(&report))
    })
}

/// Conserved quantities of the gradient flow of the case's `f` and the proposed regularizer:
/// `ngd-verify discover CASE [--degree D] [--laurent] [--exp] [--check] [--seed S]`. The exit
/// status is that of the report of the proposal with `check`, else 0.
#[pyfunction]
#[pyo3(signature = (name, source, degree=3, laurent=false, exp=false, check=false, seed=1))]
#[allow(clippy::too_many_arguments)]
fn discover(
    py: Python<'_>,
    name: String,
    source: String,
    degree: u32,
    laurent: bool,
    exp: bool,
    check: bool,
    seed: u64,
) -> PyResult<Rendered> {
    detached(py, move || {
        if !(1..=12).contains(&degree) {
            return Err(InputError::plain(
                format!("degree must be from 1 to 12, got {degree}"),
                Some("the degree bound of the polynomial ansatz, as `discover --degree`".into()),
            ));
        }
        let mut case = ngd_case::parse_case(&name, &source)?;
        let opts = ngd_discover::DiscoverOptions {
            degree,
            laurent,
            exp,
            seed,
            ..ngd_discover::DiscoverOptions::default()
        };
        let out = discovery::discover_case(&mut case, &opts, check)?;
        let code = out.check.as_ref().map_or(0, |r| r.verdict.exit_code);
        Ok((
            render_discovery(&out, Format::Json),
            render_discovery(&out, Format::Markdown),
            render_discovery(&out, Format::Html),
            code,
        ))
    })
}

/// The settings of `run` that override the case's `[ngd]` section, as given from Python.
#[derive(FromPyObject)]
struct RunSettings {
    starts: Option<u64>,
    iterations: Option<u64>,
    seed: Option<u64>,
    a0: Option<f64>,
    power: Option<f64>,
    precision: Option<u32>,
    /// `(k, n)` with `1 <= k <= n`, 1-based as on the command line.
    shard: Option<(u64, u64)>,
    /// A folder for the SVG plots.
    plots: Option<String>,
}

/// The NGD harness alone: `ngd-verify run CASE [--starts N ...] [--shard K/N] [--plots DIR]`.
/// `settings` is an object with the attributes of [`RunSettings`] (`None` where not given).
#[pyfunction]
fn run(py: Python<'_>, name: String, source: String, settings: RunSettings) -> PyResult<Rendered> {
    detached(py, move || {
        let mut case = ngd_case::parse_case(&name, &source)?;
        let shard = match settings.shard {
            Some((k, n)) => Some(
                harness::parse_shard(&format!("{k}/{n}"))
                    .map_err(|e| InputError::plain(e.replace("--shard", "shard"), None))?,
            ),
            None => None,
        };
        let overrides = harness::Overrides {
            starts: settings.starts,
            iterations: settings.iterations,
            seed: settings.seed,
            a0: settings.a0,
            power: settings.power,
            precision: settings.precision,
            shard,
            // No interrupt flag: a Python caller stops a long run by its settings (starts,
            // iterations, shard); every other field keeps the library's default.
            ..harness::Overrides::default()
        };
        let plots = settings.plots.map(std::path::PathBuf::from);
        // Refused before the work, as the CLI does (which also probes that it can write).
        if let Some(dir) = plots.as_deref().filter(|d| d.exists() && !d.is_dir()) {
            return Err(InputError::plain(
                format!(
                    "cannot write plots into `{}`: it exists and is not a folder",
                    dir.display()
                ),
                Some("give plots a folder that exists or can be created".into()),
            ));
        }
        let run = harness::run_case(&mut case, &overrides, plots.as_deref())?;
        let notes: Vec<String> = run
            .plots
            .iter()
            .map(|f| format!("plot written: {f}"))
            .collect();
        let show = |format| render_harness(&run.report, &case.title, &notes, format);
        Ok((
            show(Format::Json),
            show(Format::Markdown),
            show(Format::Html),
            0,
        ))
    })
}

/// Reads and validates the case file at `path` as the CLI does (same limits, same messages);
/// returns its text and the JSON of its summary (title, variables, f, phi, search box).
#[pyfunction]
fn load_case(py: Python<'_>, path: String) -> PyResult<(String, String)> {
    detached(py, move || {
        let bytes = ngd_case::read_input_file(&path, "case file", ngd_case::MAX_CASE_BYTES)?;
        // Invalid UTF-8 gets the CLI's located message from `load_case`.
        let source = String::from_utf8(bytes).map_err(|_| match ngd_case::load_case(&path) {
            Err(e) => e,
            Ok(_) => InputError::plain(format!("case file `{path}` changed while read"), None),
        })?;
        let summary = spec::summary(&path, &source)?;
        Ok((source, summary))
    })
}

/// Builds the case text of `ngd_verify.make_case` from a JSON object with the fields of a case
/// file (see [`spec::case_source`]); returns the text and the JSON of its summary.
#[pyfunction]
fn case_from_spec(py: Python<'_>, name: String, spec_json: String) -> PyResult<(String, String)> {
    detached(py, move || {
        let source = spec::case_source(&spec_json)?;
        let summary = spec::summary(&name, &source)?;
        Ok((source, summary))
    })
}

/// The JSON of the summary of the case text `source` (validated as a case file).
#[pyfunction]
fn case_summary(py: Python<'_>, name: String, source: String) -> PyResult<String> {
    detached(py, move || spec::summary(&name, &source))
}

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(check_identity, m)?)?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(load_case, m)?)?;
    m.add_function(wrap_pyfunction!(case_from_spec, m)?)?;
    m.add_function(wrap_pyfunction!(case_summary, m)?)?;
    Ok(())
}
