//! Prints the critical-set report of an objective as JSON:
//! `cargo run -p ngd-critical --example critical -- '(x^2*y - 1)^2' x y [--radius R] [--numeric]`
//! (`--numeric`: without the exact subspace route).

use ngd_certify::RationalBox;
use ngd_check::Structure;
use ngd_critical::{find_critical_sets, CriticalOptions};
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(src) = args.first() else {
        eprintln!("usage: critical F VAR.. [--radius R] [--numeric]");
        std::process::exit(2);
    };
    let mut vars = Vec::new();
    let mut radius = 3;
    let mut exact = true;
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        if a == "--numeric" {
            exact = false;
        } else if a == "--radius" {
            radius = it.next().and_then(|r| r.parse().ok()).unwrap_or(3);
        } else {
            vars.push(a.clone());
        }
    }
    let n = vars.len();
    let mut arena = Arena::new(vars);
    let f = parse_expr(&mut arena, src, &Params::default()).expect("parse");
    let s = Structure::detect(&arena, f);
    let t = std::time::Instant::now();
    let r = find_critical_sets(
        &mut arena,
        f,
        &s,
        &RationalBox::cube(n, radius),
        &CriticalOptions {
            exact,
            ..CriticalOptions::default()
        },
    );
    let el = t.elapsed();
    println!("{}", serde_json::to_string_pretty(&r).unwrap());
    eprintln!("time: {el:?}");
}
