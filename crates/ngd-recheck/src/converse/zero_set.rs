//! The real common zeros of the residuals `g` and the flat equations `e` are exactly the
//! printed flat set.
//!
//! Points (exact rationals): every printed point is a common zero (exact evaluation). For
//! every coordinate `x_i`, some `g` or `e` is a nonconstant polynomial `u_i(x_i)` in `x_i`
//! alone; its real roots are found exactly: the printed `i`-th coordinates that are roots,
//! then the rational roots of the quotient when it has degree 1 or 2, and the rest must have
//! no real root at all, by Sturm's theorem (distinct real roots = sign changes of the Sturm
//! sequence `p, p', -rem(...)` at `-inf` minus those at `+inf`, exact over Q). Every real
//! common zero then lies on the grid of these roots; the grid points where every `g` and `e`
//! vanishes must be exactly the printed points. A coordinate without such a `u_i` (or with
//! irrational roots, a degree above [`MAX_UNIVARIATE_DEGREE`], or a grid above
//! [`MAX_GRID`]) is not covered.
//!
//! A component: every printed equation of the component is a nonzero constant multiple of a
//! residual or a flat equation (so `V(g, e)` lies in it), and every flat equation is one of
//! a component equation (so the component lies in `V(e)`).

use super::document::Document;
use super::{join, multiple_of, wrong, Outcome};
use crate::{Failure, NotCoveredReason};
use ngd_algebra::Poly;
use rug::Rational;
use std::collections::BTreeSet;

/// Most grid points evaluated.
const MAX_GRID: usize = 4096;

/// Highest degree of a polynomial in one variable whose real roots are counted (Sturm's
/// sequence over Q grows quickly with the degree).
const MAX_UNIVARIATE_DEGREE: usize = 64;

/// The reason given when the small rules cannot confine the zero set.
const NOT_CONFINED: NotCoveredReason = NotCoveredReason::FlatSetNotConfined;

/// The rule for finitely many printed points.
pub(super) fn points_rule(doc: &Document, points: &[Option<Vec<Rational>>]) -> Outcome {
    let Some(points) = points.iter().cloned().collect::<Option<Vec<_>>>() else {
        return Outcome::NotCovered(NOT_CONFINED);
    };
    let equations: Vec<&Poly> = doc.residuals.iter().chain(&doc.flat_equations).collect();
    for p in &points {
        if let Some(failure) = not_a_common_zero(doc, &equations, p) {
            return Outcome::Fails(failure);
        }
    }
    let mut roots = Vec::new();
    for i in 0..doc.names.len() {
        let printed: BTreeSet<Rational> = points.iter().map(|p| p[i].clone()).collect();
        let found = equations
            .iter()
            .filter_map(|q| univariate(q, i))
            .find_map(|u| real_roots(&u, &printed));
        match found {
            Some(r) => roots.push(r),
            None => return Outcome::NotCovered(NOT_CONFINED),
        }
    }
    let size = roots
        .iter()
        .try_fold(1usize, |s, r| s.checked_mul(r.len()))
        .filter(|&s| s <= MAX_GRID);
    if size.is_none() {
        return Outcome::NotCovered(NOT_CONFINED);
    }
    let printed: BTreeSet<&Vec<Rational>> = points.iter().collect();
    for x in grid(&roots) {
        let zero = equations.iter().all(|q| q.eval(&x).is_some_and(|v| v == 0));
        if zero && !printed.contains(&x) {
            return Outcome::Fails(wrong(
                "the flat set".into(),
                format!(
                    "the residuals and flat equations also vanish at ({})",
                    join(&x)
                ),
            ));
        }
    }
    Outcome::Holds
}

/// The first equation not exactly zero at `p`, as a failure.
fn not_a_common_zero(doc: &Document, equations: &[&Poly], p: &[Rational]) -> Option<Failure> {
    equations.iter().find_map(|q| {
        let v = q.eval(p);
        v.as_ref().is_none_or(|v| *v != 0).then(|| {
            wrong(
                format!("flat point ({})", join(p)),
                format!(
                    "{} = {} there",
                    doc.print(q),
                    v.map_or("undefined".into(), |v| v.to_string())
                ),
            )
        })
    })
}

/// The rule for one component given by equations.
pub(super) fn equations_rule(doc: &Document, component: &[Poly]) -> Outcome {
    let known: Vec<&Poly> = doc.residuals.iter().chain(&doc.flat_equations).collect();
    for c in component {
        if !known.iter().any(|k| multiple_of(c, k)) {
            return Outcome::Fails(wrong(
                format!("flat component equation {}", doc.print(c)),
                "no multiple of a residual or a flat equation".into(),
            ));
        }
    }
    for e in &doc.flat_equations {
        if !component.iter().any(|c| multiple_of(e, c)) {
            return Outcome::Fails(wrong(
                format!("flat equation {}", doc.print(e)),
                "no multiple of an equation of the flat component".into(),
            ));
        }
    }
    Outcome::Holds
}

/// `q` as dense coefficients in `x_i` (lowest first) when it is a nonconstant polynomial in
/// `x_i` alone, of degree at most [`MAX_UNIVARIATE_DEGREE`].
fn univariate(q: &Poly, i: usize) -> Option<Vec<Rational>> {
    let mut coeffs: Vec<Rational> = Vec::new();
    for (m, c) in q.terms() {
        let other = m.iter().enumerate().any(|(j, &e)| j != i && e != 0);
        let k = usize::try_from(m[i]).ok().filter(|_| !other)?;
        if coeffs.len() <= k {
            coeffs.resize(k + 1, Rational::new());
        }
        coeffs[k] = c.clone();
    }
    (coeffs.len() > 1 && coeffs.len() <= MAX_UNIVARIATE_DEGREE + 1).then_some(coeffs)
}

/// Every real root of `u` (nonconstant), when each is found exactly: the `printed` values
/// that are roots, the rational roots of the remaining quotient of degree 1 or 2, and none
/// left by Sturm's theorem.
fn real_roots(u: &[Rational], printed: &BTreeSet<Rational>) -> Option<BTreeSet<Rational>> {
    let mut roots = BTreeSet::new();
    let mut rest = u.to_vec();
    for a in printed {
        while let Some(q) = divide_by_root(&rest, a) {
            roots.insert(a.clone());
            rest = q;
        }
    }
    for a in low_degree_rational_roots(&rest) {
        while let Some(q) = divide_by_root(&rest, &a) {
            roots.insert(a.clone());
            rest = q;
        }
    }
    (distinct_real_roots(&rest) == 0).then_some(roots)
}

/// `p / (x - a)` when `a` is a root of `p` (Horner's scheme; `None` otherwise or for a
/// constant `p`).
fn divide_by_root(p: &[Rational], a: &Rational) -> Option<Vec<Rational>> {
    if p.len() < 2 {
        return None;
    }
    let mut quotient = vec![Rational::new(); p.len() - 1];
    let mut carry = Rational::new();
    for k in (1..p.len()).rev() {
        carry = Rational::from(&carry * a) + &p[k];
        quotient[k - 1] = carry.clone();
    }
    let remainder = Rational::from(&carry * a) + &p[0];
    (remainder == 0).then_some(quotient)
}

/// The rational roots of `p` when it has degree 1 or 2 (none otherwise).
fn low_degree_rational_roots(p: &[Rational]) -> Vec<Rational> {
    match p {
        [b, a] => vec![-Rational::from(b / a)],
        [c, b, a] => {
            let disc: Rational = Rational::from(b * b) - 4 * Rational::from(a * c);
            if disc < 0 {
                return Vec::new();
            }
            let (num, den) = disc.into_numer_denom();
            if !num.is_perfect_square() || !den.is_perfect_square() {
                return Vec::new();
            }
            let root = Rational::from((num.sqrt(), den.sqrt()));
            let two_a = Rational::from(2 * a);
            let minus_b = -b.clone();
            vec![
                Rational::from(&minus_b + &root) / &two_a,
                (minus_b - root) / two_a,
            ]
        }
        _ => Vec::new(),
    }
}

/// The number of distinct real roots of `p` (nonzero) by Sturm's theorem.
fn distinct_real_roots(p: &[Rational]) -> usize {
    let p = trim(p.to_vec());
    if p.len() < 2 {
        return 0;
    }
    let mut sequence = vec![p.clone(), derivative(&p)];
    loop {
        let r = remainder(&sequence[sequence.len() - 2], &sequence[sequence.len() - 1]);
        if r.is_empty() {
            break;
        }
        sequence.push(r.into_iter().map(|c| -c).collect());
    }
    // At +inf each polynomial has the sign of its leading coefficient; at -inf that sign
    // times (-1)^degree.
    let signs = |at_minus_infinity: bool| -> Vec<bool> {
        sequence
            .iter()
            .map(|q| {
                let positive = q.last().is_some_and(|c| *c > 0);
                positive ^ (at_minus_infinity && q.len() % 2 == 0)
            })
            .collect()
    };
    sign_changes(&signs(true)).saturating_sub(sign_changes(&signs(false)))
}

/// Sign changes along a sequence of nonzero signs.
fn sign_changes(positive: &[bool]) -> usize {
    positive.windows(2).filter(|w| w[0] != w[1]).count()
}

/// Without trailing zero coefficients (the zero polynomial is empty).
fn trim(mut p: Vec<Rational>) -> Vec<Rational> {
    while p.last().is_some_and(|c| *c == 0) {
        p.pop();
    }
    p
}

/// `p'`.
fn derivative(p: &[Rational]) -> Vec<Rational> {
    trim(
        p.iter()
            .enumerate()
            .skip(1)
            .map(|(k, c)| Rational::from(c * k as u32))
            .collect(),
    )
}

/// The remainder of `a` divided by `b` (nonzero, trimmed).
fn remainder(a: &[Rational], b: &[Rational]) -> Vec<Rational> {
    let mut r = trim(a.to_vec());
    let Some(lead) = b.last() else {
        return r;
    };
    while let Some(top) = r.last().filter(|_| r.len() >= b.len()) {
        let factor = Rational::from(top / lead);
        let shift = r.len() - b.len();
        for (k, c) in b.iter().enumerate() {
            r[shift + k] -= Rational::from(&factor * c);
        }
        r = trim(r);
    }
    r
}

/// Every point of the grid `roots_1 x ... x roots_n`.
fn grid(roots: &[BTreeSet<Rational>]) -> Vec<Vec<Rational>> {
    roots.iter().fold(vec![Vec::new()], |acc, values| {
        acc.iter()
            .flat_map(|prefix| {
                values.iter().map(move |a| {
                    let mut p = prefix.clone();
                    p.push(a.clone());
                    p
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(v: &[i64]) -> Vec<Rational> {
        v.iter().map(|&c| Rational::from(c)).collect()
    }

    fn set(v: &[i64]) -> BTreeSet<Rational> {
        v.iter().map(|&c| Rational::from(c)).collect()
    }

    #[test]
    fn sturm_counts_distinct_real_roots() {
        assert_eq!(distinct_real_roots(&q(&[-1, 0, 1])), 2); // x^2 - 1
        assert_eq!(distinct_real_roots(&q(&[1, 0, 1])), 0); // x^2 + 1
        assert_eq!(distinct_real_roots(&q(&[1, -2, 1])), 1); // (x - 1)^2
        assert_eq!(distinct_real_roots(&q(&[-2, 0, 0, 1])), 1); // x^3 - 2
        assert_eq!(distinct_real_roots(&q(&[4, 0, -5, 0, 1])), 4); // (x^2 - 1)(x^2 - 4)
        assert_eq!(distinct_real_roots(&q(&[7])), 0);
    }

    #[test]
    fn real_roots_are_found_exactly_or_not_at_all() {
        // x^2 - 1 with the printed values -1, 1.
        assert_eq!(
            real_roots(&q(&[-1, 0, 1]), &set(&[-1, 1])),
            Some(set(&[-1, 1]))
        );
        // With only 1 printed, -1 is found from the linear quotient: it is not hidden.
        assert_eq!(real_roots(&q(&[-1, 0, 1]), &set(&[1])), Some(set(&[-1, 1])));
        // (x^2 - 1)(x^2 - 4) with nothing printed: the quadratic rule does not apply, the
        // roots +-1, +-2 remain, so nothing is claimed.
        assert_eq!(real_roots(&q(&[4, 0, -5, 0, 1]), &set(&[])), None);
        // x^2 - 2: irrational roots are never dropped.
        assert_eq!(real_roots(&q(&[-2, 0, 1]), &set(&[1])), None);
        // (x - 1)(x^2 + 1): the complex roots do not count.
        assert_eq!(real_roots(&q(&[-1, 1, -1, 1]), &set(&[1])), Some(set(&[1])));
        // A printed value that is no root is not a root.
        assert_eq!(real_roots(&q(&[-1, 1]), &set(&[2, 1])), Some(set(&[1])));
    }

    #[test]
    fn univariate_parts_are_read_only_from_polynomials_in_one_variable() {
        let (x, y) = (Poly::var(0, 2), Poly::var(1, 2));
        let one = Poly::constant(Rational::from(1), 2);
        assert_eq!(univariate(&y.mul(&y).sub(&one), 1), Some(q(&[-1, 0, 1])));
        assert_eq!(univariate(&y.mul(&y).sub(&one), 0), None);
        assert_eq!(univariate(&x.sub(&y), 0), None);
        assert_eq!(univariate(&one, 0), None);
    }
}
