//! The kink and jump sets of an expression: where `abs`, `sign`, `max`, `min` or a root
//! stop being differentiable.
//!
//! Symbolic derivatives take `sign' = 0` and `abs' = sign`, so an identity between
//! derivatives (C1's `<grad f, grad phi> == 0`) holds only *off* these sets. Whether that
//! gives conservation along the gradient flow depends on whether the flow crosses them
//! (docs/math.md, "Nonsmooth functions").

use ngd_expr::{Arena, ExprId, Func, Node};
use serde::Serialize;

/// How a function fails to be differentiable on its kink set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KinkKind {
    /// `sign(u)`: the value jumps across `u = 0`.
    Jump,
    /// `abs(u)`, `max(a, b)`, `min(a, b)`: continuous, with a corner on the set.
    Corner,
    /// A root `u^(p/q)`: continuous, with an infinite slope where `u = 0`.
    Root,
}

/// One kink set `{u = 0}` of an expression.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Kink {
    /// Jump, corner or root.
    pub kind: KinkKind,
    /// The expression `u` whose zero set is the kink set (`a - b` for `max(a, b)`).
    #[serde(skip)]
    pub argument: ExprId,
    /// `u`, printed.
    pub set: String,
}

/// The kink sets of `e`, each once, in the order of a postorder walk.
pub fn kinks_of(arena: &mut Arena, e: ExprId) -> Vec<Kink> {
    let mut found: Vec<(KinkKind, ExprId)> = Vec::new();
    for id in arena.postorder(&[e]) {
        let k = match arena.node(id) {
            Node::Func(Func::Sign, u) => Some((KinkKind::Jump, *u)),
            Node::Func(Func::Abs, u) => Some((KinkKind::Corner, *u)),
            Node::Max(a, b) | Node::Min(a, b) => {
                let (a, b) = (*a, *b);
                Some((KinkKind::Corner, arena.sub(a, b)))
            }
            Node::Pow(u, q) if *q.denom() != 1 => Some((KinkKind::Root, *u)),
            _ => None,
        };
        if let Some(k) = k {
            if !found.contains(&k) {
                found.push(k);
            }
        }
    }
    found
        .into_iter()
        .map(|(kind, argument)| Kink {
            kind,
            argument,
            set: arena.display(argument),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_expr::Rational;

    #[test]
    fn finds_each_kink_once_with_its_kind() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let y = a.var(1);
        let s = a.func(Func::Sign, x);
        let ab = a.func(Func::Abs, x);
        let m = a.max(x, y);
        let r = a.pow(y, Rational::from((1, 3)));
        let s2 = a.powi(s, 2);
        let e = a.add(vec![s2, s, ab, m, r]);
        let k = kinks_of(&mut a, e);
        let kinds: Vec<KinkKind> = k.iter().map(|k| k.kind).collect();
        assert_eq!(k.len(), 4, "{k:?}");
        assert!(kinds.contains(&KinkKind::Jump));
        assert!(kinds.contains(&KinkKind::Corner));
        assert!(kinds.contains(&KinkKind::Root));
        let smooth = a.mul2(x, y);
        assert!(kinks_of(&mut a, smooth).is_empty());
    }
}
