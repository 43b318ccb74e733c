//! `M = {g = 0} = argmin f` confirmed from the syntax of `f` and the printed `g`, for
//! objectives that are not polynomials in `g` (or not `c g^k`): `f` must be
//! `K + sum_i c_i h_i(t)` with constants `K`, `c_i > 0`, `t = g` or `t = -g`, and every
//! `h_i` on a small list of functions with `h(t) > h(0)` for every `t != 0`. Then
//! `f(x) > f(y)` whenever `g(x) != 0 = g(y)`, so the zero set of `g` is `argmin f` when it is
//! not empty. The expressions are hash-consed in one arena, so "the same subexpression" is
//! the same node.
//!
//! The list, each with why `h(t) > h(0)` for `t != 0` (all are even, so `t = -g` is as good
//! as `t = g`):
//! - `t^k`, `k` even and positive: `t^k = |t|^k > 0`;
//! - `|t|`: `> 0`;
//! - `log(1 + t^2)`: `1 + t^2 > 1` and `log` is strictly increasing, so `> log 1 = 0`;
//! - `(1 + t^2)^e`, `e > 0` (`sqrt(1 + t^2)` is `e = 1/2`): `u^e` is strictly increasing in
//!   `u > 0` and `1 + t^2 > 1`, so `> 1`.
//!
//! A sum of positive multiples of such terms has the property too (each term is at least its
//! value at 0, one is strictly above), and the constant `K` shifts both sides. `t^2 - t^4`
//! has a negative multiple and is refused (it is below its value at 0 for `|t| > 1`).

use ngd_expr::{Arena, ExprId, Func, Node};

/// The even powers tried for `t^k` (higher ones are not listed).
const EVEN_POWERS: [i64; 6] = [2, 4, 6, 8, 10, 12];

/// Whether `f` is `K + sum_i c_i h_i(g)` (or of `-g`) with `c_i > 0` and `h_i` on the list.
pub fn zero_set_is_argmin(arena: &mut Arena, f: ExprId, g: ExprId) -> bool {
    signed_forms(arena, g)
        .into_iter()
        .any(|t| increasing_in_size(arena, f, t))
}

/// Whether `f` is `K + sum_j c_j h_j(t_j)` with `c_j > 0`, every `h_j` on the list and every
/// `t_j` one of the residuals `gs` (or its negative), each residual used at least once: a sum
/// of losses. Then `f >= K` with equality exactly where every residual vanishes, so
/// `V(gs) = argmin f` when it is not empty (a residual left out would leave its own factor of
/// freedom in `argmin f`, hence the "used" test).
pub fn sum_zero_set_is_argmin(arena: &mut Arena, f: ExprId, gs: &[ExprId]) -> bool {
    let signed: Vec<[ExprId; 3]> = gs.iter().map(|&g| signed_forms(arena, g)).collect();
    let terms = match arena.node(f) {
        Node::Add(terms) => terms.to_vec(),
        _ => vec![f],
    };
    let mut used = vec![false; gs.len()];
    for term in terms {
        if arena.as_const(term).is_some() {
            continue;
        }
        let Some(i) = (0..gs.len()).find(|&i| {
            signed[i]
                .iter()
                .any(|&t| positive_multiple_of_listed(arena, term, t))
        }) else {
            return false;
        };
        used[i] = true;
    }
    !gs.is_empty() && used.iter().all(|&u| u)
}

/// `g`, `-g` as a product and `-g` with the negation distributed over a sum (the arena keeps
/// `-(a + b)` and `-a - b` as different nodes).
fn signed_forms(arena: &mut Arena, g: ExprId) -> [ExprId; 3] {
    let minus_g = arena.neg(g);
    let minus_g_distributed = match arena.node(g) {
        Node::Add(terms) => {
            let terms = terms.to_vec();
            let negated = terms.into_iter().map(|t| arena.neg(t)).collect();
            arena.add(negated)
        }
        _ => minus_g,
    };
    [g, minus_g, minus_g_distributed]
}

/// `K + sum_i c_i h_i(t)` with at least one term.
fn increasing_in_size(arena: &mut Arena, f: ExprId, t: ExprId) -> bool {
    let terms = match arena.node(f) {
        Node::Add(terms) => terms.to_vec(),
        _ => vec![f],
    };
    let mut listed_terms = 0;
    for term in terms {
        if arena.as_const(term).is_some() {
            continue;
        }
        if !positive_multiple_of_listed(arena, term, t) {
            return false;
        }
        listed_terms += 1;
    }
    listed_terms > 0
}

/// `c h(t)` with `c > 0` (`c = 1` when the term is not a product with a constant).
fn positive_multiple_of_listed(arena: &mut Arena, term: ExprId, t: ExprId) -> bool {
    if listed(arena, term, t) {
        return true;
    }
    let Node::Mul(factors) = arena.node(term) else {
        return false;
    };
    let (constants, rest): (Vec<ExprId>, Vec<ExprId>) = factors
        .iter()
        .copied()
        .partition(|e| arena.as_const(*e).is_some());
    let positive = match constants.as_slice() {
        [c] => arena.as_const(*c).is_some_and(|c| *c > 0),
        _ => false,
    };
    if !positive || rest.is_empty() {
        return false;
    }
    let h = arena.mul(rest);
    listed(arena, h, t)
}

/// Whether `e` is `h(t)` for an `h` on the list (built in the arena and compared as nodes).
fn listed(arena: &mut Arena, e: ExprId, t: ExprId) -> bool {
    if EVEN_POWERS.iter().any(|&k| arena.powi(t, k) == e) || arena.func(Func::Abs, t) == e {
        return true;
    }
    let t2 = arena.powi(t, 2);
    let one = arena.int(1);
    let u = arena.add2(one, t2);
    if arena.func(Func::Log, u) == e {
        return true;
    }
    match arena.node(e) {
        Node::Pow(base, exponent) => *base == u && *exponent > 0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confirmed(f: &str, g: &str) -> bool {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let p = ngd_parse::Params::new();
        let f = ngd_parse::parse_expr(&mut a, f, &p).unwrap();
        let g = ngd_parse::parse_expr(&mut a, g, &p).unwrap();
        zero_set_is_argmin(&mut a, f, g)
    }

    #[test]
    fn listed_outer_functions_of_g_are_confirmed() {
        for f in [
            "log(1 + (x*y - 1)^2)",
            "abs(x*y - 1)",
            "3*(x*y - 1)^4",
            "sqrt(1 + (x*y - 1)^2) - 1",
            "(x*y - 1)^2 + (x*y - 1)^4 + 7",
            "abs(1 - x*y)",
            "(1 - x*y)^2/2",
        ] {
            assert!(confirmed(f, "x*y - 1"), "{f}");
        }
    }

    fn sum_confirmed(f: &str, gs: &[&str]) -> bool {
        let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
        let p = ngd_parse::Params::new();
        let f = ngd_parse::parse_expr(&mut a, f, &p).unwrap();
        let gs: Vec<ExprId> = gs
            .iter()
            .map(|g| ngd_parse::parse_expr(&mut a, g, &p).unwrap())
            .collect();
        sum_zero_set_is_argmin(&mut a, f, &gs)
    }

    #[test]
    fn sums_of_listed_losses_of_every_residual_are_confirmed() {
        let gs = ["x*y - 1", "x*z - 1"];
        for f in [
            "log(1 + (x*y - 1)^2) + (x*z - 1)^2",
            "(x*y - 1)^2 + 3*abs(1 - x*z) + 2",
            "(x*z - 1)^4 + (x*y - 1)^2 + (x*y - 1)^4",
        ] {
            assert!(sum_confirmed(f, &gs), "{f}");
        }
    }

    #[test]
    fn sums_missing_a_residual_or_with_a_bad_term_are_refused() {
        let gs = ["x*y - 1", "x*z - 1"];
        for f in [
            // x*z - 1 unused: argmin f is larger than V(gs).
            "log(1 + (x*y - 1)^2)",
            // A loss that dips below its value at 0.
            "(x*y - 1)^2 - (x*y - 1)^4 + (x*z - 1)^2",
            // A term of no residual.
            "(x*y - 1)^2 + (x*z - 1)^2 + x^2",
            // A negative multiple.
            "(x*y - 1)^2 - (x*z - 1)^2",
            // A residual that is not printed.
            "(x*y - 1)^2 + (x*z - 2)^2",
        ] {
            assert!(!sum_confirmed(f, &gs), "{f}");
        }
        assert!(!sum_confirmed("(x*y - 1)^2", &[]));
    }

    #[test]
    fn other_outer_functions_or_other_g_are_refused() {
        for f in [
            // Not increasing in |t|: below its value at 0 for |t| > 1.
            "(x*y - 1)^2 - (x*y - 1)^4",
            "-(x*y - 1)^2",
            "(x*y - 1)^3",
            "exp((x*y - 1)^2)",
            "log(2 + (x*y - 1)^2)",
            "(x*y - 2)^2",
            "(x*y - 1)^2 + x",
            "7",
        ] {
            assert!(!confirmed(f, "x*y - 1"), "{f}");
        }
    }
}
