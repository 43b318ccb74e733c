//! The normalized-subdifferential rule: the NGD direction where `grad f/|grad f|` cannot be
//! formed in floating point (docs/math.md, "Exact zeros").

use crate::report::{Outcome, StallKind, ZeroGradientRule};
use ngd_check::Outer;
use ngd_eval::{PointSlots, Tape};
use rand::Rng;
use rand_pcg::Pcg64;

/// How the direction is chosen where `grad f == 0` exactly.
#[derive(Clone, Debug)]
pub(crate) enum Rule {
    /// `f = c h(g)`; `sub` computes `[g, grad g]`.
    Scalar { sub: Tape, outer: Outer },
    /// `f = sum c_i g_i^2`; `sub` computes `[g_1..g_m, J]` with `J` row-major `m x n`.
    LeastSquares {
        sub: Tape,
        weights: Vec<f64>,
        m: usize,
    },
    /// No rule: a zero gradient stops the run.
    General,
}

impl Rule {
    /// The rule as reported.
    pub(crate) fn summary(&self) -> ZeroGradientRule {
        match self {
            Rule::Scalar { outer, .. } => ZeroGradientRule::Scalar { outer: *outer },
            Rule::LeastSquares { m, .. } => ZeroGradientRule::LeastSquares { residuals: *m },
            Rule::General => ZeroGradientRule::General,
        }
    }
}

/// `floor(log2(m))` for a positive finite `m` (normal or subnormal).
fn binary_exponent(m: f64) -> i32 {
    let biased = |v: f64| ((v.to_bits() >> 52) & 0x7ff) as i32;
    if m >= f64::MIN_POSITIVE {
        biased(m) - 1023
    } else {
        biased(m * f64::from_bits((1023 + 54) << 52)) - 1023 - 54
    }
}

/// Scales `v` to unit length without underflow or overflow (first by a power of two,
/// exactly, so that its largest entry is in `[1, 2)`). Returns `false` (and leaves `v`
/// unspecified) when `v` is zero or not finite.
pub(crate) fn unit(v: &mut [f64]) -> bool {
    let m = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if !(m > 0.0 && m.is_finite()) {
        return false;
    }
    // 2^-e with e the binary exponent of m (m normal or subnormal), applied in two exact
    // halves so that neither factor overflows or underflows.
    let e = binary_exponent(m);
    let half = |k: i32| f64::from_bits(((1023 + k) as u64) << 52);
    let (s1, s2) = (half(-e / 2), half(-e - (-e / 2)));
    for x in v.iter_mut() {
        *x = *x * s1 * s2;
    }
    let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    for x in v.iter_mut() {
        *x /= n;
    }
    true
}

/// Scratch buffers of the rule, reused between events (the `sub` tape's slots, with its
/// constants, are made on the first event).
#[derive(Default)]
pub(crate) struct RuleBufs {
    pub slots: Option<PointSlots>,
    pub out: Vec<f64>,
    pub d: Vec<f64>,
    pub w: Vec<f64>,
}

/// Evaluates `sub` at `x` into its slots (made on first use): the values of
/// [`Tape::eval_f64`], without its per-call setup.
fn eval_sub<'a>(sub: &Tape, x: &[f64], slots: &'a mut Option<PointSlots>) -> &'a PointSlots {
    let pt = slots.get_or_insert_with(|| sub.point_slots());
    pt.input_mut().copy_from_slice(x);
    sub.eval_point(pt);
    pt
}

/// Why a run stops at an event step.
pub(crate) type Stop = (Outcome, Option<StallKind>);

/// One NGD step at a point `x` where `|grad f|^2` was not a positive normal float: `grad`
/// is `grad f(x)`. On success `x` has moved by `a` along the chosen unit direction and the
/// return value says whether it was a zero-gradient event; otherwise the run stops.
///
/// For `f = c h(g)` the direction comes from `g` and `grad g` (the exact NGD direction
/// wherever `g != 0`): `sign(g) grad g/|grad g|`, and `s grad g/|grad g|` with a seeded
/// sign `s` where `g = 0` (an event).
pub(crate) fn ngd_event_step(
    rule: &Rule,
    x: &mut [f64],
    grad: &[f64],
    a: f64,
    rng: &mut Pcg64,
    b: &mut RuleBufs,
) -> Result<bool, Stop> {
    match rule {
        Rule::Scalar { sub, .. } => scalar_step(sub, x, a, rng, b),
        _ if own_direction_step(x, grad, a, b)? => Ok(false),
        Rule::General => Err((Outcome::Stalled, Some(StallKind::CriticalPointOfF))),
        Rule::LeastSquares { sub, weights, m } => {
            least_squares_step(sub, weights, *m, x, a, rng, b)
        }
    }
}

/// `f = c h(g)`: a step of length `a` along `sign(g) grad g/|grad g|` (random sign where
/// `g = 0`, an event); stops where `grad g = 0` or a value is not finite.
fn scalar_step(
    sub: &Tape,
    x: &mut [f64],
    a: f64,
    rng: &mut Pcg64,
    b: &mut RuleBufs,
) -> Result<bool, Stop> {
    let n = x.len();
    let pt = eval_sub(sub, x, &mut b.slots);
    // `[g, grad g]`, read in place.
    let g = pt.output(0);
    let d = |i: usize| pt.output(1 + i);
    if !g.is_finite() || (0..n).any(|i| !d(i).is_finite()) {
        return Err((Outcome::NonFinite, None));
    }
    if (0..n).all(|i| d(i) == 0.0) {
        return Err((Outcome::Stalled, Some(StallKind::CriticalPointOfG)));
    }
    let (sign, event) = if g > 0.0 {
        (1.0, false)
    } else if g < 0.0 {
        (-1.0, false)
    } else {
        // +1 or -1 without a branch on the coin (exact: 1 * 2 - 1 and 0 * 2 - 1).
        let up = rng.random::<bool>();
        (f64::from(u8::from(up)) * 2.0 - 1.0, true)
    };
    let mut qg = 0.0;
    for i in 0..n {
        qg += d(i) * d(i);
    }
    if (f64::MIN_POSITIVE..=f64::MAX).contains(&qg) {
        let s = a / qg.sqrt() * sign;
        for (i, xi) in x.iter_mut().enumerate() {
            *xi -= s * d(i);
        }
    } else {
        b.d.clear();
        b.d.extend((0..n).map(d));
        unit(&mut b.d);
        for (xi, &di) in x.iter_mut().zip(&b.d) {
            *xi -= a * (sign * di);
        }
    }
    Ok(event)
}

/// A tiny (or huge) but nonzero gradient: a step along its own direction. `Ok(true)` when
/// taken, `Ok(false)` when `grad` is zero (the rule decides), `Err` when it is not finite.
fn own_direction_step(x: &mut [f64], grad: &[f64], a: f64, b: &mut RuleBufs) -> Result<bool, Stop> {
    if grad.iter().all(|&v| v == 0.0) {
        return Ok(false);
    }
    if grad.iter().any(|v| !v.is_finite()) {
        return Err((Outcome::NonFinite, None));
    }
    b.d.clear();
    b.d.extend_from_slice(grad);
    if !unit(&mut b.d) {
        return Ok(false);
    }
    for (xi, di) in x.iter_mut().zip(&b.d) {
        *xi -= a * di;
    }
    Ok(true)
}

/// Least squares: on `M` a step along `J^T w/|J^T w|` with `w` uniform in `[-1, 1]^m` (an
/// event); off `M` along `J^T C G`; stops where that direction is zero or not finite.
fn least_squares_step(
    sub: &Tape,
    weights: &[f64],
    m: usize,
    x: &mut [f64],
    a: f64,
    rng: &mut Pcg64,
    b: &mut RuleBufs,
) -> Result<bool, Stop> {
    let n = x.len();
    let pt = eval_sub(sub, x, &mut b.slots);
    b.out.clear();
    b.out.extend((0..m + m * n).map(|o| pt.output(o)));
    if b.out.iter().any(|v| !v.is_finite()) {
        return Err((Outcome::NonFinite, None));
    }
    let (r, jac) = b.out.split_at(m);
    let on_m = r.iter().all(|&v| v == 0.0);
    b.w.clear();
    if on_m {
        b.w.extend((0..m).map(|_| rng.random::<f64>() * 2.0 - 1.0));
    } else {
        let rmax = r.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        b.w.extend(r.iter().zip(weights).map(|(ri, ci)| ci * (ri / rmax)));
    }
    b.d.clear();
    b.d.resize(n, 0.0);
    for (i, wi) in b.w.iter().enumerate() {
        for (dj, jij) in b.d.iter_mut().zip(&jac[i * n..(i + 1) * n]) {
            *dj += wi * jij;
        }
    }
    if !unit(&mut b.d) {
        let kind = if on_m {
            StallKind::CriticalPointOfResiduals
        } else {
            StallKind::CriticalPointOfF
        };
        return Err((Outcome::Stalled, Some(kind)));
    }
    for (xi, di) in x.iter_mut().zip(&b.d) {
        *xi -= a * di;
    }
    Ok(on_m)
}
