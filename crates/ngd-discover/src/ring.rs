//! The function ring of the fields (docs/math.md, "Discovery"): generators with `exp` and
//! `log` become Laurent polynomials in the variables and *atoms* `a_j` (`exp(u_j)` for
//! Laurent polynomials `u_j` without constant term, `log(x_i)` for variables `x_i`).
//!
//! Why this is exact: `d a_j / d x_i = D_ji` is again in the ring (`exp(u) d_i u`, `1/x_i`).
//! On `R^(n+k)` take the field `W = (V, sum_i V_i D_j i)`; for any `psi(x, a)`,
//! `<V, grad_x psi(x, a(x))> = <W, grad_(x,a) psi>` at `(x, a(x))`. The `exp(u_j)` use
//! arguments that are Q-linearly independent modulo constants (a lattice basis of the
//! arguments that occur), so `x`, the `exp(u_j)` and the `log(x_i)` are algebraically
//! independent (Ax's theorem): a polynomial in them vanishes on the graph `a = a(x)` only
//! when it is the zero polynomial. Hence the linear systems on `R^(n+k)` find *exactly* the
//! conserved quantities of the ansatz shape, and ranks at random rational points of
//! `R^(n+k)` bound generic ranks on the graph as they do for polynomial fields.

use crate::format::fmt_poly;
use crate::report::{AtomKind, RingAtom, RingFailure};
use ngd_algebra::{poly_from_expr, Poly};
use ngd_expr::{Arena, ExprId, Func, Node};
use rug::{Integer, Rational};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// How an atom depends on the variables.
#[derive(Clone, Debug)]
enum AtomArg {
    /// `exp(u)`, `u` a Laurent polynomial in the `n` variables.
    Exp(Poly),
    /// `log(x_i)`.
    Log(usize),
}

/// The atoms of the fields, their derivatives and how each `exp` argument is written in them.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct FunctionRing {
    /// The atoms, in order (variable `n + j` of the ring is atom `j`).
    pub atoms: Vec<RingAtom>,
    #[serde(skip)]
    n: usize,
    #[serde(skip)]
    args: Vec<AtomArg>,
    /// `exp` arguments that occur, with their integer coordinates in the exp atoms.
    #[serde(skip)]
    exp_coords: Vec<(Poly, Vec<i64>)>,
    /// `d a_j / d x_i` (Laurent polynomials in `n + k` variables), `derivs[j][i]`.
    #[serde(skip)]
    derivs: Vec<Vec<Poly>>,
}

impl FunctionRing {
    /// The ring with no atom (polynomial fields).
    pub(crate) fn plain(n: usize) -> FunctionRing {
        FunctionRing {
            n,
            ..FunctionRing::default()
        }
    }

    /// Number of variables `n` of `f`.
    pub fn n_vars(&self) -> usize {
        self.n
    }

    /// `n + k`: the variables of the ring's polynomials.
    pub fn size(&self) -> usize {
        self.n + self.args.len()
    }

    /// The atoms of `generators` (every `exp` and `log` node), or why they are not in the
    /// supported ring.
    pub(crate) fn of(arena: &Arena, generators: &[ExprId]) -> Result<FunctionRing, RingFailure> {
        let n = arena.n_vars();
        let mut exps: Vec<Poly> = Vec::new();
        let mut logs: Vec<usize> = Vec::new();
        for id in arena.postorder(generators) {
            match arena.node(id) {
                Node::Func(Func::Exp, u) => {
                    let arg = || arena.display(*u);
                    let p = poly_from_expr(arena, *u)
                        .ok_or_else(|| RingFailure::ExpArgument { argument: arg() })?
                        .extend_vars(n);
                    if p.terms().any(|(e, _)| e.iter().all(|&k| k == 0)) {
                        return Err(RingFailure::ExpConstant { argument: arg() });
                    }
                    if !p.is_zero() && !exps.contains(&p) {
                        exps.push(p);
                    }
                }
                Node::Func(Func::Log, u) => match arena.node(*u) {
                    Node::Var(i) if !logs.contains(&(*i as usize)) => logs.push(*i as usize),
                    Node::Var(_) => {}
                    _ => {
                        return Err(RingFailure::LogArgument {
                            argument: arena.display(*u),
                        })
                    }
                },
                _ => {}
            }
        }
        let (basis, coords) = lattice_basis(&exps);
        if let Some(i) = coords
            .iter()
            .position(|c| c.iter().any(|k| k.abs() > MAX_COORD))
        {
            let argument = fmt_poly(&exps[i], arena.var_names());
            return Err(RingFailure::ExpLattice { argument });
        }
        Ok(Self::from_parts(
            arena.var_names(),
            &exps,
            basis,
            coords,
            &logs,
        ))
    }

    fn from_parts(
        names: &[String],
        exps: &[Poly],
        basis: Vec<Poly>,
        coords: Vec<Vec<i64>>,
        logs: &[usize],
    ) -> FunctionRing {
        let n = names.len();
        let mut ring = FunctionRing::plain(n);
        ring.exp_coords = exps.iter().cloned().zip(coords).collect();
        for b in basis {
            ring.atoms.push(RingAtom {
                display: format!("exp({})", fmt_poly(&b, names)),
                kind: AtomKind::Exp {
                    argument: fmt_poly(&b, names),
                },
            });
            ring.args.push(AtomArg::Exp(b));
        }
        for &i in logs {
            ring.atoms.push(RingAtom {
                display: format!("log({})", names[i]),
                kind: AtomKind::Log {
                    variable: names[i].clone(),
                },
            });
            ring.args.push(AtomArg::Log(i));
        }
        ring.derivs = ring.derivatives();
        ring
    }

    /// `d a_j / d x_i` in the ring.
    fn derivatives(&self) -> Vec<Vec<Poly>> {
        let m = self.size();
        self.args
            .iter()
            .enumerate()
            .map(|(j, a)| match a {
                AtomArg::Exp(u) => {
                    let e = Poly::var(self.n + j, m);
                    let u = u.extend_vars(m);
                    (0..self.n).map(|i| u.derivative(i).mul(&e)).collect()
                }
                AtomArg::Log(v) => (0..self.n)
                    .map(|i| {
                        let mut e = vec![0; m];
                        e[i] = -1;
                        if i == *v {
                            Poly::from_terms_n(m, vec![(e, Rational::from(1))])
                        } else {
                            Poly::zero(m)
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// Whether the linear form `sum_i l_i x_i` is in the Q-span of the `exp` arguments (then
    /// `exp(l)` is a power of atoms).
    pub(crate) fn spans_form(&self, l: &[i32]) -> bool {
        let args: Vec<Poly> = self
            .args
            .iter()
            .filter_map(|a| match a {
                AtomArg::Exp(u) => Some(u.clone()),
                AtomArg::Log(_) => None,
            })
            .collect();
        if args.is_empty() {
            return false;
        }
        let terms = l
            .iter()
            .enumerate()
            .filter(|t| *t.1 != 0)
            .map(|(i, &li)| {
                let mut e = vec![0; self.n];
                e[i] = 1;
                (e, Rational::from(li))
            })
            .collect();
        coordinates(&args, &Poly::from_terms_n(self.n, terms)).is_some()
    }

    /// The names of the ring's variables: the variables, then the atoms as text.
    pub(crate) fn names(&self, vars: &[String]) -> Vec<String> {
        let mut v = vars.to_vec();
        v.extend(self.atoms.iter().map(|a| a.display.clone()));
        v
    }

    /// `root` as a Laurent polynomial in the ring (`None` when it is not one: a root, an
    /// `abs`, an atom outside the ring).
    pub(crate) fn to_poly(&self, arena: &Arena, root: ExprId) -> Option<Poly> {
        let m = self.size();
        let mut names: Vec<String> = arena.var_names().to_vec();
        names.extend((0..self.args.len()).map(|j| format!("__atom{j}")));
        let mut dst = Arena::new(names);
        let mut map: FxHashMap<ExprId, ExprId> = FxHashMap::default();
        for id in arena.postorder(&[root]) {
            let new = match arena.node(id).clone() {
                Node::Func(Func::Exp, u) => self.exp_in(&mut dst, arena, u)?,
                Node::Func(Func::Log, u) => match arena.node(u) {
                    Node::Var(i) => dst.var(self.n + self.log_index(*i as usize)?),
                    _ => return None,
                },
                node => dst.rebuild(&node, |c| map[&c]),
            };
            map.insert(id, new);
        }
        Some(poly_from_expr(&dst, map[&root])?.extend_vars(m))
    }

    /// `exp(u)` as a product of powers of the exp atoms in `dst`.
    fn exp_in(&self, dst: &mut Arena, arena: &Arena, u: ExprId) -> Option<ExprId> {
        let p = poly_from_expr(arena, u)?.extend_vars(self.n);
        if p.is_zero() {
            return Some(dst.int(1));
        }
        let (_, k) = self.exp_coords.iter().find(|(q, _)| *q == p)?;
        let factors = k
            .iter()
            .enumerate()
            .filter(|t| *t.1 != 0)
            .map(|(j, &kj)| {
                let a = dst.var(self.n + j);
                dst.powi(a, kj)
            })
            .collect();
        Some(dst.mul(factors))
    }

    fn log_index(&self, var: usize) -> Option<usize> {
        self.args
            .iter()
            .position(|a| matches!(a, AtomArg::Log(v) if *v == var))
    }

    /// The field `W` on `R^(n+k)` of a generator `G` in the ring: `V_i = d_i G + sum_j
    /// d_(a_j) G D_ji` (the gradient in `x`), then `W_(n+j) = sum_i V_i D_ji`.
    pub(crate) fn field(&self, g: &Poly) -> Vec<Poly> {
        let m = self.size();
        let mut v: Vec<Poly> = (0..self.n).map(|i| g.derivative(i)).collect();
        for (j, d) in self.derivs.iter().enumerate() {
            let dg = g.derivative(self.n + j);
            if dg.is_zero() {
                continue;
            }
            for i in 0..self.n {
                v[i] = v[i].add(&dg.mul(&d[i]));
            }
        }
        let extra: Vec<Poly> = self
            .derivs
            .iter()
            .map(|d| {
                (0..self.n).fold(Poly::zero(m), |acc, i| {
                    if v[i].is_zero() || d[i].is_zero() {
                        acc
                    } else {
                        acc.add(&v[i].mul(&d[i]))
                    }
                })
            })
            .collect();
        v.extend(extra);
        v
    }

    /// The gradient in `x` of `psi = p` or `p exp(l)` (without the factor `exp(l)`), `p` in
    /// the ring: `d_i p + sum_j d_(a_j) p D_ji + l_i p`.
    pub(crate) fn gradient(&self, p: &Poly, l: Option<&[i32]>) -> Vec<Poly> {
        let p = p.extend_vars(self.size().max(p.n_vars()));
        let mut g: Vec<Poly> = (0..self.n).map(|i| p.derivative(i)).collect();
        for (j, d) in self.derivs.iter().enumerate() {
            let dp = p.derivative(self.n + j);
            if !dp.is_zero() {
                for i in 0..self.n {
                    g[i] = g[i].add(&dp.mul(&d[i]));
                }
            }
        }
        if let Some(l) = l {
            for i in 0..self.n {
                if l[i] != 0 {
                    g[i] = g[i].add(&p.scale(&Rational::from(l[i])));
                }
            }
        }
        g
    }

    /// A ring polynomial as an expression of the variables in `arena` (atoms rebuilt).
    pub(crate) fn expr(&self, arena: &mut Arena, p: &Poly) -> ExprId {
        let atoms: Vec<ExprId> = self
            .args
            .iter()
            .map(|a| match a {
                AtomArg::Exp(u) => {
                    let e = u.to_expr(arena);
                    arena.func(Func::Exp, e)
                }
                AtomArg::Log(i) => {
                    let x = arena.var(*i);
                    arena.func(Func::Log, x)
                }
            })
            .collect();
        let mut terms = Vec::with_capacity(p.len());
        for (e, c) in p.terms() {
            let mut factors = vec![arena.constant(c.clone())];
            for (s, &k) in e.iter().enumerate().filter(|t| *t.1 != 0) {
                let base = if s < self.n {
                    arena.var(s)
                } else {
                    atoms[s - self.n]
                };
                factors.push(arena.powi(base, i64::from(k)));
            }
            terms.push(arena.mul(factors));
        }
        arena.add(terms)
    }

    /// The atoms' values at a point (high precision); `None` where one is undefined.
    pub(crate) fn atom_values(&self, x: &[rug::Float], prec: u32) -> Option<Vec<rug::Float>> {
        self.args
            .iter()
            .map(|a| match a {
                AtomArg::Exp(u) => eval_poly_float(u, x, prec).map(|v| v.exp()),
                AtomArg::Log(i) => (x[*i] > 0).then(|| rug::Float::with_val(prec, x[*i].ln_ref())),
            })
            .collect()
    }
}

/// Largest integer coordinate of an `exp` argument in the lattice basis (the exponent of an
/// atom in a generator).
const MAX_COORD: i64 = 1000;

/// A Laurent polynomial at a high-precision point; `None` at a pole.
pub(crate) fn eval_poly_float(p: &Poly, x: &[rug::Float], prec: u32) -> Option<rug::Float> {
    use rug::ops::Pow;
    let mut total = rug::Float::with_val(prec, 0);
    for (e, c) in p.terms() {
        let mut t = rug::Float::with_val(prec, c);
        for (xi, &k) in x.iter().zip(e).filter(|t| *t.1 != 0) {
            if k < 0 && xi.is_zero() {
                return None;
            }
            t *= rug::Float::with_val(prec, Pow::pow(xi, k));
        }
        total += t;
    }
    total.is_finite().then_some(total)
}

/// A basis `b_j` of the lattice spanned by the `exp` arguments, each argument's integer
/// coordinates in it, and the basis normalized to a positive leading coefficient. The basis
/// is a Q-independent subset (first occurrences) divided by the common denominator of the
/// coordinates, so every argument is an integer combination.
fn lattice_basis(args: &[Poly]) -> (Vec<Poly>, Vec<Vec<i64>>) {
    let mut basis: Vec<Poly> = Vec::new();
    for a in args {
        if coordinates(&basis, a).is_none() {
            let lead_neg = a.terms().next().is_some_and(|(_, c)| *c < 0);
            basis.push(if lead_neg {
                a.scale(&Rational::from(-1))
            } else {
                a.clone()
            });
        }
    }
    let coords: Vec<Vec<Rational>> = args
        .iter()
        .map(|a| coordinates(&basis, a).expect("in the span"))
        .collect();
    let mut den = Integer::from(1);
    for c in coords.iter().flatten() {
        den.lcm_mut(c.denom());
    }
    let inv = Rational::from((Integer::from(1), den.clone()));
    let basis = basis.iter().map(|b| b.scale(&inv)).collect();
    let coords = coords
        .iter()
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    let k = Rational::from(c * &den);
                    k.numer().to_i64().unwrap_or(i64::MAX)
                })
                .collect()
        })
        .collect();
    (basis, coords)
}

/// The coordinates of `a` in the Q-independent `basis`, if `a` is in their span (exact
/// Gauss-Jordan elimination on the coefficient vectors).
fn coordinates(basis: &[Poly], a: &Poly) -> Option<Vec<Rational>> {
    let k = basis.len();
    // Columns: the basis vectors and `a`; rows: the monomials.
    let mut monos: Vec<Vec<i32>> = basis
        .iter()
        .chain(std::iter::once(a))
        .flat_map(|p| p.terms().map(|(e, _)| e.to_vec()))
        .collect();
    monos.sort();
    monos.dedup();
    let mut rows: Vec<Vec<Rational>> = monos
        .iter()
        .map(|m| {
            basis
                .iter()
                .chain(std::iter::once(a))
                .map(|p| p.coeff(m))
                .collect()
        })
        .collect();
    let mut pivot_row = 0;
    let mut pivots = Vec::new();
    for col in 0..k {
        let Some(r) = (pivot_row..rows.len()).find(|&r| rows[r][col] != 0) else {
            return None; // the basis is independent, so this does not happen
        };
        rows.swap(pivot_row, r);
        let p = rows[pivot_row][col].clone();
        for v in rows[pivot_row].iter_mut() {
            *v /= &p;
        }
        for r in 0..rows.len() {
            if r != pivot_row && rows[r][col] != 0 {
                let f = rows[r][col].clone();
                let pr = rows[pivot_row].clone();
                for (v, w) in rows[r].iter_mut().zip(&pr) {
                    *v -= Rational::from(&f * w);
                }
            }
        }
        pivots.push(pivot_row);
        pivot_row += 1;
    }
    if rows[pivot_row..].iter().any(|r| r[k] != 0) {
        return None;
    }
    Some(pivots.iter().map(|&r| rows[r][k].clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(terms: &[(&[i32], i64)]) -> Poly {
        Poly::from_terms(
            terms
                .iter()
                .map(|(e, c)| (e.to_vec(), Rational::from(*c)))
                .collect(),
        )
    }

    #[test]
    fn lattice_of_multiples_and_halves() {
        // x, 2x, -x/2... here: 2x and 3x give basis x (denominator 2 from 3/2).
        let (b, c) = lattice_basis(&[p(&[(&[1, 0], 2)]), p(&[(&[1, 0], 3)])]);
        assert_eq!(b, vec![p(&[(&[1, 0], 1)])]);
        assert_eq!(c, vec![vec![2], vec![3]]);
        // -x + y and x: independent; leading coefficient made positive.
        let (b, c) = lattice_basis(&[p(&[(&[1, 0], -1), (&[0, 1], 1)]), p(&[(&[1, 0], 1)])]);
        assert_eq!(b.len(), 2);
        assert_eq!(c[0], vec![-1, 0]);
    }

    #[test]
    fn dependent_arguments_share_atoms() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let g = ngd_parse_free(&mut a);
        let ring = FunctionRing::of(&a, &[g]).unwrap();
        assert_eq!(ring.atoms.len(), 1);
        assert_eq!(ring.atoms[0].display, "exp(x)");
        let gp = ring.to_poly(&a, g).unwrap();
        // exp(x)*y + exp(2x) - 1 = y E + E^2 - 1
        assert_eq!(gp.len(), 3);
        let w = ring.field(&gp);
        // V_x = y E + 2 E^2, V_y = E, W_E = E V_x
        assert_eq!(w.len(), 3);
        assert_eq!(w[1], p(&[(&[0, 0, 1], 1)]));
    }

    proptest::proptest! {
        /// Every argument is the integer combination of the basis given by its coordinates.
        #[test]
        fn lattice_coordinates_reconstruct(
            forms in proptest::collection::vec(proptest::collection::vec(-3i64..=3, 3), 1..5),
            den in 1i64..4,
        ) {
            let args: Vec<Poly> = forms
                .iter()
                .map(|l| {
                    let terms = l.iter().enumerate().map(|(i, &c)| {
                        let mut e = vec![0; 3];
                        e[i] = 1;
                        (e, Rational::from((c, den)))
                    }).collect();
                    Poly::from_terms_n(3, terms)
                })
                .filter(|p| !p.is_zero())
                .collect();
            let (basis, coords) = lattice_basis(&args);
            proptest::prop_assert!(basis.len() <= 3);
            for (a, k) in args.iter().zip(&coords) {
                let sum = basis.iter().zip(k).fold(Poly::zero(3), |acc, (b, &kj)| {
                    acc.add(&b.scale(&Rational::from(kj)))
                });
                proptest::prop_assert_eq!(&sum, a);
            }
        }
    }

    /// `exp(x)*y + exp(2*x) - 1` built without the parser.
    fn ngd_parse_free(a: &mut Arena) -> ExprId {
        let (x, y) = (a.var(0), a.var(1));
        let ex = a.func(Func::Exp, x);
        let two = a.int(2);
        let x2 = a.mul2(two, x);
        let e2 = a.func(Func::Exp, x2);
        let t = a.mul2(ex, y);
        let m1 = a.int(-1);
        a.add(vec![t, e2, m1])
    }
}
