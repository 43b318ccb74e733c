//! The expression core of ngd-verify: a hash-consed expression DAG over exact rational
//! constants, symbolic differentiation, and printing.
//!
//! Parsing lives in `ngd-parse`, exact canonical forms in `ngd-algebra`, numeric evaluation
//! in `ngd-eval`; this crate knows nothing about NGD.

mod dag;
mod diff;
mod display;

pub use dag::{Arena, ExprId, Func, Node};
pub use rug::Rational;
