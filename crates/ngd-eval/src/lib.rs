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
//!
//! ```
//! use ngd_eval::{Interval, Tape};
//! use ngd_expr::{Arena, Rational};
//!
//! let mut a = Arena::new(vec!["x".into()]);
//! let x = a.var(0);
//! let e = a.powi(x, 2);
//! let t = Tape::compile(&a, &[e]);
//! // Exact at a rational point, and an enclosure of every value on a box.
//! let v = t.eval::<Rational>(&(), &[Rational::from((1, 2))]).unwrap();
//! assert_eq!(v[0], Rational::from((1, 4)));
//! let enc = t.eval::<Interval>(&(), &[Interval::try_from((-1.0, 2.0)).unwrap()]).unwrap();
//! assert!(enc[0].inf() <= 0.0 && enc[0].sup() >= 4.0);
//! ```

#![warn(missing_docs)]

mod error;
mod instr;
mod lanes;
mod scalar;
mod tape;
pub mod vector;

pub use error::{EvalError, EvalErrorKind};
pub use lanes::{LaneBlock, LaneOutputs, PointSlots};
pub use scalar::TapeConst;
pub use scalar::{interval_of, Scalar};
pub use tape::Tape;

pub use inari::Interval;
