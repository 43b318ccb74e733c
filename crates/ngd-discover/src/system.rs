//! Sparse integer linear systems `A c = 0` and their exact nullspaces.
//!
//! The columns are the unknown coefficients of an ansatz, the rows the coefficients of the
//! identity to be cancelled (one row per field and monomial). [`solve`] splits the system
//! into its connected blocks (columns that share no row never interact), eliminates each
//! block modulo the prime `2^61 - 1` to find the pivots and a candidate nullspace, lifts the
//! candidate to Q by rational reconstruction and *verifies it exactly over Z*. A verified
//! candidate is the exact answer: its vectors lie in the nullspace, are independent (the
//! identity on the free columns) and there are `nullity mod p >= nullity over Q` of them. A
//! candidate that fails is recomputed with more primes (Chinese remaindering) and, as a last
//! resort, by exact elimination over Q.

use crate::linalg::{
    crt, primitive, rational_reconstruct, Echelon, Field, Mersenne61, PrimeField, QField, M61,
};
use crate::report::BlockMethods;
use rug::{Integer, Rational};
use rustc_hash::FxHashMap;

/// A sparse integer matrix stored by columns.
pub(crate) struct System {
    /// Per column: `(row, value)` with rows ascending and no zero value.
    pub cols: Vec<Vec<(u32, i64)>>,
    /// Number of row ids allocated (some may have no entry left after cancellation).
    pub n_row_ids: usize,
    /// Set when an entry did not fit in 64 bits; the system is then unusable.
    pub overflow: bool,
}

/// Builds a [`System`] column by column; rows are identified by an integer key vector
/// (field index followed by a monomial's exponents).
pub(crate) struct Builder {
    index: FxHashMap<Box<[i32]>, u32>,
    /// The key of the row the next [`Builder::push`] goes to.
    pub key: Vec<i32>,
    cols: Vec<Vec<(u32, i64)>>,
    cur: Vec<(u32, i64)>,
    overflow: bool,
}

impl Builder {
    /// A builder whose row keys have `key_len` entries.
    pub fn new(key_len: usize) -> Builder {
        Builder {
            index: FxHashMap::default(),
            key: vec![0; key_len],
            cols: Vec::new(),
            cur: Vec::new(),
            overflow: false,
        }
    }

    /// Adds `value` at the row with the current [`Builder::key`] in the current column.
    #[inline]
    pub fn push(&mut self, value: i64) {
        let r = match self.index.get(&self.key[..]) {
            Some(&r) => r,
            None => {
                let r = u32::try_from(self.index.len()).expect("fewer than 2^32 rows");
                self.index.insert(self.key.clone().into_boxed_slice(), r);
                r
            }
        };
        self.cur.push((r, value));
    }

    /// Records an overflow (an entry that does not fit in 64 bits).
    pub fn set_overflow(&mut self) {
        self.overflow = true;
    }

    /// Closes the current column.
    pub fn end_column(&mut self) {
        self.cur.sort_unstable_by_key(|t| t.0);
        let mut col: Vec<(u32, i64)> = Vec::with_capacity(self.cur.len());
        for &(r, v) in &self.cur {
            match col.last_mut() {
                Some(last) if last.0 == r => match last.1.checked_add(v) {
                    Some(s) => last.1 = s,
                    None => self.overflow = true,
                },
                _ => col.push((r, v)),
            }
        }
        col.retain(|t| t.1 != 0);
        self.cur.clear();
        self.cols.push(col);
    }

    /// The finished system.
    pub fn finish(self) -> System {
        System {
            n_row_ids: self.index.len(),
            cols: self.cols,
            overflow: self.overflow,
        }
    }
}

/// Size and method figures of one solve.
#[derive(Clone, Debug, Default)]
pub(crate) struct SolveStats {
    pub unknowns: usize,
    pub equations: usize,
    pub blocks: usize,
    pub largest_block: (usize, usize),
    pub rank: usize,
    pub nullity: usize,
    /// Blocks settled by one prime, by several primes, by exact elimination over Q.
    pub by_method: [usize; 3],
}

impl SolveStats {
    /// How many blocks each elimination method solved.
    pub fn methods(&self) -> BlockMethods {
        let [one_prime, several_primes, exact_over_q] = self.by_method;
        BlockMethods {
            one_prime,
            several_primes,
            exact_over_q,
        }
    }
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] as usize != x {
            let p = self.0[x] as usize;
            self.0[x] = self.0[p];
            x = p;
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo as u32;
        }
    }
}

/// The exact nullspace of `system` as primitive integer vectors `(column, value)` (columns
/// ascending, last entry positive), sorted by their last column. This is the reduced echelon
/// basis with respect to the reversed column order: unique, whatever the elimination did.
pub(crate) fn solve(system: &System) -> (Vec<Vec<(usize, Integer)>>, SolveStats) {
    let ncols = system.cols.len();
    let mut stats = SolveStats {
        unknowns: ncols,
        ..SolveStats::default()
    };
    let mut row_used = vec![false; system.n_row_ids];
    let mut first_col = vec![u32::MAX; system.n_row_ids];
    let mut uf = UnionFind((0..ncols as u32).collect());
    for (j, col) in system.cols.iter().enumerate() {
        for &(r, _) in col {
            let r = r as usize;
            row_used[r] = true;
            if first_col[r] == u32::MAX {
                first_col[r] = j as u32;
            } else {
                uf.union(j, first_col[r] as usize);
            }
        }
    }
    stats.equations = row_used.iter().filter(|&&u| u).count();
    // Blocks in order of their smallest column.
    let mut block_of_root = vec![u32::MAX; ncols];
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    for j in 0..ncols {
        let r = uf.find(j);
        if block_of_root[r] == u32::MAX {
            block_of_root[r] = blocks.len() as u32;
            blocks.push(Vec::new());
        }
        blocks[block_of_root[r] as usize].push(j);
    }
    stats.blocks = blocks.len();

    let mut basis: Vec<Vec<(usize, Integer)>> = Vec::new();
    let mut local = vec![u32::MAX; ncols];
    let mut row_entries: Vec<Vec<(u32, i64)>> = vec![Vec::new(); system.n_row_ids];
    for block in &blocks {
        // Gather the rows of the block with local column indices (ascending).
        let mut rows: Vec<u32> = Vec::new();
        for (l, &j) in block.iter().enumerate() {
            local[j] = l as u32;
            for &(r, v) in &system.cols[j] {
                let e = &mut row_entries[r as usize];
                if e.is_empty() {
                    rows.push(r);
                }
                e.push((l as u32, v));
            }
        }
        let block_rows: Vec<Vec<(u32, i64)>> = rows
            .iter()
            .map(|&r| std::mem::take(&mut row_entries[r as usize]))
            .collect();
        if block.len() * block_rows.len() > stats.largest_block.0 * stats.largest_block.1 {
            stats.largest_block = (block_rows.len(), block.len());
        }
        let (vecs, method) = block_nullspace(system, block, &block_rows);
        stats.rank += block.len() - vecs.len();
        if !vecs.is_empty() {
            stats.by_method[method] += 1;
        }
        basis.extend(vecs);
        for &j in block {
            local[j] = u32::MAX;
        }
    }
    stats.nullity = basis.len();
    basis.sort_by_key(|v| v.last().map_or(0, |t| t.0));
    (basis, stats)
}

/// The nullspace of one block (global column ids) and the method index used.
fn block_nullspace(
    system: &System,
    block: &[usize],
    rows: &[Vec<(u32, i64)>],
) -> (Vec<Vec<(usize, Integer)>>, usize) {
    if rows.is_empty() {
        // Columns that meet no equation: each is a nullspace vector on its own.
        let v = block.iter().map(|&j| vec![(j, Integer::from(1))]).collect();
        return (v, 0);
    }
    let Some((residues, rank)) = mod_nullspace(&Mersenne61, block.len(), rows) else {
        return (Vec::new(), 0); // full rank: trivial nullspace
    };
    let m = Integer::from(M61);
    if let Some(v) = lift_and_verify(system, block, &residues, &m) {
        return (v, 0);
    }
    if let Some(v) = several_primes(system, block, rows, residues, m, rank) {
        return (v, 1);
    }
    (exact_nullspace(block, rows), 2)
}

/// Residue vectors `(pivot-free column, entries)` with integer entries.
type Residues = Vec<(usize, Vec<(usize, Integer)>)>;

/// The rows eliminated over the field `f` (stopping once the rank is full).
fn eliminate<F: Field>(f: &F, nc: usize, rows: &[Vec<(u32, i64)>]) -> Echelon<F::E> {
    let mut e = Echelon::new(f, nc);
    for r in rows {
        if e.is_full() {
            break;
        }
        e.insert_sparse(f, r);
    }
    e
}

/// The nullspace modulo the prime of `f` with its rank; `None` when the rank is full (then
/// the nullspace over Q is trivial too).
fn mod_nullspace<F: Field<E = u64>>(
    f: &F,
    nc: usize,
    rows: &[Vec<(u32, i64)>],
) -> Option<(Residues, usize)> {
    let e = eliminate(f, nc, rows);
    (!e.is_full()).then(|| (to_residues(e.nullspace(f)), e.rank()))
}

fn to_residues(ns: Vec<(usize, Vec<(usize, u64)>)>) -> Residues {
    ns.into_iter()
        .map(|(c, v)| {
            (
                c,
                v.into_iter().map(|(j, x)| (j, Integer::from(x))).collect(),
            )
        })
        .collect()
}

/// Up to 8 more primes above `2^62`, combined by Chinese remaindering (only primes with
/// the largest rank are kept), until a lift verifies exactly; `None` if none does.
fn several_primes(
    system: &System,
    block: &[usize],
    rows: &[Vec<(u32, i64)>],
    residues: Residues,
    m61: Integer,
    rank: usize,
) -> Option<Vec<Vec<(usize, Integer)>>> {
    let nc = block.len();
    let mut modulus = m61;
    let mut acc = residues;
    let mut best_rank = rank;
    let mut p = Integer::from(1u64 << 62);
    for _ in 0..8 {
        p.next_prime_mut();
        let pu = p.to_u64().expect("prime below 2^63");
        let pf = PrimeField(pu);
        let ep = eliminate(&pf, nc, rows);
        if ep.rank() < best_rank {
            continue; // this prime lost rank: useless
        }
        let nsp = ep.nullspace(&pf);
        if ep.rank() > best_rank {
            best_rank = ep.rank();
            modulus = Integer::from(pu);
            acc = to_residues(nsp);
        } else {
            if nsp.iter().map(|t| t.0).ne(acc.iter().map(|t| t.0)) {
                continue; // different pivots at equal rank: cannot combine
            }
            combine(&mut acc, nsp, &modulus, pu);
            modulus *= pu;
        }
        if let Some(v) = lift_and_verify(system, block, &acc, &modulus) {
            return Some(v);
        }
    }
    None
}

/// Chinese remaindering of each residue vector (modulo `modulus`) with the same vector
/// modulo `pu`, over the union of the supports (missing entries are zero).
fn combine(acc: &mut Residues, nsp: Vec<(usize, Vec<(usize, u64)>)>, modulus: &Integer, pu: u64) {
    for ((_, va), (_, vp)) in acc.iter_mut().zip(nsp) {
        let mut dense: std::collections::BTreeMap<usize, (Integer, u64)> =
            std::collections::BTreeMap::new();
        for (j, x) in va.drain(..) {
            dense.entry(j).or_insert((Integer::new(), 0)).0 = x;
        }
        for (j, x) in vp {
            dense.entry(j).or_insert((Integer::new(), 0)).1 = x;
        }
        *va = dense
            .into_iter()
            .map(|(j, (a, b))| (j, crt(&a, modulus, b, pu)))
            .collect();
    }
}

/// The nullspace by exact elimination over Q, as primitive integer vectors in the global
/// column indices.
fn exact_nullspace(block: &[usize], rows: &[Vec<(u32, i64)>]) -> Vec<Vec<(usize, Integer)>> {
    let q = QField;
    eliminate(&q, block.len(), rows)
        .nullspace(&q)
        .into_iter()
        .filter_map(|(_, v)| {
            let global: Vec<(usize, Rational)> =
                v.into_iter().map(|(j, x)| (block[j], x)).collect();
            primitive(&global)
        })
        .collect()
}

/// Lifts modular nullspace vectors (local columns) to primitive integer vectors (global
/// columns) and checks `A v = 0` exactly. `None` when a reconstruction or a check fails.
fn lift_and_verify(
    system: &System,
    block: &[usize],
    residues: &[(usize, Vec<(usize, Integer)>)],
    modulus: &Integer,
) -> Option<Vec<Vec<(usize, Integer)>>> {
    let mut out = Vec::with_capacity(residues.len());
    let mut acc: FxHashMap<u32, Integer> = FxHashMap::default();
    for (_, v) in residues {
        let mut q: Vec<(usize, Rational)> = Vec::with_capacity(v.len());
        for (j, a) in v {
            if *a == 0 {
                continue;
            }
            q.push((block[*j], rational_reconstruct(a, modulus)?));
        }
        let ints = primitive(&q)?;
        acc.clear();
        for (j, c) in &ints {
            for &(r, a) in &system.cols[*j] {
                *acc.entry(r).or_default() += Integer::from(c * a);
            }
        }
        if acc.values().any(|s| *s != 0) {
            return None;
        }
        out.push(ints);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn system_from_dense(a: &[Vec<i64>]) -> System {
        let ncols = a.first().map_or(0, |r| r.len());
        let mut b = Builder::new(1);
        for j in 0..ncols {
            for (i, row) in a.iter().enumerate() {
                if row[j] != 0 {
                    b.key[0] = i as i32;
                    b.push(row[j]);
                }
            }
            b.end_column();
        }
        b.finish()
    }

    fn exact_nullspace(a: &[Vec<i64>]) -> Vec<Vec<(usize, Integer)>> {
        let ncols = a.first().map_or(0, |r| r.len());
        let mut e = Echelon::new(&QField, ncols);
        for row in a {
            let sparse: Vec<(u32, i64)> = row
                .iter()
                .enumerate()
                .filter(|t| *t.1 != 0)
                .map(|(j, &v)| (j as u32, v))
                .collect();
            e.insert_sparse(&QField, &sparse);
        }
        let mut v: Vec<_> = e
            .nullspace(&QField)
            .into_iter()
            .filter_map(|(_, v)| primitive(&v))
            .collect();
        v.sort_by_key(|v| v.last().map_or(0, |t| t.0));
        v
    }

    #[test]
    fn large_entries_need_several_primes() {
        // Nullspace vector with entries beyond the single-prime reconstruction bound.
        let big: i64 = (1 << 40) + 15;
        let a = vec![vec![big, -(big - 2), 0], vec![0, 0, 1]];
        let s = system_from_dense(&a);
        let (v, stats) = solve(&s);
        assert_eq!(v, exact_nullspace(&a));
        assert_eq!(stats.nullity, 1);
        assert_eq!(stats.by_method, [0, 1, 0]);
    }

    proptest! {
        #[test]
        fn modular_matches_exact(rows in 1usize..7, cols in 1usize..9,
                                 entries in proptest::collection::vec(-3i64..4, 63)) {
            let a: Vec<Vec<i64>> = (0..rows)
                .map(|i| (0..cols).map(|j| {
                    let v = entries[(i * cols + j) % entries.len()];
                    if (i + 2 * j) % 3 == 0 { 0 } else { v }
                }).collect())
                .collect();
            let s = system_from_dense(&a);
            let (v, stats) = solve(&s);
            prop_assert_eq!(&v, &exact_nullspace(&a));
            prop_assert_eq!(stats.rank + stats.nullity, cols);
        }
    }
}
