//! Linear symmetries: matrices `A` with `<V_k(x), A x> == 0` identically for every field.
//!
//! Then `d/dt g_k(e^{tA} x) = <grad g_k(e^{tA} x), A e^{tA} x> = 0`, so every generator is
//! invariant under `x -> e^{tA} x`; for symmetric `A`, `x^T A x` is conserved by the gradient
//! flow (Prop 3.36): `<grad g_k, grad(x^T A x)> = 2 <grad g_k, A x> = 0`.

use crate::fields::IntField;
use crate::system::{solve, Builder, SolveStats, System};
use rug::Integer;

/// A symmetric matrix (coprime integers) and `x^T A x` as terms (leading first).
pub(crate) type Generator = (Vec<Vec<Integer>>, Vec<(Vec<i32>, Integer)>);

/// The symmetric generators found, with the system's figures.
pub(crate) struct SymResult {
    pub stats: SolveStats,
    /// Each generator: the symmetric matrix (coprime integers) and `x^T A x` as terms
    /// (leading first, coprime integers, positive leading coefficient).
    pub generators: Vec<Generator>,
    /// Dimension of the Lie algebra of all (not necessarily symmetric) `A`.
    pub lie_algebra_dim: usize,
}

/// `e_j + e_k` as an exponent vector.
fn quad_exps(n: usize, j: usize, k: usize) -> Vec<i32> {
    let mut e = vec![0; n];
    e[j] += 1;
    e[k] += 1;
    e
}

/// Pushes the terms of `V_var * x_mult` for field `k`.
fn push_times_var(b: &mut Builder, n: usize, k: usize, field: &IntField, var: usize, mult: usize) {
    for comp in field.comps.iter().filter(|c| c.var == var) {
        for (t, &c) in comp.coeffs.iter().enumerate() {
            b.key[0] = k as i32;
            b.key[1..].copy_from_slice(&comp.exps[t * n..(t + 1) * n]);
            b.key[1 + mult] += 1;
            b.push(c);
        }
    }
}

fn symmetric_system(n: usize, fields: &[IntField], pairs: &[(usize, usize)]) -> System {
    let mut b = Builder::new(n + 1);
    for &(j, k) in pairs {
        for (f, field) in fields.iter().enumerate() {
            // <V, A x> = sum_{j<=k} a_jk (V_j x_k + V_k x_j) (one term when j == k)
            push_times_var(&mut b, n, f, field, j, k);
            if j != k {
                push_times_var(&mut b, n, f, field, k, j);
            }
        }
        b.end_column();
    }
    b.finish()
}

fn general_system(n: usize, fields: &[IntField]) -> System {
    let mut b = Builder::new(n + 1);
    for j in 0..n {
        for k in 0..n {
            for (f, field) in fields.iter().enumerate() {
                push_times_var(&mut b, n, f, field, j, k);
            }
            b.end_column();
        }
    }
    b.finish()
}

/// Solves for the symmetric generators and the dimension of the full Lie algebra.
pub(crate) fn linear_symmetries(n: usize, fields: &[IntField]) -> SymResult {
    // Columns ordered like the polynomial ansatz's degree-2 monomials x_j x_k (ascending
    // exponent vectors), so the invariants come out in the same reduced echelon form.
    let mut pairs: Vec<(usize, usize)> = (0..n).flat_map(|j| (j..n).map(move |k| (j, k))).collect();
    pairs.sort_by_key(|&(j, k)| quad_exps(n, j, k));
    let sys = symmetric_system(n, fields, &pairs);
    let (mut basis, stats) = solve(&sys);
    // Leading monomial descending, like the polynomial ansatz within one degree.
    basis.sort_by_key(|v| std::cmp::Reverse(v.last().map_or(0, |t| t.0)));
    let mut generators = Vec::new();
    for v in basis {
        let mut a = vec![vec![Integer::new(); n]; n];
        let mut terms: Vec<(Vec<i32>, Integer)> = Vec::new();
        for (c, x) in v.iter().rev() {
            let (j, k) = pairs[*c];
            a[j][k].clone_from(x);
            a[k][j].clone_from(x);
            let coeff = if j == k {
                x.clone()
            } else {
                Integer::from(x * 2u32)
            };
            terms.push((quad_exps(n, j, k), coeff));
        }
        let mut g = Integer::new();
        for (_, c) in &terms {
            g.gcd_mut(c);
        }
        for (_, c) in terms.iter_mut() {
            *c /= &g;
        }
        generators.push((a, terms));
    }
    let full = general_system(n, fields);
    let (_, full_stats) = solve(&full);
    SymResult {
        stats,
        generators,
        lie_algebra_dim: full_stats.nullity,
    }
}
