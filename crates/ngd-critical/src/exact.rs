//! The exact route: linear subspaces `E` (coordinate subspaces `{x_i = 0, i in S}`, and for
//! `n <= 4` the diagonals `{x_i = x_j}`, `{x_i = -x_j}`) on which every equation vanishes
//! identically, decided by exact canonical forms after exact substitution.
//!
//! Soundness: a zero canonical form proves the restricted equation zero almost everywhere on
//! its domain in `E`, hence everywhere there by continuity (the route is skipped when the
//! inner expressions contain `abs`, `sign`, `max` or `min`, whose canonical forms use
//! `sign(u)^2 = 1`, true only off `u = 0`). Existence of a critical point off the minimum set
//! is proved by an exact rational point of `E` in the box where the residual is nonzero.
//! Classification at a rational point is exact: the inertia of the rational normal Hessian
//! (`sign(g) Hess g` resp. `Hess f` on the normal space; `f` is constant along `E`, so
//! its Hessian vanishes on the tangent space). A nondegenerate normal Hessian at a point of
//! a manifold of critical points decides the type near that point (Morse-Bott lemma).

use crate::inertia::{from_inertia, from_matrix, inertia};
use crate::report::{Classification, ExactRoute, StructureKind};
use crate::system::System;
use crate::CriticalOptions;
use nalgebra::DMatrix;
use ngd_algebra::{canonicalize_with, Limits};
use ngd_certify::RationalBox;
use ngd_expr::{Arena, ExprId};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use rug::Rational;

/// A linear subspace given by a pattern: for each coordinate `k`, `form[k] = (s, l)` means
/// `x_k = s x_l` with `l` a free coordinate (`(1, k)` when `x_k` itself is free) and `s = 0`
/// means `x_k = 0`.
pub(crate) struct Subspace {
    pub desc: String,
    pub dim: usize,
    form: Vec<(i8, usize)>,
    subst: Vec<ExprId>,
    /// Integer normal vectors spanning a complement of the tangent space (the gradients of
    /// the defining equations).
    normals: Vec<Vec<i64>>,
    /// The free coordinates with their ranges on `E` intersected with the box.
    params: Vec<(usize, Rational, Rational)>,
}

impl Subspace {
    /// The subspace of a pattern, `None` when it misses the box.
    fn new(arena: &mut Arena, form: Vec<(i8, usize)>, bx: &RationalBox) -> Option<Subspace> {
        let n = form.len();
        let names = arena.var_names().to_vec();
        let zero = arena.int(0);
        let mut subst: Vec<ExprId> = Vec::with_capacity(n);
        let mut normals = Vec::new();
        let mut ranges: Vec<Option<(Rational, Rational)>> = vec![None; n];
        for k in 0..n {
            if form[k] == (1, k) {
                ranges[k] = Some((bx.lo[k].clone(), bx.hi[k].clone()));
            }
        }
        let mut zeros = Vec::new();
        let mut eqs = Vec::new();
        for (k, &(s, l)) in form.iter().enumerate() {
            if (s, l) == (1, k) {
                subst.push(arena.var(k));
                continue;
            }
            let mut v = vec![0; n];
            v[k] = 1;
            if s == 0 {
                if bx.lo[k] > 0 || bx.hi[k] < 0 {
                    return None;
                }
                subst.push(zero);
                zeros.push(names[k].clone());
            } else {
                v[l] = -i64::from(s);
                let xl = arena.var(l);
                subst.push(if s > 0 { xl } else { arena.neg(xl) });
                // s t_l in [lo_k, hi_k].
                let (a, b) = if s > 0 {
                    (bx.lo[k].clone(), bx.hi[k].clone())
                } else {
                    (Rational::from(-&bx.hi[k]), Rational::from(-&bx.lo[k]))
                };
                let r = ranges[l].as_mut()?;
                if a > r.0 {
                    r.0 = a;
                }
                if b < r.1 {
                    r.1 = b;
                }
                let sign = if s > 0 { "" } else { "-" };
                eqs.push(format!("{} = {sign}{}", names[l], names[k]));
            }
            normals.push(v);
        }
        let mut params = Vec::new();
        for (k, r) in ranges.into_iter().enumerate() {
            if let Some((a, b)) = r {
                if a > b {
                    return None;
                }
                params.push((k, a, b));
            }
        }
        let mut parts = Vec::new();
        if !zeros.is_empty() {
            parts.push(format!("{} = 0", zeros.join(" = ")));
        }
        parts.extend(eqs);
        Some(Subspace {
            desc: parts.join(", "),
            dim: params.len(),
            form,
            subst,
            normals,
            params,
        })
    }

    /// The point of `E` with these values of the free coordinates.
    fn point(&self, n: usize, vals: &[Rational]) -> Vec<Rational> {
        let mut p = vec![Rational::new(); n];
        for ((v, _, _), q) in self.params.iter().zip(vals) {
            p[*v] = q.clone();
        }
        for (k, &(s, l)) in self.form.iter().enumerate() {
            if (s, l) != (1, k) && s != 0 {
                p[k] = if s > 0 {
                    p[l].clone()
                } else {
                    Rational::from(-&p[l])
                };
            }
        }
        p
    }

    /// The Euclidean distance of `x` to `E`.
    pub fn distance(&self, x: &[f64]) -> f64 {
        let n = self.form.len();
        let mut d2 = 0.0;
        for l in 0..n {
            if self.form[l] != (1, l) {
                if self.form[l].0 == 0 {
                    d2 += x[l] * x[l];
                }
                continue;
            }
            // The group of coordinates tied to x_l: least squares for t_l.
            let group: Vec<(f64, usize)> = (0..n)
                .filter(|&k| self.form[k].1 == l && self.form[k].0 != 0)
                .map(|k| (f64::from(self.form[k].0), k))
                .collect();
            let t = group.iter().map(|(s, k)| s * x[*k]).sum::<f64>() / group.len() as f64;
            d2 += group
                .iter()
                .map(|(s, k)| (x[*k] - s * t).powi(2))
                .sum::<f64>();
        }
        d2.sqrt()
    }

    /// Whether `E` lies inside the subspace `other`: every defining equation of `other`
    /// holds on `E`'s parametrization.
    fn inside(&self, other: &Subspace) -> bool {
        let lin = |k: usize| -> (i8, usize) {
            let (s, l) = self.form[k];
            if s == 0 {
                (0, 0)
            } else {
                (s, l)
            }
        };
        other.form.iter().enumerate().all(|(k, &(s, l))| {
            if (s, l) == (1, k) {
                return true;
            }
            let a = lin(k);
            if s == 0 {
                return a.0 == 0;
            }
            let b = lin(l);
            (a.0 == 0 && b.0 == 0) || (a.1 == b.1 && a.0 == s * b.0 && b.0 != 0)
        })
    }

    /// Deterministic rational points of `E` in the box: a regular grid of `count` points on a
    /// line, else the centre and points with coordinates `lo + (hi - lo) k/24`.
    fn samples(&self, n: usize, count: usize, seed: u64) -> Vec<Vec<Rational>> {
        let count = count.max(1);
        let lerp = |lo: &Rational, hi: &Rational, t: Rational| -> Rational {
            Rational::from(hi - lo) * t + lo
        };
        match self.params.len() {
            0 => vec![self.point(n, &[])],
            1 => {
                let (_, lo, hi) = &self.params[0];
                let q = (count - 1).max(1) as i64;
                let mut out: Vec<Vec<Rational>> = (0..=q)
                    .map(|k| self.point(n, &[lerp(lo, hi, Rational::from((k, q)))]))
                    .collect();
                out.dedup();
                out
            }
            _ => {
                let mut rng = Pcg64::seed_from_u64(seed);
                let centre: Vec<Rational> = self
                    .params
                    .iter()
                    .map(|(_, lo, hi)| lerp(lo, hi, Rational::from((1, 2))))
                    .collect();
                let mut out = vec![self.point(n, &centre)];
                for _ in 1..count {
                    let vals: Vec<Rational> = self
                        .params
                        .iter()
                        .map(|(_, lo, hi)| {
                            let k: i64 = rng.random_range(0..=24);
                            lerp(lo, hi, Rational::from((k, 24)))
                        })
                        .collect();
                    out.push(self.point(n, &vals));
                }
                out
            }
        }
    }

    fn samples_f64(&self, n: usize) -> Vec<Vec<f64>> {
        [(1, 2), (1, 3)]
            .iter()
            .map(|&t| {
                let vals: Vec<Rational> = self
                    .params
                    .iter()
                    .map(|(_, lo, hi)| Rational::from(hi - lo) * Rational::from(t) + lo)
                    .collect();
                self.point(n, &vals).iter().map(Rational::to_f64).collect()
            })
            .collect()
    }
}

/// A classified point of an exact set.
pub(crate) struct Sample {
    pub x: Vec<f64>,
    pub f: f64,
    pub class: Classification,
    /// Classified by exact rational inertia.
    pub exact: bool,
}

/// A subspace proved to consist of critical points.
pub(crate) struct ExactSet {
    pub sub: Subspace,
    /// `f` on `E`, when a rational constant.
    pub f_value: Option<Rational>,
    /// An exact rational point of `E` in the box with a nonzero residual (for the general
    /// path: with `f` above the given `inf f`).
    pub proved: bool,
    /// The classification proved on all of `E` (constant normal Hessian inertia, or a
    /// constant negative 2x2 principal minor).
    pub uniform: Option<Classification>,
    /// The exact positive-definiteness condition on `E`, when it depends on the point.
    pub condition: Option<String>,
    pub samples: Vec<Sample>,
}

fn limits() -> Limits {
    Limits {
        max_terms: 200_000,
        max_power: 1_000,
        max_work: 20_000_000,
    }
}

/// The constant value of a canonical form, when it is one.
fn constant_of(arena: &Arena, e: ExprId) -> Result<Option<Rational>, String> {
    let c = canonicalize_with(arena, e, &limits())?;
    if c.is_zero() {
        return Ok(Some(Rational::new()));
    }
    let Some(p) = c.to_poly() else {
        return Ok(None);
    };
    let mut terms = p.terms();
    match (terms.next(), terms.next()) {
        (Some((ex, q)), None) if ex.iter().all(|&e| e == 0) => Ok(Some(q.clone())),
        _ => Ok(None),
    }
}

/// The patterns to test, larger sets (smaller codimension) first: for `n <= 4` (with
/// `diagonals`) every pattern of zeros and `x_k = ±x_l`, else the coordinate subspaces;
/// codimension at most `max_subspace_codim`.
fn plan(n: usize, opts: &CriticalOptions) -> Vec<Vec<(i8, usize)>> {
    let maxc = n.min(opts.max_subspace_codim);
    let mut out: Vec<Vec<(i8, usize)>> = Vec::new();
    if opts.diagonals && n <= 4 {
        fn rec(n: usize, form: &mut Vec<(i8, usize)>, out: &mut Vec<Vec<(i8, usize)>>) {
            let k = form.len();
            if k == n {
                out.push(form.clone());
                return;
            }
            form.push((1, k));
            rec(n, form, out);
            form.pop();
            form.push((0, 0));
            rec(n, form, out);
            form.pop();
            let leaders: Vec<usize> = (0..k).filter(|&l| form[l] == (1, l)).collect();
            for l in leaders {
                for s in [1, -1] {
                    form.push((s, l));
                    rec(n, form, out);
                    form.pop();
                }
            }
        }
        rec(n, &mut Vec::new(), &mut out);
    } else {
        // Coordinate subspaces only: bitmasks would overflow for large n, so combinations.
        for k in 1..=maxc {
            let mut idx: Vec<usize> = (0..k).collect();
            loop {
                out.push(
                    (0..n)
                        .map(|i| if idx.contains(&i) { (0, 0) } else { (1, i) })
                        .collect(),
                );
                let mut i = k;
                while i > 0 && idx[i - 1] == n - k + i - 1 {
                    i -= 1;
                }
                if i == 0 {
                    break;
                }
                idx[i - 1] += 1;
                for t in i..k {
                    idx[t] = idx[t - 1] + 1;
                }
            }
        }
    }
    let codim = |f: &Vec<(i8, usize)>| f.iter().enumerate().filter(|(k, p)| **p != (1, *k)).count();
    out.retain(|f| (1..=maxc).contains(&codim(f)));
    // Stable: within a codimension, the generation order.
    out.sort_by_key(codim);
    out
}

/// Runs the exact route. `eq_scale` is the typical size of the equations on the box (for the
/// floating-point prefilter that skips subspaces where an equation is clearly nonzero).
pub(crate) fn exact_route(
    arena: &mut Arena,
    sys: &System,
    bx: &RationalBox,
    opts: &CriticalOptions,
    eq_scale: f64,
) -> (Vec<ExactSet>, ExactRoute) {
    if !opts.exact {
        return (
            Vec::new(),
            ExactRoute::Skipped {
                reason: "disabled".into(),
            },
        );
    }
    if sys.nonsmooth {
        return (
            Vec::new(),
            ExactRoute::Skipped {
                reason: "abs_sign_max_min".into(),
            },
        );
    }
    let n = sys.n;
    let plan = plan(n, opts);
    let (mut tested, mut undecided, mut truncated) = (0, 0, false);
    let mut found: Vec<ExactSet> = Vec::new();
    for form in plan {
        let Some(sub) = Subspace::new(arena, form, bx) else {
            continue;
        };
        if found.iter().any(|s| sub.inside(&s.sub)) {
            continue;
        }
        if tested >= opts.max_exact_tests {
            truncated = true;
            break;
        }
        tested += 1;
        match test(arena, sys, sub, opts, eq_scale) {
            Ok(Some(set)) => found.push(set),
            Ok(None) => {}
            Err(()) => undecided += 1,
        }
    }
    // A coordinate set inside a diagonal found later is redundant.
    let keep: Vec<bool> = (0..found.len())
        .map(|a| {
            !(0..found.len()).any(|b| {
                b != a && found[a].sub.inside(&found[b].sub) && found[a].sub.dim < found[b].sub.dim
            })
        })
        .collect();
    let found = found
        .into_iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect();
    let route = if truncated {
        ExactRoute::Truncated { tested, undecided }
    } else {
        ExactRoute::Done { tested, undecided }
    };
    (found, route)
}

/// `Ok(Some)` a set of critical points off the minimum set, `Ok(None)` not one, `Err` undecided.
fn test(
    arena: &mut Arena,
    sys: &System,
    sub: Subspace,
    opts: &CriticalOptions,
    eq_scale: f64,
) -> Result<Option<ExactSet>, ()> {
    let n = sys.n;
    // Floating-point prefilter: an equation clearly nonzero at a point of E.
    for p in sub.samples_f64(n) {
        if let Some(pe) = sys.eval(&p) {
            if pe.eq.iter().any(|v| v.abs() > 1e-8 * eq_scale.max(1e-300)) {
                return Ok(None);
            }
        }
    }
    for &eq in &sys.eqs {
        let r = arena.substitute(eq, &sub.subst);
        match canonicalize_with(arena, r, &limits()) {
            Ok(c) if c.is_zero() => {}
            Ok(_) => return Ok(None),
            Err(_) => return Err(()),
        }
    }
    // The residual must not vanish identically on E (else E lies in the minimum set).
    let mut sign_g: Option<i64> = None;
    if sys.kind != StructureKind::General {
        let mut all_zero = true;
        for (k, &r) in sys.res.iter().enumerate() {
            let rr = arena.substitute(r, &sub.subst);
            match constant_of(arena, rr) {
                Ok(Some(c)) if c == 0 => {}
                Ok(Some(c)) => {
                    all_zero = false;
                    if k == 0 && sys.kind == StructureKind::Scalar {
                        sign_g = Some(if c > 0 { 1 } else { -1 });
                    }
                }
                _ => all_zero = false,
            }
        }
        if all_zero {
            return Ok(None);
        }
    } else {
        sign_g = Some(1);
    }
    if sys.kind == StructureKind::LeastSquares {
        sign_g = Some(1);
    }
    let fr = arena.substitute(sys.f, &sub.subst);
    let f_value = constant_of(arena, fr).ok().flatten();
    let (uniform, condition) = match sign_g {
        Some(s) => symbolic_class(arena, sys, &sub, s),
        None => (None, None),
    };
    let mut samples = Vec::new();
    let mut proved = false;
    for p in sub.samples(n, opts.exact_samples, opts.seed) {
        if let Some((s, witness)) = classify_point(sys, &sub, &p, opts) {
            proved |= witness;
            samples.push(s);
        }
    }
    if samples.is_empty() {
        return Err(());
    }
    Ok(Some(ExactSet {
        sub,
        f_value,
        proved,
        uniform,
        condition,
        samples,
    }))
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

/// `(uniform classification, positive-definiteness condition)` from the symbolic normal
/// Hessian on E.
fn symbolic_class(
    arena: &mut Arena,
    sys: &System,
    sub: &Subspace,
    sign: i64,
) -> (Option<Classification>, Option<String>) {
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
            Ok(Some(_)) => return (None, Some("never".into())),
            Ok(None) => match positive_condition(arena, d) {
                Some(s) => conds.push(s),
                None => return (None, None),
            },
            Err(_) => return (None, None),
        }
    }
    (None, (!conds.is_empty()).then(|| conds.join(" and ")))
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
fn classify_point(
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

    fn arena(n: usize) -> Arena {
        Arena::new(
            ["x", "y", "z", "w"][..n]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
    }

    #[test]
    fn plans_by_codimension() {
        let o = CriticalOptions::default();
        let p2 = plan(2, &o);
        assert_eq!(p2.len(), 5);
        assert_eq!(p2[0], vec![(1, 0), (0, 0)]); // y = 0 before the origin
        assert_eq!(plan(1, &o).len(), 1);
        // n = 4: 115 patterns, minus those of codimension 4.
        let p4 = plan(4, &o);
        assert!(p4.len() < 115 && p4.len() > 50);
        // n = 6: coordinate subspaces with |S| <= 3.
        assert_eq!(plan(6, &o).len(), 6 + 15 + 20);
        let no_diag = CriticalOptions {
            diagonals: false,
            ..CriticalOptions::default()
        };
        assert_eq!(plan(3, &no_diag).len(), 3 + 3 + 1);
    }

    #[test]
    fn subspaces_describe_sample_and_contain() {
        let mut a = arena(3);
        let bx = RationalBox::cube(3, 2);
        let line = Subspace::new(&mut a, vec![(1, 0), (0, 0), (1, 0)], &bx).unwrap();
        assert_eq!(line.desc, "y = 0, x = z");
        assert_eq!(line.dim, 1);
        let plane = Subspace::new(&mut a, vec![(1, 0), (1, 1), (1, 0)], &bx).unwrap();
        assert_eq!(plane.desc, "x = z");
        let anti = Subspace::new(&mut a, vec![(1, 0), (-1, 0), (1, 2)], &bx).unwrap();
        assert_eq!(anti.desc, "x = -y");
        let origin = Subspace::new(&mut a, vec![(0, 0), (0, 0), (0, 0)], &bx).unwrap();
        assert_eq!(origin.desc, "x = y = z = 0");
        assert!(line.inside(&plane));
        assert!(!plane.inside(&line));
        assert!(origin.inside(&line) && origin.inside(&anti));
        assert!(!line.inside(&anti));
        assert!((line.distance(&[1.0, 0.0, 1.0])).abs() < 1e-15);
        assert!((line.distance(&[1.0, 1.0, -1.0]) - 3f64.sqrt()).abs() < 1e-12);
        let s = line.samples(3, 5, 1);
        assert_eq!(s.len(), 5);
        for p in &s {
            assert_eq!(p[1], 0);
            assert_eq!(p[0], p[2]);
        }
        // A subspace missing the box.
        let off = RationalBox::new(
            vec![Rational::from(1), Rational::from(-1), Rational::from(-1)],
            vec![Rational::from(2), Rational::from(1), Rational::from(1)],
        )
        .unwrap();
        assert!(Subspace::new(&mut a, vec![(0, 0), (1, 1), (1, 2)], &off).is_none());
        // x = -y with x in [1, 2] needs y in [-2, -1]: misses y in [-1, 1] except y = -1.
        let s = Subspace::new(&mut a, vec![(1, 0), (-1, 0), (1, 2)], &off).unwrap();
        assert_eq!(s.params[0].1, 1);
        assert_eq!(s.params[0].2, 1);
    }

    #[test]
    fn positive_conditions_print_exactly() {
        let mut a = arena(2);
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
