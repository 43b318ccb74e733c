//! The optimized constructors (`add`, `mul`, `pow`, ... and the hash-consing behind them) must
//! create exactly the nodes of the original implementation, with the same ids, in the same
//! order, since reports print these expressions and snapshots compare them. The original is
//! kept verbatim in `support/dag_reference.rs`.

#[path = "support/dag_reference.rs"]
mod old;

#[path = "support/rng.rs"]
mod rng;

use ngd_expr::{Arena, ExprId, Func, Rational};
use rng::Rng;

fn old_func(f: Func) -> old::Func {
    match f {
        Func::Exp => old::Func::Exp,
        Func::Log => old::Func::Log,
        Func::Abs => old::Func::Abs,
        Func::Sign => old::Func::Sign,
    }
}

/// Both arenas side by side; every operation is applied to both and must agree.
struct Pair {
    new: Arena,
    old: old::Arena,
}

fn o(ids: &[ExprId]) -> Vec<old::ExprId> {
    ids.iter().map(|i| old::ExprId(i.0)).collect()
}

impl Pair {
    fn check(&self, r: ExprId, ro: old::ExprId, what: &str) {
        assert_eq!(r.0, ro.0, "{what}: ids differ");
        assert_eq!(self.new.len(), self.old.len(), "{what}: arena sizes differ");
    }

    fn check_all(&self, what: &str) {
        assert_eq!(self.new.len(), self.old.len(), "{what}: arena sizes differ");
        for i in 0..self.new.len() {
            let a = format!("{:?}", self.new.node(ExprId(i as u32)));
            let b = format!("{:?}", self.old.node(old::ExprId(i as u32)));
            assert_eq!(a, b, "{what}: node {i} differs");
        }
    }
}

/// Constants that exercise the small-integer paths, their edges, and big rationals.
fn constant(rng: &mut Rng) -> Rational {
    match rng.below(8) {
        0 => Rational::from((rng.range(-3, 3), rng.range(1, 4))),
        1 => Rational::from(i64::MAX - rng.range(0, 2)),
        2 => Rational::from(i64::MIN + rng.range(0, 2)),
        3 => Rational::from(rng.range(-20, 20)),
        4 => Rational::from((rng.range(1, 3), 1_i64 << 62)),
        _ => Rational::from(rng.range(-3, 3)),
    }
}

fn exponent(rng: &mut Rng) -> Rational {
    match rng.below(10) {
        0 => Rational::from((rng.range(-3, 3), rng.range(2, 3))),
        1 => Rational::from(i64::MAX),
        2 => Rational::from(1_i64 << 40),
        3 => Rational::from(0),
        _ => Rational::from(rng.range(-3, 4)),
    }
}

fn run(seed: u64) {
    let mut rng = Rng::new(seed);
    let n_vars = 1 + rng.below(5);
    let names: Vec<String> = (0..n_vars).map(|i| format!("v{i}")).collect();
    let mut p = Pair {
        new: Arena::new(names.clone()),
        old: old::Arena::new(names),
    };
    let mut pool: Vec<ExprId> = Vec::new();
    // Sometimes the constants come first, sometimes the variables (ids differ).
    let consts_first = rng.below(2) == 0;
    if consts_first {
        for _ in 0..3 {
            let c = constant(&mut rng);
            let r = p.new.constant(c.clone());
            let ro = p.old.constant(c);
            p.check(r, ro, "constant");
            pool.push(r);
        }
    }
    for i in 0..n_vars {
        let r = p.new.var(i);
        let ro = p.old.var(i);
        p.check(r, ro, "var");
        pool.push(r);
    }
    let steps = 10 + rng.below(60);
    for step in 0..steps {
        let pick = |rng: &mut Rng, pool: &[ExprId]| {
            let k = pool.len();
            if rng.below(3) == 0 {
                pool[rng.below(k)]
            } else {
                pool[k - 1 - rng.below(k.min(6))]
            }
        };
        let x = pick(&mut rng, &pool);
        let y = pick(&mut rng, &pool);
        let what = format!("seed {seed} step {step}");
        let (r, ro) = match rng.below(20) {
            0..=2 => {
                let k = 1 + rng.below(20);
                let ts: Vec<ExprId> = (0..k).map(|_| pick(&mut rng, &pool)).collect();
                (p.new.add(ts.clone()), p.old.add(o(&ts)))
            }
            3 => (
                p.new.sub(x, y),
                p.old.sub(old::ExprId(x.0), old::ExprId(y.0)),
            ),
            4..=6 => {
                let k = 1 + rng.below(16);
                let ts: Vec<ExprId> = (0..k).map(|_| pick(&mut rng, &pool)).collect();
                (p.new.mul(ts.clone()), p.old.mul(o(&ts)))
            }
            7 => (
                p.new.div(x, y),
                p.old.div(old::ExprId(x.0), old::ExprId(y.0)),
            ),
            8 | 9 => {
                let e = exponent(&mut rng);
                (p.new.pow(x, e.clone()), p.old.pow(old::ExprId(x.0), e))
            }
            10 => {
                let k = rng.range(-3, 5);
                (p.new.powi(x, k), p.old.powi(old::ExprId(x.0), k))
            }
            11 => {
                let f = [Func::Exp, Func::Log, Func::Abs, Func::Sign][rng.below(4)];
                (p.new.func(f, x), p.old.func(old_func(f), old::ExprId(x.0)))
            }
            12 => (
                p.new.max(x, y),
                p.old.max(old::ExprId(x.0), old::ExprId(y.0)),
            ),
            13 => (
                p.new.min(x, y),
                p.old.min(old::ExprId(x.0), old::ExprId(y.0)),
            ),
            14 => (p.new.neg(x), p.old.neg(old::ExprId(x.0))),
            15 => {
                let c = constant(&mut rng);
                (p.new.constant(c.clone()), p.old.constant(c))
            }
            16 => {
                let k = rng.range(-10, 10);
                (p.new.int(k), p.old.int(k))
            }
            17 => {
                let c = constant(&mut rng);
                let cn = p.new.constant(c.clone());
                let co = p.old.constant(c);
                (p.new.mul2(cn, x), p.old.mul2(co, old::ExprId(x.0)))
            }
            _ => {
                // A sum of possibly negated terms, as the parser builds them.
                let k = 1 + rng.below(12);
                let mut ts = Vec::new();
                let mut ts_old = Vec::new();
                for _ in 0..k {
                    let t = pick(&mut rng, &pool);
                    if rng.below(2) == 0 {
                        let n = p.new.neg(t);
                        let no = p.old.neg(old::ExprId(t.0));
                        p.check(n, no, &what);
                        ts.push(n);
                        ts_old.push(no);
                    } else {
                        ts.push(t);
                        ts_old.push(old::ExprId(t.0));
                    }
                }
                (p.new.add(ts), p.old.add(ts_old))
            }
        };
        p.check(r, ro, &what);
        pool.push(r);
        let c = rng.range(-10, 10) as i32;
        assert_eq!(
            p.new.is_const(r, c),
            p.old.is_const(old::ExprId(r.0), c),
            "{what}: is_const"
        );
    }
    p.check_all(&format!("seed {seed}"));
    // Derivatives: the optimized gradient against the original reference.
    let roots: Vec<ExprId> = (0..3).map(|i| pool[pool.len() - 1 - i]).collect();
    for &r in &roots {
        let gn = p.new.gradient(r);
        let go = p.old.gradient_reference(old::ExprId(r.0));
        assert_eq!(
            gn.iter().map(|g| g.0).collect::<Vec<_>>(),
            go.iter().map(|g| g.0).collect::<Vec<_>>(),
            "seed {seed}: gradient"
        );
    }
    p.check_all(&format!("seed {seed} gradient"));
}

#[test]
fn constructors_match_the_original() {
    for seed in 0..2000 {
        run(seed);
    }
}
