//! Runtime CPU dispatch: the harness gives the same report, byte for byte, at every
//! instruction-set level this CPU supports (portable, AVX2/FMA, AVX-512), with zero-gradient
//! events, GD, recorded trajectories and stops in the mix.
//!
//! The level is process-wide, so every comparison lives in this one test (this file is its
//! own test binary: no other test changes the level meanwhile).

mod common;

use common::{config, harness, harness2, matfact};
use ngd_eval::vector::simd::{self, SimdLevel};
use ngd_parse::Params;
use ngd_sim::{Harness, HarnessConfig, HarnessReport};

fn json(r: &HarnessReport) -> String {
    serde_json::to_string(r).expect("serialize")
}

/// The cases: `xy` (exact zeros of `xy - 1` on the way, events), a product of eight
/// variables (`N = 8` update), a 9-variable sum (the any-`N` update), the matrix
/// factorization (least-squares rule), each with records and the GD baseline.
fn cases() -> Vec<(&'static str, Harness, HarnessConfig)> {
    // Starts in `[0.2, 1.8]^n` for the products (near the exact zeros of `prod x_i - 1`),
    // `[-2, 2]^n` otherwise.
    let with = |n: usize, lo: f64, hi: f64, starts, iterations| HarnessConfig {
        record_every: Some(700),
        gd_baseline: true,
        start_box: vec![(lo, hi); n],
        ..config(starts, iterations, 0.5)
    };
    let vars = |n: usize| -> Vec<String> { (1..=n).map(|i| format!("x{i}")).collect() };
    let (v8, v9) = (vars(8), vars(9));
    let prod8 = format!("({} - 1)^2", v8.join("*"));
    let sum9 = format!("({})^2 + x1^4", v9.join("+"));
    let plain = |v: &[String], f: &str| {
        let names: Vec<&str> = v.iter().map(String::as_str).collect();
        harness(&names, f, None, &Params::new())
    };
    vec![
        (
            "xy",
            harness2("(x*y-1)^2", "(x^2-y^2)^2"),
            with(2, -2.0, 2.0, 301, 3_000),
        ),
        ("prod8", plain(&v8, &prod8), with(8, 0.2, 1.8, 77, 2_000)),
        ("sum9", plain(&v9, &sum9), with(9, -2.0, 2.0, 65, 1_500)),
        ("matfact", matfact(), with(8, -2.0, 2.0, 130, 2_000)),
    ]
}

#[test]
fn every_supported_level_gives_the_same_report() {
    let supported: Vec<SimdLevel> = SimdLevel::ALL
        .into_iter()
        .filter(|l| l.supported())
        .collect();
    eprintln!("levels supported here: {supported:?}");
    assert!(supported.contains(&SimdLevel::Portable));
    for (name, h, cfg) in cases() {
        let mut reference: Option<(SimdLevel, String)> = None;
        for &level in &supported {
            simd::force(level).expect("supported");
            assert_eq!(simd::active(), level);
            let report = json(&h.run(&cfg, None));
            match &reference {
                None => reference = Some((level, report)),
                Some((first, want)) => assert!(
                    *want == report,
                    "{name}: the {level} report differs from the {first} report"
                ),
            }
        }
        let (_, report) = reference.expect("portable ran");
        let v: serde_json::Value = serde_json::from_str(&report).expect("json");
        assert!(
            v["runs"].as_array().is_some_and(|r| !r.is_empty()),
            "{name}: runs"
        );
        if name == "xy" {
            // The case exercises the per-lane events next to the vectorized update.
            let events = v["ngd"]["zero_gradient_events"].as_u64();
            assert!(events > Some(0), "xy: zero-gradient events {events:?}");
        }
    }
    // An unsupported level is refused and leaves the level alone.
    for level in SimdLevel::ALL {
        let before = simd::active();
        match simd::force(level) {
            Ok(()) => assert!(level.supported() && simd::active() == level),
            Err(e) => assert!(!level.supported() && simd::active() == before && e.0 == level),
        }
    }
    simd::force(SimdLevel::best()).expect("the best level is supported");
    assert_eq!(SimdLevel::parse("avx512"), Some(SimdLevel::Avx512));
    assert_eq!(SimdLevel::parse("sse9"), None);
}
