//! The input side of ngd-verify: `*.case` files (TOML) loaded into a [`Case`] with every field
//! validated, input errors that carry their location ([`InputError`]), and the count budgets of
//! the proofs ([`Limits`]). The format is specified in `docs/case-format.md`.
//!
//! ```
//! let case = ngd_case::parse_case(
//!     "demo.case",
//!     "title = \"demo\"\nvariables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\nregularizer = \"(x^2 - y^2)^2\"\n",
//! )
//! .unwrap();
//! assert_eq!(case.title, "demo");
//! assert_eq!(case.arena.n_vars(), 2);
//! assert!(case.regularizer.is_some());
//! ```

mod case;
mod diagnostic;
mod limits;

pub use case::*;
pub use diagnostic::{line_col, InputError};
pub use limits::{Limits, MAX_BOX_BUDGET};
