//! The blocked loops: a run's numbers do not depend on the block it ran in (full, padded,
//! alone in a one-lane loop), on the code path for its number of variables, or on the
//! number of threads.

mod common;

use common::harness;
use ngd_parse::Params;
use ngd_sim::{Harness, HarnessConfig, HarnessReport, Schedule};

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool")
        .install(f)
}

fn cfg(starts: u64, iterations: u64, n: usize, lo: f64, hi: f64) -> HarnessConfig {
    HarnessConfig {
        schedule: Schedule {
            a0: 0.1,
            power: 0.5,
        },
        iterations,
        starts,
        start_box: vec![(lo, hi); n],
        ..HarnessConfig::default()
    }
}

/// Runs `indices` of `whole` again one at a time (one-run shards: the one-lane loop) and
/// compares them, NGD and GD, byte for byte. Returns their zero-gradient events.
fn alone_matches(h: &Harness, cfg: &HarnessConfig, whole: &HarnessReport, indices: &[u64]) -> u64 {
    let mut events = 0;
    for &i in indices {
        let one = h.run(
            &HarnessConfig {
                shard: Some((i, cfg.starts)),
                ..cfg.clone()
            },
            None,
        );
        assert_eq!(one.runs.len(), 1);
        let json = |r| serde_json::to_string(r).expect("serialize");
        assert_eq!(json(&one.runs[0]), json(&whole.runs[i as usize]), "run {i}");
        assert_eq!(
            json(&one.gd_runs[0]),
            json(&whole.gd_runs[i as usize]),
            "GD run {i}"
        );
        events += one.runs[0].zero_gradient_events;
    }
    events
}

fn product(n: usize) -> (Vec<String>, String) {
    let vars: Vec<String> = (1..=n).map(|i| format!("x{i}")).collect();
    let f = format!("({}-1)^2", vars.join("*"));
    (vars, f)
}

#[test]
fn several_blocks_with_padding_match_lone_runs_and_threads() {
    // 8 variables: blocks of 176 lanes in a chunk of 512 (the last one padded), then a
    // chunk of 88 lanes.
    let (vars, f) = product(8);
    let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
    let h = harness(&vars, &f, None, &Params::new());
    let c = cfg(600, 3_000, 8, 0.2, 1.8);
    let one = in_pool(1, || h.run(&c, None));
    let two = in_pool(2, || h.run(&c, None));
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
    alone_matches(&h, &c, &one, &[0, 175, 176, 351, 352, 511, 512, 599]);
}

#[test]
fn blocked_zero_gradient_events_match_lone_runs() {
    // `xy`: frequent exact zeros once the steps are small; 700 starts are a chunk of 512
    // lanes and one of 188.
    let h = harness(&["x", "y"], "(x*y-1)^2", None, &Params::new());
    let c = cfg(700, 20_000, 2, -2.0, 2.0);
    let whole = in_pool(1, || h.run(&c, None));
    let with_events: Vec<u64> = whole
        .runs
        .iter()
        .filter(|r| r.zero_gradient_events > 0)
        .map(|r| r.index)
        .collect();
    assert!(!with_events.is_empty(), "no run with zero-gradient events");
    // A few of them, spread over both chunks.
    let picked: Vec<u64> = with_events
        .iter()
        .step_by(with_events.len().div_ceil(4))
        .copied()
        .chain(with_events.last().copied())
        .collect();
    let events = alone_matches(&h, &c, &whole, &picked);
    assert!(events > 0);
    alone_matches(&h, &c, &whole, &[0, 511, 512, 699]);
}

#[test]
fn every_width_of_the_update_matches_lone_runs() {
    // 3 variables (the unrolled update, the one-lane loop in registers) and 9 (the update
    // row by row, the one-lane loop over a slice).
    for n in [3, 9] {
        let (vars, f) = product(n);
        let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
        let h = harness(&vars, &f, None, &Params::new());
        let c = cfg(40, 5_000, n, 0.5, 1.5);
        let whole = h.run(&c, None);
        alone_matches(&h, &c, &whole, &[0, 17, 39]);
    }
}
