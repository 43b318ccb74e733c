//! Exact linear algebra: row echelon forms over prime fields and over Q, nullspaces by
//! back-substitution, rational reconstruction and Chinese remaindering.
//!
//! Everything here is deterministic. The modular routines never decide anything on their
//! own: their output is a *candidate* that the caller verifies exactly over Z.

use rug::ops::RemRounding;
use rug::{Integer, Rational};
use std::collections::BTreeMap;

/// A field with elements of type `E`, with the few operations elimination needs.
pub(crate) trait Field {
    /// Element type.
    type E: Clone;
    fn zero(&self) -> Self::E;
    fn one(&self) -> Self::E;
    fn is_zero(&self, a: &Self::E) -> bool;
    fn of_i64(&self, v: i64) -> Self::E;
    fn inv(&self, a: &Self::E) -> Self::E;
    fn mul_assign(&self, a: &mut Self::E, b: &Self::E);
    /// `a -= b * c`.
    fn sub_mul(&self, a: &mut Self::E, b: &Self::E, c: &Self::E);
}

/// The Mersenne prime `2^61 - 1`.
pub(crate) const M61: u64 = (1u64 << 61) - 1;

/// Arithmetic modulo [`M61`] with the cheap Mersenne reduction.
pub(crate) struct Mersenne61;

#[inline]
fn m61_mul(a: u64, b: u64) -> u64 {
    let z = u128::from(a) * u128::from(b);
    let lo = (z as u64) & M61;
    let hi = (z >> 61) as u64;
    let mut r = lo + hi;
    if r >= M61 {
        r -= M61;
    }
    if r >= M61 {
        r -= M61;
    }
    r
}

fn pow_mod(mut a: u64, mut e: u64, mul: impl Fn(u64, u64) -> u64) -> u64 {
    let mut r = 1u64;
    while e > 0 {
        if e & 1 == 1 {
            r = mul(r, a);
        }
        a = mul(a, a);
        e >>= 1;
    }
    r
}

impl Field for Mersenne61 {
    type E = u64;
    fn zero(&self) -> u64 {
        0
    }
    fn one(&self) -> u64 {
        1
    }
    #[inline]
    fn is_zero(&self, a: &u64) -> bool {
        *a == 0
    }
    fn of_i64(&self, v: i64) -> u64 {
        v.rem_euclid(M61 as i64) as u64
    }
    fn inv(&self, a: &u64) -> u64 {
        pow_mod(*a, M61 - 2, m61_mul)
    }
    #[inline]
    fn mul_assign(&self, a: &mut u64, b: &u64) {
        *a = m61_mul(*a, *b);
    }
    #[inline]
    fn sub_mul(&self, a: &mut u64, b: &u64, c: &u64) {
        let t = m61_mul(*b, *c);
        *a = if *a >= t { *a - t } else { *a + M61 - t };
    }
}

/// Arithmetic modulo an arbitrary prime `p < 2^63` (slower: a 128-bit remainder per product).
pub(crate) struct PrimeField(pub u64);

impl PrimeField {
    #[inline]
    fn mul(&self, a: u64, b: u64) -> u64 {
        ((u128::from(a) * u128::from(b)) % u128::from(self.0)) as u64
    }
}

impl Field for PrimeField {
    type E = u64;
    fn zero(&self) -> u64 {
        0
    }
    fn one(&self) -> u64 {
        1
    }
    #[inline]
    fn is_zero(&self, a: &u64) -> bool {
        *a == 0
    }
    fn of_i64(&self, v: i64) -> u64 {
        i128::from(v).rem_euclid(i128::from(self.0)) as u64
    }
    fn inv(&self, a: &u64) -> u64 {
        pow_mod(*a, self.0 - 2, |x, y| self.mul(x, y))
    }
    fn mul_assign(&self, a: &mut u64, b: &u64) {
        *a = self.mul(*a, *b);
    }
    fn sub_mul(&self, a: &mut u64, b: &u64, c: &u64) {
        let t = self.mul(*b, *c);
        *a = if *a >= t { *a - t } else { *a + self.0 - t };
    }
}

/// The rationals, exactly (`rug::Rational`).
pub(crate) struct QField;

impl Field for QField {
    type E = Rational;
    fn zero(&self) -> Rational {
        Rational::new()
    }
    fn one(&self) -> Rational {
        Rational::from(1)
    }
    fn is_zero(&self, a: &Rational) -> bool {
        a.cmp0() == std::cmp::Ordering::Equal
    }
    fn of_i64(&self, v: i64) -> Rational {
        Rational::from(v)
    }
    fn inv(&self, a: &Rational) -> Rational {
        a.clone().recip()
    }
    fn mul_assign(&self, a: &mut Rational, b: &Rational) {
        *a *= b;
    }
    fn sub_mul(&self, a: &mut Rational, b: &Rational, c: &Rational) {
        let t = Rational::from(b * c);
        *a -= t;
    }
}

/// A row echelon form built one row at a time: every stored row is dense, has its *first*
/// nonzero entry (the pivot) equal to one, and no two rows share a pivot column.
pub(crate) struct Echelon<E> {
    ncols: usize,
    /// The rows, in insertion order.
    pub rows: Vec<Vec<E>>,
    /// The pivot column of each row.
    pub pivots: Vec<usize>,
    pivot_row: Vec<usize>,
    scratch: Vec<E>,
}

const NONE: usize = usize::MAX;

impl<E: Clone> Echelon<E> {
    /// An empty echelon form with `ncols` columns.
    pub fn new<F: Field<E = E>>(f: &F, ncols: usize) -> Self {
        Echelon {
            ncols,
            rows: Vec::new(),
            pivots: Vec::new(),
            pivot_row: vec![NONE; ncols],
            scratch: vec![f.zero(); ncols],
        }
    }

    /// The number of independent rows inserted so far.
    pub fn rank(&self) -> usize {
        self.rows.len()
    }

    /// True when the rows span the whole space.
    pub fn is_full(&self) -> bool {
        self.rows.len() == self.ncols
    }

    /// Reduces the scratch row from column `start` on; returns its leading non-pivot column.
    fn reduce<F: Field<E = E>>(&mut self, f: &F, start: usize) -> Option<usize> {
        let n = self.ncols;
        let scratch = &mut self.scratch;
        let mut c = start;
        while c < n {
            if !f.is_zero(&scratch[c]) {
                let r = self.pivot_row[c];
                if r == NONE {
                    return Some(c);
                }
                let factor = scratch[c].clone();
                let row = &self.rows[r];
                for j in c..n {
                    if !f.is_zero(&row[j]) {
                        f.sub_mul(&mut scratch[j], &factor, &row[j]);
                    }
                }
            }
            c += 1;
        }
        None
    }

    fn push_scratch<F: Field<E = E>>(&mut self, f: &F, lead: usize) {
        let mut row = std::mem::replace(&mut self.scratch, vec![f.zero(); self.ncols]);
        let inv = f.inv(&row[lead]);
        for x in row[lead..].iter_mut() {
            if !f.is_zero(x) {
                f.mul_assign(x, &inv);
            }
        }
        self.pivot_row[lead] = self.rows.len();
        self.pivots.push(lead);
        self.rows.push(row);
    }

    /// Inserts a sparse integer row (`(column, value)`, columns ascending). Returns true when
    /// it was independent of the rows already present.
    pub fn insert_sparse<F: Field<E = E>>(&mut self, f: &F, row: &[(u32, i64)]) -> bool {
        let Some(&(start, _)) = row.first() else {
            return false;
        };
        for &(c, v) in row {
            self.scratch[c as usize] = f.of_i64(v);
        }
        match self.reduce(f, start as usize) {
            Some(lead) => {
                self.push_scratch(f, lead);
                true
            }
            None => false,
        }
    }

    /// Inserts a dense row. Returns true when it was independent.
    pub fn insert_dense<F: Field<E = E>>(&mut self, f: &F, row: &[E]) -> bool {
        assert_eq!(row.len(), self.ncols, "row of the wrong length");
        self.scratch.clone_from_slice(row);
        match self.reduce(f, 0) {
            Some(lead) => {
                self.push_scratch(f, lead);
                true
            }
            None => false,
        }
    }

    /// A basis of the right nullspace `{x : R x = 0}` of the rows: for each free (non-pivot)
    /// column `c`, ascending, the unique solution with `x_c = 1` and `x = 0` on the other free
    /// columns, as sparse `(column, value)` pairs in ascending column order. Its last nonzero
    /// entry is at `c`: this is the reduced echelon basis of the nullspace with respect to the
    /// reversed column order, which does not depend on how the rows were eliminated.
    pub fn nullspace<F: Field<E = E>>(&self, f: &F) -> Vec<(usize, Vec<(usize, E)>)> {
        let n = self.ncols;
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_unstable_by(|&a, &b| self.pivots[b].cmp(&self.pivots[a]));
        let mut out = Vec::new();
        let mut x: Vec<E> = vec![f.zero(); n];
        for c in 0..n {
            if self.pivot_row[c] != NONE {
                continue;
            }
            x[c] = f.one();
            // Rows in decreasing pivot order: x_p = -sum_{j > p} R[j] x_j.
            let mut touched = vec![c];
            for &r in &order {
                let p = self.pivots[r];
                if p > c {
                    continue; // rows with a pivot after c have zeros up to p, and x_j = 0 for j > c
                }
                let row = &self.rows[r];
                let mut s = f.zero();
                for &j in &touched {
                    if j > p && !f.is_zero(&row[j]) {
                        f.sub_mul(&mut s, &row[j], &x[j]);
                    }
                }
                if !f.is_zero(&s) {
                    x[p] = s;
                    touched.push(p);
                }
            }
            let mut v: Vec<(usize, E)> = touched.iter().map(|&j| (j, x[j].clone())).collect();
            v.sort_unstable_by_key(|t| t.0);
            for &j in &touched {
                x[j] = f.zero();
            }
            out.push((c, v));
        }
        out
    }
}

/// A sparse echelon form over Q with a growing set of columns (for spans of vector fields).
#[derive(Default)]
pub(crate) struct SparseSpan {
    rows: Vec<BTreeMap<usize, Rational>>,
    pivot_row: BTreeMap<usize, usize>,
}

impl SparseSpan {
    /// Inserts a vector; returns true when it is linearly independent of the span so far.
    pub fn insert(&mut self, mut v: BTreeMap<usize, Rational>) -> bool {
        v.retain(|_, c| c.cmp0() != std::cmp::Ordering::Equal);
        let mut lower = 0usize;
        loop {
            let Some((&c, _)) = v.range(lower..).next() else {
                return false;
            };
            match self.pivot_row.get(&c) {
                None => {
                    let lead = v[&c].clone().recip();
                    for x in v.values_mut() {
                        *x *= &lead;
                    }
                    self.pivot_row.insert(c, self.rows.len());
                    self.rows.push(v);
                    return true;
                }
                Some(&r) => {
                    let factor = v[&c].clone();
                    for (j, a) in &self.rows[r] {
                        let t = Rational::from(a * &factor);
                        let e = v.entry(*j).or_default();
                        *e -= t;
                        if e.cmp0() == std::cmp::Ordering::Equal {
                            v.remove(j);
                        }
                    }
                    lower = c + 1;
                }
            }
        }
    }
}

/// The exact rank over Q of a dense rational matrix given by rows.
pub(crate) fn rank_q(rows: &[Vec<Rational>], ncols: usize) -> usize {
    let mut e = Echelon::new(&QField, ncols);
    for r in rows {
        if e.is_full() {
            break;
        }
        e.insert_dense(&QField, r);
    }
    e.rank()
}

/// Rational reconstruction: the fraction `r/s` with `r = s a mod m`, `|r|, s <= sqrt(m/2)`,
/// if one exists (it is then unique).
pub(crate) fn rational_reconstruct(a: &Integer, m: &Integer) -> Option<Rational> {
    let bound = Integer::from(m >> 1).sqrt();
    let (mut r0, mut r1) = (m.clone(), a.clone().rem_euc(m));
    let (mut t0, mut t1) = (Integer::new(), Integer::from(1));
    while r1 > bound {
        let (q, r) = r0.div_rem_floor_ref(&r1).into();
        let q: Integer = q;
        r0 = std::mem::replace(&mut r1, r);
        let t2 = &t0 - Integer::from(&q * &t1);
        t0 = std::mem::replace(&mut t1, t2);
    }
    if t1 == 0 || Integer::from(t1.abs_ref()) > bound {
        return None;
    }
    if Integer::from(r1.gcd_ref(&t1)) != 1 {
        return None;
    }
    Some(Rational::from((r1, t1)))
}

/// Chinese remaindering: the `x mod m*p` with `x = a mod m` and `x = b mod p` (`gcd(m,p) = 1`).
pub(crate) fn crt(a: &Integer, m: &Integer, b: u64, p: u64) -> Integer {
    // x = a + m * ((b - a) * m^-1 mod p)
    let pz = Integer::from(p);
    let m_mod_p = m.clone().rem_euc(&pz);
    let inv = m_mod_p.invert(&pz).expect("moduli are coprime");
    let diff = (Integer::from(b) - a).rem_euc(&pz);
    let k = (diff * inv).rem_euc(&pz);
    a.clone() + Integer::from(m * &k)
}

/// Scales rationals to coprime integers with a positive last entry (the leading term in the
/// reversed column order). Returns `None` for the zero vector.
pub(crate) fn primitive(v: &[(usize, Rational)]) -> Option<Vec<(usize, Integer)>> {
    let last = v.iter().rev().find(|t| t.1 != 0)?;
    let mut den = Integer::from(1);
    for (_, q) in v {
        den.lcm_mut(q.denom());
    }
    let mut ints: Vec<(usize, Integer)> = v
        .iter()
        .filter(|t| t.1 != 0)
        .map(|(j, q)| (*j, Integer::from(&den / q.denom()) * q.numer()))
        .collect();
    let mut g = Integer::new();
    for (_, a) in &ints {
        g.gcd_mut(a);
    }
    if last.1 < 0 {
        g = -g;
    }
    for (_, a) in ints.iter_mut() {
        *a /= &g;
    }
    Some(ints)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m61_arithmetic() {
        let f = Mersenne61;
        let a = f.of_i64(-5);
        assert_eq!(a, M61 - 5);
        let inv = f.inv(&a);
        let mut p = a;
        f.mul_assign(&mut p, &inv);
        assert_eq!(p, 1);
        let mut z = 7u64;
        f.sub_mul(&mut z, &3, &2);
        assert_eq!(z, 1);
        let mut z = 1u64;
        f.sub_mul(&mut z, &3, &2);
        assert_eq!(z, M61 - 5);
        assert_eq!(m61_mul(M61 - 1, M61 - 1), 1);
    }

    #[test]
    fn reconstruct_and_crt() {
        let m = Integer::from(M61);
        let q = Rational::from((-3, 7));
        let inv7 = Integer::from(7).invert(&m).unwrap();
        let a = (Integer::from(-3) * inv7).rem_euc(&m);
        assert_eq!(rational_reconstruct(&a, &m), Some(q));
        let p = 1_000_000_007u64;
        let x = crt(&Integer::from(5), &Integer::from(11), 3, p);
        assert_eq!(x.clone().rem_euc(Integer::from(11)), 5);
        assert_eq!(x.clone().rem_euc(Integer::from(p)), 3);
    }

    #[test]
    fn nullspace_small() {
        // [1 1 0; 0 0 1]: nullspace spanned by (-1, 1, 0)
        let mut e = Echelon::new(&QField, 3);
        assert!(e.insert_sparse(&QField, &[(0, 1), (1, 1)]));
        assert!(e.insert_sparse(&QField, &[(2, 1)]));
        assert!(!e.insert_sparse(&QField, &[(0, 2), (1, 2), (2, 5)]));
        let ns = e.nullspace(&QField);
        assert_eq!(ns.len(), 1);
        assert_eq!(ns[0].0, 1);
        assert_eq!(
            ns[0].1,
            vec![(0, Rational::from(-1)), (1, Rational::from(1))]
        );
        let v = primitive(&ns[0].1).unwrap();
        assert_eq!(v, vec![(0, Integer::from(-1)), (1, Integer::from(1))]);
    }
}
