//! The normalized-subdifferential rule: the NGD direction where `grad f/|grad f|` cannot be
//! formed in floating point (docs/math.md, "Exact zeros").

use crate::report::{Outcome, StallKind};
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
    /// The rule in words, for the report.
    pub(crate) fn describe(&self) -> String {
        match self {
            Rule::Scalar { outer, .. } => {
                let h = match outer {
                    Outer::Square => "t^2".to_string(),
                    Outer::EvenPower(k) => format!("t^{k}"),
                    Outer::Abs => "|t|".to_string(),
                };
                let abs_note = if matches!(outer, Outer::Abs) {
                    " (for |g| the compiled gradient is sign(g) grad g, which is 0 at g = 0)"
                } else {
                    ""
                };
                format!(
                    "f = c h(g) with h(t) = {h}: NGD steps along grad f/|grad f| wherever |grad f|^2 \
                     is a positive normal float64; elsewhere (grad f exactly 0, or under- or \
                     overflowed) along the same direction computed from g: sign(g) grad g/|grad g| \
                     where g != 0, and where g = 0 exactly v = s grad g/|grad g|, an element of the \
                     normalized subdifferential {{+grad g/|grad g|, -grad g/|grad g|}}, with the sign \
                     s = +1 or -1 drawn from the run's own PCG64 stream (a function of the seed and \
                     the run index); each such step is counted as a zero-gradient event{abs_note}. \
                     Where grad g = 0 too the run stops: a true critical point of g (outcome \
                     stalled). A run never freezes on g = 0."
                )
            }
            Rule::LeastSquares { m, .. } => format!(
                "f = sum_i c_i g_i^2 ({m} residuals): where grad f = 0 exactly in float64 and every \
                 residual is 0, NGD steps along v = J^T w/|J^T w|, a unit vector of range(J^T) \
                 (the normal space of M), with J the Jacobian of the residuals and w uniform in \
                 [-1, 1]^{m} drawn from the run's own PCG64 stream (a function of the seed and the \
                 run index); each such step is counted as a zero-gradient event. Where J^T w = 0 \
                 the run stops: a true critical point of the residual map G. Where grad f \
                 underflows with residuals != 0 the step is along J^T C G; if that is 0 the run \
                 stops at a critical point of f off M. A run never freezes on G = 0."
            ),
            Rule::General => "f has no recognised structure (neither c h(g) nor a sum of squares): \
                              there is no subdifferential rule, so a run stops where grad f = 0 \
                              exactly (outcome stalled, critical point of f)"
                .to_string(),
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
) -> Result<bool, (Outcome, Option<StallKind>)> {
    let n = x.len();
    if let Rule::Scalar { sub, .. } = rule {
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
        return Ok(event);
    }
    if !grad.iter().all(|&v| v == 0.0) {
        if grad.iter().any(|v| !v.is_finite()) {
            return Err((Outcome::NonFinite, None));
        }
        // A tiny (or huge) but nonzero gradient: its own direction.
        b.d.clear();
        b.d.extend_from_slice(grad);
        if unit(&mut b.d) {
            for (xi, di) in x.iter_mut().zip(&b.d) {
                *xi -= a * di;
            }
            return Ok(false);
        }
    }
    let event = match rule {
        Rule::General => return Err((Outcome::Stalled, Some(StallKind::CriticalPointOfF))),
        Rule::Scalar { .. } => unreachable!("handled above"),
        Rule::LeastSquares { sub, weights, m } => {
            let m = *m;
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
            on_m
        }
    };
    for (xi, di) in x.iter_mut().zip(&b.d) {
        *xi -= a * di;
    }
    Ok(event)
}
