//! The monomial basis of the Gram matrix. For `p = z^T G z` to hold with `G` positive
//! semidefinite, every monomial `m` of `z` has `2m` in the Newton polytope of `p` (Reznick's
//! half-polytope theorem). We keep the monomials that pass an outer approximation of the
//! polytope (its support in a fixed set of directions), then drop, until nothing changes, every
//! `m` whose square `x^(2m)` is not a term of `p` and is not the product of two *other* basis
//! monomials: its diagonal Gram entry would be forced to 0, and a positive semidefinite matrix
//! with a zero diagonal entry has a zero row.

use crate::monomial::{all_up_to, count_up_to, degree, product, Monomial};
use std::collections::{BTreeMap, BTreeSet};

/// Sizes of the basis before and after the reductions (reported with the certificate).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct BasisSizes {
    /// All monomials of half the degree.
    pub full: usize,
    /// After the half Newton polytope (outer approximation).
    pub newton: usize,
    /// After dropping forced-zero diagonal entries.
    pub reduced: usize,
}

/// Largest number of candidate monomials enumerated for a basis; a larger one is refused
/// before it is built (it would not fit the SDP anyway).
pub const MAX_CANDIDATES: u64 = 200_000;

/// The largest basis kept by the Newton polytope that is reduced further: dropping forced
/// zeros compares every pair (`(x + y + z)^200` keeps 176 851 monomials, 1.5 * 10^10 pairs),
/// and a Gram matrix of this order is far beyond any SDP the search runs anyway.
pub const MAX_NEWTON: usize = 2_000;

/// The reduced basis for writing `support`'s polynomial as one Gram form, with the sizes;
/// `None` when the candidates (monomials of half the degree in the variables that occur)
/// exceed [`MAX_CANDIDATES`], or the half Newton polytope keeps more than [`MAX_NEWTON`].
pub fn newton_basis(n: usize, support: &[Monomial]) -> Option<(Vec<Monomial>, BasisSizes)> {
    let half = support.iter().map(|e| degree(e)).max().unwrap_or(0) / 2;
    // A variable absent from every term has exponent 0 in every basis monomial.
    let active: Vec<usize> = (0..n)
        .filter(|&i| support.iter().any(|e| e[i] > 0))
        .collect();
    if count_up_to(active.len(), half) > MAX_CANDIDATES {
        return None;
    }
    let full: Vec<Monomial> = all_up_to(active.len(), half)
        .into_iter()
        .map(|m| {
            let mut e = vec![0; n];
            for (k, &i) in active.iter().enumerate() {
                e[i] = m[k];
            }
            e
        })
        .collect();
    let directions = directions(n);
    let bounds: Vec<i64> = directions
        .iter()
        .map(|w| support.iter().map(|e| dot(w, e)).max().unwrap_or(0))
        .collect();
    let low_bounds: Vec<i64> = directions
        .iter()
        .map(|w| support.iter().map(|e| dot(w, e)).min().unwrap_or(0))
        .collect();
    let newton: Vec<Monomial> = full
        .iter()
        .filter(|m| {
            directions
                .iter()
                .zip(bounds.iter().zip(&low_bounds))
                .all(|(w, (&hi, &lo))| {
                    let v = 2 * dot(w, m);
                    lo <= v && v <= hi
                })
        })
        .cloned()
        .collect();
    if newton.len() > MAX_NEWTON {
        return None;
    }
    let terms: BTreeSet<Monomial> = support.iter().cloned().collect();
    let reduced = drop_forced_zeros(newton.clone(), &terms);
    let sizes = BasisSizes {
        full: full.len(),
        newton: newton.len(),
        reduced: reduced.len(),
    };
    Some((reduced, sizes))
}

/// The directions of the outer approximation: `±e_i`, `±(1, ..., 1)`, `e_i ± e_j`.
fn directions(n: usize) -> Vec<Vec<i64>> {
    let unit = |i: usize, s: i64| {
        let mut w = vec![0; n];
        w[i] = s;
        w
    };
    let mut out = Vec::new();
    for i in 0..n {
        out.push(unit(i, 1));
        for j in i + 1..n {
            for s in [1, -1] {
                let mut w = unit(i, 1);
                w[j] = s;
                out.push(w);
            }
        }
    }
    out.push(vec![1; n]);
    out
}

fn dot(w: &[i64], m: &[u32]) -> i64 {
    w.iter().zip(m).map(|(a, &b)| a * i64::from(b)).sum()
}

/// Drops, until nothing changes, the monomials whose diagonal Gram entry is forced to zero.
fn drop_forced_zeros(mut basis: Vec<Monomial>, terms: &BTreeSet<Monomial>) -> Vec<Monomial> {
    loop {
        let mut cross: BTreeMap<Monomial, usize> = BTreeMap::new();
        for i in 0..basis.len() {
            for j in i + 1..basis.len() {
                *cross.entry(product(&basis[i], &basis[j])).or_default() += 1;
            }
        }
        let before = basis.len();
        basis.retain(|m| {
            let square = product(m, m);
            terms.contains(&square) || cross.contains_key(&square)
        });
        if basis.len() == before {
            return basis;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basis_of_a_binary_form_is_its_half_degree_monomials() {
        // x^4 + y^4: z = (x^2, xy, y^2); xy survives because x^2 * y^2 = (xy)^2.
        let (basis, sizes) = newton_basis(2, &[vec![4, 0], vec![0, 4]]).unwrap();
        assert_eq!(basis.len(), 3);
        assert_eq!(sizes.full, 6);
        assert!(basis.iter().all(|m| degree(m) == 2));
    }

    #[test]
    fn absent_variables_stay_out_and_huge_bases_are_refused() {
        // x^2 in 256 variables: the basis is {1, x} whatever the number of variables.
        let mut e = vec![0; 256];
        e[3] = 2;
        let (basis, _) = newton_basis(256, &[e.clone(), vec![0; 256]]).unwrap();
        assert_eq!(basis.len(), 2);
        // Degree 40 in 40 variables: about 10^11 candidates, refused before enumeration.
        let support = vec![vec![40; 40]];
        assert!(newton_basis(40, &support).is_none());
        // (x + y + z)^200: 176 851 candidates (under MAX_CANDIDATES), all kept by the Newton
        // polytope: refused before the pairwise reduction.
        let support: Vec<Monomial> = (0..=200u32)
            .flat_map(|a| (0..=200 - a).map(move |b| vec![a, b, 200 - a - b]))
            .collect();
        assert!(newton_basis(3, &support).is_none());
    }

    #[test]
    fn motzkin_keeps_no_monomial_that_could_only_appear_squared() {
        // x^4 y^2 + x^2 y^4 - 3 x^2 y^2 + 1: the classical basis is {1, x y, x^2 y, x y^2}.
        let support = vec![vec![4, 2], vec![2, 4], vec![2, 2], vec![0, 0]];
        let (basis, _) = newton_basis(2, &support).unwrap();
        let mut got = basis.clone();
        got.sort();
        assert_eq!(got, vec![vec![0, 0], vec![1, 1], vec![1, 2], vec![2, 1]]);
    }
}
