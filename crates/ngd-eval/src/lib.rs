//! Compiled evaluation of ngd-expr DAGs.
//!
//! [`Tape::compile`] turns several roots of an [`ngd_expr::Arena`] (typically `f`, its
//! gradient and its Hessian) into one straight-line program in which shared subexpressions
//! are computed once; [`Tape::compile_gradient`] compiles the gradient of one root by
//! reverse-mode differentiation instead (`f`, then its adjoint sweep: about three
//! operations per factor of a product, where the symbolic gradient of an `n`-ary product
//! has `n` separate products). A tape evaluates over any [`Scalar`]:
//!
//! | type              | guarantee                                                        |
//! | ----------------- | ---------------------------------------------------------------- |
//! | `rug::Rational`   | exact; `NotRational` when a value would be irrational            |
//! | `inari::Interval` | **sound**: outward rounded, `Ok` results enclose the exact range |
//! | `rug::Float`      | MPFR, each operation correctly rounded at the given precision    |
//! | `f64`             | IEEE double, numerical evidence only                             |
//!
//! plus fast float paths without per-instruction error checks, all bit-identical: [`Tape::eval_f64`]
//! (one point), [`Tape::eval_point`] (one point, no per-call setup), [`Tape::eval_lanes`] and
//! [`Tape::eval_f64_batch`] (many points, vectorized over lanes).
//!
//! Only the `Rational` and `Interval` paths may back a "proved" verdict.

#![warn(missing_docs)]

mod error;
mod lanes;
mod scalar;
mod tape;

pub use error::{EvalError, EvalErrorKind};
pub use lanes::{LaneBlock, LaneOutputs, PointSlots};
pub use scalar::{interval_of, Scalar};
pub use tape::{Tape, TapeConst};

pub use inari::Interval;
