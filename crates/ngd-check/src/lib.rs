//! The checks of ngd-verify (docs/math.md section 2), returned as serializable data.
//!
//! Nothing here prints: the CLI renders. Every verdict carries its evidence class
//! ([`Evidence`]); "proved" comes only from exact rational arithmetic or outward-rounded
//! interval arithmetic, and every refutation carries a re-checkable [`Witness`].

pub mod conservation;
pub mod kinks;
pub mod structure;

pub use conservation::{check_conservation, ConservationReport, LyapunovReport};
pub use kinks::{Kink, KinkKind};
// The proof rules live in ngd-certify; re-exported because every check reports with them.
pub use ngd_certify::{
    BranchBudget, BranchLimit, Evidence, NonnegOutcome, RationalBox, Witness, WitnessValue,
};
pub use structure::{Outer, Structure};
