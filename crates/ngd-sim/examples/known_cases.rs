//! Runs the harness on the worked examples of docs/math.md section 3 and prints the fractions.
//!
//! `cargo run --release -p ngd-sim --example known_cases [STARTS] [ITERATIONS] [POWER]`
//! (defaults 200, 200000, 0.25; a0 = 0.1, starts uniform in [-2, 2]^2, seed 1).

use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_sim::{prepare, HarnessConfig, Outcome, Schedule};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let starts: u64 = args.get(1).map_or(200, |s| s.parse().expect("STARTS"));
    let iterations: u64 = args
        .get(2)
        .map_or(200_000, |s| s.parse().expect("ITERATIONS"));
    let power: f64 = args.get(3).map_or(0.25, |s| s.parse().expect("POWER"));
    let c = 2f64.powf(-1.0 / 3.0);
    let cases: Vec<(&str, &str, &str, Vec<Vec<f64>>)> = vec![
        (
            "xy",
            "(x*y-1)^2",
            "(x^2-y^2)^2",
            vec![vec![1.0, 1.0], vec![-1.0, -1.0]],
        ),
        (
            "abs_xy",
            "abs(x*y-1)",
            "(x^2-y^2)^2",
            vec![vec![1.0, 1.0], vec![-1.0, -1.0]],
        ),
        (
            "hyperbola",
            "(x^2-y^2-1)^2",
            "x^2*y^2",
            vec![vec![1.0, 0.0], vec![-1.0, 0.0]],
        ),
        (
            "ellipse",
            "(x^2+2*y^2-1)^2",
            "y^2/x^4",
            vec![vec![1.0, 0.0], vec![-1.0, 0.0]],
        ),
        (
            "parabola",
            "(y-x^2)^2",
            "x^2*exp(4*y)",
            vec![vec![0.0, 0.0]],
        ),
        ("cubic", "(x^3+y^3-1)^2", "(1/x-1/y)^2", vec![vec![c, c]]),
    ];
    for (name, f, phi, flat) in cases {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let fe = parse_expr(&mut a, f, &Params::new()).expect("f");
        let pe = parse_expr(&mut a, phi, &Params::new()).expect("phi");
        let h = prepare(&mut a, fe, Some(pe));
        let cfg = HarnessConfig {
            schedule: Schedule { a0: 0.1, power },
            iterations,
            starts,
            ..HarnessConfig::default()
        };
        let t0 = Instant::now();
        let r = h.run(&cfg, Some(&flat));
        let dt = t0.elapsed().as_secs_f64();
        let gd = r.gd.as_ref().expect("gd");
        println!(
            "{name:<10} NGD near S {:5.1}%  GD {:5.1}%  | NGD: {}  zero-grad events {} in {} runs | budget {:.3} | {dt:.2} s",
            100.0 * r.ngd.fraction(Outcome::NearFlat),
            100.0 * gd.fraction(Outcome::NearFlat),
            Outcome::ALL
                .iter()
                .filter(|&&o| r.ngd.count(o) > 0)
                .map(|&o| format!("{} {}", o.name(), r.ngd.count(o)))
                .collect::<Vec<_>>()
                .join(", "),
            r.ngd.zero_gradient_events,
            r.ngd.runs_with_zero_gradient_events,
            r.drift.sum_a2,
        );
        for c in r.ngd.clusters.iter().take(4) {
            println!(
                "    cluster {:?} x{} at {:?} (radius {:.3}, median phi {:?})",
                c.outcome, c.count, c.representative, c.radius, c.median_phi
            );
        }
    }
}
