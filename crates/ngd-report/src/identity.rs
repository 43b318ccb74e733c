//! `check-identity`: the C1 report of an `f` and a `phi` given as strings, without a case file.
//! Variables are declared or inferred; the search box is `[-r, r]^n`.

use crate::report::{build_report, summarize, ClaimInputs, Problem, Report, Scope};
use ngd_case::{check_dimension, InputError, Limits};
use ngd_check::RationalBox;
use ngd_expr::Arena;
use ngd_parse::{expand_variables, parse_expr, parse_rational, Params};

/// What `check-identity` is asked.
#[derive(Clone, Debug)]
pub struct IdentityRequest {
    /// The objective `f`, in the expression syntax of `docs/case-format.md`.
    pub f: String,
    /// The candidate regularizer `phi`.
    pub phi: String,
    /// Variable declarations (`x`, `W[2,3]`); empty: the plain identifiers of `f` and `phi` in
    /// order of first appearance.
    pub vars: Vec<String>,
    /// The half-width `r` of the search box `[-r, r]^n`, an exact rational.
    pub radius: String,
    /// Box budget of the branch and bound of `<grad f, grad phi> >= 0` (default when `None`).
    pub max_boxes: Option<usize>,
}

/// The C1 report of `request`; every input error carries the field it came from (`f`, `phi`,
/// `--var`, `--radius`).
///
/// ```
/// use ngd_report::identity::{identity_report, IdentityRequest};
/// let report = identity_report(&IdentityRequest {
///     f: "(x*y - 1)^2".into(),
///     phi: "x^2 - y^2".into(),
///     vars: vec![],
///     radius: "3".into(),
///     max_boxes: None,
/// })
/// .unwrap();
/// let c1 = report.conservation.as_ref().unwrap();
/// assert_eq!(c1.conserved, ngd_check::Evidence::Proved);
/// assert_eq!(report.verdict.exit_code, 0);
/// ```
pub fn identity_report(request: &IdentityRequest) -> Result<Report, InputError> {
    let decls = declarations(request)?;
    let names = expand_variables(&decls)
        .map_err(|(i, e)| InputError::at("--var", &decls[i], e.span, e.message, "here", e.help))?;
    check_dimension(names.len())?;
    let bx = search_box(&request.radius, names.len())?;
    let mut arena = Arena::new(names);
    let params = Params::new();
    let f = parse_expr(&mut arena, &request.f, &params)
        .map_err(|e| InputError::at("f", &request.f, e.span, e.message, "here", e.help))?;
    ngd_check::structure::intern_residuals(&mut arena, f);
    let phi = parse_expr(&mut arena, &request.phi, &params)
        .map_err(|e| InputError::at("phi", &request.phi, e.span, e.message, "here", e.help))?;
    let summary = summarize(
        &arena,
        "check-identity",
        "command line",
        &decls,
        f,
        Some(phi),
        &bx,
    );
    let defaults = Limits::default();
    let limits = Limits {
        max_boxes: request.max_boxes.unwrap_or(defaults.max_boxes),
        ..defaults
    };
    let problem = Problem {
        f,
        phi: Some(phi),
        bx: &bx,
    };
    Ok(build_report(
        &mut arena,
        summary,
        problem,
        ClaimInputs::default(),
        Scope::IdentityOnly,
        &limits,
    ))
}

/// The declared variables, or those inferred from `f` and `phi`; an error when there are none.
fn declarations(request: &IdentityRequest) -> Result<Vec<String>, InputError> {
    let decls = if request.vars.is_empty() {
        infer_variables(&[&request.f, &request.phi])
    } else {
        request.vars.clone()
    };
    if decls.is_empty() {
        return Err(InputError::plain(
            "no variables: f and phi are constants",
            Some("declare variables with --var".into()),
        ));
    }
    Ok(decls)
}

/// `[-r, r]^n` for a positive rational `r`.
fn search_box(radius: &str, n: usize) -> Result<RationalBox, InputError> {
    let r = parse_rational(radius)
        .map_err(|e| InputError::at("--radius", radius, e.span, e.message, "here", e.help))?;
    if r <= 0 {
        return Err(InputError::plain("--radius must be positive", None));
    }
    Ok(RationalBox::new(vec![-r.clone(); n], vec![r; n]).expect("r > 0"))
}

/// Function names of the expression syntax (never inferred as variables).
const FUNCTIONS: [&str; 10] = [
    "abs", "exp", "log", "ln", "sqrt", "sign", "max", "min", "sum", "prod",
];

/// The plain identifiers of the sources, in order of first appearance: not a function name,
/// not called or indexed, not part of a number (`1e-3`).
pub fn infer_variables(sources: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for src in sources {
        for word in free_identifiers(src) {
            if !out.iter().any(|w| w == word) {
                out.push(word.to_string());
            }
        }
    }
    out
}

/// The identifiers of `src` that can name a variable, in order, with repeats.
fn free_identifiers(src: &str) -> Vec<&str> {
    let b = src.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphabetic() || b[i] == b'_') {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let word = &src[start..i];
        let next = src[i..].trim_start_matches(' ').bytes().next();
        let called = matches!(next, Some(b'(' | b'['));
        let in_number = start > 0 && (b[start - 1].is_ascii_digit() || b[start - 1] == b'.');
        if !called && !in_number && !FUNCTIONS.contains(&word) {
            words.push(word);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_plain_identifiers_in_order() {
        assert_eq!(
            infer_variables(&["(x*y - 1)^2", "exp(2*y) + z1 + 1e-3"]),
            vec!["x", "y", "z1"]
        );
    }

    #[test]
    fn indexed_and_called_names_are_not_variables() {
        assert_eq!(
            infer_variables(&["W[1,2] + max(a, b) + sqrt (c)"]),
            vec!["a", "b", "c"]
        );
    }

    #[test]
    fn constants_alone_are_an_error() {
        let request = IdentityRequest {
            f: "1 + 2".into(),
            phi: "3".into(),
            vars: vec![],
            radius: "1".into(),
            max_boxes: None,
        };
        let err = identity_report(&request).unwrap_err();
        assert!(err.render().contains("no variables"));
    }

    #[test]
    fn a_nonpositive_radius_is_an_error() {
        let request = IdentityRequest {
            f: "x^2".into(),
            phi: "x".into(),
            vars: vec![],
            radius: "-1/2".into(),
            max_boxes: None,
        };
        assert!(identity_report(&request)
            .unwrap_err()
            .render()
            .contains("--radius"));
    }
}
