//! Throughput of the harness's NGD loop against a hand-written loop.
//!
//! `cargo run --release -p ngd-sim --example ngd_speed [STEPS [ONLY]]`
//!
//! (`ONLY`: `xy1`, `xy1024` or `prod8` runs that configuration alone, e.g. for a profiler.)
//!
//! NGD steps per second (runs x steps / wall time) of [`Harness::run`] (NGD only: no GD
//! baseline, no recording, no MPFR) on
//!
//! * `xy`: `f = (x y - 1)^2`, 1 start and 1024 starts, `STEPS` steps (default 10^6);
//! * `prod8`: `f = (x1 ... x8 - 1)^2`, 256 starts;
//!
//! next to hand-written structure-of-arrays Rust loops with hand-coded gradients
//! (`2(xy - 1)(y, x)` and `2(p - 1) p / x_i`) doing the same steps, in the same process.
//! Schedule `a_k = 0.1/sqrt(k+1)` as in the peers' benchmark. The ratio compares the
//! harness on one thread with the hand loop, alternating, each timed by the CPU time of the
//! thread that ran it (best of 5), so that other load on the machine cancels out; the
//! harness is also timed (wall clock) on all of rayon's threads.
//!
//! Under each line (untimed): the share of the hand loop's lane-steps taken at an exact
//! zero gradient, where it keeps `x` for good (a frozen lane does no real work, and its
//! square root and division see zeros), next to the harness's zero-gradient events (it
//! never freezes: it steps along the subdifferential rule). For `xy` a second hand loop
//! that does not freeze either (it applies the same rule, `±(y, x)/|(y, x)|` with a seeded
//! sign, at exact zeros) gives the like-for-like ratio. The last lines repeat the ratios.

use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_sim::{prepare, Harness, HarnessConfig, HarnessReport, Schedule};
use std::hint::black_box;
use std::time::Instant;

/// Timed repetitions of each loop.
const REPS: usize = 5;

fn cfg(starts: u64, steps: u64, n: usize, lo: f64, hi: f64) -> HarnessConfig {
    HarnessConfig {
        schedule: Schedule {
            a0: 0.1,
            power: 0.5,
        },
        iterations: steps,
        starts,
        start_box: vec![(lo, hi); n],
        divergence_radius: 1e6,
        gd_baseline: false,
        ..HarnessConfig::default()
    }
}

fn harness(vars: &[&str], f: &str) -> Harness {
    let mut a = Arena::new(vars.iter().map(|s| s.to_string()).collect());
    let fe = parse_expr(&mut a, f, &Params::new()).expect("f");
    prepare(&mut a, fe, None)
}

/// CPU time of the calling thread in seconds (`CLOCK_THREAD_CPUTIME_ID` on Linux; wall
/// time elsewhere).
#[cfg(target_os = "linux")]
fn thread_time() -> f64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; the call only writes into it.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime");
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

#[cfg(not(target_os = "linux"))]
fn thread_time() -> f64 {
    static T0: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    T0.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Best times (seconds) of `a` and `b` over `reps` alternating repetitions, both run on
/// the one-thread pool `pool` and timed by that thread's CPU time (so that other
/// processes on the machine do not count).
fn race(
    pool: &rayon::ThreadPool,
    reps: usize,
    a: impl Fn() + Sync,
    b: impl Fn() + Sync,
) -> (f64, f64) {
    let (mut ta, mut tb) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..reps {
        let t = pool.install(|| {
            let t0 = thread_time();
            a();
            let t1 = thread_time();
            b();
            (t1 - t0, thread_time() - t1)
        });
        ta = ta.min(t.0);
        tb = tb.min(t.1);
    }
    (ta, tb)
}

/// Best wall time (seconds) of `a` over `reps` repetitions.
fn wall(reps: usize, a: impl Fn()) -> f64 {
    (0..reps)
        .map(|_| {
            let t0 = Instant::now();
            a();
            t0.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn hand_xy(xs: &mut [f64], ys: &mut [f64], steps: u64) {
    for k in 0..steps {
        let a = 0.1 / ((k + 1) as f64).sqrt();
        for (x, y) in xs.iter_mut().zip(ys.iter_mut()) {
            let r = *x * *y - 1.0;
            let gx = 2.0 * r * *y;
            let gy = 2.0 * r * *x;
            let n = (gx * gx + gy * gy).sqrt();
            let s = if n > 0.0 { a / n } else { 0.0 };
            *x -= s * gx;
            *y -= s * gy;
        }
    }
}

/// The lane-steps of [`hand_xy`] at an exact zero gradient (the same arithmetic, counted).
/// The same loop without freezing, as the harness must: where `grad f == 0` exactly
/// (`x y - 1 == 0.0`), step along `±(y, x)/|(y, x)|`, the sign from a per-lane xorshift
/// (the normalized subdifferential of `f = g^2` on `M`), like the harness's rule.
fn hand_xy_nonfreezing(xs: &mut [f64], ys: &mut [f64], steps: u64) {
    let mut rng: Vec<u64> = (0..xs.len() as u64)
        .map(|i| 0x9E37_79B9_7F4A_7C15 ^ (i + 1))
        .collect();
    for k in 0..steps {
        let a = 0.1 / ((k + 1) as f64).sqrt();
        for ((x, y), r) in xs.iter_mut().zip(ys.iter_mut()).zip(rng.iter_mut()) {
            let res = *x * *y - 1.0;
            let mut gx = 2.0 * res * *y;
            let mut gy = 2.0 * res * *x;
            let mut n = (gx * gx + gy * gy).sqrt();
            if n == 0.0 {
                *r ^= *r << 13;
                *r ^= *r >> 7;
                *r ^= *r << 17;
                let sign = if *r & 1 == 0 { 1.0 } else { -1.0 };
                gx = sign * *y;
                gy = sign * *x;
                n = (gx * gx + gy * gy).sqrt();
            }
            let s = a / n;
            *x -= s * gx;
            *y -= s * gy;
        }
    }
}

fn hand_xy_frozen(xs: &mut [f64], ys: &mut [f64], steps: u64) -> u64 {
    let mut frozen = 0;
    for k in 0..steps {
        let a = 0.1 / ((k + 1) as f64).sqrt();
        for (x, y) in xs.iter_mut().zip(ys.iter_mut()) {
            let r = *x * *y - 1.0;
            let gx = 2.0 * r * *y;
            let gy = 2.0 * r * *x;
            let n = (gx * gx + gy * gy).sqrt();
            frozen += u64::from(n == 0.0);
            let s = if n > 0.0 { a / n } else { 0.0 };
            *x -= s * gx;
            *y -= s * gy;
        }
    }
    frozen
}

/// The lane-steps of [`hand_prod8`] at an exact zero gradient (the same arithmetic,
/// counted).
#[allow(clippy::needless_range_loop)]
fn hand_prod8_frozen(cols: &mut [Vec<f64>; 8], steps: u64) -> u64 {
    let s = cols[0].len();
    let mut frozen = 0;
    for k in 0..steps {
        let a = 0.1 / ((k + 1) as f64).sqrt();
        for j in 0..s {
            let x: [f64; 8] = std::array::from_fn(|i| cols[i][j]);
            let p: f64 = x.iter().product();
            let c = 2.0 * (p - 1.0) * p;
            let g: [f64; 8] = std::array::from_fn(|i| c / x[i]);
            let n = g.iter().map(|v| v * v).sum::<f64>().sqrt();
            frozen += u64::from(n == 0.0);
            let sc = if n > 0.0 { a / n } else { 0.0 };
            for i in 0..8 {
                cols[i][j] = x[i] - sc * g[i];
            }
        }
    }
    frozen
}

#[allow(clippy::needless_range_loop)] // mirrors the peers' structure-of-arrays loop
fn hand_prod8(cols: &mut [Vec<f64>; 8], steps: u64) {
    let s = cols[0].len();
    for k in 0..steps {
        let a = 0.1 / ((k + 1) as f64).sqrt();
        for j in 0..s {
            let x: [f64; 8] = std::array::from_fn(|i| cols[i][j]);
            let p: f64 = x.iter().product();
            let c = 2.0 * (p - 1.0) * p;
            let g: [f64; 8] = std::array::from_fn(|i| c / x[i]);
            let n = g.iter().map(|v| v * v).sum::<f64>().sqrt();
            let sc = if n > 0.0 { a / n } else { 0.0 };
            for i in 0..8 {
                cols[i][j] = x[i] - sc * g[i];
            }
        }
    }
}

fn line(what: &str, points: u64, steps: u64, t_harness1: f64, t_harness_all: f64, t_hand: f64) {
    let work = (points * steps) as f64;
    println!(
        "{what:<20} harness {:>9.3e} steps/s (1 thread, CPU time), {:>9.3e} ({} threads, wall) | hand {:>9.3e} (CPU time) | harness/hand {:>5.1}%",
        work / t_harness1,
        work / t_harness_all,
        rayon::current_num_threads(),
        work / t_hand,
        100.0 * t_hand / t_harness1
    );
}

/// The untimed context line: frozen hand-loop lane-steps and the harness's events.
fn frozen_line(points: u64, steps: u64, frozen: u64, report: &HarnessReport) {
    let events: u64 = report.runs.iter().map(|r| r.zero_gradient_events).sum();
    println!(
        "{:<20} hand loop frozen at grad f = 0 on {:.1}% of its lane-steps; harness: {events} zero-gradient events ({:.2}% of its steps)",
        "",
        100.0 * frozen as f64 / (points * steps) as f64,
        100.0 * events as f64 / (points * steps) as f64
    );
}

fn main() {
    let steps: u64 = std::env::args()
        .nth(1)
        .map_or(1_000_000, |s| s.parse().expect("STEPS must be a number"));
    let only = std::env::args().nth(2);
    let want = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("thread pool");
    let xy = harness(&["x", "y"], "(x*y-1)^2");
    let vars8 = ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"];
    let prod8 = harness(&vars8, "(x1*x2*x3*x4*x5*x6*x7*x8-1)^2");
    println!("NGD steps/s, {steps} steps per start, best of {REPS} alternating repetitions");
    let mut ratios = Vec::new();
    let mut nonfreezing = Vec::new();

    for &starts in &[1u64, 1024] {
        if !want(&format!("xy{starts}")) {
            continue;
        }
        let c = cfg(starts, steps, 2, -2.0, 2.0);
        let st: Vec<Vec<f64>> = (0..starts).map(|i| xy.start_point(&c, i)).collect();
        let hand = || {
            let mut xs: Vec<f64> = st.iter().map(|p| p[0]).collect();
            let mut ys: Vec<f64> = st.iter().map(|p| p[1]).collect();
            hand_xy(black_box(&mut xs), black_box(&mut ys), black_box(steps));
            black_box((xs, ys));
        };
        let (t1, th) = race(&one, REPS, || drop(black_box(xy.run(&c, None))), hand);
        let ta = wall(REPS, || drop(black_box(xy.run(&c, None))));
        line(&format!("xy, {starts} starts"), starts, steps, t1, ta, th);
        let mut xs: Vec<f64> = st.iter().map(|p| p[0]).collect();
        let mut ys: Vec<f64> = st.iter().map(|p| p[1]).collect();
        let frozen = hand_xy_frozen(&mut xs, &mut ys, steps);
        frozen_line(starts, steps, frozen, &xy.run(&c, None));
        ratios.push(format!("xy S={starts} {:.1}%", 100.0 * th / t1));
        // The same comparison against a hand loop that, like the harness, never freezes.
        let hand_nf = || {
            let mut xs: Vec<f64> = st.iter().map(|p| p[0]).collect();
            let mut ys: Vec<f64> = st.iter().map(|p| p[1]).collect();
            hand_xy_nonfreezing(black_box(&mut xs), black_box(&mut ys), black_box(steps));
            black_box((xs, ys));
        };
        let (t1, th) = race(&one, REPS, || drop(black_box(xy.run(&c, None))), hand_nf);
        line(
            &format!("xy, {starts} (no freeze)"),
            starts,
            steps,
            t1,
            ta,
            th,
        );
        nonfreezing.push(format!("xy S={starts} {:.1}%", 100.0 * th / t1));
    }

    if want("prod8") {
        prod8_line(&prod8, &one, steps, &mut ratios);
    }
    println!("harness/hand (1 thread, CPU time): {}", ratios.join(", "));
    if !nonfreezing.is_empty() {
        println!(
            "harness/non-freezing hand loop (1 thread, CPU time): {}",
            nonfreezing.join(", ")
        );
    }
}

fn prod8_line(prod8: &Harness, one: &rayon::ThreadPool, steps: u64, ratios: &mut Vec<String>) {
    let starts = 256;
    let c = cfg(starts, steps, 8, 0.2, 1.8);
    let st: Vec<Vec<f64>> = (0..starts).map(|i| prod8.start_point(&c, i)).collect();
    let hand = || {
        let mut cols: [Vec<f64>; 8] = std::array::from_fn(|v| st.iter().map(|p| p[v]).collect());
        hand_prod8(black_box(&mut cols), black_box(steps));
        black_box(cols);
    };
    let (t1, th) = race(one, REPS, || drop(black_box(prod8.run(&c, None))), hand);
    let ta = wall(REPS, || drop(black_box(prod8.run(&c, None))));
    line("prod8, 256 starts", starts, steps, t1, ta, th);
    let mut cols: [Vec<f64>; 8] = std::array::from_fn(|v| st.iter().map(|p| p[v]).collect());
    let frozen = hand_prod8_frozen(&mut cols, steps);
    frozen_line(starts, steps, frozen, &prod8.run(&c, None));
    ratios.push(format!("prod8 S={starts} {:.1}%", 100.0 * th / t1));
}
