//! The fast `gradient` / `derivatives` / `hessian` / `derivative` must return exactly the ids
//! of the straightforward reference algorithms and leave the arena in exactly the same state
//! (same nodes, same ids), since reports print these expressions and snapshots compare them.

#[path = "support/cases.rs"]
mod cases;

#[path = "support/reference_diff.rs"]
mod reference_diff;

#[path = "support/rng.rs"]
mod rng;

use ngd_expr::{Arena, ExprId, Func, Rational};
use reference_diff::ReferenceDiff;
use rng::Rng;

/// The whole arena is identical: same number of nodes, same node at every id.
fn assert_same_arena(a: &Arena, b: &Arena, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: arena sizes differ");
    for i in 0..a.len() {
        let id = ExprId(i as u32);
        assert_eq!(a.node(id), b.node(id), "{what}: node {i} differs");
    }
}

/// A random DAG with sharing: every new node uses earlier nodes (biased towards recent ones,
/// so it gets deep) as children. Returns the arena and a few roots.
fn random_dag(rng: &mut Rng) -> (Arena, Vec<ExprId>) {
    let n_vars = match rng.below(10) {
        0 => 0,
        1 => 65 + rng.below(10), // more than one bitset word
        _ => 1 + rng.below(8),
    };
    let names = (0..n_vars).map(|i| format!("v{i}")).collect();
    let mut a = Arena::new(names);
    let mut pool: Vec<ExprId> = Vec::new();
    for i in 0..n_vars {
        pool.push(a.var(i));
    }
    for _ in 0..3 {
        let (p, q) = (rng.range(-3, 3), rng.range(1, 3));
        pool.push(a.constant(Rational::from((p, q))));
    }
    let steps = 5 + rng.below(40);
    for _ in 0..steps {
        let pick = |rng: &mut Rng, pool: &[ExprId]| {
            let k = pool.len();
            if rng.below(3) == 0 {
                pool[rng.below(k)]
            } else {
                pool[k - 1 - rng.below(k.min(6))]
            }
        };
        let x = pick(rng, &pool);
        let y = pick(rng, &pool);
        let e = match rng.below(16) {
            0 | 1 => {
                let k = 2 + rng.below(3);
                let ts = (0..k).map(|_| pick(rng, &pool)).collect();
                a.add(ts)
            }
            2 => a.sub(x, y),
            3 | 4 => {
                let k = 2 + rng.below(3);
                let ts = (0..k).map(|_| pick(rng, &pool)).collect();
                a.mul(ts)
            }
            5 => a.div(x, y),
            6 => {
                let k = rng.range(-2, 4);
                a.powi(x, k)
            }
            7 => {
                let (p, q) = (rng.range(-3, 3), rng.range(2, 3));
                a.pow(x, Rational::from((p, q)))
            }
            8 => a.func(Func::Exp, x),
            9 => a.func(Func::Log, x),
            10 => a.func(Func::Abs, x),
            11 => a.func(Func::Sign, x),
            12 => a.max(x, y),
            13 => a.min(x, y),
            14 => a.neg(x),
            _ => {
                let c = a.int(rng.range(-2, 2));
                a.mul2(c, x)
            }
        };
        pool.push(e);
    }
    let roots = (0..3).map(|i| pool[pool.len() - 1 - i]).collect();
    (a, roots)
}

#[test]
fn gradient_matches_reference_on_random_dags() {
    for seed in 0..3000 {
        let mut rng = Rng::new(seed);
        let (mut fast, roots) = random_dag(&mut rng);
        let mut slow = fast.clone();
        // Several gradients in a row: later ones see the nodes the earlier ones created.
        for &r in &roots {
            let gf = fast.gradient(r);
            let gs = slow.gradient_reference(r);
            assert_eq!(gf, gs, "seed {seed}: gradient ids differ");
            assert_same_arena(&fast, &slow, &format!("seed {seed} gradient"));
        }
        // Gradients of gradient entries (second derivatives through new nodes).
        let g = fast.gradient(roots[0]);
        let gs = slow.gradient_reference(roots[0]);
        assert_eq!(g, gs);
        for (&gf, &gr) in g.iter().zip(&gs).take(3) {
            assert_eq!(
                fast.gradient(gf),
                slow.gradient_reference(gr),
                "seed {seed}"
            );
        }
        assert_same_arena(&fast, &slow, &format!("seed {seed} second order"));
    }
}

#[test]
fn derivative_and_derivatives_match_reference() {
    for seed in 0..1500 {
        let mut rng = Rng::new(1_000_000 + seed);
        let (mut fast, roots) = random_dag(&mut rng);
        let mut slow = fast.clone();
        let n = fast.n_vars();
        // A random list of variables: repeats, any order, and out-of-range indices (which
        // differentiate to 0).
        let k = rng.below(2 * n + 3);
        let vars: Vec<usize> = (0..k).map(|_| rng.below(n + 2)).collect();
        let df = fast.derivatives(roots[1], &vars);
        let ds: Vec<ExprId> = vars
            .iter()
            .map(|&v| slow.derivative_reference(roots[1], v))
            .collect();
        assert_eq!(df, ds, "seed {seed}: derivatives {vars:?}");
        let v = rng.below(n + 1);
        assert_eq!(
            fast.derivative(roots[2], v),
            slow.derivative_reference(roots[2], v),
            "seed {seed}: derivative"
        );
        assert_same_arena(&fast, &slow, &format!("seed {seed}"));
    }
}

#[test]
fn hessian_matches_reference_on_random_dags() {
    for seed in 0..400 {
        let mut rng = Rng::new(2_000_000 + seed);
        let (mut fast, roots) = random_dag(&mut rng);
        if fast.n_vars() > 8 {
            continue;
        }
        let mut slow = fast.clone();
        assert_eq!(
            fast.hessian(roots[0]),
            slow.hessian_reference(roots[0]),
            "seed {seed}"
        );
        assert_same_arena(&fast, &slow, &format!("seed {seed} hessian"));
    }
}

/// The identity check's steps on the benchmark cases: gradient(f), gradient(phi), the dot.
#[test]
fn gradient_matches_reference_on_benchmark_cases() {
    let all = [
        cases::prod(2),
        cases::prod(8),
        cases::prod(16),
        cases::prod(32),
        cases::mat(2),
        cases::mat(3),
        cases::mat(4),
        cases::mat(6),
    ];
    for c in all {
        let mut fast = Arena::new(c.vars.clone());
        let params = ngd_parse::Params::new();
        let f = ngd_parse::parse_expr(&mut fast, &c.f, &params).expect("f parses");
        let phi = ngd_parse::parse_expr(&mut fast, &c.phi, &params).expect("phi parses");
        let mut slow = fast.clone();
        let (gf, gp) = (fast.gradient(f), fast.gradient(phi));
        let (sf, sp) = (slow.gradient_reference(f), slow.gradient_reference(phi));
        assert_eq!(gf, sf, "{}: grad f", c.name);
        assert_eq!(gp, sp, "{}: grad phi", c.name);
        assert_same_arena(&fast, &slow, &c.name);
        assert_eq!(fast.dot(&gf, &gp), slow.dot(&sf, &sp));
        // The same in the other order (phi first), from a fresh arena.
        let mut fast = Arena::new(c.vars.clone());
        let f = ngd_parse::parse_expr(&mut fast, &c.f, &params).expect("f parses");
        let phi = ngd_parse::parse_expr(&mut fast, &c.phi, &params).expect("phi parses");
        let mut slow = fast.clone();
        assert_eq!(
            fast.gradient(phi),
            slow.gradient_reference(phi),
            "{}",
            c.name
        );
        assert_eq!(fast.gradient(f), slow.gradient_reference(f), "{}", c.name);
        assert_same_arena(&fast, &slow, &c.name);
    }
}

/// Max/min nodes that do not depend on a variable still create `sign(a - b)` the first time
/// the reference differentiates them: the fast path must create it at the same moment.
#[test]
fn max_min_side_nodes_are_created_in_reference_order() {
    let mut fast = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
    let (x, y, z) = (fast.var(0), fast.var(1), fast.var(2));
    let m1 = fast.max(y, z);
    let m2 = fast.min(x, z);
    let p = fast.mul(vec![x, m1, m2]);
    let e = fast.add2(p, y);
    let mut slow = fast.clone();
    assert_eq!(fast.gradient(e), slow.gradient_reference(e));
    assert_same_arena(&fast, &slow, "max/min");
    assert_eq!(fast.hessian(e), slow.hessian_reference(e));
    assert_same_arena(&fast, &slow, "max/min hessian");
}
