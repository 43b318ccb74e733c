//! Determinism (threads, shards, serialization), the zero-gradient rule, stops, MPFR.

mod common;

use common::{config, harness, harness2};
use ngd_check::ObjectiveShape;
use ngd_parse::Params;
use ngd_sim::{
    merge, HarnessConfig, HarnessReport, MergeError, Outcome, StallKind, TailStop, ZeroGradientRule,
};

fn json(r: &HarnessReport) -> String {
    serde_json::to_string(r).expect("serialize")
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool")
        .install(f)
}

fn xy_flat() -> Vec<Vec<f64>> {
    vec![vec![1.0, 1.0], vec![-1.0, -1.0]]
}

fn small_cfg() -> HarnessConfig {
    HarnessConfig {
        record_every: Some(5_000),
        precision_bits: Some(128),
        mpfr_tail_steps: 300,
        mpfr_runs: 6,
        ..config(37, 20_000, 0.25)
    }
}

#[test]
fn same_numbers_on_one_and_two_threads() {
    let h = harness2("(x*y-1)^2", "(x^2-y^2)^2");
    let cfg = small_cfg();
    let flat = xy_flat();
    let one = in_pool(1, || h.run(&cfg, Some(&flat)));
    let two = in_pool(2, || h.run(&cfg, Some(&flat)));
    let three = in_pool(3, || h.run(&cfg, Some(&flat)));
    assert_eq!(json(&one), json(&two));
    assert_eq!(json(&one), json(&three));
    // And a different seed gives different numbers.
    let other = h.run(
        &HarnessConfig {
            seed: 2,
            ..cfg.clone()
        },
        Some(&flat),
    );
    assert_ne!(one.runs[0].start, other.runs[0].start);
}

#[test]
fn shards_merge_to_the_unsharded_report() {
    let h = harness2("(x^3+y^3-1)^2", "(1/x-1/y)^2");
    let c = 2f64.powf(-1.0 / 3.0);
    let flat = vec![vec![c, c]];
    let cfg = small_cfg();
    let whole = h.run(&cfg, Some(&flat));
    let shards: Vec<HarnessReport> = (0..3)
        .map(|k| {
            let r = h.run(
                &HarnessConfig {
                    shard: Some((k, 3)),
                    ..cfg.clone()
                },
                Some(&flat),
            );
            // Through a shard file and back.
            let text = json(&r);
            let back: HarnessReport = serde_json::from_str(&text).expect("deserialize");
            assert_eq!(json(&back), text);
            back
        })
        .collect();
    assert_eq!(
        shards[0].runs.len() + shards[1].runs.len() + shards[2].runs.len(),
        37
    );
    let merged = merge(&shards).expect("merge");
    assert_eq!(json(&merged), json(&whole));
    // Shards in any order.
    let rev: Vec<HarnessReport> = shards.iter().rev().cloned().collect();
    assert_eq!(json(&merge(&rev).unwrap()), json(&whole));
    // Missing and duplicated shards are refused, named by their position and 1-based number.
    assert_eq!(
        merge(&shards[..2]).unwrap_err(),
        MergeError::Missing {
            missing: vec![3],
            missing_total: 1,
            count: 3
        }
    );
    let dup = vec![
        shards[0].clone(),
        shards[0].clone(),
        shards[1].clone(),
        shards[2].clone(),
    ];
    let err = merge(&dup).unwrap_err();
    assert_eq!(
        err.describe(|i| format!("file{i}")),
        "file0 and file1 are both shard 1/3: the shard appears in two files"
    );
    let mut other = shards.clone();
    other[1].config.seed = 9;
    assert!(merge(&other)
        .unwrap_err()
        .to_string()
        .contains("configuration"));
    // A shard that lost a run (not interrupted) is refused; an interrupted one merges and
    // the merged report says so.
    let mut short = shards.clone();
    short[1].runs.pop();
    assert_eq!(
        merge(&short).unwrap_err(),
        MergeError::WrongRuns {
            shard: 1,
            method: "NGD"
        }
    );
    short[1].interrupted = true;
    short[1].gd_runs.pop();
    let partial = merge(&short).expect("an interrupted shard merges");
    assert!(partial.interrupted);
    assert_eq!(partial.runs.len(), 36);
    assert!(!merge(&shards).unwrap().interrupted);
}

#[test]
fn single_lane_path_matches_the_batched_one() {
    // A shard of one run takes the one-lane loop; the whole run batches its lanes.
    for (f, phi) in [("(x*y-1)^2", "(x^2-y^2)^2"), ("(x^2+2*y^2-1)^2", "y^2/x^4")] {
        let h = harness2(f, phi);
        let cfg = config(37, 100_000, 0.25);
        let whole = h.run(&cfg, Some(&xy_flat()));
        // The compared runs include ones with zero-gradient events.
        let with_events: Vec<u64> = whole
            .runs
            .iter()
            .filter(|r| r.zero_gradient_events > 0)
            .map(|r| r.index)
            .take(2)
            .collect();
        assert!(!with_events.is_empty(), "{f}: no zero-gradient events");
        for i in [0u64, 36].into_iter().chain(with_events) {
            let one = h.run(
                &HarnessConfig {
                    shard: Some((i, 37)),
                    ..cfg.clone()
                },
                Some(&xy_flat()),
            );
            assert_eq!(one.runs.len(), 1);
            assert_eq!(
                serde_json::to_string(&one.runs[0]).unwrap(),
                serde_json::to_string(&whole.runs[i as usize]).unwrap()
            );
            assert_eq!(
                serde_json::to_string(&one.gd_runs[0]).unwrap(),
                serde_json::to_string(&whole.gd_runs[i as usize]).unwrap()
            );
        }
    }
}

#[test]
fn zero_gradients_are_counted_and_never_freeze() {
    // (1, 1) is exactly on xy = 1: grad f = 0 at the first step.
    for f in ["(x*y-1)^2", "abs(x*y-1)", "(x*y-1)^4"] {
        let h = harness2(f, "(x^2-y^2)^2");
        let cfg = HarnessConfig {
            start_box: vec![(1.0, 1.0), (1.0, 1.0)],
            ..config(8, 2_000, 0.25)
        };
        let r = h.run(&cfg, Some(&xy_flat()));
        assert!(
            matches!(r.zero_gradient_rule, ZeroGradientRule::Scalar { .. }),
            "{:?}",
            r.zero_gradient_rule
        );
        for run in &r.runs {
            assert!(run.zero_gradient_events >= 1, "{f}: {run:?}");
            assert_eq!(run.steps, 2_000, "{f}");
            assert_ne!(run.outcome, Outcome::Stalled, "{f}");
            assert!(run.dist_to_s.unwrap() < 0.05, "{f}: {run:?}");
        }
        // The signs are seeded per run: both directions occur.
        let firsts: Vec<u64> = r.runs.iter().map(|r| r.zero_gradient_events).collect();
        assert!(firsts.iter().sum::<u64>() >= 8);
        // GD stays put at a zero gradient (no rule, no events).
        assert!(r.gd_runs.iter().all(|g| g.zero_gradient_events == 0));
        assert!(r.gd_runs.iter().all(|g| g.end == vec![1.0, 1.0]));
    }
    // (In ordinary runs the events are frequent once the steps are small: see the known
    // cases.)
}

#[test]
fn directions_at_g_zero_use_both_signs() {
    // One step from (1, 1) on xy = 1 moves by a_0 = 0.1 along +-(1,1)/sqrt(2).
    let h = harness2("(x*y-1)^2", "(x^2-y^2)^2");
    let cfg = HarnessConfig {
        start_box: vec![(1.0, 1.0), (1.0, 1.0)],
        gd_baseline: false,
        ..config(16, 1, 0.25)
    };
    let r = h.run(&cfg, None);
    let mut plus = 0;
    for run in &r.runs {
        assert_eq!(run.zero_gradient_events, 1);
        let d = run.end[0] - 1.0;
        assert!((d.abs() - 0.1 / 2f64.sqrt()).abs() < 1e-12, "{run:?}");
        assert_eq!(run.end[0], run.end[1]);
        plus += usize::from(d > 0.0);
    }
    assert!(plus > 0 && plus < 16, "{plus} of 16 steps went outwards");
}

#[test]
fn true_critical_points_stop_the_run() {
    // grad g = (y, x) = 0 at the origin: a critical point of g, not on M.
    let h = harness2("(x*y-1)^2", "(x^2-y^2)^2");
    let cfg = HarnessConfig {
        start_box: vec![(0.0, 0.0), (0.0, 0.0)],
        ..config(3, 100, 0.25)
    };
    let r = h.run(&cfg, Some(&xy_flat()));
    for run in &r.runs {
        assert_eq!(run.outcome, Outcome::Stalled);
        assert_eq!(run.stall, Some(StallKind::CriticalPointOfG));
        assert_eq!(run.steps, 0);
        assert_eq!(run.end, vec![0.0, 0.0]);
    }
    // Least squares exactly on M: a random unit vector of range(J^T), counted.
    let h = harness(&["x", "y"], "(x-1)^2 + (y-1)^2", None, &Params::new());
    assert_eq!(
        h.structure(),
        &ObjectiveShape::LeastSquares { residuals: 2 }
    );
    assert_eq!(
        h.zero_gradient_rule(),
        ZeroGradientRule::LeastSquares { residuals: 2 }
    );
    let cfg = HarnessConfig {
        start_box: vec![(1.0, 1.0), (1.0, 1.0)],
        gd_baseline: false,
        ..config(4, 1, 0.25)
    };
    let r = h.run(&cfg, None);
    for run in &r.runs {
        assert_eq!(run.zero_gradient_events, 1);
        let d = ((run.end[0] - 1.0).powi(2) + (run.end[1] - 1.0).powi(2)).sqrt();
        assert!((d - 0.1).abs() < 1e-12, "{run:?}");
    }
    // A general f has no rule: a zero gradient stops the run, and the report says so.
    let h = harness(&["x", "y"], "x^2*y^2 + x^4", None, &Params::new());
    let cfg = HarnessConfig {
        start_box: vec![(0.0, 0.0), (0.5, 0.5)],
        gd_baseline: false,
        ..config(2, 10, 0.25)
    };
    let r = h.run(&cfg, None);
    assert_eq!(r.zero_gradient_rule, ZeroGradientRule::General);
    assert!(r
        .runs
        .iter()
        .all(|r| r.stall == Some(StallKind::CriticalPointOfF)));
}

#[test]
fn divergence_and_gd_blow_up_are_reported() {
    // f = (x y - 1)^2 with GD step 0.5 blows up from many starts (cubically: it overflows
    // to NaN within a few steps, between two divergence checks).
    let h = harness2("(x*y-1)^2", "(x^2-y^2)^2");
    let cfg = HarnessConfig {
        gd_step: 0.5,
        divergence_radius: 2.5,
        ..config(32, 2_000, 0.25)
    };
    let r = h.run(&cfg, Some(&xy_flat()));
    let gd = r.gd.as_ref().unwrap();
    assert!(gd.count(Outcome::Diverged) >= 8, "{:?}", gd.counts);
    for run in r.gd_runs.iter().filter(|r| r.outcome == Outcome::Diverged) {
        assert!(run.steps < 2_000 && run.steps % 32 == 0);
    }
}

#[test]
fn mpfr_tails_agree_with_f64() {
    let h = harness2("(x*y-1)^2", "(x^2-y^2)^2");
    let cfg = HarnessConfig {
        precision_bits: Some(160),
        mpfr_tail_steps: 500,
        mpfr_runs: 8,
        gd_baseline: false,
        ..config(12, 20_000, 0.25)
    };
    let r = h.run(&cfg, Some(&xy_flat()));
    let m = r.mpfr.as_ref().expect("MPFR summary");
    assert_eq!(m.compared, 8);
    assert_eq!(m.disagree, 0, "{m:?}");
    assert!(m.max_distance < cfg.tolerance);
    for run in &r.runs {
        assert_eq!(run.mpfr.is_some(), run.index < 8);
    }
}

#[test]
fn trajectories_are_recorded_at_the_stated_steps() {
    let h = harness2("(x*y-1)^2", "(x^2-y^2)^2");
    let cfg = HarnessConfig {
        record_every: Some(1_000),
        progress: true, // hidden when stderr is not a terminal; must not disturb anything
        ..config(5, 4_000, 0.25)
    };
    let r = h.run(&cfg, Some(&xy_flat()));
    let ks = cfg.record_steps();
    assert_eq!(
        ks,
        vec![0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 1024, 2000, 2048, 3000, 4000]
    );
    for run in r.runs.iter().chain(&r.gd_runs) {
        let t = run.trajectory.as_ref().expect("trajectory");
        assert_eq!(t.k, ks);
        assert_eq!(t.x.len(), ks.len());
        assert_eq!(t.phi.len(), ks.len());
        assert_eq!(t.dist_to_s.len(), ks.len());
        assert_eq!(t.x[0], run.start);
        assert_eq!(*t.x.last().unwrap(), run.end);
        assert_eq!(*t.f.last().unwrap(), run.f);
    }
}

#[test]
fn invalid_configurations_are_refused() {
    let good = config(4, 10, 0.25);
    assert!(good.validate(2).is_ok());
    assert!(good.validate(3).unwrap_err().contains("start_box"));
    let bad = HarnessConfig {
        shard: Some((3, 3)),
        ..good.clone()
    };
    assert!(bad.validate(2).is_err());
    let bad = HarnessConfig {
        tolerance: 0.0,
        ..good.clone()
    };
    assert!(bad.validate(2).unwrap_err().contains("tolerance"));
    let bad = HarnessConfig {
        record_every: Some(0),
        ..good
    };
    assert!(bad.validate(2).is_err());
}

/// Every typed field of a report (shape, rule, step rules, drift warnings, tail stops) reads
/// back from a shard file as it was written.
#[test]
fn typed_fields_read_back_from_a_shard_file() {
    let h = harness2("(x*y-1)^4", "(x^2-y^2)^2");
    let cfg = HarnessConfig {
        schedule: ngd_sim::Schedule {
            a0: 0.01,
            power: 1.0,
        },
        shard: Some((0, 2)),
        ..small_cfg()
    };
    let mut r = h.run(&cfg, Some(&xy_flat()));
    assert_eq!(r.drift.warnings.len(), 2, "{:?}", r.drift.warnings);
    let stops = [
        TailStop::F64StoppedBefore,
        TailStop::EvalError {
            error: "division by zero".into(),
            step: 3,
        },
        TailStop::CriticalPointOfF { step: 4 },
        TailStop::CriticalPointOfG { step: 5 },
        TailStop::CriticalPointOfResiduals { step: 6 },
        TailStop::CriticalPointOfFOffM { step: 7 },
    ];
    for (run, stop) in r.runs.iter_mut().zip(stops) {
        run.mpfr.as_mut().expect("an MPFR tail").stopped = Some(stop);
    }
    let text = json(&r);
    let back: HarnessReport = serde_json::from_str(&text).expect("deserialize");
    assert_eq!(back, r);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["structure"]["kind"], "scalar");
    assert_eq!(v["structure"]["outer"]["even_power"], 4);
    assert_eq!(v["zero_gradient_rule"]["kind"], "scalar");
    assert_eq!(v["ngd"]["method"], "ngd");
    assert_eq!(v["ngd"]["step_rule"]["kind"], "normalized");
    assert_eq!(v["gd"]["step_rule"]["kind"], "constant");
    assert_eq!(v["drift"]["warnings"][0]["kind"], "small_budget");
    assert_eq!(v["drift"]["warnings"][1]["kind"], "fast_decay");
    assert_eq!(v["runs"][1]["mpfr"]["stopped"]["kind"], "eval_error");
}

/// A sum of losses of order 2 takes the least-squares rule on `M` (a random unit vector of
/// the row space, counted); a sum with a `t^4` loss has no rule.
#[test]
fn sums_of_order_two_losses_step_on_m_like_least_squares() {
    let h = harness(
        &["x", "y"],
        "log(1 + (x-1)^2) + (y-1)^2",
        None,
        &Params::new(),
    );
    assert_eq!(
        h.zero_gradient_rule(),
        ZeroGradientRule::LeastSquares { residuals: 2 }
    );
    let cfg = HarnessConfig {
        start_box: vec![(1.0, 1.0), (1.0, 1.0)],
        gd_baseline: false,
        ..config(4, 1, 0.25)
    };
    for run in &h.run(&cfg, None).runs {
        assert_eq!(run.zero_gradient_events, 1);
        let d = ((run.end[0] - 1.0).powi(2) + (run.end[1] - 1.0).powi(2)).sqrt();
        assert!((d - 0.1).abs() < 1e-12, "{run:?}");
    }
    let h = harness(&["x", "y"], "(x-1)^4 + (y-1)^2", None, &Params::new());
    assert_eq!(h.zero_gradient_rule(), ZeroGradientRule::General);
}
