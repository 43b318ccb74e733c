//! Parsing for ngd-verify: variable declarations, expressions, constants.
//!
//! The expression language (see `docs/architecture.md`, "Expressions"):
//!
//! - numbers: integers, decimals and scientific notation, read *exactly* as rationals
//!   (`0.1` is `1/10`, `1e-3` is `1/1000`); never through floating point;
//! - operators `+ - * /`, power `^` or `**` (right-associative, binding tighter than unary
//!   minus: `-x^2 = -(x^2)`, `2^-1/3 = (2^-1)/3`), unary `-` and `+`, parentheses;
//!   products need an explicit `*` (`2x` is an error);
//! - functions `abs exp log ln sqrt sign` (one argument) and `max min` (two or more);
//! - names: scalar variables, scalar parameters (substituted as exact constants), and
//!   vectors/matrices (of variables or parameters) indexed 1-based as `x[i]`, `X[i,j]`, where
//!   an index is an integer expression of literals, loop indices and integer parameters
//!   with `+ - *`;
//! - `sum(i = lo..hi, body)` and `prod(i = lo..hi, body)`, with several ranges allowed
//!   (`sum(i = 1..n, j = i+1..n, body)`); an empty range gives `0` or `1`.
//!
//! Every function here returns a [`ParseError`] with a byte span into its input instead of
//! panicking, on any input. Work is bounded: inputs above [`MAX_SOURCE_BYTES`] and nesting
//! above [`MAX_NESTING`] are refused up front; loop expansion is capped at 10^6 body
//! instantiations and 10^7 evaluation steps; exact constants are capped at 2^18 bits;
//! constant exponents `p/q` are capped at `|p| <= `[`MAX_EXPONENT`] and
//! `q <= `[`MAX_ROOT_INDEX`], also after the powers of one base are combined
//! (`x^6000*x^6000` is refused like `x^12000`).
//!
//! ```
//! use ngd_expr::{Arena, Rational};
//! use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};
//!
//! let vars = expand_variables(&["x[2]".to_string()]).unwrap();
//! assert_eq!(vars, ["x[1]", "x[2]"]);
//! let mut a = Arena::new(vars);
//! let mut params = Params::new();
//! params.insert("c".into(), ParamValue::Scalar(Rational::from((1, 10))));
//! // `0.1` is read exactly, as 1/10: the two sides are the same node.
//! let e = parse_expr(&mut a, "sum(i = 1..2, x[i]^2) - 0.1", &params).unwrap();
//! let e2 = parse_expr(&mut a, "x[2]**2 + x[1]^2 - c", &params).unwrap();
//! assert_eq!(e, e2);
//! // Errors carry a byte span into the input.
//! let err = parse_expr(&mut a, "2x", &params).unwrap_err();
//! assert_eq!(err.span, 1..2);
//! ```

#![warn(missing_docs)]

mod decl;
mod error;
mod lexer;
mod lower;
mod names;
mod number;
mod parser;

pub use error::ParseError;

use ngd_expr::{Arena, ExprId, Rational};
use std::collections::BTreeMap;

/// The longest source accepted by [`parse_expr`] and [`parse_constant`], in bytes.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// The deepest nesting accepted: each parenthesis, bracket, call, index range, unary sign
/// and `^` opens one level. Deeper input is refused with an error (never a stack overflow).
///
/// Input at this depth needs about 300 KB of stack with the workspace's dev profile
/// (opt-level 1) and about 1.5 MB unoptimized, so it parses on a default 2 MB thread.
pub const MAX_NESTING: usize = 200;

/// The largest magnitude `|p|` of the numerator of a constant exponent `p/q` (an integer
/// exponent is `p/1`): `x^10000` and `x^(-10000)` are accepted, `x^10001` is refused. The
/// limit also applies to the exponents that arise when the powers of one base are combined
/// (`x^6000*x^6000 = x^12000`). It matches the power limit of the exact canonical forms
/// (`ngd-algebra`), so that a parsed expression never exceeds it by itself.
pub const MAX_EXPONENT: u32 = 10_000;

/// The largest root index `q` (the reduced denominator of a constant exponent `p/q`):
/// `x^(1/1000)` is accepted, `x^(1/1001)` is refused, also after the powers of one base are
/// combined (`x^(1/999)*x^(1/998)` has root index 997002).
pub const MAX_ROOT_INDEX: u32 = 1_000;

/// The most scalar variables [`expand_variables`] produces in all.
pub const MAX_VARIABLES: usize = 10_000;

/// Value of a named parameter from the case file: exact rationals only.
///
/// Matrices are lists of rows; indexing `M[i,j]` checks `j` against the length of row `i`.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A number, usable wherever a constant is, and (when an integer) in indices and bounds.
    Scalar(Rational),
    /// A vector, indexed as `v[i]`, `1 <= i <= len`.
    Vector(Vec<Rational>),
    /// A matrix given by rows, indexed as `M[i,j]`.
    Matrix(Vec<Vec<Rational>>),
}

/// Named parameters, by name.
pub type Params = BTreeMap<String, ParamValue>;

/// Expands variable declarations into scalar variable names, in order.
///
/// `"x"` gives `["x"]`; `"x[3]"` gives `["x[1]", "x[2]", "x[3]"]`; `"X[2,2]"` gives
/// `["X[1,1]", "X[1,2]", "X[2,1]", "X[2,2]"]` (row-major, 1-based). Whitespace around the
/// parts is allowed. The result is what [`parse_expr`] expects as the arena's variables.
///
/// # Errors
///
/// Bad syntax, a size of zero, more than [`MAX_VARIABLES`] entries in all, more than two
/// dimensions, a name declared twice, or a name that is a function or keyword (`exp`, `sum`,
/// ...). The error comes with the index of the failing declaration; its span points into
/// that declaration string.
pub fn expand_variables(decls: &[String]) -> Result<Vec<String>, (usize, ParseError)> {
    decl::expand(decls)
}

/// Parses `src` into `arena` and returns the root of the expression.
///
/// ```
/// use ngd_expr::Arena;
/// use ngd_parse::{parse_expr, Params};
///
/// let mut a = Arena::new(vec!["x".into(), "y".into()]);
/// let e = parse_expr(&mut a, "-x^2 + max(x, y, 0)", &Params::new()).unwrap();
/// // The display reads back to the same node.
/// let text = a.display(e);
/// assert_eq!(parse_expr(&mut a, &text, &Params::new()).unwrap(), e);
/// assert!(parse_expr(&mut a, "z + 1", &Params::new()).is_err());
/// ```
///
/// The arena's variables are those produced by [`expand_variables`]: a name `x[i]` or
/// `X[i,j]` makes `x`/`X` a vector/matrix that the expression indexes. Named `params` are
/// substituted as exact constants. The result is built with the arena's simplifying
/// constructors; a power whose exponent folds to a rational `q` is `arena.pow(base, q)`,
/// any other power `b^e` is `exp(e*log(b))`. `arena.display(e)` reads back to the same id.
///
/// # Errors
///
/// Any syntax error, unknown name, wrong arity, bad or out-of-range index, division by an
/// exact zero (including `0^q` with `q < 0`), logarithm or even root of a non-positive
/// constant, a constant exponent beyond [`MAX_EXPONENT`] or [`MAX_ROOT_INDEX`], input above
/// [`MAX_SOURCE_BYTES`], nesting above [`MAX_NESTING`], or expansion beyond the work limits.
/// Never panics.
pub fn parse_expr(arena: &mut Arena, src: &str, params: &Params) -> Result<ExprId, ParseError> {
    parse_impl(arena, src, params, true)
}

/// Parses a constant expression (no variables), such as `2^(-1/3)`, `1/sqrt(2)` or `0.25`,
/// into `arena`. The value may be irrational (e.g. `Pow(Const 2, -1/3)`).
///
/// # Errors
///
/// As [`parse_expr`], and any use of a variable of the arena.
pub fn parse_constant(arena: &mut Arena, src: &str, params: &Params) -> Result<ExprId, ParseError> {
    parse_impl(arena, src, params, false)
}

/// Parses a constant that must be an exact rational, such as `1/3`, `-2`, `0.125`, `1e-3`
/// (any constant expression whose value is rational is accepted, e.g. `2^-2`).
///
/// ```
/// use ngd_expr::Rational;
/// use ngd_parse::parse_rational;
///
/// assert_eq!(parse_rational("1e-3").unwrap(), Rational::from((1, 1000)));
/// assert_eq!(parse_rational("2^-2 + 0.5").unwrap(), Rational::from((3, 4)));
/// assert!(parse_rational("sqrt(2)").is_err());
/// ```
///
/// # Errors
///
/// As [`parse_constant`], and a value that is not rational (e.g. `sqrt(2)`).
pub fn parse_rational(src: &str) -> Result<Rational, ParseError> {
    let mut arena = Arena::new(Vec::new());
    let e = parse_constant(&mut arena, src, &Params::new())?;
    arena.as_const(e).cloned().ok_or_else(|| {
        ParseError::new("not an exact rational number", 0..src.len())
            .with_help("write a rational such as `1/3`, `-2`, `0.125` or `1e-3`")
    })
}

fn parse_impl(
    arena: &mut Arena,
    src: &str,
    params: &Params,
    allow_vars: bool,
) -> Result<ExprId, ParseError> {
    if src.len() > MAX_SOURCE_BYTES {
        let mut at = MAX_SOURCE_BYTES;
        while !src.is_char_boundary(at) {
            at -= 1;
        }
        let end = src[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        return Err(ParseError::new(
            format!("expression too long (more than {MAX_SOURCE_BYTES} bytes)"),
            at..end,
        ));
    }
    let toks = lexer::tokenize(src)?;
    let ast = parser::Parser::new(src, toks).parse_all()?;
    let syms = names::Symbols::from_names(arena.var_names());
    let mut lw = lower::Lowerer::new(arena, &syms, params, allow_vars);
    lw.lower(&ast)
}
