//! Every rigorous step of ngd-verify, in one place: the checks call these and keep no bound
//! code of their own (docs/math.md, "What counts as proof").
//!
//! Each module states the contract of its proof rule:
//!
//! | module | proves | only when |
//! | --- | --- | --- |
//! | [`enclosure`] | an interval containing every value of an expression on a box | the centred form only where the tape is proved smooth on the box |
//! | [`branch`] | `e >= 0` on a box (within the domain) | every box of an exact cover is proved, or proved outside the domain |
//! | [`mod@krawczyk`] | a unique zero of a `C^1` map in a box | the Krawczyk operator maps the box into its interior |
//! | [`cholesky`] | every symmetric matrix in an interval matrix is positive definite | every pivot enclosure is positive |
//! | [`points`] | the sign of an expression at a rational point | exact rational evaluation, or an enclosure excluding 0 |
//! | [`domain`] | a point lies in (a box misses) the domain of `f` and `phi` | exact evaluation succeeds (fails everywhere on the box) |
//!
//! Evidence classes ([`Evidence`]) and witnesses ([`Witness`]) live here too, since only a
//! rule of this crate may produce `Proved` or a witness.
//!
//! ```
//! use ngd_certify::{prove_nonneg, BranchBudget, Domain, NonnegOutcome, RationalBox};
//! use ngd_eval::Tape;
//! use ngd_expr::Arena;
//!
//! // x^2 + y^2 + 1 >= 0 on [-3, 3]^2, with the gradient for the centred form.
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let (x, y) = (a.var(0), a.var(1));
//! let (x2, y2, one) = (a.powi(x, 2), a.powi(y, 2), a.int(1));
//! let e = a.add(vec![x2, y2, one]);
//! let mut outs = vec![e];
//! outs.extend(a.gradient(e));
//! let tape = Tape::compile(&a, &outs);
//! let out = prove_nonneg(&tape, &RationalBox::cube(2, 3), &Domain::everywhere(), &BranchBudget::default());
//! assert!(matches!(out, NonnegOutcome::Proved { .. }));
//! ```

#![warn(missing_docs)]

pub mod boxes;
pub mod branch;
pub mod cholesky;
pub mod domain;
pub mod enclosure;
pub mod evidence;
pub mod krawczyk;
pub mod point_interval;
pub mod points;

pub use boxes::RationalBox;
pub use branch::{enclose_box, prove_nonneg, BranchBudget, BranchLimit, NonnegOutcome};
pub use cholesky::{interval_cholesky, CholeskyFailure};
pub use domain::Domain;
pub use enclosure::{enclose, EncloseScratch, Enclosure, EnclosureForm};
pub use evidence::{Evidence, Witness, WitnessValue};
pub use krawczyk::krawczyk;
pub use point_interval::pt;
pub use points::{sample_points, sign_witness, value_at, PointValue, SamplePoints};
