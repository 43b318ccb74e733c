//! Monomial residuals: a term `c x1^(2k1) ... xm^(2km)` is `c (x1^k1 ... xm^km)^2`, the square of
//! a residual with a zero target (the `(y*z)^2` of `(x*y - 1)^2 + (y*z)^2`, which the product
//! rule stores as `y^2*z^2`).

use ngd_expr::{Arena, ExprId, Node, Rational};

/// The half powers `x_i^(k_i)` of a product of even powers (with an optional positive
/// constant first), or `None` when `t` is not such a product of at least two factors.
fn half_powers(arena: &Arena, t: ExprId) -> Option<(Rational, Vec<(ExprId, Rational)>)> {
    let Node::Mul(fs) = arena.node(t) else {
        return None;
    };
    let (coeff, rest) = match arena.as_const(fs[0]) {
        Some(c) if *c > 0 => (c.clone(), &fs[1..]),
        Some(_) => return None,
        None => (Rational::from(1), &fs[..]),
    };
    if rest.len() < 2 {
        return None;
    }
    let halves = rest
        .iter()
        .map(|&u| match arena.node(u) {
            Node::Pow(b, e) if e.is_integer() && *e > 0 && e.numer().is_even() => {
                Some((*b, Rational::from(e / 2u32)))
            }
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((coeff, halves))
}

/// `(c, r)` with `t = c r^2` when `t` is a product of even powers and the residual
/// `r = prod x_i^(k_i)` exists in the arena (see [`intern_residuals`]).
pub(super) fn monomial_square(arena: &Arena, t: ExprId) -> Option<(Rational, ExprId)> {
    let (coeff, halves) = half_powers(arena, t)?;
    let mut factors = halves
        .into_iter()
        .map(|(b, k)| {
            if k == 1 {
                Some(b)
            } else {
                arena.find(&Node::Pow(b, k))
            }
        })
        .collect::<Option<Vec<_>>>()?;
    factors.sort_unstable();
    let r = arena.find(&Node::Mul(factors.into_boxed_slice()))?;
    Some((coeff, r))
}

/// Creates the residuals `prod x_i^(k_i)` of the monomial terms of `f` (the terms of a sum, or
/// `f` itself), so that the read-only [`super::Structure::detect`] finds them. Called once
/// where `f` is built (case files, the identity request).
pub fn intern_residuals(arena: &mut Arena, f: ExprId) {
    let terms: Vec<ExprId> = match arena.node(f) {
        Node::Add(ts) => ts.to_vec(),
        _ => vec![f],
    };
    for t in terms {
        if let Some((_, halves)) = half_powers(arena, t) {
            let factors: Vec<ExprId> = halves.into_iter().map(|(b, k)| arena.pow(b, k)).collect();
            arena.mul(factors);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_residual_of_a_parsed_square_of_a_product() {
        let mut a = Arena::new(vec!["y".into(), "z".into()]);
        let (y, z) = (a.var(0), a.var(1));
        let y2 = a.powi(y, 2);
        let z4 = a.powi(z, 4);
        let t = a.mul(vec![y2, z4]);
        assert_eq!(monomial_square(&a, t), None, "y*z^2 not built yet");
        intern_residuals(&mut a, t);
        let (c, r) = monomial_square(&a, t).expect("residual");
        assert_eq!(c, 1);
        let z2 = a.powi(z, 2);
        assert_eq!(r, a.mul(vec![y, z2]));
        let r2 = a.powi(r, 2);
        assert_eq!(r2, t, "r^2 is the term");
    }

    #[test]
    fn rejects_odd_powers_and_negative_constants() {
        let mut a = Arena::new(vec!["y".into(), "z".into()]);
        let (y, z) = (a.var(0), a.var(1));
        let y2 = a.powi(y, 2);
        let z3 = a.powi(z, 3);
        let odd = a.mul(vec![y2, z3]);
        intern_residuals(&mut a, odd);
        assert_eq!(monomial_square(&a, odd), None);
        let z2 = a.powi(z, 2);
        let m3 = a.int(-3);
        let neg = a.mul(vec![m3, y2, z2]);
        intern_residuals(&mut a, neg);
        assert_eq!(monomial_square(&a, neg), None);
    }
}
