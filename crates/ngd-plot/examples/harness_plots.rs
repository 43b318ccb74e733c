//! Writes the harness plots of two worked examples (xy and the cubic) into a directory.
//!
//! `cargo run --release -p ngd-plot --example harness_plots [DIR]` (default `harness-plots`)

use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_plot::{distance_svg, trajectories_svg, values_svg};
use ngd_sim::{prepare, HarnessConfig};
use std::path::PathBuf;

/// Name, f, phi, flat points, and a parametrization of the minimum set for `t` in `(0, 3)`.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    Vec<Vec<f64>>,
    fn(f64) -> Vec<Vec<f64>>,
);

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or("harness-plots".into()));
    std::fs::create_dir_all(&dir).expect("output directory");
    let c = 2f64.powf(-1.0 / 3.0);
    let cases: Vec<Case> = vec![
        (
            "xy",
            "(x*y-1)^2",
            "(x^2-y^2)^2",
            vec![vec![1.0, 1.0], vec![-1.0, -1.0]],
            |t| vec![vec![t, 1.0 / t], vec![-t, -1.0 / t]],
        ),
        (
            "cubic",
            "(x^3+y^3-1)^2",
            "(1/x-1/y)^2",
            vec![vec![c, c]],
            |t| {
                let x = 3.0 * t - 4.5;
                vec![vec![x, (1.0 - x * x * x).cbrt()]]
            },
        ),
    ];
    for (name, f, phi, flat, curve) in cases {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let fe = parse_expr(&mut a, f, &Params::new()).expect("f");
        let pe = parse_expr(&mut a, phi, &Params::new()).expect("phi");
        let h = prepare(&mut a, fe, Some(pe));
        let cfg = HarnessConfig {
            starts: 64,
            record_every: Some(10_000),
            ..HarnessConfig::default()
        };
        let r = h.run(&cfg, Some(&flat));
        let grid = h
            .level_grid((-3.0, 3.0), (-3.0, 3.0), 121, 121)
            .expect("2 variables");
        let m: Vec<Vec<f64>> = (1..300).flat_map(|i| curve(f64::from(i) / 100.0)).collect();
        trajectories_svg(
            &r,
            &grid,
            &m,
            &flat,
            &dir.join(format!("{name}_trajectories.svg")),
        )
        .expect("plot");
        values_svg(&r, &dir.join(format!("{name}_values.svg"))).expect("plot");
        distance_svg(&r, &dir.join(format!("{name}_distance.svg"))).expect("plot");
        println!("{name}: NGD near S {:?}", r.ngd.fraction_near_flat);
    }
}
