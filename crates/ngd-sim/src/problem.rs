//! A problem compiled for the harness ([`Harness`], built by [`prepare`]): the type the
//! drivers (`harness`, `mpfr`, `grid`) and the f64 loops (`kernel`) share, kept here so
//! that none of them has to import another to name it.

use crate::rule::Rule;
use ngd_check::{ObjectiveShape, Structure};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};

/// A problem compiled for the harness: the tapes of `grad f` (symbolic for MPFR, reverse
/// mode for the f64 loops), of `f` and `phi`, and of the
/// quantities the subdifferential rule needs (`g` and `grad g` for `f = c h(g)`; the
/// residuals and their Jacobian for least squares). Build it with [`prepare`]; it is
/// immutable and shared by all threads.
#[derive(Clone, Debug)]
pub struct Harness {
    pub(crate) n: usize,
    pub(crate) var_names: Vec<String>,
    /// `grad f` (`n` outputs) from the symbolic gradient: the MPFR tails.
    pub(crate) grad: Tape,
    /// `grad f` (`n` outputs) by reverse-mode differentiation
    /// ([`Tape::compile_gradient`]): the f64 NGD and GD steps (every fast path of the
    /// loops runs this one tape, so they agree bit for bit).
    pub(crate) grad_f64: Tape,
    /// `[f]` or `[f, phi]`: records and final values.
    pub(crate) vals: Tape,
    /// `[phi]`, for the interval pole test.
    pub(crate) phi_tape: Option<Tape>,
    pub(crate) has_phi: bool,
    pub(crate) rule: Rule,
    pub(crate) structure: ObjectiveShape,
}

/// Compiles the tapes of the harness for the objective `f` and the optional regularizer
/// `phi` (both in `arena`, over all its variables). The shape of `f` is recognised with
/// [`Structure::detect`] and decides the rule used where `grad f` is exactly zero (see
/// [`Harness::zero_gradient_rule`]).
pub fn prepare(arena: &mut Arena, f: ExprId, phi: Option<ExprId>) -> Harness {
    let n = arena.n_vars();
    let grad_f = arena.gradient(f);
    let grad = Tape::compile(arena, &grad_f);
    let grad_f64 = Tape::compile_gradient(arena, f);
    let structure = Structure::detect(arena, f);
    let rule = match &structure {
        Structure::Scalar { g, outer, .. } => {
            let mut outs = vec![*g];
            outs.extend(arena.gradient(*g));
            Rule::Scalar {
                sub: Tape::compile(arena, &outs),
                outer: *outer,
            }
        }
        Structure::LeastSquares { residuals } => least_squares_rule(arena, residuals),
        // At an exact zero of `grad f` off `M`, `grad f = J^T y` with `y_i = c_i h_i'(g_i)`,
        // which is `2 c_i a_i g_i (1 + O(g_i))` for losses of order 2 with `h ~ a t^2`: the
        // least-squares rule with the weights `c_i a_i`; on `M` both rules take a random
        // direction of the row space. Other losses (`t^4`, `|t|`) get no rule.
        Structure::Sum { terms, .. } => {
            let quadratic: Option<Vec<(Rational, ExprId)>> = terms
                .iter()
                .map(|t| t.quadratic_weight().map(|w| (w, t.g)))
                .collect();
            quadratic.map_or(Rule::General, |r| least_squares_rule(arena, &r))
        }
        Structure::General => Rule::General,
    };
    let mut vals = vec![f];
    vals.extend(phi);
    Harness {
        n,
        var_names: arena.var_names().to_vec(),
        grad,
        grad_f64,
        vals: Tape::compile(arena, &vals),
        phi_tape: phi.map(|p| Tape::compile(arena, &[p])),
        has_phi: phi.is_some(),
        rule,
        structure: ObjectiveShape::of(&structure),
    }
}

/// The least-squares rule for the weighted residuals `c_i g_i`: `sub` computes the residuals
/// and their Jacobian.
fn least_squares_rule(arena: &mut Arena, residuals: &[(Rational, ExprId)]) -> Rule {
    let mut outs: Vec<ExprId> = residuals.iter().map(|(_, g)| *g).collect();
    for (_, g) in residuals {
        outs.extend(arena.gradient(*g));
    }
    Rule::LeastSquares {
        sub: Tape::compile(arena, &outs),
        weights: residuals.iter().map(|(c, _)| c.to_f64()).collect(),
        m: residuals.len(),
    }
}
