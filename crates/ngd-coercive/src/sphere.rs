//! Numerical evidence: the minimum of `f + phi` on spheres `|x| = R`. The search runs in
//! `f64`; where a value or gradient overflows (or is `NaN`) in `f64`, the same tape is
//! evaluated in MPFR, whose exponent range holds `exp` of large arguments, so the reported
//! minima are the computed values and never an artefact of overflow.

use ngd_eval::Tape;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use rug::Float;
use serde::Serialize;

/// MPFR precision of the fallback evaluation (bits).
const MP_PREC: u32 = 64;

/// What the smallest value found on a sphere is, beyond its `f64` rounding.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SphereValue {
    /// `min_value` is the value (a finite `f64`).
    Finite,
    /// The value lies outside the `f64` range (computed in MPFR); `min_value` is `±inf`.
    BeyondF64 {
        /// The value in decimal scientific notation (7 significant digits).
        decimal: String,
    },
    /// No start gave a computable value: at every point tried the value is undefined (a
    /// pole, outside the domain) or overflows MPFR's exponent range as well (the MPFR
    /// evaluation fails on non-finite results).
    NotFound,
}

impl SphereValue {
    /// True for [`SphereValue::Finite`] (then the field is omitted from JSON).
    pub fn is_finite(&self) -> bool {
        matches!(self, SphereValue::Finite)
    }
}

/// The smallest value of `f + phi` found on the sphere `|x| = radius` (numerical evidence:
/// seeded multistart local minimization; the true minimum may be smaller).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SphereEvidence {
    /// The radius `R` of the sphere `|x|_2 = R`.
    pub radius: f64,
    /// The smallest value of `f + phi` found on the sphere, rounded to `f64` (`±inf` when
    /// beyond the `f64` range, `+inf` when nothing defined was found: see `value`).
    pub min_value: f64,
    /// What `min_value` stands for when it is not a finite `f64` (omitted when it is).
    #[serde(skip_serializing_if = "SphereValue::is_finite")]
    pub value: SphereValue,
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

/// Output 0 of `tape` (`F`) at `r u` and a positive multiple of outputs `1..=n`
/// (`grad F`): in `f64` when all are finite, else in MPFR (the gradient then normalized).
/// An undefined value (a pole, a domain error, `NaN`) is `+inf`; a gradient that cannot be
/// normalized is `None`.
fn value(
    tape: &Tape,
    r: f64,
    u: &[f64],
    scratch: &mut Vec<f64>,
    out: &mut [f64],
) -> (Float, Option<Gradient>) {
    let x: Vec<f64> = u.iter().map(|a| r * a).collect();
    tape.eval_f64(&x, scratch, out);
    let n = u.len();
    if out.iter().all(|v| v.is_finite()) {
        let g = Gradient {
            dir: out[1..=n].to_vec(),
            scale: Float::with_val(53, 1),
        };
        return (Float::with_val(53, out[0]), Some(g));
    }
    let xs: Vec<Float> = u.iter().map(|a| Float::with_val(MP_PREC, a) * r).collect();
    let Ok(vals) = tape.eval::<Float>(&MP_PREC, &xs) else {
        return (Float::with_val(53, f64::INFINITY), None);
    };
    let v = if vals[0].is_nan() {
        Float::with_val(53, f64::INFINITY)
    } else {
        vals[0].clone()
    };
    (v, mp_direction(&vals[1..=n]))
}

/// `grad F = scale * dir` (`dir` the `f64` gradient itself where it is finite, else a unit
/// vector with the MPFR norm as `scale`).
struct Gradient {
    dir: Vec<f64>,
    scale: Float,
}

/// The unit vector of an MPFR vector as `f64` (scaled by its largest entry first, so that
/// huge entries do not overflow) with its norm; `None` when it is zero or not finite.
fn mp_direction(g: &[Float]) -> Option<Gradient> {
    let big = g
        .iter()
        .map(|t| Float::with_val(MP_PREC, t.abs_ref()))
        .max_by(|a, b| a.total_cmp(b))?;
    if !big.is_finite() || big.is_zero() {
        return None;
    }
    let mut dir: Vec<f64> = g
        .iter()
        .map(|t| Float::with_val(MP_PREC, t / &big).to_f64())
        .collect();
    let n = dir.iter().map(|a| a * a).sum::<f64>().sqrt();
    let scale = Float::with_val(MP_PREC, &big * n);
    normalize(&mut dir).then_some(Gradient { dir, scale })
}

/// Local minimization on the unit sphere of `u -> F(r u)`: steepest descent along the
/// tangent gradient with an adaptive step (angle) and renormalization; steps below `1e-13`
/// (down to `1e-300`) only where the tangential slope is steep.
fn descend(tape: &Tape, r: f64, mut u: Vec<f64>, iters: usize) -> (Float, Vec<f64>) {
    let mut scratch = Vec::new();
    let mut out = vec![0.0; tape.n_outputs()];
    let (mut v, mut g) = value(tape, r, &u, &mut scratch, &mut out);
    let mut step = 0.1;
    for _ in 0..iters {
        let Some(gd) = g.as_ref().filter(|_| v.is_finite()) else {
            break;
        };
        let gu: f64 = gd.dir.iter().zip(&u).map(|(a, b)| a * b).sum();
        let mut t: Vec<f64> = gd.dir.iter().zip(&u).map(|(a, b)| a - gu * b).collect();
        let slope = Float::with_val(
            MP_PREC,
            &gd.scale * t.iter().map(|a| a * a).sum::<f64>().sqrt(),
        );
        if !normalize(&mut t) {
            break;
        }
        let mut y: Vec<f64> = u.iter().zip(&t).map(|(a, b)| a - step * b).collect();
        if !normalize(&mut y) {
            break;
        }
        let (vy, gy) = value(tape, r, &y, &mut scratch, &mut out);
        if vy < v {
            u = y;
            v = vy;
            g = gy;
            step = (step * 1.5).min(0.5);
        } else {
            step *= if step < 1e-13 { 1e-2 } else { 0.5 };
            // Below 1e-13 only where even a step of 1e-13 would change F by more than 0.1%:
            // minimizers in exponentially thin valleys next to an axis (y = exp(-x) at large
            // x) need angles far below it, which f64 resolves there.
            if step < 1e-13 && !steep(&slope, &v) {
                break;
            }
            if step < 1e-300 {
                break;
            }
        }
    }
    (v, u)
}

/// Whether a step of `1e-13` along a tangential slope `slope` changes `v` by more than 0.1%.
fn steep(slope: &Float, v: &Float) -> bool {
    let size = Float::with_val(53, v.abs_ref()).max(&Float::with_val(53, 1));
    Float::with_val(MP_PREC, slope * 1e-13) > size * 1e-3
}

/// The `f64` rounding of a value found and what it stands for.
fn report_value(v: Option<&Float>) -> (f64, SphereValue) {
    let Some(v) = v else {
        return (f64::INFINITY, SphereValue::NotFound);
    };
    let f = v.to_f64();
    if f.is_finite() {
        (f, SphereValue::Finite)
    } else if v.is_finite() {
        (
            f,
            SphereValue::BeyondF64 {
                decimal: format!("{:.7e}", v),
            },
        )
    } else {
        (f64::INFINITY, SphereValue::NotFound)
    }
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
            if value(tape, r, &u, &mut scratch, &mut out).0.is_finite() {
                inits.push(u);
            }
        }
        let total = inits.len();
        let mut results: Vec<(Float, Vec<f64>)> = inits
            .into_iter()
            .map(|u| descend(tape, r, u, iters))
            .filter(|(v, _)| !v.is_nan() && *v != f64::INFINITY)
            .collect();
        results.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (min_value, value) = report_value(results.first().map(|p| &p.0));
        let direction = results.first().map_or(vec![0.0; n], |p| p.1.clone());
        prev = results.iter().take(4).map(|p| p.1.clone()).collect();
        runs.push(SphereRun {
            evidence: SphereEvidence {
                radius: r,
                min_value,
                value,
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

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_expr::Arena;
    use ngd_parse::{parse_expr, Params};

    fn minima(f: &str, radii: &[f64]) -> Vec<SphereEvidence> {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let e = parse_expr(&mut a, f, &Params::new()).unwrap();
        let mut outs = vec![e];
        outs.extend(a.gradient(e));
        let tape = Tape::compile(&a, &outs);
        sphere_minima(&tape, radii, 8, 300, 1)
            .into_iter()
            .map(|r| r.evidence)
            .collect()
    }

    #[test]
    fn values_beyond_f64_are_computed_in_mpfr() {
        // min over |x| = 100 of x - exp(y^2) is about -exp(10^4) = -8.806818e4342.
        let s = &minima("x - exp(y^2)", &[100.0])[0];
        assert_eq!(s.min_value, f64::NEG_INFINITY);
        match &s.value {
            SphereValue::BeyondF64 { decimal } => {
                assert!(decimal.starts_with("-8.80681"), "{decimal}");
                assert!(decimal.ends_with("e4342"), "{decimal}");
            }
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn a_valley_next_to_an_axis_is_resolved() {
        // 4 + (exp(x) y - 1)^2 - x^2/1000 on |x| = 100: the minimum -6 sits at
        // y = exp(-100) = 3.7e-44, far below the default smallest step.
        let s = &minima("(exp(x)*y - 1)^2 + 4 - x^2/1000", &[100.0])[0];
        assert!(s.value.is_finite());
        assert!((s.min_value + 6.0).abs() < 1e-6, "{s:?}");
    }

    #[test]
    fn nothing_computable_is_said_so() {
        // exp(exp(x^2 + y^2)) overflows MPFR's exponent range at radius 10.
        let s = &minima("exp(exp(x^2 + y^2))", &[10.0])[0];
        assert_eq!(s.value, SphereValue::NotFound);
    }

    #[test]
    fn ordinary_values_are_unchanged() {
        let s = &minima("x^2 + 2*y^2", &[10.0])[0];
        assert_eq!(s.value, SphereValue::Finite);
        assert!((s.min_value - 100.0).abs() < 1e-9);
    }
}
