// tmp: the canonical form agrees with exact evaluation of the DAG, and
// differences that are zero by construction come out `Zero` (never `NonZero`).

use ngd_algebra::{canonicalize, zero_test, ZeroTest};
use ngd_expr::{Arena, ExprId, Func, Node, Rational};
use proptest::prelude::*;
use rug::ops::Pow as _;

/// A small expression tree, built into an arena with the simplifying constructors.
#[derive(Clone, Debug)]
enum E {
    Var(usize),
    Const(i64, i64),
    Add(Box<E>, Box<E>),
    Sub(Box<E>, Box<E>),
    Mul(Box<E>, Box<E>),
    Pow(Box<E>, i64),
    Abs(Box<E>),
    Sign(Box<E>),
    Max(Box<E>, Box<E>),
    Min(Box<E>, Box<E>),
}

const NV: usize = 3;

fn leaf() -> impl Strategy<Value = E> {
    prop_oneof![
        3 => (0..NV).prop_map(E::Var),
        1 => (-4i64..5, 1i64..4).prop_map(|(n, d)| E::Const(n, d)),
    ]
}

/// Polynomial-ish expressions (Laurent powers allowed), optionally with abs/sign/max/min.
fn expr(nonsmooth: bool) -> impl Strategy<Value = E> {
    leaf().prop_recursive(4, 24, 2, move |inner| {
        let b = |e: E| Box::new(e);
        let mut opts: Vec<BoxedStrategy<E>> = vec![
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Add(b(x), b(y)))
                .boxed(),
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Sub(b(x), b(y)))
                .boxed(),
            (inner.clone(), inner.clone())
                .prop_map(move |(x, y)| E::Mul(b(x), b(y)))
                .boxed(),
            (inner.clone(), -2i64..4)
                .prop_map(move |(x, k)| E::Pow(b(x), k))
                .boxed(),
        ];
        if nonsmooth {
            opts.push(inner.clone().prop_map(move |x| E::Abs(b(x))).boxed());
            opts.push(inner.clone().prop_map(move |x| E::Sign(b(x))).boxed());
            opts.push(
                (inner.clone(), inner.clone())
                    .prop_map(move |(x, y)| E::Max(b(x), b(y)))
                    .boxed(),
            );
            opts.push(
                (inner.clone(), inner.clone())
                    .prop_map(move |(x, y)| E::Min(b(x), b(y)))
                    .boxed(),
            );
        }
        proptest::strategy::Union::new(opts)
    })
}

fn build(a: &mut Arena, e: &E) -> ExprId {
    match e {
        E::Var(i) => a.var(*i),
        E::Const(n, d) => a.constant(Rational::from((*n, *d))),
        E::Add(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.add2(x, y)
        }
        E::Sub(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.sub(x, y)
        }
        E::Mul(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.mul2(x, y)
        }
        E::Pow(x, k) => {
            let x = build(a, x);
            a.powi(x, *k)
        }
        E::Abs(x) => {
            let x = build(a, x);
            a.func(Func::Abs, x)
        }
        E::Sign(x) => {
            let x = build(a, x);
            a.func(Func::Sign, x)
        }
        E::Max(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.max(x, y)
        }
        E::Min(x, y) => {
            let (x, y) = (build(a, x), build(a, y));
            a.min(x, y)
        }
    }
}

/// Exact value of the DAG at a point; `None` outside the domain. `degenerate` is set when a
/// `sign`, `abs`, `max` or `min` is evaluated exactly at a kink (where the canonical form may
/// legitimately differ, on a null set).
fn eval(a: &Arena, root: ExprId, pt: &[Rational], degenerate: &mut bool) -> Option<Rational> {
    let order = a.postorder(&[root]);
    let mut vals: std::collections::HashMap<ExprId, Option<Rational>> = Default::default();
    for id in order {
        let get = |c: &ExprId| vals[c].clone();
        let v: Option<Rational> = match a.node(id) {
            Node::Const(q) => Some(q.clone()),
            Node::Var(i) => Some(pt[*i as usize].clone()),
            Node::Add(ts) => ts
                .iter()
                .map(get)
                .try_fold(Rational::new(), |acc, v| v.map(|v| acc + v)),
            Node::Mul(ts) => ts
                .iter()
                .map(get)
                .try_fold(Rational::from(1), |acc, v| v.map(|v| acc * v)),
            Node::Pow(b, e) => {
                assert!(e.is_integer());
                let k = e.numer().to_i32().unwrap();
                get(b).and_then(|v| {
                    if k < 0 && v == 0 {
                        None
                    } else if k < 0 {
                        Some(Rational::from(v.pow(-k)).recip())
                    } else {
                        Some(Rational::from(v.pow(k)))
                    }
                })
            }
            Node::Func(f, x) => get(x).map(|v| {
                if v == 0 {
                    *degenerate = true;
                }
                match f {
                    Func::Abs => v.abs(),
                    Func::Sign => Rational::from(v.cmp0() as i32),
                    _ => unreachable!(),
                }
            }),
            Node::Max(x, y) | Node::Min(x, y) => match (get(x), get(y)) {
                (Some(u), Some(w)) => {
                    if u == w {
                        *degenerate = true;
                    }
                    let is_max = matches!(a.node(id), Node::Max(..));
                    Some(if (u >= w) == is_max { u } else { w })
                }
                _ => None,
            },
        };
        vals.insert(id, v);
    }
    vals[&root].clone()
}

fn point() -> impl Strategy<Value = Vec<Rational>> {
    proptest::collection::vec(
        (-60i64..61, 1i64..13).prop_map(|(n, d)| Rational::from((n, d))),
        NV,
    )
}

fn new_arena() -> Arena {
    Arena::new((0..NV).map(|i| format!("x{i}")).collect())
}
