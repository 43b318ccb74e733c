//! The tight enclosure of C4's claim over one box, tried when the product and mean-value
//! enclosures of [`super::certifies_box`] are too wide (a `phi` of high degree whose Hessian
//! entries cancel in `u^T Hess phi u`).
//!
//! Each entry `F_ab(x, xi) = J_a(x)^T (Hess phi(xi) + 2c I) J_b(x)` is one exact polynomial
//! in the `2n` variables `(x, xi)`: the normals `J_a` enter symbolically (no enclosure of `J`
//! multiplies an enclosure of `Hess phi`), so the cancellations between the Hessian's
//! entries happen in exact rational arithmetic. Over a box the polynomial is re-expanded
//! around the box's centre (a Taylor shift in outward-rounded interval arithmetic) and the
//! shifted monomials are enclosed over the box minus its centre: a centred form whose
//! overestimation shrinks with the square of the box's width.

use super::{point, positive_definite, power, rational};
use inari::{const_interval, Interval};
use ngd_algebra::Poly;

/// Coefficients a dense polynomial of the tight path may have (a count, not a time): a form
/// needing more (a high degree in many variables) is not tried.
pub const MAX_DENSE_COEFFICIENTS: usize = 1 << 18;

/// A polynomial stored densely: the coefficient of `t^k` at index `sum_v k_v stride_v`
/// (`k_v <= degrees[v]`, the last variable varying fastest).
#[derive(Clone)]
struct Dense {
    degrees: Vec<usize>,
    coeffs: Vec<Interval>,
}

impl Dense {
    /// The number of coefficients with these degree bounds (`None` above the budget).
    fn size(degrees: &[usize]) -> Option<usize> {
        degrees
            .iter()
            .try_fold(1usize, |s, &d| s.checked_mul(d.checked_add(1)?))
            .filter(|&s| s <= MAX_DENSE_COEFFICIENTS)
    }

    /// `p` with outward-rounded coefficients; `None` for a negative exponent or one above
    /// `degrees`, or a size above the budget.
    fn of(p: &Poly, degrees: &[usize]) -> Option<Dense> {
        let size = Dense::size(degrees)?;
        let mut coeffs = vec![const_interval!(0.0, 0.0); size];
        let strides = strides(degrees);
        for (exps, c) in p.terms() {
            let mut index = 0;
            for ((&e, &d), &s) in exps.iter().zip(degrees).zip(&strides) {
                let e = usize::try_from(e).ok().filter(|&e| e <= d)?;
                index += e * s;
            }
            coeffs[index] += rational(c);
        }
        Some(Dense {
            degrees: degrees.to_vec(),
            coeffs,
        })
    }

    /// The coefficients of `p(m + t)` in `t` (variable by variable, each line by the
    /// repeated synthetic division of Ruffini and Horner, in interval arithmetic: every
    /// coefficient encloses the exact one).
    fn shifted(&self, centre: &[Interval]) -> Dense {
        let mut out = self.clone();
        let strides = strides(&self.degrees);
        for (v, (&d, &m)) in self.degrees.iter().zip(centre).enumerate() {
            if d == 0 {
                continue;
            }
            let stride = strides[v];
            let block = stride * (d + 1);
            for start in (0..out.coeffs.len()).step_by(block) {
                for offset in 0..stride {
                    shift_line(&mut out.coeffs, start + offset, stride, d, m);
                }
            }
        }
        out
    }

    /// `sum_k coeffs[k] t^k` enclosed over the box `t` term by term (even powers `>= 0`).
    fn enclose(&self, t: &[Interval]) -> Interval {
        let powers: Vec<Vec<Interval>> = self
            .degrees
            .iter()
            .zip(t)
            .map(|(&d, &x)| {
                let mut row = vec![const_interval!(1.0, 1.0)];
                row.extend((1..=d).map(|k| power(x, k as i32)));
                row
            })
            .collect();
        let mut index = vec![0usize; self.degrees.len()];
        let mut sum = const_interval!(0.0, 0.0);
        for c in &self.coeffs {
            if !is_zero(c) {
                sum += index
                    .iter()
                    .zip(&powers)
                    .fold(*c, |term, (&k, row)| term * row[k]);
            }
            // The next multi-index, the last variable fastest (the storage order).
            for (k, &d) in index.iter_mut().zip(&self.degrees).rev() {
                if *k < d {
                    *k += 1;
                    break;
                }
                *k = 0;
            }
        }
        sum
    }
}

/// One polynomial's centred form over boxes (for `phi <= level` on a sublevel leaf, where
/// the expanded monomials of a high power such as `(x^2 - y^2 - 1)^40` cancel).
pub struct CentredPoly(Dense);

impl CentredPoly {
    /// `p` densely; `None` for a negative exponent or over the budget.
    pub fn new(p: &Poly) -> Option<CentredPoly> {
        let degrees = (0..p.n_vars())
            .map(|v| max_degree(p, v))
            .collect::<Option<Vec<usize>>>()?;
        Dense::of(p, &degrees).map(CentredPoly)
    }

    /// An outward-rounded enclosure of the range of `p` over `xs` (expanded around the box's
    /// centre; the whole line for a box of the wrong dimension).
    pub fn enclose(&self, xs: &[Interval]) -> Interval {
        if xs.len() != self.0.degrees.len() {
            return Interval::ENTIRE;
        }
        let centre: Vec<Interval> = xs.iter().map(|x| point(x.mid())).collect();
        let offsets: Vec<Interval> = xs.iter().zip(&centre).map(|(x, m)| *x - *m).collect();
        self.0.shifted(&centre).enclose(&offsets)
    }
}

/// Row-major strides for these degree bounds (the last variable has stride 1).
fn strides(degrees: &[usize]) -> Vec<usize> {
    let mut strides = vec![1; degrees.len()];
    for v in (0..degrees.len().saturating_sub(1)).rev() {
        strides[v] = strides[v + 1] * (degrees[v + 1] + 1);
    }
    strides
}

/// The Taylor shift `a(t) -> a(m + t)` of the line `a_j = coeffs[start + j stride]`,
/// `j = 0..=d`.
fn shift_line(coeffs: &mut [Interval], start: usize, stride: usize, d: usize, m: Interval) {
    // Only up to the line's highest non-zero coefficient: the dense layout bounds each
    // variable's degree separately, so most lines of a polynomial of bounded total degree
    // end early (and many are zero).
    let Some(d) = (0..=d)
        .rev()
        .find(|&j| !is_zero(&coeffs[start + j * stride]))
    else {
        return;
    };
    for i in 0..d {
        for j in (i..d).rev() {
            let higher = coeffs[start + (j + 1) * stride];
            coeffs[start + j * stride] += m * higher;
        }
    }
}

/// One entry `F_ab` of the claim's matrix as weights of the Hessian's entries:
/// `F_ab(x, xi) = sum_p weights[p](x) H_p(xi) + 2c gram(x)`, `p` running over the upper
/// triangle `i <= j` (`weights[p] = J_ai J_bj + J_aj J_bi`, or `J_ai J_bi` on the diagonal)
/// and `gram = J_a . J_b`, all on the common `x` layout.
struct Entry {
    weights: Vec<Dense>,
    gram: Dense,
}

/// The claim's matrix `F(x, xi)` (`k x k`, upper triangle) as dense exact polynomials: the
/// Hessian's entries in `xi`, each entry's weights in `x`. `F_ab`'s coefficients around a
/// centre are the products of its factors' (a function of `x` times one of `xi`), so the
/// factors are shifted separately and only then multiplied.
pub struct CentredForms {
    /// The upper triangle of `Hess phi`, row by row, on the common `xi` layout.
    hessian: Vec<Dense>,
    /// `entries[a][b - a]` for `a <= b`.
    entries: Vec<Vec<Entry>>,
    x_degrees: Vec<usize>,
    xi_degrees: Vec<usize>,
}

impl CentredForms {
    /// The forms of `Hess phi` (`hessian(i, j)`, symmetric) and the normals (`normals[a][i]`,
    /// polynomials in `n` variables); `None` when a form would exceed the budget or has a
    /// negative exponent (a Laurent polynomial).
    pub fn new(
        n: usize,
        hessian: &dyn Fn(usize, usize) -> Poly,
        normals: &[Vec<Poly>],
    ) -> Option<Self> {
        // Polynomials in more than `n` variables are not this model's (none are expected).
        let in_n = |p: Poly| (p.n_vars() <= n).then(|| p.extend_vars(n));
        let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (i..n).map(move |j| (i, j))).collect();
        let hess: Vec<Poly> = pairs
            .iter()
            .map(|&(i, j)| in_n(hessian(i, j)))
            .collect::<Option<_>>()?;
        let normals: Vec<Vec<Poly>> = normals
            .iter()
            .map(|row| row.iter().map(|p| in_n(p.clone())).collect())
            .collect::<Option<_>>()?;
        let mut parts = Vec::new();
        for a in 0..normals.len() {
            let row: Vec<(Vec<Poly>, Poly)> = (a..normals.len())
                .map(|b| entry_parts(&normals[a], &normals[b], &pairs))
                .collect();
            parts.push(row);
        }
        let x_polys = parts
            .iter()
            .flatten()
            .flat_map(|(w, g)| w.iter().chain([g]));
        let x_degrees = degree_bounds(x_polys, n)?;
        let xi_degrees = degree_bounds(hess.iter(), n)?;
        let both: Vec<usize> = x_degrees.iter().chain(&xi_degrees).copied().collect();
        Dense::size(&both)?;
        let on_x = |p: &Poly| Dense::of(p, &x_degrees);
        let entries = parts
            .iter()
            .map(|row| {
                row.iter()
                    .map(|(weights, gram)| {
                        Some(Entry {
                            weights: weights.iter().map(on_x).collect::<Option<_>>()?,
                            gram: on_x(gram)?,
                        })
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .collect::<Option<_>>()?;
        Some(CentredForms {
            hessian: hess
                .iter()
                .map(|h| Dense::of(h, &xi_degrees))
                .collect::<Option<_>>()?,
            entries,
            x_degrees,
            xi_degrees,
        })
    }

    /// Whether `-F(x, xi)` is proved positive definite for every `x` in `xs` and every `xi`
    /// within `a_max` (max norm) of the box: the entries' centred forms around the box's
    /// centre, then an interval Cholesky factorization.
    pub fn certifies(&self, xs: &[Interval], a_max: f64, c: f64) -> bool {
        self.matrix(xs, a_max, c).is_some_and(|f| {
            let negated: Vec<Vec<Interval>> = f
                .iter()
                .map(|row| row.iter().map(|v| -*v).collect())
                .collect();
            positive_definite(&negated)
        })
    }

    /// Enclosures of `F_ab(x, xi)` over `x` in `xs`, `xi` within `a_max` of `xs` (the full
    /// symmetric `k x k` matrix); `None` for a box of the wrong dimension.
    fn matrix(&self, xs: &[Interval], a_max: f64, c: f64) -> Option<Vec<Vec<Interval>>> {
        if xs.len() != self.x_degrees.len() {
            return None;
        }
        let reach = Interval::try_from((-a_max, a_max)).unwrap_or(Interval::ENTIRE);
        let centre: Vec<Interval> = xs.iter().map(|x| point(x.mid())).collect();
        // The variables are `(x, xi)`: both expanded around the box's centre, `x` over the
        // box and `xi` over the box enlarged by `a_max`.
        let offsets: Vec<Interval> = xs
            .iter()
            .zip(&centre)
            .map(|(x, m)| *x - *m)
            .chain(xs.iter().zip(&centre).map(|(x, m)| (*x + reach) - *m))
            .collect();
        let shifted = self.shifted(&centre, point(2.0) * point(c));
        let k = shifted.len();
        let mut matrix = vec![vec![const_interval!(0.0, 0.0); k]; k];
        for (a, row) in shifted.iter().enumerate() {
            for (offset, form) in row.iter().enumerate() {
                let value = form.enclose(&offsets);
                matrix[a][a + offset] = value;
                matrix[a + offset][a] = value;
            }
        }
        Some(matrix)
    }

    /// The coefficients of every `F_ab(m + t, m + s)` in `(t, s)` (`m` the centre; `a <= b`).
    fn shifted(&self, centre: &[Interval], two_c: Interval) -> Vec<Vec<Dense>> {
        let hessian: Vec<Dense> = self.hessian.iter().map(|h| h.shifted(centre)).collect();
        let degrees: Vec<usize> = self
            .x_degrees
            .iter()
            .chain(&self.xi_degrees)
            .copied()
            .collect();
        self.entries
            .iter()
            .map(|row| {
                row.iter()
                    .map(|e| e.shifted(&hessian, centre, two_c, &degrees))
                    .collect()
            })
            .collect()
    }
}

impl Entry {
    /// `sum_p weights[p](m + t) H_p(m + s) + 2c gram(m + t)` in `(t, s)`, from the shifted
    /// Hessian entries: the coefficient of `t^i s^j` is `sum_p w_p[i] h_p[j]` (plus
    /// `2c gram[i]` when `j = 0`); `c`'s term is added coefficient by coefficient, so it keeps
    /// its correlation with the Hessian's.
    fn shifted(
        &self,
        hessian: &[Dense],
        centre: &[Interval],
        two_c: Interval,
        degrees: &[usize],
    ) -> Dense {
        let gram = self.gram.shifted(centre);
        let xi_size = hessian.first().map_or(1, |h| h.coeffs.len());
        let mut coeffs = vec![const_interval!(0.0, 0.0); gram.coeffs.len() * xi_size];
        for (weight, h) in self.weights.iter().zip(hessian) {
            for (i, w) in weight.shifted(centre).coeffs.iter().enumerate() {
                if is_zero(w) {
                    continue;
                }
                let row = &mut coeffs[i * xi_size..(i + 1) * xi_size];
                for (f, hj) in row.iter_mut().zip(&h.coeffs) {
                    *f += *w * *hj;
                }
            }
        }
        // `xi`'s exponents are the last, fastest-varying digits: `t^i s^0` is at `i xi_size`.
        for (i, g) in gram.coeffs.iter().enumerate() {
            coeffs[i * xi_size] += two_c * *g;
        }
        Dense {
            degrees: degrees.to_vec(),
            coeffs,
        }
    }
}

/// The weights of the Hessian's upper-triangle entries `pairs` and the Gram term of the
/// entry `(a, b)` of the normals `ja`, `jb` (exact polynomials in `x`).
fn entry_parts(ja: &[Poly], jb: &[Poly], pairs: &[(usize, usize)]) -> (Vec<Poly>, Poly) {
    let weights = pairs
        .iter()
        .map(|&(i, j)| match i == j {
            true => ja[i].mul(&jb[i]),
            false => ja[i].mul(&jb[j]).add(&ja[j].mul(&jb[i])),
        })
        .collect();
    let n = ja.first().map_or(0, Poly::n_vars);
    let gram = ja
        .iter()
        .zip(jb)
        .fold(Poly::zero(n), |s, (a, b)| s.add(&a.mul(b)));
    (weights, gram)
}

/// The largest exponent of each of the `n` variables over `polys` (`None` for a negative
/// exponent or over the budget).
fn degree_bounds<'a>(polys: impl Iterator<Item = &'a Poly>, n: usize) -> Option<Vec<usize>> {
    let mut degrees = vec![0; n];
    for p in polys {
        for (v, d) in degrees.iter_mut().enumerate() {
            *d = (*d).max(max_degree(p, v)?);
        }
    }
    Dense::size(&degrees)?;
    Some(degrees)
}

/// Whether `c` is the point interval `[0, 0]` (a coefficient known to be absent).
fn is_zero(c: &Interval) -> bool {
    c.inf() == 0.0 && c.sup() == 0.0
}

/// The largest exponent of variable `v` in `p` (`None` for a negative one).
fn max_degree(p: &Poly, v: usize) -> Option<usize> {
    p.terms()
        .map(|(e, _)| usize::try_from(e[v]).ok())
        .try_fold(0, |m, e| Some(m.max(e?)))
}

#[cfg(test)]
#[path = "centred_tests.rs"]
mod tests;
