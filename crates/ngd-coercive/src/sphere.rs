//! Numerical evidence: the minimum of `f + phi` on spheres `|x| = R` (floating point only).

use ngd_eval::Tape;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde::Serialize;

/// The smallest value of `f + phi` found on the sphere `|x| = radius` (numerical evidence:
/// seeded multistart local minimization in `f64`; the true minimum may be smaller).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SphereEvidence {
    /// The radius `R` of the sphere `|x|_2 = R`.
    pub radius: f64,
    /// The smallest value of `f + phi` found on the sphere (points where it is undefined,
    /// such as poles of `phi`, count as `+inf`).
    pub min_value: f64,
    /// The unit direction `x / R` of the best point found.
    pub direction: Vec<f64>,
    /// How many local minimizations were run.
    pub starts: usize,
}

/// A minimizer found on a sphere: value and point (not normalized).
pub(crate) struct SphereRun {
    pub(crate) evidence: SphereEvidence,
    /// The best few points found, best first.
    pub(crate) best_points: Vec<Vec<f64>>,
}

fn normalize(u: &mut [f64]) -> bool {
    let n = u.iter().map(|a| a * a).sum::<f64>().sqrt();
    if !(n > 0.0 && n.is_finite()) {
        return false;
    }
    u.iter_mut().for_each(|a| *a /= n);
    true
}

/// Value of output 0 of `tape` at `r u`, `+inf` where it is not finite.
fn value(tape: &Tape, r: f64, u: &[f64], scratch: &mut Vec<f64>, out: &mut [f64]) -> f64 {
    let x: Vec<f64> = u.iter().map(|a| r * a).collect();
    tape.eval_f64(&x, scratch, out);
    if out[0].is_finite() {
        out[0]
    } else {
        f64::INFINITY
    }
}

/// Local minimization on the unit sphere of `u -> F(r u)`: steepest descent along the
/// tangent gradient with an adaptive step (angle) and renormalization.
fn descend(tape: &Tape, r: f64, mut u: Vec<f64>, iters: usize) -> (f64, Vec<f64>) {
    let n = u.len();
    let mut scratch = Vec::new();
    let mut out = vec![0.0; tape.n_outputs()];
    let mut v = value(tape, r, &u, &mut scratch, &mut out);
    let mut g: Vec<f64> = out[1..=n].to_vec();
    let mut step = 0.1;
    for _ in 0..iters {
        if !v.is_finite() {
            break;
        }
        let gu: f64 = g.iter().zip(&u).map(|(a, b)| a * b).sum();
        let mut t: Vec<f64> = g.iter().zip(&u).map(|(a, b)| a - gu * b).collect();
        if !normalize(&mut t) {
            break;
        }
        let mut y: Vec<f64> = u.iter().zip(&t).map(|(a, b)| a - step * b).collect();
        if !normalize(&mut y) {
            break;
        }
        let vy = value(tape, r, &y, &mut scratch, &mut out);
        if vy < v {
            u = y;
            v = vy;
            g.copy_from_slice(&out[1..=n]);
            step = (step * 1.5).min(0.5);
        } else {
            step *= 0.5;
            if step < 1e-13 {
                break;
            }
        }
    }
    (v, u)
}

/// Minimizes output 0 of `tape` (outputs `F, grad F`) on spheres of the given radii:
/// `starts` random starts per radius plus the best points of the previous radius.
pub(crate) fn sphere_minima(
    tape: &Tape,
    radii: &[f64],
    starts: usize,
    iters: usize,
    seed: u64,
) -> Vec<SphereRun> {
    let n = tape.n_vars();
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut prev: Vec<Vec<f64>> = Vec::new();
    let mut runs = Vec::new();
    let mut scratch = Vec::new();
    let mut out = vec![0.0; tape.n_outputs()];
    for &r in radii {
        let mut inits: Vec<Vec<f64>> = prev.clone();
        for i in 0..n {
            for s in [1.0, -1.0] {
                let mut e = vec![0.0; n];
                e[i] = s;
                inits.push(e);
            }
        }
        let mut tries = 0;
        while inits.len() < prev.len() + 2 * n + starts && tries < 50 * starts + 100 {
            tries += 1;
            // Gaussian via Box-Muller, normalized: uniform on the sphere.
            let mut u: Vec<f64> = (0..n)
                .map(|_| {
                    let a: f64 = rng.random_range(f64::EPSILON..1.0);
                    let b: f64 = rng.random_range(0.0..1.0);
                    (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
                })
                .collect();
            if !normalize(&mut u) {
                continue;
            }
            if value(tape, r, &u, &mut scratch, &mut out).is_finite() {
                inits.push(u);
            }
        }
        let total = inits.len();
        let mut results: Vec<(f64, Vec<f64>)> = inits
            .into_iter()
            .map(|u| descend(tape, r, u, iters))
            .filter(|(v, _)| v.is_finite())
            .collect();
        results.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (min_value, direction) = results
            .first()
            .cloned()
            .unwrap_or((f64::INFINITY, vec![0.0; n]));
        prev = results.iter().take(4).map(|p| p.1.clone()).collect();
        runs.push(SphereRun {
            evidence: SphereEvidence {
                radius: r,
                min_value,
                direction,
                starts: total,
            },
            best_points: results
                .iter()
                .take(6)
                .map(|(_, u)| u.iter().map(|a| a * r).collect())
                .collect(),
        });
    }
    runs
}
