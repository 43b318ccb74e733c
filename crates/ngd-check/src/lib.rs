//! The checks of ngd-verify (MATH.md section 2), returned as serializable data.
//!
//! Nothing here prints: the CLI renders. Every verdict carries its evidence class
//! ([`Evidence`]); "proved" comes only from exact rational arithmetic or outward-rounded
//! interval arithmetic, and every refutation carries a re-checkable [`Witness`].

pub mod bnb;
pub mod conservation;
pub mod evidence;
pub mod points;
pub mod structure;

pub use bnb::{BranchBudget, NonnegOutcome, RationalBox};
pub use conservation::{check_conservation, ConservationReport, LyapunovReport};
pub use evidence::{Evidence, Witness, WitnessValue};
pub use structure::{Outer, Structure};
