//! The plots of a small harness run: they render, with text, deterministically.

use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_plot::{
    distance_svg, distance_svg_string, trajectories_svg, trajectories_svg_string, values_svg,
    values_svg_string,
};
use ngd_sim::{prepare, Harness, HarnessConfig, HarnessReport, Schedule};

fn xy() -> (Harness, HarnessReport, Vec<Vec<f64>>) {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let f = parse_expr(&mut a, "(x*y-1)^2", &Params::new()).unwrap();
    let phi = parse_expr(&mut a, "(x^2-y^2)^2", &Params::new()).unwrap();
    let h = prepare(&mut a, f, Some(phi));
    let cfg = HarnessConfig {
        schedule: Schedule {
            a0: 0.1,
            power: 0.25,
        },
        iterations: 20_000,
        starts: 24,
        record_every: Some(2_000),
        ..HarnessConfig::default()
    };
    let flat = vec![vec![1.0, 1.0], vec![-1.0, -1.0]];
    let r = h.run(&cfg, Some(&flat));
    (h, r, flat)
}

/// Points of xy = 1 in the window.
fn minimum_set() -> Vec<Vec<f64>> {
    (1..60)
        .flat_map(|i| {
            let x = 0.35 + 0.05 * f64::from(i);
            [vec![x, 1.0 / x], vec![-x, -1.0 / x]]
        })
        .collect()
}

#[test]
fn plots_render_deterministically() {
    let (h, r, flat) = xy();
    let grid = h.level_grid((-3.0, 3.0), (-3.0, 3.0), 81, 81).unwrap();
    let m = minimum_set();
    let t1 = trajectories_svg_string(&r, &grid, &m, &flat).unwrap();
    let t2 = trajectories_svg_string(&r, &grid, &m, &flat).unwrap();
    assert_eq!(t1, t2);
    assert!(t1.starts_with("<svg") && t1.contains("<text") && t1.contains("<polyline"));
    for run in &r.runs {
        assert!(
            t1.contains(run.outcome.name()),
            "the legend names the outcomes"
        );
    }
    assert!(t1.contains("flat minima"));
    let v1 = values_svg_string(&r).unwrap();
    assert_eq!(v1, values_svg_string(&r).unwrap());
    assert!(v1.contains("<polygon") && v1.contains("phi"));
    let d1 = distance_svg_string(&r).unwrap();
    assert_eq!(d1, distance_svg_string(&r).unwrap());

    // The same run again (same seed) gives the same bytes.
    let (_, r2, _) = xy();
    assert_eq!(t1, trajectories_svg_string(&r2, &grid, &m, &flat).unwrap());

    let dir = std::env::temp_dir().join(format!("ngd-plot-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    trajectories_svg(&r, &grid, &m, &flat, &dir.join("t.svg")).unwrap();
    values_svg(&r, &dir.join("v.svg")).unwrap();
    distance_svg(&r, &dir.join("d.svg")).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("t.svg")).unwrap(), t1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plots_refuse_what_they_cannot_draw() {
    let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
    let f = parse_expr(&mut a, "(x*y*z-1)^2", &Params::new()).unwrap();
    let h = prepare(&mut a, f, None);
    let cfg = HarnessConfig {
        iterations: 100,
        starts: 4,
        start_box: vec![(0.5, 1.5); 3],
        ..HarnessConfig::default()
    };
    let r = h.run(&cfg, None);
    let grid = ngd_plot::LevelGrid::from_fn((0.0, 1.0), (0.0, 1.0), 3, 3, |x, y| x + y);
    assert!(trajectories_svg_string(&r, &grid, &[], &[]).is_err());
    assert!(values_svg_string(&r).unwrap_err().contains("record_every"));
    assert!(distance_svg_string(&r).unwrap_err().contains("flat set"));
    // With trajectories and a flat set, distances plot for n = 3.
    let cfg = HarnessConfig {
        record_every: Some(50),
        ..cfg
    };
    let r = h.run(&cfg, Some(&[vec![1.0, 1.0, 1.0]]));
    assert!(distance_svg_string(&r).unwrap().starts_with("<svg"));
    assert!(values_svg_string(&r).is_ok());
}
