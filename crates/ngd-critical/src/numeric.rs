//! The numerical search (numerical evidence only): seeded starts in the box,
//! Levenberg-Marquardt on the equations, deduplication, a local dimension by the projected
//! tangent test, and components by linking nearby points whose midpoint projects back
//! between them.

use crate::inertia::eigen;
use crate::inertia::from_matrix;
use crate::newton::levenberg_marquardt;
use crate::report::{Classification, StructureKind};
use crate::system::{PointEval, System};
use crate::CriticalOptions;
use nalgebra::{DMatrix, DVector, SVD};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// Typical sizes on the box, from the starts.
pub(crate) struct Scales {
    /// The largest box width (at least `1e-12`).
    pub w: f64,
    /// Median `|F|`.
    pub eq: f64,
    /// Median Frobenius norm of the Jacobian of `F`.
    pub h: f64,
    /// Median residual size (`|g|`, `|G|`).
    pub res: f64,
    /// Smallest `f` at the starts.
    pub f_min: f64,
    /// Median of `f - f_min` at the starts.
    pub f_spread: f64,
}

/// A converged run.
pub(crate) struct Hit {
    pub x: Vec<f64>,
    pub f: f64,
    pub last_step: f64,
}

/// The deterministic starts: the box centre, then seeded uniform points.
pub(crate) fn starts(lo: &[f64], hi: &[f64], count: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut out = Vec::with_capacity(count);
    if count > 0 {
        out.push(lo.iter().zip(hi).map(|(a, b)| 0.5 * (a + b)).collect());
    }
    while out.len() < count {
        out.push(
            lo.iter()
                .zip(hi)
                .map(|(a, b)| a + (b - a) * rng.random::<f64>())
                .collect(),
        );
    }
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return 1.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub(crate) fn scales(sys: &System, starts: &[Vec<f64>], lo: &[f64], hi: &[f64]) -> Scales {
    let w = lo
        .iter()
        .zip(hi)
        .map(|(a, b)| b - a)
        .fold(0.0_f64, f64::max)
        .max(1e-12);
    let evals: Vec<PointEval> = starts.iter().filter_map(|x| sys.eval(x)).collect();
    let f_min = evals.iter().map(|p| p.f).fold(f64::INFINITY, f64::min);
    Scales {
        w,
        eq: median(evals.iter().map(|p| p.eq.norm()).collect()),
        h: median(evals.iter().map(|p| p.h.norm()).collect()),
        res: median(evals.iter().map(|p| sys.res_norm(&p.res)).collect()),
        f_min,
        f_spread: median(evals.iter().map(|p| p.f - f_min).collect()),
    }
}

/// The context of the numerical steps.
pub(crate) struct Search<'a> {
    pub sys: &'a System,
    pub opts: &'a CriticalOptions,
    pub sc: &'a Scales,
    pub lo: &'a [f64],
    pub hi: &'a [f64],
}

impl Search<'_> {
    fn tol_eq(&self) -> f64 {
        self.opts.residual_tol * self.sc.eq.max(1e-300)
    }

    /// Whether the residual at `pe` is clearly nonzero (always true on the general path).
    pub fn off_minimum(&self, pe: &PointEval) -> bool {
        self.sys.kind == StructureKind::General
            || self.sys.res_norm(&pe.res) > self.opts.residual_floor * self.sc.res.max(1e-300)
    }

    pub fn in_box(&self, x: &[f64]) -> bool {
        let slack = 1e-9 * self.sc.w;
        x.iter()
            .zip(self.lo.iter().zip(self.hi))
            .all(|(v, (a, b))| *v >= a - slack && *v <= b + slack)
    }

    /// A zero of the equations from `x0`: `(point, values there, last step)`.
    pub fn project(&self, x0: &[f64]) -> Option<(Vec<f64>, PointEval, f64)> {
        let sys = self.sys;
        let r = levenberg_marquardt(
            |x| sys.eval(x).map(|p| (p.eq, p.h)),
            x0,
            self.opts.max_newton_steps,
            self.tol_eq(),
            self.sc.w,
        )?;
        if !r.converged {
            return None;
        }
        let pe = sys.eval(&r.x)?;
        Some((r.x, pe, r.last_step))
    }

    /// Runs from every start; `(converged runs, kept hits)`.
    pub fn run(&self, starts: &[Vec<f64>]) -> (usize, Vec<Hit>) {
        let mut converged = 0;
        let mut hits = Vec::new();
        for s in starts {
            let Some((x, pe, last_step)) = self.project(s) else {
                continue;
            };
            converged += 1;
            if self.in_box(&x) && self.off_minimum(&pe) {
                hits.push(Hit {
                    x,
                    f: pe.f,
                    last_step,
                });
            }
        }
        (converged, hits)
    }

    /// Whether a zero of the residual was seen in the box (scalar and least squares).
    pub fn residual_zero_seen(&self, starts: &[Vec<f64>]) -> Option<bool> {
        let sys = self.sys;
        sys.res_tape.as_ref()?;
        let tol = 1e-10 * self.sc.res.max(1e-300);
        if sys.kind == StructureKind::Scalar {
            let signs: Vec<f64> = starts
                .iter()
                .filter_map(|x| sys.eval(x))
                .map(|p| p.res[0].signum())
                .collect();
            if signs.iter().any(|&s| s > 0.0) && signs.iter().any(|&s| s < 0.0) {
                return Some(true);
            }
        }
        for s in starts.iter().take(16) {
            let r = levenberg_marquardt(
                |x| sys.eval_res(x),
                s,
                self.opts.max_newton_steps,
                tol,
                self.sc.w,
            );
            if let Some(r) = r {
                if r.converged && self.in_box(&r.x) {
                    return Some(true);
                }
            }
        }
        Some(false)
    }

    /// The local dimension of the critical set at `x`: the rank of the displacements of
    /// the projections of `x + t v` for the near-null directions `v` of the Jacobian.
    pub fn local_dim(&self, x: &[f64], pe: &PointEval) -> usize {
        let n = x.len();
        let Some(eig) = eigen(&pe.h) else {
            return 0;
        };
        let thr = 1e-4 * self.sc.h.max(1e-300);
        let t = 1e-3 * self.sc.w;
        let mut d: Vec<DVector<f64>> = Vec::new();
        for k in 0..n {
            if eig.eigenvalues[k].abs() > thr {
                continue;
            }
            let v = eig.eigenvectors.column(k);
            let q0: Vec<f64> = (0..n).map(|i| x[i] + t * v[i]).collect();
            if let Some((q, pq, _)) = self.project(&q0) {
                if self.off_minimum(&pq) {
                    d.push(DVector::from_fn(n, |i, _| (q[i] - x[i]) / t));
                }
            }
        }
        if d.is_empty() {
            return 0;
        }
        let m = DMatrix::from_columns(&d);
        SVD::try_new(m, false, false, f64::EPSILON, 10_000).map_or(0, |svd| {
            svd.singular_values.iter().filter(|&&s| s > 0.5).count()
        })
    }

    /// Whether two points of positive dimension lie on one piece of the critical set: the
    /// points of the segment between them project (in order) onto a chain of critical points
    /// off the minimum set with the same value of `f` (constant on a connected critical
    /// set), consecutive ones close together.
    pub fn linked(&self, a: &Distinct, b: &Distinct) -> bool {
        let d = dist(&a.x, &b.x);
        let k = ((d / (0.1 * self.sc.w)).ceil() as usize).clamp(2, 16);
        let mut prev = a.x.clone();
        for i in 1..=k {
            let q = if i == k {
                b.x.clone()
            } else {
                let t = i as f64 / k as f64;
                let p: Vec<f64> = a.x.iter().zip(&b.x).map(|(u, v)| u + t * (v - u)).collect();
                match self.project(&p) {
                    Some((q, pq, _)) if self.off_minimum(&pq) && self.same_value(pq.f, a.f) => q,
                    _ => return false,
                }
            };
            if dist(&q, &prev) > 3.0 * d / k as f64 {
                return false;
            }
            prev = q;
        }
        true
    }

    /// Whether two values of `f` agree (critical values of one connected set).
    pub fn same_value(&self, u: f64, v: f64) -> bool {
        (u - v).abs() <= 1e-7 * (1.0 + u.abs().max(v.abs()) + self.sc.f_spread)
    }

    /// The classification of `f` at a critical point `x`, dropping `dim` tangent directions;
    /// `Degenerate` (undecided) on a kink, where the symbolic Hessian means nothing.
    pub fn classify(
        &self,
        x: &[f64],
        pe: &PointEval,
        dim: usize,
        last_step: f64,
    ) -> Classification {
        if !self.sys.smooth_near(x) {
            return Classification::Degenerate;
        }
        let s = self.sys.class_sign(&pe.res);
        let tol = self.sc.h.max(1e-300) * (1e-6 + 100.0 * last_step / self.sc.w);
        from_matrix(&(&pe.h * s), dim, tol)
    }
}

pub(crate) use ngd_eval::vector::dist;

/// A distinct critical point with the runs that reached it.
pub(crate) struct Distinct {
    pub x: Vec<f64>,
    pub f: f64,
    pub hits: usize,
    pub last_step: f64,
    pub dim: usize,
}

/// Merges hits closer than their convergence error (at most `max_points` distinct points;
/// further hits count for the nearest one).
pub(crate) fn dedupe(hits: Vec<Hit>, w: f64, max_points: usize) -> Vec<Distinct> {
    let mut out: Vec<Distinct> = Vec::new();
    for h in hits {
        let near = out
            .iter()
            .enumerate()
            .map(|(i, d)| (i, dist(&d.x, &h.x)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, dd)) = near {
            let tol = (1e-7 * w).max(10.0 * (h.last_step + out[i].last_step));
            if dd <= tol || out.len() >= max_points.max(1) {
                out[i].hits += 1;
                continue;
            }
        }
        out.push(Distinct {
            x: h.x,
            f: h.f,
            hits: 1,
            last_step: h.last_step,
            dim: 0,
        });
    }
    out
}

/// Groups distinct points into components (indices), with union-find over close pairs.
pub(crate) fn components(search: &Search, pts: &[Distinct]) -> Vec<Vec<usize>> {
    let m = pts.len();
    let mut parent: Vec<usize> = (0..m).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let w = search.sc.w;
    // The spacing of m points on a d-dimensional set in the box is about w m^(-1/d).
    let dmax = pts.iter().map(|p| p.dim).max().unwrap_or(0).max(1) as f64;
    let link = (search.opts.link_radius * w).max(2.0 * w * (m.max(1) as f64).powf(-1.0 / dmax));
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for a in 0..m {
        for b in a + 1..m {
            let d = dist(&pts[a].x, &pts[b].x);
            if d <= link {
                pairs.push((d, a, b));
            }
        }
    }
    pairs.sort_by(|p, q| p.0.total_cmp(&q.0));
    for (d, a, b) in pairs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            continue;
        }
        let join = if pts[a].dim == 0 || pts[b].dim == 0 {
            d <= (1e-3 * w).max(10.0 * (pts[a].last_step + pts[b].last_step))
        } else {
            search.same_value(pts[a].f, pts[b].f) && search.linked(&pts[a], &pts[b])
        };
        if join {
            parent[ra] = rb;
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..m {
        let r = find(&mut parent, i);
        match groups.iter_mut().find(|g| g.0 == r) {
            Some(g) => g.1.push(i),
            None => groups.push((r, vec![i])),
        }
    }
    groups.into_iter().map(|g| g.1).collect()
}
