//! Certified representatives of a set given by equations: a box around a sampled point that
//! is proved to contain a point of `{x : e_j(x) = 0 for all j}`.
//!
//! A component of dimension `d` in `R^n` is described by equations of which `n - d` are
//! independent at a regular point. Equations that are exact rational multiples of one kept
//! earlier are dropped (exact canonical forms); if `n - d` remain, the `d` coordinates whose
//! Jacobian columns matter least are held at the sample's values (exact binary rationals), the
//! other `n - d` refined by Newton, and the Krawczyk test (`ngd_certify::krawczyk`) on the
//! square system proves exactly one zero in the box around them, after the tape is proved
//! smooth there. That zero satisfies every kept equation, hence every dropped multiple: it is a
//! point of the set. Anything else (more independent equations than `n - d`, a singular
//! point, a failed test) certifies nothing (docs/math.md, "What counts as proof").

use inari::Interval;
use nalgebra::{DMatrix, DVector};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use serde::Serialize;

/// A representative proved to lie near the set.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CertifiedPoint {
    /// The centre of the box (the held coordinates are exact there).
    pub centre: Vec<f64>,
    /// The half-width of the box in the free coordinates (max norm); the held coordinates
    /// have width 0.
    pub radius: f64,
    /// The coordinates held at the centre's values (0-based).
    pub held: Vec<usize>,
    /// The number of equations after dropping exact multiples.
    pub equations_kept: usize,
    /// An upper bound of the max-norm distance from the sampled point to the certified
    /// point of the set (the Newton correction plus the radius, rounded up).
    pub distance_from_sample: f64,
}

/// Why a representative is not certified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CertifyFailure {
    /// The equations left after dropping exact multiples are not `n - d` in number.
    NotSquare {
        /// Equations kept.
        kept: usize,
        /// `n - d`.
        needed: usize,
    },
    /// The Jacobian at the point is singular (numerically).
    Singular,
    /// The tape is not proved smooth on the box, or not evaluable there.
    NotSmooth,
    /// The Krawczyk operator does not map the box into its interior.
    KrawczykFailed,
}

/// Equations compiled once for certifying several points of one set.
pub struct EquationSystem {
    tape: Tape,
    kept: usize,
    n: usize,
}

impl EquationSystem {
    /// Compiles `equations` (exact multiples of an earlier one dropped) with their gradients.
    pub fn new(arena: &mut Arena, equations: &[ExprId]) -> EquationSystem {
        let kept = independent_up_to_scaling(arena, equations);
        let mut outs = kept.clone();
        for &e in &kept {
            outs.extend(arena.gradient(e));
        }
        EquationSystem {
            tape: Tape::compile(arena, &outs),
            kept: kept.len(),
            n: arena.n_vars(),
        }
    }

    /// Certifies a point of the set near `x`, for a set of dimension `dimension`.
    pub fn certify(&self, x: &[f64], dimension: usize) -> Result<CertifiedPoint, CertifyFailure> {
        let needed = self.n.saturating_sub(dimension);
        if self.kept != needed || needed == 0 || x.len() != self.n {
            return Err(CertifyFailure::NotSquare {
                kept: self.kept,
                needed,
            });
        }
        let (_, j) = self.eval(x).ok_or(CertifyFailure::Singular)?;
        let free = pivot_columns(&j, needed).ok_or(CertifyFailure::Singular)?;
        let (centre, step) = self.newton(x, &free).ok_or(CertifyFailure::Singular)?;
        let scale = free.iter().fold(1.0f64, |m, &i| m.max(centre[i].abs()));
        let radius = (1e-9 * scale).max(8.0 * step);
        self.krawczyk(&centre, &free, radius)?;
        let held = (0..self.n).filter(|i| !free.contains(i)).collect();
        let moved = x
            .iter()
            .zip(&centre)
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        // Each term is within one rounding of its value; a relative margin covers both.
        let distance_from_sample = (moved + radius) * (1.0 + 1e-12);
        Ok(CertifiedPoint {
            centre,
            radius,
            held,
            equations_kept: self.kept,
            distance_from_sample,
        })
    }

    /// `(E, J)` at `x` in `f64`, `None` when not finite.
    fn eval(&self, x: &[f64]) -> Option<(DVector<f64>, DMatrix<f64>)> {
        let (m, n) = (self.kept, self.n);
        let mut out = vec![0.0; self.tape.n_outputs()];
        self.tape.eval_f64(x, &mut Vec::new(), &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        Some((
            DVector::from_column_slice(&out[..m]),
            DMatrix::from_row_slice(m, n, &out[m..]),
        ))
    }

    /// Newton on the free coordinates; the point and the size of its last step.
    fn newton(&self, x: &[f64], free: &[usize]) -> Option<(Vec<f64>, f64)> {
        let mut z = x.to_vec();
        let mut last = f64::INFINITY;
        for _ in 0..12 {
            let (e, j) = self.eval(&z)?;
            let jf = j.select_columns(free);
            let d = jf.lu().solve(&(-e))?;
            for (k, &i) in free.iter().enumerate() {
                z[i] += d[k];
            }
            last = d.amax();
            if last <= 1e-15 * z.iter().fold(1.0f64, |m, v| m.max(v.abs())) {
                break;
            }
        }
        last.is_finite().then_some((z, last))
    }

    /// The Krawczyk test on the free coordinates around `centre` (the held ones as point
    /// intervals), after proving the tape smooth on the box.
    fn krawczyk(&self, centre: &[f64], free: &[usize], radius: f64) -> Result<(), CertifyFailure> {
        let mid: Vec<f64> = free.iter().map(|&i| centre[i]).collect();
        let rad = vec![radius; free.len()];
        let full = |z: &[Interval]| -> Vec<Interval> {
            let mut v: Vec<Interval> = centre.iter().map(|&c| ngd_certify::pt(c)).collect();
            for (k, &i) in free.iter().enumerate() {
                v[i] = z[k];
            }
            v
        };
        let boxed: Vec<Interval> = mid
            .iter()
            .map(|&m| Interval::try_from((m - radius, m + radius)).unwrap_or(Interval::ENTIRE))
            .collect();
        let mut out = vec![Interval::EMPTY; self.tape.n_outputs()];
        match self
            .tape
            .eval_interval_smooth(&full(&boxed), &mut Vec::new(), &mut out)
        {
            Ok(true) => {}
            _ => return Err(CertifyFailure::NotSmooth),
        }
        let (m, n) = (self.kept, self.n);
        let eval = |z: &[Interval]| -> Option<Vec<Interval>> {
            let mut out = vec![Interval::EMPTY; self.tape.n_outputs()];
            self.tape
                .eval_interval_smooth(&full(z), &mut Vec::new(), &mut out)
                .ok()?;
            Some(out)
        };
        let ok = ngd_certify::krawczyk(
            &mid,
            &rad,
            |z| eval(z).map(|o| o[..m].to_vec()),
            |z| {
                let o = eval(z)?;
                Some(
                    (0..m)
                        .map(|r| free.iter().map(|&c| o[m + r * n + c]).collect())
                        .collect(),
                )
            },
        );
        if ok {
            Ok(())
        } else {
            Err(CertifyFailure::KrawczykFailed)
        }
    }
}

/// `count` columns of `j` chosen by Gaussian elimination with complete pivoting (the
/// best-conditioned square subsystem), `None` when `j` has smaller numerical rank.
fn pivot_columns(j: &DMatrix<f64>, count: usize) -> Option<Vec<usize>> {
    let mut a = j.clone();
    let scale = a.amax().max(f64::MIN_POSITIVE);
    let mut rows: Vec<usize> = (0..a.nrows()).collect();
    let mut chosen = Vec::new();
    for _ in 0..count {
        let (mut best, mut at) = (0.0, (0, 0));
        for &r in &rows {
            for c in (0..a.ncols()).filter(|c| !chosen.contains(c)) {
                if a[(r, c)].abs() > best {
                    (best, at) = (a[(r, c)].abs(), (r, c));
                }
            }
        }
        if best <= 1e-10 * scale {
            return None;
        }
        let (pr, pc) = at;
        for &r in rows.iter().filter(|&&r| r != pr) {
            let f = a[(r, pc)] / a[(pr, pc)];
            for c in 0..a.ncols() {
                a[(r, c)] -= f * a[(pr, c)];
            }
        }
        rows.retain(|&r| r != pr);
        chosen.push(pc);
    }
    chosen.sort_unstable();
    Some(chosen)
}

/// Limits of the exact forms used to drop multiples: bounded well below the default, since
/// the equations may hold derivatives of huge powers (`(x + y + z)^300`) and are compared
/// pairwise. A form over the limits is simply kept (more equations certify less, never
/// wrongly).
fn multiple_limits() -> ngd_algebra::Limits {
    ngd_algebra::Limits {
        max_terms: 20_000,
        max_work: 2_000_000,
        ..ngd_algebra::Limits::default()
    }
}

/// `equations` without those that are an exact rational multiple of one kept earlier (zero
/// equations dropped too). The ratio is read off at a fixed rational point and confirmed by an
/// exact canonical form; equations whose forms are not computed within [`multiple_limits`]
/// are all kept.
fn independent_up_to_scaling(arena: &mut Arena, equations: &[ExprId]) -> Vec<ExprId> {
    let n = arena.n_vars();
    let probe: Vec<Rational> = (0..n)
        .map(|i| Rational::from((2 * i as i64 + 3, 7 * i as i64 + 5)))
        .collect();
    let limits = multiple_limits();
    let canonical = |arena: &Arena, e: ExprId| ngd_algebra::canonicalize_with(arena, e, &limits);
    let mut kept: Vec<(ExprId, Option<Rational>)> = Vec::new();
    for &e in equations {
        let form = canonical(arena, e).ok();
        if form.as_ref().is_some_and(|c| c.is_zero()) {
            continue;
        }
        let v = form
            .filter(|c| c.is_atom_free())
            .and_then(|c| c.eval_rational(&probe));
        let multiple = kept.iter().any(|(k, vk)| match (&v, vk) {
            (Some(v), Some(vk)) if *vk != 0 => {
                let ratio = arena.constant(Rational::from(v / vk));
                let scaled = arena.mul2(ratio, *k);
                let diff = arena.sub(e, scaled);
                canonical(arena, diff).is_ok_and(|c| c.is_zero())
            }
            _ => false,
        });
        if !multiple {
            kept.push((e, v));
        }
    }
    kept.into_iter().map(|(e, _)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system(names: &[&str], eqs: &[&str]) -> (Arena, EquationSystem) {
        let mut a = Arena::new(names.iter().map(|s| s.to_string()).collect());
        let params = ngd_parse::Params::new();
        let es: Vec<ExprId> = eqs
            .iter()
            .map(|e| ngd_parse::parse_expr(&mut a, e, &params).expect("parses"))
            .collect();
        let s = EquationSystem::new(&mut a, &es);
        (a, s)
    }

    #[test]
    fn a_point_of_the_flat_sphere_of_the_diagonal_network() {
        // u = v, |u| = 1 in R^6: g and grad s - 2 grad g (six equations, three of them the
        // negatives of the others) leave 4 = 6 - 2 independent ones.
        let (_, s) = system(
            &["u1", "u2", "u3", "v1", "v2", "v3"],
            &[
                "u1*v1 + u2*v2 + u3*v3 - 1",
                "2*u1 - 2*v1",
                "2*u2 - 2*v2",
                "2*u3 - 2*v3",
                "2*v1 - 2*u1",
                "2*v2 - 2*u2",
                "2*v3 - 2*u3",
            ],
        );
        let x = [0.6, 0.8, 0.0001, 0.6, 0.8, 0.0001];
        let p = s.certify(&x, 2).expect("certified");
        assert_eq!(p.equations_kept, 4);
        // Independent re-check in MPFR-free exact terms: the centre is on the set to the
        // radius (u = v and |u| = 1 up to the box).
        let c = &p.centre;
        let uu: f64 = c[..3].iter().map(|v| v * v).sum();
        assert!((uu - 1.0).abs() < 1e-12, "{c:?}");
        for i in 0..3 {
            assert!((c[i] - c[i + 3]).abs() <= 2.0 * p.radius, "{c:?}");
        }
    }

    #[test]
    fn a_point_near_but_off_an_empty_set_is_never_certified() {
        // x^2 + y^2 + 1 = 0 has no real point; held y, Newton cannot land, Krawczyk must fail.
        let (_, s) = system(&["x", "y"], &["x^2 + y^2 + 1"]);
        assert!(s.certify(&[0.0, 0.0], 1).is_err());
        assert!(s.certify(&[1e-8, 0.5], 1).is_err());
    }

    #[test]
    fn too_many_independent_equations_are_refused() {
        let (_, s) = system(&["x", "y", "z"], &["x - y", "y - z", "x + y + z - 3"]);
        assert_eq!(
            s.certify(&[1.0, 1.0, 1.0], 1),
            Err(CertifyFailure::NotSquare { kept: 3, needed: 2 })
        );
    }

    #[test]
    fn a_singular_point_of_the_set_is_not_certified() {
        // The cone x^2 - y^2 = 0 at its vertex.
        let (_, s) = system(&["x", "y"], &["x^2 - y^2"]);
        assert!(s.certify(&[0.0, 0.0], 1).is_err());
        assert!(s.certify(&[1.0, 1.0], 1).is_ok());
    }

    #[test]
    fn a_kink_in_the_equations_is_not_certified_across_it() {
        // |x| - y = 0 at the kink (0, 0): the tape is not smooth on any box around it.
        let (_, s) = system(&["x", "y"], &["abs(x) - y"]);
        let r = s.certify(&[0.0, 0.0], 1);
        assert!(r.is_err(), "{r:?}");
    }
}
