//! Classification on an exact set `E` (docs/math.md, "Conclusions"): the inertia of the normal
//! Hessian (`sign(g) Hess g` resp. `Hess f` on the normal space of `E`), exactly at rational
//! points, symbolically on all of `E` when it is constant, and the exact positive-definiteness
//! condition (Sylvester) when the type changes along `E`.

use super::subspace::Subspace;
use super::{constant_of, limits};
use crate::inertia::{from_inertia, from_matrix, inertia};
use crate::report::{Classification, StructureKind};
use crate::system::System;
use crate::CriticalOptions;
use nalgebra::DMatrix;
use ngd_algebra::canonicalize_with;
use ngd_expr::{Arena, ExprId};
use rug::Rational;

/// A classified point of an exact set.
pub(crate) struct Sample {
    pub x: Vec<f64>,
    pub f: f64,
    pub class: Classification,
    /// Classified by exact rational inertia.
    pub exact: bool,
}

/// The normal Hessian on E as expressions (times the constant sign of `g`).
fn normal_hessian(arena: &mut Arena, sys: &System, sub: &Subspace, sign: i64) -> Vec<Vec<ExprId>> {
    let k = sub.normals.len();
    let n = sys.n;
    let mut out = vec![Vec::with_capacity(k); k];
    for a in 0..k {
        for b in 0..k {
            let mut terms = Vec::new();
            for i in 0..n {
                for j in 0..n {
                    let c = sub.normals[a][i] * sub.normals[b][j] * sign;
                    if c != 0 {
                        let ci = arena.int(c);
                        terms.push(arena.mul2(ci, sys.hess[i][j]));
                    }
                }
            }
            let e = arena.add(terms);
            out[a].push(arena.substitute(e, &sub.subst));
        }
    }
    out
}

fn det(arena: &mut Arena, m: &[Vec<ExprId>]) -> Option<ExprId> {
    Some(match m.len() {
        1 => m[0][0],
        2 => {
            let a = arena.mul(vec![m[0][0], m[1][1]]);
            let b = arena.mul(vec![m[0][1], m[1][0]]);
            arena.sub(a, b)
        }
        3 => {
            let mut terms = Vec::new();
            for (c, sgn) in [(0usize, 1i64), (1, -1), (2, 1)] {
                let (c1, c2) = match c {
                    0 => (1, 2),
                    1 => (0, 2),
                    _ => (0, 1),
                };
                let a = arena.mul(vec![m[1][c1], m[2][c2]]);
                let b = arena.mul(vec![m[1][c2], m[2][c1]]);
                let minor = arena.sub(a, b);
                let s = arena.int(sgn);
                terms.push(arena.mul(vec![s, m[0][c], minor]));
            }
            arena.add(terms)
        }
        _ => return None,
    })
}

/// Where the normal Hessian is positive definite on `E`, when that depends on the point.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PdCondition {
    /// Nowhere: a leading principal minor is a nonpositive constant.
    Never,
    /// Exactly where this printed condition holds, e.g. `y < 0`.
    Where(String),
}

/// `(uniform classification, positive-definiteness condition)` from the symbolic normal
/// Hessian on E.
pub(super) fn symbolic_class(
    arena: &mut Arena,
    sys: &System,
    sub: &Subspace,
    sign: i64,
) -> (Option<Classification>, Option<PdCondition>) {
    let h = normal_hessian(arena, sys, sub, sign);
    let k = h.len();
    let mut consts = Vec::new();
    for row in &h {
        let mut r = Vec::new();
        for &e in row {
            match constant_of(arena, e) {
                Ok(Some(c)) => r.push(c),
                Ok(None) => break,
                Err(_) => return (None, None),
            }
        }
        if r.len() < k {
            break;
        }
        consts.push(r);
    }
    if consts.len() == k {
        let (p, q, z) = inertia(consts);
        return (Some(from_inertia(p, q, z)), None);
    }
    // A constant negative 2x2 principal minor: indefinite everywhere on E.
    for i in 0..k {
        for j in i + 1..k {
            let sub2 = vec![vec![h[i][i], h[i][j]], vec![h[j][i], h[j][j]]];
            if let Some(d) = det(arena, &sub2) {
                if let Ok(Some(c)) = constant_of(arena, d) {
                    if c < 0 {
                        return (Some(Classification::Saddle), None);
                    }
                }
            }
        }
    }
    // Sylvester: positive definite iff every leading principal minor is positive.
    let mut conds = Vec::new();
    for l in 1..=k {
        let lead: Vec<Vec<ExprId>> = h[..l].iter().map(|r| r[..l].to_vec()).collect();
        let Some(d) = det(arena, &lead) else {
            return (None, None);
        };
        match constant_of(arena, d) {
            Ok(Some(c)) if c > 0 => {}
            Ok(Some(_)) => return (None, Some(PdCondition::Never)),
            Ok(None) => match positive_condition(arena, d) {
                Some(s) => conds.push(s),
                None => return (None, None),
            },
            Err(_) => return (None, None),
        }
    }
    (
        None,
        (!conds.is_empty()).then(|| PdCondition::Where(conds.join(" and "))),
    )
}

/// `e > 0` printed from the canonical form; a linear form in one variable is solved for it.
fn positive_condition(arena: &mut Arena, e: ExprId) -> Option<String> {
    let c = canonicalize_with(arena, e, &limits()).ok()?;
    if let Some(p) = c.to_poly() {
        let terms: Vec<(Vec<i32>, Rational)> =
            p.terms().map(|(e, q)| (e.to_vec(), q.clone())).collect();
        let var_of = |e: &[i32]| -> Option<Option<usize>> {
            let nz: Vec<usize> = (0..e.len()).filter(|&i| e[i] != 0).collect();
            match nz.as_slice() {
                [] => Some(None),
                [i] if e[*i] == 1 => Some(Some(*i)),
                _ => None,
            }
        };
        let mut var = None;
        let (mut a, mut b) = (Rational::new(), Rational::new());
        let mut linear = true;
        for (ex, q) in &terms {
            match var_of(ex) {
                Some(None) => b += q,
                Some(Some(i)) if var.is_none() || var == Some(i) => {
                    var = Some(i);
                    a += q;
                }
                _ => linear = false,
            }
        }
        if let (true, Some(i)) = (linear, var) {
            let t = -Rational::from(&b / &a);
            let name = &arena.var_names()[i];
            let op = if a > 0 { ">" } else { "<" };
            return Some(format!("{name} {op} {t}"));
        }
    }
    let ex = c.to_expr(arena);
    Some(format!("{} > 0", arena.display(ex)))
}

/// Classifies the rational point `p` of E: `(sample, whether p is an exact witness of a
/// critical point off the minimum set)`. `None` where undefined or not critical.
pub(super) fn classify_point(
    sys: &System,
    sub: &Subspace,
    p: &[Rational],
    opts: &CriticalOptions,
) -> Option<(Sample, bool)> {
    let n = sys.n;
    let k = sub.normals.len();
    let xf: Vec<f64> = p.iter().map(Rational::to_f64).collect();
    if let Some(out) = sys.eval_exact(p) {
        if (0..n).any(|i| out[sys.eq_index(i)] != 0) {
            return None;
        }
        let res = &out[1..1 + sys.m];
        let witness = match sys.kind {
            StructureKind::General => opts.inf_f.as_ref().is_some_and(|inf| out[0] > *inf),
            _ => {
                if res.iter().all(|r| *r == 0) {
                    return None;
                }
                true
            }
        };
        let s: i64 = if sys.kind == StructureKind::Scalar && res[0] < 0 {
            -1
        } else {
            1
        };
        let mut hn = vec![vec![Rational::new(); k]; k];
        for a in 0..k {
            for b in 0..k {
                let mut acc = Rational::new();
                for i in 0..n {
                    for j in 0..n {
                        let c = sub.normals[a][i] * sub.normals[b][j] * s;
                        if c != 0 {
                            acc += &out[sys.h_index(i, j)] * Rational::from(c);
                        }
                    }
                }
                hn[a][b] = acc;
            }
        }
        let (pp, q, z) = inertia(hn);
        return Some((
            Sample {
                x: xf,
                f: out[0].to_f64(),
                class: from_inertia(pp, q, z),
                exact: true,
            },
            witness,
        ));
    }
    // Not rational (exp, log, roots): floating point, numerical evidence.
    let pe = sys.eval(&xf)?;
    if sys.kind != StructureKind::General && sys.res_norm(&pe.res) == 0.0 {
        return None;
    }
    let s = sys.class_sign(&pe.res);
    let nm = DMatrix::from_fn(n, k, |i, a| sub.normals[a][i] as f64);
    let hn = nm.transpose() * (&pe.h * s) * &nm;
    let tol = 1e-9 * hn.norm().max(1e-300);
    Some((
        Sample {
            x: xf,
            f: pe.f,
            class: from_matrix(&hn, 0, tol),
            exact: false,
        },
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_conditions_print_exactly() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let y = a.var(1);
        let m2 = a.int(-2);
        let e = a.mul2(m2, y);
        assert_eq!(positive_condition(&mut a, e).as_deref(), Some("y < 0"));
        let three = a.int(3);
        let e = a.add2(e, three);
        assert_eq!(positive_condition(&mut a, e).as_deref(), Some("y < 3/2"));
        let x = a.var(0);
        let xy = a.mul2(x, y);
        let s = positive_condition(&mut a, xy).unwrap();
        assert!(s.ends_with("> 0"), "{s}");
    }
}
