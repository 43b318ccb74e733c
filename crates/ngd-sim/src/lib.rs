//! The numeric NGD harness of ngd-verify (docs/math.md, "Numeric NGD harness"): seeded multistart
//! normalized gradient descent and a plain gradient descent baseline, in f64 with an
//! optional MPFR re-run of the tail, returning data only (no printing).
//!
//! ```
//! use ngd_parse::{parse_expr, Params};
//! use ngd_sim::{prepare, HarnessConfig};
//! let mut arena = ngd_expr::Arena::new(vec!["x".into(), "y".into()]);
//! let f = parse_expr(&mut arena, "(x*y - 1)^2", &Params::new()).unwrap();
//! let phi = parse_expr(&mut arena, "(x^2 - y^2)^2", &Params::new()).unwrap();
//! let h = prepare(&mut arena, f, Some(phi)); // compile the tapes once
//! let cfg = HarnessConfig { starts: 8, iterations: 2_000, ..HarnessConfig::default() };
//! let flat = [vec![1.0, 1.0], vec![-1.0, -1.0]];
//! let report = h.run(&cfg, Some(&flat)); // NGD + GD from cfg.starts starts
//! assert_eq!(report.ngd.runs, 8);
//! assert!(report.ngd.fraction_near_flat.is_some()); // vs report.gd
//! ```
//!
//! * **NGD**: `x_(k+1) = x_k - a_k grad f/|grad f|`, `a_k = a0/(k+1)^p`
//!   ([`Schedule`]), with `grad f` from a compiled tape evaluated over chunks of runs at
//!   once (structure of arrays, vectorized). Where `grad f` is exactly zero in float64
//!   (on `M`, frequent once the steps are small) the step uses an element of the normalized
//!   subdifferential chosen by a stated, seeded rule, and the event is counted; a run stops
//!   only at a true critical point of `g` / `G` ([`Harness::zero_gradient_rule`]).
//! * **GD baseline**: `x_(k+1) = x_k - h grad f` with a constant step `h`.
//! * **Outcomes** ([`Outcome`]): near the flat set `S`, diverged, at a pole of `phi`,
//!   stalled at a critical point, non-finite, elsewhere (clustered).
//! * **Drift budget** ([`drift_budget`]): `sum a_k^2`, with a warning when it is too small
//!   for the drift along `M` to show.
//! * **Reproducible**: run `i` depends only on `(seed, i)`; the same numbers on any number
//!   of threads, and [`merge`] of the shards equals the unsharded run.

#![warn(missing_docs)]

mod config;
mod distance;
mod grid;
mod harness;
mod kernel;
mod mpfr;
mod nonfinite;
mod problem;
mod refine;
mod report;
mod rule;
mod shape;

pub use config::{
    drift_budget, HarnessConfig, Schedule, DIVERGENCE_CHECK_EVERY, DRIFT_BUDGET_WARNING,
    MAX_ITERATIONS, MAX_RECORD_POINTS, MAX_STARTS, MAX_STEPS,
};
pub use grid::LevelGrid;
pub use problem::{prepare, Harness};
pub use report::{
    merge, Algorithm, Cluster, DriftBudget, DriftWarning, HarnessReport, MergeError, MethodSummary,
    MpfrSummary, MpfrTail, Outcome, RunResult, StallKind, StepRule, TailStop, Trajectory,
    ZeroGradientRule,
};
