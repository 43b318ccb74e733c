//! Throughput of the tape's float paths in a normalized-gradient-descent loop.
//!
//! Runs `x <- x - a_k g/|g|`, `a_k = 0.1/(k+1)^0.25`, on `f = (xy - 1)^2` for `STEPS`
//! iterations (default 10^6; first command-line argument overrides), with the gradient from
//!
//! * the tape's scalar path [`Tape::eval_f64`] (one start) vs. a hand-written loop;
//! * the tape's batched path [`Tape::eval_f64_batch`] (1024 starts) vs. a hand-written
//!   structure-of-arrays loop,
//!
//! where the hand-written loops use the hand-coded gradient `2(xy - 1)(y, x)`.
//!
//! `cargo run --release -p ngd-eval --example ngd_loop [STEPS]`

use ngd_eval::Tape;
use ngd_expr::Arena;
use std::hint::black_box;
use std::ops::Range;
use std::time::Instant;

const LANES: usize = 1024;
const START: [f64; 2] = [1.7, 0.2];

#[inline(always)]
fn step_size(k: usize) -> f64 {
    // 0.1 / (k+1)^(1/4)
    0.1 / ((k + 1) as f64).sqrt().sqrt()
}

fn compile() -> Tape {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let x = a.var(0);
    let y = a.var(1);
    let xy = a.mul2(x, y);
    let one = a.int(1);
    let g = a.sub(xy, one);
    let f = a.powi(g, 2);
    let grad = a.gradient(f);
    Tape::compile(&a, &[f, grad[0], grad[1]])
}

/// One start. In floating point the iterate soon lands exactly on `xy = 1`, where `g = 0`
/// and NGD stops; so that every step does the same work, both single-start loops then
/// restart from `START` (the batched loops keep going: a lane with `g = 0` just stays).
fn tape_single(t: &Tape, ks: Range<usize>, p: &mut [f64; 2], scratch: &mut Vec<f64>) {
    let mut out = [0.0; 3];
    for k in ks {
        t.eval_f64(&p[..], scratch, &mut out);
        let n = (out[1] * out[1] + out[2] * out[2]).sqrt();
        if n > 0.0 {
            let s = step_size(k) / n;
            p[0] -= s * out[1];
            p[1] -= s * out[2];
        } else {
            *p = START;
        }
    }
}

fn hand_single(ks: Range<usize>, p: &mut [f64; 2]) {
    let [mut x, mut y] = *p;
    for k in ks {
        let h = x * y - 1.0;
        let gx = 2.0 * h * y;
        let gy = 2.0 * h * x;
        let n = (gx * gx + gy * gy).sqrt();
        if n > 0.0 {
            let s = step_size(k) / n;
            x -= s * gx;
            y -= s * gy;
        } else {
            [x, y] = START;
        }
    }
    *p = [x, y];
}

/// One NGD update of every lane from the gradients `gx`, `gy`.
#[inline(always)]
fn update(xs: &mut [f64], ys: &mut [f64], gx: &[f64], gy: &[f64], a: f64) {
    for (((x, y), &gx), &gy) in xs.iter_mut().zip(ys.iter_mut()).zip(gx).zip(gy) {
        let n = (gx * gx + gy * gy).sqrt();
        let s = if n > 0.0 { a / n } else { 0.0 };
        *x -= s * gx;
        *y -= s * gy;
    }
}

fn tape_batch(t: &Tape, ks: Range<usize>, p: &mut [f64], scratch: &mut Vec<f64>, out: &mut [f64]) {
    for k in ks {
        t.eval_f64_batch(LANES, p, scratch, out);
        let (xs, ys) = p.split_at_mut(LANES);
        update(
            xs,
            ys,
            &out[LANES..2 * LANES],
            &out[2 * LANES..],
            step_size(k),
        );
    }
}

fn hand_batch(ks: Range<usize>, p: &mut [f64]) {
    for k in ks {
        let a = step_size(k);
        let (xs, ys) = p.split_at_mut(LANES);
        for (x, y) in xs.iter_mut().zip(ys.iter_mut()) {
            let h = *x * *y - 1.0;
            let gx = 2.0 * h * *y;
            let gy = 2.0 * h * *x;
            let n = (gx * gx + gy * gy).sqrt();
            let s = if n > 0.0 { a / n } else { 0.0 };
            *x -= s * gx;
            *y -= s * gy;
        }
    }
}

fn f_of(x: f64, y: f64) -> f64 {
    (x * y - 1.0) * (x * y - 1.0)
}

/// Runs `a` and `b` over `0..steps` in `SEGMENTS` interleaved segments (so background load
/// hits both alike); returns their total times and their best per-segment rates.
fn race(steps: usize, mut a: impl FnMut(Range<usize>), mut b: impl FnMut(Range<usize>)) -> Timing {
    let seg = steps.div_ceil(SEGMENTS);
    let mut tm = Timing::default();
    let mut k = 0;
    while k < steps {
        let r = k..(k + seg).min(steps);
        let n = (r.end - r.start) as f64;
        let t0 = Instant::now();
        a(r.clone());
        let da = t0.elapsed().as_secs_f64();
        let t0 = Instant::now();
        b(r.clone());
        let db = t0.elapsed().as_secs_f64();
        tm.total_a += da;
        tm.total_b += db;
        tm.best_a = tm.best_a.max(n / da);
        tm.best_b = tm.best_b.max(n / db);
        k = r.end;
    }
    tm
}

const SEGMENTS: usize = 10;

#[derive(Default)]
struct Timing {
    total_a: f64,
    total_b: f64,
    best_a: f64,
    best_b: f64,
}

fn report(what: &str, unit: &str, scale: f64, steps: usize, tm: &Timing) {
    let rate_a = scale * steps as f64 / tm.total_a;
    let rate_b = scale * steps as f64 / tm.total_b;
    println!(
        "  {what:<22} tape {rate_a:>10.3e} {unit}/s (best segment {:.3e})",
        scale * tm.best_a
    );
    println!(
        "  {:<22} hand {rate_b:>10.3e} {unit}/s (best segment {:.3e})",
        "",
        scale * tm.best_b
    );
    println!(
        "  {:<22} tape/hand {:.0}% overall, {:.0}% best segments",
        "",
        100.0 * rate_a / rate_b,
        100.0 * tm.best_a / tm.best_b
    );
}

fn main() {
    let steps: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("STEPS must be a number"))
        .unwrap_or(1_000_000);
    let t = compile();
    println!("tape for f, df/dx, df/dy: {} instructions\n{t}\n", t.len());

    // Single start.
    let (mut p_tape, mut p_hand) = (START, START);
    let mut scratch = Vec::new();
    let tm = race(
        steps,
        |r| tape_single(&t, black_box(r), &mut p_tape, &mut scratch),
        |r| hand_single(black_box(r), &mut p_hand),
    );
    println!("single start, {steps} steps (interleaved in {SEGMENTS} segments):");
    report("eval_f64 vs hand", "steps", 1.0, steps, &tm);
    println!(
        "  final f: tape {:.3e}, hand {:.3e}; same trajectory: {}",
        f_of(p_tape[0], p_tape[1]),
        f_of(p_hand[0], p_hand[1]),
        p_tape[0].to_bits() == p_hand[0].to_bits() && p_tape[1].to_bits() == p_hand[1].to_bits()
    );

    // 1024 starts, deterministic in [-2, 2]^2.
    let mut start = vec![0.0; 2 * LANES];
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    for v in start.iter_mut() {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *v = ((s >> 11) as f64 / (1u64 << 53) as f64) * 4.0 - 2.0;
    }
    let mut b_tape = start.clone();
    let mut b_hand = start;
    let mut out = vec![0.0; 3 * LANES];
    let tm = race(
        steps,
        |r| tape_batch(&t, black_box(r), &mut b_tape, &mut scratch, &mut out),
        |r| hand_batch(black_box(r), &mut b_hand),
    );
    let mean_f =
        |p: &[f64]| (0..LANES).map(|l| f_of(p[l], p[LANES + l])).sum::<f64>() / LANES as f64;
    println!("\n{LANES} starts, {steps} steps each (interleaved in {SEGMENTS} segments):");
    report(
        "eval_f64_batch vs hand",
        "point-steps",
        LANES as f64,
        steps,
        &tm,
    );
    println!(
        "  {:<22} (whole-batch steps/s: tape {:.3e}, hand {:.3e})",
        "",
        steps as f64 / tm.total_a,
        steps as f64 / tm.total_b
    );
    println!(
        "  mean final f: tape {:.3e}, hand {:.3e}; same trajectories: {}",
        mean_f(&b_tape),
        mean_f(&b_hand),
        b_tape
            .iter()
            .zip(&b_hand)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
}
