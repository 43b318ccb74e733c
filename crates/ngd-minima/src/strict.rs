//! C6: is each isolated point `s` of `S = argmin_M phi` a strict local minimum of
//! `F = f + phi`? The two proof rules and their arguments are stated in the crate docs
//! ("C6: the proof rules"); this module implements them on a box `B` around `s`:
//!
//! - [`check_point`] picks the rule: the smooth rule when `F` is proved `C^2` on `B`, the
//!   nonsmooth rule when `f = c |g|` and `phi`, `g` are proved `C^2` on `B`, otherwise "not
//!   applicable" naming the function whose kink meets `B`;
//! - every derivative-based step (Krawczyk, interval Cholesky) runs only after
//!   `Tape::eval_interval_smooth` returned `Ok(true)` for the tape it differentiates on `B`.

use crate::linalg::sym_eigen;
use crate::model::LagrangeSystem;
use crate::report::{StrictnessAtPoint, StrictnessCriterion};
use inari::Interval;
use nalgebra::DMatrix;
use ngd_certify::{interval_cholesky, krawczyk, pt};
use ngd_check::Evidence;
use ngd_eval::{interval_of, Tape};
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
    items: Vec<(String, Tape)>,
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
            let (id, arg, what) = match k {
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
            let text = format!("{} (where {what})", arena.display(id));
            items.push((text, Tape::compile(arena, &[arg])));
        }
        Kinks { items }
    }

    /// The kinks whose argument is not proved away from its kink on the box `x`.
    pub fn meeting(&self, x: &[Interval]) -> Vec<String> {
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
) -> Result<LagrangeBox, String> {
    let n = x.len();
    let mut mid = x.to_vec();
    mid.push(lambda);
    let mut rad = radii(x, radius);
    rad.push(radius * lambda.abs().max(1.0));
    let z = krawczyk_box(&mid, &rad);
    match sys.smooth_on(&z[..n]) {
        Ok(true) => {}
        Ok(false) => {
            return Err(
                "phi or g is not proved C^2 on B, so the Krawczyk test of the Lagrange system \
                 of phi on M does not apply"
                    .into(),
            )
        }
        Err(e) => {
            return Err(format!(
                "the Lagrange system of phi on M cannot be evaluated on B ({e})"
            ))
        }
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
        Err(
            "the Krawczyk test on (grad phi - lambda grad g, g) failed on B x Lambda (no \
             Lagrange point there, or a degenerate or ill-conditioned one)"
                .into(),
        )
    }
}

/// `f = c |g|`: what the nonsmooth rule needs.
pub struct AbsRule<'a> {
    /// `c > 0`.
    pub c: Rational,
    /// The Lagrange system of `phi` on `M = {g = 0}`.
    pub sys: &'a LagrangeSystem,
    /// Kinks of `g`.
    pub g_kinks: Kinks,
}

/// Everything C6 needs about `f` and `phi`.
pub struct C6Context<'a> {
    /// `F = f + phi`.
    pub fp: SecondOrder,
    /// `f` alone and `phi` alone, to say which one is not smooth.
    pub f: SecondOrder,
    pub phi: SecondOrder,
    pub f_kinks: Kinks,
    pub phi_kinks: Kinks,
    /// The Lagrange system of `phi` on `M = {g = 0}` (scalar path), for "the point of `S` is
    /// in `B`" and the exact identification.
    pub sys: Option<&'a LagrangeSystem>,
    /// `f = c |g|`.
    pub abs: Option<AbsRule<'a>>,
    /// Relative half-width of `B`.
    pub radius: f64,
}

impl<'a> C6Context<'a> {
    pub fn new(
        arena: &mut Arena,
        f: ExprId,
        phi: ExprId,
        sys: Option<&'a LagrangeSystem>,
        abs: Option<(Rational, ExprId)>,
        radius: f64,
    ) -> Self {
        let fp_e = arena.add2(f, phi);
        let abs = match (abs, sys) {
            (Some((c, g)), Some(sys)) if c > 0 => Some(AbsRule {
                c,
                sys,
                g_kinks: Kinks::new(arena, g),
            }),
            _ => None,
        };
        C6Context {
            fp: SecondOrder::new(arena, fp_e),
            f: SecondOrder::new(arena, f),
            phi: SecondOrder::new(arena, phi),
            f_kinks: Kinks::new(arena, f),
            phi_kinks: Kinks::new(arena, phi),
            sys,
            abs,
            radius,
        }
    }
}

/// One point of `S` to check.
pub struct SPoint {
    /// Index in the list of points of `S`.
    pub index: usize,
    /// The point (`f64`), the centre of `B`.
    pub x: Vec<f64>,
    /// The refined coordinates (decimal).
    pub coords: Vec<String>,
    /// The Lagrange multiplier of `phi` on `M` at the point (scalar path).
    pub lambda: Option<f64>,
    /// A rational closed form of the point, if every coordinate has one.
    pub exact: Option<Vec<Rational>>,
    /// Whether another test proved that `B` contains the point (general path: a Krawczyk
    /// test on `grad f = 0`); `None` when no such test was run.
    pub contained: Option<bool>,
    /// The projected Hessian of `phi` on `M` is singular at the point (`S` may have positive
    /// dimension there): no second-order rule can apply.
    pub degenerate: bool,
}

fn blank(ctx: &C6Context<'_>, sp: &SPoint, b: &[Interval]) -> StrictnessAtPoint {
    StrictnessAtPoint {
        s_point: sp.index,
        point: sp.x.clone(),
        coords: sp.coords.clone(),
        box_radius: ctx.radius,
        box_lo: b.iter().map(|v| v.inf()).collect(),
        box_hi: b.iter().map(|v| v.sup()).collect(),
        criterion: StrictnessCriterion::NotApplicable,
        smooth_on_box: Evidence::Inconclusive,
        smoothness: String::new(),
        critical_point: Evidence::Inconclusive,
        s_in_box: Evidence::Inconclusive,
        multiplier: None,
        multiplier_below_c: None,
        hessian_pd: Evidence::Inconclusive,
        min_pivot_lower_bound: None,
        eigenvalues: Vec::new(),
        strict_on_box: false,
        evidence: Evidence::Inconclusive,
        reason: None,
        exact: None,
    }
}

fn not_applicable(mut out: StrictnessAtPoint, why: String) -> StrictnessAtPoint {
    out.criterion = StrictnessCriterion::NotApplicable;
    out.evidence = Evidence::Inconclusive;
    out.reason = Some(format!("not applicable: {why}"));
    out
}

/// Why `name` is not proved `C^2` on `b`, or `None` when it is.
fn smoothness_failure(
    name: &str,
    so: &SecondOrder,
    kinks: &Kinks,
    b: &[Interval],
) -> Option<String> {
    match so.smooth_on(b) {
        Ok(true) => None,
        Ok(false) => {
            let k = kinks.meeting(b);
            Some(if k.is_empty() {
                format!("{name} is not proved C^2 on B")
            } else {
                format!(
                    "{name} is not proved C^2 on B: the kink of {} meets B",
                    k.join(", the kink of ")
                )
            })
        }
        Err(e) => Some(format!("{name} cannot be evaluated on all of B ({e})")),
    }
}

/// Is `q` (exactly) inside the box `b`?
fn in_box_exact(q: &[Rational], b: &[Interval]) -> bool {
    q.iter().zip(b).all(
        |(v, i)| match (Rational::from_f64(i.inf()), Rational::from_f64(i.sup())) {
            (Some(lo), Some(hi)) => *v >= lo && *v <= hi,
            _ => false,
        },
    )
}

fn rational_text(q: &[Rational]) -> String {
    let v: Vec<String> = q.iter().map(|r| r.to_string()).collect();
    format!("({})", v.join(", "))
}

/// C6 at one point of `S` (see the module docs).
pub fn check_point(ctx: &C6Context<'_>, sp: &SPoint) -> StrictnessAtPoint {
    let rad = radii(&sp.x, ctx.radius);
    let b = krawczyk_box(&sp.x, &rad);
    let mut out = blank(ctx, sp, &b);
    // The point of S in B: a Krawczyk test on the Lagrange system of phi on M.
    let lagrange = match (ctx.sys, sp.lambda) {
        (Some(sys), Some(l)) => Some(lagrange_krawczyk(sys, &sp.x, l, ctx.radius)),
        _ => None,
    };
    out.s_in_box = match (&lagrange, sp.contained) {
        (Some(Ok(_)), _) | (None, Some(true)) => Evidence::Proved,
        _ => Evidence::Inconclusive,
    };
    if let Some(Ok(lb)) = &lagrange {
        out.multiplier = Some([lb.lambda.inf(), lb.lambda.sup()]);
    }
    if sp.degenerate {
        return not_applicable(
            out,
            "s is a degenerate minimum of phi on M (its projected Hessian is singular, \
             numerically): S has positive dimension here or the minimum is of higher order, and \
             then Hess(f + phi) (or the projected Lagrangian Hessian) is singular at s, so \
             neither second-order rule can prove strictness"
                .into(),
        );
    }
    match ctx.fp.smooth_on(&b) {
        Ok(true) => smooth_rule(ctx, sp, &rad, &b, out),
        fp => {
            if let Some(abs) = &ctx.abs {
                match abs.sys.smooth_on(&b) {
                    Ok(true) => nonsmooth_rule(abs, sp, &b, lagrange, out),
                    Ok(false) => {
                        let mut why = Vec::new();
                        for (name, kinks) in [("phi", &ctx.phi_kinks), ("g", &abs.g_kinks)] {
                            let k = kinks.meeting(&b);
                            if !k.is_empty() {
                                why.push(format!(
                                    "{name} is not proved C^2 on B: the kink of {} meets B",
                                    k.join(", the kink of ")
                                ));
                            }
                        }
                        if why.is_empty() {
                            why.push("phi or g is not proved C^2 on B".into());
                        }
                        out.smoothness = why.join("; ");
                        let w = format!(
                            "f = c|g|, but {}: the nonsmooth rule needs phi and g C^2 on B",
                            out.smoothness
                        );
                        not_applicable(out, w)
                    }
                    Err(e) => {
                        out.smoothness = format!("phi or g cannot be evaluated on all of B ({e})");
                        let w = out.smoothness.clone();
                        not_applicable(out, w)
                    }
                }
            } else {
                let mut why: Vec<String> = [
                    smoothness_failure("f", &ctx.f, &ctx.f_kinks, &b),
                    smoothness_failure("phi", &ctx.phi, &ctx.phi_kinks, &b),
                ]
                .into_iter()
                .flatten()
                .collect();
                if why.is_empty() {
                    why.push(match fp {
                        Err(e) => format!("f + phi cannot be evaluated on all of B ({e})"),
                        Ok(_) => "f + phi is not proved C^2 on B".into(),
                    });
                }
                out.smoothness = why.join("; ");
                let w = format!(
                    "{}; the smooth rule needs f + phi C^2 on B, and f is not of the form c|g| \
                     with smooth g",
                    out.smoothness
                );
                not_applicable(out, w)
            }
        }
    }
}

/// The smooth rule: `F = f + phi` is `C^2` on `B` (checked by the caller).
fn smooth_rule(
    ctx: &C6Context<'_>,
    sp: &SPoint,
    rad: &[f64],
    b: &[Interval],
    mut out: StrictnessAtPoint,
) -> StrictnessAtPoint {
    let n = sp.x.len();
    out.criterion = StrictnessCriterion::Smooth;
    out.smooth_on_box = Evidence::Proved;
    out.smoothness = "f + phi, its gradient and its Hessian are proved C^2 on B (every \
                      abs/sign/max/min/root argument excludes its kink, no pole)"
        .into();
    let crit = krawczyk(
        &sp.x,
        rad,
        |z| ctx.fp.eval_iv(z).ok().map(|v| v.grad),
        |z| ctx.fp.eval_iv(z).ok().map(|v| v.hess),
    );
    out.critical_point = if crit {
        Evidence::Proved
    } else {
        Evidence::Inconclusive
    };
    let hx = ctx.fp.hess_f64(&sp.x);
    out.eigenvalues = hx.as_ref().map(|h| sym_eigen(h).0).unwrap_or_default();
    let over_b = match ctx.fp.eval_iv(b) {
        Ok(v) => v,
        Err(e) => {
            out.reason = Some(format!("interval evaluation of f + phi failed on B: {e}"));
            return out;
        }
    };
    let chol = interval_cholesky(&over_b.hess);
    if let Ok(p) = chol {
        out.hessian_pd = Evidence::Proved;
        out.min_pivot_lower_bound = Some(p);
    }
    if !crit {
        // Is grad F bounded away from 0 on all of B?
        let away = (0..n).find(|&i| {
            let v = over_b.grad[i];
            v.inf() > 0.0 || v.sup() < 0.0
        });
        let num = ctx
            .fp
            .eval_f64(&sp.x)
            .map(|v| {
                let s: Vec<String> = v.grad.iter().map(|g| format!("{g:.3e}")).collect();
                format!("({})", s.join(", "))
            })
            .unwrap_or_else(|| "undefined".into());
        match away {
            Some(i) => {
                let v = over_b.grad[i];
                let base = format!(
                    "component {} of grad(f + phi) lies in [{:.6e}, {:.6e}] on all of B, so B \
                     contains no critical point of f + phi (grad(f + phi)(s) = {num} \
                     numerically)",
                    i + 1,
                    v.inf(),
                    v.sup()
                );
                if out.s_in_box == Evidence::Proved {
                    out.evidence = Evidence::Refuted;
                    out.reason = Some(format!(
                        "{base}; B contains the point of S (Krawczyk), so that point is not a \
                         critical point of the differentiable f + phi and not a local minimum"
                    ));
                } else {
                    out.reason = Some(format!(
                        "{base}; s is not a critical point of f + phi (that the point of S lies \
                         in B was not proved, so this is not a refutation)"
                    ));
                }
            }
            None => {
                out.reason = Some(format!(
                    "the Krawczyk test did not prove a critical point of f + phi in B \
                     (grad(f + phi)(s) = {num} numerically; degenerate, ill-conditioned, or not \
                     critical)"
                ));
            }
        }
        return out;
    }
    match chol {
        Ok(_) => {
            out.evidence = Evidence::Proved;
            out.strict_on_box = true;
            out.reason = Some(
                "B contains exactly one critical point of f + phi (Krawczyk) and Hess(f + phi) \
                 is positive definite on the convex box B (interval Cholesky): f + phi is \
                 strictly convex on B, so that critical point is its unique minimizer on B, a \
                 strict local minimum"
                    .into(),
            );
            if let (Some(q), Some(sys)) = (&sp.exact, ctx.sys) {
                let grad_zero = ctx
                    .fp
                    .eval_exact(q)
                    .is_some_and(|v| v.grad.iter().all(|g| *g == 0));
                let on_m = sys.eval_exact(q).is_some_and(|v| v.g == 0);
                if in_box_exact(q, b) && grad_zero && on_m {
                    out.exact = Some(format!(
                        "the rational point {} lies in B with g = 0 and grad(f + phi) = 0 \
                         exactly: it is that critical point, and a point of M",
                        rational_text(q)
                    ));
                }
            }
        }
        Err(fail) => {
            let ev = &out.eigenvalues;
            let lmin = ev.first().copied().unwrap_or(f64::NAN);
            let scale = ev.iter().fold(0.0f64, |a, b| a.max(b.abs())).max(1e-300);
            if lmin < -1e-8 * scale {
                let cert = hx.map(|m| {
                    let vecs = sym_eigen(&m).1;
                    let v: Vec<f64> = vecs.column(0).iter().copied().collect();
                    let mut q = pt(0.0);
                    for i in 0..n {
                        for j in 0..n {
                            q += pt(v[i]) * over_b.hess[i][j] * pt(v[j]);
                        }
                    }
                    q.sup()
                });
                match cert {
                    Some(sup) if sup < 0.0 => {
                        out.hessian_pd = Evidence::Refuted;
                        out.evidence = Evidence::Refuted;
                        out.reason = Some(format!(
                            "the critical point of f + phi in B (Krawczyk) is not a local \
                             minimum: Hess(f + phi) has the eigenvalue {lmin:.6e} < 0, and v^T \
                             Hess(f + phi) v <= {sup:.3e} < 0 on all of B for its eigenvector v \
                             (intervals)"
                        ));
                    }
                    _ => {
                        out.reason = Some(format!(
                            "numerically Hess(f + phi) has the eigenvalue {lmin:.6e} < 0"
                        ))
                    }
                }
            } else if lmin.abs() <= 1e-8 * scale {
                out.reason = Some(format!(
                    "Hess(f + phi) is singular to working accuracy (smallest eigenvalue \
                     {lmin:.3e}): positive definiteness fails or cannot be decided"
                ));
            } else {
                out.reason = Some(format!(
                    "interval Cholesky failed at pivot {} (lower bound {:.3e}): the enclosure \
                     is too wide although the eigenvalues look positive",
                    fail.pivot + 1,
                    fail.lower
                ));
            }
        }
    }
    out
}

/// The data of the nonsmooth rule's tangent test on a box.
pub struct TangentTest {
    /// `Z^T (Hess phi - lambda Hess g) Z` over `B x Lambda` (upper triangle mirrored).
    pub t: Vec<Vec<Interval>>,
    /// `Z^T Z` over `B`.
    pub w: Vec<Vec<Interval>>,
    /// The Lagrangian Hessian enclosure `Hess phi(B) - Lambda Hess g(B)`.
    pub m: Vec<Vec<Interval>>,
    /// `grad g(B)`.
    pub a: Vec<Interval>,
    /// `Hess g(B)`.
    pub hg: Vec<Vec<Interval>>,
}

/// The tangent basis `z_j = e_j - (a_j / a_k) e_k` (`j != k`) of `a^perp`, with `k` the
/// coordinate of the largest `|a_k|` at the midpoint; `None` when `a_k` is not bounded away
/// from 0 on the box.
pub fn tangent_test(sys: &LagrangeSystem, x: &[Interval], lambda: Interval) -> Option<TangentTest> {
    let n = x.len();
    let v = sys.eval_iv(x)?;
    let m: Vec<Vec<Interval>> = (0..n)
        .map(|i| (0..n).map(|j| v.hh[i][j] - lambda * v.hg[i][j]).collect())
        .collect();
    let a = v.dg.clone();
    let mut k = 0;
    for i in 1..n {
        if a[i].mid().abs() > a[k].mid().abs() {
            k = i;
        }
    }
    if !(a[k].inf() > 0.0 || a[k].sup() < 0.0) {
        return None;
    }
    let js: Vec<usize> = (0..n).filter(|&j| j != k).collect();
    let r: Vec<Interval> = js.iter().map(|&j| a[j] / a[k]).collect();
    let d = js.len();
    let mut t = vec![vec![pt(0.0); d]; d];
    let mut w = vec![vec![pt(0.0); d]; d];
    for p in 0..d {
        for q in p..d {
            let (i, j) = (js[p], js[q]);
            let tv = m[i][j] - r[q] * m[i][k] - r[p] * m[k][j] + r[p] * r[q] * m[k][k];
            let wv = if p == q { pt(1.0) } else { pt(0.0) } + r[p] * r[q];
            t[p][q] = tv;
            t[q][p] = tv;
            w[p][q] = wv;
            w[q][p] = wv;
        }
    }
    Some(TangentTest {
        t,
        w,
        m,
        a,
        hg: v.hg,
    })
}

fn mid_matrix(a: &[Vec<Interval>]) -> DMatrix<f64> {
    DMatrix::from_fn(a.len(), a.len(), |i, j| a[i][j].mid())
}

/// The eigenvalues of the pencil `(T, W)` at the midpoints (`W` positive definite): the
/// eigenvalues of the Lagrangian Hessian on the tangent space in orthonormal coordinates.
fn pencil_eigenvalues(t: &[Vec<Interval>], w: &[Vec<Interval>]) -> Option<Vec<f64>> {
    let tm = mid_matrix(t);
    let wm = mid_matrix(w);
    let l = wm.cholesky()?.l();
    let li = l.try_inverse()?;
    let a = &li * tm * li.transpose();
    let a = (&a + a.transpose()) * 0.5;
    Some(sym_eigen(&a).0)
}

/// `sqrt(sum_ij mag(a_ij)^2)` rounded up: an upper bound of the Frobenius (so spectral) norm
/// of every matrix in `a`.
fn frobenius_sup(a: &[Vec<Interval>]) -> f64 {
    let mut s = pt(0.0);
    for row in a {
        for v in row {
            s += pt(v.mag()).sqr();
        }
    }
    s.sqrt().sup()
}

/// The quantitative form of the nonsmooth rule on all of `B` (crate docs): with
/// `d_T^T M d_T >= sigma |d_T|^2` proved by interval Cholesky on `T - sigma W`, checks
/// `theta kappa K < sigma` and `beta = theta kappa A - delta (1.5 |M| + theta kappa K / 2) > 0`.
/// Returns `sigma` and `beta` (lower bound) on success.
pub fn strict_on_box_bound(
    tt: &TangentTest,
    x: &[Interval],
    kappa: f64,
    mu: f64,
) -> Option<(f64, f64)> {
    if !(kappa > 0.0 && mu > 0.0) {
        return None;
    }
    let mnorm = frobenius_sup(&tt.m);
    let knorm = frobenius_sup(&tt.hg);
    let mut asq = pt(0.0);
    for v in &tt.a {
        asq += v.sqr();
    }
    let a_lo = asq.sqrt().inf();
    let mut dsq = pt(0.0);
    for v in x {
        dsq += (pt(v.sup()) - pt(v.inf())).sqr();
    }
    let delta = dsq.sqrt().sup();
    if !(mnorm.is_finite() && knorm.is_finite() && a_lo > 0.0 && delta.is_finite()) {
        return None;
    }
    for sigma in [mu / 2.0, mu / 8.0, mu / 64.0] {
        let d = tt.t.len();
        let shifted: Vec<Vec<Interval>> = (0..d)
            .map(|p| {
                (0..d)
                    .map(|q| tt.t[p][q] - pt(sigma) * tt.w[p][q])
                    .collect()
            })
            .collect();
        if interval_cholesky(&shifted).is_err() {
            continue;
        }
        let theta = if knorm > 0.0 {
            (sigma / (2.0 * kappa * knorm)).min(1.0)
        } else {
            1.0
        };
        let tk = pt(theta) * pt(kappa);
        // `<` rather than `>=` so that a NaN bound fails.
        let below = (tk * pt(knorm)).sup() < sigma;
        if !below {
            continue;
        }
        let beta = tk * pt(a_lo) - pt(delta) * (pt(1.5) * pt(mnorm) + pt(0.5) * tk * pt(knorm));
        if beta.inf() > 0.0 {
            return Some((sigma, beta.inf()));
        }
    }
    None
}

/// The nonsmooth rule for `f = c |g|` (`phi` and `g` are `C^2` on `B`, checked by the
/// caller).
fn nonsmooth_rule(
    abs: &AbsRule<'_>,
    sp: &SPoint,
    b: &[Interval],
    lagrange: Option<Result<LagrangeBox, String>>,
    mut out: StrictnessAtPoint,
) -> StrictnessAtPoint {
    out.criterion = StrictnessCriterion::NonsmoothAbs;
    out.smooth_on_box = Evidence::Proved;
    out.smoothness = "f = c|g| has its kink on M; phi and g, with their gradients and \
                      Hessians, are proved C^2 on B"
        .into();
    // (i) a Lagrange point of phi on M in B.
    let lb = match lagrange {
        Some(Ok(lb)) => lb,
        Some(Err(e)) => {
            out.reason = Some(format!("(i) failed: {e}"));
            return out;
        }
        None => {
            out.reason =
                Some("(i) not run: no Lagrange multiplier of phi on M at this point".into());
            return out;
        }
    };
    out.critical_point = Evidence::Proved;
    // (ii) |lambda| < c.
    let c_iv = interval_of(&abs.c, &abs.c);
    let kappa = (c_iv - pt(lb.lambda.mag())).inf();
    let lam_text = format!("[{:.6e}, {:.6e}]", lb.lambda.inf(), lb.lambda.sup());
    if kappa > 0.0 {
        out.multiplier_below_c = Some(Evidence::Proved);
    } else if lb.lambda.mig() > c_iv.sup() {
        out.multiplier_below_c = Some(Evidence::Refuted);
        out.evidence = Evidence::Refuted;
        out.reason = Some(format!(
            "(ii) fails: the multiplier lambda in {lam_text} has |lambda| > c = {}: 0 is not in \
             the subdifferential conv{{grad phi + c grad g, grad phi - c grad g}} at s, so \
             f + phi decreases along -sign(lambda) grad g and s is not a local minimum",
            abs.c
        ));
        return out;
    } else {
        out.multiplier_below_c = Some(Evidence::Inconclusive);
        out.reason = Some(format!(
            "(ii) undecided: the multiplier lambda in {lam_text} is not proved below c = {} in \
             absolute value",
            abs.c
        ));
        return out;
    }
    // (iii) the Lagrangian Hessian on the tangent space of M.
    let Some(tt) = tangent_test(abs.sys, &lb.x, lb.lambda) else {
        out.reason = Some(
            "(iii) grad g is not bounded away from 0 on B, or the Lagrange system cannot be \
             evaluated there"
                .into(),
        );
        return out;
    };
    out.eigenvalues = pencil_eigenvalues(&tt.t, &tt.w).unwrap_or_default();
    let mu = out.eigenvalues.first().copied().unwrap_or(f64::NAN);
    match interval_cholesky(&tt.t) {
        Ok(p) => {
            out.hessian_pd = Evidence::Proved;
            out.min_pivot_lower_bound = Some(p);
            out.evidence = Evidence::Proved;
            let bound = strict_on_box_bound(&tt, &lb.x, kappa, mu);
            out.strict_on_box = bound.is_some();
            let mut r = format!(
                "(i) B x Lambda contains exactly one Lagrange point (s, lambda) of phi on \
                 M = {{g = 0}} (Krawczyk), lambda in {lam_text}; (ii) |lambda| < c = {} (so \
                 0 = mu_1 (grad phi + c grad g) + mu_2 (grad phi - c grad g) with mu_1, mu_2 > \
                 0); (iii) Z^T (Hess phi - lambda Hess g) Z is positive definite for the \
                 tangent basis Z of M built from grad g over B (interval Cholesky): the \
                 second-order sufficient condition for f + phi = max(phi + c g, phi - c g), a \
                 strict local minimum",
                abs.c
            );
            if let Some((sigma, beta)) = bound {
                r.push_str(&format!(
                    "; moreover (f + phi)(x) > (f + phi)(s) on all of B (sigma = {sigma:.3e}, \
                     kappa = {kappa:.3e}, beta >= {beta:.3e})"
                ));
            }
            out.reason = Some(r);
            if let Some(q) = &sp.exact {
                if let Some(v) = abs.sys.eval_exact(q) {
                    let gg: Rational = v.dg.iter().map(|a| Rational::from(a * a)).sum();
                    if v.g == 0 && gg != 0 && in_box_exact(q, b) {
                        let dot: Rational =
                            v.dg.iter()
                                .zip(&v.dh)
                                .map(|(a, h)| Rational::from(a * h))
                                .sum();
                        let lam = dot / gg;
                        let lagr =
                            v.dh.iter()
                                .zip(&v.dg)
                                .all(|(h, a)| (h - Rational::from(&lam * a)) == 0);
                        let in_lambda = match (
                            Rational::from_f64(lb.lambda.inf()),
                            Rational::from_f64(lb.lambda.sup()),
                        ) {
                            (Some(lo), Some(hi)) => lam >= lo && lam <= hi,
                            _ => false,
                        };
                        if lagr && in_lambda {
                            let rel = if lam == 0 {
                                "grad phi = 0".to_string()
                            } else {
                                format!("grad phi = {lam} grad g")
                            };
                            out.exact = Some(format!(
                                "the rational point {} lies in B with g = 0 and {rel} exactly: \
                                 it is that Lagrange point",
                                rational_text(q)
                            ));
                        }
                    }
                }
            }
        }
        Err(fail) => {
            // A certified negative tangent direction refutes: s is then not a local minimum
            // of phi on M, and f + phi = phi on M.
            let tm = mid_matrix(&tt.t);
            let (vals, vecs) = sym_eigen(&tm);
            let d = tt.t.len();
            let mut refuted = None;
            if vals.first().is_some_and(|v| *v < 0.0) {
                let u: Vec<f64> = vecs.column(0).iter().copied().collect();
                let mut q = pt(0.0);
                for p in 0..d {
                    for r in 0..d {
                        q += pt(u[p]) * tt.t[p][r] * pt(u[r]);
                    }
                }
                if q.sup() < 0.0 {
                    refuted = Some(q.sup());
                }
            }
            match refuted {
                Some(sup) => {
                    out.hessian_pd = Evidence::Refuted;
                    out.evidence = Evidence::Refuted;
                    out.reason = Some(format!(
                        "(iii) fails: for a tangent direction d = Z u of M, d^T (Hess phi - \
                         lambda Hess g) d <= {sup:.3e} < 0 (intervals over B x Lambda): s is \
                         not a local minimum of phi on M, and f + phi = phi on M"
                    ));
                }
                None => {
                    out.reason = Some(format!(
                        "(iii) interval Cholesky of Z^T (Hess phi - lambda Hess g) Z failed at \
                         pivot {} (lower bound {:.3e}; smallest tangent eigenvalue {mu:.3e} \
                         numerically)",
                        fail.pivot + 1,
                        fail.lower
                    ));
                }
            }
        }
    }
    out
}

/// The overall verdict of C6 over the points of `S` and a summary sentence.
pub fn summarize(points: &[StrictnessAtPoint]) -> (Evidence, String) {
    let n = points.len();
    if n == 0 {
        return (
            Evidence::Inconclusive,
            "no isolated point of S to check".into(),
        );
    }
    let proved = points
        .iter()
        .filter(|p| p.evidence == Evidence::Proved)
        .count();
    if proved == n {
        return (
            Evidence::Proved,
            format!("every point of S found ({n}) is proved a strict local minimum of f + phi"),
        );
    }
    let first_bad = points
        .iter()
        .find(|p| p.evidence == Evidence::Refuted)
        .or_else(|| points.iter().find(|p| p.evidence != Evidence::Proved))
        .expect("a point that is not proved");
    let refuted = points
        .iter()
        .filter(|p| p.evidence == Evidence::Refuted)
        .count();
    let na = points
        .iter()
        .filter(|p| p.criterion == StrictnessCriterion::NotApplicable)
        .count();
    let why = first_bad.reason.clone().unwrap_or_default();
    let at = format!(
        "({})",
        first_bad
            .point
            .iter()
            .map(|v| format!("{v:.6}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let ev = if refuted > 0 {
        Evidence::Refuted
    } else {
        Evidence::Inconclusive
    };
    let head = if refuted > 0 {
        format!(
            "{refuted} of {n} point(s) of S are proved not to be strict local minima of f + phi"
        )
    } else if na == n {
        format!("no rule applies at the {n} point(s) of S")
    } else {
        format!("{proved} of {n} point(s) of S proved")
    };
    (ev, format!("{head}; at {at}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_parse::{parse_expr, Params};
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;

    struct Setup {
        arena: Arena,
        f: ExprId,
        phi: ExprId,
        g: ExprId,
        sys: LagrangeSystem,
    }

    /// `f = outer(g)` written out, `phi`, and the Lagrange system of `phi` on `{g = 0}`.
    fn setup(f: &str, g: &str, phi: &str) -> Setup {
        let mut arena = Arena::new(vec!["x".into(), "y".into()]);
        let p = Params::new();
        let f = parse_expr(&mut arena, f, &p).unwrap();
        let g = parse_expr(&mut arena, g, &p).unwrap();
        let phi = parse_expr(&mut arena, phi, &p).unwrap();
        let sys = LagrangeSystem::new(&mut arena, phi, g);
        Setup {
            arena,
            f,
            phi,
            g,
            sys,
        }
    }

    fn sp(x: &[f64], lambda: f64) -> SPoint {
        SPoint {
            index: 0,
            x: x.to_vec(),
            coords: x.iter().map(|v| v.to_string()).collect(),
            lambda: Some(lambda),
            exact: None,
            contained: None,
            degenerate: false,
        }
    }

    fn check(
        s: &mut Setup,
        abs_c: Option<i64>,
        x: &[f64],
        lambda: f64,
        r: f64,
    ) -> StrictnessAtPoint {
        let abs = abs_c.map(|c| (Rational::from(c), s.g));
        let ctx = C6Context::new(&mut s.arena, s.f, s.phi, Some(&s.sys), abs, r);
        check_point(&ctx, &sp(x, lambda))
    }

    /// `(f + phi)(x) > (f + phi)(s)` at `k` seeded random points of the box (MPFR, 256 bits),
    /// skipping points within `1e-12` of `s`.
    fn sampled_strict(s: &mut Setup, p: &StrictnessAtPoint, k: usize) -> bool {
        let fp = s.arena.add2(s.f, s.phi);
        let t = Tape::compile(&s.arena, &[fp]);
        let prec = 256;
        let c: Vec<Float> = p.point.iter().map(|&v| Float::with_val(prec, v)).collect();
        let fc = t.eval::<Float>(&prec, &c).unwrap()[0].clone();
        let mut rng = Pcg64::seed_from_u64(3);
        (0..k).all(|_| {
            let x: Vec<f64> = p
                .box_lo
                .iter()
                .zip(&p.box_hi)
                .map(|(&a, &b)| rng.random_range(a..=b))
                .collect();
            if x.iter().zip(&p.point).all(|(a, b)| (a - b).abs() < 1e-12) {
                return true;
            }
            let xm: Vec<Float> = x.iter().map(|&v| Float::with_val(prec, v)).collect();
            t.eval::<Float>(&prec, &xm).unwrap()[0] > fc
        })
    }

    /// Example (a) of the issue at the flat point (1, 1): phi has a kink there, so no rule
    /// applies (the old check proved Hess(f + phi) positive definite there).
    #[test]
    fn kink_of_phi_at_the_point_is_not_applicable() {
        let mut s = setup("(x*y - 1)^2", "x*y - 1", "(x^2 - y^2)^2 - abs(x - y)");
        let p = check(&mut s, None, &[1.0, 1.0], 0.0, 1e-10);
        assert_eq!(p.criterion, StrictnessCriterion::NotApplicable);
        assert_eq!(p.evidence, Evidence::Inconclusive);
        let why = p.reason.unwrap();
        assert!(
            why.contains("phi is not proved C^2 on B: the kink of abs(x - y)"),
            "{why}"
        );
        assert!(!why.contains("f is not proved"), "{why}");
    }

    /// Example (b) at the flat point (1, 1), which is not in S: grad(f + phi) = (-4, 4) there,
    /// so the smooth rule cannot prove a critical point. (1, 1) is not a Lagrange point of
    /// phi on M either, so this is not a refutation of anything about S.
    #[test]
    fn non_critical_point_is_not_proved() {
        let mut s = setup("(x*y - 1)^2", "x*y - 1", "(x^2 - y^2 - 1)^2");
        let p = check(&mut s, None, &[1.0, 1.0], 0.0, 1e-10);
        assert_eq!(p.criterion, StrictnessCriterion::Smooth);
        assert_eq!(p.critical_point, Evidence::Inconclusive);
        assert_eq!(p.s_in_box, Evidence::Inconclusive);
        assert_eq!(p.evidence, Evidence::Inconclusive);
        assert!(p.reason.unwrap().contains("(-4.000e0, 4.000e0)"));
    }

    /// The nonsmooth rule on abs-xy at (1, 1) (multiplier 0), and the quantitative bound on
    /// growing boxes: whenever it claims f + phi > (f + phi)(s) on all of B, 2000 sampled
    /// points agree; on large boxes it must stop claiming it.
    #[test]
    fn nonsmooth_rule_and_box_bound() {
        let mut s = setup("abs(x*y - 1)", "x*y - 1", "(x^2 - y^2)^2");
        let mut claimed = Vec::new();
        for r in [1e-10, 1e-6, 1e-3, 1e-2, 3e-2, 0.1, 0.3] {
            let p = check(&mut s, Some(1), &[1.0, 1.0], 0.0, r);
            if r <= 1e-3 {
                assert_eq!(p.evidence, Evidence::Proved, "{r}: {p:#?}");
                assert_eq!(p.criterion, StrictnessCriterion::NonsmoothAbs);
                assert!(p.strict_on_box, "{r}");
            }
            if p.strict_on_box {
                assert_eq!(p.evidence, Evidence::Proved);
                assert!(sampled_strict(&mut s, &p, 2000), "{r}");
                claimed.push(r);
            }
        }
        // The bound holds up to boxes of half-width 1e-2 here, and is not claimed at 0.3.
        assert!(claimed.contains(&1e-2), "{claimed:?}");
        assert!(!claimed.contains(&0.3), "{claimed:?}");
    }

    /// A tangent direction of negative curvature refutes (iii): phi = -(x^2 - y^2)^2 decreases
    /// along M away from (1, 1).
    #[test]
    fn negative_tangent_curvature_refutes() {
        let mut s = setup("abs(x*y - 1)", "x*y - 1", "-(x^2 - y^2)^2");
        let p = check(&mut s, Some(1), &[1.0, 1.0], 0.0, 1e-10);
        assert_eq!(p.criterion, StrictnessCriterion::NonsmoothAbs);
        assert_eq!(p.hessian_pd, Evidence::Refuted);
        assert_eq!(p.evidence, Evidence::Refuted);
    }

    /// `|lambda| = c` exactly cannot be decided by intervals: inconclusive, never proved.
    #[test]
    fn multiplier_equal_to_c_is_inconclusive() {
        // f = |x + y - 2|/2 (c = 1/2), phi = (x - y)^2 + (x + y)/2: lambda = 1/2 at (1, 1).
        let mut s = setup("abs(x + y - 2)/2", "x + y - 2", "(x - y)^2 + (x + y)/2");
        let ctx = C6Context::new(
            &mut s.arena,
            s.f,
            s.phi,
            Some(&s.sys),
            Some((Rational::from((1, 2)), s.g)),
            1e-10,
        );
        let p = check_point(&ctx, &sp(&[1.0, 1.0], 0.5));
        assert_eq!(p.critical_point, Evidence::Proved);
        assert_eq!(p.multiplier_below_c, Some(Evidence::Inconclusive));
        assert_eq!(p.evidence, Evidence::Inconclusive);
        // With c = 1 it is proved, with c = 1/4 refuted.
        for (c, want) in [((1, 1), Evidence::Proved), ((1, 4), Evidence::Refuted)] {
            let ctx = C6Context::new(
                &mut s.arena,
                s.f,
                s.phi,
                Some(&s.sys),
                Some((Rational::from(c), s.g)),
                1e-10,
            );
            assert_eq!(check_point(&ctx, &sp(&[1.0, 1.0], 0.5)).evidence, want);
        }
    }

    /// A smooth strict minimum with an indefinite Hessian elsewhere is still proved on a tiny
    /// box; a saddle of f + phi is refuted.
    #[test]
    fn smooth_rule_saddle_is_refuted() {
        // f + phi = (x y - 1)^2 + (x - 1)^2 - 3 (y - 1)^2 has a critical point at (1, 1) with
        // Hessian [[4, 2], [2, -4]]: a saddle.
        let mut s = setup("(x*y - 1)^2", "x*y - 1", "(x - 1)^2 - 3*(y - 1)^2");
        let p = check(&mut s, None, &[1.0, 1.0], 0.0, 1e-10);
        assert_eq!(p.criterion, StrictnessCriterion::Smooth);
        assert_eq!(p.critical_point, Evidence::Proved);
        assert_eq!(p.hessian_pd, Evidence::Refuted);
        assert_eq!(p.evidence, Evidence::Refuted);
    }

    #[test]
    fn kinks_are_located() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let e = parse_expr(
            &mut a,
            "abs(x - 1) + max(x, y) + sqrt(y) + sign(x*y) + x^2",
            &Params::new(),
        )
        .unwrap();
        let k = Kinks::new(&mut a, e);
        let near = |x: f64, y: f64| box_around(&[x, y], 1e-6);
        let at = k.meeting(&near(1.0, 1.0));
        assert!(at.iter().any(|s| s.starts_with("abs(x - 1)")), "{at:?}");
        assert!(at.iter().any(|s| s.starts_with("max(x, y)")), "{at:?}");
        assert_eq!(at.len(), 2, "{at:?}");
        let at = k.meeting(&near(2.0, 0.0));
        assert!(at.iter().any(|s| s.contains("y = 0")), "{at:?}");
        assert!(k.meeting(&near(2.0, 3.0)).is_empty());
    }

    /// The pencil (Z^T M Z, Z^T Z) has the eigenvalues of M on the tangent space, computed
    /// independently with an orthonormal basis of grad g^perp (3 variables, the largest
    /// component of grad g last).
    #[test]
    fn tangent_pencil_matches_an_orthonormal_basis() {
        let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
        let p = Params::new();
        let g = parse_expr(&mut a, "x + 3*y - z^2", &p).unwrap();
        let phi = parse_expr(&mut a, "x^2 + x*y + 3*z^2 + y*z", &p).unwrap();
        let sys = LagrangeSystem::new(&mut a, phi, g);
        let z = 7f64.sqrt();
        let (lam, x) = (0.7, [1.0, 2.0, z]);
        let tt = tangent_test(&sys, &box_around(&x, 1e-12), pt(lam)).unwrap();
        assert_eq!(tt.t.len(), 2);
        let got = pencil_eigenvalues(&tt.t, &tt.w).unwrap();
        let m = DMatrix::from_row_slice(
            3,
            3,
            &[2.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 6.0 + 2.0 * lam],
        );
        let grad = DMatrix::from_row_slice(1, 3, &[1.0, 3.0, -2.0 * z]);
        let q = crate::linalg::null_space(&grad, 1e-12);
        assert_eq!(q.ncols(), 2);
        let want = sym_eigen(&(q.transpose() * m * q)).0;
        for (a, b) in got.iter().zip(&want) {
            assert!((a - b).abs() < 1e-6, "{got:?} {want:?}");
        }
    }
}
