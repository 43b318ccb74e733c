//! The ansätze: linear systems `<V_k, grad psi> == 0` in the coefficients of `psi`.
//!
//! For a monomial `m = x^e` and a field `V`, `<V, grad m> = sum_i e_i V_i x^(e - 1_i)`; for
//! `m exp(l)`, `<V, grad(m e^l)> = e^l (<V, grad m> + m <V, l>)`, and `e^l != 0`, so for a
//! fixed linear form `l` the condition is again linear in the coefficients of the monomials.
//! Each column of the system is one monomial, each row one `(field, monomial)` coefficient.

use crate::fields::IntField;
use crate::monomials;
use crate::report::{
    AnsatzKind, AnsatzResult, BlockMethods, DiscoverOptions, FormCounts, NullspaceMethod, Skip,
};
use crate::ring::FunctionRing;
use crate::system::{solve, Builder, SolveStats, System};
use rug::Integer;
use rustc_hash::FxHashMap;
use std::time::{Duration, Instant};

/// A nullspace vector turned into a quantity: terms leading first, and the linear form.
pub(crate) struct RawQuantity {
    pub terms: Vec<(Vec<i32>, Integer)>,
    pub exp_form: Option<Vec<i32>>,
}

/// Builds the system for `psi = sum_c coeff_c x^(columns[c]) exp(form)`.
pub(crate) fn build_system(
    n: usize,
    fields: &[IntField],
    columns: &[Vec<i32>],
    form: Option<&[i32]>,
) -> System {
    let mut b = Builder::new(n + 1);
    for e in columns {
        for (k, field) in fields.iter().enumerate() {
            for comp in &field.comps {
                let i = comp.var;
                let ei = e[i];
                let li = form.map_or(0, |l| l[i]);
                if ei == 0 && li == 0 {
                    continue;
                }
                for (t, &c) in comp.coeffs.iter().enumerate() {
                    let a = &comp.exps[t * n..(t + 1) * n];
                    b.key[0] = k as i32;
                    for v in 0..n {
                        b.key[1 + v] = a[v] + e[v];
                    }
                    if li != 0 {
                        match c.checked_mul(i64::from(li)) {
                            Some(x) => b.push(x),
                            None => b.set_overflow(),
                        }
                    }
                    if ei != 0 {
                        b.key[1 + i] -= 1;
                        match c.checked_mul(i64::from(ei)) {
                            Some(x) => b.push(x),
                            None => b.set_overflow(),
                        }
                    }
                }
            }
        }
        b.end_column();
    }
    b.finish()
}

/// A result with no system solved (skipped when `skipped` is set).
pub(crate) fn empty_result(kind: AnsatzKind, skipped: Option<Skip>) -> AnsatzResult {
    AnsatzResult {
        kind,
        skipped,
        unknowns: 0,
        equations: 0,
        blocks: 0,
        largest_block: (0, 0),
        rank: 0,
        nullspace_dim: 0,
        polynomial_part: 0,
        forms: None,
        method: None,
        basis: Vec::new(),
        elapsed: Duration::ZERO,
    }
}

fn fill_stats(r: &mut AnsatzResult, s: &SolveStats) {
    r.unknowns += s.unknowns;
    r.equations += s.equations;
    r.blocks += s.blocks;
    if s.largest_block.0 * s.largest_block.1 > r.largest_block.0 * r.largest_block.1 {
        r.largest_block = s.largest_block;
    }
    r.rank += s.rank;
    r.nullspace_dim += s.nullity;
}

/// Lists a basis by the size `|e|_1` of the leading monomial, then by the leading monomial
/// descending (graded-lex largest first within a degree).
fn order_basis(columns: &[Vec<i32>], basis: &mut [Vec<(usize, Integer)>]) {
    basis.sort_by_key(|v| {
        let lead = v.last().map_or(0, |t| t.0);
        let size: i32 = columns[lead].iter().map(|x| x.abs()).sum();
        (size, std::cmp::Reverse(lead))
    });
}

fn raw(columns: &[Vec<i32>], v: Vec<(usize, Integer)>, form: Option<&[i32]>) -> RawQuantity {
    RawQuantity {
        terms: v
            .into_iter()
            .rev()
            .map(|(j, c)| (columns[j].clone(), c))
            .collect(),
        exp_form: form.map(<[i32]>::to_vec),
    }
}

/// `Some(TooManyUnknowns)` when `count` exceeds [`DiscoverOptions::max_unknowns`].
fn too_many(count: u64, opts: &DiscoverOptions) -> Option<Skip> {
    (count > opts.max_unknowns).then_some(Skip::TooManyUnknowns {
        unknowns: count,
        limit: opts.max_unknowns,
    })
}

/// The polynomial ansatz of degree `1..=D`.
pub(crate) fn polynomial(
    n: usize,
    fields: &[IntField],
    opts: &DiscoverOptions,
) -> (AnsatzResult, Vec<RawQuantity>) {
    let t0 = Instant::now();
    let kind = AnsatzKind::Polynomial {
        degree: opts.degree,
    };
    let count = monomials::count_polynomial(n, 1, opts.degree);
    if let Some(why) = too_many(count, opts) {
        return (empty_result(kind, Some(why)), Vec::new());
    }
    let columns = monomials::polynomial(n, 1, opts.degree);
    let sys = build_system(n, fields, &columns, None);
    if sys.overflow {
        return (empty_result(kind, Some(Skip::EquationOverflow)), Vec::new());
    }
    let (mut basis, stats) = solve(&sys);
    order_basis(&columns, &mut basis);
    let mut r = empty_result(kind, None);
    fill_stats(&mut r, &stats);
    r.method = Some(NullspaceMethod::ModularBlocks {
        blocks: stats.methods(),
    });
    let out = basis.into_iter().map(|v| raw(&columns, v, None)).collect();
    r.elapsed = t0.elapsed();
    (r, out)
}

/// The Laurent ansatz `1 <= |e|_1 <= D`; only quantities that are not polynomials are
/// returned (a complement of the polynomial part).
pub(crate) fn laurent(
    n: usize,
    fields: &[IntField],
    opts: &DiscoverOptions,
) -> (AnsatzResult, Vec<RawQuantity>) {
    let t0 = Instant::now();
    let kind = AnsatzKind::Laurent {
        degree: opts.degree,
    };
    let count = monomials::count_laurent(n, opts.degree);
    if let Some(why) = too_many(count, opts) {
        return (empty_result(kind, Some(why)), Vec::new());
    }
    let columns = monomials::laurent(n, opts.degree);
    let sys = build_system(n, fields, &columns, None);
    if sys.overflow {
        return (empty_result(kind, Some(Skip::EquationOverflow)), Vec::new());
    }
    let (mut basis, stats) = solve(&sys);
    order_basis(&columns, &mut basis);
    let mut r = empty_result(kind, None);
    fill_stats(&mut r, &stats);
    r.method = Some(NullspaceMethod::ModularBlocks {
        blocks: stats.methods(),
    });
    let mut out = Vec::new();
    for v in basis {
        let lead = v.last().map_or(0, |t| t.0);
        if monomials::is_laurent(&columns[lead]) {
            out.push(raw(&columns, v, None));
        } else {
            r.polynomial_part += 1;
        }
    }
    r.elapsed = t0.elapsed();
    (r, out)
}

/// The linear forms of the exponential ansatz, in a fixed order: fewer nonzero
/// coefficients first, then smaller `sum |l_i|`, then lexicographically.
pub(crate) fn linear_forms(n: usize, k: u32, max_support: usize) -> Vec<Vec<i32>> {
    fn rec(n: usize, i: usize, k: i32, left: usize, cur: &mut Vec<i32>, out: &mut Vec<Vec<i32>>) {
        if i == n {
            if cur.iter().any(|&x| x != 0) {
                out.push(cur.clone());
            }
            return;
        }
        rec(n, i + 1, k, left, cur, out);
        if left > 0 {
            for c in (-k..=k).filter(|&c| c != 0) {
                cur[i] = c;
                rec(n, i + 1, k, left - 1, cur, out);
            }
            cur[i] = 0;
        }
    }
    let mut out = Vec::new();
    let mut cur = vec![0; n];
    rec(n, 0, k as i32, max_support, &mut cur, &mut out);
    out.sort_by_key(|l| {
        let nnz = l.iter().filter(|&&x| x != 0).count();
        let s: i32 = l.iter().map(|x| x.abs()).sum();
        (nnz, s, l.clone())
    });
    out
}

/// The number of linear forms [`linear_forms`] returns (saturating).
fn count_forms(n: usize, k: u32, max_support: usize) -> u64 {
    let mut total: u64 = 0;
    let mut choose: u64 = 1; // C(n, s)
    for s in 1..=max_support.min(n) as u64 {
        choose = choose.saturating_mul(n as u64 + 1 - s) / s;
        total = total
            .saturating_add(choose.saturating_mul((2 * u64::from(k)).saturating_pow(s as u32)));
    }
    total
}

/// True when `<V, l> = sum_i l_i V_i` is the zero polynomial.
fn form_is_orthogonal(n: usize, field: &IntField, l: &[i32]) -> bool {
    let mut acc: FxHashMap<&[i32], i128> = FxHashMap::default();
    for comp in &field.comps {
        let li = i128::from(l[comp.var]);
        if li == 0 {
            continue;
        }
        for (t, &c) in comp.coeffs.iter().enumerate() {
            *acc.entry(&comp.exps[t * n..(t + 1) * n]).or_default() += li * i128::from(c);
        }
    }
    acc.values().all(|&v| v == 0)
}

/// The exponential ansatz `p exp(l)`: `p` over the `n` ring variables, `l` over the first
/// `n_x` (the variables of `f`; the remaining ring variables are atoms).
pub(crate) fn exponential(
    ring: &FunctionRing,
    fields: &[IntField],
    opts: &DiscoverOptions,
) -> (AnsatzResult, Vec<RawQuantity>) {
    let (n_x, n) = (ring.n_vars(), ring.size());
    let t0 = Instant::now();
    let kind = AnsatzKind::Exp {
        degree: opts.degree,
        coeff_bound: opts.exp_coeff_bound,
        max_support: opts.exp_max_support,
    };
    let per_form = monomials::count_polynomial(n, 0, opts.degree);
    let n_forms = count_forms(n_x, opts.exp_coeff_bound, opts.exp_max_support);
    let work = per_form.saturating_mul(n_forms);
    if work > opts.exp_max_work || per_form > opts.max_unknowns {
        let why = Skip::TooMuchWork {
            forms: n_forms,
            unknowns_per_form: per_form,
            work,
            limit: opts.exp_max_work,
        };
        return (empty_result(kind, Some(why)), Vec::new());
    }
    let columns = monomials::polynomial(n, 0, opts.degree);
    let mut r = empty_result(kind, None);
    let mut out = Vec::new();
    let (mut solved, mut trivial, mut in_ring) = (0usize, 0usize, 0usize);
    let mut methods = BlockMethods::default();
    for mut l in linear_forms(n_x, opts.exp_coeff_bound, opts.exp_max_support) {
        l.resize(n, 0);
        // <V_k, l> == 0 for every field: l is conserved and exp(l) p is a function of l and
        // of polynomial quantities; skipped.
        let conserved = fields.iter().all(|f| form_is_orthogonal(n, f, &l));
        if conserved {
            trivial += 1;
            continue;
        }
        if ring.spans_form(&l[..n_x]) {
            in_ring += 1;
            continue;
        }
        let sys = build_system(n, fields, &columns, Some(&l));
        if sys.overflow {
            return (
                empty_result(r.kind, Some(Skip::EquationOverflow)),
                Vec::new(),
            );
        }
        let (mut basis, stats) = solve(&sys);
        order_basis(&columns, &mut basis);
        fill_stats(&mut r, &stats);
        solved += 1;
        if !basis.is_empty() {
            let m = stats.methods();
            methods.one_prime += m.one_prime;
            methods.several_primes += m.several_primes;
            methods.exact_over_q += m.exact_over_q;
        }
        out.extend(basis.into_iter().map(|v| raw(&columns, v, Some(&l))));
    }
    r.forms = Some(FormCounts {
        solved,
        skipped_conserved: trivial,
        skipped_in_ring: in_ring,
    });
    r.method = Some(NullspaceMethod::PerLinearForm { blocks: methods });
    r.elapsed = t0.elapsed();
    (r, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::IntComp;
    use crate::linalg::{primitive, Echelon, QField};

    /// The whole system eliminated exactly over Q, without blocks or primes.
    fn exact(sys: &System) -> Vec<Vec<(usize, Integer)>> {
        let mut rows: Vec<Vec<(u32, i64)>> = vec![Vec::new(); sys.n_row_ids];
        for (j, col) in sys.cols.iter().enumerate() {
            for &(r, v) in col {
                rows[r as usize].push((j as u32, v));
            }
        }
        let mut e = Echelon::new(&QField, sys.cols.len());
        for r in &rows {
            e.insert_sparse(&QField, r);
        }
        let mut v: Vec<_> = e
            .nullspace(&QField)
            .into_iter()
            .filter_map(|(_, v)| primitive(&v))
            .collect();
        v.sort_by_key(|v| v.last().map_or(0, |t| t.0));
        v
    }

    /// The gradient of `x_0 x_1 ... x_{n-1} - 1`, and of the 2x2 factorization residuals.
    fn product_field(n: usize) -> Vec<IntField> {
        let comps = (0..n)
            .map(|i| {
                let mut e = vec![1; n];
                e[i] = 0;
                IntComp {
                    var: i,
                    exps: e,
                    coeffs: vec![1],
                }
            })
            .collect();
        vec![IntField { comps }]
    }

    fn matfact_fields(r: usize) -> Vec<IntField> {
        // variables X[i][k] = i*r + k, Y[j][k] = r*r + j*r + k; g_ij = sum_k X_ik Y_jk
        let n = 2 * r * r;
        let unit = |v: usize| {
            let mut e = vec![0; n];
            e[v] = 1;
            e
        };
        let mut out = Vec::new();
        for i in 0..r {
            for j in 0..r {
                let mut comps = Vec::new();
                for k in 0..r {
                    let (x, y) = (i * r + k, r * r + j * r + k);
                    comps.push(IntComp {
                        var: x,
                        exps: unit(y),
                        coeffs: vec![1],
                    });
                    comps.push(IntComp {
                        var: y,
                        exps: unit(x),
                        coeffs: vec![1],
                    });
                }
                comps.sort_by_key(|c| c.var);
                out.push(IntField { comps });
            }
        }
        out
    }

    #[test]
    fn blocks_and_primes_match_exact_elimination() {
        for (n, fields, d) in [
            (4, product_field(4), 4),
            (3, product_field(3), 6),
            (8, matfact_fields(2), 3),
        ] {
            for columns in [
                monomials::polynomial(n, 1, d),
                monomials::laurent(n, d.min(3)),
            ] {
                let sys = build_system(n, &fields, &columns, None);
                let (v, stats) = solve(&sys);
                assert_eq!(v, exact(&sys));
                assert_eq!(stats.rank + stats.nullity, columns.len());
            }
            let l: Vec<i32> = (0..n).map(|i| i as i32 % 3 - 1).collect();
            let columns = monomials::polynomial(n, 0, 2);
            let sys = build_system(n, &fields, &columns, Some(&l));
            assert_eq!(solve(&sys).0, exact(&sys));
        }
    }

    #[test]
    fn forms_are_counted_and_ordered() {
        let f = linear_forms(2, 2, 2);
        assert_eq!(f.len(), 24);
        assert_eq!(count_forms(2, 2, 2), 24);
        assert_eq!(f[0], vec![-1, 0]);
        assert_eq!(count_forms(5, 2, 2), linear_forms(5, 2, 2).len() as u64);
        assert_eq!(count_forms(4, 1, 3), linear_forms(4, 1, 3).len() as u64);
    }
}
