//! Hand-written NGD loop: the speed reference for ngd-verify's harness.
//!
//! `ngd-handloop {xy|prod8} S ITERS [REPS] [--freezing]` prints one JSON line.
//!
//! `x <- x - a_k g/|g|`, `a_k = 0.1/sqrt(k+1)`, in f64, with the gradient coded by hand
//! (`f = (x y - 1)^2 = r^2`: `g = 2 r (y, x)`; `f = (x1...x8 - 1)^2 = r^2`:
//! `g_i = 2 r p / x_i`).
//!
//! Where `|g|^2` is not a positive normal float (an exact zero `r = 0`, or an underflow) the
//! loop does what ngd-verify's harness does (its zero-gradient rule for `f = c h(r)`, see
//! `crates/ngd-sim/src/rule.rs`): a step of length `a_k` along `sign(r) grad r/|grad r|`,
//! with a seeded random sign where `r = 0` (an event). So it never freezes, like the harness.
//! As in the harness, the vectorized pass leaves such lanes alone and marks them, and a
//! scalar pass finishes them. `--freezing` runs the older rule instead:
//! `x <- x - a_k g/(|g| + 1e-300)`, a zero step where `g = 0`, so a lane at an exact zero
//! stays there for good (cheaper lanes, which is why it is only the second column). The state is stored structure-of-arrays (one vector per
//! coordinate, indexed by start), and the inner loop runs over the starts so that the
//! compiler vectorizes it. Starts: `x[s][i] = 0.2 + 1.6 frac((s+1) frac(sqrt(p_i)))`, `p_i`
//! the i-th prime, as in the NumPy and JAX peers. Timing: one untimed warm-up, then the
//! median of REPS (default 5) runs, each from the same starts.

use std::hint::black_box;
use std::time::Instant;

/// Added to `|g|` before dividing (`--freezing`): where `g == 0` exactly the step is `0`.
const GUARD: f64 = 1e-300;

/// How a lane steps where `|g|^2` is not a positive normal float.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// The harness's rule: a unit step along `sign(r) grad r` (random sign at `r = 0`).
    NeverFreezing,
    /// A zero step at `g = 0` (the guard `1e-300`).
    Freezing,
}

/// Whether `q` is a positive normal float (the harness's test before `a / sqrt(q)`).
#[inline(always)]
fn normal(q: f64) -> bool {
    (f64::MIN_POSITIVE..=f64::MAX).contains(&q)
}

/// The per-lane coins of the zero-gradient rule: SplitMix64 seeded by the lane's index.
struct Coins(Vec<u64>);

impl Coins {
    fn new(n: usize) -> Coins {
        Coins((0..n as u64).collect())
    }

    /// `+1.0` or `-1.0` for lane `j`.
    fn sign(&mut self, j: usize) -> f64 {
        self.0[j] = self.0[j].wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0[j];
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        if z & 1 == 1 {
            1.0
        } else {
            -1.0
        }
    }
}

/// The rule's step at a lane with residual `r` and `grad r = d`: `x -= a sign d/|d|`
/// (`d` scaled to its largest entry first, so tiny or huge entries neither underflow nor
/// overflow). Returns whether it was an event (`r == 0`). A lane with `d == 0` or a
/// non-finite value stays put, where the harness would stop it.
fn rule_step(x: &mut [f64], d: &mut [f64], r: f64, a: f64, coins: &mut Coins, j: usize) -> bool {
    let m = d.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if !(m > 0.0 && m.is_finite() && r.is_finite()) {
        return false;
    }
    let (sign, event) = if r > 0.0 {
        (1.0, false)
    } else if r < 0.0 {
        (-1.0, false)
    } else {
        (coins.sign(j), true)
    };
    d.iter_mut().for_each(|v| *v /= m);
    let n = d.iter().map(|v| v * v).sum::<f64>().sqrt();
    for (xv, dv) in x.iter_mut().zip(d.iter()) {
        *xv -= a * (sign * dv / n);
    }
    event
}
const PRIMES: [f64; 8] = [2.0, 3.0, 5.0, 7.0, 11.0, 13.0, 17.0, 19.0];

/// Coordinate `i` of start `s`.
fn start(s: usize, i: usize) -> f64 {
    let alpha = PRIMES[i].sqrt() % 1.0;
    0.2 + 1.6 * (((s + 1) as f64 * alpha) % 1.0)
}

/// The step size `a_k`.
#[inline(always)]
fn step_size(k: u64) -> f64 {
    0.1 / ((k + 1) as f64).sqrt()
}

/// One lane's step from its gradient `g`, as both rules vectorize it. `FREEZING`: the guard
/// rule, always done. Otherwise the harness's test: where `|g|^2` is not a positive normal
/// float the lane is left unchanged and `false` is returned, for the scalar pass.
#[inline(always)]
fn lane_step<const FREEZING: bool, const N: usize>(x: &mut [f64; N], g: [f64; N], a: f64) -> bool {
    let q = g.iter().map(|v| v * v).sum::<f64>();
    if FREEZING {
        let scale = a / (q.sqrt() + GUARD);
        x.iter_mut().zip(g).for_each(|(xv, gv)| *xv -= scale * gv);
        return true;
    }
    let ok = normal(q);
    let scale = a / q.sqrt();
    x.iter_mut()
        .zip(g)
        .for_each(|(xv, gv)| *xv = if ok { *xv - scale * gv } else { *xv });
    ok
}

/// The never-freezing rule's scalar pass over the lanes the vectorized pass left alone:
/// `residual(x)` gives `(r, grad r)` at a lane's point. Returns the number of events.
fn scalar_pass<const N: usize>(
    cols: &mut [&mut [f64]; N],
    skipped: &[bool],
    a: f64,
    coins: &mut Coins,
    residual: impl Fn(&[f64; N]) -> (f64, [f64; N]),
) -> u64 {
    let mut events = 0;
    for j in (0..skipped.len()).filter(|&j| skipped[j]) {
        let mut x: [f64; N] = std::array::from_fn(|i| cols[i][j]);
        let (r, mut d) = residual(&x);
        events += u64::from(rule_step(&mut x, &mut d, r, a, coins, j));
        for (i, xi) in x.into_iter().enumerate() {
            cols[i][j] = xi;
        }
    }
    events
}

/// `f = (x y - 1)^2` on the starts `(xs[j], ys[j])`; returns the number of events.
fn ngd_xy<const FREEZING: bool>(xs: &mut [f64], ys: &mut [f64], iters: u64) -> u64 {
    assert_eq!(xs.len(), ys.len());
    let n = xs.len();
    let (mut skipped, mut coins, mut events) = (vec![false; n], Coins::new(n), 0);
    for k in 0..iters {
        let a = step_size(k);
        let mut any = false;
        for ((x, y), skip) in xs.iter_mut().zip(ys.iter_mut()).zip(skipped.iter_mut()) {
            let r2 = 2.0 * (*x * *y - 1.0);
            let mut p = [*x, *y];
            let ok = lane_step::<FREEZING, 2>(&mut p, [r2 * *y, r2 * *x], a);
            [*x, *y] = p;
            if !FREEZING {
                *skip = !ok;
                any |= !ok;
            }
        }
        if any {
            events += scalar_pass(&mut [&mut *xs, &mut *ys], &skipped, a, &mut coins, |p| {
                (p[0] * p[1] - 1.0, [p[1], p[0]])
            });
        }
    }
    events
}

/// `f = (x1 ... x8 - 1)^2`; `cols[i][j]` is coordinate `i` of start `j`. Returns the number
/// of events.
fn ngd_prod8<const FREEZING: bool>(cols: &mut [Vec<f64>; 8], iters: u64) -> u64 {
    let n = cols[0].len();
    assert!(cols.iter().all(|c| c.len() == n));
    let (mut skipped, mut coins, mut events) = (vec![false; n], Coins::new(n), 0);
    for k in 0..iters {
        let a = step_size(k);
        // Fixed-length slices let the compiler drop the bounds checks in the inner loop.
        let mut c: [&mut [f64]; 8] = cols.each_mut().map(|c| &mut c[..n]);
        let skipped = &mut skipped[..n];
        let mut any = false;
        for j in 0..n {
            let mut x: [f64; 8] = std::array::from_fn(|i| c[i][j]);
            let p = x.iter().product::<f64>();
            let q = 2.0 * (p - 1.0) * p;
            let g = x.map(|v| q / v);
            let ok = lane_step::<FREEZING, 8>(&mut x, g, a);
            for (ci, xi) in c.iter_mut().zip(x) {
                ci[j] = xi;
            }
            if !FREEZING {
                skipped[j] = !ok;
                any |= !ok;
            }
        }
        if any {
            events += scalar_pass(&mut c, skipped, a, &mut coins, |x| {
                let p = x.iter().product::<f64>();
                (p - 1.0, x.map(|v| p / v))
            });
        }
    }
    events
}

/// Runs the case once from the starts; returns the seconds taken, the final points and the
/// number of zero-gradient events.
fn run_once(case: &str, s: usize, iters: u64, rule: Rule) -> (f64, Vec<Vec<f64>>, u64) {
    match case {
        "xy" => {
            let mut xs: Vec<f64> = (0..s).map(|j| start(j, 0)).collect();
            let mut ys: Vec<f64> = (0..s).map(|j| start(j, 1)).collect();
            let t = Instant::now();
            let (xs_b, ys_b, iters) = (black_box(&mut xs), black_box(&mut ys), black_box(iters));
            let events = match rule {
                Rule::NeverFreezing => ngd_xy::<false>(xs_b, ys_b, iters),
                Rule::Freezing => ngd_xy::<true>(xs_b, ys_b, iters),
            };
            let dt = t.elapsed().as_secs_f64();
            (
                dt,
                xs.into_iter().zip(ys).map(|(x, y)| vec![x, y]).collect(),
                events,
            )
        }
        "prod8" => {
            let mut cols: [Vec<f64>; 8] =
                std::array::from_fn(|i| (0..s).map(|j| start(j, i)).collect());
            let t = Instant::now();
            let (cols_b, iters) = (black_box(&mut cols), black_box(iters));
            let events = match rule {
                Rule::NeverFreezing => ngd_prod8::<false>(cols_b, iters),
                Rule::Freezing => ngd_prod8::<true>(cols_b, iters),
            };
            let dt = t.elapsed().as_secs_f64();
            (
                dt,
                (0..s)
                    .map(|j| cols.iter().map(|c| c[j]).collect())
                    .collect(),
                events,
            )
        }
        _ => {
            eprintln!("unknown case {case}: use xy or prod8");
            std::process::exit(2);
        }
    }
}

/// `f` at a point of the case.
fn f_at(x: &[f64]) -> f64 {
    (x.iter().product::<f64>() - 1.0).powi(2)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let rule = if let Some(i) = args.iter().position(|a| a == "--freezing") {
        args.remove(i);
        Rule::Freezing
    } else {
        Rule::NeverFreezing
    };
    if args.len() < 3 {
        eprintln!("usage: ngd-handloop {{xy|prod8}} S ITERS [REPS] [--freezing]");
        std::process::exit(2);
    }
    let num = |i: usize, what: &str| -> u64 {
        args[i].parse().unwrap_or_else(|_| {
            eprintln!("{what} must be a non-negative integer");
            std::process::exit(2)
        })
    };
    let case = args[0].as_str();
    let s = num(1, "S") as usize;
    let iters = num(2, "ITERS");
    let reps = if args.len() > 3 { num(3, "REPS") } else { 5 }.max(1);
    run_once(case, s, iters, rule); // warm-up
    let mut times = Vec::new();
    let mut finals = Vec::new();
    let mut events = 0;
    for _ in 0..reps {
        let (dt, x, e) = run_once(case, s, iters, rule);
        times.push(dt);
        (finals, events) = (x, e);
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    };
    let mean_f = finals.iter().map(|x| f_at(x)).sum::<f64>() / finals.len().max(1) as f64;
    let impl_name = match rule {
        Rule::NeverFreezing => "handloop",
        Rule::Freezing => "handloop_freezing",
    };
    let frozen = finals.iter().filter(|x| f_at(x) == 0.0).count();
    println!(
        "{{\"job\": \"ngd\", \"side\": \"peer\", \"impl\": \"{impl_name}\", \"case_kind\": \"{case}\", \
         \"S\": {s}, \"iterations\": {iters}, \"timing\": {{\"n\": {n}, \"median_s\": {median:e}, \
         \"min_s\": {:e}, \"max_s\": {:e}}}, \"steps_per_s\": {:e}, \"mean_final_f\": {mean_f:e}, \
         \"starts_ending_at_f_exactly_0\": {frozen}, \"zero_gradient_events\": {events}}}",
        sorted[0],
        sorted[n - 1],
        (s as f64 * iters as f64) / median
    );
}
