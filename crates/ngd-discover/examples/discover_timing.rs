//! Timings of discovery on the peers' benchmark cases (`peers/common.py`, DISCOVERY_CASES).
//!
//! `cargo run --release -p ngd-discover --example discover_timing [-- --reps 5] [-- --only mat3_d3]`
//!
//! Each case is built from the same strings as the peers (Python `**` syntax is accepted by
//! the parser): `f = sum_k g_k^2`, so discovery sees the residuals `g_k`. Columns:
//! - `system + nullspace`: building the polynomial system and its exact nullspace (the
//!   `elapsed` of the polynomial ansatz in the last repetition);
//! - `ansatz`: parse + fields + polynomial system + exact nullspace (what the peers time),
//!   without the zero-test re-check;
//! - `+verify`: the same plus the exact zero test of every basis element for every field;
//! - `full`: default options at that degree (Laurent and exp ansätze, linear symmetries,
//!   completeness, verification).
//!
//! Times are wall clock, median (min-max) of the timed repetitions after one warm-up.

use ngd_discover::{discover, DiscoverOptions, DiscoveryReport};
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use std::time::{Duration, Instant};

/// Variables and residuals of a case.
type Case = (Vec<String>, Vec<String>);

fn prod(n: usize) -> Case {
    let v: Vec<String> = (1..=n).map(|i| format!("x{i}")).collect();
    let g = format!("{} - 1", v.join("*"));
    (v, vec![g])
}

fn mat(n: usize) -> Case {
    let x = |i: usize, k: usize| format!("X_{i}_{k}");
    let y = |j: usize, k: usize| format!("Y_{j}_{k}");
    let mut v = Vec::new();
    for i in 1..=n {
        for k in 1..=n {
            v.push(x(i, k));
        }
    }
    for j in 1..=n {
        for k in 1..=n {
            v.push(y(j, k));
        }
    }
    let mut gs = Vec::new();
    for i in 1..=n {
        for j in 1..=n {
            let s: Vec<String> = (1..=n)
                .map(|k| format!("{}*{}", x(i, k), y(j, k)))
                .collect();
            let s = s.join(" + ");
            gs.push(if i == j { format!("{s} - {i}") } else { s });
        }
    }
    (v, gs)
}

fn run(vars: &[String], gs: &[String], opts: &DiscoverOptions) -> DiscoveryReport {
    let mut arena = Arena::new(vars.to_vec());
    let src: Vec<String> = gs.iter().map(|g| format!("({g})**2")).collect();
    let f = parse_expr(&mut arena, &src.join(" + "), &Params::new()).expect("parse");
    discover(&mut arena, f, opts)
}

fn time(
    reps: usize,
    mut job: impl FnMut() -> DiscoveryReport,
) -> (Duration, Duration, Duration, DiscoveryReport) {
    let mut last = job();
    let mut ts = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        last = job();
        ts.push(t.elapsed());
    }
    ts.sort();
    (ts[ts.len() / 2], ts[0], ts[ts.len() - 1], last)
}

fn ms(d: Duration) -> String {
    let x = d.as_secs_f64() * 1e3;
    if x < 1.0 {
        format!("{:.0} us", x * 1e3)
    } else if x < 10.0 {
        format!("{x:.2} ms")
    } else {
        format!("{x:.1} ms")
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps = args
        .iter()
        .position(|a| a == "--reps")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(5usize);
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let mut cases: Vec<(String, Case, u32)> = Vec::new();
    for d in [2, 4, 6] {
        cases.push((
            format!("xy_d{d}"),
            (vec!["x".into(), "y".into()], vec!["x*y - 1".into()]),
            d,
        ));
    }
    for n in [3, 4, 5, 6, 7, 8] {
        for d in [2, 4] {
            cases.push((format!("prod{n}_d{d}"), prod(n), d));
        }
    }
    cases.push(("mat2_d2".into(), mat(2), 2));
    cases.push(("mat3_d2".into(), mat(3), 2));
    cases.push(("mat4_d2".into(), mat(4), 2));
    cases.push(("mat3_d3".into(), mat(3), 3));
    println!(
        "| case | vars | #g | unknowns | rows | blocks | dim | system + nullspace (last rep) | ansatz | +verify | full (all ansätze, symmetries, completeness) | laws exist/found |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, (vars, gs), d) in cases {
        if only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        let bare = DiscoverOptions {
            degree: d,
            laurent: false,
            exp: false,
            linear_symmetries: false,
            completeness: false,
            verify: false,
            ..DiscoverOptions::default()
        };
        let verified = DiscoverOptions {
            verify: true,
            ..bare.clone()
        };
        let full = DiscoverOptions {
            degree: d,
            ..DiscoverOptions::default()
        };
        let (m1, lo1, hi1, r1) = time(reps, || run(&vars, &gs, &bare));
        let (m2, lo2, hi2, _) = time(reps, || run(&vars, &gs, &verified));
        let full_reps = if vars.len() > 20 { 1 } else { reps };
        let (m3, lo3, hi3, r3) = time(full_reps, || run(&vars, &gs, &full));
        if args.iter().any(|a| a == "--detail") {
            for a in &r3.ansatz {
                eprintln!(
                    "  {name} {:?}: {} unknowns, {} ({:?})",
                    a.kind,
                    a.unknowns,
                    ms(a.elapsed),
                    a.skipped
                );
            }
        }
        let a = &r1.ansatz[0];
        let c = &r3.completeness;
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} ({}–{}) | {} ({}–{}) | {} ({}–{}) | {}/{} |",
            vars.len(),
            gs.len(),
            a.unknowns,
            a.equations,
            a.blocks,
            a.nullspace_dim,
            ms(a.elapsed),
            ms(m1),
            ms(lo1),
            ms(hi1),
            ms(m2),
            ms(lo2),
            ms(hi2),
            ms(m3),
            ms(lo3),
            ms(hi3),
            c.laws_exist,
            c.laws_found
        );
    }
}
