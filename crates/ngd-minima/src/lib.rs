//! Checks C2 (the minimum set), C3 (flat minima) and C6 (strictness of `f + phi` at the flat
//! minima) of ngd-verify, MATH.md section 2, returned as serializable data (no printing).
//!
//! - **C2** ([`MinimumSet`]): `inf f` — a lower bound proved from the structure of `f`
//!   (`f = c h(g)` with `c > 0` and `h` even, or a weighted sum of squares), attainment proved
//!   by a Krawczyk test near a sampled zero of `g`/`G` refined by minimum-norm Newton in MPFR;
//!   samples of `M` (random points of the box projected by Gauss–Newton), its local dimension
//!   (Jacobian rank), its components or branches in the box.
//! - **C3** ([`FlatMinima`]): for `f = h(g)` the flat points are the local minimizers of the
//!   sharpness `s = |grad g|^2` on `M = {g = 0}` (flatness in the sense of the cited work on
//!   flat minima, the paper's Definition 3.31): Lagrange points of `s` found by Newton from
//!   many starts, refined to the requested digits in MPFR, classified by the projected
//!   second-order test, with degenerate points decided by higher-order probes along `M` or
//!   reported as undecided. For least squares (Morse–Bott) the criteria `lambda_max(Hess f)`,
//!   `trace(Hess f)` and the worst-case increase `m_eps` are reported side by side with the
//!   sets they single out. `S = argmin_M phi` is located the same way and compared with the
//!   flat set.
//! - **C6** ([`Strictness`]): `Hess(f + phi)` positive definite at each isolated flat point,
//!   proved by interval Cholesky on a small box whose containment of the Lagrange point is
//!   proved by a Krawczyk test (the paper's Prop 3.34); for positive-dimensional flat sets,
//!   numerical eigenvalues.
//!
//! Every verdict carries an [`Evidence`] class; floating point never yields "proved".
//! Results depend only on the inputs and the seed (single-threaded, no hash-order output).

#![warn(missing_docs)]
// Dense numerical linear algebra reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

mod closed_form;
mod compare;
mod general;
mod lagrange;
mod least_squares;
mod linalg;
mod minset;
mod model;
mod report;
mod sampling;
mod scalar;
mod strict;

pub use closed_form::{fmt_mp, recognize};
pub use compare::compare_flat;
pub use ngd_certify::{interval_cholesky, CholeskyFailure};
pub use ngd_check::Evidence;
pub use report::*;
pub use sampling::{MinimumSetProjector, MinimumSetSamples};

use ngd_check::{RationalBox, Structure};
use ngd_expr::{Arena, ExprId};

/// Settings of [`analyse_minima`].
#[derive(Clone, Debug, PartialEq)]
pub struct MinimaOptions {
    /// Random starts in the box projected onto `M` (also the initial Newton starts of the
    /// Lagrange searches).
    pub samples: usize,
    /// Seed of the deterministic random generator.
    pub seed: u64,
    /// Significant digits of refined points (at least 30 is enforced).
    pub digits: u32,
    /// The two radii of the worst-case increase `m_eps`.
    pub eps: [f64; 2],
    /// At most this many representatives of `M` are refined in MPFR for C2.
    pub max_refined: usize,
    /// Relative half-width of the boxes of the interval proofs of C6.
    pub box_radius: f64,
    /// At most this many Newton starts per Lagrange search (the search stops earlier when
    /// `samples` consecutive starts found nothing new).
    pub max_lagrange_starts: usize,
    /// Minimization runs on `M` per criterion in the Morse–Bott case.
    pub morse_bott_runs: usize,
}

impl Default for MinimaOptions {
    fn default() -> Self {
        MinimaOptions {
            samples: 400,
            seed: 1,
            digits: 50,
            eps: [1e-2, 1e-3],
            max_refined: 16,
            box_radius: 1e-10,
            max_lagrange_starts: 4000,
            morse_bott_runs: 48,
        }
    }
}

/// Runs C2, C3 and (with `phi`) C6 for `f` on the search box `bx`.
///
/// The structure of `f` ([`Structure::detect`]) selects the path: `f = c h(g)` (scalar),
/// `f = sum c_i g_i^2 + c_0` (least squares, Morse–Bott criteria), or a general `f`
/// (minimization, Hessian criteria at the minima found). When `g`/`G` has no zero in the
/// box, `argmin f` is searched by minimization instead. Never panics on a box without
/// minima: the report then says that no point of `M` was found.
///
/// Panics if `bx.dim() != arena.n_vars()` (a programming error of the caller).
pub fn analyse_minima(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    bx: &RationalBox,
    opts: &MinimaOptions,
) -> MinimaReport {
    assert_eq!(
        bx.dim(),
        arena.n_vars(),
        "analyse_minima: the box must have one interval per variable"
    );
    let mut opts = opts.clone();
    opts.digits = opts.digits.max(30);
    opts.samples = opts.samples.max(1);
    match Structure::detect(arena, f) {
        Structure::Scalar { g, outer, coeff } => {
            scalar::analyse(arena, f, phi, g, outer, &coeff, bx, &opts)
        }
        Structure::LeastSquares { residuals } => {
            least_squares::analyse(arena, f, phi, &residuals, bx, &opts)
        }
        Structure::General => general::analyse(arena, f, phi, bx, &opts),
    }
}
