//! What the certificate may assume: the normalized directions of `f` (docs/math.md C4),
//! the first-order fact from C1, and the smoothness of `phi`.

use crate::model::Normals;
use crate::report::{DecreaseNote, FirstOrder, NormalDirections};
use ngd_algebra::canonicalize;
use ngd_check::Structure;
use ngd_expr::{Arena, ExprId, Func, Node};

/// What the certificate may assume.
pub(crate) struct Premises {
    /// The shape of `f`.
    pub shape: Shape,
    /// The first-order fact the certificate may use.
    pub first: FirstOrder,
    /// `phi` has kinks (no certificate).
    pub kinks: bool,
}

impl Premises {
    /// The shape of `f`, the first-order fact and the smoothness of `phi`, with the notes
    /// that explain them pushed in order; `None` (and a note) when `f` has neither shape.
    pub fn establish(
        arena: &mut Arena,
        f: ExprId,
        phi: ExprId,
        from_c1: FirstOrder,
        notes: &mut Vec<DecreaseNote>,
    ) -> Option<Premises> {
        let Some(shape) = Shape::detect(arena, f) else {
            notes.push(DecreaseNote::ShapeUnknown);
            return None;
        };
        let first = first_order(arena, phi, &shape, from_c1, notes);
        let kinks = has_kinks(arena, phi);
        if kinks {
            notes.push(DecreaseNote::Kinks);
        }
        Some(Premises {
            shape,
            first,
            kinks,
        })
    }

    /// A certificate may be attempted: the first order is controlled and `phi` is `C^2`.
    pub fn allow_certificate(&self) -> bool {
        self.first != FirstOrder::Unknown && !self.kinks
    }
}

/// The shape of `f` that fixes its normalized directions at the minima.
pub(crate) struct Shape {
    /// `g` (for `f = c h(g)`) or the residuals `g_i`.
    pub gs: Vec<ExprId>,
    /// The weights `c_i` of the residuals (1 for `f = c h(g)`).
    pub weights: Vec<f64>,
    /// Which normalized directions NGD takes.
    pub normals: Normals,
    /// The same, for the report.
    pub directions: NormalDirections,
}

impl Shape {
    /// `f = c h(g)`, `f = sum c_i g_i^2` or a sum of losses `sum c_i h_i(g_i)`; `None` for
    /// any other `f` (C4 is not run).
    pub fn detect(arena: &Arena, f: ExprId) -> Option<Shape> {
        match Structure::detect(arena, f) {
            Structure::Scalar { g, .. } => Some(Shape {
                gs: vec![g],
                weights: vec![1.0],
                normals: Normals::Gradient,
                directions: NormalDirections::Gradient,
            }),
            Structure::LeastSquares { residuals } => Some(Shape {
                gs: residuals.iter().map(|r| r.1).collect(),
                weights: residuals.iter().map(|r| r.0.to_f64()).collect(),
                normals: Normals::RowSpace,
                directions: NormalDirections::RowSpace {
                    residuals: residuals.len(),
                },
            }),
            // grad f = sum_i c_i h_i'(g_i) grad g_i lies in the row space of J_G, as for least
            // squares; the weights only steer the witness search (a refutation is re-checked
            // with grad f itself), so a term without an exact quadratic weight gets 1.
            Structure::Sum { terms, .. } => Some(Shape {
                gs: terms.iter().map(|t| t.g).collect(),
                weights: terms
                    .iter()
                    .map(|t| t.quadratic_weight().map_or(1.0, |w| w.to_f64()))
                    .collect(),
                normals: Normals::RowSpace,
                directions: NormalDirections::RowSpace {
                    residuals: terms.len(),
                },
            }),
            Structure::General => None,
        }
    }

    /// The formula used for `Q` (data: a formula, not a sentence).
    pub fn q_formula(&self) -> &'static str {
        match self.normals {
            Normals::Gradient => "Q = grad g^T Hess phi grad g / |grad g|^2",
            Normals::RowSpace => {
                "Q = largest eigenvalue of Hess phi compressed to the row space of J_G"
            }
        }
    }
}

/// The first-order fact the certificate may use: C1's, except that least squares (and a sum
/// of losses) needs every `<grad g_i, grad phi>` to vanish identically (checked here exactly) and cannot
/// use a Lyapunov inequality; the reasons are pushed to `notes`.
fn first_order(
    arena: &mut Arena,
    phi: ExprId,
    shape: &Shape,
    from_c1: FirstOrder,
    notes: &mut Vec<DecreaseNote>,
) -> FirstOrder {
    if shape.normals != Normals::RowSpace {
        return from_c1;
    }
    match from_c1 {
        FirstOrder::Conserved => match non_conserved_residual(arena, phi, &shape.gs) {
            Some(g) => {
                notes.push(DecreaseNote::ResidualNotConserved {
                    residual: arena.display(g),
                });
                FirstOrder::Unknown
            }
            None => {
                notes.push(DecreaseNote::ResidualsConserved);
                FirstOrder::Conserved
            }
        },
        FirstOrder::Lyapunov => {
            notes.push(DecreaseNote::LyapunovNotEnough);
            FirstOrder::Unknown
        }
        FirstOrder::Unknown => FirstOrder::Unknown,
    }
}

/// The first residual `g_i` with `<grad g_i, grad phi>` not identically 0 (exact canonical
/// forms): on `M` every unit vector of the row space is a normalized direction.
fn non_conserved_residual(arena: &mut Arena, phi: ExprId, gs: &[ExprId]) -> Option<ExprId> {
    let gphi = arena.gradient(phi);
    gs.iter().copied().find(|&g| {
        let dg = arena.gradient(g);
        let d = arena.dot(&dg, &gphi);
        !matches!(canonicalize(arena, d), Ok(c) if c.is_zero())
    })
}

/// True when `e` contains a function that is not twice differentiable everywhere on its
/// domain (`abs`, `sign`, `max`, `min`): Taylor's theorem with a Hessian remainder does not
/// apply across its kinks, so no certificate is attempted.
fn has_kinks(arena: &Arena, e: ExprId) -> bool {
    arena.postorder(&[e]).into_iter().any(|id| {
        matches!(
            arena.node(id),
            Node::Func(Func::Abs | Func::Sign, _) | Node::Max(..) | Node::Min(..)
        )
    })
}
