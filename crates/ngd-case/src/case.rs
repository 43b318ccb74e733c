//! Loading `*.case` files (TOML): every field validated, every error located.
//!
//! The format is documented in `docs/case-format.md`; unknown fields are errors (they are
//! usually typos), and expressions are parsed with their spans mapped back into the file.

use crate::diagnostic::InputError;
use ngd_check::RationalBox;
use ngd_expr::{Arena, ExprId};
use ngd_parse::{expand_variables, parse_constant, parse_expr, parse_rational, ParamValue, Params};
use rug::Rational;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// Largest case file read, in bytes.
pub const MAX_CASE_BYTES: usize = 16 << 20;

/// The half-width of the default search box `[-3, 3]` per variable.
pub const DEFAULT_BOX: i64 = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    title: Option<String>,
    variables: Spanned<Vec<Spanned<String>>>,
    objective: Spanned<String>,
    regularizer: Option<Spanned<String>>,
    #[serde(default)]
    parameters: BTreeMap<String, Spanned<toml::Value>>,
    search: Option<SearchSection>,
    ngd: Option<NgdSection>,
    limits: Option<LimitsSection>,
    expect: Option<ExpectSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsSection {
    max_boxes: Option<Spanned<i64>>,
    cover_boxes: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchSection {
    #[serde(rename = "box")]
    bx: Option<BTreeMap<String, Spanned<toml::Value>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NgdSection {
    step: Option<StepSection>,
    iterations: Option<Spanned<i64>>,
    starts: Option<Spanned<i64>>,
    seed: Option<Spanned<i64>>,
    start_box: Option<BTreeMap<String, Spanned<toml::Value>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepSection {
    a0: Option<Spanned<f64>>,
    power: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectSection {
    conserved: Option<bool>,
    coercive: Option<bool>,
    d_lyapunov: Option<bool>,
    flat_minima: Option<Vec<Vec<Spanned<String>>>>,
}

/// NGD settings of a case (used by the harness): `a_k = a0 / (k+1)^power`.
#[derive(Clone, Debug, PartialEq)]
pub struct NgdSettings {
    /// First step size, `> 0`.
    pub a0: f64,
    /// Decay power, `>= 0`.
    pub power: f64,
    /// Steps per run.
    pub iterations: u64,
    /// Number of seeded starts.
    pub starts: u64,
    /// Seed of the starts.
    pub seed: u64,
    /// Where starts are drawn.
    pub start_box: RationalBox,
}

/// Claims the case makes about itself; a mismatch makes the run fail.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    /// `phi` is conserved by the gradient flow (C1).
    pub conserved: Option<bool>,
    /// `f + phi` is coercive (C5).
    pub coercive: Option<bool>,
    /// `phi` decreases at second order near `S` (C4, local verdict).
    pub d_lyapunov: Option<bool>,
    /// The flat minima, as constant expressions (C3).
    pub flat_minima: Option<Vec<Vec<ExprId>>>,
}

/// A loaded, validated case.
pub struct Case {
    /// The file name as given.
    pub name: String,
    /// A human title.
    pub title: String,
    /// The arena holding every expression of the case.
    pub arena: Arena,
    /// The variable declarations as written (e.g. `X[2,2]`).
    pub declarations: Vec<String>,
    /// `f`.
    pub objective: ExprId,
    /// `phi`, if given.
    pub regularizer: Option<ExprId>,
    /// Where the minimum set is sampled and certificates are sought.
    pub search_box: RationalBox,
    /// NGD harness settings.
    pub ngd: NgdSettings,
    /// The `[limits]` table: count budgets of the proofs.
    pub limits: crate::Limits,
    /// Claims to check.
    pub expect: Expectations,
}

/// Bits of the MPFR values of flat points (claimed or computed) handed to comparisons and
/// to the proposed regularizer.
pub const FLAT_PRECISION: u32 = 256;

impl Case {
    /// The claimed flat minima evaluated in MPFR at [`FLAT_PRECISION`] bits (`None` without a
    /// claim or when a coordinate cannot be evaluated).
    pub fn flat_minima_values(&self) -> Option<Vec<Vec<rug::Float>>> {
        const PREC: u32 = FLAT_PRECISION;
        let points = self.expect.flat_minima.as_ref()?;
        let zeros = vec![rug::Float::new(PREC); self.arena.n_vars()];
        points
            .iter()
            .map(|p| {
                ngd_eval::Tape::compile(&self.arena, p)
                    .eval::<rug::Float>(&PREC, &zeros)
                    .ok()
            })
            .collect()
    }
}

struct Ctx<'a> {
    name: &'a str,
    src: &'a str,
}

impl Ctx<'_> {
    fn err(&self, span: Range<usize>, msg: impl Into<String>, help: Option<String>) -> InputError {
        InputError::at(self.name, self.src, span, msg, "here", help)
    }

    /// Where the text of a string value starts in the file, if it can be mapped exactly.
    fn string_start(&self, s: &Spanned<String>) -> Option<usize> {
        let span = s.span();
        let raw = self.src.get(span.clone())?;
        let mut start = span.start;
        if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            start += 3;
            if self.src[start..].starts_with('\n') {
                start += 1;
            } else if self.src[start..].starts_with("\r\n") {
                start += 2;
            }
        } else if raw.starts_with('"') || raw.starts_with('\'') {
            start += 1;
        }
        let value = s.get_ref();
        (self.src.get(start..start + value.len()) == Some(value.as_str())).then_some(start)
    }

    /// Maps a parse error inside a string value to a located input error.
    fn expr_err(&self, s: &Spanned<String>, e: ngd_parse::ParseError, what: &str) -> InputError {
        let span = match self.string_start(s) {
            Some(start) => start + e.span.start..start + e.span.end.max(e.span.start + 1),
            None => s.span(),
        };
        let msg = format!("in {what}: {}", e.message);
        InputError::at(self.name, self.src, span, msg, "here", e.help)
    }
}

/// What a non-regular file is, in words.
fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Reads the input file `path` (`what` names it in messages, e.g. "case file"): only a
/// regular file (checked before it is opened, so a FIFO without a writer or a device such as
/// `/dev/zero` is refused instead of blocking or reading without end), and at most `limit`
/// bytes of it (at most `limit + 1` bytes are ever read, whatever the file claims).
pub fn read_input_file(path: &str, what: &str, limit: usize) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let cannot =
        |e: std::io::Error| InputError::plain(format!("cannot read {what} `{path}`: {e}"), None);
    let meta = std::fs::metadata(path).map_err(cannot)?;
    let regular = |t: &std::fs::FileType| -> Result<(), InputError> {
        if t.is_file() {
            Ok(())
        } else {
            Err(InputError::plain(
                format!("{what} `{path}` is {}, not a regular file", file_kind(t)),
                Some(format!("give the path of a {what} (a regular file)")),
            ))
        }
    };
    regular(&meta.file_type())?;
    let file = std::fs::File::open(path).map_err(cannot)?;
    // The path may have been replaced between the two checks.
    regular(&file.metadata().map_err(cannot)?.file_type())?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > limit {
        return Err(InputError::plain(
            format!("{what} `{path}` is larger than the limit of {limit} bytes"),
            None,
        ));
    }
    Ok(bytes)
}

/// The most scalar variables a case may have: the interval searches (branch and bound,
/// Krawczyk, Cholesky) cost memory and time that grow with the dimension, and beyond this
/// they would run for minutes and use gigabytes.
pub const MAX_VARIABLES: usize = 256;

/// Refuses more than [`MAX_VARIABLES`] scalar variables with a clear message.
pub fn check_dimension(n: usize) -> Result<(), InputError> {
    if n > MAX_VARIABLES {
        return Err(InputError::plain(
            format!("{n} scalar variables: ngd-verify handles at most {MAX_VARIABLES}"),
            Some("the interval searches grow with the dimension; reduce the model (e.g. exploit a symmetry)".into()),
        ));
    }
    Ok(())
}

/// Reads and validates a case file. Every failure is an [`InputError`] (exit status 2).
pub fn load_case(path: &str) -> Result<Case, InputError> {
    let bytes = read_input_file(path, "case file", MAX_CASE_BYTES)?;
    let src = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let (line, col) = crate::diagnostic::line_col(&valid, at);
            return Err(InputError::plain(
                format!("case file `{path}` is not valid UTF-8: invalid byte at line {line}, column {col} (byte offset {at})"),
                Some("case files are UTF-8 text".into()),
            ));
        }
    };
    parse_case(path, &src)
}

/// Parses case text; `name` is used in messages.
pub fn parse_case(name: &str, src: &str) -> Result<Case, InputError> {
    let cx = Ctx { name, src };
    let file = parse_toml(&cx)?;
    let (declarations, mut arena) = variables(&cx, &file)?;
    let mut params = Params::new();
    for (key, value) in &file.parameters {
        params.insert(key.clone(), param_value(&cx, key, value)?);
    }
    let objective = parse_expr(&mut arena, file.objective.get_ref(), &params)
        .map_err(|e| cx.expr_err(&file.objective, e, "objective"))?;
    // Residuals with a zero target (`(y*z)^2`, stored as `y^2*z^2`) must exist as nodes for
    // the read-only shape recognition.
    ngd_check::structure::intern_residuals(&mut arena, objective);
    let regularizer = match &file.regularizer {
        Some(r) => Some(
            parse_expr(&mut arena, r.get_ref(), &params)
                .map_err(|e| cx.expr_err(r, e, "regularizer"))?,
        ),
        None => None,
    };
    // Without an explicit start box the search box is also where the NGD harness draws its
    // starts, in f64: its bounds must then be finite as f64.
    let has_start_box = file.ngd.as_ref().is_some_and(|n| n.start_box.is_some());
    let search_box = resolve_box(
        &cx,
        &arena,
        file.search.as_ref().and_then(|s| s.bx.as_ref()),
        "search box",
        !has_start_box,
    )?;
    let ngd = ngd_settings(&cx, &arena, file.ngd.as_ref(), &search_box)?;
    let expect = expectations(&cx, &mut arena, file.expect.as_ref(), &params)?;
    let limits = limits(&cx, file.limits.as_ref())?;
    Ok(Case {
        name: name.to_string(),
        title: file.title.clone().unwrap_or_else(|| name.to_string()),
        arena,
        declarations,
        objective,
        regularizer,
        search_box,
        ngd,
        limits,
        expect,
    })
}

/// The TOML document, with unknown fields refused (they are usually typos).
fn parse_toml(cx: &Ctx) -> Result<CaseFile, InputError> {
    toml::from_str(cx.src).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        cx.err(
            span,
            format!("invalid case file: {}", e.message().trim_end()),
            Some("see docs/case-format.md for the fields of a case".into()),
        )
    })
}

/// The declarations as written and an arena over their expansion (at least one variable, at
/// most [`MAX_VARIABLES`]).
fn variables(cx: &Ctx, file: &CaseFile) -> Result<(Vec<String>, Arena), InputError> {
    let decls: Vec<String> = file
        .variables
        .get_ref()
        .iter()
        .map(|s| s.get_ref().clone())
        .collect();
    if decls.is_empty() {
        return Err(cx.err(
            file.variables.span(),
            "no variables declared",
            Some("e.g. variables = [\"x\", \"y\"]".into()),
        ));
    }
    let names = expand_variables(&decls).map_err(|(i, e)| {
        let s = &file.variables.get_ref()[i];
        cx.expr_err(s, e, "variable declaration")
    })?;
    check_dimension(names.len())?;
    Ok((decls, Arena::new(names)))
}

/// The `[ngd]` section with its defaults; every count within the harness's limits.
fn ngd_settings(
    cx: &Ctx,
    arena: &Arena,
    sec: Option<&NgdSection>,
    search_box: &RationalBox,
) -> Result<NgdSettings, InputError> {
    let step = sec.and_then(|s| s.step.as_ref());
    let a0 = positive_f64(cx, step.and_then(|s| s.a0.as_ref()), 0.1, "a0", false)?;
    let power = positive_f64(cx, step.and_then(|s| s.power.as_ref()), 0.25, "power", true)?;
    let iterations = positive_int(
        cx,
        sec.and_then(|s| s.iterations.as_ref()),
        200_000,
        "iterations",
        ngd_sim::MAX_ITERATIONS,
    )?;
    let starts = positive_int(
        cx,
        sec.and_then(|s| s.starts.as_ref()),
        256,
        "starts",
        ngd_sim::MAX_STARTS,
    )?;
    let seed = match sec.and_then(|s| s.seed.as_ref()) {
        None => 1,
        Some(v) => u64::try_from(*v.get_ref())
            .map_err(|_| cx.err(v.span(), "seed must be a non-negative integer", None))?,
    };
    let start_box = match sec.and_then(|s| s.start_box.as_ref()) {
        Some(b) => resolve_box(cx, arena, Some(b), "start box", true)?,
        None => search_box.clone(),
    };
    Ok(NgdSettings {
        a0,
        power,
        iterations,
        starts,
        seed,
        start_box,
    })
}

/// The `[expect]` claims; each claimed flat minimum has one constant per variable.
fn expectations(
    cx: &Ctx,
    arena: &mut Arena,
    sec: Option<&ExpectSection>,
    params: &Params,
) -> Result<Expectations, InputError> {
    let Some(e) = sec else {
        return Ok(Expectations::default());
    };
    let flat_minima = match &e.flat_minima {
        Some(points) => Some(
            points
                .iter()
                .map(|p| flat_minimum(cx, arena, p, params))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    Ok(Expectations {
        conserved: e.conserved,
        coercive: e.coercive,
        d_lyapunov: e.d_lyapunov,
        flat_minima,
    })
}

/// One claimed flat minimum: as many constant expressions as variables.
fn flat_minimum(
    cx: &Ctx,
    arena: &mut Arena,
    point: &[Spanned<String>],
    params: &Params,
) -> Result<Vec<ExprId>, InputError> {
    if point.len() != arena.n_vars() {
        let span = point.first().map_or(0..0, |s| s.span());
        return Err(cx.err(
            span,
            format!(
                "a flat minimum needs {} coordinates, this one has {}",
                arena.n_vars(),
                point.len()
            ),
            None,
        ));
    }
    point
        .iter()
        .map(|c| {
            parse_constant(arena, c.get_ref(), params)
                .map_err(|e| cx.expr_err(c, e, "expected flat minimum"))
        })
        .collect()
}

/// The `[limits]` table with its defaults.
fn limits(cx: &Ctx, sec: Option<&LimitsSection>) -> Result<crate::Limits, InputError> {
    let defaults = crate::Limits::default();
    Ok(crate::Limits {
        max_boxes: budget(cx, sec.and_then(|s| s.max_boxes.as_ref()), "max_boxes")?
            .unwrap_or(defaults.max_boxes),
        cover_boxes: budget(cx, sec.and_then(|s| s.cover_boxes.as_ref()), "cover_boxes")?
            .unwrap_or(defaults.cover_boxes),
    })
}

/// A box budget of the `[limits]` table: a positive count, at most
/// [`crate::MAX_BOX_BUDGET`] (which bounds time and memory).
fn budget(cx: &Ctx, v: Option<&Spanned<i64>>, what: &str) -> Result<Option<usize>, InputError> {
    let Some(s) = v else { return Ok(None) };
    let x = *s.get_ref();
    let max = crate::MAX_BOX_BUDGET;
    if x <= 0 || x as u64 > max as u64 {
        return Err(cx.err(
            s.span(),
            format!("`{what}` = {x} must be a box count from 1 to {max}"),
            None,
        ));
    }
    Ok(Some(x as usize))
}

fn param_value(cx: &Ctx, key: &str, v: &Spanned<toml::Value>) -> Result<ParamValue, InputError> {
    let scalar = |x: &toml::Value| -> Result<Rational, String> {
        match x {
            toml::Value::Integer(i) => Ok(Rational::from(*i)),
            toml::Value::String(s) => parse_rational(s).map_err(|e| e.message),
            toml::Value::Float(_) => Err(
                "write non-integer parameters as strings (\"0.1\", \"1/3\") so they are read exactly"
                    .into(),
            ),
            _ => Err("expected a number".into()),
        }
    };
    let bad = |msg: String| cx.err(v.span(), format!("parameter `{key}`: {msg}"), None);
    match v.get_ref() {
        toml::Value::Array(rows) if rows.iter().all(|r| r.is_array()) && !rows.is_empty() => {
            let mut m = Vec::new();
            for r in rows {
                let r = r.as_array().expect("checked");
                m.push(
                    r.iter()
                        .map(scalar)
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(bad)?,
                );
            }
            if m.iter().any(|r| r.len() != m[0].len() || r.is_empty()) {
                return Err(bad(
                    "matrix rows must be non-empty and of equal length".into()
                ));
            }
            Ok(ParamValue::Matrix(m))
        }
        toml::Value::Array(xs) => {
            if xs.is_empty() {
                return Err(bad("empty vector".into()));
            }
            Ok(ParamValue::Vector(
                xs.iter()
                    .map(scalar)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(bad)?,
            ))
        }
        x => Ok(ParamValue::Scalar(scalar(x).map_err(bad)?)),
    }
}

fn bound(cx: &Ctx, span: Range<usize>, x: &toml::Value) -> Result<Rational, InputError> {
    match x {
        toml::Value::Integer(i) => Ok(Rational::from(*i)),
        toml::Value::Float(f) => Rational::from_f64(*f)
            .ok_or_else(|| cx.err(span, format!("box bound {f} is not a finite number"), None)),
        toml::Value::String(s) => {
            parse_rational(s).map_err(|e| cx.err(span, format!("box bound: {}", e.message), None))
        }
        _ => Err(cx.err(span, "a box bound must be a number", None)),
    }
}

/// Builds the box of every scalar variable from entries keyed by a scalar name, a vector or
/// matrix name (all its entries), or `default`; unlisted variables get `[-3, 3]`. With
/// `f64_bounds` (a box the NGD harness samples in f64) every bound must be within the
/// range of f64.
fn resolve_box(
    cx: &Ctx,
    arena: &Arena,
    spec: Option<&BTreeMap<String, Spanned<toml::Value>>>,
    what: &str,
    f64_bounds: bool,
) -> Result<RationalBox, InputError> {
    let names = arena.var_names();
    let base = |n: &str| n.split('[').next().unwrap_or(n).to_string();
    let mut parsed: BTreeMap<String, (Rational, Rational)> = BTreeMap::new();
    if let Some(spec) = spec {
        for (key, v) in spec {
            let span = v.span();
            if key != "default" && !names.iter().any(|n| n == key || base(n) == *key) {
                return Err(cx.err(
                    span,
                    format!("{what}: `{key}` is not a declared variable"),
                    Some(format!("declared: {}", names.join(", "))),
                ));
            }
            let arr = v
                .get_ref()
                .as_array()
                .filter(|a| a.len() == 2)
                .ok_or_else(|| {
                    cx.err(
                        span.clone(),
                        format!("{what}: `{key}` must be an interval [lo, hi]"),
                        None,
                    )
                })?;
            let lo = bound(cx, span.clone(), &arr[0])?;
            let hi = bound(cx, span.clone(), &arr[1])?;
            if f64_bounds {
                for b in [&lo, &hi] {
                    if !b.to_f64().is_finite() {
                        return Err(cx.err(
                            span,
                            format!(
                                "{what}: a bound of `{key}` is beyond the range of floating-point numbers (about 1.8e308); the NGD harness draws its starts in this box"
                            ),
                            Some(
                                "bound the box, or give the harness its own [ngd] start_box, e.g. start_box = { default = [-3, 3] }"
                                    .into(),
                            ),
                        ));
                    }
                }
            }
            if lo > hi {
                return Err(cx.err(
                    span,
                    format!("{what}: the interval of `{key}` is inverted ({lo} > {hi})"),
                    Some("write [lo, hi] with lo < hi".into()),
                ));
            }
            if lo == hi {
                return Err(cx.err(
                    span,
                    format!(
                        "{what}: the interval of `{key}` is empty ([{lo}, {hi}] has no interior)"
                    ),
                    Some("give the box a positive width in every variable".into()),
                ));
            }
            parsed.insert(key.clone(), (lo, hi));
        }
    }
    let default = parsed
        .get("default")
        .cloned()
        .unwrap_or((Rational::from(-DEFAULT_BOX), Rational::from(DEFAULT_BOX)));
    let (mut lo, mut hi) = (Vec::new(), Vec::new());
    for n in names {
        let (a, b) = parsed
            .get(n)
            .or_else(|| parsed.get(&base(n)))
            .cloned()
            .unwrap_or_else(|| default.clone());
        lo.push(a);
        hi.push(b);
    }
    Ok(RationalBox::new(lo, hi).expect("bounds validated"))
}

fn positive_f64(
    cx: &Ctx,
    v: Option<&Spanned<f64>>,
    default: f64,
    what: &str,
    allow_zero: bool,
) -> Result<f64, InputError> {
    match v {
        None => Ok(default),
        Some(s) => {
            let x = *s.get_ref();
            let ok = x.is_finite() && (x > 0.0 || (allow_zero && x == 0.0));
            if ok {
                Ok(x)
            } else {
                let want = if allow_zero { ">= 0" } else { "> 0" };
                Err(cx.err(
                    s.span(),
                    format!("`{what}` must be a finite number {want}, got {x}"),
                    None,
                ))
            }
        }
    }
}

/// A positive integer at most `max` (a resource limit of the harness).
fn positive_int(
    cx: &Ctx,
    v: Option<&Spanned<i64>>,
    default: u64,
    what: &str,
    max: u64,
) -> Result<u64, InputError> {
    let Some(s) = v else {
        return Ok(default);
    };
    let x = *s.get_ref();
    if x <= 0 {
        return Err(cx.err(
            s.span(),
            format!("`{what}` must be a positive integer, got {x}"),
            None,
        ));
    }
    if x as u64 > max {
        return Err(cx.err(
            s.span(),
            format!("`{what}` = {x} is above the limit of {max}"),
            Some(format!(
                "the NGD harness accepts at most {max} {what} (a fixed limit that bounds its \
                 time and memory)"
            )),
        ));
    }
    Ok(x as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> String {
        match parse_case("t.case", src) {
            Ok(_) => panic!("expected an error for {src}"),
            Err(e) => e.render(),
        }
    }

    #[test]
    fn loads_a_minimal_case() {
        let c = parse_case(
            "t.case",
            "variables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\nregularizer = \"(x^2 - y^2)^2\"\n",
        )
        .unwrap();
        assert_eq!(c.arena.n_vars(), 2);
        assert_eq!(c.search_box, RationalBox::cube(2, 3));
        assert_eq!(c.ngd.iterations, 200_000);
    }

    #[test]
    fn locates_expression_errors_in_the_file() {
        let r = err("variables = [\"x\", \"y\"]\nobjective = \"(x*z - 1)^2\"\n");
        assert!(r.contains("t.case:2:17"), "{r}");
        assert!(r.contains("z"), "{r}");
    }

    #[test]
    fn rejects_unknown_fields_and_bad_boxes() {
        let r = err("variables = [\"x\"]\nobjective = \"x^2\"\nregulariser = \"x\"\n");
        assert!(r.contains("regulariser"), "{r}");
        let r = err("variables = [\"x\"]\nobjective = \"x^2\"\n[search]\nbox = { x = [3, -3] }\n");
        assert!(r.contains("inverted"), "{r}");
        let r = err("variables = [\"x\"]\nobjective = \"x^2\"\n[search]\nbox = { x = [1, 1] }\n");
        assert!(r.contains("empty"), "{r}");
        let r = err("variables = [\"x\"]\n");
        assert!(r.contains("objective"), "{r}");
    }

    #[test]
    fn harness_sizes_are_capped_with_located_errors() {
        let base = "variables = [\"x\"]\nobjective = \"x^2\"\n[ngd]\n";
        let r = err(&format!("{base}starts = 1000000000000\n"));
        assert!(
            r.contains("`starts` = 1000000000000 is above the limit of 1000000"),
            "{r}"
        );
        assert!(r.contains("t.case:4:10"), "{r}");
        let r = err(&format!("{base}iterations = 1000000000000\n"));
        assert!(r.contains("above the limit of 1000000000"), "{r}");
        assert!(r.contains("t.case:4:14"), "{r}");
        let r = err(&format!("{base}starts = 0\n"));
        assert!(r.contains("positive integer, got 0"), "{r}");
        let c = parse_case(
            "t.case",
            &format!("{base}starts = 1000000\niterations = 1000000\n"),
        )
        .unwrap();
        assert_eq!((c.ngd.starts, c.ngd.iterations), (1_000_000, 1_000_000));
    }

    #[test]
    fn start_boxes_must_be_finite_in_f64() {
        let base = "variables = [\"x\"]\nobjective = \"x^2\"\n";
        let huge = "[search]\nbox = { x = [\"-1e400\", 1] }\n";
        let r = err(&format!("{base}{huge}"));
        assert!(
            r.contains("beyond the range of floating-point numbers"),
            "{r}"
        );
        // With its own start box the harness never samples the search box.
        let c = parse_case(
            "t.case",
            &format!("{base}{huge}[ngd]\nstart_box = {{ x = [-1, 1] }}\n"),
        )
        .unwrap();
        assert_eq!(c.ngd.start_box, RationalBox::cube(1, 1));
        let r = err(&format!(
            "{base}[ngd]\nstart_box = {{ x = [\"-1e400\", 1] }}\n"
        ));
        assert!(r.contains("start box"), "{r}");
    }

    #[test]
    fn only_regular_files_are_read_and_only_up_to_the_limit() {
        let dir = std::env::temp_dir().join(format!("ngd-case-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("a.case");
        std::fs::write(&f, "0123456789").unwrap();
        let p = f.to_str().unwrap();
        assert_eq!(read_input_file(p, "case file", 10).unwrap().len(), 10);
        let e = read_input_file(p, "case file", 9).unwrap_err().render();
        assert!(e.contains("larger than the limit of 9 bytes"), "{e}");
        let e = read_input_file(dir.to_str().unwrap(), "case file", 9)
            .unwrap_err()
            .render();
        assert!(e.contains("is a directory, not a regular file"), "{e}");
        #[cfg(unix)]
        {
            let e = read_input_file("/dev/zero", "case file", 9)
                .unwrap_err()
                .render();
            assert!(e.contains("a character device, not a regular file"), "{e}");
        }
        let e = read_input_file(dir.join("missing").to_str().unwrap(), "case file", 9)
            .unwrap_err()
            .render();
        assert!(e.contains("cannot read case file"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
