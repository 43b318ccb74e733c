//! The certification steps shared by the C6 rules: a function with its gradient and
//! Hessian on one tape (`f64`, intervals, MPFR, exact), the kinks of an expression, the box
//! `B` around a point, and the Krawczyk test on the Lagrange system of `phi` on `M`.

use crate::explain::{Kink, LagrangeFailure};
use crate::model::LagrangeSystem;
use inari::Interval;
use nalgebra::DMatrix;
use ngd_certify::{krawczyk, pt};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use rug::Float;

/// A function `e` with its gradient and Hessian (upper triangle, row by row) on one tape.
pub struct SecondOrder {
    tape: Tape,
    n: usize,
}

/// Values of a [`SecondOrder`] tape.
pub struct SecondVals<S> {
    pub grad: Vec<S>,
    pub hess: Vec<Vec<S>>,
}

impl SecondOrder {
    pub fn new(arena: &mut Arena, e: ExprId) -> Self {
        let n = arena.n_vars();
        let g = arena.gradient(e);
        let h = arena.hessian(e);
        let mut outs = vec![e];
        outs.extend(&g);
        for i in 0..n {
            for j in i..n {
                outs.push(h[i][j]);
            }
        }
        SecondOrder {
            tape: Tape::compile(arena, &outs),
            n,
        }
    }

    fn unpack<S: Clone>(&self, out: &[S]) -> SecondVals<S> {
        let n = self.n;
        let mut hess = vec![vec![out[0].clone(); n]; n];
        let mut k = 1 + n;
        for i in 0..n {
            for j in i..n {
                hess[i][j] = out[k].clone();
                hess[j][i] = out[k].clone();
                k += 1;
            }
        }
        SecondVals {
            grad: out[1..1 + n].to_vec(),
            hess,
        }
    }

    /// Values at `x` in `f64`, `None` if not finite (numerical evidence only).
    pub fn eval_f64(&self, x: &[f64]) -> Option<SecondVals<f64>> {
        let mut out = vec![0.0; self.tape.n_outputs()];
        let mut scratch = Vec::new();
        self.tape.eval_f64(x, &mut scratch, &mut out);
        out.iter().all(|v| v.is_finite()).then(|| self.unpack(&out))
    }

    /// The Hessian at `x` in `f64`.
    pub fn hess_f64(&self, x: &[f64]) -> Option<DMatrix<f64>> {
        let v = self.eval_f64(x)?;
        Some(DMatrix::from_fn(self.n, self.n, |i, j| v.hess[i][j]))
    }

    /// Outward-rounded enclosures over the box `x`. Derivative enclosures are enclosures of
    /// the true derivatives only where [`SecondOrder::smooth_on`] holds.
    pub fn eval_iv(&self, x: &[Interval]) -> Result<SecondVals<Interval>, String> {
        self.tape
            .eval::<Interval>(&(), x)
            .map(|o| self.unpack(&o))
            .map_err(|e| e.kind.to_string())
    }

    /// `Ok(true)` when the function, its gradient and its Hessian are proved `C^2` on the
    /// box `x` ([`Tape::eval_interval_smooth`]); `Err` when the interval evaluation fails
    /// (a possible pole or domain error on the box).
    pub fn smooth_on(&self, x: &[Interval]) -> Result<bool, String> {
        self.tape.smooth_on(x).map_err(|e| e.kind.to_string())
    }

    /// Values at `x` in MPFR.
    pub fn eval_mp(&self, x: &[Float], prec: u32) -> Option<SecondVals<Float>> {
        let out = self.tape.eval::<Float>(&prec, x).ok()?;
        Some(self.unpack(&out))
    }

    /// Exact values at a rational point (`None` where not rational or undefined).
    pub fn eval_exact(&self, q: &[Rational]) -> Option<SecondVals<Rational>> {
        let out = self.tape.eval::<Rational>(&(), q).ok()?;
        Some(self.unpack(&out))
    }
}

/// The places where an expression may fail to be `C^2`: the arguments of `abs`, `sign`,
/// roots (rational powers with an even or odd denominator), and `a - b` for `max(a, b)`,
/// `min(a, b)`; each compiled on its own tape so that one failing evaluation does not hide
/// the others.
pub struct Kinks {
    items: Vec<(Kink, Tape)>,
}

impl Kinks {
    pub fn new(arena: &mut Arena, e: ExprId) -> Self {
        enum K {
            Arg(ExprId, ExprId),
            Diff(ExprId, ExprId, ExprId),
        }
        let mut found = Vec::new();
        for id in arena.postorder(&[e]) {
            match arena.node(id) {
                Node::Func(Func::Abs | Func::Sign, u) => found.push(K::Arg(id, *u)),
                Node::Pow(b, q) if *q.denom() != 1 => found.push(K::Arg(id, *b)),
                Node::Max(a, b) | Node::Min(a, b) => found.push(K::Diff(id, *a, *b)),
                _ => {}
            }
        }
        let mut items = Vec::new();
        for k in found {
            let (id, arg, condition) = match k {
                K::Arg(id, u) => (id, u, format!("{} = 0", arena.display(u))),
                K::Diff(id, a, b) => {
                    let d = arena.sub(a, b);
                    (
                        id,
                        d,
                        format!("{} = {}", arena.display(a), arena.display(b)),
                    )
                }
            };
            let kink = Kink {
                expression: arena.display(id),
                condition,
            };
            items.push((kink, Tape::compile(arena, &[arg])));
        }
        Kinks { items }
    }

    /// The kinks whose argument is not proved away from its kink on the box `x`.
    pub fn meeting(&self, x: &[Interval]) -> Vec<Kink> {
        self.items
            .iter()
            .filter(|(_, t)| match t.eval::<Interval>(&(), x) {
                Ok(v) => !(v[0].inf() > 0.0 || v[0].sup() < 0.0),
                Err(_) => true,
            })
            .map(|(s, _)| s.clone())
            .collect()
    }
}

/// The half-widths `r max(1, |x_i|)`.
pub fn radii(x: &[f64], r: f64) -> Vec<f64> {
    x.iter().map(|v| r * v.abs().max(1.0)).collect()
}

/// The box `[mid - rad, mid + rad]` exactly as [`krawczyk`] builds it, so that every proof
/// about it (smoothness, Cholesky) is about the same set as the Krawczyk test.
pub fn krawczyk_box(mid: &[f64], rad: &[f64]) -> Vec<Interval> {
    mid.iter()
        .zip(rad)
        .map(|(&m, &r)| Interval::try_from((m - r, m + r)).unwrap_or(Interval::ENTIRE))
        .collect()
}

/// The box `[x - r max(1, |x_i|), x + r max(1, |x_i|)]`.
pub fn box_around(x: &[f64], r: f64) -> Vec<Interval> {
    krawczyk_box(x, &radii(x, r))
}

/// A Lagrange point of `phi` on `M = {g = 0}` proved by a Krawczyk test: the box `x` (which
/// is `B`) and the multiplier's interval.
#[derive(Clone, Debug)]
pub struct LagrangeBox {
    pub x: Vec<Interval>,
    pub lambda: Interval,
}

/// The Krawczyk test on `(grad h - lambda grad g, g)` (the Lagrange system `sys`) on
/// `B x Lambda` with `B = box_around(x, radius)` and `Lambda = lambda -+ radius max(1, |lambda|)`,
/// after proving `h` and `g` `C^2` on `B` (so that the system is `C^1` there).
pub fn lagrange_krawczyk(
    sys: &LagrangeSystem,
    x: &[f64],
    lambda: f64,
    radius: f64,
) -> Result<LagrangeBox, LagrangeFailure> {
    let n = x.len();
    let mut mid = x.to_vec();
    mid.push(lambda);
    let mut rad = radii(x, radius);
    rad.push(radius * lambda.abs().max(1.0));
    let z = krawczyk_box(&mid, &rad);
    match sys.smooth_on(&z[..n]) {
        Ok(true) => {}
        Ok(false) => return Err(LagrangeFailure::NotSmooth),
        Err(error) => return Err(LagrangeFailure::NotEvaluable { error }),
    }
    let ok = krawczyk(
        &mid,
        &rad,
        |z| {
            let v = sys.eval_iv(&z[..n])?;
            let l = z[n];
            let mut f: Vec<Interval> = (0..n).map(|i| v.dh[i] - l * v.dg[i]).collect();
            f.push(v.g);
            Some(f)
        },
        |z| {
            let v = sys.eval_iv(&z[..n])?;
            let l = z[n];
            let mut k = vec![vec![pt(0.0); n + 1]; n + 1];
            for i in 0..n {
                for j in 0..n {
                    k[i][j] = v.hh[i][j] - l * v.hg[i][j];
                }
                k[i][n] = -v.dg[i];
                k[n][i] = v.dg[i];
            }
            Some(k)
        },
    );
    if ok {
        Ok(LagrangeBox {
            x: z[..n].to_vec(),
            lambda: z[n],
        })
    } else {
        Err(LagrangeFailure::KrawczykFailed)
    }
}

/// Is `q` (exactly) inside the box `b`?
pub fn in_box_exact(q: &[Rational], b: &[Interval]) -> bool {
    q.iter().zip(b).all(
        |(v, i)| match (Rational::from_f64(i.inf()), Rational::from_f64(i.sup())) {
            (Some(lo), Some(hi)) => *v >= lo && *v <= hi,
            _ => false,
        },
    )
}
