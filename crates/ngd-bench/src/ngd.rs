//! Job 3, NGD: throughput of ngd-verify's harness ([`Harness::run`]) on one thread (or more).
//!
//! The harness is prepared once from the string `f` (`prepare` compiles the tapes, the
//! analogue of JAX's trace and compile, reported separately), then timed on a rayon pool of
//! `--threads` threads (default 1) at the CPU's best instruction-set level or the one
//! forced with `--simd`, NGD only (no GD baseline, no recording, no MPFR tail). steps/s =
//! `S * iterations / median time`; `steps_per_cpu_s` divides by the median CPU time of
//! the process instead (all threads). Starts are uniform in the case's box, drawn by the
//! harness's own seeded generator.

use crate::cases::NgdCase;
use crate::stats::{measure, peak_rss_kib, Plan};
use ngd_eval::vector::simd::{self, SimdLevel};
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_sim::{prepare, Harness, HarnessConfig, HarnessReport, Schedule};
use serde_json::{json, Value};
use std::time::Instant;

/// Compiles the harness for `case.f`.
pub fn harness(case: &NgdCase) -> Harness {
    let mut arena = Arena::new(case.vars.clone());
    let f = parse_expr(&mut arena, &case.f, &Params::new()).expect("f parses");
    prepare(&mut arena, f, None)
}

/// The harness configuration of the case with `iterations` steps per start.
pub fn config(case: &NgdCase, iterations: u64) -> HarnessConfig {
    HarnessConfig {
        schedule: Schedule {
            a0: case.a0,
            power: case.power,
        },
        iterations,
        starts: case.starts,
        start_box: vec![case.start_box; case.vars.len()],
        gd_baseline: false,
        ..HarnessConfig::default()
    }
}

/// How a case is timed besides its repetitions.
pub struct Setup {
    /// Steps per start, overriding the case's count.
    pub iterations: Option<u64>,
    /// Threads of the rayon pool the harness runs on.
    pub threads: usize,
    /// The instruction-set level of the vectorized loops.
    pub simd: SimdLevel,
}

/// The level named by `--simd` (default: the CPU's best), if this CPU supports it.
pub fn simd_level(name: Option<&str>) -> Result<SimdLevel, String> {
    let Some(name) = name else {
        return Ok(SimdLevel::best());
    };
    let level = SimdLevel::parse(name)
        .ok_or_else(|| format!("--simd: unknown level {name} (portable, avx2, avx512)"))?;
    if level.supported() {
        Ok(level)
    } else {
        Err(format!("--simd: {}", simd::Unsupported(level)))
    }
}

/// Times the case and returns its JSON record (an error if this CPU cannot run the level).
pub fn run(case: &NgdCase, plan: Plan, setup: Setup) -> Result<Value, String> {
    let iterations = setup.iterations.unwrap_or(case.iterations);
    simd::force(setup.simd).map_err(|e| format!("--simd: {e}"))?;
    let t = Instant::now();
    let h = harness(case);
    let prepare_s = t.elapsed().as_secs_f64();
    let cfg = config(case, iterations);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(setup.threads)
        .build()
        .expect("thread pool");
    let (timing, report): (_, HarnessReport) = pool.install(|| measure(plan, || h.run(&cfg, None)));
    let steps = (case.starts * iterations) as f64;
    let finals: Vec<f64> = report.runs.iter().map(|r| r.f).collect();
    Ok(json!({
        "job": "ngd",
        "side": "ours",
        "impl": "ngd-verify harness",
        "case": case.name,
        "S": case.starts,
        "iterations": iterations,
        "threads": setup.threads,
        "simd": simd::active().name(),
        "prepare_s": prepare_s,
        "timing": timing,
        "steps_per_s": steps / timing.median_s,
        // Per CPU second of all the pool's threads: steadier than `steps_per_s` on a loaded
        // machine, and with two threads it shows whether a thread's own work got slower.
        "steps_per_cpu_s": timing.cpu_median_s.map(|c| steps / c),
        "mean_final_f": finals.iter().sum::<f64>() / finals.len() as f64,
        "zero_gradient_events": report.ngd.zero_gradient_events,
        "runs_with_zero_gradient_events": report.ngd.runs_with_zero_gradient_events,
        "zero_gradient_rule": report.zero_gradient_rule,
        "peak_rss_kib": peak_rss_kib(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::Cases;

    #[test]
    fn short_runs_decrease_f() {
        for case in &Cases::embedded().ngd {
            let h = harness(case);
            let cfg = HarnessConfig {
                starts: case.starts.min(8),
                ..config(case, 2000)
            };
            let r = h.run(&cfg, None);
            assert_eq!(r.runs.len() as u64, cfg.starts);
            for run in &r.runs {
                assert!(
                    run.f.is_finite() && run.f < 1.0,
                    "{}: f = {}",
                    case.name,
                    run.f
                );
            }
        }
    }
}
