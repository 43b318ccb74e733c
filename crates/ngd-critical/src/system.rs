//! The critical-point equations of `f` by structure, compiled once.
//!
//! - `f = c h(g)`: `F = grad g`, Jacobian `Hess g`, residual `g`; at `grad g = 0`,
//!   `Hess f = c h'(g) Hess g` and `sign h'(g) = sign g`, so the classification matrix is
//!   `sign(g) Hess g`.
//! - least squares `f = sum c_i g_i^2 + c_0`: `F = grad f = 2 J_G^T C G`, Jacobian `Hess f`,
//!   residuals `G`.
//! - general: `F = grad f`, Jacobian `Hess f`, no residual.

use crate::report::StructureKind;
use inari::Interval;
use nalgebra::{DMatrix, DVector};
use ngd_check::Structure;
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Func, Node};
use rug::Rational;

/// The compiled equations. Tape outputs: `[f, res_0.., F_0.., H upper triangle row-major]`.
pub(crate) struct System {
    pub kind: StructureKind,
    pub n: usize,
    /// Number of residual outputs (1 scalar, `m` least squares, 0 general).
    pub m: usize,
    /// Weights of the residual norm (least squares `c_i`; scalar `1`).
    pub weights: Vec<f64>,
    pub tape: Tape,
    /// `[res_0.., grad res_0.., grad res_1.., ..]` for the search of a zero of the residual.
    pub res_tape: Option<Tape>,
    pub f: ExprId,
    pub res: Vec<ExprId>,
    pub eqs: Vec<ExprId>,
    pub hess: Vec<Vec<ExprId>>,
    /// Whether the inner expressions (`g`, the `g_i`, or `f`) contain abs, sign, max or min.
    pub nonsmooth: bool,
    upper: Vec<usize>,
}

/// The values at one point (f64).
pub(crate) struct PointEval {
    pub f: f64,
    pub res: Vec<f64>,
    pub eq: DVector<f64>,
    pub h: DMatrix<f64>,
}

fn has_kinks(arena: &Arena, roots: &[ExprId]) -> bool {
    arena.postorder(roots).into_iter().any(|id| {
        matches!(
            arena.node(id),
            Node::Func(Func::Abs | Func::Sign, _) | Node::Max(..) | Node::Min(..)
        )
    })
}

impl System {
    pub fn build(arena: &mut Arena, f: ExprId, structure: &Structure) -> System {
        let n = arena.n_vars();
        let (kind, res, weights, eqs, hess) = match structure {
            Structure::Scalar { g, .. } => {
                let eqs = arena.gradient(*g);
                let hess = arena.hessian(*g);
                (StructureKind::Scalar, vec![*g], vec![1.0], eqs, hess)
            }
            Structure::LeastSquares { residuals } => {
                let eqs = arena.gradient(f);
                let hess = arena.hessian(f);
                let res: Vec<ExprId> = residuals.iter().map(|(_, g)| *g).collect();
                let w = residuals.iter().map(|(c, _)| c.to_f64()).collect();
                (StructureKind::LeastSquares, res, w, eqs, hess)
            }
            // A sum of losses is searched as a general `f` (its critical points are not
            // those of `J^T C G = 0`).
            Structure::Sum { .. } | Structure::General => {
                let eqs = arena.gradient(f);
                let hess = arena.hessian(f);
                (StructureKind::General, Vec::new(), Vec::new(), eqs, hess)
            }
        };
        let m = res.len();
        let mut outs = vec![f];
        outs.extend(&res);
        outs.extend(&eqs);
        let mut upper = vec![0; n * n];
        for i in 0..n {
            for j in i..n {
                upper[i * n + j] = outs.len();
                upper[j * n + i] = outs.len();
                outs.push(hess[i][j]);
            }
        }
        let tape = Tape::compile(arena, &outs);
        let res_tape = (m > 0).then(|| {
            let mut o = res.clone();
            for &r in &res {
                o.extend(arena.gradient(r));
            }
            Tape::compile(arena, &o)
        });
        let inner: Vec<ExprId> = if kind == StructureKind::General {
            vec![f]
        } else {
            res.clone()
        };
        let nonsmooth = has_kinks(arena, &inner);
        System {
            kind,
            n,
            m,
            weights,
            tape,
            res_tape,
            f,
            res,
            eqs,
            hess,
            nonsmooth,
            upper,
        }
    }

    /// Output index of `F_i`.
    pub fn eq_index(&self, i: usize) -> usize {
        1 + self.m + i
    }

    /// Output index of `H_ij`.
    pub fn h_index(&self, i: usize, j: usize) -> usize {
        self.upper[i * self.n + j]
    }

    /// Evaluates at `x` in f64; `None` when a value is not finite.
    pub fn eval(&self, x: &[f64]) -> Option<PointEval> {
        let mut out = vec![0.0; self.tape.n_outputs()];
        let mut scratch = Vec::new();
        self.tape.eval_f64(x, &mut scratch, &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        let n = self.n;
        Some(PointEval {
            f: out[0],
            res: out[1..1 + self.m].to_vec(),
            eq: DVector::from_fn(n, |i, _| out[self.eq_index(i)]),
            h: DMatrix::from_fn(n, n, |i, j| out[self.h_index(i, j)]),
        })
    }

    /// The size of the residual: `|g|`, `sqrt(sum c_i g_i^2)`; `0` for the general path.
    pub fn res_norm(&self, res: &[f64]) -> f64 {
        res.iter()
            .zip(&self.weights)
            .map(|(r, w)| w * r * r)
            .sum::<f64>()
            .sqrt()
    }

    /// The sign that turns the Jacobian of the equations into (a positive multiple of) the
    /// Hessian of `f` at a critical point: `sign g` for the scalar path, `1` otherwise.
    pub fn class_sign(&self, res: &[f64]) -> f64 {
        match self.kind {
            StructureKind::Scalar if res.first().is_some_and(|&g| g < 0.0) => -1.0,
            _ => 1.0,
        }
    }

    /// Outward-rounded evaluation over a box: all outputs and whether the tape is proved
    /// smooth there.
    pub fn eval_iv(&self, xs: &[Interval]) -> Option<(Vec<Interval>, bool)> {
        let mut out = vec![Interval::ENTIRE; self.tape.n_outputs()];
        let mut scratch = Vec::new();
        let smooth = self
            .tape
            .eval_interval_smooth(xs, &mut scratch, &mut out)
            .ok()?;
        Some((out, smooth))
    }

    /// Whether the tape is proved smooth on a small box around `x` (always true without
    /// `abs`, `sign`, `max`, `min` or roots): derivative-based classification is meaningful.
    pub fn smooth_near(&self, x: &[f64]) -> bool {
        if !self.tape.has_nonsmooth() {
            return true;
        }
        let xs: Vec<Interval> = x
            .iter()
            .map(|&v| {
                let r = 1e-9 * v.abs().max(1.0);
                Interval::try_from((v - r, v + r)).unwrap_or(Interval::ENTIRE)
            })
            .collect();
        self.eval_iv(&xs).is_some_and(|(_, smooth)| smooth)
    }

    /// Exact evaluation at a rational point; `None` when not rational or undefined.
    pub fn eval_exact(&self, x: &[Rational]) -> Option<Vec<Rational>> {
        self.tape.eval::<Rational>(&(), x).ok()
    }

    /// The residuals and their Jacobian (`m x n`) at `x`.
    pub fn eval_res(&self, x: &[f64]) -> Option<(DVector<f64>, DMatrix<f64>)> {
        let t = self.res_tape.as_ref()?;
        let mut out = vec![0.0; t.n_outputs()];
        let mut scratch = Vec::new();
        t.eval_f64(x, &mut scratch, &mut out);
        if !out.iter().all(|v| v.is_finite()) {
            return None;
        }
        let (m, n) = (self.m, self.n);
        let w: Vec<f64> = self.weights.iter().map(|w| w.max(0.0).sqrt()).collect();
        Some((
            DVector::from_fn(m, |k, _| w[k] * out[k]),
            DMatrix::from_fn(m, n, |k, j| w[k] * out[m + k * n + j]),
        ))
    }
}
