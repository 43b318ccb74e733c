//! The linear part of an SOS program: `p = z^T G z + sum_i lambda_i g_i`, one equation per
//! monomial, over the unknown upper-triangular Gram entries and multiplier coefficients.

use crate::monomial::{pairs_by_product, product, Monomial};
use ngd_algebra::Poly;
use rug::Rational;
use std::collections::BTreeMap;

/// One linear equation `sum coeff * var = rhs` (sparse, exact).
#[derive(Clone, Debug)]
pub struct Equation {
    /// The monomial whose coefficient it matches (`None` for other constraints).
    pub monomial: Option<Monomial>,
    /// `(variable, coefficient)`, no zero coefficient, no repeated variable.
    pub terms: Vec<(usize, Rational)>,
    /// The right-hand side.
    pub rhs: Rational,
}

/// The unknowns and equations of one SOS program.
#[derive(Clone, Debug)]
pub struct GramProgram {
    /// Number of polynomial variables.
    pub n: usize,
    /// The monomial vector `z`.
    pub basis: Vec<Monomial>,
    /// Variable `k < pairs.len()` is the Gram entry `G[i][j]`, `i <= j`, in Clarabel's order
    /// (upper triangle stacked by columns).
    pub pairs: Vec<(usize, usize)>,
    /// Variable `pairs.len() + k` is the coefficient of `x^m` in `lambda_i`, as `(i, m)`.
    pub multipliers: Vec<(usize, Monomial)>,
    /// One equation per monomial of `z^T G z`, of `p` or of a `lambda_i g_i`.
    pub equations: Vec<Equation>,
}

impl GramProgram {
    /// The program for `target = z^T G z + sum_i lambda_i equalities[i]`, with each
    /// `lambda_i` ranging over the given monomials.
    pub fn new(
        n: usize,
        basis: Vec<Monomial>,
        target: &[(Monomial, Rational)],
        equalities: &[Vec<(Monomial, Rational)>],
        multiplier_monomials: &[Vec<Monomial>],
    ) -> GramProgram {
        let pairs = column_pairs(basis.len());
        let index: BTreeMap<(usize, usize), usize> =
            pairs.iter().enumerate().map(|(k, &p)| (p, k)).collect();
        let mut rows: BTreeMap<Monomial, Vec<(usize, Rational)>> = BTreeMap::new();
        for (c, list) in pairs_by_product(&basis) {
            let row = rows.entry(c).or_default();
            for (i, j) in list {
                let weight = if i == j { 1 } else { 2 };
                row.push((index[&(i, j)], Rational::from(weight)));
            }
        }
        let mut multipliers = Vec::new();
        for (i, monomials) in multiplier_monomials.iter().enumerate() {
            for m in monomials {
                let var = pairs.len() + multipliers.len();
                multipliers.push((i, m.clone()));
                for (e, c) in &equalities[i] {
                    rows.entry(product(m, e))
                        .or_default()
                        .push((var, c.clone()));
                }
            }
        }
        let mut rhs: BTreeMap<Monomial, Rational> = target.iter().cloned().collect();
        let mut equations: Vec<Equation> = rows
            .into_iter()
            .map(|(c, terms)| Equation {
                rhs: rhs.remove(&c).unwrap_or_default(),
                monomial: Some(c),
                terms: merge_terms(terms),
            })
            .collect();
        // Terms of the target no unknown can produce: kept, so the program is infeasible.
        equations.extend(rhs.into_iter().map(|(c, r)| Equation {
            monomial: Some(c),
            terms: Vec::new(),
            rhs: r,
        }));
        GramProgram {
            n,
            basis,
            pairs,
            multipliers,
            equations,
        }
    }

    /// Total number of unknowns.
    pub fn n_unknowns(&self) -> usize {
        self.pairs.len() + self.multipliers.len()
    }
}

/// `(i, j)`, `i <= j < n`, upper triangle stacked by columns.
fn column_pairs(n: usize) -> Vec<(usize, usize)> {
    (0..n).flat_map(|j| (0..=j).map(move |i| (i, j))).collect()
}

/// Adds the coefficients of repeated variables, drops zeros, sorts by variable.
fn merge_terms(mut terms: Vec<(usize, Rational)>) -> Vec<(usize, Rational)> {
    terms.sort_by_key(|t| t.0);
    let mut out: Vec<(usize, Rational)> = Vec::with_capacity(terms.len());
    for (v, c) in terms {
        match out.last_mut() {
            Some(last) if last.0 == v => last.1 += c,
            _ => out.push((v, c)),
        }
    }
    out.retain(|t| t.1 != 0);
    out
}

/// The terms of a polynomial with non-negative exponents (`None` if some exponent is
/// negative: a Laurent polynomial has no Gram form).
pub fn terms_of(p: &Poly) -> Option<Vec<(Monomial, Rational)>> {
    p.terms()
        .map(|(e, c)| {
            let m: Option<Monomial> = e.iter().map(|&x| u32::try_from(x).ok()).collect();
            m.map(|m| (m, c.clone()))
        })
        .collect()
}
