//! The lane blocks and the one-point slots: the same values, bit for bit, as
//! `Tape::eval_f64`, for outputs of every kind (intermediate, repeated, variable, constant,
//! folded from constants), at any width, evaluated repeatedly.

use ngd_eval::Tape;
use ngd_expr::{Arena, Func, Rational};

fn q(n: i64, d: i64) -> Rational {
    Rational::from((n, d))
}

/// A tape over `x, y` with outputs of every kind, including operations of constants only
/// (`exp(2) * x`, `(1/3)^3 - x`), constants on both sides of non-commutative operations,
/// powers, roots and non-smooth functions.
fn every_kind() -> Tape {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let x = a.var(0);
    let y = a.var(1);
    let xy = a.mul2(x, y);
    let one = a.int(1);
    let g = a.sub(xy, one);
    let f = a.powi(g, 2);
    let two = a.int(2);
    let e2 = a.func(Func::Exp, two);
    let e2x = a.mul2(e2, x);
    let third = a.constant(q(1, 3));
    let cube = a.powi(third, 3);
    let cmx = a.sub(cube, x);
    let ydiv = a.div(third, y);
    let r = a.pow(g, q(1, 3));
    let p5 = a.powi(y, -5);
    let ab = a.func(Func::Abs, g);
    let mx = a.max(x, third);
    let c = a.constant(q(2, 7));
    let grad = a.gradient(f);
    let mut outs = vec![f, g, f, y, c, xy, e2x, cmx, ydiv, r, p5, ab, mx, x];
    outs.extend(grad);
    Tape::compile(&a, &outs)
}

fn points(lanes: usize) -> Vec<[f64; 2]> {
    (0..lanes)
        .map(|i| {
            let u = ((i * 7919) % 1000) as f64 / 250.0 - 2.0;
            let v = ((i * 104_729) % 997) as f64 / 249.0 - 2.0;
            // Exact zeros of `xy - 1`, zeros and signed zeros among generic points.
            match i % 11 {
                0 => [1.0, 1.0],
                1 => [0.0, -0.0],
                2 => [-0.0, 2.0],
                _ => [u, v],
            }
        })
        .collect()
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn lane_blocks_match_the_scalar_path_at_every_width() {
    let t = every_kind();
    let no = t.n_outputs();
    let mut s1 = Vec::new();
    let mut want = vec![0.0; no];
    for width in [1usize, 3, 8, 16, 37, 128, 300] {
        let pts = points(width);
        let mut blk = t.lane_block(width);
        assert_eq!(blk.width(), width);
        for round in 0..3 {
            // New points each round: no stale row may leak into a later evaluation.
            for (l, p) in pts.iter().enumerate() {
                let p = [p[0] * (1.0 + round as f64), p[1]];
                blk.input_mut(0)[l] = p[0];
                blk.input_mut(1)[l] = p[1];
            }
            t.eval_lanes(&mut blk);
            for l in 0..width {
                let p = [blk.input(0)[l], blk.input(1)[l]];
                t.eval_f64(&p, &mut s1, &mut want);
                for (o, &w) in want.iter().enumerate() {
                    let got = blk.output(o)[l];
                    assert!(
                        same(got, w),
                        "width {width} lane {l} output {o}: {got} vs {w}"
                    );
                }
            }
            // The split view sees the same inputs (rows `stride` apart, whole cache lines)
            // and outputs.
            let sd = blk.stride();
            assert!(sd >= width && sd % 8 == 0);
            let (x, outs) = blk.split();
            assert_eq!(x.len(), 2 * sd);
            assert_eq!(x.as_ptr() as usize % 64, 0, "rows start on a cache line");
            for l in 0..width {
                let p = [x[l], x[sd + l]];
                t.eval_f64(&p, &mut s1, &mut want);
                for (o, &w) in want.iter().enumerate() {
                    assert!(same(outs.get(o)[l], w));
                }
            }
        }
    }
    assert!(t.lane_rows() >= t.n_vars());
}

#[test]
fn point_slots_match_the_scalar_path() {
    let t = every_kind();
    let no = t.n_outputs();
    let mut pt = t.point_slots();
    let mut s1 = Vec::new();
    let mut want = vec![0.0; no];
    for p in points(200) {
        pt.input_mut().copy_from_slice(&p);
        t.eval_f64(&p, &mut s1, &mut want);
        t.eval_point(&mut pt);
        for (o, &w) in want.iter().enumerate() {
            assert!(same(pt.output(o), w), "{p:?} output {o}");
        }
        // All outputs at once, from registers.
        let all: [f64; 16] = t.eval_point_outputs(&mut pt);
        for (o, &w) in want.iter().enumerate() {
            assert!(same(all[o], w), "{p:?} output {o} (registers)");
            assert!(same(pt.output(o), w), "{p:?} output {o} (slots)");
        }
        assert_eq!(pt.input(), &p);
    }
    assert_eq!(no, 16);
}

#[test]
fn a_tape_without_instructions_has_lanes_and_slots() {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let x = a.var(0);
    let c = a.constant(q(-5, 2));
    let t = Tape::compile(&a, &[c, x, x]);
    assert!(t.is_empty());
    let mut blk = t.lane_block(5);
    blk.input_mut(0).copy_from_slice(&[1.0, 2.0, 3.0, 4.0, 5.0]);
    t.eval_lanes(&mut blk);
    assert_eq!(blk.output(0), &[-2.5; 5]);
    assert_eq!(blk.output(1), &[1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(blk.output(2), blk.output(1));
    let mut pt = t.point_slots();
    pt.input_mut().copy_from_slice(&[7.0, 8.0]);
    let out: [f64; 3] = t.eval_point_outputs(&mut pt);
    assert_eq!(out, [-2.5, 7.0, 7.0]);
}
