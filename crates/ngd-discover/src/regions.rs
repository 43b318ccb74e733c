//! Piecewise fields (`max`, `min`, `abs`, `sign`): the kink sets `{u = 0}` and, for each sign
//! pattern of the kink arguments, the smooth formula of the generators on that region
//! (docs/math.md, "Nonsmooth functions"). A law found on a region's formula holds on that
//! region, off the kink sets; nothing is claimed on the other regions unless it is proved
//! there too.

use crate::lie::random_points;
use crate::report::{KinkSet, RegionCondition, RegionWitness};
use ngd_algebra::{poly_from_expr, Poly};
use ngd_expr::{Arena, ExprId, Func, Node};
use rug::{Integer, Rational};
use rustc_hash::FxHashMap;

/// How a nonsmooth node picks its branch: by the sign of kink argument `kink`, flipped when
/// the node's own argument is `-c u` (`c > 0`), or fixed when its argument is a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Kink { kink: usize, flip: bool },
    Fixed { positive: bool },
}

/// The identity of a kink argument: a polynomial up to a positive factor, else the node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Poly(Poly),
    Expr(ExprId),
}

/// The kink sets of a list of generators and how each nonsmooth node depends on them.
pub(crate) struct Kinks {
    pub sets: Vec<KinkSet>,
    /// The kink arguments as polynomials (primitive), when they are.
    polys: Vec<Option<Poly>>,
    keys: Vec<Key>,
    choices: FxHashMap<ExprId, Choice>,
}

impl Kinks {
    /// Every `max`, `min`, `abs`, `sign` node of the generators, keyed by its argument (`a - b`
    /// for `max(a, b)`, `min(a, b)`).
    pub(crate) fn of(arena: &mut Arena, generators: &[ExprId]) -> Kinks {
        let mut k = Kinks {
            sets: Vec::new(),
            polys: Vec::new(),
            keys: Vec::new(),
            choices: FxHashMap::default(),
        };
        for id in arena.postorder(generators) {
            let (u, source) = match arena.node(id).clone() {
                Node::Max(a, b) => (arena.sub(a, b), "max"),
                Node::Min(a, b) => (arena.sub(a, b), "min"),
                Node::Func(Func::Abs, u) => (u, "abs"),
                Node::Func(Func::Sign, u) => (u, "sign"),
                _ => continue,
            };
            let choice = k.add(arena, u, source);
            k.choices.insert(id, choice);
        }
        k
    }

    fn add(&mut self, arena: &Arena, u: ExprId, source: &str) -> Choice {
        let (key, flip, poly) = match poly_from_expr(arena, u) {
            Some(p) if p.terms().all(|(e, _)| e.iter().all(|&x| x == 0)) => {
                let positive = p.terms().next().is_some_and(|(_, c)| *c > 0);
                return Choice::Fixed { positive };
            }
            Some(p) => {
                let (prim, flip) = primitive(&p);
                (Key::Poly(prim.clone()), flip, Some(prim))
            }
            None => (Key::Expr(u), false, None),
        };
        let kink = match self.keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                let argument = match &poly {
                    Some(p) => crate::format::fmt_poly(p, arena.var_names()),
                    None => arena.display(u),
                };
                self.sets.push(KinkSet {
                    argument,
                    sources: Vec::new(),
                });
                self.keys.push(key);
                self.polys.push(poly);
                self.keys.len() - 1
            }
        };
        let sources = &mut self.sets[kink].sources;
        if !sources.iter().any(|s| s == source) {
            sources.push(source.to_string());
        }
        Choice::Kink { kink, flip }
    }

    /// Number of kink sets.
    pub(crate) fn len(&self) -> usize {
        self.sets.len()
    }

    /// The conditions of the region with sign pattern `pattern` (bit `i` set: `u_i > 0`).
    pub(crate) fn conditions(&self, pattern: u64) -> Vec<RegionCondition> {
        self.sets
            .iter()
            .enumerate()
            .map(|(i, s)| RegionCondition {
                argument: s.argument.clone(),
                positive: pattern >> i & 1 == 1,
            })
            .collect()
    }

    /// The generators on the region `pattern`: every nonsmooth node replaced by its branch.
    pub(crate) fn restrict(
        &self,
        arena: &mut Arena,
        roots: &[ExprId],
        pattern: u64,
    ) -> Vec<ExprId> {
        let mut map: FxHashMap<ExprId, ExprId> = FxHashMap::default();
        for id in arena.postorder(roots) {
            let positive = |c: &Choice| match *c {
                Choice::Fixed { positive } => positive,
                Choice::Kink { kink, flip } => (pattern >> kink & 1 == 1) != flip,
            };
            let pos = self.choices.get(&id).map(positive);
            let new = match (arena.node(id).clone(), pos) {
                (Node::Max(a, b), Some(p)) => map[if p { &a } else { &b }],
                (Node::Min(a, b), Some(p)) => map[if p { &b } else { &a }],
                (Node::Func(Func::Abs, u), Some(true)) => map[&u],
                (Node::Func(Func::Abs, u), Some(false)) => arena.neg(map[&u]),
                (Node::Func(Func::Sign, _), Some(p)) => arena.int(if p { 1 } else { -1 }),
                (node, _) => rebuild(arena, node, &map, id),
            };
            map.insert(id, new);
        }
        roots.iter().map(|r| map[r]).collect()
    }

    /// A seeded rational point where every condition of `pattern` holds strictly (checked
    /// exactly), if one of `samples` tries is.
    pub(crate) fn witness(
        &self,
        arena: &Arena,
        pattern: u64,
        samples: usize,
        seed: u64,
    ) -> RegionWitness {
        let Some(polys) = self.polys.iter().cloned().collect::<Option<Vec<Poly>>>() else {
            return RegionWitness::NotChecked;
        };
        let n = arena.n_vars();
        let pts = random_points(n, samples, seed ^ pattern.wrapping_mul(0x9e37_79b9));
        for x in pts {
            let holds = polys.iter().enumerate().all(|(i, p)| {
                let want = pattern >> i & 1 == 1;
                p.eval(&x).is_some_and(|v| v != 0 && (v > 0) == want)
            });
            if holds {
                let coords = x.iter().map(ToString::to_string).collect();
                return RegionWitness::Point { coords };
            }
        }
        RegionWitness::NotFound { samples }
    }
}

/// `node` rebuilt from its mapped children with the simplifying constructors.
fn rebuild(arena: &mut Arena, node: Node, map: &FxHashMap<ExprId, ExprId>, id: ExprId) -> ExprId {
    match node {
        Node::Const(_) | Node::Var(_) => id,
        node => arena.rebuild(&node, |c| map[&c]),
    }
}

/// `p` scaled to coprime integer coefficients with a positive leading coefficient, and
/// whether the scale was negative.
fn primitive(p: &Poly) -> (Poly, bool) {
    let mut den = Integer::from(1);
    let mut num = Integer::new();
    for (_, c) in p.terms() {
        den.lcm_mut(c.denom());
        num.gcd_mut(c.numer());
    }
    let flip = p.terms().next().is_some_and(|(_, c)| *c < 0);
    let mut scale = Rational::from((den, num));
    if flip {
        scale = -scale;
    }
    (p.scale(&scale), flip)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arena() -> Arena {
        Arena::new(vec!["w".into(), "v".into()])
    }

    #[test]
    fn max_and_its_mirror_share_one_kink() {
        let mut a = arena();
        let (w, v) = (a.var(0), a.var(1));
        let zero = a.int(0);
        let m1 = a.max(zero, w);
        let nw = a.neg(w);
        let m2 = a.max(zero, nw);
        let t1 = a.mul2(v, m1);
        let g = a.add2(t1, m2);
        let k = Kinks::of(&mut a, &[g]);
        assert_eq!(k.len(), 1);
        assert_eq!(k.sets[0].argument, "w");
        // w > 0: v*w + 0; w < 0: 0 + (-w).
        let pos = k.restrict(&mut a, &[g], 1)[0];
        let neg = k.restrict(&mut a, &[g], 0)[0];
        assert_eq!(a.display(pos), "w*v");
        assert_eq!(a.display(neg), "-w");
        assert!(matches!(
            k.witness(&a, 0, 16, 1),
            RegionWitness::Point { .. }
        ));
    }

    #[test]
    fn contradictory_regions_have_no_witness() {
        // u = w and u = w + 1000: w > 0 and w + 1000 < 0 is empty.
        let mut a = arena();
        let w = a.var(0);
        let c = a.int(1000);
        let u2 = a.add2(w, c);
        let g1 = a.func(Func::Abs, w);
        let g2 = a.func(Func::Abs, u2);
        let g = a.add2(g1, g2);
        let k = Kinks::of(&mut a, &[g]);
        assert_eq!(k.len(), 2);
        assert_eq!(
            k.witness(&a, 0b01, 64, 1),
            RegionWitness::NotFound { samples: 64 }
        );
    }
}
