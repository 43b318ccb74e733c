//! Checks C2 (the minimum set), C3 (flat minima) and C6 (strictness of `f + phi` at the flat
//! minima) of ngd-verify, docs/math.md section 2, returned as serializable data (no printing).
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
//! - **C6** ([`Strictness`]): each isolated point `s` of `S = argmin_M phi` (the set C3
//!   compares with the flat set; not the flat points) is a strict local minimum of
//!   `F = f + phi`, the hypothesis of Thm 2.9, proved by one of the two rules below on a small
//!   box `B` around `s`, or reported as refuted, not applicable (naming the function whose
//!   kink meets `B`) or inconclusive. A positive-dimensional `S` (matrix factorization) is
//!   never proved: `F` is constant along `S` near each of its points.
//!
//! # C6: the proof rules
//!
//! `B = [s - r, s + r]` with `r_i = box_radius max(1, |s_i|)` (the same `f64` box in every
//! step). On the scalar path a Krawczyk test on the Lagrange system
//! `(grad phi - lambda grad g, g)` over `B x Lambda` also proves that `B` contains exactly one
//! Lagrange point of `phi` on `M` (the point of `S` that was found; that it minimizes `phi`
//! on `M` globally stays numerical evidence). Derivatives are used on `B` only after
//! `Tape::eval_interval_smooth` returned `Ok(true)` there for the tape that holds the
//! function with its gradient and Hessian: every `abs`/`sign`/`max`/`min`/root argument
//! excludes its kink and no pole or domain boundary meets `B`, so the function is `C^2`
//! (indeed analytic) on `B` and its symbolic derivatives are its derivatives.
//!
//! **Smooth rule** (`F` proved `C^2` on `B`). (1) The Krawczyk test on `grad F` with the
//! interval Hessian as Jacobian proves exactly one critical point `c` of `F` in `B` (in the
//! interior of `B`); (2) interval Cholesky of the enclosure of `Hess F` over `B` proves every
//! symmetric matrix in it, so `Hess F(x)` for every `x` in `B`, positive definite. Then `F`
//! is strictly convex on the convex set `B` and `grad F(c) = 0`, so `F(x) > F(c)` for every
//! `x != c` in `B`: `c` is a strict local minimum. `c` is the point of `S` in `B` when its
//! multiplier is 0 (for `f = c h(g)` with `h'(0) = 0`, `grad F = lambda grad g` at a Lagrange
//! point); intervals cannot show `lambda = 0`, so when the point has a rational closed form
//! `q` in `B` the report also checks `g(q) = 0` and `grad F(q) = 0` exactly (then `q = c`).
//! *Refutations*: if (1) fails and some component of `grad F` excludes 0 on all of `B` while
//! `B` provably contains the point of `S`, that point is not critical for the differentiable
//! `F`, so not a local minimum; if (1) holds and `v^T Hess F v < 0` on all of `B` for a
//! numerical eigenvector `v`, the critical point is not a local minimum.
//!
//! **Nonsmooth rule** (`f = c |g|`, `c > 0`, with `phi` and `g` proved `C^2` on `B`). Then
//! `F = max(f_1, f_2)` with `f_1 = phi + c g`, `f_2 = phi - c g`. (i) The Krawczyk test
//! above proves a unique `(s, lambda)` in `B x Lambda` with `grad phi(s) = lambda grad g(s)`,
//! `g(s) = 0`, and `grad g(s) != 0` (the Jacobian is nonsingular). (ii) `|lambda| < c` from
//! the enclosure `Lambda` (`kappa = c - max|Lambda| > 0`); then `mu_1 = (c - lambda)/(2c)` and
//! `mu_2 = (c + lambda)/(2c)` are positive, sum to 1, and `mu_1 grad f_1 + mu_2 grad f_2 =
//! grad phi - lambda grad g = 0`. (iii) With `a = grad g` and `k` the coordinate of the
//! largest `|a_k|` (proved nonzero on `B`), the columns `z_j = e_j - (a_j/a_k) e_k`
//! (`j != k`) of `Z(a)` span `a^perp`; interval Cholesky proves
//! `T = Z^T (Hess phi - lambda Hess g) Z` positive definite for every `a` in `grad g(B)`,
//! Hessians over `B` and `lambda` in `Lambda`, in particular at `(s, lambda)`, where
//! `mu_1 Hess f_1 + mu_2 Hess f_2 = Hess phi - lambda Hess g =: L`. *Argument* (the
//! second-order sufficient condition for a max-function): if `x_k -> s`, `x_k != s`,
//! `F(x_k) <= F(s)`, write `x_k = s + t_k d_k`, `|d_k| = 1`, `d_k -> d`. Since
//! `F(s) = f_1(s) = f_2(s) = phi(s)` and `f_i <= F`, `<grad f_i(s), d> <= 0` for both `i`;
//! the positive combination with the `mu_i` is 0, so both vanish and `d` is tangent to `M`.
//! Summing `mu_i (f_i(x_k) - f_i(s)) <= 0` and expanding to second order gives
//! `t_k^2/2 d_k^T L d_k + o(t_k^2) <= 0`, so `d^T L d <= 0` for a unit tangent `d`,
//! contradicting (iii). Hence `s` is a strict local minimum. *On all of `B`* (reported as
//! `strict_on_box`): for `x = s + d` in `B`, `F(x) - F(s) = [L(x) - L(s)] + lambda g(x) + c|g(x)|`
//! with `L = phi - lambda g`, `grad L(s) = 0`, so `L(x) - L(s) = d^T M d / 2` with
//! `M = Hess L` at a point of `B`; and `lambda g + c|g| >= kappa |g|`,
//! `|g(x)| >= |<a(s), d>| - K |d|^2 / 2` (`K` bounds `|Hess g|` on `B`). Splitting
//! `d = d_T + d_N n` (`n = a(s)/|a(s)|`) and using `d_T^T M d_T >= sigma |d_T|^2` (interval
//! Cholesky of `T - sigma Z^T Z`), `|M| <= |M|_F`, `|d_T|, |d_N| <= delta` (the diameter of
//! `B`) and `kappa |g| >= theta kappa |g|` for `theta` in `[0, 1]`:
//! `F(x) - F(s) >= (sigma - theta kappa K)/2 |d_T|^2 + |d_N| beta` with
//! `beta = theta kappa A - delta (1.5 |M|_F + theta kappa K / 2)` and `A <= |a(s)|`; when
//! `theta kappa K < sigma` and `beta > 0` (checked in interval arithmetic) this is positive
//! for every `d != 0`. *Refutations*: `|lambda| > c` (then
//! `F'(s; -sign(lambda) a) = (c - |lambda|)|a|^2 < 0`), or a tangent direction `Z u` with
//! `u^T T u < 0` certified on `B x Lambda` (then `s` is not a local minimum of `phi` on `M`,
//! and `F = phi` on `M`).
//!
//! Otherwise the rule is *not applicable* and the report names the kink that meets `B` (of
//! `f`, `phi` or `g`), or says that a function cannot be evaluated on `B`.
//!
//! Every verdict carries an [`Evidence`] class; floating point never yields "proved".
//! Explanations (how a value was found, why a rule failed, remarks) are typed values such as
//! [`StrictnessReason`] or [`FlatNote`] carrying the facts; the wording is the renderer's.
//! Results depend only on the inputs and the seed (single-threaded, no hash-order output).
//!
//! ```
//! use ngd_check::{Evidence, RationalBox};
//! use ngd_expr::Arena;
//! use ngd_minima::{analyse_minima, MinimaOptions};
//! use ngd_parse::{parse_expr, Params};
//!
//! // Example 1.1: S = argmin_M phi = {(1, 1), (-1, -1)}, each a strict local minimum of
//! // f + phi (C6, proved).
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let f = parse_expr(&mut a, "(x*y - 1)^2", &Params::new()).unwrap();
//! let phi = parse_expr(&mut a, "(x^2 - y^2)^2", &Params::new()).unwrap();
//! let bx = RationalBox::cube(2, 3);
//! let r = analyse_minima(&mut a, f, Some(phi), &bx, &MinimaOptions::default());
//! assert_eq!(r.strictness.as_ref().unwrap().evidence, Evidence::Proved);
//! ```

#![warn(missing_docs)]
// Dense numerical linear algebra reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

mod certified_point;
mod closed_form;
mod compare;
mod critical_sets;
mod explain;
mod general;
mod lagrange;
mod least_squares;
mod level_set;
mod linalg;
mod minset;
mod model;
mod morse_bott;
mod radical_point;
mod radical_ring;
mod report;
mod sampling;
mod scalar;
mod scalar_sets;
mod sets;
mod strict;

pub use certified_point::{CertifiedPoint, CertifyFailure, EquationSystem};
pub use closed_form::{fmt_mp, recognize, small_rational};
pub use compare::compare_flat;
pub use explain::*;
pub use ngd_certify::{interval_cholesky, CholeskyFailure};
pub use ngd_check::Evidence;
pub use report::*;
pub use sampling::{MinimumSetProjector, MinimumSetSamples};
pub use sets::*;

use ngd_check::structure::SumTerm;
use ngd_check::{RationalBox, Structure};
use ngd_expr::{Arena, ExprId, Rational};

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
    /// Put the bounded samples of set components into the serialized report (they are
    /// always kept in memory, see [`flat_set_sample`]).
    pub set_samples: bool,
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
            set_samples: false,
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
        Structure::Sum { terms, constant } => match quadratic_residuals(&terms) {
            Some(residuals) => {
                let bound = sum_bound(&terms, &constant);
                least_squares::analyse_residuals(arena, f, phi, &residuals, bound, bx, &opts)
            }
            // A loss of order above 2 (or `|t|`, or an inexact leading coefficient): the
            // least-squares criteria of C3 would not be the Hessian of `f`; the general path.
            None => general::analyse(arena, f, phi, bx, &opts),
        },
        Structure::General => general::analyse(arena, f, phi, bx, &opts),
    }
}

/// `(c_i a_i, g_i)` when every loss of a sum is `c_i h_i(g_i)` with `h_i(t) = a_i t^2 +
/// o(t^2)`, `a_i` exact: then `Hess f = 2 sum_i c_i a_i grad g_i grad g_i^T` on `{G = 0}`,
/// the Hessian of the least squares `sum_i c_i a_i g_i^2`.
fn quadratic_residuals(terms: &[SumTerm]) -> Option<Vec<(Rational, ExprId)>> {
    terms
        .iter()
        .map(|t| t.quadratic_weight().map(|w| (w, t.g)))
        .collect()
}

/// The shape and lower bound of a sum of losses for C2. Every `h_i > 0 = h_i(0)` off 0 (the
/// proof that recognised each loss), so `f >= c_0` with equality exactly on `{G = 0}`.
fn sum_bound(terms: &[SumTerm], constant: &Rational) -> least_squares::ResidualBound {
    let structure = Structure::Sum {
        terms: terms.to_vec(),
        constant: constant.clone(),
    };
    least_squares::ResidualBound {
        structure: ObjectiveShape::of(&structure),
        lower_bound: LowerBound {
            value: Some(constant.to_string()),
            evidence: Evidence::Proved,
            reason: LowerBoundReason::SumOfLosses {
                constant: constant.to_string(),
            },
        },
        inf_value: constant.clone(),
    }
}
