//! Hand-written NGD loop: the speed reference for ngd-verify's harness.
//!
//! `ngd-handloop {xy|prod8} S ITERS [REPS]` prints one JSON line.
//!
//! `x <- x - a_k g/(|g| + 1e-300)`, `a_k = 0.1/sqrt(k+1)`, in f64, with the gradient coded
//! by hand (`f = (x y - 1)^2`: `g = 2(xy - 1)(y, x)`; `f = (x1...x8 - 1)^2`:
//! `g_i = 2(p - 1) p / x_i`). The state is stored structure-of-arrays (one vector per
//! coordinate, indexed by start), and the inner loop runs over the starts so that the
//! compiler vectorizes it. Starts: `x[s][i] = 0.2 + 1.6 frac((s+1) frac(sqrt(p_i)))`, `p_i`
//! the i-th prime, as in the NumPy and JAX peers. Timing: one untimed warm-up, then the
//! median of REPS (default 5) runs, each from the same starts.

use std::hint::black_box;
use std::time::Instant;

/// Added to `|g|` before dividing: where `g == 0` exactly the step is `0`.
const GUARD: f64 = 1e-300;
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

/// `f = (x y - 1)^2` on the starts `(xs[j], ys[j])`.
fn ngd_xy(xs: &mut [f64], ys: &mut [f64], iters: u64) {
    assert_eq!(xs.len(), ys.len());
    for k in 0..iters {
        let a = step_size(k);
        for (x, y) in xs.iter_mut().zip(ys.iter_mut()) {
            let r2 = 2.0 * (*x * *y - 1.0);
            let (gx, gy) = (r2 * *y, r2 * *x);
            let scale = a / ((gx * gx + gy * gy).sqrt() + GUARD);
            *x -= scale * gx;
            *y -= scale * gy;
        }
    }
}

/// `f = (x1 ... x8 - 1)^2`; `cols[i][j]` is coordinate `i` of start `j`.
fn ngd_prod8(cols: &mut [Vec<f64>; 8], iters: u64) {
    let n = cols[0].len();
    assert!(cols.iter().all(|c| c.len() == n));
    for k in 0..iters {
        let a = step_size(k);
        // Fixed-length slices let the compiler drop the bounds checks in the inner loop.
        let [c0, c1, c2, c3, c4, c5, c6, c7] = cols;
        let c: [&mut [f64]; 8] = [
            &mut c0[..n],
            &mut c1[..n],
            &mut c2[..n],
            &mut c3[..n],
            &mut c4[..n],
            &mut c5[..n],
            &mut c6[..n],
            &mut c7[..n],
        ];
        let [c0, c1, c2, c3, c4, c5, c6, c7] = c;
        for j in 0..n {
            let x = [c0[j], c1[j], c2[j], c3[j], c4[j], c5[j], c6[j], c7[j]];
            let p = x.iter().product::<f64>();
            let q = 2.0 * (p - 1.0) * p;
            let g = x.map(|v| q / v);
            let scale = a / (g.iter().map(|v| v * v).sum::<f64>().sqrt() + GUARD);
            c0[j] = x[0] - scale * g[0];
            c1[j] = x[1] - scale * g[1];
            c2[j] = x[2] - scale * g[2];
            c3[j] = x[3] - scale * g[3];
            c4[j] = x[4] - scale * g[4];
            c5[j] = x[5] - scale * g[5];
            c6[j] = x[6] - scale * g[6];
            c7[j] = x[7] - scale * g[7];
        }
    }
}

/// Runs the case once from the starts; returns the seconds taken and the final points.
fn run_once(case: &str, s: usize, iters: u64) -> (f64, Vec<Vec<f64>>) {
    match case {
        "xy" => {
            let mut xs: Vec<f64> = (0..s).map(|j| start(j, 0)).collect();
            let mut ys: Vec<f64> = (0..s).map(|j| start(j, 1)).collect();
            let t = Instant::now();
            ngd_xy(black_box(&mut xs), black_box(&mut ys), black_box(iters));
            let dt = t.elapsed().as_secs_f64();
            (
                dt,
                xs.into_iter().zip(ys).map(|(x, y)| vec![x, y]).collect(),
            )
        }
        "prod8" => {
            let mut cols: [Vec<f64>; 8] =
                std::array::from_fn(|i| (0..s).map(|j| start(j, i)).collect());
            let t = Instant::now();
            ngd_prod8(black_box(&mut cols), black_box(iters));
            let dt = t.elapsed().as_secs_f64();
            (
                dt,
                (0..s)
                    .map(|j| cols.iter().map(|c| c[j]).collect())
                    .collect(),
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: ngd-handloop {{xy|prod8}} S ITERS [REPS]");
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
    run_once(case, s, iters); // warm-up
    let mut times = Vec::new();
    let mut finals = Vec::new();
    for _ in 0..reps {
        let (dt, x) = run_once(case, s, iters);
        times.push(dt);
        finals = x;
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
    let frozen = finals.iter().filter(|x| f_at(x) == 0.0).count();
    println!(
        "{{\"job\": \"ngd\", \"side\": \"peer\", \"impl\": \"handloop\", \"case_kind\": \"{case}\", \
         \"S\": {s}, \"iterations\": {iters}, \"timing\": {{\"n\": {n}, \"median_s\": {median:e}, \
         \"min_s\": {:e}, \"max_s\": {:e}}}, \"steps_per_s\": {:e}, \"mean_final_f\": {mean_f:e}, \
         \"starts_ending_at_f_exactly_0\": {frozen}}}",
        sorted[0],
        sorted[n - 1],
        (s as f64 * iters as f64) / median
    );
}
