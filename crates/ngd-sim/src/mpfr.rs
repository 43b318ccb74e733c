//! The MPFR re-run of the tail of an NGD run: are the f64 final points float artifacts?

use crate::config::HarnessConfig;
use crate::distance::dist_to_set;
use crate::harness::run_rng;
use crate::problem::Harness;
use crate::report::{MpfrTail, TailStop};
use crate::rule::Rule;
use rand::Rng;
use rug::ops::Pow;
use rug::Float;

/// `v / |v|` at precision `prec`; `None` when `v` is zero.
fn unit(v: &[Float], prec: u32) -> Option<Vec<Float>> {
    let mut n2 = Float::with_val(prec, 0);
    for x in v {
        n2 += Float::with_val(prec, x.square_ref());
    }
    if n2.is_zero() || !n2.is_finite() {
        return None;
    }
    let n = n2.sqrt();
    Some(v.iter().map(|x| Float::with_val(prec, x / &n)).collect())
}

/// Why the MPFR rule stopped (the step is added by [`Stop::at`]).
enum Stop {
    /// An evaluation error, as `ngd-eval` writes it.
    Eval(String),
    /// `grad f = 0` with no rule.
    F,
    /// `grad g = 0`.
    G,
    /// `J^T w = 0` on `M`.
    Residuals,
    /// `J^T C G = 0` off `M`.
    FOffM,
}

impl Stop {
    /// The reported stop at step `step`.
    fn at(self, step: u64) -> TailStop {
        match self {
            Stop::Eval(error) => TailStop::EvalError { error, step },
            Stop::F => TailStop::CriticalPointOfF { step },
            Stop::G => TailStop::CriticalPointOfG { step },
            Stop::Residuals => TailStop::CriticalPointOfResiduals { step },
            Stop::FOffM => TailStop::CriticalPointOfFOffM { step },
        }
    }
}

impl Harness {
    /// Re-runs NGD steps `from_step..iterations` of run `index` in MPFR at `prec` bits from
    /// the f64 iterate `from` (with the same schedule, computed in MPFR, and the same
    /// subdifferential rule, its signs drawn from the run's separate MPFR stream), and
    /// compares the final point with the f64 one `f64_end`.
    pub(crate) fn mpfr_tail(
        &self,
        cfg: &HarnessConfig,
        index: u64,
        from: Option<&[f64]>,
        f64_end: &[f64],
        prec: u32,
        flat: Option<&[Vec<f64>]>,
    ) -> MpfrTail {
        let from_step = cfg.iterations - cfg.mpfr_tail_steps.min(cfg.iterations);
        let mut tail = MpfrTail {
            precision_bits: prec,
            from_step,
            end: None,
            distance: None,
            agree: None,
            mpfr_near_flat: None,
            zero_gradient_events: 0,
            stopped: None,
        };
        let Some(from) = from else {
            tail.stopped = Some(TailStop::F64StoppedBefore);
            return tail;
        };
        let mut rng = run_rng(cfg.seed, index, 1);
        let mut x: Vec<Float> = from.iter().map(|&v| Float::with_val(prec, v)).collect();
        let a0 = Float::with_val(prec, cfg.schedule.a0);
        let p = Float::with_val(prec, cfg.schedule.power);
        for k in from_step..cfg.iterations {
            let a = Float::with_val(prec, &a0 / Float::with_val(prec, k + 1).pow(&p));
            let g = match self.grad.eval::<Float>(&prec, &x) {
                Ok(g) => g,
                Err(e) => {
                    tail.stopped = Some(Stop::Eval(e.kind.to_string()).at(k));
                    break;
                }
            };
            let d = match unit(&g, prec) {
                Some(d) => d,
                None => match self.mpfr_rule(&x, prec, &mut rng) {
                    Ok((d, event)) => {
                        tail.zero_gradient_events += u64::from(event);
                        d
                    }
                    Err(why) => {
                        tail.stopped = Some(why.at(k));
                        break;
                    }
                },
            };
            for (xi, di) in x.iter_mut().zip(&d) {
                *xi -= Float::with_val(prec, &a * di);
            }
        }
        let end: Vec<f64> = x.iter().map(Float::to_f64).collect();
        let distance = end
            .iter()
            .zip(f64_end)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        tail.agree = Some(distance <= cfg.tolerance);
        tail.distance = Some(distance);
        tail.mpfr_near_flat = flat.map(|s| dist_to_set(&end, s) <= cfg.tolerance);
        tail.end = Some(end);
        tail
    }

    /// The subdifferential rule in MPFR (see [`crate::ZeroGradientRule`]); `Err` names a
    /// stop.
    fn mpfr_rule(
        &self,
        x: &[Float],
        prec: u32,
        rng: &mut rand_pcg::Pcg64,
    ) -> Result<(Vec<Float>, bool), Stop> {
        let n = x.len();
        match &self.rule {
            Rule::General => Err(Stop::F),
            Rule::Scalar { sub, .. } => {
                let out = sub
                    .eval::<Float>(&prec, x)
                    .map_err(|e| Stop::Eval(e.kind.to_string()))?;
                let d = unit(&out[1..], prec).ok_or(Stop::G)?;
                let (s, event) = if out[0].is_sign_positive() && !out[0].is_zero() {
                    (1, false)
                } else if !out[0].is_zero() {
                    (-1, false)
                } else if rng.random::<bool>() {
                    (1, true)
                } else {
                    (-1, true)
                };
                Ok((d.into_iter().map(|v| v * s).collect(), event))
            }
            Rule::LeastSquares { sub, weights, m } => {
                let m = *m;
                let out = sub
                    .eval::<Float>(&prec, x)
                    .map_err(|e| Stop::Eval(e.kind.to_string()))?;
                let (r, jac) = out.split_at(m);
                let on_m = r.iter().all(Float::is_zero);
                let w: Vec<Float> = if on_m {
                    (0..m)
                        .map(|_| Float::with_val(prec, rng.random::<f64>() * 2.0 - 1.0))
                        .collect()
                } else {
                    r.iter()
                        .zip(weights)
                        .map(|(ri, &ci)| Float::with_val(prec, ri * ci))
                        .collect()
                };
                let mut d = vec![Float::with_val(prec, 0); n];
                for (i, wi) in w.iter().enumerate() {
                    for (dj, jij) in d.iter_mut().zip(&jac[i * n..(i + 1) * n]) {
                        *dj += Float::with_val(prec, wi * jij);
                    }
                }
                let d = unit(&d, prec).ok_or(if on_m { Stop::Residuals } else { Stop::FOffM })?;
                Ok((d, on_m))
            }
        }
    }
}
