//! Exact Taylor coefficients of one NGD step along the normal line (docs/math.md C4,
//! degenerate orders) and the exact tests that one vanishes on `M = {g = 0}`.
//!
//! For `f = c h(g)` and `u = ±grad g/|grad g|`, `phi(x - a u) = sum_k (∓a)^k E_k(x) /
//! (k! |grad g|^k)` with `E_k = D^k phi(x)[v, ..., v]`, `v = grad g(x)` frozen. `E_k` is built
//! from the partial derivatives of `phi` (`sum_{|alpha| = k} k!/alpha! d^alpha phi v^alpha`),
//! never from iterated directional derivatives (which would differentiate `v` too).

use crate::report::Vanishing;
use ngd_algebra::{canonicalize, poly_from_expr, Poly};
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use std::collections::HashMap;

/// Divisions of one remainder computation before giving up (a count budget).
const MAX_DIVISION_STEPS: usize = 20_000;

/// The coefficients `E_k = D^k phi[v^k]` in turn (`E_1`, `E_2`, ...), `v` a vector field:
/// each order is built only when asked for, from the partial derivatives of the previous one.
pub(crate) struct Coefficients {
    v: Vec<ExprId>,
    partial: HashMap<Vec<usize>, ExprId>,
    layer: Vec<Vec<usize>>,
}

impl Coefficients {
    /// Starts at `E_0 = phi`.
    pub fn new(phi: ExprId, v: &[ExprId]) -> Coefficients {
        let mut partial = HashMap::new();
        partial.insert(Vec::new(), phi);
        Coefficients {
            v: v.to_vec(),
            partial,
            layer: vec![Vec::new()],
        }
    }

    /// The next coefficient `E_k` (`k` = 1 on the first call).
    pub fn next(&mut self, arena: &mut Arena) -> ExprId {
        let n = self.v.len();
        // Non-decreasing index sequences of length k, each derivative from its prefix.
        let mut next = Vec::new();
        for idx in &self.layer {
            let from = idx.last().copied().unwrap_or(0);
            for i in from..n {
                let mut j = idx.clone();
                j.push(i);
                let d = arena.derivative(self.partial[idx], i);
                self.partial.insert(j.clone(), d);
                next.push(j);
            }
        }
        let terms: Vec<ExprId> = next
            .iter()
            .map(|idx| {
                let mut factors = vec![arena.constant(multinomial(idx, n)), self.partial[idx]];
                factors.extend(idx.iter().map(|&i| self.v[i]));
                arena.mul(factors)
            })
            .collect();
        // Only the last order's partial derivatives are needed for the next one.
        for idx in &self.layer {
            self.partial.remove(idx);
        }
        self.layer = next;
        arena.add(terms)
    }
}

/// `E_k = D^k phi[v^k]` for `k = 0..=kmax` (`E_0 = phi`).
#[cfg(test)]
fn coefficients(arena: &mut Arena, phi: ExprId, v: &[ExprId], kmax: usize) -> Vec<ExprId> {
    let mut c = Coefficients::new(phi, v);
    let mut out = vec![phi];
    for _ in 0..kmax {
        out.push(c.next(arena));
    }
    out
}

/// `k!/alpha!` for the multi-index counted by the sorted sequence `idx`.
fn multinomial(idx: &[usize], n: usize) -> Rational {
    let mut counts = vec![0u32; n];
    for &i in idx {
        counts[i] += 1;
    }
    let fact = |m: u32| (1..=m).fold(rug::Integer::from(1), |a, b| a * b);
    let mut den = rug::Integer::from(1);
    for &c in &counts {
        den *= fact(c);
    }
    Rational::from((fact(idx.len() as u32), den))
}

/// The factors of `g` that can vanish: the factors of a product other than negative powers
/// and `exp`, with positive powers replaced by their base; `g` itself otherwise. `M = {g = 0}`
/// lies in the union of their zero sets.
pub(crate) fn zero_factors(arena: &Arena, g: ExprId) -> Vec<ExprId> {
    let base = |id: ExprId| -> Option<ExprId> {
        match arena.node(id) {
            Node::Pow(b, e) if *e > 0 => Some(*b),
            Node::Pow(..) | Node::Func(Func::Exp, _) => None,
            Node::Const(_) => None,
            _ => Some(id),
        }
    };
    match arena.node(g) {
        Node::Mul(fs) => fs.iter().copied().filter_map(base).collect(),
        _ => base(g).into_iter().collect(),
    }
}

/// An exact proof that `e` vanishes on `M = {g = 0}` (where `e` is defined), or `None`.
/// Either the canonical form of `e` is 0, or `e` vanishes on the zero set of *every* factor
/// of `g` that can vanish ([`zero_factors`]), each by [`vanishes_on_factor`].
pub(crate) fn vanishes_on_m(arena: &mut Arena, e: ExprId, g: ExprId) -> Option<Vanishing> {
    if canonicalize(arena, e).is_ok_and(|c| c.is_zero()) {
        return Some(Vanishing::Identically);
    }
    let factors = zero_factors(arena, g);
    let mut first = None;
    for p in factors {
        let proof = vanishes_on_factor(arena, e, p)?;
        first.get_or_insert(proof);
    }
    first
}

/// An exact proof that `e` vanishes on `{p = 0}`: for a polynomial `p` of degree 1 in some
/// `x_k` with constant coefficient, `e` with `x_k` solved from `p = 0` has canonical form 0;
/// for a polynomial `e` and `p` with constant leading coefficient in some `x_k`, the
/// remainder of `e` divided by `p` is 0.
fn vanishes_on_factor(arena: &mut Arena, e: ExprId, p: ExprId) -> Option<Vanishing> {
    let poly = poly_from_expr(arena, p)?;
    let names = arena.var_names().to_vec();
    for k in 0..arena.n_vars() {
        let Some((deg, lc)) = monic_degree(&poly, k) else {
            continue;
        };
        let factor = arena.display(p);
        let variable = names[k].clone();
        if deg == 1 && solved_is_zero(arena, e, &poly, k, &lc) {
            return Some(Vanishing::OnFactor { factor, variable });
        }
        let rem = poly_from_expr(arena, e).and_then(|pe| remainder(&pe, &poly, k, deg, &lc));
        if rem.is_some_and(|r| r.is_zero()) {
            return Some(Vanishing::Remainder { factor, variable });
        }
    }
    None
}

/// The degree of `p` in `x_k` and its leading coefficient when that coefficient is a
/// non-zero constant and no exponent is negative; `None` otherwise.
fn monic_degree(p: &Poly, k: usize) -> Option<(i32, Rational)> {
    if p.terms().any(|(e, _)| e.iter().any(|&v| v < 0)) {
        return None;
    }
    let deg = p.terms().map(|(e, _)| e[k]).max()?;
    if deg < 1 {
        return None;
    }
    let lead: Vec<_> = p.terms().filter(|(e, _)| e[k] == deg).collect();
    match lead.as_slice() {
        [(e, c)] if e.iter().enumerate().all(|(i, &v)| i == k || v == 0) => {
            Some((deg, (*c).clone()))
        }
        _ => None,
    }
}

/// `e` on `M` in the coordinates of a chart: for the first factor of `g` of degree 1 in some
/// `x_k` with constant coefficient, `(x_k, its solution, e with it substituted)` as exact
/// canonical forms (an expression equal to `e` on that part of `M`); `None` without one.
pub(crate) fn on_chart(arena: &mut Arena, e: ExprId, g: ExprId) -> Option<(usize, ExprId, ExprId)> {
    for p in zero_factors(arena, g) {
        let Some(poly) = poly_from_expr(arena, p) else {
            continue;
        };
        for k in 0..arena.n_vars() {
            if let Some((1, lc)) = monic_degree(&poly, k) {
                let solved = solve_linear(arena, &poly, k, &lc);
                let subst: Vec<ExprId> = (0..arena.n_vars())
                    .map(|i| if i == k { solved } else { arena.var(i) })
                    .collect();
                let s = arena.substitute(e, &subst);
                let c = canonicalize(arena, s).ok()?;
                let restricted = c.to_expr(arena);
                return Some((k, solved, restricted));
            }
        }
    }
    None
}

/// A chart of `{p = 0}`: the first variable `x_k` in which the polynomial `p` has degree 1
/// with a constant coefficient, and `x_k` solved from `p = 0`; `None` without one.
pub(crate) fn linear_chart(arena: &mut Arena, p: ExprId) -> Option<(usize, ExprId)> {
    let poly = poly_from_expr(arena, p)?;
    (0..arena.n_vars()).find_map(|k| match monic_degree(&poly, k) {
        Some((1, lc)) => Some((k, solve_linear(arena, &poly, k, &lc))),
        _ => None,
    })
}

/// `x_k` solved from `p = 0` (`p` of degree 1 in `x_k` with leading coefficient `lc`).
fn solve_linear(arena: &mut Arena, p: &Poly, k: usize, lc: &Rational) -> ExprId {
    let n = p.n_vars();
    let rest_terms: Vec<(Vec<i32>, Rational)> = p
        .terms()
        .filter(|(ex, _)| ex[k] == 0)
        .map(|(ex, c)| (ex.to_vec(), -c.clone() / lc.clone()))
        .collect();
    Poly::from_terms_n(n, rest_terms).to_expr(arena)
}

/// Whether `e` with `x_k = -(p - lc x_k)/lc` substituted has canonical form 0.
fn solved_is_zero(arena: &mut Arena, e: ExprId, p: &Poly, k: usize, lc: &Rational) -> bool {
    let n = p.n_vars();
    let solved = solve_linear(arena, p, k, lc);
    let subst: Vec<ExprId> = (0..n)
        .map(|i| if i == k { solved } else { arena.var(i) })
        .collect();
    let s = arena.substitute(e, &subst);
    canonicalize(arena, s).is_ok_and(|c| c.is_zero())
}

/// The remainder of `e` divided by `p` as polynomials in `x_k` (leading term `lc x_k^deg`),
/// or `None` when `e` has negative exponents or the budget runs out.
fn remainder(e: &Poly, p: &Poly, k: usize, deg: i32, lc: &Rational) -> Option<Poly> {
    if e.terms().any(|(ex, _)| ex.iter().any(|&v| v < 0)) {
        return None;
    }
    let n = p.n_vars();
    let mut r = e.clone();
    for _ in 0..MAX_DIVISION_STEPS {
        let Some((ex, c)) = r
            .terms()
            .find(|(ex, _)| ex[k] >= deg)
            .map(|(ex, c)| (ex.to_vec(), c.clone()))
        else {
            return Some(r);
        };
        let mut shift = ex;
        shift[k] -= deg;
        let q = Poly::from_terms_n(n, vec![(shift, c / lc.clone())]);
        r = r.sub(&q.mul(p));
    }
    None
}

/// Whether the integral curves of `v = grad g` are straight lines: every `2 x 2` minor of
/// `[v, Hess g v]` has canonical form 0 (then `Hess g v` is parallel to `v` and the
/// direction `v/|v|` is constant along each curve).
pub(crate) fn straight_normals(arena: &mut Arena, g: ExprId) -> bool {
    let v = arena.gradient(g);
    let n = v.len();
    let w: Vec<ExprId> = (0..n)
        .map(|i| {
            let row = arena.gradient(v[i]);
            arena.dot(&row, &v)
        })
        .collect();
    for i in 0..n {
        for j in i + 1..n {
            let a = arena.mul2(v[i], w[j]);
            let b = arena.mul2(v[j], w[i]);
            let m = arena.sub(a, b);
            if !canonicalize(arena, m).is_ok_and(|c| c.is_zero()) {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_parse::{parse_expr, Params};

    fn arena(vars: &[&str]) -> Arena {
        Arena::new(vars.iter().map(|s| s.to_string()).collect())
    }

    fn eval(a: &Arena, e: ExprId, x: &[f64]) -> f64 {
        let t = ngd_eval::Tape::compile(a, &[e]);
        let mut s = Vec::new();
        let mut out = vec![0.0];
        t.eval_f64(x, &mut s, &mut out);
        out[0]
    }

    #[test]
    fn coefficients_are_frozen_directional_derivatives() {
        // phi = x^2 y, v = (y, 1): phi(x + t y, y + t) = (x + t y)^2 (y + t).
        let mut a = arena(&["x", "y"]);
        let p = Params::new();
        let phi = parse_expr(&mut a, "x^2*y", &p).unwrap();
        let v = vec![a.var(1), a.int(1)];
        let e = coefficients(&mut a, phi, &v, 3);
        // d/dt at 0: 2 x y * y + x^2; second: 2 y^2 y + 2*2 x y = 2 y^3 + 4 x y; third: 6 y^2.
        let (x, y) = (0.7, -1.3);
        assert!((eval(&a, e[1], &[x, y]) - (2.0 * x * y * y + x * x)).abs() < 1e-12);
        assert!((eval(&a, e[2], &[x, y]) - (2.0 * y.powi(3) + 4.0 * x * y)).abs() < 1e-12);
        assert!((eval(&a, e[3], &[x, y]) - 6.0 * y * y).abs() < 1e-12);
    }

    #[test]
    fn vanishing_on_the_sphere_by_remainder() {
        let mut a = arena(&["x", "y", "z"]);
        let p = Params::new();
        let g = parse_expr(&mut a, "x^2 + y^2 + z^2 - 1", &p).unwrap();
        let e = parse_expr(&mut a, "x^4 + x^2*y^2 + x^2*z^2 - x^2", &p).unwrap();
        assert!(matches!(
            vanishes_on_m(&mut a, e, g),
            Some(Vanishing::Remainder { .. })
        ));
        // Not zero on the sphere: x^2 - 1/2.
        let e = parse_expr(&mut a, "x^2 - 1/2", &p).unwrap();
        assert_eq!(vanishes_on_m(&mut a, e, g), None);
    }

    #[test]
    fn vanishing_on_a_linear_factor() {
        // g = y / sqrt(1 + x^2): M = {y = 0}; e = x y^3 vanishes there.
        let mut a = arena(&["x", "y"]);
        let p = Params::new();
        let g = parse_expr(&mut a, "y/sqrt(1 + x^2)", &p).unwrap();
        let e = parse_expr(&mut a, "x*y^3 + sqrt(1 + x^2)*y", &p).unwrap();
        assert!(matches!(
            vanishes_on_m(&mut a, e, g),
            Some(Vanishing::OnFactor { .. })
        ));
        let e = parse_expr(&mut a, "x*y^3 + x", &p).unwrap();
        assert_eq!(vanishes_on_m(&mut a, e, g), None);
    }

    #[test]
    fn every_factor_of_g_must_be_covered() {
        // g = y (x - 1): M is both lines; x y^2 vanishes on {y = 0} but not on {x = 1}.
        let mut a = arena(&["x", "y"]);
        let p = Params::new();
        let g = parse_expr(&mut a, "y*(x - 1)", &p).unwrap();
        let e = parse_expr(&mut a, "x*y^2", &p).unwrap();
        assert_eq!(vanishes_on_m(&mut a, e, g), None);
        let e = parse_expr(&mut a, "(x - 1)*y^2", &p).unwrap();
        assert!(vanishes_on_m(&mut a, e, g).is_some());
    }

    /// A polynomial in `(x, y)` with small integer coefficients of degree `< dx` in `x`.
    fn small_poly(coeffs: &[i32], dx: i32) -> Poly {
        let terms = coeffs
            .iter()
            .enumerate()
            .map(|(i, &c)| (vec![i as i32 % dx, i as i32 / dx], Rational::from(c)))
            .collect();
        Poly::from_terms_n(2, terms)
    }

    proptest::proptest! {
        /// `e = q p + r` with `p` monic of degree 2 in `x` and `deg_x r < 2`: the remainder is
        /// exactly `r` (so it is 0 exactly when `e` is a multiple of `p`).
        #[test]
        fn remainder_is_exact(
            q in proptest::collection::vec(-3i32..4, 6),
            p0 in proptest::collection::vec(-3i32..4, 4),
            r in proptest::collection::vec(-3i32..4, 4),
        ) {
            let x2 = Poly::from_terms_n(2, vec![(vec![2, 0], Rational::from(1))]);
            let p = x2.add(&small_poly(&p0, 2));
            let (q, r) = (small_poly(&q, 3), small_poly(&r, 2));
            let e = q.mul(&p).add(&r);
            let got = remainder(&e, &p, 0, 2, &Rational::from(1)).unwrap();
            proptest::prop_assert_eq!(got, r);
        }
    }

    #[test]
    fn sphere_normals_are_straight_and_hyperbola_normals_are_not() {
        let mut a = arena(&["x", "y", "z"]);
        let g = parse_expr(&mut a, "x^2 + y^2 + z^2 - 1", &Params::new()).unwrap();
        assert!(straight_normals(&mut a, g));
        let mut b = arena(&["x", "y"]);
        let g = parse_expr(&mut b, "x*y - 1", &Params::new()).unwrap();
        assert!(!straight_normals(&mut b, g));
    }
}
