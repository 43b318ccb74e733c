//! The checks of ngd-verify (docs/math.md section 2), returned as serializable data.
//!
//! Nothing here prints: the CLI renders. Every verdict carries its evidence class
//! ([`Evidence`]); "proved" comes only from exact rational arithmetic or outward-rounded
//! interval arithmetic, and every refutation carries a re-checkable [`Witness`].
//!
//! ```
//! use ngd_check::conservation::ConservationOptions;
//! use ngd_check::{check_conservation, Evidence, RationalBox};
//! use ngd_expr::Arena;
//! use ngd_parse::{parse_expr, Params};
//!
//! // Example 1.1 of the paper: x^2 - y^2 is conserved by the gradient flow of (xy - 1)^2.
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let f = parse_expr(&mut a, "(x*y - 1)^2", &Params::new()).unwrap();
//! let phi = parse_expr(&mut a, "(x^2 - y^2)^2", &Params::new()).unwrap();
//! let bx = RationalBox::cube(2, 3);
//! let r = check_conservation(&mut a, f, phi, &bx, &ConservationOptions::default());
//! assert_eq!(r.conserved, Evidence::Proved);
//! ```

pub mod conservation;
pub mod kinks;
pub mod structure;

pub use conservation::{
    check_conservation, ConservationReport, Identity, KinkCrossing, LyapunovReport, ObjectiveShape,
    SosLyapunov, UndecidedReason,
};
pub use kinks::{Kink, KinkKind};
// The proof rules live in ngd-certify; re-exported because every check reports with them.
pub use ngd_certify::{
    BranchBudget, BranchLimit, Evidence, NonnegOutcome, RationalBox, Witness, WitnessValue,
};
pub use structure::{Outer, Structure};
