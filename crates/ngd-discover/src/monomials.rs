//! The monomials of the ansätze, in the column order of the linear systems.
//!
//! The column order is ascending; the *last* nonzero column of a nullspace vector is its
//! leading monomial, printed first with a positive coefficient.
//!
//! - Polynomial: total degree ascending, then exponent vectors lexicographically ascending
//!   (`x_0` most significant), so the leader is the graded-lex largest monomial.
//! - Laurent: every monomial without a negative exponent comes first (in the polynomial
//!   order), then those with a negative exponent by `|e|_1`, then `(|e_0|, |e_1|, ...)`,
//!   then `e`, lexicographically ascending.

/// All exponent vectors `e >= 0` with `lo <= |e| <= hi`, in graded-lex ascending order.
pub(crate) fn polynomial(n: usize, lo: u32, hi: u32) -> Vec<Vec<i32>> {
    let mut out = Vec::new();
    for d in lo..=hi {
        let mut e = vec![0i32; n];
        compositions(n, d as i32, 0, &mut e, &mut out);
    }
    out
}

/// Appends the compositions of `rest` into the slots `i..n` of `e`, lexicographically ascending.
fn compositions(n: usize, rest: i32, i: usize, e: &mut Vec<i32>, out: &mut Vec<Vec<i32>>) {
    if n == 0 {
        if rest == 0 {
            out.push(Vec::new());
        }
        return;
    }
    if i == n - 1 {
        e[i] = rest;
        out.push(e.clone());
        e[i] = 0;
        return;
    }
    for k in 0..=rest {
        e[i] = k;
        compositions(n, rest - k, i + 1, e, out);
    }
    e[i] = 0;
}

/// `C(a, b)` as a saturating count.
fn binom(a: u64, b: u64) -> u64 {
    if b > a {
        return 0;
    }
    let b = b.min(a - b);
    let mut r: u64 = 1;
    for i in 0..b {
        r = r.saturating_mul(a - i) / (i + 1);
    }
    r
}

/// The number of nonnegative exponent vectors with `lo <= |e| <= hi` (saturating).
pub(crate) fn count_polynomial(n: usize, lo: u32, hi: u32) -> u64 {
    (lo..=hi)
        .map(|d| binom(u64::from(d) + n as u64 - 1, n as u64 - 1))
        .fold(0u64, u64::saturating_add)
}

/// The number of integer vectors with `1 <= |e|_1 <= d` (saturating).
pub(crate) fn count_laurent(n: usize, d: u32) -> u64 {
    // sum over the support size k: 2^k C(n, k) C(s - 1, k - 1) for each s.
    let mut total: u64 = 0;
    for s in 1..=u64::from(d) {
        for k in 1..=(n as u64).min(s) {
            let t = (1u64 << k.min(62))
                .saturating_mul(binom(n as u64, k))
                .saturating_mul(binom(s - 1, k - 1));
            total = total.saturating_add(t);
        }
    }
    total
}

/// All integer vectors with `1 <= |e|_1 <= d`, in the Laurent column order.
pub(crate) fn laurent(n: usize, d: u32) -> Vec<Vec<i32>> {
    let mut out = Vec::new();
    for abs in polynomial(n, 1, d) {
        let nz: Vec<usize> = (0..n).filter(|&i| abs[i] != 0).collect();
        for mask in 0u64..(1u64 << nz.len()) {
            let mut e = abs.clone();
            for (b, &i) in nz.iter().enumerate() {
                if mask >> b & 1 == 1 {
                    e[i] = -e[i];
                }
            }
            out.push(e);
        }
    }
    out.sort_by_key(|a| laurent_key(a));
    out
}

fn laurent_key(e: &[i32]) -> (bool, i32, Vec<i32>, Vec<i32>) {
    let neg = e.iter().any(|&x| x < 0);
    let abs: Vec<i32> = e.iter().map(|x| x.abs()).collect();
    (neg, abs.iter().sum(), abs, e.to_vec())
}

/// True when the exponent vector has a negative entry.
pub(crate) fn is_laurent(e: &[i32]) -> bool {
    e.iter().any(|&x| x < 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_and_counts() {
        let p = polynomial(2, 1, 2);
        assert_eq!(
            p,
            vec![vec![0, 1], vec![1, 0], vec![0, 2], vec![1, 1], vec![2, 0]]
        );
        assert_eq!(count_polynomial(18, 1, 3), 1329);
        assert_eq!(polynomial(18, 1, 3).len(), 1329);
        let l = laurent(2, 1);
        assert_eq!(l, vec![vec![0, 1], vec![1, 0], vec![0, -1], vec![-1, 0]]);
        for (n, d) in [(2, 3), (3, 2), (4, 3)] {
            assert_eq!(laurent(n, d).len() as u64, count_laurent(n, d));
        }
        assert_eq!(polynomial(3, 0, 0), vec![vec![0, 0, 0]]);
    }
}
