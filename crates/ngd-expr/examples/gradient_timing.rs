//! Timing of `gradient(f) + gradient(phi)` on the identity-check benchmark cases (`prodN`:
//! `f = (x1*...*xN - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`; `matN`: `f = ||X Y^T - M||^2`,
//! `phi = ||X^T X - Y^T Y||^2`), the fast `Arena::gradient` against the straightforward
//! `gradient_reference` of `tests/support/reference_diff.rs` (one full pass per variable), on fresh copies of the parsed
//! arena. Also checks that both return the same ids and build the same arena.
//!
//! Run with `cargo run --release -p ngd-expr --example gradient_timing [reps]`.

#[path = "../tests/support/cases.rs"]
mod cases;

#[path = "../tests/support/reference_diff.rs"]
mod reference_diff;

use ngd_expr::{Arena, ExprId};
use reference_diff::ReferenceDiff;
use std::time::Instant;

/// Best-of-`reps` seconds of `run` on a fresh clone of `base` (the clone is not timed), and
/// the arena and result of the last run.
fn best_of(
    base: &Arena,
    reps: usize,
    run: impl Fn(&mut Arena) -> Vec<ExprId>,
) -> (f64, Arena, Vec<ExprId>) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..reps {
        let mut a = base.clone();
        let t = Instant::now();
        let r = run(&mut a);
        best = best.min(t.elapsed().as_secs_f64());
        last = Some((a, r));
    }
    let (a, r) = last.expect("reps >= 1");
    (best, a, r)
}

fn main() {
    let reps: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10)
        .max(1);
    let all = [
        cases::prod(8),
        cases::prod(16),
        cases::prod(32),
        cases::mat(4),
        cases::mat(6),
    ];
    println!("gradient(f) + gradient(phi), best of {reps}");
    for c in all {
        let mut base = Arena::new(c.vars.clone());
        let params = ngd_parse::Params::new();
        let f = ngd_parse::parse_expr(&mut base, &c.f, &params).expect("f parses");
        let phi = ngd_parse::parse_expr(&mut base, &c.phi, &params).expect("phi parses");
        let (t_old, a_old, r_old) = best_of(&base, reps, |a| {
            let mut g = a.gradient_reference(f);
            g.extend(a.gradient_reference(phi));
            g
        });
        let (t_new, a_new, r_new) = best_of(&base, reps, |a| {
            let mut g = a.gradient(f);
            g.extend(a.gradient(phi));
            g
        });
        assert_eq!(r_old, r_new, "{}: different gradient ids", c.name);
        assert_eq!(a_old.len(), a_new.len(), "{}: different arenas", c.name);
        for i in 0..a_old.len() {
            let id = ExprId(i as u32);
            assert_eq!(a_old.node(id), a_new.node(id), "{}: node {i}", c.name);
        }
        println!(
            "{:7} vars={:3} dag_nodes={:6} (after: {:6})  old {:8.3} ms  new {:8.3} ms  x{:.1}",
            c.name,
            c.vars.len(),
            base.len(),
            a_new.len(),
            t_old * 1e3,
            t_new * 1e3,
            t_old / t_new
        );
    }
}
