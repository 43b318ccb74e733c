//! Evaluation errors.

use ngd_expr::ExprId;
use std::fmt;

/// Why an operation could not produce a value.
///
/// The `Possible*` kinds come only from interval evaluation: the enclosure of an argument
/// meets a pole or the boundary of a domain, so the function *may* be undefined somewhere in
/// the box (a branch-and-bound caller splits the box). The other kinds are definite: the
/// operation is undefined at the (exact, float or point-interval) argument.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalErrorKind {
    /// A reciprocal (or a division, or a negative integer power) of exactly zero.
    DivisionByZero,
    /// Interval evaluation: a reciprocal of an interval that contains zero.
    PossiblePole,
    /// The argument is outside the domain: `log` of a number `<= 0`, or an even root of a
    /// number `< 0`. The string names the operation.
    Domain(&'static str),
    /// Interval evaluation: the argument interval meets the outside of the domain (e.g. `log`
    /// of an interval whose lower bound is `<= 0`).
    PossibleDomain(&'static str),
    /// Exact rational evaluation met a value that is not rational (`exp`, `log`, an
    /// irrational root). The string names the operation.
    NotRational(&'static str),
    /// MPFR evaluation produced an infinity or NaN (overflow).
    NonFinite,
}

impl fmt::Display for EvalErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalErrorKind::DivisionByZero => write!(f, "division by zero"),
            EvalErrorKind::PossiblePole => {
                write!(f, "possible pole: reciprocal of an interval containing 0")
            }
            EvalErrorKind::Domain(op) => write!(f, "argument outside the domain of {op}"),
            EvalErrorKind::PossibleDomain(op) => {
                write!(f, "interval argument may leave the domain of {op}")
            }
            EvalErrorKind::NotRational(op) => write!(f, "{op} of this argument is not rational"),
            EvalErrorKind::NonFinite => write!(f, "non-finite floating-point value"),
        }
    }
}

impl std::error::Error for EvalErrorKind {}

/// An evaluation failure: what went wrong and at which node of the arena.
///
/// `node` is the arena node whose compiled instruction failed (for a subexpression shared by
/// several nodes, the first of them in id order that needs it).
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    /// What went wrong.
    pub kind: EvalErrorKind,
    /// The node of the arena whose instruction failed.
    pub node: ExprId,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at node {})", self.kind, self.node.0)
    }
}

impl std::error::Error for EvalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}
