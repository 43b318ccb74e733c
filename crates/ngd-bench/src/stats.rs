//! Timing (warm-up, then the median of timed repetitions) and peak memory.

use serde::Serialize;
use std::time::Instant;

/// Wall-clock samples of one job, in seconds.
#[derive(Clone, Debug, Serialize)]
pub struct Samples {
    /// Number of timed repetitions.
    pub n: usize,
    /// Median.
    pub median_s: f64,
    /// Fastest repetition.
    pub min_s: f64,
    /// Slowest repetition.
    pub max_s: f64,
}

impl Samples {
    /// Summary of `times` (not empty).
    pub fn from_times(mut times: Vec<f64>) -> Samples {
        assert!(!times.is_empty(), "no samples");
        times.sort_by(f64::total_cmp);
        let n = times.len();
        let median_s = if n % 2 == 1 {
            times[n / 2]
        } else {
            0.5 * (times[n / 2 - 1] + times[n / 2])
        };
        Samples {
            n,
            median_s,
            min_s: times[0],
            max_s: times[n - 1],
        }
    }
}

/// How many repetitions to time.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Timed repetitions (after one untimed warm-up).
    pub reps: usize,
    /// Stop early once the timed repetitions add up to this many seconds; a warm-up longer
    /// than half of it is kept as the only sample.
    pub budget_s: f64,
}

/// Runs `job` once untimed, then up to `plan.reps` timed times; returns the samples and
/// the result of the last call.
pub fn measure<T>(plan: Plan, mut job: impl FnMut() -> T) -> (Samples, T) {
    let t0 = Instant::now();
    let mut last = job();
    let warm = t0.elapsed().as_secs_f64();
    if warm > plan.budget_s / 2.0 {
        return (Samples::from_times(vec![warm]), last);
    }
    let mut times = Vec::with_capacity(plan.reps);
    let mut total = 0.0;
    for _ in 0..plan.reps.max(1) {
        let t = Instant::now();
        last = job();
        let dt = t.elapsed().as_secs_f64();
        times.push(dt);
        total += dt;
        if total > plan.budget_s {
            break;
        }
    }
    (Samples::from_times(times), last)
}

/// Peak resident set size of this process so far, in KiB.
///
/// `VmHWM` of `/proc/self/status` (the high-water mark of this program's own address
/// space). `getrusage`'s `ru_maxrss` is the fallback only: on Linux it survives `execve`, so
/// a process forked from a large parent (such as the Python driver) would report the
/// parent's size.
pub fn peak_rss_kib() -> u64 {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let hwm = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
        if let Some(kib) = hwm {
            return kib;
        }
    }
    // SAFETY: `getrusage` only writes into the zero-initialised struct we pass.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut ru) == 0 {
            ru.ru_maxrss.max(0) as u64
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let s = Samples::from_times(vec![3.0, 1.0, 2.0]);
        assert_eq!((s.n, s.median_s, s.min_s, s.max_s), (3, 2.0, 1.0, 3.0));
        let s = Samples::from_times(vec![4.0, 1.0, 2.0, 3.0]);
        assert_eq!(s.median_s, 2.5);
    }

    #[test]
    fn measure_counts_repetitions_and_keeps_the_last_result() {
        let mut calls = 0;
        let (s, last) = measure(
            Plan {
                reps: 4,
                budget_s: 1e9,
            },
            || {
                calls += 1;
                calls
            },
        );
        assert_eq!(s.n, 4);
        assert_eq!(last, 5); // one warm-up + 4 timed calls
    }

    #[test]
    fn peak_rss_is_reported() {
        assert!(peak_rss_kib() > 0);
    }
}
