//! The small interval path of the C4 recheck: polynomials enclosed over boxes with `inari`
//! directly (a monomial sum intersected with the mean-value form), and the claim of one
//! certified box (`u^T Hess phi(xi) u <= -2c` for every normal direction `u`) decided by an
//! interval Cholesky factorization, with a bounded number of bisections when the enclosure
//! over the whole box is too wide. Nothing here shares code with `ngd-certify`.
//!
//! A box that both of those enclosures miss is tried once more by `centred`: each entry of
//! the claim's matrix as one exact polynomial in `(x, xi)`, re-expanded around the box's
//! centre, before the box is bisected.

use inari::{const_interval, Interval};
use ngd_algebra::Poly;
use rug::Rational;
use std::sync::OnceLock;

mod centred;
use centred::{CentredForms, CentredPoly};

/// Bisection levels tried on a box whose claim the enclosure over the whole box misses.
pub const MAX_SPLIT_DEPTH: u32 = 6;

/// A polynomial's terms with their coefficients as outward-rounded intervals (converted
/// once, not at every evaluation).
struct Terms(Vec<(Vec<i32>, Interval)>);

impl Terms {
    fn of(p: &Poly) -> Terms {
        Terms(p.terms().map(|(m, c)| (m.to_vec(), rational(c))).collect())
    }
}

/// A polynomial with its first partial derivatives (for the mean-value form).
pub struct IPoly {
    poly: Poly,
    terms: Terms,
    partials: Vec<Terms>,
}

impl IPoly {
    /// `p` and its partial derivatives.
    pub fn new(p: Poly) -> IPoly {
        let partials = (0..p.n_vars())
            .map(|i| Terms::of(&p.derivative(i)))
            .collect();
        IPoly {
            terms: Terms::of(&p),
            poly: p,
            partials,
        }
    }

    /// Enclosures of the partial derivatives over `xs` (term by term).
    fn partials_over(&self, xs: &[Interval]) -> Vec<Interval> {
        self.partials.iter().map(|d| monomial_sum(d, xs)).collect()
    }

    /// [`IPoly::enclose`] when `mean_value`, else the term-by-term enclosure alone.
    fn enclose_with(&self, xs: &[Interval], mean_value: bool) -> Interval {
        if mean_value {
            self.enclose(xs)
        } else {
            self.enclose_naive(xs)
        }
    }

    /// The polynomial.
    pub fn poly(&self) -> &Poly {
        &self.poly
    }

    /// The term-by-term enclosure alone (cheaper, wider).
    fn enclose_naive(&self, xs: &[Interval]) -> Interval {
        monomial_sum(&self.terms, xs)
    }

    /// An outward-rounded enclosure of the range of the polynomial over `xs`.
    pub fn enclose(&self, xs: &[Interval]) -> Interval {
        let naive = monomial_sum(&self.terms, xs);
        let centre: Vec<Interval> = xs.iter().map(|x| point(x.mid())).collect();
        let mut mean_value = monomial_sum(&self.terms, &centre);
        for (d, (x, c)) in self.partials.iter().zip(xs.iter().zip(&centre)) {
            mean_value += monomial_sum(d, xs) * (*x - *c);
        }
        let both = naive.intersection(mean_value);
        // Both contain the (non-empty) range, so the intersection is empty only when an
        // enclosure is invalid (a NaN bound): keep the naive one then.
        if both.is_empty() {
            naive
        } else {
            both
        }
    }
}

/// The point interval `[v, v]` (a finite `f64`; the whole line otherwise).
pub fn point(v: f64) -> Interval {
    Interval::try_from((v, v)).unwrap_or(Interval::ENTIRE)
}

/// An outward-rounded interval containing the rational `q`.
pub fn rational(q: &Rational) -> Interval {
    ngd_eval::interval_of(q, q)
}

/// The term-by-term enclosure `sum c_m x^m` (even powers are `>= 0`).
fn monomial_sum(p: &Terms, xs: &[Interval]) -> Interval {
    let mut sum = const_interval!(0.0, 0.0);
    for (exps, coeff) in &p.0 {
        let mut term = *coeff;
        for (x, &k) in xs.iter().zip(exps) {
            // Polynomials have exponents >= 0; anything else is not enclosed.
            if k > 0 {
                term *= power(*x, k);
            } else if k < 0 {
                term = Interval::ENTIRE;
            }
        }
        sum += term;
    }
    sum
}

/// `x^k` (`k >= 1`) by squarings and products (inari's `powi` goes through MPFR, far
/// slower); even powers end with a square, so they stay `>= 0`.
pub fn power(x: Interval, k: i32) -> Interval {
    match k {
        1 => x,
        2 => x.sqr(),
        _ if k % 2 == 0 => power(x, k / 2).sqr(),
        _ => x * power(x, k - 1),
    }
}

/// Whether every symmetric matrix in the interval matrix `a` (upper triangle read) is
/// positive definite: interval Cholesky with every pivot's enclosure above 0.
pub fn positive_definite(a: &[Vec<Interval>]) -> bool {
    let k = a.len();
    let mut l = vec![vec![const_interval!(0.0, 0.0); k]; k];
    for j in 0..k {
        let pivot = l[j][..j].iter().fold(a[j][j], |p, v| p - v.sqr());
        if pivot.is_empty() || pivot.inf() <= 0.0 {
            return false;
        }
        let diagonal = pivot.sqrt();
        l[j][j] = diagonal;
        for i in j + 1..k {
            let dot = (0..j).fold(const_interval!(0.0, 0.0), |d, m| d + l[i][m] * l[j][m]);
            l[i][j] = (a[j][i] - dot) / diagonal;
        }
    }
    true
}

/// `phi`'s Hessian and the residuals' gradients, ready to be enclosed over boxes.
pub struct DecreaseModel {
    /// The upper triangle of `Hess phi` (row `i` holds columns `i..n`).
    pub hessian: Vec<Vec<IPoly>>,
    /// The gradients of the residuals `g_i` (one row per residual: the normal space's spanning
    /// vectors).
    pub normals: Vec<Vec<IPoly>>,
    /// The residuals (`M` is their common zero set).
    pub residuals: Vec<IPoly>,
    /// `phi` itself (for the sublevel exclusion).
    pub phi: IPoly,
    /// The claim's matrix as exact polynomials in `(x, xi)` for the tight enclosure, built on
    /// first use (`None` when over its budget).
    centred: OnceLock<Option<CentredForms>>,
    /// `phi`'s centred form for the sublevel exclusion, built on first use.
    centred_phi: OnceLock<Option<CentredPoly>>,
}

impl DecreaseModel {
    /// The model of `phi` and the residuals (polynomials in the same variables).
    pub fn new(phi: Poly, residuals: Vec<Poly>) -> DecreaseModel {
        let n = phi.n_vars();
        let hessian = (0..n)
            .map(|i| {
                let di = phi.derivative(i);
                (i..n).map(|j| IPoly::new(di.derivative(j))).collect()
            })
            .collect();
        let normals = residuals
            .iter()
            .map(|g| (0..n).map(|i| IPoly::new(g.derivative(i))).collect())
            .collect();
        DecreaseModel {
            hessian,
            normals,
            residuals: residuals.into_iter().map(IPoly::new).collect(),
            phi: IPoly::new(phi),
            centred: OnceLock::new(),
            centred_phi: OnceLock::new(),
        }
    }

    /// The tight forms (built once; `None` over their budget).
    fn centred_forms(&self) -> Option<&CentredForms> {
        self.centred
            .get_or_init(|| {
                let n = self.phi.poly().n_vars();
                let hessian =
                    |i: usize, j: usize| self.hessian[i.min(j)][i.max(j) - i.min(j)].poly().clone();
                let normals: Vec<Vec<Poly>> = self
                    .normals
                    .iter()
                    .map(|row| row.iter().map(|d| d.poly().clone()).collect())
                    .collect();
                CentredForms::new(n, &hessian, &normals)
            })
            .as_ref()
    }

    /// Whether some residual's enclosure excludes 0 on every piece of `xs` (the box misses
    /// `M`), bisecting down to `depth` levels.
    pub fn disjoint(&self, xs: &[Interval], depth: u32) -> bool {
        on_pieces(xs, depth, &|b: &[Interval]| {
            self.residuals.iter().any(|g| !g.enclose(b).contains(0.0))
        })
    }

    /// Whether `phi <= level` on `xs` (bisecting down to `depth` levels): on each piece the
    /// monomial sum with the mean-value form, then the centred form of `phi`.
    pub fn phi_at_most(&self, xs: &[Interval], level: f64, depth: u32) -> bool {
        let centred = || {
            self.centred_phi
                .get_or_init(|| CentredPoly::new(self.phi.poly()))
                .as_ref()
        };
        on_pieces(xs, depth, &|b: &[Interval]| {
            self.phi.enclose(b).sup() <= level
                || centred().is_some_and(|p| p.enclose(b).sup() <= level)
        })
    }

    /// Whether `u^T Hess phi(xi) u <= -2c` is proved for every `x` in `xs`, every unit `u` in
    /// the row space of `J(x)` and every `xi` within `a_max` (max norm) of the box, bisecting
    /// the box (with the same `a_max`: each piece's enlargement lies in the box's) down to
    /// `depth` more levels when needed. Each piece is tried by the product of enclosures, the
    /// mean-value form, then the centred exact forms (the first that proves it decides).
    pub fn certifies(&self, xs: &[Interval], a_max: f64, c: f64, depth: u32) -> bool {
        on_pieces(xs, depth, &|b: &[Interval]| {
            self.certifies_whole(b, a_max, c, false)
                || self.certifies_whole(b, a_max, c, true)
                || self
                    .centred_forms()
                    .is_some_and(|f| f.certifies(b, a_max, c))
        })
    }

    /// [`certifies_box`] with the polynomial enclosures.
    fn certifies_whole(&self, xs: &[Interval], a_max: f64, c: f64, centred: bool) -> bool {
        let values = |x: &[Interval], wide: &[Interval], two_c: Interval, partials: bool| {
            Some(self.values(x, wide, two_c, partials))
        };
        certifies_box(xs, a_max, c, centred, self.normals.len(), &values)
    }

    /// `J`, `Hess phi + 2c I` and their partial derivatives enclosed (`J` over `xs`, the
    /// Hessian over `wide`); the partial derivatives only when `partials` (else empty).
    fn values(
        &self,
        xs: &[Interval],
        wide: &[Interval],
        two_c: Interval,
        partials: bool,
    ) -> Values {
        let n = xs.len();
        let jac = self
            .normals
            .iter()
            .map(|row| row.iter().map(|d| d.enclose_with(xs, partials)).collect())
            .collect();
        let d_jac = match partials {
            true => self
                .normals
                .iter()
                .map(|row| row.iter().map(|d| d.partials_over(xs)).collect())
                .collect(),
            false => Vec::new(),
        };
        let entry = |i: usize, j: usize| &self.hessian[i.min(j)][i.max(j) - i.min(j)];
        let hess = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        let v = entry(i, j).enclose_with(wide, partials);
                        if i == j {
                            v + two_c
                        } else {
                            v
                        }
                    })
                    .collect()
            })
            .collect();
        let d_hess = match partials {
            true => (0..n)
                .map(|i| (0..n).map(|j| entry(i, j).partials_over(wide)).collect())
                .collect(),
            false => Vec::new(),
        };
        Values {
            jac,
            d_jac,
            hess,
            d_hess,
        }
    }
}

/// Enclosures of `J`, `Hess phi + 2c I` and (when asked) their partial derivatives over a
/// box (`J` over the first argument, the Hessian over the second), `None` when they cannot
/// be enclosed (a possibly non-smooth node).
pub type ValuesOver<'a> = dyn Fn(&[Interval], &[Interval], Interval, bool) -> Option<Values> + 'a;

/// The claim over the whole box at once: `-J (Hess phi + 2c I) J^T` positive definite
/// (`J` over the box, `Hess phi` over the box enlarged by `a_max`, `k` normals). Each entry
/// `F_ab(x, xi) = J_a(x)^T (Hess phi(xi) + 2c I) J_b(x)` is enclosed twice, by the product
/// of enclosures and by the mean-value form in `(x, xi)` around the box's centre (which
/// keeps the cancellations near `S` where `F` is small), and the intersection is used.
///
/// Without `centred` only the product of enclosures is tried (cheap: most boxes away
/// from `S` need nothing more).
pub fn certifies_box(
    xs: &[Interval],
    a_max: f64,
    c: f64,
    centred: bool,
    k: usize,
    values: &ValuesOver,
) -> bool {
    let reach = Interval::try_from((-a_max, a_max)).unwrap_or(Interval::ENTIRE);
    let wide: Vec<Interval> = xs.iter().map(|x| *x + reach).collect();
    let centre: Vec<Interval> = xs.iter().map(|x| point(x.mid())).collect();
    let shift =
        |v: &[Interval]| -> Vec<Interval> { v.iter().zip(&centre).map(|(x, m)| *x - *m).collect() };
    let (dx, dxi) = (shift(xs), shift(&wide));
    let two_c = point(2.0) * point(c);
    let (Some(over_box), Some(at_centre)) = (
        values(xs, &wide, two_c, centred),
        values(&centre, &centre, two_c, false),
    ) else {
        return false;
    };
    let negated_entry = |p: usize, q: usize| {
        let product = over_box.entry(p, q);
        if !centred {
            return -product;
        }
        let mut mean_value = at_centre.entry(p, q);
        for (m, (ex, exi)) in dx.iter().zip(&dxi).enumerate() {
            let (d_x, d_xi) = over_box.entry_partials(p, q, m);
            mean_value += d_x * *ex + d_xi * *exi;
        }
        let both = product.intersection(mean_value);
        -(if both.is_empty() { product } else { both })
    };
    // Only the upper triangle is read by the factorization.
    let a: Vec<Vec<Interval>> = (0..k)
        .map(|p| (0..k).map(|q| negated_entry(p.min(q), p.max(q))).collect())
        .collect();
    positive_definite(&a)
}

/// Enclosures of `J` (`jac[a][i]`), `d J / d x_k` (`d_jac[a][i][k]`), `Hess phi + 2c I` and
/// `d Hess phi / d x_k` (`d_hess[i][j][k]`).
pub struct Values {
    /// `J` (`jac[a][i]`).
    pub jac: Vec<Vec<Interval>>,
    /// `d J / d x_k` (`d_jac[a][i][k]`; empty when not asked for).
    pub d_jac: Vec<Vec<Vec<Interval>>>,
    /// `Hess phi + 2c I`.
    pub hess: Vec<Vec<Interval>>,
    /// `d Hess phi / d x_k` (`d_hess[i][j][k]`; empty when not asked for).
    pub d_hess: Vec<Vec<Vec<Interval>>>,
}

impl Values {
    /// `F_ab = J_a^T H J_b`.
    fn entry(&self, a: usize, b: usize) -> Interval {
        quadratic_form(&self.jac[a], &self.hess, &self.jac[b], a == b)
    }

    /// `d F_ab / d x_k` and `d F_ab / d xi_k`.
    fn entry_partials(&self, a: usize, b: usize, k: usize) -> (Interval, Interval) {
        let (ja, jb) = (&self.jac[a], &self.jac[b]);
        let mut d_x = const_interval!(0.0, 0.0);
        let mut d_xi = const_interval!(0.0, 0.0);
        for (i, row) in self.hess.iter().enumerate() {
            for (j, h) in row.iter().enumerate() {
                d_x += (self.d_jac[a][i][k] * jb[j] + ja[i] * self.d_jac[b][j][k]) * *h;
                d_xi += ja[i] * jb[j] * self.d_hess[i][j][k];
            }
        }
        (d_x, d_xi)
    }
}

/// Whether `holds` on every piece of `xs`: the whole box, else its two halves (the widest
/// side split at its midpoint; the halves share the midpoint, so they cover the box), down
/// to `depth` levels.
pub fn on_pieces(xs: &[Interval], depth: u32, holds: &dyn Fn(&[Interval]) -> bool) -> bool {
    if holds(xs) {
        return true;
    }
    if depth == 0 {
        return false;
    }
    let Some((k, _)) = xs
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.wid().total_cmp(&b.1.wid()))
    else {
        return false;
    };
    let (lo, hi) = (xs[k].inf(), xs[k].sup());
    let mid = lo + (hi - lo) / 2.0;
    if !(lo < mid && mid < hi) {
        return false;
    }
    [(lo, mid), (mid, hi)].into_iter().all(|(a, b)| {
        let mut piece = xs.to_vec();
        piece[k] = Interval::try_from((a, b)).unwrap_or(Interval::ENTIRE);
        on_pieces(&piece, depth - 1, holds)
    })
}

/// `v^T H w`; when `v` and `w` are the same vector (`same`), the diagonal terms use `v_i^2`
/// (not `v_i * v_i`) so the enclosure keeps their sign.
fn quadratic_form(v: &[Interval], h: &[Vec<Interval>], w: &[Interval], same: bool) -> Interval {
    let mut s = const_interval!(0.0, 0.0);
    for (i, vi) in v.iter().enumerate() {
        for (j, wj) in w.iter().enumerate() {
            let vw = if same && i == j { vi.sqr() } else { *vi * *wj };
            s += vw * h[i][j];
        }
    }
    s
}
