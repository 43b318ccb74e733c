//! Lagrange points that lie on sets of positive dimension (docs/math.md section 2, C3): told
//! apart from isolated (possibly degenerate) points by continuing Newton along the null
//! directions of the projected Hessian, collected per level, and split into components.
//!
//! Why continuation: a singular projected Hessian alone does not make a set (`x^4` has an
//! isolated degenerate minimum). Moving a point of a set along a null direction by a step
//! `delta` leaves it within `O(delta^2)` of the set, so Newton lands next to the moved start;
//! at an isolated degenerate point Newton walks back towards the point.

use crate::linalg::{dist, norm, null_space, rank, sym_eigen, MAX_ITERATIONS};
use crate::model::{BoxF, LagrangeSystem};
use crate::sets::{
    single_linkage, spread_subset, SetClass, SetDimensionMethod, REPRESENTATIVES, SAMPLE_CAP,
};
use nalgebra::{DMatrix, DVector};

/// Relative threshold of a zero eigenvalue of the projected Hessian in `f64` (looser than the
/// MPFR test of isolated points: the points here are only converged in `f64`).
pub const NULL_THRESHOLD: f64 = 1e-6;

/// The relative step along a null direction for the continuation test.
pub const CONTINUATION_STEP: f64 = 1e-2;

/// Relative tolerance for two Lagrange points to lie on the same level of `h`.
const LEVEL_TOLERANCE: f64 = 1e-8;

/// At most this many converged points are stored per level before components are formed.
const STORE_CAP: usize = 256;

/// The continuation test is run at up to this many points of a level; the most frequent
/// dimension wins (a first point at a singular place of the set, where two sheets cross, is
/// outvoted).
const VOTES: usize = 8;

/// The projected Hessian at an `f64` Lagrange point.
pub struct ProjectedF64 {
    /// Eigenvalues, ascending.
    pub eig: Vec<f64>,
    /// Eigenvectors in `R^n` (columns), one per eigenvalue.
    pub dirs: DMatrix<f64>,
    /// The zero threshold.
    pub tol: f64,
    /// `h` at the point.
    pub h: f64,
}

impl ProjectedF64 {
    /// Indices of the numerically zero eigenvalues.
    pub fn null(&self) -> Vec<usize> {
        (0..self.eig.len())
            .filter(|&i| self.eig[i].abs() <= self.tol)
            .collect()
    }
}

/// `Z^T (Hess h - lambda Hess g) Z` at `x` in `f64` (`Z` an orthonormal basis of the tangent
/// space), with the zero threshold relative to the size of the derivatives there.
pub fn projected_f64(sys: &LagrangeSystem, x: &[f64], lam: f64) -> Option<ProjectedF64> {
    let n = sys.n;
    let mut scratch = Vec::new();
    let v = sys.eval_f64(x, &mut scratch)?;
    let mut hl = DMatrix::<f64>::zeros(n, n);
    let mut sc: f64 = 1.0;
    for i in 0..n {
        for j in 0..n {
            hl[(i, j)] = v.hh[i][j] - lam * v.hg[i][j];
            sc = sc.max(v.hh[i][j].abs() + (lam * v.hg[i][j]).abs());
        }
    }
    let gs = v.dh.iter().chain(&v.dg).fold(0.0f64, |a, d| a.max(d.abs()));
    let dg = DMatrix::from_row_slice(1, n, &v.dg);
    let z = null_space(&dg, 1e-12);
    let (eig, vecs) = sym_eigen(&(z.transpose() * &hl * &z));
    Some(ProjectedF64 {
        eig,
        dirs: &z * vecs,
        tol: NULL_THRESHOLD * sc.max(gs * (1.0 + lam.abs())),
        h: v.h,
    })
}

/// Gauss–Newton on the Lagrange system with pseudo-inverse steps (the system is singular on a
/// set of Lagrange points): converges to a nearby point of the set. At most 50 steps, each
/// at most `max_step` long.
pub fn newton_pinv(
    sys: &LagrangeSystem,
    x0: &[f64],
    lam0: f64,
    max_step: f64,
) -> Option<(Vec<f64>, f64)> {
    let n = sys.n;
    let mut scratch = Vec::new();
    let (mut x, mut lam) = (x0.to_vec(), lam0);
    for _ in 0..50 {
        let (f, k, scale) = sys.system_f64(&x, lam, &mut scratch)?;
        if f.norm() <= 1e-12 * scale {
            return Some((x, lam));
        }
        let svd = k.try_svd(true, true, f64::EPSILON, MAX_ITERATIONS)?;
        let top = svd.singular_values.max();
        let mut d: DVector<f64> = svd.solve(&(-f), 1e-10 * top).ok()?;
        let dn = d.rows(0, n).norm();
        if !dn.is_finite() {
            return None;
        }
        if dn > max_step {
            d *= max_step / dn;
        }
        for i in 0..n {
            x[i] += d[i];
        }
        lam += d[n];
    }
    None
}

/// True when `a` and `b` are the same level of `h` (relative tolerance).
fn same_level(a: f64, b: f64) -> bool {
    (a - b).abs() <= LEVEL_TOLERANCE * (1.0 + a.abs().max(b.abs()))
}

/// The dimension of the set of Lagrange points through `x`: the rank of the displacements of
/// the Newton landings from `x +- delta d` for the null directions `d` that land next to the
/// moved start on the level of `x` (at most six directions are tried).
fn continued_dimension(
    sys: &LagrangeSystem,
    bx: &BoxF,
    x: &[f64],
    lam: f64,
    ph: &ProjectedF64,
) -> usize {
    let delta = CONTINUATION_STEP * norm(x).max(1.0);
    let mut scratch = Vec::new();
    let mut moves: Vec<Vec<f64>> = Vec::new();
    for &i in ph.null().iter().take(6) {
        for sign in [1.0, -1.0] {
            let start: Vec<f64> = (0..x.len())
                .map(|k| x[k] + sign * delta * ph.dirs[(k, i)])
                .collect();
            let Some((y, _)) = newton_pinv(sys, &start, lam, delta) else {
                continue;
            };
            let on_level = sys
                .eval_f64(&y, &mut scratch)
                .is_some_and(|v| same_level(v.h, ph.h));
            if bx.contains(&y) && on_level && dist(&y, &start) <= 0.1 * delta {
                moves.push(y.iter().zip(x).map(|(a, b)| a - b).collect());
                break;
            }
        }
    }
    if moves.is_empty() {
        return 0;
    }
    let m = DMatrix::from_fn(moves.len(), x.len(), |r, c| moves[r][c]);
    rank(&m, 0.1)
}

/// The continuation test at one point of a level.
#[derive(Clone, Debug)]
struct Vote {
    dimension: usize,
    null: usize,
    multiplier: f64,
    class: SetClass,
    transversal: Vec<f64>,
}

/// The points found on one level of `h` that lie on a set of positive dimension.
#[derive(Clone, Debug)]
pub struct SetLevel {
    /// `h` on the level.
    pub value: f64,
    /// The multiplier at the deciding point.
    pub multiplier: f64,
    /// The most frequent dimension of the continuation tests (ties: the larger).
    pub dimension: usize,
    /// How it was found.
    pub method: SetDimensionMethod,
    /// The class at the first point of that dimension.
    pub class: SetClass,
    /// The transversal eigenvalues there.
    pub transversal: Vec<f64>,
    /// The continuation tests run on this level.
    votes: Vec<Vote>,
    /// Stored points (at most a few hundred, in the order found).
    pub points: Vec<Vec<f64>>,
    /// All converged points that landed on it.
    pub hits: usize,
}

/// Where a converged Newton start landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Landing {
    /// An isolated point (possibly degenerate): refine and classify it as before.
    Isolated,
    /// A point of a set already seen (not new).
    KnownSet,
    /// The first point of a new set.
    NewSet,
}

/// The class of a set from the projected Hessian: the `dimension` eigenvalues smallest in
/// absolute value run along the set; the rest decide.
fn set_class(ph: &ProjectedF64, dimension: usize) -> (SetClass, Vec<f64>) {
    let mut idx: Vec<usize> = (0..ph.eig.len()).collect();
    idx.sort_by(|&a, &b| ph.eig[a].abs().total_cmp(&ph.eig[b].abs()));
    let mut rest: Vec<f64> = idx[dimension.min(idx.len())..]
        .iter()
        .map(|&i| ph.eig[i])
        .collect();
    rest.sort_by(f64::total_cmp);
    let class = if rest.is_empty() {
        SetClass::ConstantOnM
    } else if rest.iter().any(|e| e.abs() <= ph.tol) {
        SetClass::Undecided
    } else if rest.iter().all(|&e| e > 0.0) {
        SetClass::Minimum
    } else if rest.iter().all(|&e| e < 0.0) {
        SetClass::Maximum
    } else {
        SetClass::Saddle
    };
    (class, rest)
}

/// The continuation test and class at `(x, lam)`; `None` when no null direction continues.
fn vote(sys: &LagrangeSystem, bx: &BoxF, x: &[f64], lam: f64, ph: &ProjectedF64) -> Option<Vote> {
    let dimension = continued_dimension(sys, bx, x, lam, ph);
    if dimension == 0 {
        return None;
    }
    let (class, transversal) = set_class(ph, dimension);
    Some(Vote {
        dimension,
        null: ph.null().len(),
        multiplier: lam,
        class,
        transversal,
    })
}

impl SetLevel {
    fn new(value: f64, v: Vote, x: &[f64]) -> SetLevel {
        let mut level = SetLevel {
            value,
            multiplier: 0.0,
            dimension: 0,
            method: SetDimensionMethod::WholeM,
            class: SetClass::Undecided,
            transversal: Vec::new(),
            votes: vec![v],
            points: vec![x.to_vec()],
            hits: 1,
        };
        level.settle();
        level
    }

    /// Takes the most frequent dimension among the votes (ties: the larger) and the class of
    /// the first vote with it.
    fn settle(&mut self) {
        let count = |d: usize| self.votes.iter().filter(|v| v.dimension == d).count();
        let best = self
            .votes
            .iter()
            .map(|v| v.dimension)
            .max_by_key(|&d| (count(d), d))
            .unwrap_or(0);
        let Some(v) = self.votes.iter().find(|v| v.dimension == best) else {
            return;
        };
        self.dimension = v.dimension;
        self.multiplier = v.multiplier;
        self.class = v.class;
        self.transversal = v.transversal.clone();
        self.method = SetDimensionMethod::ContinuedNullDirections {
            null_directions: v.null,
            continued: v.dimension,
            threshold: NULL_THRESHOLD,
            step: CONTINUATION_STEP,
        };
    }
}

/// Collects the Lagrange points of one search that lie on sets of positive dimension.
#[derive(Default)]
pub struct SetCollector {
    /// The levels found, in order.
    pub levels: Vec<SetLevel>,
}

impl SetCollector {
    /// Decides where the converged point `(x, lam)` landed; points of sets are stored. A point
    /// with a singular projected Hessian on the level of a known set belongs to it (the
    /// continuation test runs again at the first few such points).
    pub fn land(&mut self, sys: &LagrangeSystem, bx: &BoxF, x: &[f64], lam: f64) -> Landing {
        let Some(ph) = projected_f64(sys, x, lam) else {
            return Landing::Isolated;
        };
        if ph.null().is_empty() {
            return Landing::Isolated;
        }
        if let Some(level) = self.levels.iter_mut().find(|l| same_level(l.value, ph.h)) {
            level.hits += 1;
            if level.points.len() < STORE_CAP {
                level.points.push(x.to_vec());
            }
            if level.votes.len() < VOTES {
                if let Some(v) = vote(sys, bx, x, lam, &ph) {
                    level.votes.push(v);
                    level.settle();
                }
            }
            return Landing::KnownSet;
        }
        match vote(sys, bx, x, lam, &ph) {
            Some(v) => {
                self.levels.push(SetLevel::new(ph.h, v, x));
                Landing::NewSet
            }
            None => Landing::Isolated,
        }
    }
}

/// One component of a level: its spread-out sample and representatives.
pub struct FoundComponent<'a> {
    /// The level it belongs to.
    pub level: &'a SetLevel,
    /// A spread-out sample (at most [`SAMPLE_CAP`]).
    pub sample: Vec<Vec<f64>>,
    /// Points of the level that fell in it.
    pub points: usize,
}

impl FoundComponent<'_> {
    /// The first [`REPRESENTATIVES`] points of the sample (mutually far apart).
    pub fn representatives(&self) -> Vec<Vec<f64>> {
        self.sample.iter().take(REPRESENTATIVES).cloned().collect()
    }
}

/// The components of every level: single linkage of its stored points at distance `link`.
pub fn components(levels: &[SetLevel], link: f64) -> Vec<FoundComponent<'_>> {
    let mut out = Vec::new();
    for level in levels {
        for group in single_linkage(&level.points, link) {
            let pts: Vec<Vec<f64>> = group.iter().map(|&i| level.points[i].clone()).collect();
            out.push(FoundComponent {
                level,
                sample: spread_subset(&pts, SAMPLE_CAP),
                points: pts.len(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_expr::{Arena, ExprId};

    fn system(build: impl FnOnce(&mut Arena, &[ExprId]) -> (ExprId, ExprId)) -> LagrangeSystem {
        let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
        let v: Vec<ExprId> = (0..3).map(|i| a.var(i)).collect();
        let (h, g) = build(&mut a, &v);
        LagrangeSystem::new(&mut a, h, g)
    }

    fn sphere(a: &mut Arena, v: &[ExprId]) -> ExprId {
        let sq: Vec<ExprId> = v.iter().map(|&x| a.powi(x, 2)).collect();
        let m1 = a.int(-1);
        let mut t = sq;
        t.push(m1);
        a.add(t)
    }

    fn bx() -> BoxF {
        BoxF {
            lo: vec![-2.0; 3],
            hi: vec![2.0; 3],
        }
    }

    #[test]
    fn a_great_circle_is_a_set_of_dimension_one() {
        // h = (x - y)^2 on the unit sphere: its minimum set is the circle x = y.
        let sys = system(|a, v| {
            let d = a.sub(v[0], v[1]);
            (a.powi(d, 2), sphere(a, v))
        });
        let r = std::f64::consts::FRAC_1_SQRT_2;
        let x = [0.6 * r, 0.6 * r, 0.8];
        let mut c = SetCollector::default();
        assert_eq!(c.land(&sys, &bx(), &x, 0.0), Landing::NewSet);
        assert_eq!(c.levels[0].dimension, 1);
        assert_eq!(c.levels[0].class, SetClass::Minimum);
        let y = [r, r, 0.0];
        assert_eq!(c.land(&sys, &bx(), &y, 0.0), Landing::KnownSet);
    }

    #[test]
    fn a_degenerate_isolated_point_stays_isolated() {
        // h = x^4 + y^2 on the plane z = 0: the origin is an isolated degenerate minimum.
        let sys = system(|a, v| {
            let x4 = a.powi(v[0], 4);
            let y2 = a.powi(v[1], 2);
            (a.add2(x4, y2), v[2])
        });
        let mut c = SetCollector::default();
        assert_eq!(
            c.land(&sys, &bx(), &[0.0, 0.0, 0.0], 0.0),
            Landing::Isolated
        );
        assert!(c.levels.is_empty());
        // x^6: flatter still.
        let sys6 = system(|a, v| {
            let x6 = a.powi(v[0], 6);
            let y2 = a.powi(v[1], 2);
            (a.add2(x6, y2), v[2])
        });
        assert_eq!(
            c.land(&sys6, &bx(), &[0.0, 0.0, 0.0], 0.0),
            Landing::Isolated
        );
    }
}
