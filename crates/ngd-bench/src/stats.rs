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
    /// Median CPU time of this process (all its threads) per repetition, where the clock is
    /// available: unlike the wall clock it does not count the time other programs on a
    /// loaded machine take the cores away, so ratios of it are steadier under load.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_median_s: Option<f64>,
}

impl Samples {
    /// Summary of `times` (not empty).
    pub fn from_times(mut times: Vec<f64>) -> Samples {
        assert!(!times.is_empty(), "no samples");
        times.sort_by(f64::total_cmp);
        let n = times.len();
        Samples {
            n,
            median_s: median_of_sorted(&times),
            min_s: times[0],
            max_s: times[n - 1],
            cpu_median_s: None,
        }
    }

    /// These samples with the CPU times of the same repetitions (`None` if one is missing).
    pub fn with_cpu(mut self, cpu: &[Option<f64>]) -> Samples {
        let mut c: Vec<f64> = cpu
            .iter()
            .copied()
            .collect::<Option<_>>()
            .unwrap_or_default();
        if !c.is_empty() {
            c.sort_by(f64::total_cmp);
            self.cpu_median_s = Some(median_of_sorted(&c));
        }
        self
    }
}

/// The median of sorted values (not empty).
fn median_of_sorted(v: &[f64]) -> f64 {
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// CPU time of this process so far (all its threads), in seconds, or `None` where the
/// clock is unavailable.
pub fn process_cpu_s() -> Option<f64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `clock_gettime` only writes into the struct we pass.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    (rc == 0).then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
}

/// CPU seconds between two readings of [`process_cpu_s`].
fn cpu_between(start: Option<f64>, end: Option<f64>) -> Option<f64> {
    Some(end? - start?)
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
    let (c0, t0) = (process_cpu_s(), Instant::now());
    let mut last = job();
    let warm = t0.elapsed().as_secs_f64();
    if warm > plan.budget_s / 2.0 {
        let cpu = cpu_between(c0, process_cpu_s());
        return (Samples::from_times(vec![warm]).with_cpu(&[cpu]), last);
    }
    let mut times = Vec::with_capacity(plan.reps);
    let mut cpu = Vec::with_capacity(plan.reps);
    let mut total = 0.0;
    for _ in 0..plan.reps.max(1) {
        let (c, t) = (process_cpu_s(), Instant::now());
        last = job();
        let dt = t.elapsed().as_secs_f64();
        cpu.push(cpu_between(c, process_cpu_s()));
        times.push(dt);
        total += dt;
        if total > plan.budget_s {
            break;
        }
    }
    (Samples::from_times(times).with_cpu(&cpu), last)
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
    fn cpu_time_of_a_busy_loop_is_counted() {
        let (s, _) = measure(
            Plan {
                reps: 3,
                budget_s: 1e9,
            },
            || (0..2_000_000u64).fold(0u64, |a, i| std::hint::black_box(a ^ i)),
        );
        let cpu = s
            .cpu_median_s
            .expect("a process CPU clock on this platform");
        // Other tests' threads run in this process too: at most every core busy meanwhile.
        let cores = std::thread::available_parallelism().map_or(64, |n| n.get()) as f64;
        assert!(
            cpu > 0.0 && cpu <= cores * s.max_s + 0.01,
            "cpu {cpu} s, wall {s:?}"
        );
        let json = serde_json::to_value(&s).expect("serialize");
        assert_eq!(json["cpu_median_s"].as_f64(), Some(cpu));
    }

    #[test]
    fn cpu_median_is_absent_when_a_reading_is() {
        let s = Samples::from_times(vec![1.0, 2.0]).with_cpu(&[Some(0.5), None]);
        assert_eq!(s.cpu_median_s, None);
        let s = Samples::from_times(vec![1.0, 2.0]).with_cpu(&[Some(0.5), Some(1.5)]);
        assert_eq!(s.cpu_median_s, Some(1.0));
        let json = serde_json::to_value(Samples::from_times(vec![1.0])).expect("serialize");
        assert!(json.get("cpu_median_s").is_none());
    }

    #[test]
    fn peak_rss_is_reported() {
        assert!(peak_rss_kib() > 0);
    }
}
