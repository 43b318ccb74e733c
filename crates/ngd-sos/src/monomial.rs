//! Monomials as exponent vectors (non-negative), and the products of pairs of them that index
//! the entries of a Gram matrix.

use std::collections::BTreeMap;

/// A monomial `x^e`, `e` a vector of non-negative exponents.
pub type Monomial = Vec<u32>;

/// `a + b` componentwise: the monomial of the product `x^a x^b`.
pub fn product(a: &[u32], b: &[u32]) -> Monomial {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// Total degree.
pub fn degree(m: &[u32]) -> u32 {
    m.iter().sum()
}

/// The number of monomials in `n` variables of degree at most `d`, `C(n + d, d)`, saturating
/// at `u64::MAX` (so a caller can refuse a basis before enumerating it).
pub fn count_up_to(n: usize, d: u32) -> u64 {
    let mut c: u128 = 1;
    for i in 1..=u128::from(d) {
        c = c * (n as u128 + i) / i;
        if c > u128::from(u64::MAX) {
            return u64::MAX;
        }
    }
    c as u64
}

/// Every monomial in `n` variables of total degree at most `d`, in graded order.
pub fn all_up_to(n: usize, d: u32) -> Vec<Monomial> {
    let mut out = Vec::new();
    for total in 0..=d {
        of_degree(n, total, &mut vec![0; n], 0, &mut out);
    }
    out
}

/// Appends the monomials of exactly degree `left + sum(prefix[..i])` filling positions `i..`.
fn of_degree(n: usize, left: u32, cur: &mut Vec<u32>, i: usize, out: &mut Vec<Monomial>) {
    if i + 1 == n || n == 0 {
        if n > 0 {
            cur[i] = left;
        }
        out.push(cur.clone());
        return;
    }
    for e in (0..=left).rev() {
        cur[i] = e;
        of_degree(n, left - e, cur, i + 1, out);
    }
    cur[i] = 0;
}

/// For a basis of monomials, the upper-triangular pairs `(i, j)`, `i <= j`, grouped by their
/// product monomial: the Gram entries that contribute to each coefficient.
pub fn pairs_by_product(basis: &[Monomial]) -> BTreeMap<Monomial, Vec<(usize, usize)>> {
    let mut by: BTreeMap<Monomial, Vec<(usize, usize)>> = BTreeMap::new();
    for i in 0..basis.len() {
        for j in i..basis.len() {
            by.entry(product(&basis[i], &basis[j]))
                .or_default()
                .push((i, j));
        }
    }
    by
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_monomials_by_degree() {
        // C(n + d, d) monomials of degree <= d in n variables.
        assert_eq!(all_up_to(3, 2).len(), 10);
        assert_eq!(all_up_to(2, 3).len(), 10);
        assert_eq!(all_up_to(1, 4).len(), 5);
        let all = all_up_to(3, 3);
        assert!(all.iter().all(|m| degree(m) <= 3));
        let mut sorted = all.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len());
    }

    #[test]
    fn counts_match_the_enumeration_and_saturate() {
        for (n, d) in [(1, 4), (2, 3), (3, 2), (4, 5), (6, 6)] {
            assert_eq!(count_up_to(n, d), all_up_to(n, d).len() as u64);
        }
        assert_eq!(count_up_to(256, 40), u64::MAX);
    }

    #[test]
    fn every_pair_is_listed_once() {
        let basis = all_up_to(2, 2);
        let by = pairs_by_product(&basis);
        let total: usize = by.values().map(Vec::len).sum();
        assert_eq!(total, basis.len() * (basis.len() + 1) / 2);
    }
}
