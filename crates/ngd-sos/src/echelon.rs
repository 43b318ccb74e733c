//! Exact solution of a sparse linear system over Q, for rounding: forward elimination to an
//! echelon form once, then, for any values of the free unknowns, the pivot unknowns by back
//! substitution, so the equations hold exactly.

use crate::program::Equation;
use rug::Rational;
use std::collections::BTreeMap;

/// One pivot row: `var = rhs - sum coeff * other`, the others free or pivots of later rows.
#[derive(Clone, Debug)]
struct PivotRow {
    var: usize,
    others: Vec<(usize, Rational)>,
    rhs: Rational,
}

/// An echelon form of a consistent system.
#[derive(Clone, Debug)]
pub struct Echelon {
    rows: Vec<PivotRow>,
}

/// Why a system has no exact solution within the limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EchelonFailure {
    /// `0 = c` with `c != 0`: the equations contradict each other.
    Inconsistent,
    /// More than the allowed number of non-zero entries appeared while eliminating.
    TooLarge,
}

impl Echelon {
    /// Eliminates `equations`, keeping at most `max_entries` non-zero coefficients at a time.
    pub fn new(equations: &[Equation], max_entries: usize) -> Result<Echelon, EchelonFailure> {
        let mut pending: Vec<(BTreeMap<usize, Rational>, Rational)> = equations
            .iter()
            .map(|e| (e.terms.iter().cloned().collect(), e.rhs.clone()))
            .collect();
        let mut rows = Vec::new();
        while !pending.is_empty() {
            // The sparsest row first keeps fill-in low.
            let k = (0..pending.len())
                .min_by_key(|&k| pending[k].0.len())
                .expect("non-empty");
            let (row, rhs) = pending.swap_remove(k);
            let Some((&var, _)) = row.iter().next() else {
                if rhs != 0 {
                    return Err(EchelonFailure::Inconsistent);
                }
                continue;
            };
            let pivot = row[&var].clone();
            let others: Vec<(usize, Rational)> = row
                .iter()
                .filter(|(v, _)| **v != var)
                .map(|(v, c)| (*v, Rational::from(c / &pivot)))
                .collect();
            let rhs = Rational::from(&rhs / &pivot);
            for (prow, prhs) in pending.iter_mut() {
                let Some(f) = prow.remove(&var) else { continue };
                for (v, c) in &others {
                    let e = prow.entry(*v).or_default();
                    *e -= Rational::from(&f * c);
                    if *e == 0 {
                        prow.remove(v);
                    }
                }
                *prhs -= Rational::from(&f * &rhs);
            }
            let entries: usize = pending.iter().map(|p| p.0.len()).sum();
            if entries > max_entries {
                return Err(EchelonFailure::TooLarge);
            }
            rows.push(PivotRow { var, others, rhs });
        }
        Ok(Echelon { rows })
    }

    /// Overwrites the pivot unknowns of `x` so that every equation holds exactly; the free
    /// unknowns keep their values.
    pub fn complete(&self, x: &mut [Rational]) {
        for row in self.rows.iter().rev() {
            let mut v = row.rhs.clone();
            for (o, c) in &row.others {
                v -= Rational::from(c * &x[*o]);
            }
            x[row.var] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(terms: &[(usize, i64)], rhs: i64) -> Equation {
        Equation {
            monomial: None,
            terms: terms.iter().map(|&(v, c)| (v, Rational::from(c))).collect(),
            rhs: Rational::from(rhs),
        }
    }

    #[test]
    fn completes_any_free_values_to_an_exact_solution() {
        let system = vec![eq(&[(0, 1), (1, 2), (2, 1)], 4), eq(&[(1, 1), (2, -1)], 1)];
        let e = Echelon::new(&system, 1000).unwrap();
        for free in [-3i64, 0, 7] {
            let mut x = vec![Rational::from(free); 3];
            e.complete(&mut x);
            for s in &system {
                let lhs: Rational = s
                    .terms
                    .iter()
                    .map(|(v, c)| Rational::from(c * &x[*v]))
                    .sum();
                assert_eq!(lhs, s.rhs);
            }
        }
    }

    #[test]
    fn contradictions_are_found() {
        let system = vec![eq(&[(0, 1), (1, 1)], 1), eq(&[(0, 2), (1, 2)], 3)];
        assert_eq!(
            Echelon::new(&system, 1000).unwrap_err(),
            EchelonFailure::Inconsistent
        );
    }
}
