//! Conservation laws in matrix form: when the variables are matrices (`X[2,2]`, `Y[2,2]`),
//! the laws found component by component are often the entries of `X^T X - Y^T Y` (or of
//! `X X^T - Y Y^T`). Each candidate matrix is expanded entry by entry into exact monomials and
//! compared with every proved polynomial law exactly (equal up to a nonzero rational factor),
//! so a family is printed once in matrix form only when every entry of the matrix is one of
//! the laws.

use ngd_discover::ConservedQuantity;
use rug::Rational;
use std::collections::BTreeMap;

use super::tex_expr::tex_head;

/// A polynomial as exponent vector -> coefficient (exact; no zero coefficients).
type Monomials = BTreeMap<Vec<i32>, Rational>;

/// The scalar variable of each entry `(i, j)` (1-based) of one matrix variable.
type EntryVars = BTreeMap<(usize, usize), usize>;

/// A matrix variable: its name, shape and the scalar variable of each entry (row major).
struct MatrixVar {
    name: String,
    rows: usize,
    cols: usize,
    entries: Vec<usize>,
}

impl MatrixVar {
    fn at(&self, i: usize, j: usize) -> usize {
        self.entries[i * self.cols + j]
    }
}

/// A family of laws recognised as the entries of one symmetric matrix expression.
pub(crate) struct MatrixLaw {
    /// The matrix in LaTeX, e.g. `X^\top X - Y^\top Y`.
    pub tex: String,
    /// The side of the square matrix.
    pub size: usize,
    /// Symmetric (the entries on and above the diagonal are the laws) or antisymmetric (the
    /// entries above it).
    pub symmetric: bool,
    /// The entries on and above the diagonal, row major, each with the law it is.
    pub entries: Vec<EntryLaw>,
}

/// One entry `(row, col)` of a [`MatrixLaw`] (0-based, `row <= col`): law `law` of the list
/// given to [`matrix_laws`] equals `ratio` times it.
pub(crate) struct EntryLaw {
    pub row: usize,
    pub col: usize,
    pub law: usize,
    pub ratio: Rational,
}

/// The matrix variables among the scalar `names` (`X[i,j]`, 1-based), complete ones only, in
/// order of first appearance.
fn matrix_vars(names: &[String]) -> Vec<MatrixVar> {
    let mut found: Vec<(String, EntryVars)> = Vec::new();
    for (v, name) in names.iter().enumerate() {
        let Some((head, i, j)) = parse_entry(name) else {
            continue;
        };
        match found.iter_mut().find(|(h, _)| *h == head) {
            Some((_, m)) => {
                m.insert((i, j), v);
            }
            None => found.push((head, BTreeMap::from([((i, j), v)]))),
        }
    }
    found
        .into_iter()
        .filter_map(|(name, m)| {
            let rows = m.keys().map(|k| k.0).max()?;
            let cols = m.keys().map(|k| k.1).max()?;
            let entries: Option<Vec<usize>> = (1..=rows)
                .flat_map(|i| (1..=cols).map(move |j| (i, j)))
                .map(|k| m.get(&k).copied())
                .collect();
            Some(MatrixVar {
                name,
                rows,
                cols,
                entries: entries?,
            })
        })
        .collect()
}

/// `X[2,1]` -> (`X`, 2, 1), a vector entry `u[2]` -> (`u`, 2, 1) (vectors are columns);
/// `None` for a name that is not an entry with 1-based indices.
fn parse_entry(name: &str) -> Option<(String, usize, usize)> {
    let (head, rest) = name.split_once('[')?;
    let index = rest.strip_suffix(']')?;
    let (i, j) = index.split_once(',').unwrap_or((index, "1"));
    let (i, j) = (i.trim().parse().ok()?, j.trim().parse().ok()?);
    (i >= 1 && j >= 1 && !head.is_empty()).then(|| (head.to_string(), i, j))
}

/// Adds `sign * x_a * x_b` to `p`.
fn add_product(p: &mut Monomials, n: usize, a: usize, b: usize, sign: i32) {
    let mut e = vec![0; n];
    e[a] += 1;
    e[b] += 1;
    let c = p.entry(e.clone()).or_insert_with(|| Rational::from(0));
    *c += sign;
    if *c == 0 {
        p.remove(&e);
    }
}

/// A product of two matrix variables: `A B^T` (`rows`: entry `(k, l)` sums `A[k,i] B[l,i]`)
/// or `A^T B` (sums `A[i,k] B[i,l]`).
#[derive(Clone, Copy)]
struct Product<'a> {
    a: &'a MatrixVar,
    b: &'a MatrixVar,
    rows: bool,
}

impl Product<'_> {
    /// The side of the square result.
    fn size(&self) -> usize {
        if self.rows {
            self.a.rows
        } else {
            self.a.cols
        }
    }

    /// Adds `sign` times entry `(k, l)` to `p`.
    fn add_entry(&self, p: &mut Monomials, n: usize, (k, l): (usize, usize), sign: i32) {
        let inner = if self.rows { self.a.cols } else { self.a.rows };
        for i in 0..inner {
            let (u, v) = if self.rows {
                (self.a.at(k, i), self.b.at(l, i))
            } else {
                (self.a.at(i, k), self.b.at(i, l))
            };
            add_product(p, n, u, v, sign);
        }
    }

    fn tex(&self) -> String {
        let (a, b) = (tex_head(&self.a.name), tex_head(&self.b.name));
        if self.rows {
            format!("{a} {b}^\\top")
        } else {
            format!("{a}^\\top {b}")
        }
    }
}

/// A candidate `P - Q` of two products of the same size: symmetric (`A A^T - B B^T`, the
/// entries on and above the diagonal) or antisymmetric (`A B^T - B A^T`, above it).
struct Candidate<'a> {
    plus: Product<'a>,
    minus: Product<'a>,
    symmetric: bool,
}

impl Candidate<'_> {
    /// The entries the family consists of, as exact monomials in `n` variables.
    fn entries(&self, n: usize) -> Vec<((usize, usize), Monomials)> {
        let size = self.plus.size();
        let first = usize::from(!self.symmetric);
        let mut out = Vec::new();
        for k in 0..size {
            for l in k + first..size {
                let mut p = Monomials::new();
                self.plus.add_entry(&mut p, n, (k, l), 1);
                self.minus.add_entry(&mut p, n, (k, l), -1);
                out.push(((k, l), p));
            }
        }
        out
    }
}

/// The candidates for the matrix variables `a` and `b`: the Gram differences when the shapes
/// allow them, the cross differences when the shapes are equal; square results of side at
/// least 2 only.
fn candidates<'a>(a: &'a MatrixVar, b: &'a MatrixVar) -> Vec<Candidate<'a>> {
    let mut out = Vec::new();
    for rows in [false, true] {
        let (sa, sb) = if rows {
            (a.rows, b.rows)
        } else {
            (a.cols, b.cols)
        };
        if sa != sb || sa < 2 {
            continue;
        }
        let gram = |m| Product { a: m, b: m, rows };
        out.push(Candidate {
            plus: gram(a),
            minus: gram(b),
            symmetric: true,
        });
        if (a.rows, a.cols) == (b.rows, b.cols) {
            out.push(Candidate {
                plus: Product { a, b, rows },
                minus: Product { a: b, b: a, rows },
                symmetric: false,
            });
        }
    }
    out
}

/// The ratio `law / entry` when `law` is a nonzero rational multiple of `entry` (same
/// monomials, one ratio).
fn proportional(law: &ConservedQuantity, entry: &Monomials) -> Option<Rational> {
    if law.exp_form.is_some() || law.poly.len() != entry.len() || entry.is_empty() {
        return None;
    }
    let mut ratio: Option<Rational> = None;
    for (e, c) in law.poly.terms() {
        let d = entry.get(e)?;
        let r = Rational::from(c / d);
        match &ratio {
            None => ratio = Some(r),
            Some(q) if *q == r => {}
            Some(_) => return None,
        }
    }
    ratio
}

/// The matrix families among `laws`: for each pair of matrix variables, the [`candidates`]
/// (`A^T A - B^T B`, `A A^T - B B^T`, `A B^T - B A^T`, `A^T B - B^T A`), kept when every entry
/// of the family is (a multiple of) one of the laws. A law is used by at most one family.
pub(crate) fn matrix_laws(names: &[String], laws: &[&ConservedQuantity]) -> Vec<MatrixLaw> {
    let mats = matrix_vars(names);
    let mut used = vec![false; laws.len()];
    let mut out = Vec::new();
    for (ia, a) in mats.iter().enumerate() {
        for b in mats.iter().skip(ia + 1) {
            for c in candidates(a, b) {
                let Some(matched) = match_all(&c.entries(names.len()), laws, &used) else {
                    continue;
                };
                for e in &matched {
                    used[e.law] = true;
                }
                out.push(MatrixLaw {
                    tex: format!("{} - {}", c.plus.tex(), c.minus.tex()),
                    size: c.plus.size(),
                    symmetric: c.symmetric,
                    entries: matched,
                });
            }
        }
    }
    out
}

/// For every entry, an unused law proportional to it; `None` if some entry has none.
fn match_all(
    entries: &[((usize, usize), Monomials)],
    laws: &[&ConservedQuantity],
    used: &[bool],
) -> Option<Vec<EntryLaw>> {
    entries
        .iter()
        .map(|&((row, col), ref p)| {
            (0..laws.len()).find_map(|law| {
                let ratio = proportional(laws[law], p).filter(|_| !used[law])?;
                Some(EntryLaw {
                    row,
                    col,
                    law,
                    ratio,
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_discover::{discover, DiscoverOptions};
    use ngd_expr::Arena;

    #[test]
    fn parses_matrix_entries() {
        assert_eq!(parse_entry("X[2,1]"), Some(("X".into(), 2, 1)));
        assert_eq!(parse_entry("x[2]"), Some(("x".into(), 2, 1)));
        assert_eq!(parse_entry("x[a]"), None);
        assert_eq!(parse_entry("X[0,1]"), None);
        assert_eq!(parse_entry("x"), None);
    }

    /// `||X Y^T - M||^2` for 2x2 matrices written out: its three laws are the entries of
    /// `X^T X - Y^T Y`; a product of scalars has no matrix family.
    #[test]
    fn recognises_the_gram_difference_of_a_factorization() {
        let names: Vec<String> = ["X", "Y"]
            .iter()
            .flat_map(|m| (1..=2).flat_map(move |i| (1..=2).map(move |j| format!("{m}[{i},{j}]"))))
            .collect();
        let mut a = Arena::new(names.clone());
        let f = "(X[1,1]*Y[1,1] + X[1,2]*Y[1,2] - 2)^2 + (X[1,1]*Y[2,1] + X[1,2]*Y[2,2])^2 \
                 + (X[2,1]*Y[1,1] + X[2,2]*Y[1,2])^2 + (X[2,1]*Y[2,1] + X[2,2]*Y[2,2] - 1)^2";
        let e = ngd_parse::parse_expr(&mut a, f, &ngd_parse::Params::new()).unwrap();
        let opts = DiscoverOptions {
            degree: 2,
            ..DiscoverOptions::default()
        };
        let r = discover(&mut a, e, &opts);
        let laws: Vec<&ConservedQuantity> = r.ansatz.iter().flat_map(|x| &x.basis).collect();
        let found = matrix_laws(&names, &laws);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].tex, "X^\\top X - Y^\\top Y");
        assert_eq!(found[0].entries.len(), 3);
        // Dropping one law breaks the family: no partial matrix is claimed.
        assert!(matrix_laws(&names, &laws[1..]).is_empty());
        // So does one law whose terms are no longer in one ratio to its entry: one
        // coefficient doubled, the monomials unchanged.
        let mut tampered = laws[0].clone();
        let mut terms: Vec<(Vec<i32>, Rational)> = tampered
            .poly
            .terms()
            .map(|(e, c)| (e.to_vec(), c.clone()))
            .collect();
        terms[0].1 *= 2;
        tampered.poly = ngd_algebra::Poly::from_terms_n(names.len(), terms);
        let mut with_tampered = laws.clone();
        with_tampered[0] = &tampered;
        assert!(matrix_laws(&names, &with_tampered).is_empty());
    }

    /// `(u . v - 1)^2` for vectors `u[3]`, `v[3]`: its nine laws are the entries of the
    /// symmetric `u u^T - v v^T` and of the antisymmetric `u v^T - v u^T`.
    #[test]
    fn recognises_vector_families() {
        let names: Vec<String> = ["u", "v"]
            .iter()
            .flat_map(|m| (1..=3).map(move |i| format!("{m}[{i}]")))
            .collect();
        let mut a = Arena::new(names.clone());
        let f = "(u[1]*v[1] + u[2]*v[2] + u[3]*v[3] - 1)^2";
        let e = ngd_parse::parse_expr(&mut a, f, &ngd_parse::Params::new()).unwrap();
        let opts = DiscoverOptions {
            degree: 2,
            ..DiscoverOptions::default()
        };
        let r = discover(&mut a, e, &opts);
        let laws: Vec<&ConservedQuantity> = r.ansatz.iter().flat_map(|x| &x.basis).collect();
        assert_eq!(laws.len(), 9);
        let found = matrix_laws(&names, &laws);
        let texts: Vec<(&str, bool, usize)> = found
            .iter()
            .map(|m| (m.tex.as_str(), m.symmetric, m.entries.len()))
            .collect();
        assert_eq!(
            texts,
            [
                ("u u^\\top - v v^\\top", true, 6),
                ("u v^\\top - v u^\\top", false, 3)
            ]
        );
    }
}
